"""Normalisation: the loss surface over the two weights with the path (a ravine for raw
features, a round bowl for z-scores), κ and 2/λmax for each normalisation, the loss curve."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from nndojo.core.experiment import Snapshot

from .layout import Layout, PlotPanel, Row, T, TextPanel
from .surface_view import surface_panel

NAMES = {"none": {"en": "none", "ko": "그대로"}, "min-max": {"en": "min-max", "ko": "min-max"},
         "z-score": {"en": "z-score", "ko": "z-점수"}}


def conditioning(snap: Snapshot, lang: str, width: int) -> Text:
    """κ and 2/λmax per normalisation (the current one marked), the α in use and the
    step the tolerance was reached at."""
    v = snap.views
    ko = lang == "ko"
    now = snap.values["normalization"]
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f"{'':8}{'κ':>9}{'2/λmax':>9}\n", style="bold")
    for how, kappa, critical, _, _ in v["table"]:
        style = "bold yellow" if how == now else ""
        name = NAMES[how][lang]
        t.append(name + " " * (8 - cell_len(name)) + f"{kappa:>9.3g}{critical:>9.3g}\n", style=style)
    t.append("지금 α    " if ko else "α now     ", style="bold")
    t.append(f"{v['learning_rate']:.3g}\n")
    t.append("허용 오차 " if ko else "tolerance ", style="bold")
    at = v["converged_at"]
    if at >= 0:
        t.append(f"{at} 스텝에서 도달" if ko else f"reached at step {at}", style="green")
    else:
        t.append("아직" if ko else "not yet", style="dim")
    return t


LAYOUT = Layout(
    Row(surface_panel(T("loss over (w1, w2)", "(w1, w2)에 대한 손실"), labels=(T("path", "경로"),)), height="2fr"),
    Row(TextPanel(T("conditioning", "조건수"), id="conditioning", text=conditioning,
                  reads=("table", "learning_rate", "converged_at"), width=28),
        PlotPanel(T("loss", "손실"), metrics=("loss",), log_y=True)),
    pages=((0,), (1,)),
    status=("loss",),
    speed=2,  # 20 steps/s: the raw run crawls visibly, z-scores land in a few steps
)
