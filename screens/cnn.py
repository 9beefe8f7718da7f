"""CNN: learned kernels, the chosen digit and its feature maps, the sliding dot
product at one position, and loss and accuracy curves."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from nndojo.tui.widgets.status import update_in_place
from nndojo.core.experiment import Snapshot
from nndojo.core.lessons.cnn import CNN
from nndojo.tui.widgets import FilterGrid, LinePlot

from .base import LessonScreen, panel


def short(x: float, signed: bool = False) -> str:
    """A number in four characters: ".44", "+.05", "-1.2", "+12"."""
    sign = ("+" if x >= 0 else "-") if signed else ("-" if x < 0 else "")
    a = abs(x)
    if a < 0.995:
        body = f"{a:.2f}"[1:] if signed else f"{a:.2f}"
    elif a < 9.95:
        body = f"{a:.1f}"
    else:
        body = f"{a:.0f}"
    return (sign + body).rjust(4)


def dot_text(dot: dict, width: int) -> Text:
    """patch ⊙ kernel = products, as many blocks as fit in ``width`` columns."""
    k = dot["kernel"].shape[0]
    blocks = [("patch", dot["patch"], False), ("kernel", dot["kernel"], True), ("products", dot["products"], True)]
    block_width = 5 * k
    n = 3
    while n > 1 and n * block_width + 2 * (n - 1) > width:
        n -= 1
    blocks = blocks[:n]
    t = Text(no_wrap=True)
    for i, (name, _, _) in enumerate(blocks):
        t.append(name.center(block_width), style="dim")
        if i < n - 1:
            t.append("  ")
    t.append("\n")
    for r in range(k):
        for i, (_, grid, signed) in enumerate(blocks):
            t.append(" ".join(short(float(v), signed) for v in grid[r]) + " ")
            if i < n - 1:
                t.append(("⊙ " if i == 0 else "= ") if r == k // 2 else "  ", style="bold")
        t.append("\n")
    return t


class CNNScreen(LessonScreen):
    experiment_class = CNN
    status_metrics = ("loss", "test_accuracy")

    def compose_panels(self) -> ComposeResult:
        with Horizontal(classes="row", id="cnn-maps"):
            yield panel(FilterGrid(id="kernels"), "learned kernels")
            yield panel(FilterGrid(id="feature-maps"), "feature maps of the digit")
        with Horizontal(classes="row", id="cnn-dot"):
            yield panel(FilterGrid(id="digit"), "test digit")
            yield panel(Static(id="dot"), "one output = Σ patch ⊙ kernel + b")
        with Horizontal(classes="row"):
            loss = panel(LinePlot(id="loss-plot"), "loss (log)")
            loss.log_y = True
            yield loss
            yield panel(LinePlot(id="acc-plot"), "accuracy")

    def update_panels(self, snap: Snapshot, heavy: bool) -> None:
        m = snap.metrics
        if "loss" in m:
            self.query_one("#loss-plot", LinePlot).set_series({"loss": m["loss"]})
        acc = {k.replace("_accuracy", ""): m[k] for k in ("train_accuracy", "test_accuracy") if k in m}
        if acc:
            self.query_one("#acc-plot", LinePlot).set_series(acc)
        if not heavy:
            return
        v = snap.views
        kernels = np.asarray(v["kernels"])
        labels = [f"f{i}" for i in range(len(kernels))]
        self.query_one("#kernels", FilterGrid).set_data(kernels, labels=labels)
        self.query_one("#feature-maps", FilterGrid).set_data(np.asarray(v["feature_maps"]), labels=labels)
        digit = self.query_one("#digit", FilterGrid)
        confidence = float(np.max(v["probs"])) * 100
        digit.set_data(np.asarray(v["image"])[None], labels=[f"is {v['label']}"], cmap="sequential")
        digit.border_title = f"test digit #{snap.values['sample']}"
        digit.border_subtitle = f"net: {v['prediction']} ({confidence:.0f}%)"
        update_in_place(self.query_one("#dot", Static), self._dot(v["dot"]))
        height = len(v["kernels"][0]) + 4
        box = self.query_one("#cnn-dot")
        if box.styles.height is None or box.styles.height.value != height:
            box.styles.height = height

    def _dot(self, dot: dict) -> Text:
        width = max(self.query_one("#dot").size.width, 20)
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(f"f{dot['filter']} ({dot['row']},{dot['col']}) ", style="bold")
        t.append(f"Σ{dot['sum']:+.2f} b{dot['bias']:+.2f} → ")
        t.append(f"{dot['output']:+.3f}", style="bold")
        ok = math.isclose(dot["sum"] + dot["bias"], dot["output"], rel_tol=1e-4, abs_tol=1e-5)
        t.append(" ✓" if ok else " ✗", style="green" if ok else "red")
        t.append("\n")
        t.append_text(dot_text(dot, width))
        return t
