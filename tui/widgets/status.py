"""StatusLine: run state, counters and the latest metrics, redrawn every frame."""

from __future__ import annotations

import math
import time
from typing import Any, Iterable

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from nndojo.core.experiment import Snapshot
from nndojo.core.texts._ui import UI, divergence, metric_name, speed_text, ui


def update_in_place(static: Static, text: Text | str) -> None:
    """``static.update(text)`` for content redrawn every frame. Textual's update lays out
    the whole screen again (a size might have changed): 10-20 ms a frame on a lesson
    screen, most of a frame's cost. Here that happens only when the number of lines
    changes; otherwise the widget is just repainted."""
    lines = str(text).count("\n") + 1
    relayout = getattr(static, "_nndojo_lines", None) != lines
    static._nndojo_lines = lines  # type: ignore[attr-defined]
    static.update(text, layout=relayout)


#: The pause mark: two ASCII bars (⏸ U+23F8 is missing from many terminal fonts).
PAUSED = "||"
PLAYING = "▶"


def format_metric(name: str, value: float, lang: str = "en") -> str:
    shown = metric_name(name, lang)
    if not math.isfinite(value):
        return f"{shown} {value}"
    if "accuracy" in name:
        return f"{shown} {value * 100:.1f}%"
    return f"{shown} {value:.4g}"


class StatusLine(Static):
    """One line: ▶/||, speed, step, epoch, metrics, steps/s, seed; DIVERGED / converged.
    Every word in ``lang`` (core/texts/_ui.py)."""

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

    def show(
        self,
        snap: Snapshot,
        *,
        playing: bool,
        speed: str,
        rate: float,
        metrics: tuple[str, ...] = (),
        lang: str = "en",
        seeded: bool = True,
    ) -> None:
        t = Text(no_wrap=True, overflow="ellipsis")
        remark = self.remark
        if not remark:
            self._remark = ""
        else:
            t.append(f" {remark} ", style="bold reverse")
            t.append(" ")
        last = dict(snap.last)
        if snap.diverged:
            t.append(f" {ui('status.diverged', lang)} ", style="bold white on red")
            t.append(f" {ui('status.reset_hint', lang)} ", style="bold")
            # the value that diverged, at the step shown (the history keeps only finite ones)
            parts = divergence(snap.message)
            if parts is not None and parts["metric"] in last:
                last[parts["metric"]] = float(parts["value"])
        elif snap.converged:
            t.append(f" {ui('status.converged', lang)} ", style="bold black on green")
        t.append(f"{PLAYING} " if playing else f"{PAUSED} ", style="bold")
        t.append(f"{speed_text(speed, lang)}  ")
        t.append(ui("status.step", lang, step=snap.step), style="bold")
        if snap.epoch:
            t.append("  " + ui("status.epoch", lang, epoch=snap.epoch))
        names = metrics or tuple(last)
        for name in names:
            if name in last:
                t.append("  │ ")
                t.append(format_metric(name, last[name], lang))
        if playing:
            t.append("  │ " + ui("status.rate", lang, rate=rate), style="dim")
        t.append("  │ " + (ui("status.seed", lang, seed=snap.seed) if seeded else ui("status.no_seed", lang)), style="dim")
        self.update(t, layout=False)  # one line, always: no layout needed


#: How the key bar names keys (Textual's key names otherwise).
KEY_NAMES = {"question_mark": "?", "space": "space", "shift+tab": "⇧tab", "escape": "esc"}


class KeyBar(Static):
    """The screen's shown bindings in one line, in ``lang``: a Footer's worth without its
    widgets, so that switching the language is a repaint, not a layout. A binding's
    text is ``key.<action>`` in core/texts/_ui.py, else its description."""

    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        width: 1fr;
        background: $panel;
    }
    """

    def __init__(self, bindings: Iterable[Binding] = (), lang: str = "en", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bindings = tuple(bindings)
        self.lang = lang

    def on_mount(self) -> None:
        self.update(self.line(), layout=False)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        if self.is_mounted:
            self.update(self.line(), layout=False)

    def line(self) -> Text:
        t = Text(" ", no_wrap=True, overflow="ellipsis")
        for binding in self.bindings:
            if not binding.show:
                continue
            key = binding.key.split(",")[0]
            action = binding.action.split("(")[0]
            text = ui(f"key.{action}", self.lang) if f"key.{action}" in UI else binding.description
            t.append(KEY_NAMES.get(key, key), style="bold")
            t.append(f" {text}  ")
        return t
