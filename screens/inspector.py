"""Inspector (key w): histograms and statistics of the current model's parameters."""

from __future__ import annotations

import numpy as np
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from nndojo.tui.textual_patches import PromptScreen
from nndojo.tui.runner import Runner
from nndojo.tui.widgets.histogram import Histogram


class Inspector(PromptScreen, ModalScreen[None]):
    """Live view of every parameter array while training goes on underneath."""

    BINDINGS = [Binding("escape,w,q", "close", "Close")]

    DEFAULT_CSS = """
    Inspector { align: center middle; }
    Inspector > Vertical {
        width: 95%; height: 95%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    Inspector #inspector-title { height: 1; text-style: bold; }
    Inspector Histogram { height: 1fr; min-height: 6; }
    Inspector #stats { height: auto; max-height: 50%; }
    """

    def __init__(self, runner: Runner) -> None:
        super().__init__()
        self.runner = runner

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Weights: every parameter array of the current model  (w / esc: close)", id="inspector-title")
            yield Histogram(id="weights")
            yield Static(id="stats")

    def on_mount(self) -> None:
        self.refresh_data()
        self.set_interval(0.5, self.refresh_data)

    def refresh_data(self) -> None:
        params = self.runner.call(lambda e: e.inspect())
        hist = self.query_one(Histogram)
        stats = self.query_one("#stats", Static)
        if not params:
            stats.update("This lesson has no model parameters to inspect.")
            hist.set_data([])
            return
        hist.set_data([(name, np.asarray(a, dtype=np.float64).ravel()) for name, a in params])
        table = Table(box=None, padding=(0, 1), header_style="bold")
        for col in ("parameter", "shape", "mean", "std", "min", "max"):
            table.add_column(col, justify="left" if col in ("parameter", "shape") else "right")
        for name, a in params:
            a = np.asarray(a, dtype=np.float64)
            with np.errstate(all="ignore"):
                row = [f"{a.mean():.3g}", f"{a.std():.3g}", f"{a.min():.3g}", f"{a.max():.3g}"] if a.size else ["-"] * 4
            table.add_row(name, "×".join(map(str, a.shape)), *row)
        stats.update(table)

    def action_close(self) -> None:
        self.dismiss(None)
