"""Cost functions: the points with the line and the residuals, the cost's formula filled
with the current numbers, the (w, b) surface of the chosen cost with the path, and the
cost over steps."""

from __future__ import annotations

from typing import Any

import numpy as np
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.tui.widgets.xyplot import XYPlot

from .layout import Layout, PlotPanel, Row, T, TextPanel, WidgetPanel, in_lang
from .surface_view import surface_panel

RESIDUAL_DOTS = 16  # dots drawn along each residual segment

NAMES = {"points": T("points", "점"), "outliers": T("outliers", "이상치"), "line": T("line", "직선"),
         "residuals": T("residuals", "잔차")}


class FitPlot(XYPlot):
    """The points, the line ŷ = w·x + b over them and each residual as a dotted segment."""

    def draw(self, snap: Snapshot, lang: str) -> None:
        v = snap.views
        x, y, outlier = np.asarray(v["x"]), np.asarray(v["y"]), np.asarray(v["outlier"])
        w, b = v["w"], v["b"]
        lo, hi = float(x.min()) - 0.2, float(x.max()) + 0.2
        line_x = np.linspace(lo, hi, 64)
        t = np.linspace(0.0, 1.0, RESIDUAL_DOTS)
        fit_y = w * x + b
        res_x = np.repeat(x, RESIDUAL_DOTS)
        res_y = (y[:, None] + (fit_y - y)[:, None] * t[None, :]).ravel()
        series: dict[str, tuple[Any, Any]] = {
            in_lang(NAMES["residuals"], lang): (res_x, res_y),
            in_lang(NAMES["line"], lang): (line_x, w * line_x + b),
            in_lang(NAMES["points"], lang): (x[~outlier], y[~outlier]),
        }
        colors: dict[str, int | str] = {in_lang(NAMES["residuals"], lang): "grey",
                                        in_lang(NAMES["line"], lang): "orange",
                                        in_lang(NAMES["points"], lang): "blue"}
        kinds: dict[str, Any] = {in_lang(NAMES["residuals"], lang): "scatter", in_lang(NAMES["points"], lang): "scatter"}
        if outlier.any():
            name = in_lang(NAMES["outliers"], lang)
            series[name] = (x[outlier], y[outlier])
            colors[name], kinds[name] = "red", "scatter"
        self.set_series(series, colors=colors, kinds=kinds)
        self.set_limits(y_range=(-8.0, 4.5) if outlier.any() else (-2.5, 4.0))


LOSS_NAMES = {"mse": "MSE", "mae": "MAE", "huber": "Huber"}


def term(loss: str, r: float, delta: float) -> str:
    """One point's cost written out with its residual."""
    if loss == "mse":
        return f"({r:+.2f})²"
    if loss == "mae":
        return f"|{r:+.2f}|"
    return f"½({r:+.2f})²" if abs(r) <= delta else f"{delta:.3g}(|{r:+.2f}|−{0.5 * delta:.3g})"


def formula(snap: Snapshot, lang: str, width: int) -> Text:
    """The chosen cost's formula, then with the current numbers: its first terms, the sum
    over n and the total; the minimum; the largest term and its share."""
    v = snap.views
    ko = lang == "ko"
    loss, delta = snap.values["loss"], snap.values["delta"]
    r, terms = np.asarray(v["residuals"]), np.asarray(v["terms"])
    n = len(r)
    name = LOSS_NAMES[loss]
    general = {"mse": "(1/n) Σᵢ₌₁ⁿ rᵢ²", "mae": "(1/n) Σᵢ₌₁ⁿ |rᵢ|", "huber": "(1/n) Σᵢ₌₁ⁿ h(rᵢ)"}[loss]
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f"{name} = {general}\n", style="bold")
    t.append("rᵢ = w·xᵢ + b − yᵢ\n", style="dim")
    t.append(f"w={v['w']:+.2f} b={v['b']:+.2f} n={n}\n")
    shown = int(min(3, max(1, (width - 12) // 11)))
    body = "+".join(term(loss, float(x), delta) for x in r[:shown])
    t.append(f"=(1/{n})[{body}+…]\n")
    t.append(f"={terms.sum():.3f}/{n} = ")
    t.append(f"{v['loss']:.4f}", style="bold")
    t.append("\n")
    mw, mb = v["minimum"]
    t.append("최소 " if ko else "min ", style="dim")
    t.append(f"{v['loss_min']:.4f}\n", style="green")
    t.append(f" (w,b)=({mw:+.2f},{mb:+.2f})\n", style="dim")
    biggest = int(np.argmax(terms))
    t.append("최대 항 " if ko else "max term ", style="dim")
    t.append(f"{terms[biggest]:.3f} ")
    t.append(f"({100 * terms[biggest] / max(terms.sum(), 1e-12):.0f}%)", style="yellow")
    return t


LAYOUT = Layout(
    Row(WidgetPanel(T("line, residuals", "직선과 잔차"), id="fit", widget=FitPlot,
                    reads=("x", "y", "outlier", "w", "b")),
        surface_panel(T("cost over (w, b)", "(w, b)에 대한 비용"), labels=(T("path", "경로"),))),
    Row(TextPanel(T("the formula", "수식"), id="formula", text=formula,
                  reads=("residuals", "terms", "loss", "loss_min", "minimum")),
        PlotPanel(T("cost", "비용"), metrics={"loss": T("cost", "비용")}, log_y=True), height=9),
    status=("loss",),
    speed=2,  # 20 steps/s: the point walks to the minimum in a few seconds
)
