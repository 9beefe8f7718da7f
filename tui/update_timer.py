"""PromptUpdates: a screen's update timer that updates as soon as the frame-rate cap
allows.

Textual draws a screen's changes from a repeating Timer, paused while there is nothing
to draw and resumed when a widget asks for a repaint. After a pause that Timer waits for
its next tick on a fixed grid, and skips a tick it has fallen behind on, so the effect of
a key waits up to two frame periods before it is drawn. ``PromptUpdates`` keeps the same
cap (at most one update per ``period``) but schedules an update for the earliest moment
the cap allows. It also runs callbacks once the next update is on its way to the
terminal, which is when training may go on after a key or a frame (see
``Runner.yield_to_ui``). ``textual_patches.PromptScreen`` puts it in the Timer's place.
"""

from __future__ import annotations

import asyncio
from typing import Callable

from textual import constants

__all__ = ["PromptUpdates"]


class PromptUpdates:
    """A frame limiter with the two methods Textual's Screen calls on its update timer
    (``resume`` and ``pause``).

    ``update`` draws the screen; if it raises, the error goes to ``on_error`` and the
    callbacks waiting for the update still run."""

    def __init__(
        self,
        update: Callable[[], None],
        on_error: Callable[[Exception], None],
        period: float | None = None,
    ) -> None:
        self._update = update
        self._on_error = on_error
        self.period = period if period is not None else 1.0 / constants.MAX_FPS
        self._last = float("-inf")
        self._handle: asyncio.TimerHandle | asyncio.Handle | None = None
        self._after: list[Callable[[], object]] = []
        self.updates = 0
        """How many updates ran (for tests)."""

    def delay(self, now: float) -> float:
        """Seconds to wait at ``now`` before the next update may run."""
        return max(0.0, self._last + self.period - now)

    def resume(self) -> None:
        """Something needs drawing: update at the earliest moment the cap allows."""
        if self._handle is not None:
            return
        loop = asyncio.get_running_loop()
        wait = self.delay(loop.time())
        self._handle = loop.call_soon(self._fire) if wait == 0 else loop.call_later(wait, self._fire)

    def pause(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def after_next_update(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` right after the next update has been rendered and written."""
        self._after.append(callback)

    def _fire(self) -> None:
        self._handle = None
        self._last = asyncio.get_running_loop().time()
        try:
            self._update()
            self.updates += 1
        except Exception as error:  # as Textual's Timer does with a failing callback
            self._on_error(error)
        finally:
            callbacks, self._after = self._after, []
            for callback in callbacks:
                callback()
