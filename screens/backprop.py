"""Backpropagation: the 2-2-1 network drawn as a graph with the values of the stage
reached, the chain rule of the selected weight with its numbers, the gradient check
(analytic beside central differences) and the loss."""

from __future__ import annotations

import math
from typing import Mapping

from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.core.lessons.backprop import GRAD_STAGE, PARAM_NAMES, STAGES, UPDATE

from .layout import Layout, PlotPanel, Row, T, Texts, TextPanel, in_lang

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
#: What each stage does, for the graph's two bottom lines: its kind, and its formula.
FORWARD, LOSS, BACKWARD, UPDATE_NAME = T("forward", "순전파"), T("loss", "손실"), T("backward", "역전파"), T("update", "갱신")
STAGE_TEXTS: dict[str, tuple[Texts, str]] = {
    "h1": (FORWARD, "h₁ = tanh(w₁₁x₁ + w₁₂x₂ + b₁)"),
    "h2": (FORWARD, "h₂ = tanh(w₂₁x₁ + w₂₂x₂ + b₂)"),
    "yhat": (FORWARD, "ŷ = σ(v₁h₁ + v₂h₂ + c)"),
    "loss": (LOSS, "L = ½(ŷ − y)²"),
    "out": (BACKWARD, "∂L/∂ŷ = ŷ − y, ∂L/∂z = ∂L/∂ŷ·σ'(z)"),
    "out_weights": (BACKWARD, "∂L/∂vⱼ = ∂L/∂z·hⱼ, ∂L/∂c = ∂L/∂z"),
    "hidden": (BACKWARD, "∂L/∂hⱼ = ∂L/∂z·vⱼ, ∂L/∂aⱼ = ∂L/∂hⱼ·(1−hⱼ²)"),
    "in_weights": (BACKWARD, "∂L/∂wⱼₖ = ∂L/∂aⱼ·xₖ, ∂L/∂bⱼ = ∂L/∂aⱼ"),
    "update": (UPDATE_NAME, "θ ← θ − η·∂L/∂θ"),
}
NOT_STARTED = T("n: the first stage", "n: 첫 단계")
VALUE_STYLE, GRAD_STYLE, NEW_STYLE = "bold cyan", "bold magenta", "bold green"
SELECTED_STYLE = "bold yellow"


def pretty(name: str) -> str:
    """w11 -> w₁₁, b1 -> b₁."""
    return name.translate(SUB)


def num(x: float, digits: int = 2) -> str:
    """A signed number in few characters: +0.52, -1.20, +12.3, nan."""
    if not math.isfinite(x):
        return str(x)
    if abs(x) >= 99.5:
        return f"{x:+.0e}"
    if abs(x) >= 9.95:
        return f"{x:+.1f}"
    return f"{x:+.{digits}f}"


