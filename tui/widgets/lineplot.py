"""Provides `LinePlot`: named metric series over steps, smoothed like TensorBoard, drawn in braille."""

from __future__ import annotations

from typing import Hashable

import numpy as np
from textual.reactive import reactive

from nndojo.core.texts._ui import ui

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

__all__ = ["LinePlot", "ema_smooth", "smoothed_line", "downsample_minmax", "bucket_means", "SERIES_COLORS", "NO_COLOR_MARKERS"]

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


def smoothed_line(
    x: np.ndarray, y: np.ndarray, weight: float, buckets: int, x_range: tuple[float, float] | None, log_y: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The EMA line of (x, y) over `buckets` column means, in the space the y axis shows:
    on a log axis the means and the EMA are of log10(y) (y > 0), mapped back, so the line
    follows a geometric decay at its level instead of trailing its early, larger values."""
    if not log_y:
        mx, my = bucket_means(x, y, buckets, x_range)
        return mx, ema_smooth(my, weight)
    mx, my = bucket_means(x, np.log10(y), buckets, x_range)
    return mx, np.power(10.0, ema_smooth(my, weight))


class LinePlot(XYPlot):
    """Several named series (loss, accuracy, ...) over steps, as braille lines.

    An `XYPlot` whose x counts steps (whole-number ticks; a log x-axis with `log_x`,
    where step 0 is left out without a note). With smoothing on, each series is drawn
    as a faint raw line under a bright debiased-EMA line (TensorBoard's scalar view);
    the EMA runs over the column means, so a smoothing weight looks the same at step
    100 and at step 1,000,000, and on a log y-axis over log10 of the values (see
    `smoothed_line`). With a log y-axis, values <= 0 are dropped, and if nothing
    positive is left the axis falls back to linear with a note. Ghost series (a pinned
    run) are smoothed alike, with no raw line.
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
        return [ui("chart.ema", self.lang, weight=smoothing)] if smoothing > 0 else []

    def _x_axis(self, lo: float, hi: float, log_x: bool) -> tuple[float, float]:
        if log_x:
            return super()._x_axis(lo, hi, log_x)
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
        ghost = name in self._ghosts
        raw = [] if no_color or ghost else [Trace(f"{name}:raw", *downsample_minmax(x, y, buckets, x_range), faint, "braille", False)]
        line = Trace(name, *smoothed_line(x, y, smoothing, buckets, x_range, self.log_scales[1]), bright, marker, False)
        return raw, [line]
