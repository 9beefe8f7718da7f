"""CNN: learned kernels, the chosen digit and its feature maps, the sliding dot
product at one position, and loss and accuracy curves."""

from __future__ import annotations

import math

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from nndojo.core.experiment import Snapshot

from .layout import FilterGridPanel, Layout, PlotPanel, Row, T, TextPanel

BLOCK_NAMES = {"en": ("patch", "kernel", "products"), "ko": ("패치", "커널", "곱")}


def short(x: float, signed: bool = False) -> str:
    """A number in four characters: ".44", "+.05", "-1.2", "+12"."""
    sign = ("+" if x >= 0 else "-") if signed else ("-" if x < 0 else "")
    a = abs(x)
    if a < 0.995:
        body = f"{a:.2f}"[1:] if signed else f"{a:.2f}"
    elif a < 9.95:
        body = f"{a:.1f}"
    else:
        body = f"{a:.0f}"
    return (sign + body).rjust(4)


def centered(text: str, width: int) -> str:
    """``text`` centred in ``width`` terminal cells (wide characters count two)."""
    pad = width - cell_len(text)
    if pad <= 0 or cell_len(text) == len(text):
        return text.center(width)
    return " " * (pad // 2) + text + " " * (pad - pad // 2)


def dot_text(dot: dict, width: int, lang: str = "en", height: int = 0) -> Text:
    """patch ⊙ kernel = products: side by side as many as fit in ``width`` columns, the
    rest in bands below while ``height`` lines allow (0: any); what fits in neither is left out."""
    k = dot["kernel"].shape[0]
    names = BLOCK_NAMES.get(lang, BLOCK_NAMES["en"])
    blocks = [(names[0], dot["patch"], False), (names[1], dot["kernel"], True), (names[2], dot["products"], True)]
    block_width = 5 * k - 1
    across = 3
    while across > 1 and across * block_width + 3 * (across - 1) > width:
        across -= 1
    shown = 3
    while shown > across and height and -(-shown // across) * (k + 1) > height:
        shown -= 1
    ops = ("", "⊙", "=")
    t = Text(no_wrap=True)
    for start in range(0, shown, across):
        band = list(range(start, min(start + across, shown)))
        for n, b in enumerate(band):
            name = names[b] if n else f"{ops[b]} {names[b]}".strip()
            t.append(centered(name, block_width), style="dim")
            if n < len(band) - 1:
                t.append("   ")
        t.append("\n")
        for r in range(k):
            for n, b in enumerate(band):
                t.append(" ".join(short(float(v), blocks[b][2]) for v in blocks[b][1][r]))
                if n < len(band) - 1:
                    t.append(f" {ops[b + 1]} " if r == k // 2 else "   ", style="bold")
            t.append("\n")
    return t


def dot_view(snap: Snapshot, lang: str, width: int, height: int = 0) -> Text:
    """One conv output worked out: the sum, the bias, the output, and the blocks."""
    dot = snap.views["dot"]
    t = Text(no_wrap=True, overflow="ellipsis")
    where = f"f{dot['filter']} ({dot['row']},{dot['col']}) "
    t.append(where, style="bold")
    ok = math.isclose(dot["sum"] + dot["bias"], dot["output"], rel_tol=1e-4, abs_tol=1e-5)
    sums = f"Σ{dot['sum']:+.2f} b{dot['bias']:+.2f} → "
    lines = 1
    if cell_len(where + sums) + 8 > width:
        t.append("\n")
        lines = 2
    t.append(sums)
    t.append(f"{dot['output']:+.3f}", style="bold")
    t.append(" ✓" if ok else " ✗", style="green" if ok else "red")
    t.append("\n")
    t.append_text(dot_text(dot, max(width, 20), lang, max(height - lines, 1) if height else 0))
    return t


def digit_title(snap: Snapshot, lang: str) -> str:
    return f"{'숫자' if lang == 'ko' else 'digit'} #{snap.values['sample']}"


def digit_verdict(snap: Snapshot, lang: str) -> str:
    v = snap.views
    confidence = float(np.max(v["probs"])) * 100
    return f"{'예측' if lang == 'ko' else 'net'}: {v['prediction']} ({confidence:.0f}%)"


def digit_label(snap: Snapshot, lang: str) -> list[str]:
    return [f"{'정답' if lang == 'ko' else 'is'} {snap.views['label']}"]


def dot_rows(snap: Snapshot) -> int:
    """The dot-product row's height: a k×k kernel needs k + 2 lines and the border."""
    return len(snap.views["kernels"][0]) + 4


LAYOUT = Layout(
    # The maps get the most room: three fifths of the row, so that at 80x24 all 8 maps
    # (three across) fit beside the kernels (two across).
    Row(FilterGridPanel(T("kernels", "커널"), subtitle=T("learned", "학습된 것"), view="kernels", width="2fr"),
        FilterGridPanel(T("feature maps", "특징 맵"), subtitle=T("of the digit", "숫자의"), view="feature_maps",
                        width="3fr")),
    Row(FilterGridPanel(digit_title, id="digit", subtitle=digit_verdict, view="image", cmap="sequential",
                        labels=digit_label, reads=("label", "probs", "prediction"), width=19),
        TextPanel(T("Σ patch ⊙ kernel + b", "Σ 패치 ⊙ 커널 + b"), id="dot", text=dot_view, sized=True,
                  subtitle=T("one output", "출력 하나"), heavy=True, reads=("dot",)),
        id="cnn-dot", height=7, fit=dot_rows),
    Row(PlotPanel(T("loss", "손실"), metrics=("loss",), log_y=True),
        PlotPanel(T("accuracy", "정확도"), id="acc-plot",
                  metrics={"train_accuracy": T("train", "학습"), "val_accuracy": T("val", "검증"),
                           "test_accuracy": T("test", "테스트")})),
    status=("loss", "test_accuracy"),
    speed=2,  # 20 steps/s: the accuracy climbs for ~15 s to convergence (step 270-333); at full speed it is over in half a second
)
