"""The drill: every lesson's questions in a seeded order, each run live on its lesson
screen, a score that counts the answers given, and a drill left midway that resumes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList, Static

from nndojo.core import progress
from nndojo.core.lessons import by_key
from nndojo.core.progress import Drill, new_drill, split_id
from nndojo.core.texts._ui import ui
from nndojo.screens import LessonScreen, menu_infos, predict
from nndojo.screens.drill import DrillScore, all_questions, choose_drill
from nndojo.screens.predict import QuestionDialog
from nndojo.tui.app import NNDojoApp


@pytest.fixture(autouse=True)
def fast_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs at full speed."""
    monkeypatch.setattr(predict, "PLAY_SECONDS", 0.0)


def fewer_questions(monkeypatch: pytest.MonkeyPatch, per_lesson: int, lessons: int = 5) -> None:
    """The first ``per_lesson`` questions of the first ``lessons`` lessons with questions
    (the others ask none), with short runs: these tests are about the drill (order,
    score, resume across lessons), whatever each run shows (the full runs are checked by
    tests/lessons/test_lesson_questions.py), so their cost does not grow with the menu."""
    asking = [info.key for info in menu_infos() if by_key(info.key).questions][:lessons]
    for info in menu_infos():
        cls = by_key(info.key)
        kept = cls.questions[:per_lesson] if info.key in asking else ()
        short = tuple(dataclasses.replace(q, steps=min(q.steps, 5)) for q in kept)
        monkeypatch.setattr(cls, "questions", short)


def test_the_same_seed_gives_the_same_order_and_another_seed_another() -> None:
    qs = all_questions()
    assert len(qs) >= 2 and len(set(qs)) == len(qs)
    assert new_drill(qs, 3).order == new_drill(list(reversed(qs)), 3).order
    assert sorted(new_drill(qs, 3).order) == sorted(qs)
    assert any(new_drill(qs, s).order != new_drill(qs, 3).order for s in range(4, 8))


def test_an_unfinished_drill_resumes_unless_another_seed_is_asked_for() -> None:
    qs = all_questions()
    left = new_drill(qs, 3)
    left.answers[left.order[0]] = progress.Answer(0, 0, "t")
    assert choose_drill(left, qs, None) == (left, True)
    assert choose_drill(left, qs, 3) == (left, True)
    other, resumed = choose_drill(left, qs, 4)
    assert not resumed and other.seed == 4 and not other.answers
    done = Drill(3, list(left.order), dict(left.answers), finished=True)
    again, resumed = choose_drill(done, qs, None)
    assert not resumed and again.seed == 4 and not again.answers  # the seed after the last drill's
    assert choose_drill(None, qs, None)[0].seed == 0
    changed, resumed = choose_drill(left, qs[:-1], None)  # the menu's questions changed
    assert not resumed and not changed.answers


async def answer_next(pilot: Any, app: NNDojoApp, choice: int) -> tuple[str, int]:
    """Wait for the drill's next question, pick ``choice``, wait for the verdict; return
    (question id, the choice the run showed)."""
    for _ in range(400):
        if isinstance(app.screen, QuestionDialog):
            break
        await pilot.pause(0.02)
    assert isinstance(app.screen, QuestionDialog)
    await pilot.press(str(choice + 1))
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    for _ in range(600):
        state = predict.asking(screen)
        if state is not None and state.shown is not None:
            break
        await pilot.pause(0.05)
    assert state is not None and state.shown is not None and state.question is not None
    return f"{screen.experiment_class.info.key}/{state.question.key}", state.shown


async def test_a_whole_drill_asks_in_the_seeded_order_and_scores_the_answers_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fewer_questions(monkeypatch, 2)
    app = NNDojoApp(data_dir=tmp_path, drill=True, drill_seed=3)
    order = new_drill(all_questions(), 3).order
    async with app.run_test(size=(80, 24)) as pilot:
        asked, right = [], 0
        for i in range(len(order)):
            qid, shown = await answer_next(pilot, app, i % 2)
            asked.append(qid)
            right += shown == i % 2
            assert split_id(qid)[0] == app.current_mode  # live on its own lesson's screen
            await pilot.press("p")  # next
        for _ in range(100):
            if isinstance(app.screen, DrillScore):
                break
            await pilot.pause(0.02)
        assert asked == order
        assert isinstance(app.screen, DrillScore)
        text = " ".join(str(s.content) for s in app.screen.query(Static))
        assert ui("drill.score", "en", right=right, total=len(order)) in text
        revisit = app.screen.query_one(OptionList)
        missed_lessons = {split_id(q)[0] for q, a in app.progress.progress.drill.answers.items() if not a.right}
        assert {revisit.get_option_at_index(i).id for i in range(revisit.option_count)} == missed_lessons
        await pilot.press("escape")
        assert app.current_mode == "home" and not isinstance(app.screen, DrillScore)
    app.progress.close()
    saved, note = progress.load(progress.path_in(tmp_path))
    assert note is None and saved.drill is not None and saved.drill.finished
    assert saved.drill.score() == (right, len(order))


