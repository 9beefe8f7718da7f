"""Hyperparameters: the loss with the epoch counter, the LR range test (loss against
learning rate on a log axis, filling in live, its suggestion marked), and what training
changes (parameters) beside what the learner sets (hyperparameters)."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.tui.widgets import XYPlot

from .layout import Layout, PlotPanel, Row, T, TextPanel, WidgetPanel


class RangeTestPlot(XYPlot):
    """The range test's smoothed loss against the learning rate (log x), with the
    current learning rate and, once the test ends, its suggestion as vertical lines."""

    def __init__(self) -> None:
        super().__init__(log_x=True)

    def draw(self, snap: Snapshot, lang: str) -> None:
        v, ko = snap.views, lang == "ko"
        name = "평활 손실" if ko else "smoothed loss"
        lrs, loss = np.asarray(v["range_lr"], dtype=float), np.asarray(v["range_loss"], dtype=float)
        # the blow-up leaves through the top: the axis keeps the start and the dip readable
        top = float(loss[0]) * 1.6 if loss.size else None
        if top is not None:
            loss = np.minimum(loss, top)
        self.set_limits(x_range=(1e-4, 10.0), y_range=(0.0, top) if top else None)
        self.set_series({name: (lrs, loss)}, colors={name: "orange"})
        lines = {("현재" if ko else "yours"): float(snap.values["learning_rate"])}
        if v["suggested_lr"] is not None:
            lines[f"{'제안' if ko else 'suggested'} {v['suggested_lr']:.2g}"] = float(v["suggested_lr"])
        self.set_vlines(lines)


def range_subtitle(snap: Snapshot, lang: str) -> str:
    """Whether the range test runs or was turned off, or its suggestion once done (the
    legend may be cut on a narrow screen; the border keeps it)."""
    v, ko = snap.views, lang == "ko"
    if v["range_running"]:
        return "진행 중…" if ko else "running…"
    if v["range_stopped"] or v["suggested_lr"] is None:
        return "꺼짐" if ko else "off"
    return f"{'제안 학습률' if ko else 'suggested lr'} {v['suggested_lr']:.2g}"


def shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape)


def params_text(snap: Snapshot, lang: str, width: int) -> Text:
    """Two columns: the parameters (what training changes) and the hyperparameters (what
    the learner sets), with the epoch counter and ⌈N/B⌉. The same lines in every language."""
    v, values, ko = snap.views, snap.values, lang == "ko"
    left: list[tuple[str, str]] = [("학습이 바꾸는 값" if ko else "training changes", "")]
    left += [(name, shape_text(shape)) for name, shape in v["parameters"]]
    left.append(("합계" if ko else "total", f"{v['n_params']:,}"))
    n, b = v["n_train"], values["batch_size"]
    suggested = v["suggested_lr"]
    right: list[tuple[str, str]] = [
        ("사람이 정하는 값" if ko else "you set", ""),
        ("학습률" if ko else "learning rate", f"{values['learning_rate']:.3g}"),
        ("배치 크기" if ko else "batch size", str(b)),
        ("에포크 수" if ko else "epochs", str(values["epochs"])),
        ("에포크당" if ko else "per epoch", f"⌈{n}/{b}⌉={v['iterations_per_epoch']}"),
        ("지금" if ko else "now", f"{'에포크' if ko else 'epoch'} {v['epochs_done'] + 1}/{v['epoch_budget']}, "
                                  f"{v['epoch_iteration']}/{v['iterations_per_epoch']}"),
        ("제안된 학습률" if ko else "suggested lr", "…" if suggested is None else f"{suggested:.2g}"),
    ]
    rows = max(len(left), len(right))
    left += [("", "")] * (rows - len(left))
    right += [("", "")] * (rows - len(right))
    half = min(max(width // 2, 20), 22)
    t = Text(no_wrap=True, overflow="ellipsis")
    for i, ((ln, lv), (rn, rv)) in enumerate(zip(left, right)):
        head = i == 0
        line = Text(no_wrap=True)
        name = Text(ln, style="bold" if head else "")
        if not head:
            name.truncate(9, pad=True)
        line.append_text(name)
        line.append(f" {lv}" if lv else "")
        line.truncate(half - 1, pad=True)
        line.append("│ ", style="dim")
        line.append(rn if head or not rn else f"{rn}: ", style="bold" if head else "")
        line.append(rv)
        line.truncate(max(width, 1))
        t.append_text(line)
        if i < rows - 1:
            t.append("\n")
    return t


def params_rows(snap: Snapshot) -> int:
    """The parameters row's height: the longer column (7 lines) and the border."""
    return max(len(snap.views["parameters"]) + 2, 7) + 2


LAYOUT = Layout(
    Row(PlotPanel(T("loss", "손실"), metrics={"loss": T("minibatch", "미니배치"), "train_loss": T("train set", "학습셋")}),
        WidgetPanel(T("LR range test", "학습률 범위 테스트"), id="range-test", widget=RangeTestPlot,
                    subtitle=range_subtitle, reads=("range_lr", "range_loss", "suggested_lr", "range_running", "range_stopped"))),
    Row(TextPanel(T("parameters vs hyperparameters", "파라미터와 하이퍼파라미터"), id="hp-table", text=params_text,
                  reads=("parameters", "n_params", "iterations_per_epoch", "epochs_done", "epoch_iteration", "n_train", "epoch_budget",
                         "suggested_lr")),
        height=9, fit=params_rows),
    status=("loss", "train_loss"),
    pages=((0,), (1,)),
    speed=2,  # 20 updates/s: the range test fills in over ~5 s, the 20 epochs take ~10 s
)
