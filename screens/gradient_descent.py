"""Gradient descent: the loss surface with the optimiser's path, the loss curve, and
the learning rate beside the chosen optimiser's bound (2/λmax for plain GD)."""

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


BOUND_NAMES = {"gd": "2/λmax", "momentum": "2(1+β)/λmax"}


def step_info(snap: Snapshot, lang: str, width: int) -> Text:
    """The learning rate beside the chosen optimiser's bound (plain GD 2/λmax, momentum
    2(1+β)/λmax, none for Adam), their ratio, λmax where the point is, the point and the
    gradient."""
    v = snap.views
    ko = lang == "ko"
    lr = snap.values["learning_rate"]
    optimizer = snap.values.get("optimizer", "gd")
    crit = v["critical_lr"]
    local = v["lambda_max_here"] != v["lambda_max"] or snap.values.get("surface") == "rosenbrock"
    t = Text()
    t.append("α        ", style="bold")
    t.append(f"{lr:.3g}\n")
    if crit is not None and math.isfinite(crit):
        name = BOUND_NAMES.get(optimizer, "2/λmax")
        t.append(f"{name:<9}", style="bold")
        t.append(f"{crit:.3g}")
        if local:
            t.append("  (여기서의 값)" if ko else "  (local)", style="dim")
        t.append("\n")
        ratio = lr / crit
        style = "bold red" if ratio >= 1 else ("yellow" if ratio > 0.5 else "green")
        t.append("α/한계    " if ko else "α/bound  ", style="bold")
        t.append(f"{ratio:.2f}", style=style)
        t.append("  (≥1이면 발산)\n" if ko else "  (≥1 diverges)\n", style="dim")
    else:
        t.append("Adam: 정해진 한계 없음\n" if ko else "Adam: no fixed bound on α\n", style="dim")
    t.append("λmax     ", style="bold")
    t.append(f"{v['lambda_max_here']:.3g}\n")
    a, b = v["axes"]
    p, g = v["point"], v["grad"]
    t.append(f"{a},{b}    ", style="bold")
    t.append(f"{p[0]:.3g}, {p[1]:.3g}\n")
    t.append("∇J       ", style="bold")
    t.append(f"{g[0]:.3g}, {g[1]:.3g}\n")
    return t


LAYOUT = Layout(
    # The map is log10(J - Jmin) (floored just above 0): the legend gives J - Jmin.
    HeatmapPanel(T("loss surface (log scale) and the path", "손실 곡면(로그 스케일)과 경로"),
                 id="surface", view="log_surface", cmap="sequential", legend="J−Jmin", legend_format=unlog,
                 overlay=Overlay(path="trajectory", point="point", extent="extent")),
    Row(PlotPanel(T("loss", "손실"), metrics=("loss",), log_y=True),
        TextPanel(T("step size", "스텝 크기"), id="gd-info", text=step_info, reads=("critical_lr", "lambda_max", "lambda_max_here", "axes", "point", "grad"))),
    status=("loss", "grad_norm"),
    speed=2,  # 20 steps/s: slow enough to watch the path zigzag
)
