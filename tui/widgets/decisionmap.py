"""Provides `DecisionMap`: a model's class probabilities over a 2-D input plane as a coloured background,
with the train and test points drawn over it (readable without colour too)."""

from __future__ import annotations

from typing import Any, ClassVar, Sequence

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from .colors import (
    SEQUENTIAL,
    Colormap,
    auto_range,
    glyph_segments,
    half_block_rows,
    legend_segments,
    resample_nearest,
)
from .frame import ChartWidget, Extent, as_extent, as_float_array, legend_rows, map_axis

__all__ = ["DecisionMap", "CLASS_COLORS", "CLASS_GLYPHS", "CLASS_HATCHES", "CONFIDENCE_LEVELS"]

CONFIDENCE_LEVELS = 3
"""Background shades per class, from "barely this class" to "sure of it"."""

CLASS_COLORS: tuple[tuple[tuple[int, int, int], ...], ...] = (
    # background tints, faint to strong, then the points' colour; all exact xterm-256 colours
    ((215, 215, 255), (175, 175, 255), (135, 135, 255), (0, 0, 175)),  # blue: 189 147 105, 19
    ((255, 215, 175), (255, 175, 95), (255, 135, 0), (135, 95, 0)),  # orange: 223 215 208, 94
    ((215, 255, 215), (175, 255, 175), (95, 215, 95), (0, 95, 0)),  # green: 194 157 77, 22
    ((255, 215, 255), (255, 175, 255), (215, 95, 215), (95, 0, 95)),  # magenta: 225 219 170, 53
    ((215, 255, 255), (175, 255, 255), (95, 215, 215), (0, 95, 95)),  # cyan: 195 159 80, 23
    ((255, 255, 215), (255, 255, 175), (215, 215, 95), (95, 95, 0)),  # yellow: 230 229 185, 58
)
"""Per class: `CONFIDENCE_LEVELS` background tints and the colour of its points."""

CLASS_GLYPHS: tuple[tuple[str, str], ...] = (("●", "○"), ("■", "□"), ("▲", "△"), ("◆", "◇"), ("★", "☆"), ("✚", "✢"))
"""Per class: the (train, test) glyph of its points: a shape per class, filled for train, hollow for test."""

CLASS_HATCHES = "░▓╱╲┼≡"
"""Per class: the background character without colour (a blank cell is near the boundary)."""

MIN_MAP_ROWS = 3
"""Text rows the map keeps when its legend takes more than one line."""

NAN_RGB = (88, 88, 88)
"""Background of a cell whose probabilities are NaN/inf (xterm 240)."""


def _class_colormap() -> Colormap:
    """One palette for every class: its tints (class-major), then the point colours."""
    tints = tuple(rgb for colors in CLASS_COLORS for rgb in colors[:CONFIDENCE_LEVELS])
    points = tuple(colors[CONFIDENCE_LEVELS] for colors in CLASS_COLORS)
    return Colormap(name="classes", level_rgb=tints + points, nan_rgb=NAN_RGB, path_rgb=(0, 0, 0), point_rgb=(0, 0, 0))


CLASSES = _class_colormap()
"""The palette of class backgrounds (index class * CONFIDENCE_LEVELS + level) and point colours."""

POINT_BASE = len(CLASS_COLORS) * CONFIDENCE_LEVELS
"""Palette index of class 0's point colour in `CLASSES`."""


def class_levels(probabilities: np.ndarray) -> np.ndarray:
    """Background palette indices of (H, W, C) class probabilities: class k's tint
    `k * CONFIDENCE_LEVELS + level`, the level rising with the winning probability
    from 1/C (a tie) to 1; a NaN/inf cell gets `CLASSES.nan_index`."""
    classes = probabilities.shape[-1]
    finite = np.all(np.isfinite(probabilities), axis=-1)
    safe = np.where(finite[..., None], probabilities, 0.0)
    winner = np.argmax(safe, axis=-1)
    top = np.max(safe, axis=-1)
    floor = 1.0 / classes if classes > 1 else 0.0
    confidence = np.clip((top - floor) / max(1.0 - floor, 1e-12), 0.0, 1.0)
    level = np.minimum((confidence * CONFIDENCE_LEVELS).astype(np.intp), CONFIDENCE_LEVELS - 1)
    out = (winner % len(CLASS_COLORS)) * CONFIDENCE_LEVELS + level
    return np.where(finite, out, CLASSES.nan_index).astype(np.int16)


