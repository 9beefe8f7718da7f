"""StatusLine: run state, counters and the latest metrics, redrawn every frame."""

from __future__ import annotations

import math
import time

from rich.text import Text
from textual.widgets import Static

from nndojo.core.experiment import Snapshot


def update_in_place(static: Static, text: Text | str) -> None:
    """``static.update(text)`` for content redrawn every frame. Textual's update lays out
    the whole screen again (a size might have changed): 10-20 ms a frame on a lesson
    screen, most of a frame's cost. Here that happens only when the number of lines
    changes; otherwise the widget is just repainted."""
    lines = str(text).count("\n") + 1
    relayout = getattr(static, "_nndojo_lines", None) != lines
    static._nndojo_lines = lines  # type: ignore[attr-defined]
    static.update(text, layout=relayout)


def format_metric(name: str, value: float) -> str:
    if not math.isfinite(value):
        return f"{name} {value}"
    if "accuracy" in name:
        return f"{name.replace('_', ' ')} {value * 100:.1f}%"
    return f"{name.replace('_', ' ')} {value:.4g}"


class StatusLine(Static):
    """One line: ▶/⏸, speed, step, epoch, metrics, steps/s, seed; DIVERGED / converged."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        background: $panel;
        padding: 0 1;
    }
    """

    _remark: str = ""
    _remark_until: float = 0.0

    def set_remark(self, message: str, seconds: float = 2.5) -> None:
        """A passing remark shown at the front of the line for ``seconds`` (drawn with
        the next ``show``). Unlike a toast it mounts no widget, lays nothing out and
        covers nothing."""
        self._remark, self._remark_until = message, time.monotonic() + seconds

    @property
    def remark(self) -> str:
        return self._remark if time.monotonic() < self._remark_until else ""

    @property
    def remark_expired(self) -> bool:
        """A remark is on screen whose time is up: the line needs drawing again."""
        return bool(self._remark) and time.monotonic() >= self._remark_until

    def show(self, snap: Snapshot, *, playing: bool, speed: str, rate: float, metrics: tuple[str, ...] = ()) -> None:
        t = Text(no_wrap=True, overflow="ellipsis")
        remark = self.remark
        if not remark:
            self._remark = ""
        else:
            t.append(f" {remark} ", style="bold reverse")
            t.append(" ")
        if snap.diverged:
            t.append(" DIVERGED ", style="bold white on red")
            t.append(" r: reset ", style="bold")
        elif snap.converged:
            t.append(" converged ", style="bold black on green")
        t.append("▶ " if playing else "⏸ ", style="bold")
        t.append(f"{speed}  ")
        t.append(f"step {snap.step:,}", style="bold")
        if snap.epoch:
            t.append(f"  epoch {snap.epoch:.2f}")
        names = metrics or tuple(snap.last)
        for name in names:
            if name in snap.last:
                t.append("  │ ")
                t.append(format_metric(name, snap.last[name]))
        if playing:
            t.append(f"  │ {rate:,.0f} steps/s", style="dim")
        t.append(f"  │ seed {snap.seed}", style="dim")
        self.update(t, layout=False)  # one line, always: no layout needed
