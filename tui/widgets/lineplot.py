"""Provides `LinePlot`: named metric series over steps, smoothed like TensorBoard, drawn in braille."""

from __future__ import annotations

from functools import lru_cache
from typing import Hashable, Mapping, Sequence

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip

from .axes import format_log_ticks, format_ticks, linear_ticks, log_ticks, snap_log_range, snap_range
from .colors import format_value
from .heatmap import FrameWidget, path_pixels

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

AXIS_COLOR = 244
"""Colour of the axis lines (xterm-256 grey); their numbers use the text colour."""

BRAILLE_BASE = 0x2800
"""Unicode braille patterns start here; the low 8 bits say which dots are raised."""

DOT_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.int64)
"""The bit of each dot in a braille cell, by (row 0-3, column 0-1)."""

NO_COLOR_MARKERS = ("braille", "•", "+", "x", "o", "*")
"""Markers telling series apart when there is no colour (the first is drawn in braille)."""

MAX_SMOOTHING = 0.999
"""Largest EMA weight (1 would never move)."""

SNAP_STEPS = 8
"""Axes end on a multiple of about 1/8 of their span past the data (see snap_range):
the data fills at least three quarters of the plot, and the axis moves about every
15% of growth."""

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


class LinePlot(FrameWidget):
    """Several named series (loss, accuracy, ...) over steps, as braille lines.

    With smoothing on, each series is drawn as a faint raw line under a bright
    debiased-EMA line (TensorBoard's scalar view). Every line is reduced to at
    most two points per plot column before it is drawn (the raw line keeps each
    column's low and high, so spikes show; the EMA runs over the column means), so
    drawing costs the same at step 100 and step 1,000,000. NaN/inf points are
    dropped; with a log y-axis, values <= 0 are dropped too, and if nothing
    positive is left the axis falls back to linear with a note.

    The plot is rasterised with NumPy onto a braille canvas (2x4 dots per cell) and
    kept as strips: one frame costs about a millisecond at 120x40, where Plotext
    took 10-15 ms of the UI thread per plot per frame (a key pressed meanwhile
    waited for it).

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

    xlabel: reactive[str] = reactive("")
    """Label at the right end of the x-axis' numbers."""

    ylabel: reactive[str] = reactive("")
    """Label above the y-axis' numbers."""

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
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(LinePlot.title, title)
        self.set_reactive(LinePlot.xlabel, xlabel)
        self.set_reactive(LinePlot.ylabel, ylabel)
        self._series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._colors: dict[str, str] = {}
        self._hlines: dict[str, float] = {}
        self.plotted_points: dict[str, int] = {}
        """Points drawn per line in the last build ("name" and "name:raw")."""
        self.note = ""
        """The note on the legend line in the last build (e.g. a log-scale fallback)."""
        self.y_ticks: list[str] = []
        """The y-axis labels of the last build, top to bottom (for tests)."""
        self.x_ticks: list[str] = []
        """The x-axis labels of the last build, left to right (for tests)."""

    @property
    def builds(self) -> int:
        """How many times the plot was rebuilt (for tests and benchmarks)."""
        return self.frames_built

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
            colors: name -> colour: a name of `SERIES_COLORS` (faint shade known),
                an xterm-256 index or a Rich colour name. Unnamed series take
                `SERIES_COLORS` in order.
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

    # -- drawing --------------------------------------------------------------

    def _dark(self) -> bool:
        """Whether the theme is dark (the faint shades depend on it)."""
        try:
            return bool(getattr(self.app.current_theme, "dark", True))
        except Exception:  # not mounted
            return True

    def _frame_key(self) -> Hashable:
        return (self.log_y, self.smoothing, self.smooth_enabled, self.title, self.xlabel, self.ylabel, self._dark())

    def _palette(self, dark: bool) -> dict[str, tuple[int | str, int | str]]:
        """(bright, faint) colour per series."""
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

    def _build_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        try:
            return self._build_unsafe(width, height, no_color)
        except Exception as error:  # a plot must never take the app down
            text = f"{self.title}  (plot failed: {type(error).__name__})"[:width]
            return [Strip([Segment(text.ljust(width), self.rich_style + Style(dim=True))], width)] + [
                Strip.blank(width, self.rich_style)
            ] * max(height - 1, 0)

    def _build_unsafe(self, width: int, height: int, no_color: bool) -> list[Strip]:
        base = self.rich_style
        palette = self._palette(self._dark())
        smoothing = float(np.clip(self.smoothing, 0.0, MAX_SMOOTHING)) if self.smooth_enabled else 0.0
        self.plotted_points = {}
        self.y_ticks, self.x_ticks = [], []

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
        legend_strip = Strip(list(legend.render(self.app.console)), legend.cell_len).apply_style(base)
        legend_strip = legend_strip.adjust_cell_length(width, base)
        blank = Strip.blank(width, base)
        legend_only = [legend_strip] + [blank] * max(height - 1, 0)

        plot_height = height - 1
        if width < MIN_PLOT_WIDTH or plot_height < MIN_PLOT_HEIGHT:
            return legend_only
        if not any(x.size for x, _ in cleaned.values()):
            body = "no data yet" if not self._series else "no finite values"
            lines = [legend_strip] + [blank] * plot_height
            lines[1 + max(plot_height // 2 - 1, 0)] = Strip([Segment(body.center(width)[:width], base)], width)
            return lines

        # ≤ 2 points per column for each line, faint raw lines first (under the bright ones).
        buckets = max(width - 10, 4)
        xs_all = [x for x, _ in cleaned.values() if x.size]
        x_data = (min(float(x[0]) for x in xs_all), max(float(x[-1]) for x in xs_all))
        # The x-axis ends on a round step count past the data, so it (and the buckets
        # the lines are reduced over) stays put while training goes on.
        x_range = snap_range(*x_data, SNAP_STEPS, integer=True)
        drawn: list[tuple[str, np.ndarray, np.ndarray, int | str, str]] = []
        for i, (name, (x, y)) in enumerate(cleaned.items()):
            if x.size == 0:
                continue
            bright, faint = palette[name]
            marker = NO_COLOR_MARKERS[i % len(NO_COLOR_MARKERS)] if no_color else "braille"
            if smoothing > 0:
                if not no_color:
                    rx, ry = downsample_minmax(x, y, buckets, x_range)
                    drawn.append((f"{name}:raw", rx, ry, faint, "braille"))
                mx, my = bucket_means(x, y, buckets, x_range)
                sx, sy = mx, ema_smooth(my, smoothing)
            else:
                sx, sy = downsample_minmax(x, y, buckets, x_range)
            drawn.append((name, sx, sy, bright, marker))
        drawn.sort(key=lambda line: not line[0].endswith(":raw"))
        for key, lx, _, _, _ in drawn:
            self.plotted_points[key] = lx.shape[0]

        # The y range: every drawn point and every marker line.
        transform = np.log10 if log_y else (lambda v: v)
        ys = [transform(ly) for _, _, ly, _, _ in drawn]
        hlines = [v for v in self._hlines.values() if np.isfinite(v) and (v > 0 or not log_y)]
        y_lo = min(float(np.min(v)) for v in ys)
        y_hi = max(float(np.max(v)) for v in ys)
        for v in hlines:
            y_lo, y_hi = min(y_lo, float(transform(v))), max(y_hi, float(transform(v)))
        if not y_hi - y_lo > 1e-12 * max(abs(y_lo), abs(y_hi)):  # flat (up to rounding in the EMA): centre it
            pad = 0.5 if log_y or y_lo == 0 else abs(y_lo) * 0.1
            y_lo, y_hi = y_lo - pad, y_hi + pad

        # Layout: y labels | axis | canvas; then the x-axis and its labels.
        rows = plot_height - 2
        y_max_ticks = max(1, rows // 3)  # a label every third row at most
        # The y-axis too ends on round values, and moves only when the data passes one.
        if log_y:
            y_lo, y_hi = snap_log_range(y_lo, y_hi)
            y_ticks = log_ticks(y_lo, y_hi, y_max_ticks)
            y_pos = np.log10(y_ticks) if y_ticks.size else y_ticks
            y_labels = format_log_ticks(y_ticks)
        else:
            y_lo, y_hi = snap_range(y_lo, y_hi, SNAP_STEPS)
            y_ticks = linear_ticks(y_lo, y_hi, y_max_ticks)
            y_pos, y_labels = y_ticks, format_ticks(y_ticks)
        label_w = max([len(label) for label in y_labels] + [len(self.ylabel) if self.ylabel else 0, 1])
        label_w = min(label_w, max(width // 3, 1))
        cols = width - label_w - 1
        if cols < 4 or rows < 1:
            return legend_only
        extent = (x_range[0], x_range[1], y_lo, y_hi)
        codes = np.zeros((rows, cols), dtype=np.int64)  # braille dots, all lines together
        glyphs = np.zeros((rows, cols), dtype=np.int64)  # a marker character, when there is no colour
        owner = np.full((rows, cols), -1, dtype=np.int64)  # which line colours each cell
        styles: list[Style] = []
        h_style = _rich_style(HLINE_COLOR)
        for value in hlines:
            _draw_line(codes, glyphs, owner, len(styles), np.array([[x_range[0], transform(value)], [x_range[1], transform(value)]]), extent, "braille")
            styles.append(h_style)
        for _, lx, ly, color, marker in drawn:
            _draw_line(codes, glyphs, owner, len(styles), np.column_stack([lx, transform(ly)]), extent, marker)
            styles.append(_rich_style(color))
        chars = np.where(glyphs > 0, glyphs, np.where(codes > 0, BRAILLE_BASE + codes, 32)).astype("<u4")

        # Where the ticks fall: the text row of each y tick, the column of each x tick.
        tick_rows: dict[int, str] = {}
        for pos, label in zip(y_pos.tolist(), y_labels):
            pixel = (y_hi - pos) / (y_hi - y_lo) * (4 * rows - 1)
            row = int(round(pixel)) // 4
            if 0 <= row < rows and row not in tick_rows and (row - 1) not in tick_rows and (row + 1) not in tick_rows:
                tick_rows[row] = label[:label_w]
        self.y_ticks = [tick_rows[r] for r in sorted(tick_rows)]
        x_ticks = linear_ticks(x_range[0], x_range[1], max(2, cols // 6), integer=True)
        x_labels = format_ticks(x_ticks)
        label_style = base
        axis_style = base + _rich_style(AXIS_COLOR)
        out = [legend_strip]
        for r in range(rows):
            label = tick_rows.get(r, self.ylabel[:label_w] if (r == 0 and self.ylabel and 0 not in tick_rows) else "")
            segments = [Segment(label.rjust(label_w), label_style), Segment("┤" if r in tick_rows else "│", axis_style)]
            text = chars[r].tobytes().decode("utf-32-le")
            row_owner = owner[r]
            breaks = np.flatnonzero(row_owner[1:] != row_owner[:-1]) + 1
            starts = [0, *breaks.tolist()]
            ends = [*breaks.tolist(), cols]
            for a, b in zip(starts, ends):
                o = int(row_owner[a])
                segments.append(Segment(text[a:b], base if o < 0 else base + styles[o]))
            out.append(Strip(segments, width))
        # The x-axis: └──┬──, then the numbers centred under their ticks.
        axis = ["─"] * cols
        label_line = [" "] * width
        free_from = 0
        x_span = x_range[1] - x_range[0]
        for value, label in zip(x_ticks.tolist(), x_labels):
            pixel = (value - x_range[0]) / x_span * (2 * cols - 1) if x_span > 0 else (2 * cols - 1) / 2
            col = int(round(pixel)) // 2
            if not 0 <= col < cols:
                continue
            centre = label_w + 1 + col
            start = min(max(centre - len(label) // 2, 0), width - len(label))
            if start < free_from or start < 0:
                continue
            axis[col] = "┬"
            label_line[start : start + len(label)] = label
            free_from = start + len(label) + 1
            self.x_ticks.append(label)
        if self.xlabel and len(self.xlabel) < width - free_from:
            label_line[width - len(self.xlabel) :] = self.xlabel
        out.append(Strip([Segment(" " * label_w, base), Segment("└" + "".join(axis), axis_style)], width))
        out.append(Strip([Segment("".join(label_line), label_style)], width))
        return out


def _draw_line(
    codes: np.ndarray,
    glyphs: np.ndarray,
    owner: np.ndarray,
    index: int,
    path: np.ndarray,
    extent: tuple[float, float, float, float],
    marker: str,
) -> None:
    """Rasterise the polyline ``path`` (data coordinates) onto the braille canvas.

    Braille lines add their dots to ``codes`` (dots of several lines in one cell
    merge; the last line drawn colours it); a marker line writes its character into
    ``glyphs`` instead. Either way ``owner`` records line ``index`` for the cells."""
    rows, cols = codes.shape
    pr, pc = path_pixels(path, extent, 4 * rows, 2 * cols)
    if pr.size == 0:
        return
    cell = (pr // 4) * cols + pc // 2
    flat_owner = owner.reshape(-1)
    if marker == "braille":
        dots = np.zeros(rows * cols, dtype=np.int64)
        np.bitwise_or.at(dots, cell, DOT_BITS[pr % 4, pc % 2])
        hit = np.flatnonzero(dots)
        codes.reshape(-1)[hit] |= dots[hit]
        glyphs.reshape(-1)[hit] = 0
        flat_owner[hit] = index
    else:
        glyphs.reshape(-1)[cell] = ord(marker[0])
        flat_owner[cell] = index


@lru_cache(maxsize=256)
def _rich_style(color: int | str) -> Style:
    """A Rich style for a colour (xterm-256 index or Rich colour name), made once."""
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
