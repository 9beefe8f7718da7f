"""One-hot encoding: the encoding table, each colour's target and both models' fits, and
both loss curves with the integer labels' least-squares floor."""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.core.texts.one_hot import COLOURS
from nndojo.tui.widgets import XYPlot

from .layout import Layout, PlotPanel, Row, T, TextPanel, WidgetPanel, in_lang

#: A swatch colour per category, in list order (names of Rich's 256-colour palette).
SWATCHES = ("red", "dark_orange", "yellow", "green", "blue", "navy_blue", "purple", "hot_pink",
            "orange4", "grey50", "grey11", "white")

HEADERS = {
    "one-hot": (T("colour", "색"), T("one-hot columns", "원-핫 열"), T("target", "목표"), T("pred.", "예측")),
    "integer": (T("colour", "색"), T("label → input", "라벨 → 입력"), T("target", "목표"), T("pred.", "예측")),
}
NAME_WIDTH = 6  # the longest colour name ("orange", "purple")
MISS = 0.05  # a prediction this far from its target is shown in red
FOOTER = T("{name} MSE {mse:.2g}", "{name} MSE {mse:.2g}")
FLOOR = T(" (floor {floor:.2g})", " (바닥 {floor:.2g})")
NAMES = {"one-hot": T("one-hot", "원-핫"), "integer": T("integer", "정수"), "target": T("target", "목표")}


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` terminal cells (wide characters count two)."""
    fill = " " * max(width - cell_len(text), 0)
    return fill + text if right else text + fill


def encoding_table(snap: Snapshot, lang: str, width: int) -> Text:
    """A row per colour: its swatch and name, its input (the one-hot columns or the integer
    label and the standardised number the model reads), its target and the chosen model's
    prediction; a header line and a footer with that model's mean squared error."""
    v = snap.views
    encoding = v["encoding"]
    k = len(v["targets"])
    spaced = width >= 30 + 2 * k
    code_width = (2 * k - 1 if spaced else k) if encoding == "one-hot" else 13
    headers = [in_lang(h, lang) for h in HEADERS[encoding]]
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append("  " + pad(headers[0], NAME_WIDTH) + " " + pad(headers[1], code_width) + " "
             + pad(headers[2], 6, right=True) + " " + pad(headers[3], 6, right=True) + "\n", style="bold")
    preds = v["pred_one_hot"] if encoding == "one-hot" else v["pred_integer"]
    for c in range(k):
        t.append("■ ", style=SWATCHES[c])
        t.append(pad(in_lang(COLOURS[c], lang), NAME_WIDTH) + " ")
        if encoding == "one-hot":
            for j in range(k):
                t.append("1" if j == c else "0", style="bold" if j == c else "dim")
                if spaced and j < k - 1:
                    t.append(" ")
        else:
            t.append(pad(f"{int(v['labels'][c]):>2} → {float(v['inputs'][c]):+5.2f}", code_width))
        target, pred = float(v["targets"][c]), float(preds[c])
        t.append(f" {target:+6.2f} ")
        t.append(f"{pred:+6.2f}", style="bold red" if abs(pred - target) > MISS else "green")
        t.append("\n")
    counts = np.asarray(v["counts"], dtype=np.float64)
    mse = float(np.sum(counts * (np.asarray(preds, dtype=np.float64) - v["targets"]) ** 2) / counts.sum())
    t.append(FOOTER[lang].format(name=in_lang(NAMES[encoding], lang), mse=mse), style="dim")
    if encoding == "integer":
        t.append(FLOOR[lang].format(floor=float(v["floor"])), style="dim")
    return t


class CategoryFit(XYPlot):
    """Each colour's target and both models' predictions over the integer label: the
    integer model's predictions are a line over the labels, the one-hot model's a point each."""

    def draw(self, snap: Snapshot, lang: str) -> None:
        v = snap.views
        labels = np.asarray(v["labels"], dtype=np.float64)
        order = np.argsort(labels)
        target, one_hot, integer = (in_lang(NAMES[n], lang) for n in ("target", "one-hot", "integer"))
        self.set_series(
            {target: (labels, v["targets"]),
             integer: (labels[order], np.asarray(v["pred_integer"])[order]),
             one_hot: (labels, v["pred_one_hot"])},
            colors={target: "grey", integer: "orange", one_hot: "blue"},
            kinds={target: "scatter", integer: "line+scatter", one_hot: "scatter"},
        )


def table_rows(snap: Snapshot) -> int:
    """The table row's height: a header, a line per colour, the footer and the border."""
    return len(snap.views["targets"]) + 4


LAYOUT = Layout(
    Row(TextPanel(T("encoding table", "인코딩 표"), id="encoding-table", text=encoding_table,
                  reads=("labels", "inputs", "targets", "counts", "pred_integer", "pred_one_hot", "encoding", "floor")),
        height=12, fit=table_rows),
    Row(WidgetPanel(T("fit per colour", "색별 적합"), id="category-fit", widget=CategoryFit,
                    subtitle=T("x: integer label", "x: 정수 라벨"),
                    reads=("labels", "targets", "pred_integer", "pred_one_hot")),
        PlotPanel(T("loss", "손실"), id="loss-plot", log_y=True,
                  metrics={"integer/loss": T("integer", "정수"), "one-hot/loss": T("one-hot", "원-핫"),
                           "floor": T("floor", "바닥")})),
    status=("integer/loss", "one-hot/loss"),
    # the loss legend (three lines, the smoothing and log notes) needs 24 columns for its
    # two lines: at 80x24 the fit per colour gives up two of its own
    css="#loss-plot { min-width: 26; }",
    speed=2,  # 20 steps/s: the integer loss sits on its floor within a second; one-hot passes 1e-4 by about 5 s
)
