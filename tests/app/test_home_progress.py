"""The home screen with the learner's progress (✓ ✗ · per question), the one-line
messages about the progress file, and a long menu at 80x24 (it scrolls; a question
wraps under its own title)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from textual.widgets import OptionList

import nndojo.screens as screens
from nndojo.core import progress
from nndojo.core.lessons import by_key
from nndojo.core.texts._ui import ui
from nndojo.screens import LessonScreen, menu_infos, predict
from nndojo.screens.home import HomeScreen
from nndojo.tui.app import NNDojoApp

GD = "gradient-descent"


def screen_lines(app: NNDojoApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def toasts(app: NNDojoApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def loaded(pilot, app: NNDojoApp) -> None:
    for _ in range(200):
        if app.progress.loaded.is_set():
            break
        await pilot.pause(0.02)
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_home_shows_what_has_been_answered_and_how_well(tmp_path: Path, lang: str) -> None:
    keys = [q.key for q in by_key(GD).questions]
    saved = progress.Progress()
    saved.record(GD, keys[0], predicted=1, shown=1)
    saved.record(GD, keys[1], predicted=2, shown=0)
    progress.save(saved, progress.path_in(tmp_path))
    app = NNDojoApp(lang=lang, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        text = "\n".join(screen_lines(app))
        marks = "✓✗" + "·" * (len(keys) - 2)
        assert f"{marks} 1/{len(keys)}" in text
        assert ui("home.legend", lang)[:20] in text
        assert ui("key.drill", lang) in text


async def test_an_answer_shows_on_home_when_coming_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(predict, "PLAY_SECONDS", 0.0)
    app = NNDojoApp(GD, data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("p", "1")
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        for _ in range(200):
            state = predict.asking(screen)
            if state is not None and state.shown is not None:
                break
            await pilot.pause(0.05)
        await pilot.press("escape", "escape")  # back to the run, then home
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        mark = "✓" if state.shown == 0 else "✗"
        assert any(f"{mark}··" in line for line in screen_lines(app))
    app.progress.close()
    assert GD in progress.load(progress.path_in(tmp_path))[0].answers  # saved (off the UI thread)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(
    "content, kind",
    [(b'{"format": "nndojo-progress", "vers', "corrupt"), (json.dumps({"format": "nndojo-progress", "version": 7, "answers": {}}).encode(), "newer"), (None, "directory")],
)
async def test_a_bad_progress_file_is_kept_aside_and_told_in_one_line(tmp_path: Path, content: bytes | None, kind: str, lang: str) -> None:
    path = progress.path_in(tmp_path)
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    app = NNDojoApp(lang=lang, data_dir=tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot, app)
        told = toasts(app)
        assert len(told) == 1 and "\n" not in told[0]
        assert ui(f"progress.aside.{kind}", lang) in told[0]
        assert isinstance(app.screen, HomeScreen)  # the app runs on
    assert [p.name.startswith("progress.json.bad-") for p in tmp_path.iterdir()] == [True]


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_data_directory_that_cannot_be_written_is_told_once(tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(predict, "PLAY_SECONDS", 0.0)
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data directory should be (as read-only as it gets, even for root)")
    app = NNDojoApp(GD, lang=lang, data_dir=blocker)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await loaded(pilot, app)
        screen = app.screen
        await pilot.press("p", "1")
        for _ in range(200):
            state = predict.asking(screen)
            if state is not None and state.shown is not None:
                break
            await pilot.pause(0.05)
        app.progress.flush()
        await pilot.pause()
        app.progress.record(GD, "another", 0, 0)  # a second answer: the save fails again, quietly
        app.progress.flush()
        await pilot.pause()
        told = [t for t in toasts(app) if ui("progress.cannot_save", lang, directory=blocker)[:12] in t]
        assert told == [ui("progress.cannot_save", lang, directory=blocker)]  # once
        assert len(app.progress.progress.answers[GD]) == 2  # kept for the session


def many_lessons(n: int = 17) -> tuple:
    """The menu's lessons repeated up to ``n``, numbered 1..n, one with a long question."""
    real = menu_infos()
    out = []
    for i in range(n):
        info = real[i % len(real)]
        question = dict(info.question)
        if i == 15:
            question = {"en": "A long question that must wrap: " + "why does the loss curve flatten " * 4, "ko": "줄을 넘기는 긴 질문: " + "손실 곡선은 왜 평평해지는가 " * 4}
        key = info.key if i < len(real) else f"{info.key}-{i}"
        out.append(dataclasses.replace(info, key=key, number=i + 1, question=question))
    return tuple(out)


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_long_menu_at_80x24_scrolls_and_a_question_wraps_under_its_title(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    infos = many_lessons()
    monkeypatch.setattr(screens, "menu_infos", lambda: infos)
    app = NNDojoApp(lang=lang)
    app._preloaded = True  # the made-up lessons have no screens to load
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        assert ui("home.title", lang).strip() in lines[0]
        assert lines[-1].strip().startswith("↑↓")  # the key line is whole, at the bottom
        ol = app.screen.query_one(OptionList)
        assert ol.option_count == 17
        for _ in range(15):
            await pilot.press("down")
        await pilot.pause()
        lines = screen_lines(app)
        long = infos[15]
        title = long.title[lang]
        row = next(i for i, line in enumerate(lines) if f"16 {title}" in line)
        col = lines[row].index(title)
        words = long.question[lang].split()
        assert lines[row + 1][col:].startswith(words[0])  # the question under the title
        assert lines[row + 1][:col].strip() == "│" or lines[row + 1][:col].strip() == ""
        assert lines[row + 2][col] != " " and lines[row + 2][:col].strip() in ("", "│")  # wrapped, indented like the title
        await pilot.press("end")
        await pilot.pause()
        assert any(f"17 {infos[16].title[lang]}" in line for line in screen_lines(app))
