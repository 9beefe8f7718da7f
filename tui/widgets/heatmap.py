"""Provides `Heatmap`: a 2-D array drawn with half-block pixels, a colour bar and an optional path overlay."""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Hashable, Literal

import numpy as np
from rich.segment import Segment
from textual.reactive import reactive
from textual.strip import Strip

from nndojo.core.texts._ui import ui

from .colors import (
    POINT_GLYPH,
    ColormapName,
    auto_range,
    format_value,
    get_colormap,
    glyph_segments,
    half_block_segments,
    legend_segments,
    resample_nearest,
)
from .frame import ChartWidget, Extent, FrameWidget, as_extent, as_float_array, map_axis, path_pixels

__all__ = ["Heatmap", "FrameWidget", "path_pixels", "as_float_array"]

MIN_MAP_WIDTH = 12
MIN_MAP_ROWS = 3
"""A map narrower or lower than this (its legend line aside) is too small to read."""


class Heatmap(ChartWidget):
    """A 2-D array as a grid of half-block pixels with a numeric colour bar.

    Each text cell shows two pixels with "▀" (foreground = top, background =
    bottom); the array is resampled by nearest neighbour to fill the widget.
    The bottom line is a legend: title, low value, colour bar, high value.
    NaN/inf cells are grey (or "×" without colour). An overlay can draw a
    trajectory (e.g. gradient descent over a loss surface) and its current point.

    The widget is passive: call `set_data` / `set_overlay` at any rate; it only
    redraws when the content or its size changed.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"heatmap--legend", "heatmap--title"}
    """
    | Class | Description |
    | :- | :- |
    | `heatmap--legend` | The numbers and notes on the legend line. |
    | `heatmap--title` | The title at the start of the legend line. |
    """

    DEFAULT_CSS = """
    Heatmap {
        width: 1fr;
        height: 1fr;
        min-height: 2;
    }
    Heatmap > .heatmap--legend {
        color: $text-muted;
    }
    Heatmap > .heatmap--title {
        color: $text;
        text-style: bold;
    }
    """

    cmap: reactive[ColormapName] = reactive[ColormapName]("diverging")
    """Colour map: "diverging" (blue-white-red, centred on 0) or "sequential" (dark to bright)."""

    PREFIX = "heatmap"

    def __init__(self, **kwargs: Any) -> None:
        """Initialise an empty heatmap; keyword arguments (name, id, classes, disabled) as for any widget."""
        super().__init__(**kwargs)
        self._data: np.ndarray | None = None
        self._levels: np.ndarray | None = None
        self._vlimits: tuple[float | None, float | None] = (None, None)
        self._legend_labels: tuple[str, str] | None = None
        self._origin: Literal["lower", "upper"] = "lower"
        self._path: np.ndarray | None = None
        self._point: np.ndarray | None = None
        self._extent: Extent | None = None
        self.point_cell: tuple[int, int] | None = None
        """(x, y) text cell of the overlay's current point in the last frame, if drawn."""

    def set_data(
        self,
        array: np.ndarray,
        *,
        vmin: float | None = None,
        vmax: float | None = None,
        cmap: ColormapName = "diverging",
        title: str | None = None,
        origin: Literal["lower", "upper"] = "lower",
        legend_format: Callable[[float], str] | None = None,
    ) -> None:
        """Show a 2-D array (1-D arrays become one row).

        Args:
            array: (rows, cols) values; NaN/inf are drawn as a neutral marker.
            vmin: Value of the lowest colour (default: from the data; symmetric for "diverging").
            vmax: Value of the highest colour (default: from the data).
            cmap: "diverging" or "sequential".
            title: Legend title; `None` keeps the current one.
            origin: "lower" puts array row 0 at the bottom (y grows upwards, as for
                a surface over (x, y)); "upper" puts it at the top (matrices, images).
            legend_format: Writes the legend's end values, for arrays that hold a
                transform of what they show (e.g. `lambda v: f"{10**v:.3g}"` for
                log10 values); default: the values themselves.
        """
        data = as_float_array(array, 2)
        colormap = get_colormap(cmap)
        if title is not None:
            self.title = title
        value_range = auto_range(data, cmap, vmin, vmax)
        labels = None if legend_format is None else (_label(legend_format, value_range[0]), _label(legend_format, value_range[1]))
        if (
            self._data is not None
            and self.cmap == cmap
            and self._vlimits == (vmin, vmax)
            and self._origin == origin
            and self._legend_labels == labels
            and np.array_equal(self._data, data, equal_nan=True)
        ):
            return
        self.cmap = cmap
        self._data = data
        self._vlimits = (vmin, vmax)
        self._origin = origin
        self._legend_labels = labels
        self._range = value_range
        self._levels = self._quantize(data, colormap)
        self._changed()

    def clear(self) -> None:
        """Remove the data and the overlay."""
        self._data = self._levels = None
        self._path = self._point = None
        self._range = (0.0, 0.0)
        self._has_nan = False
        self._changed()

    def set_overlay(
        self,
        path: np.ndarray | None,
        point: np.ndarray | None = None,
        extent: Extent | None = None,
    ) -> None:
        """Draw a trajectory and its current point over the map.

        Args:
            path: (k, 2) points as (x, y) in data coordinates, or `None` for no path.
            point: (2,) current (x, y), or `None`.
            extent: (xmin, xmax, ymin, ymax) of the array's first and last
                column/row; default: array indices (x = column, y = row).
        """
        new_path = None if path is None else as_float_array(path, 2).reshape(-1, 2)
        new_point = None if point is None else as_float_array(point, 1).reshape(2)
        new_extent = None if extent is None else as_extent(extent)
        if _same(self._path, new_path) and _same(self._point, new_point) and self._extent == new_extent:
            return
        self._path, self._point = new_path, new_point
        self._extent = new_extent
        self._changed()

    def clear_overlay(self) -> None:
        """Remove the path and point."""
        self.set_overlay(None, None, self._extent)

    def _frame_key(self) -> Hashable:
        return (super()._frame_key(), self.cmap)

    def _data_extent(self) -> Extent:
        if self._extent is not None:
            return self._extent
        rows, cols = self._data.shape if self._data is not None else (1, 1)
        return (0.0, float(cols - 1), 0.0, float(rows - 1))

    def _point_pixel(self, rows: int, cols: int) -> tuple[int, int] | None:
        """Pixel (row, col) of the current point, or `None` if absent or off the map."""
        if self._point is None or not np.all(np.isfinite(self._point)):
            return None
        xmin, xmax, ymin, ymax = self._data_extent()
        col = float(map_axis(self._point[:1], xmin, xmax, cols)[0])
        row = float(map_axis(self._point[1:], ymin, ymax, rows)[0])
        if self._origin == "lower":
            row = (rows - 1) - row
        r, c = round(row), round(col)
        if 0 <= r < rows and 0 <= c < cols:
            return r, c
        return None

    def _build_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        base = self.rich_style
        legend_style, title_style = self._part_style("legend"), self._part_style("title")
        colormap = get_colormap(self.cmap)
        self.point_cell = None
        self.shows_all = width >= MIN_MAP_WIDTH and height - 1 >= MIN_MAP_ROWS
        title = [Segment(f"{self.title}  ", title_style)] if self.title else []
        if self._levels is None or self._levels.size == 0:
            return self._empty_frame(width, height, [*title, Segment("—", legend_style)])

        plot_rows = max(height - 1, 0)
        pixel_rows = plot_rows if no_color else 2 * plot_rows
        flip = self._origin == "lower"
        grid = resample_nearest(self._levels, pixel_rows, width, flip_rows=flip)
        path_drawn = False
        if pixel_rows > 0 and self._path is not None:
            rr, cc = path_pixels(self._path, self._data_extent(), pixel_rows, width, flip_rows=flip)
            if rr.size:
                grid = grid.copy()
                grid[rr, cc] = colormap.path_index
                path_drawn = True
        point = self._point_pixel(pixel_rows, width) if pixel_rows > 0 else None

        def row_segments(y: int, a: int, b: int) -> list[Segment]:
            if no_color:
                return glyph_segments(grid[y, a:b], colormap, base)
            return half_block_segments(grid[2 * y, a:b], grid[2 * y + 1, a:b], colormap)

        lines: list[Strip] = []
        for y in range(plot_rows):
            if point is not None and point[0] // (1 if no_color else 2) == y:
                c = point[1]
                if no_color:
                    glyph = Segment(POINT_GLYPH, base)
                else:
                    other = grid[2 * y + 1 - point[0] % 2, c]
                    glyph = Segment(POINT_GLYPH, colormap.style(colormap.point_index, int(other)))
                segments = [*row_segments(y, 0, c), glyph, *row_segments(y, c + 1, width)]
                self.point_cell = (c, y)
            else:
                segments = row_segments(y, 0, width)
            lines.append(Strip(segments, width))

        low_label, high_label = self._legend_labels or (None, None)
        legend = title + legend_segments(
            *self._range, colormap, no_color=no_color, text_style=legend_style, low_label=low_label, high_label=high_label,
            width=width - sum(seg.cell_length for seg in title),
        )
        lang = self.lang
        marks = [("×", colormap.nan_index, " nan/inf", self._has_nan), ("·", colormap.path_index, " " + ui("heatmap.path", lang), path_drawn)]
        for mark, index, text, shown in marks:
            if shown:
                swatch = Segment(mark, base) if no_color else Segment("█", colormap.style(index))
                legend += [Segment("  ", legend_style), swatch, Segment(text, legend_style)]
        if self._point is not None and self.point_cell is not None:
            swatch = Segment(POINT_GLYPH, base if no_color else colormap.style(colormap.point_index))
            legend += [Segment("  ", legend_style), swatch, Segment(" " + ui("heatmap.now", lang), legend_style)]
        elif self._point is not None:
            legend.append(Segment(f"  {POINT_GLYPH} {ui('heatmap.off_map', lang)}", legend_style))
        return self._close(lines, legend, width, height)


def _label(legend_format: Callable[[float], str], value: float) -> str:
    """A legend end written by ``legend_format``; a formatter that fails (e.g. an
    overflow on a huge value) gives the plain value rather than taking the app down."""
    try:
        with np.errstate(all="ignore"):
            return str(legend_format(value))
    except Exception:
        return format_value(value)


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """Whether two optional arrays are equal (NaN equal to NaN)."""
    if a is None or b is None:
        return a is b
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
