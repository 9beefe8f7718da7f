"""PromptUpdates: the screens' update timer (tui/update_timer.py).

It replaces Textual's update Timer, which after a quiet spell waited for its next tick
on a fixed grid before drawing a key's effect. These tests check the schedule it keeps
(at once after a quiet spell, never more often than the cap), with no timing asserts:
the schedule is read from ``delay`` and from the kind of handle the event loop was
given. That every screen of the app uses it is checked in test_textual_patches.py.
"""

from __future__ import annotations

import asyncio

import pytest

from nndojo.tui.update_timer import PromptUpdates


class Drawing:
    """Stands in for a screen's draw and Textual's error handler."""

    def __init__(self, fail: bool = False) -> None:
        self.updates = 0
        self.fail = fail
        self.errors: list[BaseException] = []

    def update(self) -> None:
        self.updates += 1
        if self.fail:
            raise RuntimeError("drawing failed")

    def report(self, error: Exception) -> None:
        self.errors.append(error)


def test_the_cap_is_kept_and_no_more() -> None:
    drawing = Drawing()
    updates = PromptUpdates(drawing.update, drawing.report, period=0.05)
    assert updates.delay(100.0) == 0.0  # never updated: at once
    updates._last = 100.0
    assert updates.delay(100.01) == pytest.approx(0.04)  # too soon: the rest of the period
    assert updates.delay(100.05) == pytest.approx(0.0)
    assert updates.delay(100.5) == 0.0  # after a quiet spell: at once, not on a grid


async def test_resume_after_a_quiet_spell_updates_on_the_next_loop_turn() -> None:
    drawing = Drawing()
    updates = PromptUpdates(drawing.update, drawing.report, period=10.0)
    ran: list[str] = []
    updates.after_next_update(lambda: ran.append("after"))
    updates.resume()
    assert not isinstance(updates._handle, asyncio.TimerHandle)  # call_soon, not call_later
    updates.resume()  # asked twice: one update
    await asyncio.sleep(0)
    assert drawing.updates == 1 and updates.updates == 1 and ran == ["after"]
    updates.resume()  # within the period: scheduled for its end, not now
    assert isinstance(updates._handle, asyncio.TimerHandle)
    await asyncio.sleep(0)
    assert drawing.updates == 1
    updates.pause()
    assert updates._handle is None
    assert ran == ["after"]  # callbacks run once


async def test_a_failing_update_is_reported_and_its_callbacks_still_run() -> None:
    drawing = Drawing(fail=True)
    updates = PromptUpdates(drawing.update, drawing.report, period=0.0)
    ran: list[int] = []
    updates.after_next_update(lambda: ran.append(1))
    updates.resume()
    await asyncio.sleep(0)
    assert len(drawing.errors) == 1 and ran == [1]
