"""Provides `LinePlot`: named metric series over steps, smoothed like TensorBoard, on a Plotext canvas."""

from __future__ import annotations

from typing import Hashable, Mapping, Sequence

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from .colors import format_value

__all__ = ["LinePlot", "ema_smooth", "downsample_minmax", "bucket_means", "SERIES_COLORS"]

SERIES_COLORS: dict[str, tuple[int, int, int]] = {
    # name: (bright, faint on a dark background, faint on a light background)
    "blue": (39, 24, 153),
    "orange": (208, 94, 223),
    "green": (41, 22, 157),
    "magenta": (170, 54, 225),
    "red": (203, 88, 224),
    "cyan": (51, 23, 159),
    "yellow": (220, 58, 229),
    "grey": (250, 240, 252),
}
"""Series colours as xterm-256 indices, so they look the same on 256-colour terminals."""

HLINE_COLOR = 244
"""Colour of horizontal marker lines (xterm-256 grey)."""

NO_COLOR_MARKERS = ("braille", "•", "+", "x", "o", "*")
"""Plotext markers telling series apart when there is no colour."""

MAX_SMOOTHING = 0.999
"""Largest EMA weight (1 would never move)."""

MIN_PLOT_WIDTH = 16
MIN_PLOT_HEIGHT = 4


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


