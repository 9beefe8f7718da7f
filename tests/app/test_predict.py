"""p on a lesson: the question, a choice, the question's own run, the verdict true to
the run, and escape putting the learner's run back exactly as it was."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from textual.widgets import Static

from nndojo.core import questions
from nndojo.core.texts._ui import ui
from nndojo.screens import LessonScreen, menu_infos, predict
from nndojo.screens.predict import QuestionDialog
from nndojo.tui.app import NNDojoApp
from nndojo.tui.runner import SPEEDS

GD = "gradient-descent"  # questions that run in milliseconds: the tests are about the UI


@pytest.fixture(autouse=True)
def fast_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Questions' runs at full speed (unpaced): the tests wait for verdicts, not for a show."""
    monkeypatch.setattr(predict, "PLAY_SECONDS", 0.0)


async def verdict(pilot: Any, screen: LessonScreen, seconds: float = 20.0) -> predict.Asking:
    """Wait for the question in progress to give its verdict."""
    for _ in range(int(seconds / 0.05)):
        state = predict.asking(screen)
        if state is not None and (state.shown is not None or state.failed):
            await pilot.pause()
            return state
        await pilot.pause(0.05)
    raise AssertionError("no verdict")


def panel_text(screen: LessonScreen) -> str:
    return str(screen.query_one("#question-body", Static).content)


def run_state(screen: LessonScreen) -> dict[str, Any]:
    return screen.runner.call(lambda e: e.state_dict())


