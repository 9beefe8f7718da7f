"""Cross-entropy: the decision maps of the squared-error and the cross-entropy classifier,
both losses and their logit gradients against the probability of the true class (each
model's current mean marked), and the race to 90% accuracy."""

from __future__ import annotations

from nndojo.core.experiment import Snapshot

from .activations import Curves, CurvesView, map_panel
from .layout import Layout, PlotPanel, Row, T, WidgetPanel, in_lang

PAIR_NAMES = {"mse": "(1−p)²", "mae": "|1−p|"}


def _marks(snap: Snapshot, lang: str) -> dict[str, float]:
    mse, ce = snap.views["p_true"]
    other = snap.values["pairing"].upper()
    return {f"{other} p̄": float(mse), f"CE p̄": float(ce)}


def loss_curves(snap: Snapshot, lang: str) -> Curves:
    """One example's loss against the probability of its true class: the pairing's and −log p."""
    v = snap.views
    q = v["p_axis"]
    other = PAIR_NAMES[snap.values["pairing"]]
    return ({other: (q, v["loss_mse"]), "−log p": (q, v["loss_ce"])}, {other: "orange", "−log p": "blue"}, {},
            _marks(snap, lang))


def grad_curves(snap: Snapshot, lang: str) -> Curves:
    """|∂L/∂z| of one example against the probability of its true class."""
    v = snap.views
    q = v["p_axis"]
    other = snap.values["pairing"].upper()
    return ({other: (q, v["grad_mse"]), "CE 1−p": (q, v["grad_ce"])}, {other: "orange", "CE 1−p": "blue"}, {},
            _marks(snap, lang))


def pair_title(snap: Snapshot, lang: str) -> str:
    return in_lang(T(f"{snap.values['pairing'].upper()} on p", f"p의 {snap.values['pairing'].upper()}"), lang)


LAYOUT = Layout(
    Row(map_panel(pair_title, "mse_probs", panel_id="mse-probs"),
        map_panel(T("cross-entropy", "크로스 엔트로피"), "ce_probs", panel_id="ce-probs"),
        height="2fr"),
    Row(WidgetPanel(T("loss vs p(true)", "손실 vs p(참)"), id="loss-curves", reads=("p_axis", "loss_mse", "loss_ce", "p_true"),
                    widget=lambda: CurvesView(loss_curves, y_range=(0.0, 4.0))),
        WidgetPanel(T("|∂L/∂z| vs p(true)", "|∂L/∂z| vs p(참)"), id="grad-curves",
                    reads=("p_axis", "grad_mse", "grad_ce", "p_true"), widget=lambda: CurvesView(grad_curves))),
    Row(PlotPanel(T("training accuracy", "학습 정확도"), id="accuracy-plot",
                  metrics={"mse/accuracy": T("MSE/MAE", "MSE/MAE"), "ce/accuracy": T("CE", "CE")}),
        PlotPanel(T("loss", "손실"), id="loss-plot", log_y=True,
                  metrics={"mse/loss": T("MSE/MAE", "MSE/MAE"), "ce/loss": T("CE", "CE")})),
    status=("mse/accuracy", "ce/accuracy"),
    speed=2,  # 20 steps/s: cross-entropy flips its map within a second, the squared error after several
)