class Canvas:
    """A grid of characters with a style each, written by position."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells: list[list[tuple[str, str]]] = [[(" ", "")] * width for _ in range(height)]

    def put(self, row: int, col: int, text: str, style: str = "") -> None:
        if not 0 <= row < self.height:
            return
        for i, ch in enumerate(text):
            c = col + i
            if 0 <= c < self.width:
                self.cells[row][c] = (ch, style)

    def line(self, r0: int, c0: int, r1: int, c1: int, style: str = "dim") -> list[tuple[int, int]]:
        """A dotted line from (r0, c0) to (r1, c1); returns its cells."""
        n = max(abs(c1 - c0), abs(r1 - r0), 1)
        cells = []
        for i in range(n + 1):
            r = round(r0 + (r1 - r0) * i / n)
            c = round(c0 + (c1 - c0) * i / n)
            cells.append((r, c))
            if 0 <= r < self.height and 0 <= c < self.width and self.cells[r][c][0] == " ":
                self.cells[r][c] = ("·", style)
        return cells

    def text(self) -> Text:
        t = Text(no_wrap=True, overflow="crop")
        for r, row in enumerate(self.cells):
            for ch, style in row:
                t.append(ch, style=style or None)
            if r < self.height - 1:
                t.append("\n")
        return t


def edge_label(name: str, snap: Snapshot, narrow: bool) -> tuple[str, str]:
    """What an edge (or a bias) shows: its value, its gradient once the backward pass has
    reached it (∂), its new value after the update (→)."""
    v = snap.views
    i = PARAM_NAMES.index(name)
    stage = int(v["stage"])
    head = "" if narrow else pretty(name) + " "
    if stage == UPDATE:
        return head + "→" + num(float(v["theta"][i])), NEW_STYLE
    if stage >= GRAD_STAGE[name]:
        return head + "∂" + num(float(v["grads"][i]), 3), GRAD_STYLE
    return head + num(float(v["before"][i])), ""


def graph_view(snap: Snapshot, lang: str, width: int, height: int = 0) -> Text:
    """The network as a graph: inputs, hidden units, output and loss as labelled nodes,
    weights on the edges; the selected weight's edge is highlighted. The last two lines
    say which stage was done and its formula."""
    width, height = max(width, 30), max(height, 10)
    v = snap.views
    stage = int(v["stage"])
    f: Mapping[str, float] = v["forward"]
    nodes: Mapping[str, float] = v["nodes"]
    selected = PARAM_NAMES[int(v["selected"])]
    narrow = width < 56
    canvas = Canvas(width, height - 2)
    top, bottom = 1, height - 4  # node rows (the straight edges' labels above and below them)
    mid = (top + bottom) // 2
    hid_col = int(width * (0.36 if narrow else 0.40))
    out_col = int(width * (0.70 if narrow else 0.72))
    x1, x2 = (float(a) for a in v["x"])

    def node_value(name: str, shown_at: int, value: float, digits: int = 2) -> tuple[str, str]:
        return (num(value, digits), VALUE_STYLE) if stage >= shown_at else ("?", "dim")

    # edges first, labels over them
    in_w = 7
    edges = {
        "w11": ((top, in_w), (top, hid_col - 1), 0.5),
        "w22": ((bottom, in_w), (bottom, hid_col - 1), 0.5),
        "w12": ((bottom, in_w), (top, hid_col - 1), 0.3),
        "w21": ((top, in_w), (bottom, hid_col - 1), 0.3),
        "v1": ((top, hid_col + 9), (mid, out_col - 1), 0.3 if narrow else 0.5),
        "v2": ((bottom, hid_col + 9), (mid, out_col - 1), 0.3 if narrow else 0.5),
    }
    for name, ((r0, c0), (r1, c1), along) in edges.items():
        style = "yellow" if name == selected else "dim"
        cells = canvas.line(r0, c0, r1, c1, style)
        r, c = cells[min(int(len(cells) * along), len(cells) - 1)]
        label, label_style = edge_label(name, snap, narrow)
        if name == selected:
            label_style = SELECTED_STYLE if stage < UPDATE and stage < GRAD_STAGE[name] else label_style + " underline"
        if name in ("w11", "w22"):
            r = r + (-1 if name == "w11" else 1)  # above or below a horizontal edge, not on it
        canvas.put(r, max(c - len(label) // 2, in_w), label, label_style)
    # nodes
    canvas.put(top, 0, f"x₁ {x1:+.0f}", VALUE_STYLE)
    canvas.put(bottom, 0, f"x₂ {x2:+.0f}", VALUE_STYLE)
    for j, row in ((1, top), (2, bottom)):
        text, style = node_value(f"h{j}", j - 1, f[f"h{j}"])
        canvas.put(row, hid_col, f"h{'₁₂'[j - 1]} ", "bold")
        canvas.put(row, hid_col + 3, text, style)
        bias, bias_style = edge_label(f"b{j}", snap, True)
        if f"b{j}" == selected:
            bias_style = SELECTED_STYLE
        if stage >= 6:
            canvas.put(row + (1 if j == 1 else -1), hid_col, "∂" + num(nodes[f"h{j}"], 3), GRAD_STYLE)
        elif not narrow or True:
            canvas.put(row + (1 if j == 1 else -1), hid_col, f"b{'₁₂'[j - 1]}" + bias, bias_style)
    text, style = node_value("yhat", 2, f["yhat"])
    canvas.put(mid, out_col, "ŷ ", "bold")
    canvas.put(mid, out_col + 2, text.lstrip("+"), style)
    c_label, c_style = edge_label("c", snap, True)
    canvas.put(mid - 1, out_col, "c" + c_label, SELECTED_STYLE if selected == "c" else c_style)
    if stage >= 4:
        canvas.put(mid + 1, out_col, "∂" + num(nodes["yhat"], 3), GRAD_STYLE)
    loss_col = out_col + (0 if narrow else 11)
    loss_row = mid + (2 if narrow else 0)
    y = float(v["y"])
    canvas.put(loss_row, loss_col, f"L {f['loss']:.4f}" if stage >= 3 else "L ?", VALUE_STYLE if stage >= 3 else "dim")
    canvas.put(loss_row + 1, loss_col, f"y {y:.0f}", "bold")
    if stage == UPDATE:
        canvas.put(loss_row + (2 if not narrow else -4), loss_col, f"→ {float(v['sample_loss_after']):.4f}", NEW_STYLE)
    t = canvas.text()
    t.append("\n")
    if stage >= 0:
        kind, formula = STAGE_TEXTS[STAGES[stage]]
        t.append(f"{stage + 1}/{len(STAGES)} {in_lang(kind, lang)}\n", style="bold")
        t.append(formula)
    else:
        t.append(in_lang(NOT_STARTED, lang) + "\n")
    return t


# -- the chain rule ------------------------------------------------------------------------
def chain_factors(name: str, snap: Snapshot) -> list[tuple[str, str, float, int]]:
    """The selected parameter's chain: (symbol, local derivative, value, stage it is known at)."""
    v = snap.views
    f, n = v["forward"], v["nodes"]
    x = [float(a) for a in v["x"]]
    head = [("∂L/∂ŷ", "(ŷ−y)", n["yhat"], 4), ("∂ŷ/∂z", "σ'(z)", n["dyhat_dz"], 4)]
    kind, idx = name[0], name[1:]
    if kind == "v":
        return head + [(f"∂z/∂{pretty(name)}", f"h{idx.translate(SUB)}", f[f"h{idx}"], 5)]
    if name == "c":
        return head + [("∂z/∂c", "1", 1.0, 5)]
    j = idx[0]
    sj = j.translate(SUB)
    theta = v["before"]
    hidden = [(f"∂z/∂h{sj}", f"v{sj}", float(theta[PARAM_NAMES.index('v' + j)]), 6),
              (f"∂h{sj}/∂a{sj}", f"(1−h{sj}²)", n[f"dtanh{j}"], 6)]
    if kind == "b":
        return head + hidden + [(f"∂a{sj}/∂{pretty(name)}", "1", 1.0, 7)]
    k = idx[1]
    return head + hidden + [(f"∂a{sj}/∂{pretty(name)}", f"x{k.translate(SUB)}", x[int(k) - 1], 7)]


