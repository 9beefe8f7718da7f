"""Gradient descent: the loss surface with the optimiser's path, the loss curve, and
the learning rate beside its critical value 2/λmax."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.tui.widgets.colors import format_value

from .layout import HeatmapPanel, Layout, Overlay, PlotPanel, Row, T, TextPanel


def unlog(value: float) -> str:
    """A legend end of the log10 loss map, as the loss above the minimum it stands for."""
    with np.errstate(over="ignore"):
        return format_value(float(np.power(10.0, value)))


def step_info(snap: Snapshot, lang: str, width: int) -> Text:
    """The learning rate beside 2/λmax, their ratio, the point and the gradient."""
    v = snap.views
    lr = snap.values["learning_rate"]
    crit = v["critical_lr"]
    t = Text()
    t.append("α        ", style="bold")
    t.append(f"{lr:.3g}\n")
    t.append("2/λmax   ", style="bold")
    t.append(f"{crit:.3g}\n")
    if crit and math.isfinite(crit):
        ratio = lr / crit
        style = "bold red" if ratio >= 1 else ("yellow" if ratio > 0.5 else "green")
        t.append("α·λmax/2 ", style="bold")
        t.append(f"{ratio:.2f}", style=style)
        diverges = "  (≥1이면 GD는 발산)\n" if lang == "ko" else "  (≥1 diverges for GD)\n"
        t.append(diverges if snap.values.get("optimizer") == "gd" else "\n", style="dim")
    a, b = v["axes"]
    p, g = v["point"], v["grad"]
    t.append(f"{a},{b}    ", style="bold")
    t.append(f"{p[0]:.3g}, {p[1]:.3g}\n")
    t.append("∇J       ", style="bold")
    t.append(f"{g[0]:.3g}, {g[1]:.3g}\n")
    return t


LAYOUT = Layout(
    # The map is log10(J - Jmin) (floored just above 0): the legend gives J - Jmin.
    HeatmapPanel(T("loss surface (log scale) with the optimiser's path", "손실 곡면 (로그 스케일)과 옵티마이저의 경로"),
                 id="surface", view="log_surface", cmap="sequential", legend="J−Jmin", legend_format=unlog,
                 overlay=Overlay(path="trajectory", point="point", extent="extent")),
    Row(PlotPanel(T("loss", "손실"), metrics=("loss",), log_y=True),
        TextPanel(T("step size", "스텝 크기"), id="gd-info", text=step_info, reads=("critical_lr", "axes", "point", "grad"))),
    status=("loss", "grad_norm"),
    speed=2,  # 20 steps/s: slow enough to watch the path zigzag
)