async def test_a_drill_left_midway_resumes_and_its_score_counts_both_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fewer_questions(monkeypatch, 1)
    order = new_drill(all_questions(), 5).order
    first = NNDojoApp(data_dir=tmp_path, drill=True, drill_seed=5)
    given: dict[str, bool] = {}
    async with first.run_test(size=(120, 40)) as pilot:
        qid, shown = await answer_next(pilot, first, 0)
        given[qid] = shown == 0
        await pilot.press("p")
        qid, shown = await answer_next(pilot, first, 0)  # answered, then the drill is left with escape
        given[qid] = shown == 0
        await pilot.press("escape")
        await pilot.pause()
        assert first.current_mode == "home" and first.drill is None
    first.progress.close()
    second = NNDojoApp(data_dir=tmp_path, drill=True)  # no --seed: the drill left midway
    async with second.run_test(size=(120, 40)) as pilot:
        asked = []
        while True:
            for _ in range(400):
                if isinstance(second.screen, (QuestionDialog, DrillScore)):
                    break
                await pilot.pause(0.02)
            if isinstance(second.screen, DrillScore):
                break
            qid, shown = await answer_next(pilot, second, 1)
            given[qid] = shown == 1
            asked.append(qid)
            await pilot.press("p")
        assert asked == order[2:]  # the second was answered before escape: kept
        drill = second.progress.progress.drill
        assert drill is not None and drill.seed == 5 and drill.finished
        assert len(drill.answers) == len(order)
        right = drill.score()[0]
        text = " ".join(str(s.content) for s in second.screen.query(Static))
        assert ui("drill.score", "en", right=right, total=len(order)) in text
        assert right == sum(a.right for a in drill.answers.values())
        assert {q: a.right for q, a in drill.answers.items() if q in given} == given


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_the_score_screen_lists_the_lessons_to_revisit_in_the_apps_language(lang: str) -> None:
    from test_korean import check

    qs = all_questions()
    drill = new_drill(qs, 1)
    for i, q in enumerate(drill.order):
        drill.answers[q] = progress.Answer(0, i % 2, "t")  # every other one missed
    drill.finished = True
    app = NNDojoApp(lang=lang)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.push_screen(DrillScore(drill, lang))
        await pilot.pause()
        text = " ".join(str(s.content) for s in app.screen.query(Static))
        right = sum(a.right for a in drill.answers.values())
        assert ui("drill.score", lang, right=right, total=len(qs)) in text
        revisit = app.screen.query_one(OptionList)
        assert [revisit.get_option_at_index(i).id for i in range(revisit.option_count)] == [
            info.key for info in menu_infos() if any(split_id(q)[0] == info.key for q in drill.missed())
        ]
        if lang == "ko":
            check(app, "the drill's score")
        await pilot.press("enter")  # opens the first lesson to revisit
        await pilot.pause()
        assert app.current_mode == revisit.get_option_at_index(0).id


async def test_home_mid_drill_then_d_goes_on_and_puts_each_lessons_run_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fewer_questions(monkeypatch, 1)
    order = new_drill(all_questions(), 2).order
    app = NNDojoApp(data_dir=tmp_path, drill=True, drill_seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        first = split_id(order[0])[0]
        await answer_next(pilot, app, 0)
        screen = app.lesson_screens[first]
        state = predict.asking(screen)
        assert state is not None and screen.runner.experiment is not state.saved.experiment
        own = state.saved.experiment
        await pilot.press("h")  # home with the verdict on screen, without p
        await pilot.pause()
        await pilot.press("d")  # the drill goes on at its next question
        qid, _ = await answer_next(pilot, app, 0)
        assert qid == order[1]
        assert predict.asking(screen) is None  # the first lesson has the learner's own run back
        assert screen.runner.experiment is own and screen.experiment is own and screen.runner.pause_at is None