def wrap(parts: list[tuple[str, str]], width: int, indent: int) -> list[list[tuple[str, str]]]:
    """Styled parts into lines of ``width`` cells, continuation lines indented."""
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0
    for text, style in parts:
        if used + len(text) > width and lines[-1]:
            lines.append([(" " * indent, "")])
            used = indent
            text = text.lstrip()
        lines[-1].append((text, style))
        used += len(text)
    return lines


def chain_view(snap: Snapshot, lang: str, width: int, height: int = 0) -> Text:
    """∂L/∂w = product of local derivatives: as symbols, as formulas, as numbers (a ?
    where the pass has not computed it yet), the result against the central
    difference, and at the update the new value."""
    width = max(width, 30)
    v = snap.views
    i = int(v["selected"])
    name = PARAM_NAMES[i]
    stage = int(v["stage"])
    factors = chain_factors(name, snap)
    lhs = f"∂L/∂{pretty(name)} = "
    pad = len(lhs) - 2
    rows: list[list[tuple[str, str]]] = []
    for kind in range(3):
        parts: list[tuple[str, str]] = [(lhs if kind == 0 else " " * pad + "= ", "bold" if kind == 0 else "")]
        for n, (symbol, local, value, known) in enumerate(factors):
            sep = ("·" if width < 60 else " · ") if n else ""
            if kind == 0:
                parts.append((sep + symbol, ""))
            elif kind == 1:
                parts.append((sep + local, ""))
            else:
                shown = known <= stage
                parts.append((sep + (num(value, 3) if shown else "?"), GRAD_STYLE if shown else "dim"))
        rows.extend(wrap(parts, width, pad + 2))
    t = Text(no_wrap=True, overflow="ellipsis")
    for row in rows:
        for text, style in row:
            t.append(text, style=style or None)
        t.append("\n")
    known = stage >= GRAD_STAGE[name]
    t.append(" " * pad + "= ")
    if known:
        grad, numeric = float(v["grads"][i]), float(v["numeric"][i])
        t.append(f"{grad:+.6f}", style=GRAD_STYLE)
        t.append(f"  ({in_lang(T('numeric', '수치 미분'), lang)} {numeric:+.6f})", style="dim")
    else:
        t.append("?", style="dim")
    t.append("\n")
    if stage == UPDATE:
        old, new, lr = float(v["before"][i]), float(v["theta"][i]), float(v["learning_rate"])
        t.append(f"{pretty(name)} ← {old:+.4f} − {lr:.3g}·({float(v['grads'][i]):+.4f}) = ", style="")
        t.append(f"{new:+.4f}", style=NEW_STYLE)
    return t


