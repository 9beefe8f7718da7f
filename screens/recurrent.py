"""Feedforward vs recurrent: the RNN's hidden state unrolled over one sequence, the
sequence with both nets' predictions, both parameter counts, and loss and accuracy."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.core.rnn import mlp_params, rnn_params

from .layout import HeatmapPanel, Layout, PlotPanel, Row, T, TextPanel, in_lang

ROW_NAMES = {"en": ("x", "y", "RNN", "win"), "ko": ("x", "y", "RNN", "창")}
LABEL = 5


def sequence_view(snap: Snapshot, lang: str, width: int) -> Text:
    """One validation sequence step by step: input bits, targets (· where there is none
    yet), and each net's predicted bit, green where right and red where wrong; then both
    parameter counts and how they grow with the window and the length."""
    v = snap.views
    length = int(v["length"])
    shown = max(min(length, max(width, 20) - LABEL), 1)
    x, y, mask = v["x"], v["y"], v["mask"]
    names = ROW_NAMES.get(lang, ROW_NAMES["en"])
    t = Text(no_wrap=True, overflow="ellipsis")
    ruler = "".join("|" if i % 10 == 0 else "·" if i % 5 == 0 else " " for i in range(shown))
    t.append(" " * LABEL + ruler + "\n", style="dim")
    t.append(names[0].ljust(LABEL), style="bold")
    t.append("".join("1" if b > 0 else "0" for b in x[:shown]) + "\n")
    t.append(names[1].ljust(LABEL), style="bold")
    t.append("".join(("1" if b > 0.5 else "0") if m else "·" for b, m in zip(y[:shown], mask[:shown])) + "\n")
    for name, probs in ((names[2], v["rnn_prob"]), (names[3], v["mlp_prob"])):
        t.append(name + " " * max(LABEL - cell_len(name), 1), style="bold")
        for p, b, m in zip(probs[:shown], y[:shown], mask[:shown]):
            guess = p > 0.5
            if not m:
                t.append("·", style="dim")
            else:
                t.append("1" if guess else "0", style="bold green" if guess == (b > 0.5) else "bold red")
        t.append("\n")
    H, w = int(v["hidden_units"]), int(v["window"])
    t.append(in_lang(T("parameters", "파라미터 수"), lang) + ": ", style="bold")
    t.append(f"RNN {v['rnn_count']} · {names[3]} {v['mlp_count']}\n")
    t.append(in_lang(T("window", "창"), lang) + " 1→8: ", style="dim")
    t.append(" ".join(str(mlp_params(n, H)) for n in range(1, 9)) + "\n")
    t.append(in_lang(T("RNN, length", "RNN, 길이"), lang) + " 10→60: ", style="dim")
    t.append(" ".join(str(rnn_params(1, H)) for _ in range(10, 70, 10)))
    if w < int(v["k"]) + 1:
        t.append("\n" + in_lang(T(f"window {w} < k+1 = {int(v['k']) + 1}: x(t−k) is never in view",
                                  f"창 {w} < k+1 = {int(v['k']) + 1}: x(t−k)가 창에 들어오지 않음"), lang), style="yellow")
    else:
        t.append("\n" + in_lang(T(f"window {w} ≥ k+1 = {int(v['k']) + 1}: x(t−k) is in view",
                                  f"창 {w} ≥ k+1 = {int(v['k']) + 1}: x(t−k)가 창 안에 있음"), lang), style="green")
    return t


def sequence_title(snap: Snapshot, lang: str) -> str:
    k = int(snap.views["k"])
    return f"{'시퀀스' if lang == 'ko' else 'sequence'}: y(t) = x(t−{k})"


LAYOUT = Layout(
    Row(HeatmapPanel(T("RNN hidden state over time", "시간에 따른 RNN 은닉 상태"), view="hidden", origin="upper",
                     subtitle=T("rows = units, columns = steps", "행 = 유닛, 열 = 스텝"), legend_format=lambda v: f"{v:+.1f}")),
    Row(TextPanel(sequence_title, id="sequence", text=sequence_view, heavy=True,
                  reads=("x", "y", "mask", "rnn_prob", "mlp_prob", "rnn_count", "mlp_count", "window", "k", "length")),
        height=11),
    Row(PlotPanel(T("loss", "손실"), metrics={"loss": T("RNN", "RNN"), "mlp_loss": T("window", "창")}, log_y=True),
        PlotPanel(T("accuracy", "정확도"), id="acc-plot",
                  metrics={"rnn_accuracy": T("RNN", "RNN"), "rnn_long_accuracy": T("RNN 3× length", "RNN, 3배 길이"),
                           "mlp_accuracy": T("window", "창")})),
    status=("rnn_accuracy", "mlp_accuracy"),
    pages=((0,), (1,), (2,)),
    speed=2,  # 20 steps/s: the RNN passes 95% within about 5 s while the window net stays at 50%
)
