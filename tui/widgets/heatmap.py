"""Provides `Heatmap`: a 2-D array drawn with half-block pixels, a colour bar and an optional path overlay."""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Hashable, Literal

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from .colors import (
    POINT_GLYPH,
    ColormapName,
    auto_range,
    format_value,
    get_colormap,
    glyph_segments,
    half_block_segments,
    legend_segments,
    quantize,
    resample_nearest,
)

__all__ = ["Heatmap", "FrameWidget", "path_pixels", "as_float_array"]

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


def _map_axis(values: np.ndarray, lo: float, hi: float, n: int) -> np.ndarray:
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
    fc = _map_axis(points[:, 0], xmin, xmax, cols)
    fr = _map_axis(points[:, 1], ymin, ymax, rows)
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
            text = message[:width].center(width)
            lines[height // 2] = Strip([Segment(text, style)], width)
        return lines


class Heatmap(FrameWidget):
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

    def __init__(self, **kwargs: Any) -> None:
        """Initialise an empty heatmap; keyword arguments (name, id, classes, disabled) as for any widget."""
        super().__init__(**kwargs)
        self._data: np.ndarray | None = None
        self._levels: np.ndarray | None = None
        self._vlimits: tuple[float | None, float | None] = (None, None)
        self._range: tuple[float, float] = (0.0, 0.0)
        self._legend_labels: tuple[str, str] | None = None
        self._has_nan = False
        self._origin: Literal["lower", "upper"] = "lower"
        self._path: np.ndarray | None = None
        self._point: np.ndarray | None = None
        self._extent: Extent | None = None
        self.point_cell: tuple[int, int] | None = None
        """(x, y) text cell of the overlay's current point in the last frame, if drawn."""

    @property
    def value_range(self) -> tuple[float, float]:
        """The (vmin, vmax) the colours currently map."""
        return self._range

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
        labels = None if legend_format is None else tuple(_label(legend_format, v) for v in value_range)
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
        self._legend_labels = labels  # type: ignore[assignment]
        self._range = value_range
        self._levels = quantize(data, *self._range, colormap.levels)
        self._has_nan = bool(np.any(self._levels == colormap.nan_index))
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
        new_extent = None if extent is None else tuple(float(v) for v in extent)
        if (
            _same(self._path, new_path)
            and _same(self._point, new_point)
            and self._extent == new_extent
        ):
            return
        self._path, self._point = new_path, new_point
        self._extent = new_extent  # type: ignore[assignment]
        self._changed()

    def clear_overlay(self) -> None:
        """Remove the path and point."""
        self.set_overlay(None, None, self._extent)

    def _frame_key(self) -> Hashable:
        return (
            self.title,
            self.cmap,
            self.get_component_rich_style("heatmap--legend"),
            self.get_component_rich_style("heatmap--title"),
        )

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
        col = float(_map_axis(self._point[:1], xmin, xmax, cols)[0])
        row = float(_map_axis(self._point[1:], ymin, ymax, rows)[0])
        if self._origin == "lower":
            row = (rows - 1) - row
        r, c = round(row), round(col)
        if 0 <= r < rows and 0 <= c < cols:
            return r, c
        return None

    def _build_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        base = self.rich_style
        legend_style = self.get_component_rich_style("heatmap--legend")
        title_style = self.get_component_rich_style("heatmap--title")
        colormap = get_colormap(self.cmap)
        self.point_cell = None
        plot_rows = max(height - 1, 0)
        if self._levels is None or self._levels.size == 0:
            lines = self._message_frame(width, plot_rows, "no data", legend_style)
            title = Segment(f"{self.title}  " if self.title else "", title_style)
            lines.append(Strip([title, Segment("—", legend_style)]).adjust_cell_length(width, base))
            return lines[:height]

        pixel_rows = plot_rows if no_color else 2 * plot_rows
        grid = resample_nearest(
            self._levels, pixel_rows, width, flip_rows=self._origin == "lower"
        )
        flip = self._origin == "lower"
        point = None
        path_drawn = False
        if pixel_rows > 0 and self._path is not None:
            rr, cc = path_pixels(self._path, self._data_extent(), pixel_rows, width, flip_rows=flip)
            if rr.size:
                grid = grid.copy()
                grid[rr, cc] = colormap.path_index
                path_drawn = True
        if pixel_rows > 0:
            point = self._point_pixel(pixel_rows, width)

        lines: list[Strip] = []
        for y in range(plot_rows):
            if no_color:
                row = grid[y]
                if point is not None and point[0] == y:
                    c = point[1]
                    segments = [
                        *glyph_segments(row[:c], colormap, base),
                        Segment(POINT_GLYPH, base),
                        *glyph_segments(row[c + 1 :], colormap, base),
                    ]
                    self.point_cell = (c, y)
                else:
                    segments = glyph_segments(row, colormap, base)
            else:
                top, bottom = grid[2 * y], grid[2 * y + 1]
                if point is not None and point[0] // 2 == y:
                    c = point[1]
                    other = bottom[c] if point[0] % 2 == 0 else top[c]
                    segments = [
                        *half_block_segments(top[:c], bottom[:c], colormap),
                        Segment(POINT_GLYPH, colormap.style(colormap.point_index, int(other))),
                        *half_block_segments(top[c + 1 :], bottom[c + 1 :], colormap),
                    ]
                    self.point_cell = (c, y)
                else:
                    segments = half_block_segments(top, bottom, colormap)
            lines.append(Strip(segments, width))

        legend: list[Segment] = []
        if self.title:
            legend.append(Segment(f"{self.title}  ", title_style))
        low_label, high_label = self._legend_labels or (None, None)
        legend.extend(
            legend_segments(
                *self._range, colormap, no_color=no_color, text_style=legend_style,
                low_label=low_label, high_label=high_label,
            )
        )
        if self._has_nan:
            swatch = (
                Segment("×", base) if no_color else Segment("█", colormap.style(colormap.nan_index))
            )
            legend.extend([Segment("  ", legend_style), swatch, Segment(" nan/inf", legend_style)])
        if path_drawn:
            swatch = (
                Segment("·", base) if no_color else Segment("█", colormap.style(colormap.path_index))
            )
            legend.extend([Segment("  ", legend_style), swatch, Segment(" path", legend_style)])
        if self._point is not None:
            if self.point_cell is not None:
                swatch = (
                    Segment(POINT_GLYPH, base)
                    if no_color
                    else Segment(POINT_GLYPH, colormap.style(colormap.point_index))
                )
                legend.extend([Segment("  ", legend_style), swatch, Segment(" now", legend_style)])
            else:
                legend.append(Segment(f"  {POINT_GLYPH} off-map", legend_style))
        lines.append(Strip(legend).adjust_cell_length(width, base))
        return lines[-height:] if height else []


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
