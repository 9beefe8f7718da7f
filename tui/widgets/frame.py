"""Provides `FrameWidget` (whole frames of strips, cached) and `ChartWidget` (a frame with a legend line and
styles from its component classes), the bases of every plot and map, plus `path_pixels` for overlays."""

from __future__ import annotations

from typing import Hashable, Sequence

import numpy as np
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from nndojo.core.texts._ui import ui

from .colors import Colormap, glyph_segments, half_block_rows, quantize

__all__ = ["Extent", "FrameWidget", "ChartWidget", "path_pixels", "map_axis", "as_float_array", "as_extent", "center_cells"]

Extent = tuple[float, float, float, float]
"""(xmin, xmax, ymin, ymax) of an array in data coordinates."""

MAX_PATH_POINTS = 4096
"""Longer overlay paths are thinned to this many points before drawing."""


def as_float_array(array: object, ndim: int) -> np.ndarray:
    """A float64 copy of `array` with exactly `ndim` dimensions (leading axes of 1 added).

    Raises:
        ValueError: If the array has more dimensions than `ndim`.
    """
    out = np.array(array, dtype=np.float64, copy=True)
    if out.ndim > ndim:
        raise ValueError(f"expected at most {ndim} dimensions, got shape {out.shape}")
    while out.ndim < ndim:
        out = out[np.newaxis]
    return out


def as_extent(extent: Sequence[float]) -> Extent:
    """`extent` as (xmin, xmax, ymin, ymax) floats.

    Raises:
        ValueError: If `extent` does not hold exactly four values.
    """
    xmin, xmax, ymin, ymax = (float(v) for v in extent)
    return (xmin, xmax, ymin, ymax)


def center_cells(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells and centred in them, as `str.center` centres
    characters (a double-width character counts two cells)."""
    cells = cell_len(text)
    if cells > width:
        text = set_cell_size(text, width)
        cells = width
    return text.center(width - cells + len(text))


def map_axis(values: np.ndarray, lo: float, hi: float, n: int) -> np.ndarray:
    """Map data coordinates in [lo, hi] to pixel centres 0..n-1 (floats)."""
    span = hi - lo
    if not np.isfinite(span) or span == 0:
        return np.full(values.shape, (n - 1) / 2)
    return (values - lo) / span * (n - 1)


def path_pixels(
    path: np.ndarray,
    extent: Extent,
    rows: int,
    cols: int,
    *,
    flip_rows: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Pixels (row, col) covered by the polyline through `path`, clipped to the grid.

    Args:
        path: (k, 2) points as (x, y) in data coordinates; non-finite points are dropped.
        extent: (xmin, xmax, ymin, ymax) spanned by the pixel grid's first/last centres.
        rows: Pixel rows of the grid.
        cols: Pixel columns of the grid.
        flip_rows: Pixel row 0 is the *high* y (y grows upwards).

    Returns:
        Two int arrays (rows, cols) of equal length.
    """
    empty = (np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp))
    if rows <= 0 or cols <= 0 or path.size == 0:
        return empty
    points = path[np.all(np.isfinite(path), axis=1)]
    if points.shape[0] == 0:
        return empty
    if points.shape[0] > MAX_PATH_POINTS:
        keep = np.linspace(0, points.shape[0] - 1, MAX_PATH_POINTS).round().astype(np.intp)
        points = points[keep]
    xmin, xmax, ymin, ymax = extent
    fc = map_axis(points[:, 0], xmin, xmax, cols)
    fr = map_axis(points[:, 1], ymin, ymax, rows)
    if flip_rows:
        fr = (rows - 1) - fr
    if points.shape[0] == 1:
        r, c = fr, fc
    else:
        dr, dc = np.diff(fr), np.diff(fc)
        cap = 2 * (rows + cols)
        steps = np.minimum(np.ceil(np.maximum(np.abs(dr), np.abs(dc))), cap).astype(np.intp)
        steps = np.maximum(steps, 1)
        segment = np.repeat(np.arange(steps.shape[0]), steps)
        offsets = np.cumsum(steps) - steps
        t = (np.arange(segment.shape[0]) - offsets[segment]) / steps[segment]
        r = np.append(fr[:-1][segment] + t * dr[segment], fr[-1])
        c = np.append(fc[:-1][segment] + t * dc[segment], fc[-1])
    r = np.rint(r)
    c = np.rint(c)
    inside = (r >= 0) & (r < rows) & (c >= 0) & (c < cols)
    return r[inside].astype(np.intp), c[inside].astype(np.intp)