# -- the gradient check --------------------------------------------------------------------
HEAD = {"en": ("θ", "backprop", "numeric", "rel.err"), "ko": ("θ", "역전파", "수치 미분", "상대 오차")}
CHECK_TOL = 1e-6


def check_view(snap: Snapshot, lang: str, width: int) -> Text:
    """Every parameter's analytic gradient beside its central difference and their
    relative error; the selected one in bold; the largest error against 1e-6."""
    v = snap.views
    names = HEAD.get(lang, HEAD["en"])
    col = 12 if width >= 46 else 10
    t = Text(no_wrap=True, overflow="ellipsis")
    for n, head in enumerate(names):
        cells = 5 if n == 0 else (col if n < 3 else 9)
        t.append(_pad(head, cells, right=n > 0), style="bold")
        t.append(" ")
    t.append("\n")
    stage = int(v["stage"])
    fmt = "{:+.7f}" if col == 12 else "{:+.5f}"
    for i, name in enumerate(PARAM_NAMES):
        selected = i == int(v["selected"])
        reached = stage >= GRAD_STAGE[name]
        style = "bold" if selected else ("" if reached else "dim")
        err = float(v["rel_errors"][i])
        t.append(_pad(("▸" if selected else " ") + pretty(name), 5), style=SELECTED_STYLE if selected else "bold")
        t.append(" ")
        t.append(fmt.format(float(v["grads"][i])).rjust(col), style=style)
        t.append(" ")
        t.append(fmt.format(float(v["numeric"][i])).rjust(col), style=style)
        t.append(" ")
        ok = math.isfinite(err) and err < CHECK_TOL
        t.append(f"{err:.1e}".rjust(9), style=style)
        t.append(" ✓" if ok else " ✗", style="green" if ok else "red")
        t.append("\n")
    worst = float(max(v["rel_errors"]))
    ok = math.isfinite(worst) and worst < CHECK_TOL
    t.append(f"{'최대' if lang == 'ko' else 'max'} {worst:.1e} {'<' if ok else '≥'} 1e-6 ", style="bold green" if ok else "bold red")
    return t


def _pad(text: str, cells: int, right: bool = False) -> str:
    from rich.cells import cell_len

    gap = max(cells - cell_len(text), 0)
    return " " * gap + text if right else text + " " * gap


def graph_title(snap: Snapshot, lang: str) -> str:
    x1, x2 = (float(a) for a in snap.views["x"])
    word = "신경망" if lang == "ko" else "network"
    sample = "샘플" if lang == "ko" else "sample"
    return f"{word} · {sample} ({x1:+.0f}, {x2:+.0f}) → y = {float(snap.views['y']):.0f}"


LAYOUT = Layout(
    Row(TextPanel(graph_title, id="graph", text=graph_view, sized=True, reads=("forward", "nodes", "x", "y", "stage")),
        height="3fr"),
    Row(TextPanel(lambda s, lang: ("연쇄 법칙" if lang == "ko" else "chain rule") + f" · {pretty(PARAM_NAMES[int(s.views['selected'])])}",
                  id="chain", text=chain_view, sized=True, reads=("selected", "grads", "numeric")),
        height=7),
    Row(TextPanel(T("gradient check", "기울기 검사"), subtitle=T("backprop vs central differences", "역전파 vs 중심 차분"),
                  id="check", text=check_view, reads=("grads", "numeric", "rel_errors")),
        height=13),
    Row(PlotPanel(T("loss", "손실"), metrics={"loss": T("mean of 4", "4점 평균"), "sample_loss": T("this sample", "이 샘플")},
                  log_y=True)),
    status=("loss", "max_rel_error"),
    pages=((0, 1), (2,), (3,)),
    speed=0,  # 1 stage/s: each value appears in turn; the first update (and its loss before and after) at 9 s
)
