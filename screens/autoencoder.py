"""Autoencoder: test digits beside their reconstructions, the 2-D latent map with every
test digit drawn as its own class digit and a cursor, the decoder's image at the cursor,
and the test loss against the mean-image and PCA baselines."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from nndojo.core.experiment import Snapshot

from .layout import FilterGridPanel, Layout, PlotPanel, Row, T, TextPanel

#: One colour per class (the glyph is the digit itself, so colour is only a help).
CLASS_COLORS = ("red", "green", "yellow", "blue", "magenta", "cyan", "bright_red", "bright_green",
                "bright_blue", "bright_magenta")
CURSOR = "✛"


def latent_map(snap: Snapshot, lang: str, width: int, height: int = 0) -> Text:
    """Every test digit's first two code numbers as a point, drawn as its class digit in
    its class colour; the cursor drawn over them. x to the right, y up."""
    width, height = max(width, 10), max(height, 4)
    v = snap.views
    z, labels = np.asarray(v["latent"]), np.asarray(v["labels"])
    xmin, xmax, ymin, ymax = v["extent"]
    cells: list[list[tuple[str, str]]] = [[(" ", "")] * width for _ in range(height)]

    def place(px: float, py: float) -> tuple[int, int]:
        c = int((px - xmin) / max(xmax - xmin, 1e-12) * (width - 1) + 0.5)
        r = int((ymax - py) / max(ymax - ymin, 1e-12) * (height - 1) + 0.5)
        return min(max(r, 0), height - 1), min(max(c, 0), width - 1)

    for (px, py), label in zip(z, labels):
        r, c = place(float(px), float(py))
        cells[r][c] = (str(int(label)), CLASS_COLORS[int(label) % 10])
    cx, cy = (float(a) for a in v["cursor"])
    r, c = place(cx, cy)
    cells[r][c] = (CURSOR, "bold reverse white")
    t = Text(no_wrap=True, overflow="crop")
    for i, row in enumerate(cells):
        for ch, style in row:
            t.append(ch, style=style or None)
        if i < height - 1:
            t.append("\n")
    return t


def map_title(snap: Snapshot, lang: str) -> str:
    d = int(snap.views["latent_size"])
    if d == 2:
        return "잠재 지도 (z₁, z₂)" if lang == "ko" else "latent map (z₁, z₂)"
    return f"잠재 z₁, z₂ ({d}개 중)" if lang == "ko" else f"latent z₁, z₂ (of {d})"


def shown_labels(snap: Snapshot, lang: str) -> list[str]:
    return [str(int(y)) for y in snap.views["shown_labels"]]


def cursor_label(snap: Snapshot, lang: str) -> list[str]:
    return [CURSOR]


def cursor_point(snap: Snapshot, lang: str) -> str:
    cx, cy = (float(a) for a in snap.views["cursor"])
    return f"({cx:+.1f}, {cy:+.1f})"


def baselines(snap: Snapshot, lang: str) -> str:
    v = snap.views
    mean, pca = ("평균", "PCA") if lang == "ko" else ("mean", "PCA")
    return f"{mean} {float(v['mean_loss']):.4f} · {pca}-{int(v['latent_size'])} {float(v['pca_loss']):.4f}"


LAYOUT = Layout(
    Row(FilterGridPanel(T("test digits", "테스트 숫자"), view="inputs", cmap="sequential", labels=shown_labels,
                        reads=("shown_labels",)),
        FilterGridPanel(T("reconstructions", "복원"), view="reconstructions", cmap="sequential", labels=shown_labels),
        height=13),
    Row(TextPanel(map_title, id="latent-map", text=latent_map, sized=True, heavy=True,
                  subtitle=T("a point per test digit", "점 = 테스트 숫자"),
                  reads=("latent", "labels", "extent", "cursor", "latent_size")),
        FilterGridPanel(T("decoded at ✛", "✛ 위치의 복원"), id="decoded", view="decoded", cmap="sequential",
                        labels=cursor_label, subtitle=cursor_point, reads=("cursor",), width=20)),
    Row(PlotPanel(T("reconstruction loss", "복원 손실"), subtitle=baselines,
                  metrics={"test_loss": T("test", "테스트"), "loss": T("train batch", "학습 배치"),
                           "mean_baseline": T("mean image", "평균 이미지"), "pca_baseline": T("PCA", "PCA")},
                  log_y=True, reads=("mean_loss", "pca_loss", "latent_size"))),
    status=("test_loss", "pca_baseline"),
    pages=((0,), (1,), (2,)),
    speed=3,  # 100 steps/s: below the mean image within a second, below PCA-2 within about 10 s
)
