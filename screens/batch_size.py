"""Batch size: the three paths (batch 1, B, N) on one (w, b) surface, their loss curves
over epochs, updates or seconds, and the updates each makes per epoch."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, Sequence

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from nndojo.core.compare import PinnedRun, pin_label
from nndojo.core.experiment import Snapshot
from nndojo.core.lessons.batch_size import N_POINTS, gradient
from nndojo.tui.widgets.xyplot import GHOST_COLORS, XYPlot

from .layout import Layout, PlotPanel, Row, T, TextPanel, in_lang
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


ARM_METRICS = ("loss_sgd", "loss", "loss_full")  # the three runs' loss histories, in arm order


def on_axis(updates: np.ndarray, size: int, axis: str) -> np.ndarray:
    """x of a run of batch ``size`` after ``updates`` updates, on ``axis``."""
    updates = np.asarray(updates, dtype=np.float64)
    if axis == "epochs":
        return updates * size / N_POINTS
    if axis == "seconds":
        return updates * seconds_per_update(size)
    return updates


class LossCurves(XYPlot):
    """The three runs' loss over the chosen x axis (seconds: updates times the timed cost
    of one update), and pinned runs' curves as ghosts on the same axis."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(log_y=True, **kwargs)

    def draw(self, snap: Snapshot, lang: str, pins: Sequence[PinnedRun] = (), ghosted: Sequence[str] = ()) -> None:
        v = snap.views
        axis = v["x_axis"]
        names = arm_names(snap, lang)
        series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name, size, (x, loss) in zip(names, v["batches"], v["curves"]):
            x = np.asarray(x) * seconds_per_update(int(size)) if axis == "seconds" else np.asarray(x)
            series[name] = (x, np.asarray(loss))
        colors: dict[str, int | str] = dict(zip(names, COLORS))
        for i, run in enumerate(pins):
            label = pin_label(i, run, snap.values, snap.seed, lang)
            sizes = (1, int(run.values.get("batch", v["batches"][1])), N_POINTS)
            for metric in ghosted:
                curve = run.curve(metric)
                if curve is None or metric not in ARM_METRICS:
                    continue
                arm = ARM_METRICS.index(metric)
                # the run's name, unless the label names its batch size already ("#1 B 4")
                key = label if arm == 1 and sizes[1] != v["batches"][1] else f"{pinned_arm_name(sizes[arm], lang)} {label}"
                series[key] = (on_axis(curve[0], sizes[arm], axis), curve[1])
                colors[key] = GHOST_COLORS[i % len(GHOST_COLORS)]
        self.set_series(series, colors=colors, ghosts=[k for k in series if k not in names])


def pinned_arm_name(size: int, lang: str) -> str:
    """SGD, B=…, full: a pinned run's name for its run of batch ``size``."""
    return "SGD" if size == 1 else in_lang(FULL, lang) if size == N_POINTS else f"B={size}"


@dataclass(frozen=True, kw_only=True)
class LossCurvesPanel(PlotPanel):
    """The three loss curves (LossCurves) as a plot panel: it gets the pinned runs, and
    draws each one's curves of the status metrics as ghosts on the chosen x axis."""

    kind: ClassVar[str] = "widget"

    def make(self) -> LossCurves:  # type: ignore[override]
        return LossCurves()

    def draw(self, widget: Any, snap: Snapshot, lang: str, pins: Sequence[PinnedRun] = (),
             status: Sequence[str] = ()) -> None:
        widget.draw(snap, lang, pins, self.ghosted(status) if pins else ())


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
    Row(LossCurvesPanel(curves_title, id="curves", reads=("curves", "x_axis", "batches"),
                        metrics={"loss_sgd": T("SGD", "SGD"), "loss": T("mini-batch", "미니배치"), "loss_full": FULL}),
        height="2fr"),
    Row(TextPanel(T("updates", "갱신"), id="counts", text=counts, reads=("updates_per_epoch", "epochs", "batches")),
        height=6),
    pages=((0,), (1, 2)),
    status=("loss",),
    speed=2,  # 20 steps/s: SGD's wandering is visible from the first second
)
