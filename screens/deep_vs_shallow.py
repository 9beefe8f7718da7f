"""Deep vs shallow: both nets' fits drawn over the target, both whole-data losses on one
plot, and the two nets side by side: shape, parameters, linear pieces."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.tui.widgets import XYPlot

from .layout import Layout, PlotPanel, Row, T, TextPanel, WidgetPanel, in_lang

NAMES = {"target": T("target", "목표"), "deep": T("deep", "깊은 망"), "shallow": T("shallow", "얕은 망")}
COLUMNS = (T("net", "망"), T("params", "파라미터"), T("pieces", "조각"), T("loss", "손실"))
WIDTHS = (8, 8, 7, 7)  # cells per column, the first left-aligned
PIECES_NOTE = T("pieces: linear pieces on [-1, 1]", "조각: [-1, 1]에서 직선 조각 수")
NO_PIECES = T("(tanh: not piecewise linear)", "(tanh: 조각별 직선이 아님)")


class FitPlot(XYPlot):
    """The target and both nets' outputs over x."""

    def draw(self, snap: Snapshot, lang: str) -> None:
        v = snap.views
        x = v["x"]
        names = {k: in_lang(t, lang) for k, t in NAMES.items()}
        grid = v["grid"]
        self.set_series({names["target"]: (x, v["target"]), names["deep"]: (grid, v["fit_deep"]),
                         names["shallow"]: (grid, v["fit_shallow"])},
                        colors={names["target"]: "grey", names["deep"]: "blue", names["shallow"]: "orange"})


def shape_text(shape: list[int]) -> str:
    """1-8-8-8-8-1, or 1-8×4-1 when it is long."""
    inner = shape[1:-1]
    body = "-".join(map(str, inner)) if len(inner) <= 3 else f"{inner[0]}×{len(inner)}"
    return f"1-{body}-1"


def cells(values: list[str]) -> str:
    """The columns padded to WIDTHS terminal cells (wide characters count two)."""
    out = []
    for i, (value, width) in enumerate(zip(values, WIDTHS)):
        fill = " " * max(width - cell_len(value), 0)
        out.append(value + fill if i == 0 else fill + value)
    return "".join(out)


def nets_text(snap: Snapshot, lang: str, width: int) -> Text:
    """A line per net: its name, parameters, linear pieces and whole-data loss, its shape
    below; then the target's pieces and a note on what a piece is."""
    v = snap.views
    pieces = v["pieces"]
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(cells([in_lang(c, lang) for c in COLUMNS]) + "\n", style="bold")
    for name, colour in (("deep", "blue"), ("shallow", "dark_orange")):
        loss = snap.last.get(f"{name}/train_loss")
        count = pieces[name]
        row = cells([in_lang(NAMES[name], lang), str(v["params"][name]), "—" if count is None else str(count),
                     "—" if loss is None else format(loss, ".3g")])
        label = in_lang(NAMES[name], lang)
        t.append(label, style=f"bold {colour}")
        t.append(row[len(label):] + "\n")
        t.append(f"  {shape_text(v['shapes'][name])}\n", style="dim")
    t.append(cells([in_lang(NAMES["target"], lang), "", str(pieces["target"]), ""]) + "\n", style="bold")
    t.append(in_lang(PIECES_NOTE if pieces["deep"] is not None else NO_PIECES, lang), style="dim")
    return t


LAYOUT = Layout(
    WidgetPanel(T("fits over the data", "데이터 위의 적합"), id="fits", widget=FitPlot,
                reads=("x", "target", "grid", "fit_deep", "fit_shallow")),
    PlotPanel(T("loss, all points", "손실, 전체 점"), id="loss-plot", log_y=True,
              metrics={"deep/train_loss": NAMES["deep"], "shallow/train_loss": NAMES["shallow"]}),
    Row(TextPanel(T("same budget", "같은 예산"), id="nets", text=nets_text, reads=("shapes", "params", "pieces")),
        height=9),
    pages=((0,), (1, 2)),
    status=("deep/train_loss", "shallow/train_loss"),
    speed=None,  # as fast as it goes (several hundred steps/s): the deep net pulls ahead by step 1,000-2,000
)
