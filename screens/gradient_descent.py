"""Gradient descent: the loss surface with the optimiser's path, the loss curve, and
the learning rate beside its critical value 2/λmax."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from nndojo.tui.widgets.status import update_in_place
from nndojo.core.experiment import Snapshot
from nndojo.core.lessons.gradient_descent import GradientDescent
from nndojo.tui.widgets import Heatmap, LinePlot
from nndojo.tui.widgets.colors import format_value

from .base import LessonScreen, panel


def unlog(value: float) -> str:
    """A legend end of the log10 loss map, as the loss above the minimum it stands for."""
    with np.errstate(over="ignore"):
        return format_value(float(np.power(10.0, value)))


class GradientDescentScreen(LessonScreen):
    experiment_class = GradientDescent
    status_metrics = ("loss", "grad_norm")
    default_speed = 2  # 20 steps/s: slow enough to watch the path zigzag

    def compose_panels(self) -> ComposeResult:
        yield panel(Heatmap(id="surface"), "loss surface (log scale) with the optimiser's path")
        with Horizontal(classes="row", id="gd-bottom"):
            plot = panel(LinePlot(id="loss-plot"), "loss (log)")
            plot.log_y = True
            yield plot
            yield panel(Static(id="gd-info"), "step size")

    def update_panels(self, snap: Snapshot, heavy: bool) -> None:
        v = snap.views
        plot = self.query_one("#loss-plot", LinePlot)
        if "loss" in snap.metrics:
            plot.set_series({"loss": snap.metrics["loss"]})
        update_in_place(self.query_one("#gd-info", Static), self._info(snap))
        surface = self.query_one("#surface", Heatmap)
        if heavy:
            # The map is log10(J - Jmin) (floored just above 0): the legend gives J - Jmin.
            surface.set_data(v["log_surface"], cmap="sequential", title="J−Jmin", legend_format=unlog)
        surface.set_overlay(v["trajectory"], v["point"], extent=v["extent"])

    def _info(self, snap: Snapshot) -> Text:
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
            t.append("  (≥1 diverges for GD)\n" if snap.values.get("optimizer") == "gd" else "\n", style="dim")
        a, b = v.get("axes", ("w1", "w2"))
        p, g = v["point"], v["grad"]
        t.append(f"{a},{b}    ", style="bold")
        t.append(f"{p[0]:.3g}, {p[1]:.3g}\n")
        t.append("∇J       ", style="bold")
        t.append(f"{g[0]:.3g}, {g[1]:.3g}\n")
        return t
