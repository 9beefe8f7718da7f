"""Weight initialization: per-layer activation histograms, gradient norm per layer, a
hidden layer's weights as a heatmap, and the loss."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from nndojo.core.experiment import Snapshot

from .layout import HeatmapPanel, HistogramPanel, Layout, PlotPanel, Row, T, TextPanel

BAR = "▏▎▍▌▋▊▉█"


def log_bars(values: np.ndarray, labels: list[str], width: int) -> Text:
    """One line per layer: a bar whose length is log10 of the value over the row's range."""
    t = Text()
    finite = values[np.isfinite(values) & (values > 0)]
    if finite.size == 0:
        for label in labels:
            t.append(f"{label:>3} —\n")
        return t
    lo, hi = math.log10(finite.min()) - 0.5, math.log10(finite.max())
    span = max(hi - lo, 1e-9)
    bar_width = max(width - 14, 4)
    for label, value in zip(labels, values):
        t.append(f"{label:>3} ", style="bold")
        if value > 0 and math.isfinite(value):
            eighths = int(round((math.log10(value) - lo) / span * bar_width * 8))
            full, part = divmod(max(eighths, 1), 8)
            t.append("█" * full + (BAR[part - 1] if part else ""), style="cyan")
            t.append(" " * (bar_width - full - (1 if part else 0)))
            t.append(f" {value:.1e}\n")
        else:
            t.append("·" + " " * (bar_width - 1) + f" {value:.1e}\n", style="dim")
    return t


def grad_bars(snap: Snapshot, lang: str, width: int) -> Text:
    v = snap.views
    return log_bars(np.asarray(v["grad_norms"], dtype=float), list(v["grad_names"]), width - 2)


def grad_rows(snap: Snapshot) -> int:
    """The gradient row's height: a bar per weight matrix and the border."""
    return len(snap.views["grad_names"]) + 2


def activation_range(snap: Snapshot) -> tuple[float, float] | None:
    """The activation's own range for squashing functions, so a collapse to a spike at the
    centre and saturation at the edges are both visible; ReLU's range is the data's."""
    return {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}.get(snap.values.get("activation", ""))


LAYOUT = Layout(
    HistogramPanel(T("activations by layer (h1 = input side)", "은닉층별 활성값 (h1 = 입력 쪽)"),
                   view="activations", labels_view="layer_names", value_range=activation_range),
    Row(TextPanel(T("‖∂L/∂W‖ by layer", "층별 ‖∂L/∂W‖"), id="grad-norms", text=grad_bars, heavy=True,
                  subtitle=T("log scale", "로그 눈금"), reads=("grad_norms", "grad_names")),
        HeatmapPanel(T("h2 weights", "h2 가중치"), subtitle=T("row = unit", "행 = 유닛"), view="weights",
                     origin="upper", legend_format=lambda v: f"{v:.2g}"),
        fit=grad_rows),
    PlotPanel(T("loss", "손실"), metrics={"loss": T("loss", "손실"), "unit_spread": T("unit spread", "유닛 간 차이")}),
    status=("loss", "accuracy"),
    speed=3,  # 100 steps/s: Xavier's loss falls over the first ~3 s; N(0, 1)'s erratic loss is seen forming
)
