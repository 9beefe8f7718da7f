"""Activation functions: the chosen activation and its slope, a softmax of edited logits,
the deep net's decision map on XOR with its gradient norm per layer, and its accuracy.

Also the two small drawn widgets the decision-map lessons share (activations, dropout,
cross-entropy): ``MapView`` (a DecisionMap fed from views) and ``CurvesView`` (an XYPlot fed
by a function of the snapshot)."""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.tui.widgets import DecisionMap, XYPlot

from .layout import Layout, PlotPanel, Row, T, TextPanel, Texts, Title, WidgetPanel, in_lang
from .weight_init import log_bars

#: (series name -> (x, y)), colours by name, kinds by name, vertical lines by label
Curves = tuple[dict[str, tuple[np.ndarray, np.ndarray]], dict[str, Any], dict[str, Any], dict[str, float]]


#: The DecisionMap legend's words for train and test points by language.
POINT_WORDS = {"en": ("train", "test"), "ko": ("학습", "테스트")}


class MapView(DecisionMap):
    """A DecisionMap drawn from views: class probabilities ``probabilities`` (H, W, C),
    ``extent``, and (points, labels) pairs ``train`` and ``test``."""

    def __init__(self, probabilities: str, *, extent: str = "extent", train: str | None = "train",
                 test: str | None = "test", class_names: tuple[Texts, ...] = ()) -> None:
        super().__init__()
        self.views = (probabilities, extent, train, test)
        self.class_names = class_names
        self.lang = "en"

    def draw(self, snap: Snapshot, lang: str) -> None:
        words = POINT_WORDS.get(lang, POINT_WORDS["en"])
        if words != self.point_words:  # the legend's "train" and "test" in the screen's language
            self.point_words = words
            self._changed()
        self.lang = lang
        probabilities, extent, train, test = self.views
        v = snap.views
        names = [in_lang(n, lang) for n in self.class_names] or None
        self.set_data(np.asarray(v[probabilities]), extent=v[extent], train=v[train] if train else None,
                      test=v[test] if test else None, class_names=names)


class CurvesView(XYPlot):
    """An XYPlot whose series (and marker lines) a function of the snapshot writes."""

    def __init__(self, curves: Callable[[Snapshot, str], Curves], y_range: tuple[float, float] | None = None) -> None:
        super().__init__(y_range=y_range)
        self.curves = curves

    def draw(self, snap: Snapshot, lang: str) -> None:
        series, colors, kinds, vlines = self.curves(snap, lang)
        self.set_series(series, colors=colors, kinds=kinds)
        self.set_vlines(vlines)


def map_panel(title: Title, view: str, *, reads: tuple[str, ...] = ("extent", "train", "test"),
              panel_id: str | None = None, **kwargs: Any) -> WidgetPanel:
    """A WidgetPanel with a MapView of ``view``."""
    return WidgetPanel(title, id=panel_id or view.replace("_", "-"), heavy=True, reads=(view, *reads),
                       widget=lambda: MapView(view, **kwargs))


ACTIVATION_NAMES = {"sigmoid": "σ(x) = 1/(1+e^-x)", "tanh": "tanh(x)", "relu": "max(0, x)",
                    "leaky_relu": "max(0.01x, x)", "linear": "x"}


def activation_curves(snap: Snapshot, lang: str) -> Curves:
    """The activation and its derivative over x in [-5, 5]."""
    v = snap.views
    x = v["curve_x"]
    kind = snap.values["activation"]
    slope = in_lang(T("slope", "기울기"), lang)
    return ({ACTIVATION_NAMES.get(kind, kind): (x, v["curve"]), slope: (x, v["slope"])},
            {ACTIVATION_NAMES.get(kind, kind): "blue", slope: "orange"}, {}, {})


def activation_title(snap: Snapshot, lang: str) -> str:
    slope = float(np.max(snap.views["slope"]))
    return in_lang(T(f"slope ≤ {slope:.3g}", f"기울기 ≤ {slope:.3g}"), lang)


BAR = "█"


def softmax_text(snap: Snapshot, lang: str, width: int) -> Text:
    """Each logit, its probability as a bar and a number; the sum, and the softmax shifted by a constant."""
    v = snap.views
    logits, probs = v["logits"], v["softmax"]
    t = Text(no_wrap=True, overflow="ellipsis")
    bar_width = max(width - 19, 4)
    for name, z, p in zip("abc", logits, probs):
        t.append(f"{name} ", style="bold")
        t.append(f"{z:+5.1f} → ")
        n = int(round(p * bar_width))
        t.append(BAR * n, style="cyan")
        t.append("·" * (bar_width - n), style="dim")
        t.append(f" {p:.3f}\n")
    t.append(in_lang(T("sum ", "합   "), lang), style="bold")
    t.append(f"{probs.sum():.6f}\n")
    shifted = np.exp(logits + 10 - (logits + 10).max())
    shifted /= shifted.sum()
    same = np.allclose(shifted, probs, rtol=1e-9, atol=1e-12)
    t.append(in_lang(T("z+10 ", "z+10 "), lang), style="bold")
    t.append(in_lang(T("same probabilities" if same else "differs", "확률 그대로" if same else "다름"), lang),
             style="green" if same else "red")
    return t


def grad_bars(snap: Snapshot, lang: str, width: int) -> Text:
    v = snap.views
    return log_bars(np.asarray(v["grad_norms"], dtype=float), list(v["grad_names"]), width - 2)


def grad_rows(snap: Snapshot) -> int:
    return max(len(snap.views["grad_names"]) + 2, 8)


LAYOUT = Layout(
    Row(map_panel(T("decision map", "결정 지도"), "probabilities"),
        TextPanel(T("‖∂L/∂W‖", "‖∂L/∂W‖"), subtitle=T("log", "로그"), id="grad-norms", text=grad_bars,
                  reads=("grad_norms", "grad_names"), width="40%"),
        height="2fr"),
    Row(WidgetPanel(activation_title, id="curves", reads=("curve_x", "curve", "slope"),
                    widget=lambda: CurvesView(activation_curves)),
        TextPanel(T("softmax", "softmax"), id="softmax", text=softmax_text,
                  reads=("logits", "softmax"))),
    PlotPanel(T("accuracy", "정확도"), metrics={"accuracy": T("batch", "배치"),
                                               "test_accuracy": T("test", "테스트")}),
    status=("loss", "test_accuracy"),
    speed=2,  # 20 steps/s: tanh carves XOR's map over the first few seconds
)