def same_tree(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same_tree(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(same_tree(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_p_asks_runs_the_question_and_tells_what_the_run_showed(lang: str) -> None:
    app = NNDojoApp(GD, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        cls = screen.experiment_class
        question = cls.questions[0]
        await pilot.press("p")
        assert isinstance(app.screen, QuestionDialog)
        shown_text = " ".join(str(s.content) for s in app.screen.query(Static))
        assert question.text[lang] in shown_text
        await pilot.press("down", "enter")  # the second choice, by arrows
        assert app.screen is screen
        state = await verdict(pilot, screen)
        expected = questions.run(cls, question)  # the same setup, run headless
        assert state.predicted == 1 and state.shown == expected
        text = panel_text(screen)
        verdict_line = ui("predict.verdict", lang, predicted=question.choices[1][lang], shown=question.choices[expected][lang])
        assert verdict_line in text
        assert question.explanation[lang] in text
        assert ui("predict.right" if expected == 1 else "predict.wrong", lang) in text
        # the question's own setup is what ran
        values = screen.runner.snapshot(8).values
        assert all(values[k] == v for k, v in question.setup.items())
        # the answer is kept
        answer = app.progress.progress.answers[GD][question.key]
        assert (answer.predicted, answer.shown) == (1, expected)


async def test_keys_1_to_4_pick_and_p_cycles_through_the_questions() -> None:
    app = NNDojoApp(GD)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        n = len(screen.experiment_class.questions)
        asked = []
        for i in range(n + 1):
            await pilot.press("p")
            assert isinstance(app.screen, QuestionDialog)
            asked.append(app.screen.question.key)
            await pilot.press("3")
            state = await verdict(pilot, screen)
            assert state.predicted == 2
        keys = [q.key for q in screen.experiment_class.questions]
        assert asked == keys + keys[:1]  # every question once, then the first again


async def test_escape_puts_back_the_paused_run_exactly_as_it_was() -> None:
    app = NNDojoApp(GD)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("right", "right")  # the learner's own learning rate
        await pilot.press("n", "n", "n", "minus")
        await pilot.pause()
        own = screen.runner.experiment
        before = run_state(screen)
        speed = screen.runner.speed_index
        await pilot.press("p", "1")
        state = await verdict(pilot, screen)
        assert screen.runner.experiment is not own
        await pilot.press("right", "r", "n", "plus")  # explore the question's run
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert predict.asking(screen) is None
        assert screen.runner.experiment is own and screen.experiment is own
        assert same_tree(run_state(screen), before)
        assert screen.runner.speed_index == speed and screen.runner.pace is None and screen.runner.pause_at is None
        assert not screen.runner.playing
        assert screen.lesson_text.display and not screen.query("#question")
        assert app.screen is screen  # escape left the question, not the lesson


async def test_escape_while_the_question_runs_goes_back_to_a_playing_run() -> None:
    app = NNDojoApp(GD)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.runner.speed_index = 1  # 5/s: the learner's run goes on slowly
        await pilot.press("space")
        await pilot.pause(0.3)
        own = screen.runner.experiment
        predict.PLAY_SECONDS = 100.0  # a slow question: escape before its verdict (fixture restores)
        await pilot.press("p")
        step_at_p = own.step_count
        await pilot.press("2")
        await pilot.pause(0.2)
        state = predict.asking(screen)
        assert state is not None and state.running
        assert own.step_count == step_at_p  # the learner's run waits while the question runs
        await pilot.press("right", "r")  # keys that would change the question's run wait for its verdict
        await pilot.pause()
        assert screen.runner.experiment.values["learning_rate"] == state.question.setup["learning_rate"]
        assert screen.runner.experiment.step_count > 0
        await pilot.press("escape")
        await pilot.pause()
        assert screen.runner.experiment is own and screen.runner.playing
        assert screen.runner.speed_label == SPEEDS[1][0]
        assert app.screen is screen


async def test_escape_in_the_dialog_changes_nothing_and_a_second_escape_goes_home() -> None:
    app = NNDojoApp(GD)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        own = screen.runner.experiment
        await pilot.press("p")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.runner.experiment is own and predict.asking(screen) is None
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "home"


async def test_the_language_switch_redraws_the_verdict() -> None:
    app = NNDojoApp(GD)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("p", "1")
        state = await verdict(pilot, screen)
        await pilot.press("l")
        await pilot.pause(0.3)
        q = state.question
        assert q is not None and q.explanation["ko"] in panel_text(screen)


async def test_l_over_a_question_repaints_its_panel_without_laying_out_the_screen() -> None:
    """The question's panel is as tall in both languages (blank lines under the
    shorter), and the hidden lesson text is not laid out for a width it does not have:
    l costs a repaint, not a layout of the whole screen (tens of ms while training)."""
    app = NNDojoApp(GD)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await pilot.press("p", "1")
        await verdict(pilot, screen)
        for _ in range(3):
            await pilot.pause()
        body = screen.query_one("#question-body", Static)
        size, laid_out = body.size, set(screen.lesson_text._lines)
        layouts = 0
        original = screen._refresh_layout

        def counting(*args: Any, **kwargs: Any) -> None:
            nonlocal layouts
            layouts += 1
            original(*args, **kwargs)

        screen._refresh_layout = counting  # type: ignore[method-assign]
        for lang in ("ko", "en", "ko"):
            await pilot.press("l")
            await pilot.pause()
            assert screen.lang == lang and body.size == size
        assert layouts == 0
        assert set(screen.lesson_text._lines) == laid_out
        state = predict.asking(screen)
        assert state is not None and state.question is not None
        assert state.question.explanation["ko"] in panel_text(screen)


@pytest.mark.parametrize("lesson", [info.key for info in menu_infos()])
async def test_a_question_in_korean_shows_no_english(lesson: str) -> None:
    from test_korean import check

    app = NNDojoApp(lesson, lang="ko")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("n")  # the plots' empty state ("no data yet") is another branch's
        await pilot.press("p")
        await pilot.pause()
        check(app, f"{lesson}: the question's dialog")
        await pilot.press("1")
        await verdict(pilot, screen, seconds=60)
        screen.redraw(heavy=True)
        await pilot.pause()
        check(app, f"{lesson}: the verdict")


def test_the_runner_pauses_at_the_question_budget_at_any_pace() -> None:
    import time

    from nndojo.core.lessons import by_key
    from nndojo.tui.runner import Runner

    cls = by_key(GD)
    for pace in (None, 2000.0):
        experiment = questions.build(cls, cls.questions[2])  # a tiny rate: it neither converges nor diverges
        experiment.stops_when_converged = False
        runner = Runner(experiment)
        runner.pace, runner.pause_at = pace, 137
        runner.start()
        runner.play()
        for _ in range(400):
            if not runner.playing:
                break
            time.sleep(0.01)
        runner.stop()
        assert experiment.step_count == 137, pace
