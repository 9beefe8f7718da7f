"""PromptUpdates: the screens' frame limiter (tui/frames.py).

It replaces Textual's update Timer, which after a quiet spell waited 17-33 ms for
its next tick before drawing a key's effect. These tests check the schedule it keeps
(at once after a quiet spell, never more often than the cap) and that every lesson
screen and dialog uses it, with no timing asserts: the schedule is read from
``delay`` and from the kind of handle the event loop was given.
"""

from __future__ import annotations

import asyncio

import pytest

from nndojo.screens.base import LessonScreen
from nndojo.tui.app import NNDojoApp
from nndojo.tui.frames import PromptScreen, PromptUpdates


class FakeScreen:
    def __init__(self, fail: bool = False) -> None:
        self.updates = 0
        self.fail = fail
        self.errors: list[BaseException] = []
        self.app = self

    def _on_timer_update(self) -> None:
        self.updates += 1
        if self.fail:
            raise RuntimeError("drawing failed")

    def _handle_exception(self, error: BaseException) -> None:
        self.errors.append(error)


def test_the_cap_is_kept_and_no_more() -> None:
    updates = PromptUpdates(FakeScreen(), period=0.05)
    assert updates.delay(100.0) == 0.0  # never updated: at once
    updates._last = 100.0
    assert updates.delay(100.01) == pytest.approx(0.04)  # too soon: the rest of the period
    assert updates.delay(100.05) == pytest.approx(0.0)
    assert updates.delay(100.5) == 0.0  # after a quiet spell: at once, not on a grid


async def test_resume_after_a_quiet_spell_updates_on_the_next_loop_turn() -> None:
    screen = FakeScreen()
    updates = PromptUpdates(screen, period=10.0)
    ran: list[str] = []
    updates.after_next_update(lambda: ran.append("after"))
    updates.resume()
    assert not isinstance(updates._handle, asyncio.TimerHandle)  # call_soon, not call_later
    updates.resume()  # asked twice: one update
    await asyncio.sleep(0)
    assert screen.updates == 1 and ran == ["after"]
    updates.resume()  # within the period: scheduled for its end, not now
    assert isinstance(updates._handle, asyncio.TimerHandle)
    await asyncio.sleep(0)
    assert screen.updates == 1
    updates.pause()
    assert updates._handle is None
    assert ran == ["after"]  # callbacks run once


async def test_a_failing_update_is_reported_and_its_callbacks_still_run() -> None:
    screen = FakeScreen(fail=True)
    updates = PromptUpdates(screen, period=0.0)
    ran: list[int] = []
    updates.after_next_update(lambda: ran.append(1))
    updates.resume()
    await asyncio.sleep(0)
    assert len(screen.errors) == 1 and ran == [1]


async def test_every_screen_of_the_app_uses_it() -> None:
    app = NNDojoApp("cnn", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and isinstance(screen, PromptScreen)
        assert isinstance(screen._update_timer, PromptUpdates)
        before = screen._update_timer.updates
        await pilot.press("l")
        await pilot.pause()
        assert screen._update_timer.updates > before
        assert screen._Screen__update_timer is None  # Textual's timer was never made
        for key in ("question_mark", "escape", "w", "escape", "enter", "escape", "o", "escape"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, PromptScreen), f"{type(app.screen).__name__} after {key}"
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
