"""Screen updates that go out as soon as the frame-rate cap allows.

Textual draws a screen's changes from a repeating Timer, paused while there is
nothing to draw and resumed when a widget asks for a repaint. After a pause that
Timer waits for its next tick on a fixed grid, and a tick it has fallen behind on
is skipped to the one after: a key pressed 20 ms after the last frame waited 17 to
33 ms more before its effect was even rendered (measured with a trace of the CNN
lesson training at full speed: key handled at +13 ms, frame at +43 ms). That wait
was the largest part of what was left of the key latency.

``PromptUpdates`` takes the Timer's place: it keeps the same cap (at most one
update per ``1 / MAX_FPS`` seconds) but schedules an update for the earliest moment
the cap allows, so an update asked for after a quiet spell happens at once. It also
runs callbacks once the next update is on its way to the terminal, which is when
training may go on after a key or a frame (see ``Runner.yield_to_ui``).
"""

from __future__ import annotations

import asyncio
from typing import Callable

from textual import constants
from textual.screen import Screen

__all__ = ["PromptUpdates", "PromptScreen", "after_next_update"]


class PromptUpdates:
    """A frame limiter with the two methods Textual's Screen calls on its update timer."""

    def __init__(self, screen: Screen, period: float | None = None) -> None:
        self._screen = screen
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
        screen = self._screen
        self._last = asyncio.get_running_loop().time()
        try:
            screen._on_timer_update()
            self.updates += 1
        except Exception as error:  # as Textual's Timer does with a failing callback
            screen.app._handle_exception(error)
        finally:
            callbacks, self._after = self._after, []
            for callback in callbacks:
                callback()


class PromptScreen:
    """Mix into a Screen (before it: ``class S(PromptScreen, Screen)``) so that its
    updates go out as soon as the frame-rate cap allows."""

    @property
    def _update_timer(self) -> PromptUpdates:  # type: ignore[override]
        updates = self.__dict__.get("_prompt_updates")
        if updates is None:
            updates = self.__dict__["_prompt_updates"] = PromptUpdates(self)
        return updates


def after_next_update(screen: Screen, callback: Callable[[], object]) -> None:
    """Run ``callback`` once ``screen``'s next update is written (or after its next
    refresh, for a screen that is not a PromptScreen, such as the command palette)."""
    if isinstance(screen, PromptScreen):
        screen._update_timer.after_next_update(callback)
    else:
        screen.call_after_refresh(callback)
