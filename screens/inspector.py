"""Inspector (key w): histograms and statistics of the current model's parameters."""

from __future__ import annotations

import re

import numpy as np
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from nndojo.core.texts._ui import UI, ui
from nndojo.tui.textual_patches import PromptScreen
from nndojo.tui.runner import Runner
from nndojo.tui.widgets.histogram import Histogram


#: Arrays with at most this many numbers show their values, not a histogram.
FEW_VALUES = 8
PARAMETER_NAME = re.compile(r"^(?P<index>\d+):(?P<kind>\w+)\.(?P<array>\w+)$")


def readable_names(names: list[str], lang: str) -> list[str]:
    """"0:conv2d.W" -> "conv 1 · kernels" (layers counted by kind, from 1); names of
    another form are shown as they are."""
    numbers: dict[str, dict[str, int]] = {}  # kind -> layer index -> its number among its kind
    shown = []
    for name in names:
        m = PARAMETER_NAME.match(name)
        if m is None:
            shown.append(name)
            continue
        kind, index, array = m["kind"], m["index"], m["array"]
        of_kind = numbers.setdefault(kind, {})
        n = of_kind.setdefault(index, len(of_kind) + 1)
        layer_key = f"layer.{kind}" if f"layer.{kind}" in UI else "layer.other"
        array_key = next((k for k in (f"array.{array}.{kind}", f"array.{array}") if k in UI), None)
        shown.append(f"{ui(layer_key, lang, n=n)} · {ui(array_key, lang) if array_key else array}")
    return shown


class Inspector(PromptScreen, ModalScreen[None]):
    """Live view of every parameter array while training goes on underneath: one
    histogram per array, each over its own range; a few numbers are shown as they are."""

    BINDINGS = [Binding("escape,w,q", "close", "Close")]

    DEFAULT_CSS = """
    Inspector { align: center middle; }
    Inspector > Vertical {
        width: 95%; height: 95%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    Inspector #inspector-title { height: 1; text-style: bold; }
    Inspector #histograms { height: 1fr; grid-size: 2; grid-gutter: 0 2; }
    Inspector #histograms.-few { display: none; }
    Inspector Histogram { height: 1fr; min-height: 6; }
    Inspector #stats { height: auto; max-height: 50%; }
    """

    def __init__(self, runner: Runner, lang: str = "en") -> None:
        super().__init__()
        self.runner = runner
        self.lang = lang
        self._names: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(ui("inspector.title", self.lang), id="inspector-title")
            yield Grid(id="histograms")
            yield Static(id="stats")

    def on_mount(self) -> None:
        self.refresh_data()
        self.set_interval(0.5, self.refresh_data)

    def refresh_data(self) -> None:
        params = [(name, np.asarray(a, dtype=np.float64)) for name, a in self.runner.call(lambda e: e.inspect())]
        stats = self.query_one("#stats", Static)
        grid = self.query_one("#histograms", Grid)
        if not params:
            stats.update(ui("inspector.none", self.lang))
            grid.remove_children()
            return
        names = [name for name, _ in params]
        shown = readable_names(names, self.lang)
        few = all(a.size <= FEW_VALUES for _, a in params)
        grid.set_class(few, "-few")
        if names != self._names:  # one histogram per array, each with its own range
            self._names = names
            grid.remove_children()
            if not few:
                grid.styles.grid_size_columns = 1 if len(params) == 1 else 2
                hists = [Histogram(classes="parameter") for _ in params]
                for hist in hists:
                    hist.set_lang(self.lang)
                grid.mount_all(hists)
        if not few:
            for hist, label, (_, a) in zip(grid.query(Histogram), shown, params):
                hist.set_data([(label, a.ravel())])
        table = Table(box=None, padding=(0, 1), header_style="bold")
        columns = ("parameter", "shape", "values") if few else ("parameter", "shape", "mean", "std", "min", "max")
        for col in columns:
            table.add_column(ui(f"inspector.{col}", self.lang), justify="left" if col in ("parameter", "shape", "values") else "right")
        for label, (_, a) in zip(shown, params):
            with np.errstate(all="ignore"):
                if few:
                    row = [", ".join(f"{v:.6g}" for v in a.ravel())]
                else:
                    row = [f"{a.mean():.3g}", f"{a.std():.3g}", f"{a.min():.3g}", f"{a.max():.3g}"] if a.size else ["-"] * 4
            table.add_row(label, "×".join(map(str, a.shape)), *row)
        stats.update(table)

    def action_close(self) -> None:
        self.dismiss(None)
