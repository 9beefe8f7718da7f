"""Model capacity: the fit at the chosen degree over the data, train and test loss
against the degree as the sweep fills it in (the U-curve), and a summary line."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.tui.widgets import XYPlot

from .layout import Layout, Row, T, TextPanel, WidgetPanel, in_lang

#: losses below this are drawn at it on the log axis (an exact interpolation's ~1e-30)
LOSS_FLOOR = 1e-4

NAMES = {
    "train": T("train", "학습"), "test": T("test", "테스트"), "truth": T("true f", "참 함수"),
}


class FitPlot(XYPlot):
    """The training points, some test points, the true function and the chosen fit;
    the y axis is fixed around the data (a wild fit leaves the plot at its edges)."""

    def draw(self, snap: Snapshot, lang: str) -> None:
        v = snap.views
        y_train = np.asarray(v["y_train"])
        lo, hi = float(np.min(y_train)), float(np.max(y_train))
        pad = 0.25 * (hi - lo) + 0.1
        y_range = (math.floor((lo - pad) * 2) / 2, math.ceil((hi + pad) * 2) / 2)
        fit = np.clip(np.asarray(v["fit"], dtype=float), y_range[0], y_range[1])
        fit_name = f"{v['degree']}차 적합" if lang == "ko" else f"degree {v['degree']}"
        self.set_limits(x_range=(-1.0, 1.0), y_range=y_range)
        self.set_series(
            {
                in_lang(NAMES["truth"], lang): (v["grid"], v["truth"]),
                in_lang(NAMES["test"], lang): (v["x_test"], v["y_test"]),
                in_lang(NAMES["train"], lang): (v["x_train"], y_train),
                fit_name: (v["grid"], fit),
            },
            colors={in_lang(NAMES["truth"], lang): "grey", in_lang(NAMES["test"], lang): "cyan",
                    in_lang(NAMES["train"], lang): "orange", fit_name: "blue"},
            kinds={in_lang(NAMES["test"], lang): "scatter", in_lang(NAMES["train"], lang): "scatter"},
        )


class CapacityCurve(XYPlot):
    """Train and test MSE against the degree (log y), the points fitted so far, and a
    vertical line at the chosen degree."""

    def __init__(self) -> None:
        super().__init__(log_y=True)

    def draw(self, snap: Snapshot, lang: str) -> None:
        v = snap.views
        degrees, fitted = np.asarray(v["degrees"], dtype=float), np.asarray(v["fitted_degrees"], dtype=float)
        series = {}
        for key, view in (("train", "train_curve"), ("test", "test_curve")):
            y = np.asarray(v[view], dtype=float)
            keep = np.isfinite(y)
            series[in_lang(NAMES[key], lang)] = (fitted[keep], np.maximum(y[keep], LOSS_FLOOR))
        self.set_limits(x_range=(0.0, float(degrees[-1])))
        self.xlabel = "차수" if lang == "ko" else "degree"
        self.set_series(series, colors={in_lang(NAMES["train"], lang): "orange", in_lang(NAMES["test"], lang): "cyan"},
                        kinds={name: "line+scatter" for name in series})
        self.set_vlines({("선택" if lang == "ko" else "chosen"): float(v["degree"])})


def summary(snap: Snapshot, lang: str, width: int) -> Text:
    """One line: the chosen degree's train and test loss, the sweep's progress, and the
    degree where the test loss is lowest so far."""
    v, ko = snap.views, lang == "ko"
    train, test = snap.last.get("train_loss", math.nan), snap.last.get("test_loss", math.nan)
    done, total = int(v["points_done"]), len(v["degrees"])
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f"{v['degree']}차  " if ko else f"degree {v['degree']}  ", style="bold")
    t.append(f"{'학습' if ko else 'train'} {train:.3g}  ", style="orange1")
    t.append(f"{'테스트' if ko else 'test'} {test:.3g}  ", style="cyan")
    t.append(f"{'스윕' if ko else 'sweep'} {done}/{total}")
    curve = np.asarray(v["test_curve"], dtype=float)
    if np.isfinite(curve).any():
        k = int(np.asarray(v["fitted_degrees"])[int(np.nanargmin(curve))])
        t.append(f"  {'테스트 최저' if ko else 'lowest test'}: {k}{'차' if ko else ''}", style="dim")
    return t


LAYOUT = Layout(
    Row(WidgetPanel(T("fit over the data", "데이터 위의 적합"), id="capacity-fit", widget=FitPlot,
                    reads=("x_train", "y_train", "x_test", "y_test", "grid", "truth", "fit", "degree")),
        WidgetPanel(T("loss vs capacity", "용량에 따른 손실"), id="capacity-curve", widget=CapacityCurve,
                    subtitle=T("MSE, log", "MSE, 로그"),
                    reads=("degrees", "fitted_degrees", "train_curve", "test_curve", "degree"))),
    Row(TextPanel(T("chosen capacity", "선택한 용량"), id="capacity-summary", text=summary,
                  reads=("degrees", "fitted_degrees", "test_curve", "points_done", "degree")), height=3),
    status=("test_loss",),  # (the train loss is in the summary: the status line keeps its seed at 80 columns)
    pages=((0, 1),),
    speed=1,  # 5 points/s: the U-curve fills in over about 3 s
)
