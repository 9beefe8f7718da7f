"""Provides `LinePlot`: named metric series over steps, smoothed like TensorBoard, drawn in braille."""

from __future__ import annotations

from typing import Hashable

import numpy as np
from textual.reactive import reactive

from .axes import snap_range
from .xyplot import (
    NO_COLOR_MARKERS,
    SERIES_COLORS,
    SNAP_STEPS,
    Trace,
    XYPlot,
    bucket_means,
    downsample_minmax,
)

__all__ = ["LinePlot", "ema_smooth", "downsample_minmax", "bucket_means", "SERIES_COLORS", "NO_COLOR_MARKERS"]

MAX_SMOOTHING = 0.999
"""Largest EMA weight (1 would never move)."""


def ema_smooth(values: np.ndarray, weight: float) -> np.ndarray:
    """TensorBoard's debiased exponential moving average.

    `last = weight * last + (1 - weight) * x`, then divided by `1 - weight**n`
    for the n-th value, so the first smoothed value equals the first raw value.
    Computed with a doubling scan (a few vectorised passes; no Python loop over
    the values). `weight` is clipped to [0, 0.999]; 0 returns a copy.

    Args:
        values: (n,) finite values.
        weight: Smoothing weight in [0, 1).
    """
    y = np.array(values, dtype=np.float64, copy=True)
    weight = float(np.clip(weight, 0.0, MAX_SMOOTHING))
    n = y.shape[0]
    if n == 0 or weight == 0.0:
        return y
    y *= 1.0 - weight
    factor, shift = weight, 1
    # After the pass with shift d, y[i] sums weight**k * x[i-k] for k < 2d.
    while shift < n and factor > 1e-18:
        y[shift:] += factor * y[:-shift]
        factor *= factor
        shift *= 2
    y /= -np.expm1(np.arange(1, n + 1) * np.log(weight))
    return y




class LinePlot(XYPlot):
    """Several named series (loss, accuracy, ...) over steps, as braille lines.

    An `XYPlot` whose x counts steps (whole-number ticks, a linear x-axis from the
    first step). With smoothing on, each series is drawn as a faint raw line under
    a bright debiased-EMA line (TensorBoard's scalar view); the EMA runs over the
    column means, so a smoothing weight looks the same at step 100 and at step
    1,000,000. With a log y-axis, values <= 0 are dropped, and if nothing positive
    is left the axis falls back to linear with a note.
    """

    DEFAULT_CSS = """
    LinePlot {
        width: 1fr;
        height: 1fr;
        min-height: 5;
    }
    """

    smoothing: reactive[float] = reactive(0.6)
    """EMA weight in [0, 1); 0 turns smoothing off."""

    smooth_enabled: reactive[bool] = reactive(True)
    """Whether smoothing is applied at all (a toggle that keeps `smoothing`)."""

    INTEGER_X = True

    def __init__(
        self,
        *,
        title: str = "",
        xlabel: str = "",
        ylabel: str = "",
        name: str | None = None,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Initialise an empty plot.

        Args:
            title: Title at the start of the legend line.
            xlabel: Label at the right end of the x-axis' numbers.
            ylabel: Label above the y-axis' numbers.
            name: The name of the widget.
            id: The ID of the widget in the DOM.
            classes: The CSS classes of the widget.
            disabled: Whether the widget is disabled.
        """
        super().__init__(title=title, xlabel=xlabel, ylabel=ylabel, name=name, id=id, classes=classes, disabled=disabled)

    def _smoothing(self) -> float:
        return float(np.clip(self.smoothing, 0.0, MAX_SMOOTHING)) if self.smooth_enabled else 0.0

    def _frame_key(self) -> Hashable:
        return (super()._frame_key(), self.smoothing, self.smooth_enabled)

    def _extra_notes(self) -> list[str]:
        smoothing = self._smoothing()
        return [f"ema {smoothing:g}"] if smoothing > 0 else []

    def _x_axis(self, lo: float, hi: float, log_x: bool) -> tuple[float, float]:
        return snap_range(lo, hi, SNAP_STEPS, integer=True)

    def _traces(
        self,
        cleaned: dict[str, tuple[np.ndarray, np.ndarray]],
        buckets: int,
        x_range: tuple[float, float],
        palette: dict[str, tuple[int | str, int | str]],
        no_color: bool,
    ) -> list[Trace]:
        """Each series as a line; smoothed, an EMA line over its faint raw line (raw lines first)."""
        smoothing = self._smoothing()
        traces: list[Trace] = []
        for i, (name, (x, y)) in enumerate(cleaned.items()):
            if x.size == 0:
                continue
            bright, faint = palette[name]
            marker = self._markers(i, no_color)[0]
            if smoothing > 0:
                if not no_color:
                    rx, ry = downsample_minmax(x, y, buckets, x_range)
                    traces.append(Trace(f"{name}:raw", rx, ry, faint, "braille", False))
                mx, my = bucket_means(x, y, buckets, x_range)
                sx, sy = mx, ema_smooth(my, smoothing)
            else:
                sx, sy = downsample_minmax(x, y, buckets, x_range)
            traces.append(Trace(name, sx, sy, bright, marker, False))
        traces.sort(key=lambda trace: not trace.key.endswith(":raw"))
        return traces
