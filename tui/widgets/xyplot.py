"""Provides `XYPlot`: named series of (x, y) points drawn as braille lines or as scatter markers, on linear
or log10 axes with round ticks, and the downsampling that keeps its cost bounded by the plot's width."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Collection, Hashable, Literal, Mapping, NamedTuple, Sequence

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip

from nndojo.core.texts._ui import ui

from .axes import format_end, format_log_ticks, format_ticks, linear_ticks, log_ticks, snap_log_range, snap_range
from .colors import format_value
from .frame import FrameWidget, center_cells, map_axis, path_pixels

__all__ = [
    "XYPlot",
    "SeriesKind",
    "downsample_minmax",
    "bucket_means",
    "SERIES_COLORS",
    "GHOST_COLORS",
    "NO_COLOR_MARKERS",
]

SeriesKind = Literal["line", "scatter", "line+scatter"]
"""How a series is drawn: a braille line through its points, a marker per point, or both."""

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

GHOST_COLORS: tuple[int, ...] = (246, 133, 73, 143)
"""Colours of ghost series (a pinned run's curves: grey, mauve, teal, khaki), mid-tones
that read as "behind" the bright series on dark and light backgrounds alike."""

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

SNAP_STEPS = 8
"""Axes end on a multiple of about 1/8 of their span past the data (see snap_range):
the data fills at least three quarters of the plot, and the axis moves about every
15% of growth."""

MIN_PLOT_WIDTH = 16
MIN_PLOT_HEIGHT = 4
MIN_CANVAS_ROWS = 4
"""A plot with fewer rows of lines than this is drawn, but is too low to read (see `fits`)."""


SCATTER_GLYPH = "•"
"""Marker of a scatter point in colour (series are told apart by colour)."""

NO_COLOR_SCATTER_GLYPH = "◦"
"""Marker of a scatter point without colour for a series whose line marker is braille."""

VLINE_COLOR = 244
"""Colour of vertical marker lines (xterm-256 grey)."""

VLINE_STYLES: tuple[tuple[str, int], ...] = (("│", VLINE_COLOR), ("┆", 110), ("┊", 180), ("╎", 168))
"""(glyph, colour) of the first, second, ... vertical marker line: each its own, so two
lines are told apart with colour and without (NO_COLOR). The first is drawn in braille,
the others with their glyph; the legend shows each with its glyph."""


def downsample_minmax(
    x: np.ndarray, y: np.ndarray, buckets: int, x_range: tuple[float, float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the lowest and highest point of each of `buckets` equal x-intervals.

    Returns at most `2 * buckets + 2` points (the first and last point are
    always kept) in x order, so spikes survive
    (a divergence shows even when it lasted one step). `x` must be sorted.
    Cost is a few vectorised passes over the data.
    """
    bucketed = _buckets(x, buckets, x_range)
    if bucketed is None:
        return x, y
    starts, counts = bucketed
    picks = []
    for reduce in (np.minimum, np.maximum):
        extreme = reduce.reduceat(y, starts)
        hits = np.flatnonzero(y == np.repeat(extreme, counts))
        picks.append(hits[np.searchsorted(hits, starts)])
    index = np.unique(np.concatenate([[0, x.shape[0] - 1], *picks]))
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
    bucketed = _buckets(x, buckets, x_range)
    if bucketed is None:
        return x, y
    starts, counts = bucketed
    return np.add.reduceat(x, starts) / counts, np.add.reduceat(y, starts) / counts


def _buckets(x: np.ndarray, buckets: int, x_range: tuple[float, float] | None) -> tuple[np.ndarray, np.ndarray] | None:
    """(first index, point count) of each non-empty bucket of `buckets` equal x-intervals
    over `x_range` (default: x's span), or `None` if `x` has at most `2 * buckets` points."""
    n = x.shape[0]
    buckets = max(int(buckets), 1)
    if n <= 2 * buckets:
        return None
    lo, hi = x_range if x_range is not None else (float(x[0]), float(x[-1]))
    if hi > lo:
        inner = np.linspace(lo, hi, buckets + 1)[1:-1]
        starts = np.unique(np.concatenate(([0], np.searchsorted(x, inner, side="left"))))
        starts = starts[starts < n]
    else:
        starts = np.array([0])
    return starts, np.diff(np.append(starts, n))



class Trace(NamedTuple):
    """One line or set of points ready to draw: x on the plot's (maybe log10) x scale, y as given."""

    key: str
    x: np.ndarray
    y: np.ndarray
    color: int | str
    marker: str
    """"braille" for a braille line, else the character drawn at each point (or along the line)."""
    scatter: bool


class XYPlot(FrameWidget):
    """Several named series of (x, y) points, each a braille line or scatter markers.

    Axes are linear or log10 (`log_x`, `log_y`), end on round values just past the
    data (or on fixed `x_range` / `y_range`), and are labelled with round ticks. Lines
    are reduced to at most two points per plot column before they are drawn (each
    column's low and high, so spikes show), so a line costs the same at 100 points and
    at 1,000,000; scatter markers are placed with a few vectorised passes and a cell
    holds one marker. NaN/inf points are dropped, as are values <= 0 on a log axis (if
    nothing positive is left that axis falls back to linear with a note).

    Without colour (NO_COLOR) series are told apart by marker: the first line in
    braille, the others by "•", "+", "x", "o", "*"; the legend shows each marker.
    Horizontal and vertical marker lines (a target, a chosen learning rate) are
    labelled in the legend.

    The widget is passive: call `set_series` at any rate. It rebuilds the plot only
    when the data, a setting or its size changed, and only while shown.
    """

    DEFAULT_CSS = """
    XYPlot {
        width: 1fr;
        height: 1fr;
        min-height: 5;
    }
    """

    log_x: reactive[bool] = reactive(False)
    """Logarithmic x-axis (non-positive x are hidden)."""

    log_y: reactive[bool] = reactive(False)
    """Logarithmic y-axis (non-positive values are hidden)."""

    xlabel: reactive[str] = reactive("")
    """Label at the right end of the x-axis' numbers."""

    ylabel: reactive[str] = reactive("")
    """Label above the y-axis' numbers."""

    INTEGER_X = False
    """Whether x counts whole things (steps): ticks and axis ends are then whole numbers."""

    def __init__(
        self,
        *,
        title: str = "",
        xlabel: str = "",
        ylabel: str = "",
        log_x: bool = False,
        log_y: bool = False,
        x_range: tuple[float, float] | None = None,
        y_range: tuple[float, float] | None = None,
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
            log_x: Logarithmic x-axis.
            log_y: Logarithmic y-axis.
            x_range: Fixed (low, high) x-axis; default: round values around the data.
            y_range: Fixed (low, high) y-axis; default: round values around the data.
            name: The name of the widget.
            id: The ID of the widget in the DOM.
            classes: The CSS classes of the widget.
            disabled: Whether the widget is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(XYPlot.title, title)
        self.set_reactive(XYPlot.xlabel, xlabel)
        self.set_reactive(XYPlot.ylabel, ylabel)
        self.set_reactive(XYPlot.log_x, log_x)
        self.set_reactive(XYPlot.log_y, log_y)
        self._series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._colors: dict[str, int | str] = {}
        self._kinds: dict[str, SeriesKind] = {}
        self._ghosts: frozenset[str] = frozenset()
        self._hlines: dict[str, float] = {}
        self._vlines: dict[str, float] = {}
        self._limits: tuple[tuple[float, float] | None, tuple[float, float] | None] = (_limit(x_range), _limit(y_range))
        self.plotted_points: dict[str, int] = {}
        """Points drawn per line or point set in the last build (a LinePlot's raw line is "name:raw")."""
        self.note = ""
        """The note on the legend line in the last build (e.g. a log-scale fallback)."""
        self.y_ticks: list[str] = []
        """The y-axis labels of the last build, top to bottom (for tests)."""
        self.x_ticks: list[str] = []
        """The x-axis labels of the last build, left to right (for tests)."""
        self.extent: tuple[float, float, float, float] | None = None
        """(xmin, xmax, ymin, ymax) of the canvas in the last build, on the axes' scales (log10 for a log axis)."""
        self.canvas: tuple[int, int, int, int] = (0, 0, 0, 0)
        """(column, row, columns, rows) of the canvas in the widget in the last build."""
        self.log_scales: tuple[bool, bool] = (False, False)
        """Whether x and y were drawn on log axes in the last build (a log axis with
        nothing positive falls back to linear)."""

    @property
    def builds(self) -> int:
        """How many times the plot was rebuilt (for tests and benchmarks)."""
        return self.frames_built

    # -- data -----------------------------------------------------------------

    def set_series(
        self,
        series: Mapping[str, tuple[np.ndarray, np.ndarray]],
        *,
        colors: Mapping[str, int | str] | None = None,
        kinds: Mapping[str, SeriesKind] | None = None,
        ghosts: Collection[str] = (),
    ) -> None:
        """Replace all series.

        Args:
            series: name -> (x, y) arrays of equal length (unequal lengths are cut to
                the shorter); lines are drawn in x order (x is sorted if not).
            colors: name -> colour: a name of `SERIES_COLORS` (faint shade known),
                an xterm-256 index or a Rich colour name. Unnamed series take
                `SERIES_COLORS` in order.
            kinds: name -> "line" (default), "scatter" or "line+scatter".
            ghosts: names of ghost series (another run to compare with): drawn under
                every other series, with no raw line under them, listed last in the legend.
        """
        new: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name, (x, y) in series.items():
            xs = np.array(x, dtype=np.float64, copy=True).ravel()
            ys = np.array(y, dtype=np.float64, copy=True).ravel()
            n = min(xs.shape[0], ys.shape[0])
            new[str(name)] = (xs[:n], ys[:n])
        new_colors = dict(colors) if colors is not None else {}
        new_kinds = dict(kinds) if kinds is not None else {}
        for kind in new_kinds.values():
            if kind not in ("line", "scatter", "line+scatter"):
                raise ValueError(f"unknown series kind {kind!r}; choose line, scatter or line+scatter")
        new_ghosts = frozenset(ghosts)
        # ghosts last, so the legend and the no-colour markers list the current run first
        new = {**{k: v for k, v in new.items() if k not in new_ghosts}, **{k: v for k, v in new.items() if k in new_ghosts}}
        if new_colors == self._colors and new_kinds == self._kinds and new_ghosts == self._ghosts and _same_series(new, self._series):
            return
        self._series = new
        self._colors = new_colors
        self._kinds = new_kinds
        self._ghosts = new_ghosts
        self._changed()

    def set_hlines(self, lines: Mapping[str, float] | Sequence[float]) -> None:
        """Draw horizontal marker lines (e.g. a target loss), labelled in the legend."""
        new = _marker_lines(lines)
        if new != self._hlines:
            self._hlines = new
            self._changed()

    def set_vlines(self, lines: Mapping[str, float] | Sequence[float]) -> None:
        """Draw vertical marker lines (e.g. a chosen learning rate), labelled in the legend."""
        new = _marker_lines(lines)
        if new != self._vlines:
            self._vlines = new
            self._changed()

    def set_limits(self, x_range: tuple[float, float] | None = None, y_range: tuple[float, float] | None = None) -> None:
        """Fix the axes to (low, high), or `None` for round values around the data."""
        new = (_limit(x_range), _limit(y_range))
        if new != self._limits:
            self._limits = new
            self._changed()

    def clear(self) -> None:
        """Remove every series and marker line."""
        self.set_series({})
        self.set_hlines({})
        self.set_vlines({})

    # -- drawing --------------------------------------------------------------

    def _dark(self) -> bool:
        """Whether the theme is dark (the faint shades depend on it)."""
        try:
            return bool(getattr(self.app.current_theme, "dark", True))
        except Exception:  # not mounted
            return True

    def _frame_key(self) -> Hashable:
        return (self.log_x, self.log_y, self.title, self.xlabel, self.ylabel, self._dark())

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

    def _markers(self, index: int, no_color: bool) -> tuple[str, str]:
        """(line marker, point glyph) of the series at `index`."""
        if not no_color:
            return "braille", SCATTER_GLYPH
        marker = NO_COLOR_MARKERS[index % len(NO_COLOR_MARKERS)]
        return marker, NO_COLOR_SCATTER_GLYPH if marker == "braille" else marker

    def _extra_notes(self) -> list[str]:
        """Notes a subclass adds to the legend after the series (e.g. the smoothing)."""
        return []

    def _traces(
        self,
        cleaned: dict[str, tuple[np.ndarray, np.ndarray]],
        buckets: int,
        x_range: tuple[float, float],
        palette: dict[str, tuple[int | str, int | str]],
        no_color: bool,
    ) -> list[Trace]:
        """The lines and point sets to draw, in drawing order (later ones on top): the
        traces every series puts under all series first, then each series' own."""
        under: list[Trace] = []
        over: list[Trace] = []
        ghosts: list[Trace] = []
        for i, (name, (x, y)) in enumerate(cleaned.items()):
            if x.size:
                low, high = self._series_traces(i, name, x, y, palette[name], buckets, x_range, no_color)
                if name in self._ghosts:
                    ghosts += low + high
                else:
                    under += low
                    over += high
        return ghosts + under + over

    def _series_traces(
        self, index: int, name: str, x: np.ndarray, y: np.ndarray, colors: tuple[int | str, int | str],
        buckets: int, x_range: tuple[float, float], no_color: bool,
    ) -> tuple[list[Trace], list[Trace]]:
        """(traces under all series, the series' own traces) of the series `name` at
        `index`, from its finite sorted points, in (bright, faint) `colors`, its lines
        reduced over `buckets` equal intervals of `x_range`."""
        kind = self._kinds.get(name, "line")
        line_marker, glyph = self._markers(index, no_color)
        traces: list[Trace] = []
        if kind != "scatter":
            lx, ly = downsample_minmax(x, y, buckets, x_range)
            traces.append(Trace(name, lx, ly, colors[0], line_marker, False))
        if kind != "line":
            key = f"{name}:points" if kind == "line+scatter" else name
            traces.append(Trace(key, x, y, colors[0], glyph, True))
        return [], traces

    def _x_axis(self, lo: float, hi: float, log_x: bool) -> tuple[float, float]:
        """The x-axis' ends on its scale for data spanning [lo, hi] (on the same scale)."""
        if not hi - lo > 1e-12 * max(abs(lo), abs(hi)):  # one x: centre it
            pad = 0.5 if log_x or lo == 0 else abs(lo) * 0.1
            lo, hi = lo - pad, hi + pad
        return snap_log_range(lo, hi) if log_x else snap_range(lo, hi, SNAP_STEPS)

    def _x_ticks(self, lo: float, hi: float, max_ticks: int, log_x: bool) -> tuple[np.ndarray, list[str]]:
        """(positions on the axis' scale, labels) of the x ticks."""
        if log_x:
            ticks = log_ticks(lo, hi, max_ticks)
            return (np.log10(ticks) if ticks.size else ticks), format_log_ticks(ticks)
        ticks = linear_ticks(lo, hi, max_ticks, integer=self.INTEGER_X)
        return ticks, format_ticks(ticks)

    def _build_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        try:
            return self._build_unsafe(width, height, no_color)
        except Exception as error:  # a plot must never take the app down
            text = f"{self.title}  ({ui('chart.failed', self.lang, error=type(error).__name__)})"[:width]
            return [Strip([Segment(text.ljust(width), self.rich_style + Style(dim=True))], width)] + [
                Strip.blank(width, self.rich_style)
            ] * max(height - 1, 0)

    def _build_unsafe(self, width: int, height: int, no_color: bool) -> list[Strip]:
        base = self.rich_style
        palette = self._palette(self._dark())
        self.plotted_points = {}
        self.y_ticks, self.x_ticks = [], []
        self.extent = None

        # Clean every series: finite, sorted, positive for log.
        cleaned: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        dropped_nonfinite = 0
        for name, (x, y) in self._series.items():
            keep = np.isfinite(x) & np.isfinite(y)
            dropped_nonfinite += int(keep.size - np.count_nonzero(keep))
            x, y = x[keep], y[keep]
            if x.shape[0] > 1 and np.any(x[1:] < x[:-1]):
                order = np.argsort(x, kind="stable")
                x, y = x[order], y[order]
            cleaned[name] = (x, y)
        notes: list[str] = []
        if dropped_nonfinite:
            notes.append(ui("chart.nonfinite_hidden", self.lang, n=dropped_nonfinite))
        lang = self.lang
        log_y = self.log_y and _keep_positive(cleaned, 1, notes, ui("chart.log_y", lang), ui("chart.linear_y", lang), lang=lang)
        log_x = self.log_x and _keep_positive(cleaned, 0, notes, ui("chart.log_x", lang), ui("chart.linear_x", lang),
                                              quiet_zero=self.INTEGER_X, lang=lang)
        self.log_scales = (log_x, log_y)
        if log_x:
            cleaned = {name: (np.log10(x), y) for name, (x, y) in cleaned.items()}

        items: list[Text] = []  # the legend's entries: a swatch and its name, or a note
        if self.title:
            items.append(Text(self.title, style="bold"))
        for i, name in enumerate(self._series):
            kind = self._kinds.get(name, "line")
            line_marker, glyph = self._markers(i, no_color)
            swatch = ("⠤⠤" if line_marker == "braille" else line_marker) if no_color else "━"
            if kind == "scatter":
                swatch = glyph
            elif kind == "line+scatter" and glyph != swatch:
                swatch += glyph
            items.append(Text.assemble((swatch, _rich_style(palette[name][0])), f" {name}"))
        for label in self._hlines:
            items.append(Text.assemble(("──", _rich_style(HLINE_COLOR)), f" {label}"))
        for i, label in enumerate(self._vlines):
            glyph, color = VLINE_STYLES[i % len(VLINE_STYLES)]
            items.append(Text.assemble((glyph, _rich_style(color)), f" {label}"))
        if self._series:
            notes.extend(self._extra_notes())
        if log_x:
            notes.append(ui("chart.log_x", lang))
        if log_y:
            notes.append(ui("chart.log_y", lang))
        self.note = "  ".join(notes)
        items += [Text(note, style="dim") for note in notes]
        blank = Strip.blank(width, base)
        self.shows_all = False
        # A legend too long for one line goes on two, broken between entries (never
        # inside a name), when the plot keeps its minimum height; else it is cut with an
        # ellipsis (and the plot does not show all: see `fits`).
        wrapped = _legend_lines(items, width)
        fits_two = len(wrapped) == 2 and height - 2 >= MIN_PLOT_HEIGHT + 2
        legend_texts = wrapped if fits_two else [Text("  ").join(items)]
        legend_whole = all(text.cell_len <= width for text in legend_texts)
        legend_strips = []
        for text in legend_texts:
            text.truncate(width, overflow="ellipsis")
            strip = Strip(list(text.render(self.app.console)), text.cell_len).apply_style(base)
            legend_strips.append(strip.adjust_cell_length(width, base))
        top = len(legend_strips)
        legend_only = legend_strips + [blank] * max(height - top, 0)

        plot_height = height - top
        if width < MIN_PLOT_WIDTH or plot_height < MIN_PLOT_HEIGHT:
            return legend_only
        if not any(x.size for x, _ in cleaned.values()):
            body = ui("chart.no_data_yet" if not self._series else "chart.no_finite", lang)
            lines = legend_strips + [blank] * plot_height
            lines[top + max(plot_height // 2 - 1, 0)] = Strip([Segment(center_cells(body, width), base)], width)
            self.shows_all = legend_whole
            return lines

        # The x-axis ends on round values past the data (or on its fixed limits), so it
        # (and the buckets the lines are reduced over) stays put while the data grows.
        x_scale = np.log10 if log_x else _identity
        y_scale = np.log10 if log_y else _identity
        vline_at = {i: float(x_scale(v)) for i, v in enumerate(self._vlines.values()) if np.isfinite(v) and (v > 0 or not log_x)}
        vlines = list(vline_at.values())
        xs_all = [x for x, _ in cleaned.values() if x.size]
        x_lo = min([float(x[0]) for x in xs_all] + vlines)
        x_hi = max([float(x[-1]) for x in xs_all] + vlines)
        x_limit = _on_scale(self._limits[0], log_x)
        x_range = x_limit if x_limit is not None else self._x_axis(x_lo, x_hi, log_x)
        buckets = max(width - 10, 4)  # ≤ 2 points per column for each line
        traces = self._traces(cleaned, buckets, x_range, palette, no_color)
        for trace in traces:
            self.plotted_points[trace.key] = trace.x.shape[0]

        # The y range: every drawn point and every marker line.
        ys = [y_scale(trace.y) for trace in traces]
        hlines = [v for v in self._hlines.values() if np.isfinite(v) and (v > 0 or not log_y)]
        y_lo = min(float(np.min(v)) for v in ys)
        y_hi = max(float(np.max(v)) for v in ys)
        for v in hlines:
            y_lo, y_hi = min(y_lo, float(y_scale(v))), max(y_hi, float(y_scale(v)))
        if not y_hi - y_lo > 1e-12 * max(abs(y_lo), abs(y_hi)):  # flat (up to rounding in the EMA): centre it
            pad = 0.5 if log_y or y_lo == 0 else abs(y_lo) * 0.1
            y_lo, y_hi = y_lo - pad, y_hi + pad

        # Layout: y labels | axis | canvas; then the x-axis and its labels.
        rows = plot_height - 2
        y_max_ticks = max(1, rows // 3)  # a label every third row at most
        # The y-axis too ends on round values, and moves only when the data passes one.
        y_limit = _on_scale(self._limits[1], log_y)
        if log_y:
            y_lo, y_hi = y_limit or snap_log_range(y_lo, y_hi)
            y_ticks = log_ticks(y_lo, y_hi, y_max_ticks)
            y_pos = np.log10(y_ticks) if y_ticks.size else y_ticks
            y_labels = format_log_ticks(y_ticks)
        else:
            y_lo, y_hi = y_limit or snap_range(y_lo, y_hi, SNAP_STEPS)
            y_ticks = linear_ticks(y_lo, y_hi, y_max_ticks)
            y_pos, y_labels = y_ticks, format_ticks(y_ticks)
        tick_rows = _y_tick_rows(y_pos.tolist(), y_labels, y_lo, y_hi, rows, log_y)
        label_w = max([len(label) for label in tick_rows.values()] + [len(self.ylabel) if self.ylabel else 0, 1])
        label_w = min(label_w, max(width // 3, 1))
        cols = width - label_w - 1
        if cols < 4 or rows < 1:
            return legend_only
        extent = (x_range[0], x_range[1], y_lo, y_hi)
        self.extent = extent
        self.canvas = (label_w + 1, top, cols, rows)
        codes = np.zeros((rows, cols), dtype=np.int64)  # braille dots, all lines together
        glyphs = np.zeros((rows, cols), dtype=np.int64)  # a marker character (scatter, or no colour)
        owner = np.full((rows, cols), -1, dtype=np.int64)  # which line colours each cell
        styles: list[Style] = []
        h_style = _rich_style(HLINE_COLOR)
        for value in hlines:
            _draw_line(codes, glyphs, owner, len(styles), np.array([[x_range[0], y_scale(value)], [x_range[1], y_scale(value)]]), extent, "braille")
            styles.append(h_style)
        for i, value in vline_at.items():
            glyph, color = VLINE_STYLES[i % len(VLINE_STYLES)]
            marker = "braille" if i % len(VLINE_STYLES) == 0 else glyph
            _draw_line(codes, glyphs, owner, len(styles), np.array([[value, y_lo], [value, y_hi]]), extent, marker)
            styles.append(_rich_style(color))
        for trace in traces:
            points = np.column_stack([trace.x, y_scale(trace.y)])
            if trace.scatter:
                _draw_points(glyphs, owner, len(styles), points, extent, trace.marker)
            else:
                _draw_line(codes, glyphs, owner, len(styles), points, extent, trace.marker)
            styles.append(_rich_style(trace.color))
        chars = np.where(glyphs > 0, glyphs, np.where(codes > 0, BRAILLE_BASE + codes, 32)).astype("<u4")

        # Where the ticks fall: the text row of each y tick, the column of each x tick.
        tick_rows = {row: label[:label_w] for row, label in tick_rows.items()}
        self.y_ticks = [tick_rows[r] for r in sorted(tick_rows)]
        x_pos, x_labels = self._x_ticks(x_range[0], x_range[1], max(2, cols // 6), log_x)
        label_style = base
        axis_style = base + _rich_style(AXIS_COLOR)
        out = list(legend_strips)
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
        taken = np.zeros(width + 1, dtype=bool)  # label cells and the gap after each
        placed: dict[int, str] = {}
        x_span = x_range[1] - x_range[0]
        axis_ends: list[tuple[float, str]] = [(x_range[1], format_end(x_range[1], log_x)), (x_range[0], format_end(x_range[0], log_x))]
        ticks: list[tuple[float, str]] = list(zip(x_pos.tolist(), x_labels))
        # both ends first (a tick on an end keeps its label), then the ticks between that fit
        for n, (value, label) in enumerate(axis_ends + ticks):
            pixel = (value - x_range[0]) / x_span * (2 * cols - 1) if x_span > 0 else (2 * cols - 1) / 2
            col = int(round(pixel)) // 2
            if n < 2:
                col = cols - 1 if n == 0 else 0
                label = next((t for v, t in ticks if abs(v - value) <= 1e-9 * max(abs(x_span), 1e-300)), label)
            if not 0 <= col < cols or col in placed or len(label) > width:
                continue
            centre = label_w + 1 + col
            start = min(max(centre - len(label) // 2, 0), width - len(label))
            lo, hi = max(start - 1, 0), start + len(label) + 1
            if taken[lo:hi].any():
                continue
            taken[start : start + len(label)] = True
            axis[col] = "┬"
            label_line[start : start + len(label)] = label
            placed[col] = label
        self.x_ticks = [placed[c] for c in sorted(placed)]
        free_from = int(np.flatnonzero(taken).max()) + 2 if taken.any() else 0
        if self.xlabel and len(self.xlabel) < width - free_from:
            label_line[width - len(self.xlabel) :] = self.xlabel
        out.append(Strip([Segment(" " * label_w, base), Segment("└" + "".join(axis), axis_style)], width))
        out.append(Strip([Segment("".join(label_line), label_style)], width))
        self.shows_all = legend_whole and rows >= MIN_CANVAS_ROWS
        return out

    def cell_of(self, x: float, y: float) -> tuple[int, int] | None:
        """(column, row) in the widget where the data point (x, y) was drawn in the last
        build, or `None` if it falls off the canvas."""
        if self.extent is None:
            return None
        left, top, cols, rows = self.canvas
        point = np.array([[x, y]], dtype=np.float64)
        for axis, log in enumerate(self.log_scales):
            if log:
                point[0, axis] = np.log10(point[0, axis]) if point[0, axis] > 0 else np.nan
        glyphs = np.zeros((rows, cols), dtype=np.int64)
        _draw_points(glyphs, np.zeros_like(glyphs), 0, point, self.extent, "x")
        hit = np.flatnonzero(glyphs)
        return (left + int(hit[0]) % cols, top + int(hit[0]) // cols) if hit.size else None


def _legend_lines(items: list[Text], width: int) -> list[Text]:
    """The legend's entries on lines of at most ``width`` cells, two spaces apart,
    broken between entries (an entry longer than a line is cut when drawn)."""
    lines: list[Text] = []
    line = Text()
    for item in items:
        if line.cell_len and line.cell_len + 2 + item.cell_len > width:
            lines.append(line)
            line = Text()
        if line.cell_len:
            line.append("  ")
        line.append_text(item)
    if line.cell_len or not lines:
        lines.append(line)
    return lines


def _y_tick_rows(positions: list[float], labels: list[str], lo: float, hi: float, rows: int, log: bool) -> dict[int, str]:
    """The text row of each y label (row 0 at the top): both ends of the axis first (a
    tick on an end keeps its label), then the ticks between with a free row around each."""
    span = hi - lo
    out: dict[int, str] = {}
    if rows < 1 or not span > 0:
        return out

    def row_of(pos: float) -> int:
        return int(round((hi - pos) / span * (4 * rows - 1))) // 4

    for end in (hi, lo) if rows > 1 else (hi,):
        row = 0 if end == hi else rows - 1
        same = [label for pos, label in zip(positions, labels) if abs(pos - end) <= 1e-9 * span]
        out[row] = same[0] if same else format_end(end, log)
    for pos, label in zip(positions, labels):
        row = row_of(pos)
        if 0 <= row < rows and row not in out and (row - 1) not in out and (row + 1) not in out:
            out[row] = label
    return out


def _identity(values: Any) -> Any:
    return values


def _limit(limits: tuple[float, float] | None) -> tuple[float, float] | None:
    """A fixed axis range as two floats, or `None` for one that is not finite and increasing."""
    if limits is None:
        return None
    lo, hi = float(limits[0]), float(limits[1])
    return (lo, hi) if np.isfinite(lo) and np.isfinite(hi) and hi > lo else None


def _on_scale(limits: tuple[float, float] | None, log: bool) -> tuple[float, float] | None:
    """Fixed limits on the axis' scale (log10 for a log axis; `None` if not both positive there)."""
    if limits is None or not log:
        return limits
    return (float(np.log10(limits[0])), float(np.log10(limits[1]))) if limits[0] > 0 else None


def _marker_lines(lines: Mapping[str, float] | Sequence[float]) -> dict[str, float]:
    """Labelled marker-line values (unlabelled ones are labelled by their value)."""
    if isinstance(lines, Mapping):
        return {str(k): float(v) for k, v in lines.items()}
    return {format_value(float(v)): float(v) for v in lines}


def _keep_positive(cleaned: dict[str, tuple[np.ndarray, np.ndarray]], axis: int, notes: list[str], log: str, linear: str,
                   quiet_zero: bool = False, lang: str = "en") -> bool:
    """Drop the points whose coordinate `axis` (0 = x, 1 = y) is <= 0, in place, noting how
    many (not counting zeros if `quiet_zero`: step 0 on a log step axis goes without saying).

    Returns whether a log scale is possible (some value > 0); if not, nothing is
    dropped and the note says the axis is linear."""
    positive = {name: xy[axis] > 0 for name, xy in cleaned.items()}
    if not any(mask.any() for mask in positive.values()):
        if any(y.size for _, y in cleaned.values()):
            notes.append(ui("chart.no_positive", lang, axis=linear))
        return False
    dropped = 0
    for name, mask in positive.items():
        x, y = cleaned[name]
        dropped += int(mask.size - mask.sum()) - (int(np.count_nonzero(cleaned[name][axis] == 0)) if quiet_zero else 0)
        cleaned[name] = (x[mask], y[mask])
    if dropped:
        notes.append(ui("chart.nonpositive_hidden", lang, axis=log, n=dropped))
    return True


def _draw_points(
    glyphs: np.ndarray,
    owner: np.ndarray,
    index: int,
    points: np.ndarray,
    extent: tuple[float, float, float, float],
    glyph: str,
) -> None:
    """Write `glyph` into the cell of each point of `points` ((n, 2) on the axes' scales)
    that lands on the canvas, and record point set `index` as the cells' owner."""
    rows, cols = glyphs.shape
    xmin, xmax, ymin, ymax = extent
    points = points[np.all(np.isfinite(points), axis=1)]
    pc = np.rint(map_axis(points[:, 0], xmin, xmax, 2 * cols))
    pr = (4 * rows - 1) - np.rint(map_axis(points[:, 1], ymin, ymax, 4 * rows))
    inside = (pr >= 0) & (pr < 4 * rows) & (pc >= 0) & (pc < 2 * cols)
    cell = (pr[inside].astype(np.intp) // 4) * cols + pc[inside].astype(np.intp) // 2
    glyphs.reshape(-1)[cell] = ord(glyph[0])
    owner.reshape(-1)[cell] = index
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
