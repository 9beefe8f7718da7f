"""Weight initialization: per-layer activation histograms, gradient norm per layer, a
hidden layer's weights as a heatmap, and the loss."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from nndojo.tui.widgets.status import update_in_place
from nndojo.core.experiment import Snapshot
from nndojo.core.lessons.weight_init import WeightInit
from nndojo.tui.widgets import Heatmap, Histogram, LinePlot

from .base import LessonScreen, panel

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


class WeightInitScreen(LessonScreen):
    experiment_class = WeightInit
    status_metrics = ("loss", "accuracy")

    def compose_panels(self) -> ComposeResult:
        yield panel(Histogram(id="activations"), "activations per hidden layer (input side first)")
        with Horizontal(classes="row"):
            yield panel(Static(id="grad-norms"), "‖∂L/∂W‖ per layer (log)")
            yield panel(Heatmap(id="weights"), "h2 weights (row = unit)")
        yield panel(LinePlot(id="loss-plot"), "loss")

    def update_panels(self, snap: Snapshot, heavy: bool) -> None:
        v = snap.views
        if "loss" in snap.metrics:
            self.query_one("#loss-plot", LinePlot).set_series({k: snap.metrics[k] for k in ("loss", "unit_spread") if k in snap.metrics})
        if not heavy:
            return
        names = list(v["layer_names"])
        hist = self.query_one("#activations", Histogram)
        act = snap.values.get("activation")
        # The activation's own range for squashing functions, so a collapse to a spike at
        # the centre and saturation at the edges are both visible; ReLU's range is the data's.
        value_range = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}.get(act)
        hist.set_data(list(zip(names, v["activations"])), range=value_range)
        grads = self.query_one("#grad-norms", Static)
        norms = np.asarray(v["grad_norms"], dtype=float)
        update_in_place(grads, log_bars(norms, list(v["grad_names"]), grads.size.width - 2))
        self.query_one("#weights", Heatmap).set_data(np.asarray(v["weights"]), cmap="diverging", origin="upper")