class FrameWidget(Widget):
    """A widget that draws whole frames of strips, rebuilt only when its key changes.

    Subclasses implement `_frame_key()` (everything the picture depends on besides
    size and colour mode) and `_build_frame(width, height, no_color)`. Setters bump
    `_version` and call `refresh()`; a hidden widget is never asked to render, so
    it does no drawing work until it is shown again.
    """

    title: reactive[str] = reactive("")
    """Text at the start of the legend line."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's constructor convention
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._version = 0
        self._frame_cache_key: Hashable = None
        self._frame: list[Strip] = []
        self._pass_frame: list[Strip] | None = None
        self.frames_built = 0
        """How many frames have been built (for tests and benchmarks)."""
        self.lang = "en"
        """Language of the words the widget writes (legends, notes); see `set_lang`."""
        self.shows_all = True
        """Whether the last frame showed all the content at its size (no item left out,
        no legend cut, room for the picture); see `fits`."""

    def fits(self) -> bool:
        """Whether the widget shows all its content at its current size (the frame is
        built now if it is not yet)."""
        if self.size.width <= 0 or self.size.height <= 0:
            return False
        self._current_frame()
        return self.shows_all

    def set_lang(self, lang: str) -> None:
        """Write the widget's words in ``lang`` (a repaint of the frame if it changes)."""
        if lang != self.lang:
            self.lang = lang
            self._changed()

    def _changed(self) -> None:
        """Note a change of content and ask for a repaint."""
        self._version += 1
        self.refresh()

    @property
    def no_color(self) -> bool:
        """Whether to draw without colour (NO_COLOR set, or a colourless console)."""
        try:
            app = self.app
        except Exception:  # not mounted
            return False
        return bool(app.no_color) or app.console.color_system is None

    def _frame_key(self) -> Hashable:
        return None

    def _build_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        raise NotImplementedError

    def _current_frame(self) -> list[Strip]:
        width, height = self.size
        no_color = self.no_color
        key = (width, height, no_color, self._version, self.rich_style, self._frame_key())
        if key != self._frame_cache_key:
            self._frame = self._build_frame(width, height, no_color) if width > 0 else []
            self._frame_cache_key = key
            self.frames_built += 1
        return self._frame

    def render_lines(self, crop: Region) -> list[Strip]:
        """Render the lines in ``crop``, checking the cache key once for all of them
        (the key reads the widget's style, about 0.15 ms: once per line was most of
        what a frame of heatmaps cost)."""
        self._pass_frame = self._current_frame()
        try:
            return super().render_lines(crop)
        finally:
            self._pass_frame = None

    def render_line(self, y: int) -> Strip:
        """Render one line of the cached frame."""
        frame = self._pass_frame if self._pass_frame is not None else self._current_frame()
        if 0 <= y < len(frame):
            return frame[y]
        return Strip.blank(self.size.width, self.rich_style)

    def frame_text(self) -> list[str]:
        """The current frame as plain text lines (for tests and debugging)."""
        return [strip.text for strip in self._current_frame()]

    def _message_frame(self, width: int, height: int, message: str, style: Style) -> list[Strip]:
        """A frame with `message` centred and the rest blank."""
        blank = Strip.blank(width, style)
        lines = [blank] * height
        if height:
            text = center_cells(message, width)  # cells, not characters: a Korean message is twice as wide
            lines[height // 2] = Strip([Segment(text, style)], width)
        return lines


class ChartWidget(FrameWidget):
    """A frame widget whose last line is a legend, styled by its component classes.

    Subclasses name their component classes `<prefix>--<part>` (e.g. "heatmap--legend")
    and set `PREFIX`; every component style and the title are part of the frame key.
    The helpers build the "no data" frame, colour-map rows (half blocks, or density
    characters without colour) and the closing legend line.
    """

    PREFIX = "chart"
    """The prefix of the component classes ("heatmap" for "heatmap--legend")."""

    _range: tuple[float, float] = (0.0, 0.0)
    """The (low, high) values mapped; set per instance by `set_data`."""
    _has_nan = False
    """Whether the data holds NaN/inf; set per instance by `set_data`."""

    @property
    def value_range(self) -> tuple[float, float]:
        """The (low, high) values the widget currently maps."""
        return self._range

    def _part_style(self, part: str) -> Style:
        """The style of the component class `<PREFIX>--<part>`."""
        return self.get_component_rich_style(f"{self.PREFIX}--{part}")

    def _frame_key(self) -> Hashable:
        return (self.title, *(self.get_component_rich_style(name) for name in sorted(self.COMPONENT_CLASSES)))

    def _quantize(self, data: np.ndarray, colormap: Colormap) -> np.ndarray:
        """Levels of `data` over the current value range; notes whether any cell is NaN/inf."""
        levels = quantize(data, *self._range, colormap.levels)
        self._has_nan = bool(np.any(levels == colormap.nan_index))
        return levels

    def _empty_frame(self, width: int, height: int, legend: Sequence[Segment], message: str | None = None) -> list[Strip]:
        """`message` (default: "no data" in the widget's language) centred above a legend line (e.g. the title and a dash)."""
        message = ui("chart.no_data", self.lang) if message is None else message
        lines = self._message_frame(width, max(height - 1, 0), message, self._part_style("legend"))
        return self._close(lines, legend, width, height)

    def _close(self, lines: list[Strip], legend: Sequence[Segment], width: int, height: int) -> list[Strip]:
        """Pad the body to `height - 1` lines and add the legend line under it."""
        base = self.rich_style
        lines = lines[: max(height - 1, 0)]
        lines.extend([Strip.blank(width, base)] * (max(height - 1, 0) - len(lines)))
        legend_strip = Strip(list(legend))
        if legend_strip.cell_length > width:
            self.shows_all = False  # the legend is cut
        lines.append(legend_strip.adjust_cell_length(width, base))
        return lines[-height:] if height else []

    def _close_lines(self, lines: list[Strip], legend: Sequence[Sequence[Segment]], width: int, height: int) -> list[Strip]:
        """Pad the body to `height - len(legend)` lines and add the legend's lines under
        it (a line too long is cut, and the widget does not show all)."""
        base = self.rich_style
        rows = max(height - len(legend), 0)
        lines = lines[:rows]
        lines.extend([Strip.blank(width, base)] * (rows - len(lines)))
        for line in legend:
            strip = Strip(list(line))
            if strip.cell_length > width:
                self.shows_all = False  # the legend is cut
            lines.append(strip.adjust_cell_length(width, base))
        return lines[-height:] if height else []


def legend_rows(entries: Sequence[Sequence[Segment]], width: int, sep: Segment) -> list[list[Segment]]:
    """A legend's entries on lines of at most ``width`` cells, ``sep`` between entries,
    broken between entries (an entry longer than a line stays whole: it is cut when drawn)."""
    lines: list[list[Segment]] = []
    used = 0
    for entry in entries:
        size = sum(seg.cell_length for seg in entry)
        if lines and used + sep.cell_length + size <= width:
            lines[-1] += [sep, *entry]
            used += sep.cell_length + size
        else:
            lines.append(list(entry))
            used = size
    return lines


def color_rows(grid: np.ndarray, colormap: Colormap, no_color: bool, style: Style | None) -> list[list[Segment]]:
    """Text rows of a grid of palette indices: two pixel rows per text row in half
    blocks, or one per text row in density characters (styled `style`) without colour."""
    if no_color:
        return [glyph_segments(row, colormap, style) for row in grid]
    return half_block_rows(grid, colormap)