class DecisionMap(ChartWidget):
    """Class probabilities over a 2-D input plane, with the data points over them.

    The background is the winning class's colour, stronger where the model is
    surer (half-block pixels, two per text cell); near the boundary it fades to
    the class's faintest tint. Points are drawn one per cell in their class's
    colour and shape, filled for train points (●) and hollow for test points (○),
    test points on top. Without colour the background is a hatch character per
    class (blank near the boundary) and the points keep their shapes, so classes,
    boundary and train/test still read. With `values=True` the background is a
    scalar surface (a regression's prediction) on the sequential colour map, with
    its numeric range in the legend.

    The widget is passive: call `set_data` at any rate; it redraws only when the
    data or its size changed.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"decisionmap--legend", "decisionmap--title"}
    """
    | Class | Description |
    | :- | :- |
    | `decisionmap--legend` | The class names and notes on the legend line. |
    | `decisionmap--title` | The title at the start of the legend line. |
    """

    DEFAULT_CSS = """
    DecisionMap {
        width: 1fr;
        height: 1fr;
        min-height: 2;
    }
    DecisionMap > .decisionmap--legend {
        color: $text-muted;
    }
    DecisionMap > .decisionmap--title {
        color: $text;
        text-style: bold;
    }
    """

    PREFIX = "decisionmap"

    def __init__(self, **kwargs: Any) -> None:
        """Initialise an empty map; keyword arguments (name, id, classes, disabled) as for any widget."""
        super().__init__(**kwargs)
        self._inputs: tuple[Any, ...] | None = None
        self._levels: np.ndarray | None = None
        self._values = False
        self._class_count = 0
        self._class_names: tuple[str, ...] = ()
        self._extent: Extent = (0.0, 1.0, 0.0, 1.0)
        self._points: list[tuple[np.ndarray, np.ndarray, bool]] = []
        self.points_drawn = 0
        """Cells holding a point in the last frame."""
        self.legend_rows = 1
        """Lines the legend took in the last frame (more than one on a narrow map)."""
        self.point_words: tuple[str, str] = ("train", "test")
        """The legend's words for filled and hollow points (set them for another language)."""

    def set_data(
        self,
        probabilities: np.ndarray,
        *,
        extent: Extent | None = None,
        train: tuple[np.ndarray, np.ndarray] | None = None,
        test: tuple[np.ndarray, np.ndarray] | None = None,
        class_names: Sequence[str] | None = None,
        title: str | None = None,
        values: bool = False,
        vmin: float | None = None,
        vmax: float | None = None,
    ) -> None:
        """Show a map and the points over it.

        Args:
            probabilities: (H, W, C) class probabilities, or (H, W) the probability
                of class 1 of two; with `values`, (H, W) values of a surface. Row 0
                is the lowest y.
            extent: (xmin, xmax, ymin, ymax) of the first/last column and row
                centres; default: the grid's indices.
            train: ((n, 2) points as (x, y), (n,) class labels) drawn filled.
            test: The same, drawn hollow (over the train points).
            class_names: A name per class for the legend (default "0", "1", ...).
            title: Legend title; `None` keeps the current one.
            values: The grid is a scalar surface, not probabilities.
            vmin: Value of the lowest colour of a surface (default: from the data).
            vmax: Value of the highest colour of a surface (default: from the data).
        """
        grid = as_float_array(probabilities, 2 if values else 3)
        if not values and np.asarray(probabilities).ndim == 2:
            grid = np.stack([1.0 - grid[0], grid[0]], axis=-1)
        points = [_points(train, False), _points(test, True)]
        if title is not None:
            self.title = title
        rows, cols = grid.shape[:2]
        new_extent = (0.0, float(cols - 1), 0.0, float(rows - 1)) if extent is None else as_extent(extent)
        classes = 0 if values else grid.shape[-1]
        names = tuple(class_names) if class_names is not None else tuple(str(k) for k in range(classes))
        inputs = (grid, values, vmin, vmax, new_extent, names, *(a for p in points for a in p[:2]))
        if self._inputs is not None and _same_inputs(self._inputs, inputs):
            return
        self._inputs = inputs
        self._values, self._class_count, self._class_names = values, classes, names
        self._extent = new_extent
        self._points = points
        if values:
            self._range = auto_range(grid, "sequential", vmin, vmax)
            self._levels = self._quantize(grid, SEQUENTIAL)
        elif grid.size:
            self._levels = class_levels(grid)
            self._has_nan = bool(np.any(self._levels == CLASSES.nan_index))
        else:
            self._levels = np.zeros((0, 0), dtype=np.int16)
        self._changed()

    def _point_cells(self, pixel_rows: int, cols: int, per_row: int) -> dict[tuple[int, int], tuple[str, int]]:
        """(text row, column) -> (glyph, palette index of its colour), test points last (on top)."""
        xmin, xmax, ymin, ymax = self._extent
        cells: dict[tuple[int, int], tuple[str, int]] = {}
        for xy, labels, hollow in self._points:
            if xy.shape[0] == 0:
                continue
            c = np.rint(map_axis(xy[:, 0], xmin, xmax, cols))
            r = (pixel_rows - 1) - np.rint(map_axis(xy[:, 1], ymin, ymax, pixel_rows))
            inside = np.isfinite(c) & np.isfinite(r) & (r >= 0) & (r < pixel_rows) & (c >= 0) & (c < cols)
            keys = (r[inside].astype(np.intp) // per_row) * cols + c[inside].astype(np.intp)
            kinds = np.zeros(keys.shape[0], dtype=np.intp) if self._values else labels[inside]
            # one point per cell: the last of each cell wins, as drawing them in turn would
            unique, last = np.unique(keys[::-1], return_index=True)
            for key, k in zip(unique.tolist(), kinds[::-1][last].tolist()):
                glyph = CLASS_GLYPHS[int(k) % len(CLASS_GLYPHS)][int(hollow)]
                color = SEQUENTIAL.point_index if self._values else POINT_BASE + int(k) % len(CLASS_COLORS)
                cells[(key // cols, key % cols)] = (glyph, color)
        return cells

    def _build_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        base = self.rich_style
        legend_style, title_style = self._part_style("legend"), self._part_style("title")
        title = [Segment(f"{self.title}  ", title_style)] if self.title else []
        self.points_drawn = 0
        self.shows_all = True  # until the legend is cut (`_close`)
        self.legend_rows = 1
        if self._levels is None or self._levels.size == 0:
            return self._empty_frame(width, height, [*title, Segment("—", legend_style)])
        # the legend on one line, or broken between entries over more when the map keeps its rows
        classes, points = self._legend(no_color, legend_style, base)
        if self.title:
            classes.insert(0, [Segment(self.title, title_style)])
        sep = Segment("  ", legend_style)
        legend = legend_rows(classes + points, 10**9, sep) or [[]]
        if sum(seg.cell_length for seg in legend[0]) > width:  # the classes over the points, each broken if need be
            broken = legend_rows(classes, width, sep) + legend_rows(points, width, sep)
            if height - len(broken) >= MIN_MAP_ROWS:
                legend = broken
        self.legend_rows = len(legend)
        plot_rows = max(height - self.legend_rows, 0)
        per_row = 1 if no_color else 2
        cmap = SEQUENTIAL if self._values else CLASSES
        grid = resample_nearest(self._levels, per_row * plot_rows, width, flip_rows=True)
        cells = self._point_cells(per_row * plot_rows, width, per_row)
        self.points_drawn = len(cells)
        by_row: dict[int, list[int]] = {}
        for row, col in sorted(cells):
            by_row.setdefault(row, []).append(col)

        if not no_color:  # the whole map in one pass (see half_block_rows)
            glyphs = {(y, col): (glyph, cmap.style(color, int(grid[2 * y + 1, col]))) for (y, col), (glyph, color) in cells.items()}
            return self._close_lines([Strip(row, width) for row in half_block_rows(grid, cmap, glyphs)], legend, width, height)

        def background(y: int, a: int, b: int) -> list[Segment]:  # without colour: a text row per pixel row
            if self._values:
                return glyph_segments(grid[y, a:b], cmap, base)
            return [Segment("".join(_hatch(i) for i in grid[y, a:b].tolist()), base)]

        lines: list[Strip] = []
        for y in range(plot_rows):
            segments: list[Segment] = []
            start = 0
            for col in by_row.get(y, []):
                glyph, _ = cells[(y, col)]
                segments += [*background(y, start, col), Segment(glyph, base)]
                start = col + 1
            segments += background(y, start, width)
            lines.append(Strip(segments, width))
        return self._close_lines(lines, legend, width, height)

    def _legend(self, no_color: bool, text: Style, base: Style) -> tuple[list[list[Segment]], list[list[Segment]]]:
        """The legend's entries: the class swatches (or the value range), and what the
        point glyphs (and a NaN cell) mean."""
        entries: list[list[Segment]] = []
        if self._values:
            entries.append(legend_segments(*self._range, SEQUENTIAL, no_color=no_color, text_style=text))
        for k, name in enumerate(self._class_names):
            color = k % len(CLASS_COLORS)
            glyph = CLASS_GLYPHS[k % len(CLASS_GLYPHS)][0]
            if no_color:
                swatch = Segment(f"{CLASS_HATCHES[color]}{glyph}", base)
            else:
                strong = color * CONFIDENCE_LEVELS + CONFIDENCE_LEVELS - 1
                swatch = Segment(glyph, CLASSES.style(POINT_BASE + color, strong))
            entries.append([swatch, Segment(f" {name}", text)])
        classes, entries = entries, []
        shapes = CLASS_GLYPHS[0]
        hollow_color = SEQUENTIAL.point_index if self._values else POINT_BASE
        point_style = base if no_color else (SEQUENTIAL if self._values else CLASSES).style(hollow_color)
        if any(xy.shape[0] for xy, _, hollow in self._points if not hollow):
            entries.append([Segment(shapes[0], point_style), Segment(f" {self.point_words[0]}", text)])
        if any(xy.shape[0] for xy, _, hollow in self._points if hollow):
            entries.append([Segment(shapes[1], point_style), Segment(f" {self.point_words[1]}", text)])
        if self._has_nan:
            entries.append([Segment("×" if no_color else "█", base if no_color else CLASSES.style(CLASSES.nan_index)),
                            Segment(" nan/inf", text)])
        return classes, entries

    def cell_of(self, x: float, y: float) -> tuple[int, int] | None:
        """(column, row) of the cell where a point at (x, y) is drawn, or `None` if off the map."""
        width, height = self.size
        per_row = 1 if self.no_color else 2
        xmin, xmax, ymin, ymax = self._extent
        pixel_rows = per_row * max(height - self.legend_rows, 0)
        c = int(np.rint(map_axis(np.array([x]), xmin, xmax, width)[0]))
        r = (pixel_rows - 1) - int(np.rint(map_axis(np.array([y]), ymin, ymax, pixel_rows)[0]))
        if 0 <= c < width and 0 <= r < pixel_rows:
            return c, r // per_row
        return None


def _hatch(index: int) -> str:
    """The background character of a class palette index without colour."""
    if index >= POINT_BASE:
        return "×"  # NaN/inf
    level = index % CONFIDENCE_LEVELS
    return " " if level == 0 else CLASS_HATCHES[index // CONFIDENCE_LEVELS]


def _points(data: tuple[np.ndarray, np.ndarray] | None, hollow: bool) -> tuple[np.ndarray, np.ndarray, bool]:
    """((n, 2) float points, (n,) int labels, hollow) from an optional (points, labels) pair."""
    if data is None:
        return np.zeros((0, 2)), np.zeros(0, dtype=np.intp), hollow
    xy = np.array(data[0], dtype=np.float64, copy=True).reshape(-1, 2)
    labels = np.array(data[1], copy=True).ravel()
    n = min(xy.shape[0], labels.shape[0])
    finite = np.isfinite(labels[:n].astype(np.float64))
    xy, labels = xy[:n][finite], labels[:n][finite]
    return xy, np.maximum(np.rint(labels.astype(np.float64)), 0).astype(np.intp), hollow


def _same_inputs(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Whether two input tuples (arrays among plain values) are equal, NaN equal to NaN."""
    for x, y in zip(a, b):
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not (isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and x.shape == y.shape):
                return False
            if not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
                return False
        elif x != y:
            return False
    return len(a) == len(b)
