"""Batch size: the three paths (batch 1, B, N) on one (w, b) surface, their loss curves
over epochs, updates or seconds, and the updates each makes per epoch."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any, Sequence

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.core.lessons.batch_size import N_POINTS, gradient
from nndojo.tui.widgets.xyplot import XYPlot

from .layout import Layout, Row, T, TextPanel, WidgetPanel, in_lang
from .surface_view import surface_panel

AXIS_NAMES = {"epochs": T("epochs", "에포크"), "updates": T("updates", "갱신 횟수"), "seconds": T("seconds", "초")}
FULL = T("full", "전체")
COLORS = ("grey", "magenta", "cyan")  # as the paths on the surface: white, pink, light blue


def arm_names(snap: Snapshot, lang: str) -> list[str]:
    """SGD, B=…, full: the three runs' names."""
    return ["SGD", f"B={snap.views['batches'][1]}", in_lang(FULL, lang)]


@lru_cache(maxsize=16)
def seconds_per_update(size: int) -> float:
    """Wall time of one update's gradient on ``size`` points, timed here (the fastest of
    a few repeats): only the plot's seconds axis reads the clock, never the runs."""
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(N_POINTS), rng.standard_normal(N_POINTS)
    p = np.zeros(2)
    idx = np.arange(size)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(50):
            gradient(p, x[idx], y[idx])
        best = min(best, (time.perf_counter() - start) / 50)
    return best


class LossCurves(XYPlot):
    """The three runs' loss over the chosen x axis (seconds: updates times the timed cost of one update)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(log_y=True, **kwargs)

    def draw(self, snap: Snapshot, lang: str) -> None:
        v = snap.views
        axis = v["x_axis"]
        names = arm_names(snap, lang)
        series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name, size, (x, loss) in zip(names, v["batches"], v["curves"]):
            x = np.asarray(x) * seconds_per_update(int(size)) if axis == "seconds" else np.asarray(x)
            series[name] = (x, np.asarray(loss))
        self.set_series(series, colors=dict(zip(names, COLORS)))


def curves_title(snap: Snapshot, lang: str) -> str:
    """The loss plot's title, naming its x axis."""
    axis = in_lang(AXIS_NAMES[snap.views["x_axis"]], lang)
    return f"손실 / {axis}" if lang == "ko" else f"loss / {axis}"


def counts(snap: Snapshot, lang: str, width: int) -> Text:
    """Per run: its batch size, updates per epoch, epochs done and its loss now."""
    v = snap.views
    ko = lang == "ko"
    t = Text(no_wrap=True, overflow="ellipsis")
    head = ("", "갱신/에포크" if ko else "upd/epoch", "에포크" if ko else "epochs", "손실" if ko else "loss")
    widths = (6, 11, 7, 8)
    def row(cells: Sequence[str], style: str = "") -> None:
        for cell, w in zip(cells, widths):
            t.append(" " * max(w - cell_len(cell), 0) + cell, style=style)
        t.append("\n")

    row(head, "bold")
    last = (snap.last.get("loss_sgd"), snap.last.get("loss"), snap.last.get("loss_full"))
    for name, per_epoch, epochs, loss in zip(arm_names(snap, lang), v["updates_per_epoch"], v["epochs"], last):
        row((name, str(per_epoch), f"{epochs:.2f}", "-" if loss is None else f"{loss:.3f}"))
    return t


LAYOUT = Layout(
    Row(surface_panel(T("three paths on one surface", "한 곡면 위의 세 경로"), labels=arm_names),
        height="3fr"),
    Row(WidgetPanel(curves_title, id="curves", widget=LossCurves, reads=("curves", "x_axis", "batches")),
        height="2fr"),
    Row(TextPanel(T("updates", "갱신"), id="counts", text=counts, reads=("updates_per_epoch", "epochs", "batches")),
        height=6),
    pages=((0,), (1, 2)),
    status=("loss",),
    speed=2,  # 20 steps/s: SGD's wandering is visible from the first second
)
