"""Dropout: the decision maps of the net without and with dropout, the live mask of a
hidden layer, the losses and gaps of both, and how close the eval net is to the average of
its subnetworks."""

from __future__ import annotations

import math

from rich.cells import set_cell_size
from rich.text import Text

from nndojo.core.experiment import Snapshot

from .activations import map_panel
from .layout import HeatmapPanel, Layout, PlotPanel, Row, T, TextPanel, in_lang


def dropout_title(snap: Snapshot, lang: str) -> str:
    rate = snap.values["rate"]
    return in_lang(T(f"dropout {rate:.1f}", f"드롭아웃 {rate:.1f}"), lang)


def dropout_subtitle(snap: Snapshot, lang: str) -> str:
    if snap.values["view"] == "eval" or snap.values["rate"] == 0:
        return in_lang(T("eval", "평가"), lang)
    return in_lang(T("one subnetwork", "부분망 하나"), lang)


def mask_title(snap: Snapshot, lang: str) -> str:
    return in_lang(T(f"mask h{snap.values['layer']}", f"마스크 h{snap.values['layer']}"), lang)


def mask_subtitle(snap: Snapshot, lang: str) -> str:
    kept = snap.views["kept"]
    if snap.values["view"] == "eval":
        return in_lang(T("eval: all on", "평가: 모두 켜짐"), lang)
    rate = snap.values["rate"]
    scale = 1 / (1 - rate)
    return in_lang(T(f"{kept:.0%} on ×{scale:.2g}", f"{kept:.0%} 켜짐 ×{scale:.2g}"), lang)


def _value(snap: Snapshot, name: str) -> str:
    value = snap.last.get(name)
    return "—" if value is None or not math.isfinite(value) else f"{value:.3f}"


def gap_table(snap: Snapshot, lang: str, width: int) -> Text:
    """Train loss, test loss and their gap for both nets (about 20 columns); the eval net
    against the mean of 20 sampled subnetworks."""
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(in_lang(T("       plain   drop", "       일반    드롭"), lang) + "\n", style="bold")
    rows = (("train_loss", T("train", "학습")), ("test_loss", T("test", "테스트")), ("gap", T("gap", "차이")))
    for name, label in rows:
        t.append(set_cell_size(in_lang(label, lang), 6), style="bold")
        t.append(f"{_value(snap, 'plain/' + name):>6} {_value(snap, 'dropout/' + name):>6}\n")
    t.append(in_lang(T("eval vs 20 subnets", "평가 망 vs 부분망 20"), lang) + "\n", style="bold")
    t.append(f"|Δp| {_value(snap, 'dropout/ensemble_gap')}")
    return t


LAYOUT = Layout(
    Row(map_panel(T("no dropout", "드롭아웃 없음"), "plain_probs"),
        map_panel(dropout_title, "dropout_probs", panel_id="dropout-probs"),
        height="2fr"),
    Row(HeatmapPanel(mask_title, id="mask", subtitle=mask_subtitle, view="mask", cmap="sequential", origin="upper",
                     reads=("kept",), legend_format=lambda v: f"{v:.2g}"),
        TextPanel(T("losses", "손실"), id="gaps", text=gap_table)),
    PlotPanel(T("train and test loss", "학습·테스트 손실"), id="losses-plot",
              metrics={"plain/train_loss": T("plain train", "일반 학습"), "plain/test_loss": T("plain test", "일반 테스트"),
                       "dropout/train_loss": T("dropout train", "드롭아웃 학습"),
                       "dropout/test_loss": T("dropout test", "드롭아웃 테스트")}),
    status=("plain/gap", "dropout/gap"),
    speed=3,  # 100 steps/s: the plain net's gap opens within a few seconds
)
