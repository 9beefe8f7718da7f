"""Save, load and export from inside the app (s, o, x) and `nndojo --resume`.

The file format and its bit-for-bit continuation are tested on the core in
test_session.py; here: the keys, the dialog, the messages, and that a file that cannot
be loaded leaves the running session exactly as it was.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from textual.widgets import Input

from nndojo.core import session
from nndojo.core.lessons import by_key
from nndojo.screens.session_dialog import LoadSession
from nndojo.tui import cli
from nndojo.tui.app import NNDojoApp


def notes(app) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


async def test_s_saves_and_o_loads_back_the_run(tmp_path) -> None:
    app = NNDojoApp("gradient-descent", save_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.lesson_screens["gradient-descent"]
        await pilot.press("n", "n", "n", "s")
        (saved,) = tmp_path.glob("*.npz")
        assert saved.name == "nndojo-gradient-descent-step3.npz"
        assert any("Saved step 3" in n for n in notes(app))
        await pilot.press("n", "n", "r")  # move on, then start over
        assert screen.experiment.step_count == 0
        await pilot.press("o")
        assert isinstance(app.screen, LoadSession)
        assert app.screen.query_one("#path", Input).value == str(saved)  # the newest save is offered
        await pilot.press("enter")
        assert app.screen is screen
        assert screen.experiment.step_count == 3 and not screen.runner.playing
        assert any("Session loaded" in n for n in notes(app))
        # and it goes on exactly as a run that was never saved
        await pilot.press("n", "n")
        twin = by_key("gradient-descent")(seed=0)
        twin.step(5)
        assert screen.experiment.snapshot().last == twin.snapshot().last


@pytest.mark.parametrize("content", [b"", b"hello", b"PK\x03\x04broken"], ids=["empty", "text", "broken zip"])
async def test_a_bad_file_changes_nothing(tmp_path, content: bytes) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(content)
    app = NNDojoApp("cnn", save_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.lesson_screens["cnn"]
        await pilot.press("n", "n")
        before = screen.experiment
        await pilot.press("o")
        inp = app.screen.query_one("#path", Input)
        inp.value = str(bad)
        await pilot.press("enter")
        assert screen.experiment is before and before.step_count == 2
        assert any(n.startswith("Not loaded") and "bad.npz" in n for n in notes(app))
        await pilot.press("o")
        app.screen.query_one("#path", Input).value = str(tmp_path / "missing.npz")
        await pilot.press("enter")
        assert screen.experiment is before
        assert any("no such file" in n for n in notes(app))


async def test_loading_another_lessons_session_opens_that_lesson(tmp_path) -> None:
    other = by_key("weight-init")(seed=4)
    other.step(7)
    path = session.save(other, tmp_path / "wi.npz")
    app = NNDojoApp("cnn", save_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        app.screen.query_one("#path", Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "weight-init"
        screen = app.lesson_screens["weight-init"]
        assert screen.experiment.step_count == 7 and screen.experiment.seed == 4


async def test_x_exports_the_metric_history(tmp_path) -> None:
    app = NNDojoApp("gradient-descent", save_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "n", "n", "n", "x")
        (path,) = tmp_path.glob("*.csv")
        rows = list(csv.DictReader(path.open()))
        assert rows and set(rows[0]) == {"metric", "step", "value", "points"}
        assert max(int(r["step"]) for r in rows if r["metric"] == "loss") == 4


async def test_saving_where_it_cannot_write_says_so(tmp_path) -> None:
    app = NNDojoApp("gradient-descent", save_dir=tmp_path / "no" / "such" / "dir")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "s")
        assert any(n.startswith("Not saved") for n in notes(app))
        assert app.lesson_screens["gradient-descent"].experiment.step_count == 1


# -- nndojo --resume -----------------------------------------------------------------


@pytest.fixture
def launched(monkeypatch) -> list[NNDojoApp]:
    apps: list[NNDojoApp] = []
    monkeypatch.setattr(NNDojoApp, "run", lambda self, *a, **k: apps.append(self))
    return apps


def test_resume_opens_the_saved_lesson_with_its_run(tmp_path, launched) -> None:
    exp = by_key("cnn")(seed=2)
    exp.step(3)
    path = session.save(exp, tmp_path / "run.npz")
    assert cli.main(["--resume", str(path)]) == 0
    (app,) = launched
    assert app.start_lesson == "cnn"
    resumed = app._resumed["cnn"]
    assert resumed.step_count == 3 and resumed.seed == 2


@pytest.mark.parametrize(
    "content, words",
    [(None, "no such file"), (b"", "empty"), (b"not a session", "not an nndojo session")],
    ids=["missing", "empty", "foreign"],
)
def test_resume_a_bad_file_is_a_clear_usage_error(tmp_path, capsys, launched, content, words) -> None:
    path = tmp_path / "s.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SystemExit) as exc:
        cli.main(["--resume", str(path)])
    assert exc.value.code == 2 and not launched
    err = capsys.readouterr().err
    assert "--resume" in err and words in err.lower()


async def test_editing_keys_typed_ahead_keep_their_order() -> None:
    """Over a slow link "⌫⌫10⏎" arrives in one burst: the value must be 10, not empty."""
    from textual import events

    app = NNDojoApp("gradient-descent")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        for key, ch in [("backspace", "\x7f")] * 6 + [("1", "1"), ("5", "5"), ("left", None), (".", "."), ("enter", "\r")]:
            app.post_message(events.Key(key, ch))  # no wait between keys
        await pilot.pause()
        await pilot.pause()
        assert app.lesson_screens["gradient-descent"].experiment.values["learning_rate"] == 1.5  # "15", ←, "." is "1.5"