def downsample_minmax(
    x: np.ndarray, y: np.ndarray, buckets: int, x_range: tuple[float, float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the lowest and highest point of each of `buckets` equal x-intervals.

    Returns at most `2 * buckets + 2` points (the first and last point are
    always kept) in x order, so spikes survive
    (a divergence shows even when it lasted one step). `x` must be sorted.
    Cost is a few vectorised passes over the data.
    """
    n = x.shape[0]
    buckets = max(int(buckets), 1)
    if n <= 2 * buckets:
        return x, y
    starts = _bucket_starts(x, buckets, x_range)
    counts = np.diff(np.append(starts, n))
    picks = []
    for reduce in (np.minimum, np.maximum):
        extreme = reduce.reduceat(y, starts)
        hits = np.flatnonzero(y == np.repeat(extreme, counts))
        picks.append(hits[np.searchsorted(hits, starts)])
    index = np.unique(np.concatenate([[0, n - 1], *picks]))
    return x[index], y[index]


def bucket_means(
    x: np.ndarray, y: np.ndarray, buckets: int, x_range: tuple[float, float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The mean point of each of `buckets` equal x-intervals (empty ones skipped).

    Series of at most `2 * buckets` points are returned unchanged. Smoothing is
    applied to these means, as TensorBoard smooths the points it displays, so
    a smoothing weight looks the same at step 100 and step 1,000,000.
    `x` must be sorted.
    """
    n = x.shape[0]
    buckets = max(int(buckets), 1)
    if n <= 2 * buckets:
        return x, y
    starts = _bucket_starts(x, buckets, x_range)
    counts = np.diff(np.append(starts, n))
    return np.add.reduceat(x, starts) / counts, np.add.reduceat(y, starts) / counts


def _bucket_starts(x: np.ndarray, buckets: int, x_range: tuple[float, float] | None) -> np.ndarray:
    """First index of each non-empty bucket of equal x-intervals over `x_range`."""
    n = x.shape[0]
    lo, hi = x_range if x_range is not None else (float(x[0]), float(x[-1]))
    if not hi > lo:
        return np.array([0])
    inner = np.linspace(lo, hi, buckets + 1)[1:-1]
    starts = np.unique(np.concatenate(([0], np.searchsorted(x, inner, side="left"))))
    return starts[starts < n]


class LinePlot(PlotextPlot):
    """Several named series (loss, accuracy, ...) over steps, as lines.

    With smoothing on, each series is drawn as a faint raw line under a bright
    debiased-EMA line (TensorBoard's scalar view). Every line is reduced to at
    most two points per plot column before it reaches Plotext (the raw line
    keeps each column's low and high, so spikes show; the EMA runs over the
    column means), so drawing costs the same at step 100 and step 1,000,000.
    NaN/inf points are dropped; with a log y-axis, values <= 0 are dropped too,
    and if nothing positive is left the axis falls back to linear with a note.

    The widget is passive: call `set_series` at any rate. It rebuilds the plot
    only when the data, a setting or its size changed, and only while shown.
    """

    DEFAULT_CSS = """
    LinePlot {
        width: 1fr;
        height: 1fr;
        min-height: 5;
    }
    """

    log_y: reactive[bool] = reactive(False)
    """Logarithmic y-axis (non-positive values are hidden)."""

    smoothing: reactive[float] = reactive(0.6)
    """EMA weight in [0, 1); 0 turns smoothing off."""

    smooth_enabled: reactive[bool] = reactive(True)
    """Whether smoothing is applied at all (a toggle that keeps `smoothing`)."""

    title: reactive[str] = reactive("")
    """Title at the start of the legend line."""

    xlabel: reactive[str] = reactive("")
    """Label under the x-axis."""

    ylabel: reactive[str] = reactive("")
    """Label of the y-axis."""

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
            xlabel: Label under the x-axis.
            ylabel: Label of the y-axis.
            name: The name of the widget.
            id: The ID of the widget in the DOM.
            classes: The CSS classes of the widget.
            disabled: Whether the widget is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(LinePlot.title, title)
        self.set_reactive(LinePlot.xlabel, xlabel)
        self.set_reactive(LinePlot.ylabel, ylabel)
        self._series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._colors: dict[str, str] = {}
        self._hlines: dict[str, float] = {}
        self._version = 0
        self._cache_key: Hashable = None
        self._cache: Text = Text()
        self.builds = 0
        """How many times the plot was rebuilt (for tests and benchmarks)."""
        self.plotted_points: dict[str, int] = {}
        """Points handed to Plotext per line in the last build ("name" and "name:raw")."""
        self.note = ""
        """The note on the legend line in the last build (e.g. a log-scale fallback)."""

    # -- data -----------------------------------------------------------------

    def set_series(
        self,
        series: Mapping[str, tuple[np.ndarray, np.ndarray]],
        *,
        colors: Mapping[str, str] | None = None,
    ) -> None:
        """Replace all series.

        Args:
            series: name -> (x, y) arrays of equal length; x should be increasing
                (it is sorted if not). Unequal lengths are cut to the shorter.
            colors: name -> colour: a name of `SERIES_COLORS` (faint shade known)
                or any Plotext colour. Unnamed series take `SERIES_COLORS` in order.
        """
        new: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name, (x, y) in series.items():
            xs = np.array(x, dtype=np.float64, copy=True).ravel()
            ys = np.array(y, dtype=np.float64, copy=True).ravel()
            n = min(xs.shape[0], ys.shape[0])
            new[str(name)] = (xs[:n], ys[:n])
        new_colors = dict(colors) if colors is not None else {}
        if new_colors == self._colors and _same_series(new, self._series):
            return
        self._series = new
        self._colors = new_colors
        self._changed()

    def set_hlines(self, lines: Mapping[str, float] | Sequence[float]) -> None:
        """Draw horizontal marker lines (e.g. a target loss), labelled in the legend."""
        if isinstance(lines, Mapping):
            new = {str(k): float(v) for k, v in lines.items()}
        else:
            new = {format_value(float(v)): float(v) for v in lines}
        if new != self._hlines:
            self._hlines = new
            self._changed()

    def clear(self) -> None:
        """Remove every series and marker line."""
        self.set_series({})
        self.set_hlines({})

    def _changed(self) -> None:
        self._version += 1
        self.refresh()

    # -- drawing --------------------------------------------------------------

    def _no_color(self) -> bool:
        return bool(self.app.no_color) or self.app.console.color_system is None

    def render(self) -> RenderResult:
        """Return the plot, rebuilding it only if something it shows changed."""
        width, height = self.size
        theme = self._get_plotext_theme_name(self.app.theme)
        key = (
            width, height, self._version, theme, self._no_color(), self.log_y,
            self.smoothing, self.smooth_enabled, self.title, self.xlabel, self.ylabel,
        )
        if key != self._cache_key:
            self._cache = self._build(width, height, theme)
            self._cache_key = key
            self.builds += 1
        return self._cache

    def _palette(self) -> dict[str, tuple[int | str, int | str]]:
        """(bright, faint) colour per series."""
        dark = getattr(self.app.current_theme, "dark", True)
        defaults = list(SERIES_COLORS)
        out: dict[str, tuple[int | str, int | str]] = {}
        for i, name in enumerate(self._series):
            color = self._colors.get(name, defaults[i % len(defaults)])
            if color in SERIES_COLORS:
                bright, faint_dark, faint_light = SERIES_COLORS[color]
                out[name] = (bright, faint_dark if dark else faint_light)
            else:
                out[name] = (color, 240 if dark else 252)
        return out

    def _build(self, width: int, height: int, theme: str) -> Text:
        try:
            return self._build_unsafe(width, height, theme)
        except Exception as error:  # a plot must never take the app down
            return Text(f"{self.title}  (plot failed: {type(error).__name__})", style="dim")

    def _build_unsafe(self, width: int, height: int, theme: str) -> Text:
        no_color = self._no_color()
        palette = self._palette()
        smoothing = float(np.clip(self.smoothing, 0.0, MAX_SMOOTHING)) if self.smooth_enabled else 0.0
        self.plotted_points = {}

        # Clean every series: finite, sorted, positive for log.
        cleaned: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        dropped_nonpositive = dropped_nonfinite = 0
        for name, (x, y) in self._series.items():
            keep = np.isfinite(x) & np.isfinite(y)
            dropped_nonfinite += int(keep.size - np.count_nonzero(keep))
            x, y = x[keep], y[keep]
            if x.shape[0] > 1 and np.any(x[1:] < x[:-1]):
                order = np.argsort(x, kind="stable")
                x, y = x[order], y[order]
            cleaned[name] = (x, y)
        log_y = self.log_y
        notes: list[str] = []
        if dropped_nonfinite:
            notes.append(f"{dropped_nonfinite} nan/inf hidden")
        if log_y:
            positive = {name: y > 0 for name, (_, y) in cleaned.items()}
            if not any(mask.any() for mask in positive.values()):
                log_y = False
                if any(y.size for _, y in cleaned.values()):
                    notes.append("linear: no values > 0 for log")
            else:
                for name, mask in positive.items():
                    dropped_nonpositive += int(mask.size - mask.sum())
                    x, y = cleaned[name]
                    cleaned[name] = (x[mask], y[mask])
                if dropped_nonpositive:
                    notes.append(f"log: {dropped_nonpositive} values ≤ 0 hidden")

        legend = Text(no_wrap=True, overflow="ellipsis")
        if self.title:
            legend.append(self.title, style="bold")
            legend.append("  ")
        for i, name in enumerate(self._series):
            marker = NO_COLOR_MARKERS[i % len(NO_COLOR_MARKERS)] if no_color else "━"
            legend.append("⠤⠤" if marker == "braille" else marker, style=_rich_style(palette[name][0]))
            legend.append(f" {name}  ")
        for label in self._hlines:
            legend.append("──", style=_rich_style(HLINE_COLOR))
            legend.append(f" {label}  ")
        if smoothing > 0 and self._series:
            notes.append(f"ema {smoothing:g}")
        if log_y:
            notes.append("log y")
        self.note = "  ".join(notes)
        legend.append(self.note, style="dim")
        legend.truncate(width)

        plot_height = height - 1
        if width < MIN_PLOT_WIDTH or plot_height < MIN_PLOT_HEIGHT:
            return legend
        if not any(x.size for x, _ in cleaned.values()):
            body = "no data yet" if not self._series else "no finite values"
            pad = "\n" * max(plot_height // 2 - 1, 0)
            return Text.assemble(legend, "\n", pad, body.center(width), style="")

        # Plotext: size, theme, then the data (≤ 2 points per column each line).
        plt = self._plot
        plt.clear_figure()
        plt.plotsize(width, plot_height)
        plt._set_size(width, plot_height)
        plt.theme(theme)
        buckets = max(width - 10, 4)
        xs_all = [x for x, _ in cleaned.values() if x.size]
        x_range = (min(float(x[0]) for x in xs_all), max(float(x[-1]) for x in xs_all))
        # Faint raw lines first, so that no bright line is painted over.
        lines: list[tuple[str, np.ndarray, np.ndarray, int | str, str]] = []
        for i, (name, (x, y)) in enumerate(cleaned.items()):
            if x.size == 0:
                continue
            bright, faint = palette[name]
            marker = NO_COLOR_MARKERS[i % len(NO_COLOR_MARKERS)] if no_color else "braille"
            if smoothing > 0:
                if not no_color:
                    rx, ry = downsample_minmax(x, y, buckets, x_range)
                    lines.append((f"{name}:raw", rx, ry, faint, "braille"))
                mx, my = bucket_means(x, y, buckets, x_range)
                sx, sy = mx, ema_smooth(my, smoothing)
            else:
                sx, sy = downsample_minmax(x, y, buckets, x_range)
            lines.append((name, sx, sy, bright, marker))
        lines.sort(key=lambda line: not line[0].endswith(":raw"))
        for key, lx, ly, color, marker in lines:
            plt.plot(lx.tolist(), ly.tolist(), marker=marker, color=color)
            self.plotted_points[key] = lx.shape[0]
        for value in self._hlines.values():
            if np.isfinite(value) and (value > 0 or not log_y):
                plt.horizontal_line(value, color=HLINE_COLOR)
        if x_range[1] > x_range[0]:
            plt.xlim(*x_range)
        if log_y:
            plt.yscale("log")
        if self.xlabel:
            plt.xlabel(self.xlabel)
        if self.ylabel:
            plt.ylabel(self.ylabel)
        return Text.assemble(legend, "\n", Text.from_ansi(plt.build()))

    def on_show(self) -> None:
        """Catch up with changes made while hidden."""
        if self._cache_key is None or self._cache_key[2] != self._version:
            self.refresh()


def _rich_style(color: int | str) -> Style:
    """A Rich style for a Plotext colour (xterm index or name)."""
    try:
        return Style(color=Color.from_ansi(color) if isinstance(color, int) else Color.parse(color))
    except Exception:
        return Style()


def _same_series(
    a: Mapping[str, tuple[np.ndarray, np.ndarray]], b: Mapping[str, tuple[np.ndarray, np.ndarray]]
) -> bool:
    """Whether two series mappings hold the same names (in order) and values."""
    if list(a) != list(b):
        return False
    for name, (ax, ay) in a.items():
        bx, by = b[name]
        if ax.shape != bx.shape or not (
            np.array_equal(ax, bx, equal_nan=True) and np.array_equal(ay, by, equal_nan=True)
        ):
            return False
    return True
