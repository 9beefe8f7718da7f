"""Gradient descent: the loss surface with the optimiser's path, the loss curve, and
the learning rate beside the chosen optimiser's bound (2/λmax for plain GD)."""

from __future__ import annotations

import math

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.tui.widgets.colors import format_value

from .layout import HeatmapPanel, Layout, Overlay, PlotPanel, Row, T, TextPanel


def unlog(value: float) -> str:
    """A legend end of the log10 loss map, as the loss above the minimum it stands for."""
    with np.errstate(over="ignore"):
        return format_value(float(np.power(10.0, value)))


BOUND_NAMES = {"gd": "2/λmax", "momentum": "2(1+β)/λmax"}


def numbers(values: tuple[float, ...], room: int) -> str:
    """``values`` comma-separated in at most ``room`` cells if they can be: three
    significant digits, else two, else one."""
    for digits in (3, 2, 1):
        text = ", ".join(f"{x:.{digits}g}" for x in values)
        if len(text) <= room:
            return text
    return text


def step_info(snap: Snapshot, lang: str, width: int) -> Text:
    """The learning rate beside the chosen optimiser's bound (plain GD 2/λmax, momentum
    2(1+β)/λmax, none for Adam), their ratio, λmax where the point is, the point and the
    gradient; each line within ``width`` cells (a note that does not fit goes on its own
    line, numbers lose digits before they wrap)."""
    v = snap.views
    ko = lang == "ko"
    lr = snap.values["learning_rate"]
    optimizer = snap.values.get("optimizer", "gd")
    crit = v["critical_lr"]
    local = v["lambda_max_here"] != v["lambda_max"] or snap.values.get("surface") == "rosenbrock"
    a, b = v["axes"]
    p, g = v["point"], v["grad"]
    name = BOUND_NAMES.get(optimizer, "2/λmax")
    ratio_label = "α/한계" if ko else "α/bound"
    labels = ["α", "λmax", f"{a},{b}", "∇J"]
    if crit is not None and math.isfinite(crit):
        labels += [name, ratio_label]
    column = max(cell_len(label) for label in labels) + 2
    if column + 12 > width:  # a narrow panel: the long bound name on a line of its own
        column = max(cell_len(label) for label in labels if label != name) + 1
    t = Text()

    def line(label: str, value: str, style: str = "", note: str = "") -> None:
        pad = max(column - cell_len(label), 1)
        if cell_len(label) + pad + len(value) > width and cell_len(label) >= column:
            t.append(label + "\n", style="bold")
            label, pad = "", column
        t.append(label + " " * pad, style="bold")
        t.append(value, style=style)
        if note:
            if cell_len(label) + pad + len(value) + cell_len(note) + 2 <= width:
                t.append("  " + note, style="dim")
            else:
                t.append("\n" + " " * column + note, style="dim")
        t.append("\n")

    room = max(width - column, 4)
    line("α", f"{lr:.3g}")
    if crit is not None and math.isfinite(crit):
        line(name, f"{crit:.3g}", note=("(여기서의 값)" if ko else "(local)") if local else "")
        ratio = lr / crit
        style = "bold red" if ratio >= 1 else ("yellow" if ratio > 0.5 else "green")
        line(ratio_label, f"{ratio:.2f}", style, "(≥1이면 발산)" if ko else "(≥1 diverges)")
    else:
        wide, narrow = ("Adam: 정해진 한계 없음", "Adam: 한계 없음") if ko else ("Adam: no fixed bound on α", "Adam: no bound on α")
        t.append((wide if cell_len(wide) <= width else narrow) + "\n", style="dim")
    line("λmax", f"{v['lambda_max_here']:.3g}")
    line(f"{a},{b}", numbers((float(p[0]), float(p[1])), room))
    line("∇J", numbers((float(g[0]), float(g[1])), room))
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
