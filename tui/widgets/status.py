"""StatusLine: run state, counters and the latest metrics, redrawn every frame."""

from __future__ import annotations

import math
import time
from typing import Any, Iterable

from rich.cells import cell_len, set_cell_size
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


def fit_line(fields: list[tuple[Text, int | None]], width: int, remark: str = "") -> Text:
    """The fields in one line of ``width`` cells (0: any): those with the lowest drop
    order go first, then the gaps narrow; a remark (in front) gets what is left."""
    kept = list(fields)

    def joined(gap: str) -> Text:
        return Text(gap).join(f for f, _ in kept)

    def fits(gap: str, room: int) -> bool:
        return not width or joined(gap).cell_len <= room

    reserve = cell_len(remark) + 3 if remark and width else 0
    gap = "  "
    while not fits(gap, width - reserve):
        droppable = [(order, i) for i, (_, order) in enumerate(kept) if order is not None]
        if gap == "  " and not droppable:
            gap = " "
            continue
        if not droppable:
            break
        del kept[min(droppable)[1]]
    line = joined(gap)
    t = Text(no_wrap=True, overflow="ellipsis")
    if remark:
        room = width - line.cell_len - 3 if width else len(remark) + 2
        shown = remark if cell_len(remark) + 2 <= room else set_cell_size(remark, max(room - 3, 1)).rstrip() + "…"
        if room > 3:
            t.append(f" {shown} ", style="bold reverse")
            t.append(" ")
    t.append_text(line)
    return t


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
        # Fields with the order they are dropped in when the line is too narrow (None:
        # never): the run's state and the claim's metrics always stay.
        fields: list[tuple[Text, int | None]] = []
        remark = self.remark
        if not remark:
            self._remark = ""
        last = dict(snap.last)
        diverged_metric = ""
        if snap.diverged:
            fields.append((Text(f" {ui('status.diverged', lang)} ", style="bold white on red"), None))
            fields.append((Text(f" {ui('status.reset_hint', lang)} ", style="bold"), 5))
            # the value that diverged, at the step shown (the history keeps only finite ones)
            parts = divergence(snap.message)
            if parts is not None:
                try:
                    last[parts["metric"]] = float(parts["value"])
                    diverged_metric = parts["metric"]
                except ValueError:
                    pass
        elif snap.converged:
            fields.append((Text(f" {ui('status.converged', lang)} ", style="bold black on green"), None))
        fields.append((Text(PLAYING if playing else PAUSED, style="bold"), None))
        fields.append((Text(speed_text(speed, lang)), 3))
        fields.append((Text(ui("status.step", lang, step=snap.step), style="bold"), 4))
        if snap.epoch:
            fields.append((Text(ui("status.epoch", lang, epoch=snap.epoch)), 1))
        names = metrics or tuple(last)
        shown = [name for name in names if name in last]
        # A run that diverged shows the value that went non-finite even when the lesson's
        # status metrics are others (accuracies stay finite while the loss is NaN); those
        # then give way to it (after the speed) on a narrow line.
        named_apart = bool(diverged_metric) and diverged_metric not in shown
        if named_apart:
            fields.append((Text("│ " + format_metric(diverged_metric, last[diverged_metric], lang)), None))
        for i, name in enumerate(shown):
            order = 3 if named_apart else None if metrics else 6 + len(shown) - i
            fields.append((Text("│ " + format_metric(name, last[name], lang)), order))
        if playing:
            fields.append((Text("│ " + ui("status.rate", lang, rate=rate), style="dim"), 0))
        fields.append((Text("│ " + (ui("status.seed", lang, seed=snap.seed) if seeded else ui("status.no_seed", lang)),
                            style="dim"), 2))
        width = self.content_region.width or self.size.width
        t = fit_line(fields, width, remark)
        self.update(t, layout=False)  # one line, always: no layout needed


#: How the key bar names keys (Textual's key names otherwise).
KEY_NAMES = {"question_mark": "?", "space": "space", "shift+tab": "⇧tab", "escape": "esc"}


#: The key bar's keys in the order they leave a narrow bar (by action); help (?) stays.
KEY_DROP_ORDER = ("palette", "save", "inspect", "quit", "next_lesson", "reset", "toggle_lang", "step_once")


class KeyBar(Static):
    """The screen's shown bindings in one line, in ``lang``: a Footer's worth without its
    widgets, so that switching the language is a repaint, not a layout. A binding's
    text is ``key.<action>`` in core/texts/_ui.py, else its description. When the line
    is too narrow, shorter labels (``key.<action>.short``) then fewer keys
    (KEY_DROP_ORDER); ? (help, which lists every key) always stays. ``hidden`` names
    actions not shown now (the page key on a large screen)."""

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
        self.hidden: set[str] = set()

    def on_mount(self) -> None:
        self.refresh_line()

    def on_resize(self) -> None:
        self.refresh_line()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.refresh_line()

    def set_hidden(self, hidden: set[str]) -> None:
        self.hidden = set(hidden)
        self.refresh_line()

    def refresh_line(self) -> None:
        if self.is_mounted:
            self.update(self.line(), layout=False)

    def keys(self) -> list[tuple[str, str]]:
        """(key name, action) of every binding shown, in order."""
        out = []
        for binding in self.bindings:
            action = binding.action.split("(")[0]
            if binding.show and action not in self.hidden:
                out.append((binding.key.split(",")[0], action))
        return out

    def label(self, action: str, short: bool) -> str:
        for key in ((f"key.{action}.short",) if short else ()) + (f"key.{action}",):
            if key in UI:
                return ui(key, self.lang)
        return next(b.description for b in self.bindings if b.action.split("(")[0] == action)

    def line(self, width: int | None = None) -> Text:
        width = self.size.width if width is None else width
        keys = self.keys()
        for short in (False, True):
            text = self._line(keys, short)
            if not width or text.cell_len <= width:
                return text
        for action in KEY_DROP_ORDER:
            keys = [(k, a) for k, a in keys if a != action]
            text = self._line(keys, True)
            if text.cell_len <= width:
                break
        return text

    def _line(self, keys: list[tuple[str, str]], short: bool) -> Text:
        t = Text(" ", no_wrap=True, overflow="ellipsis")
        gap = " " if short else "  "
        for i, (key, action) in enumerate(keys):
            t.append(KEY_NAMES.get(key, key), style="bold")
            t.append(f" {self.label(action, short)}" + (gap if i < len(keys) - 1 else ""))
        return t
