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

    smoothing: reactive[float] = reactive(0.6)
    """EMA weight in [0, 1); 0 turns smoothing off."""

    smooth_enabled: reactive[bool] = reactive(True)
    """Whether smoothing is applied at all (a toggle that keeps `smoothing`)."""

    INTEGER_X = True

    def _smoothing(self) -> float:
        return float(np.clip(self.smoothing, 0.0, MAX_SMOOTHING)) if self.smooth_enabled else 0.0

    def _frame_key(self) -> Hashable:
        return (super()._frame_key(), self.smoothing, self.smooth_enabled)

    def _extra_notes(self) -> list[str]:
        smoothing = self._smoothing()
        return [f"ema {smoothing:g}"] if smoothing > 0 else []

    def _x_axis(self, lo: float, hi: float, log_x: bool) -> tuple[float, float]:
        return snap_range(lo, hi, SNAP_STEPS, integer=True)

    def _series_traces(
        self, index: int, name: str, x: np.ndarray, y: np.ndarray, colors: tuple[int | str, int | str],
        buckets: int, x_range: tuple[float, float], no_color: bool,
    ) -> tuple[list[Trace], list[Trace]]:
        """The series as a line; smoothed, an EMA line over its faint raw line (the raw
        lines of all series under every EMA line)."""
        smoothing = self._smoothing()
        bright, faint = colors
        marker = self._markers(index, no_color)[0]
        if smoothing <= 0:
            return [], [Trace(name, *downsample_minmax(x, y, buckets, x_range), bright, marker, False)]
        raw = [] if no_color else [Trace(f"{name}:raw", *downsample_minmax(x, y, buckets, x_range), faint, "braille", False)]
        mx, my = bucket_means(x, y, buckets, x_range)
        return raw, [Trace(name, mx, ema_smooth(my, smoothing), bright, marker, False)]
