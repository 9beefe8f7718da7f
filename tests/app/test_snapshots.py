"""Snapshot tests: what the screens look like, pixel for pixel (SVG under
tests/app/__snapshots__/test_snapshots/).

Deterministic by construction: every lesson is seeded and paused (a runner starts
paused; ``n`` steps once and stays paused), so its frame timer redraws nothing; no
notification is raised by ``n``; lesson screens have no focused input (no cursor).

After a deliberate change of a layout, regenerate every snapshot with

    cd /work/main && .venv/bin/pytest -n 0 tests/app/test_snapshots.py --snapshot-update

then look at the new SVGs (or at the report pytest-textual-snapshot writes on failure)
before committing them.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from nndojo.screens import LessonScreen
from nndojo.tui.app import MENU, NNDojoApp

KEYS = [cls.info.key for cls in MENU]
NARROW, WIDE = (80, 24), (120, 40)
SEED = 0
STEPS = 5  # `n` presses before the picture: some history in every plot


def stepped(n: int = STEPS):
    """A run_before that presses n ``n`` times and checks the run is where it should be."""

    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        for _ in range(n):
            await pilot.press("n")
        await pilot.pause()
        runner = app.screen.runner
        assert not runner.playing
        assert runner.experiment.step_count == n
        assert not app._notifications, "a notification would make the picture time-dependent"

    return run_before


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "120x40"])
def test_home(snap_compare, size) -> None:
    assert snap_compare(NNDojoApp(seed=SEED), terminal_size=size)


@pytest.mark.parametrize("lesson", KEYS)
def test_lesson_wide(snap_compare, lesson: str) -> None:
    assert snap_compare(NNDojoApp(lesson, seed=SEED), terminal_size=WIDE, run_before=stepped())


@pytest.mark.parametrize("lesson", KEYS)
def test_lesson_narrow(snap_compare, lesson: str) -> None:
    assert snap_compare(NNDojoApp(lesson, seed=SEED), terminal_size=NARROW, run_before=stepped())


def test_help_narrow(snap_compare) -> None:
    assert snap_compare(NNDojoApp(KEYS[0], seed=SEED), terminal_size=NARROW, press=["question_mark"])
