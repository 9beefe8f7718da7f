"""Provides `SurfaceMap`: a loss surface (a Heatmap) with several optimisers' paths over
it, each in its own colour with its current point, and marks (e.g. the exact minimum)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from .colors import PATH_GLYPH, POINT_GLYPH, SEQUENTIAL, Colormap, glyph_segments, half_block_segments, legend_segments, resample_nearest
from .frame import Extent, as_extent, as_float_array, legend_rows, map_axis, path_pixels
from .heatmap import MIN_MAP_ROWS, MIN_MAP_WIDTH, Heatmap, _same

__all__ = ["SurfaceMap", "PATH_RGB", "MARK_GLYPH", "PATH_POINT_GLYPHS", "PATH_TRAIL_GLYPHS"]

#: Path colours, one per path in order: white, pink, light blue (absent from the ramp).
PATH_RGB: tuple[tuple[int, int, int], ...] = ((255, 255, 255), (255, 95, 175), (95, 215, 255))
#: Without colour, each path's current point and trail by shape, one per path in order
#: (the first path as a lone path is drawn on a Heatmap: ● on ·).
PATH_POINT_GLYPHS = (POINT_GLYPH, "■", "▲")
PATH_TRAIL_GLYPHS = (PATH_GLYPH, "▫", "▵")
#: The fewest colour swatches the legend's bar keeps when it shares its line.
MIN_SWATCHES = 5
#: The glyph of a mark (e.g. the exact minimum).
MARK_GLYPH = "+"
MARK_RGB = (255, 0, 0)


@dataclass(frozen=True, eq=False)
class _PathsColormap(Colormap):
    """The sequential ramp with a colour per path and one for marks after its own specials."""

    extra_rgb: tuple[tuple[int, int, int], ...] = field(default=())

    def __post_init__(self) -> None:
        rgbs = (*self.level_rgb, self.nan_rgb, self.path_rgb, self.point_rgb, *self.extra_rgb)
        object.__setattr__(self, "_colors", tuple(Color.from_rgb(*rgb) for rgb in rgbs))

    def path(self, i: int) -> int:
        """Palette index of path ``i``."""
        return self.point_index + 1 + i % len(PATH_RGB)

    @property
    def mark_index(self) -> int:
        return self.point_index + 1 + len(PATH_RGB)

    def glyph(self, index: int) -> str:
        if index > self.point_index:
            return MARK_GLYPH if index == self.mark_index else PATH_TRAIL_GLYPHS[(index - self.point_index - 1) % len(PATH_RGB)]
        return super().glyph(index)


SURFACE_MAP = _PathsColormap(name="surface", level_rgb=SEQUENTIAL.level_rgb, nan_rgb=SEQUENTIAL.nan_rgb,
                             path_rgb=PATH_RGB[0], point_rgb=SEQUENTIAL.point_rgb, extra_rgb=(*PATH_RGB, MARK_RGB))


class SurfaceMap(Heatmap):
    """A surface (``set_data`` with the sequential map) and up to three paths with their
    current points and labels (``set_paths``), and marks (``set_marks``). Without colour
    the paths differ by shape: ● on ·, ■ on ▫, ▲ on ▵."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._paths: list[np.ndarray] = []
        self._points: list[np.ndarray | None] = []
        self._labels: list[str] = []
        self._marks: np.ndarray | None = None
        self.mark_label = ""
        """The legend's name of the marks (none: not listed)."""
        self.point_cells: list[tuple[int, int] | None] = []
        """(x, y) text cell of each path's current point in the last frame (None: off the map)."""

    def set_paths(self, paths: Sequence[np.ndarray], points: Sequence[np.ndarray | None], extent: Extent,
                  labels: Sequence[str] = ()) -> None:
        """Draw ``paths`` ((k, 2) each, data coordinates) with their current ``points``
        ((2,) or None), labelled ``labels`` in the legend (none: no label)."""
        new_paths = [as_float_array(p, 2).reshape(-1, 2) for p in paths]
        new_points = [None if p is None else as_float_array(p, 1).reshape(2) for p in points]
        new_extent = as_extent(extent)
        new_labels = list(labels)
        if (len(new_paths) == len(self._paths) and all(_same(a, b) for a, b in zip(new_paths, self._paths))
                and len(new_points) == len(self._points) and all(_same(a, b) for a, b in zip(new_points, self._points))
                and self._extent == new_extent and new_labels == self._labels):
            return
        self._paths, self._points, self._extent, self._labels = new_paths, new_points, new_extent, new_labels
        self._changed()

    def set_marks(self, marks: np.ndarray | None) -> None:
        """Marks ((m, 2) data coordinates, e.g. the exact minimum), or None."""
        new = None if marks is None else as_float_array(marks, 2).reshape(-1, 2)
        if not _same(new, self._marks):
            self._marks = new
            self._changed()

    def _pixel(self, p: np.ndarray, rows: int, cols: int) -> tuple[int, int] | None:
        if not np.all(np.isfinite(p)):
            return None
        xmin, xmax, ymin, ymax = self._data_extent()
        col = float(map_axis(p[:1], xmin, xmax, cols)[0])
        row = (rows - 1) - float(map_axis(p[1:], ymin, ymax, rows)[0])
        r, c = round(row), round(col)
        return (r, c) if 0 <= r < rows and 0 <= c < cols else None

    def _build_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        base = self.rich_style
        legend_style, title_style = self._part_style("legend"), self._part_style("title")
        cmap = SURFACE_MAP
        self.point_cells = []
        self.shows_all = width >= MIN_MAP_WIDTH and height - 1 >= MIN_MAP_ROWS  # and the legend whole (`_close`)
        title = [Segment(f"{self.title}  ", title_style)] if self.title else []
        if self._levels is None or self._levels.size == 0:
            return self._empty_frame(width, height, [*title, Segment("—", legend_style)])
        legend = self._legend_lines(width, height, no_color, base, legend_style, title_style)
        plot_rows = max(height - len(legend), 0)
        pixel_rows = plot_rows if no_color else 2 * plot_rows
        grid = resample_nearest(self._levels, pixel_rows, width, flip_rows=True).copy()
        if pixel_rows > 0:
            for i, p in enumerate(self._paths):
                rr, cc = path_pixels(p, self._data_extent(), pixel_rows, width, flip_rows=True)
                grid[rr, cc] = cmap.path(i)
        glyphs: dict[tuple[int, int], Segment] = {}  # (text row, col) -> the glyph there
        if pixel_rows > 0 and self._marks is not None:
            for m in self._marks:
                px = self._pixel(m, pixel_rows, width)
                if px is not None:
                    glyphs[self._glyph_at(grid, px, no_color, cmap.mark_index, MARK_GLYPH)] = self._glyph_segment(
                        grid, px, no_color, cmap.mark_index, MARK_GLYPH, base)
        for i, current in enumerate(self._points):
            px = None if current is None or pixel_rows == 0 else self._pixel(current, pixel_rows, width)
            if px is None:
                self.point_cells.append(None)
                continue
            point = PATH_POINT_GLYPHS[i % len(PATH_RGB)] if no_color else POINT_GLYPH
            cell = self._glyph_at(grid, px, no_color, cmap.path(i), point)
            glyphs[cell] = self._glyph_segment(grid, px, no_color, cmap.path(i), point, base)
            self.point_cells.append((cell[1], cell[0]))

        lines: list[Strip] = []
        for y in range(plot_rows):
            cols = sorted(c for (r, c) in glyphs if r == y)
            segments: list[Segment] = []
            start = 0
            for c in cols:
                segments += self._row(grid, y, start, c, no_color, base)
                segments.append(glyphs[(y, c)])
                start = c + 1
            segments += self._row(grid, y, start, width, no_color, base)
            lines.append(Strip(segments, width))

        return self._close_lines(lines, legend, width, height)

    def _legend_lines(self, width: int, height: int, no_color: bool, base: Style, text: Style,
                      title_style: Style) -> list[list[Segment]]:
        """The legend: the title, the colour bar, each path's label and the mark's. On one
        line (the bar with fewer swatches if need be), else the labels, broken between
        entries, over the title and the bar (the bar stays on the last line), while the
        map keeps `MIN_MAP_ROWS` rows (else one line, cut)."""
        cmap = SURFACE_MAP
        low_label, high_label = self._legend_labels or (None, None)
        sep = Segment(" ", text)

        def ramp(room: int | None) -> list[Segment]:
            return legend_segments(*self._range, cmap, no_color=no_color, text_style=text,
                                   low_label=low_label, high_label=high_label, width=room)

        def size(entries: list[list[Segment]]) -> int:
            return sum(seg.cell_length for entry in entries for seg in entry) + sep.cell_length * max(len(entries) - 1, 0)

        def line(entries: list[list[Segment]]) -> list[Segment]:
            return [seg for n, entry in enumerate(entries) for seg in ([sep] if n else []) + entry]

        labels: list[list[Segment]] = []
        for i, label in enumerate(self._labels):
            if label:
                swatch = Segment(PATH_POINT_GLYPHS[i % len(PATH_RGB)], base) if no_color else Segment(POINT_GLYPH, cmap.style(cmap.path(i)))
                labels.append([swatch, Segment(label, text)])
        if self._marks is not None and self.mark_label:
            labels.append([Segment(MARK_GLYPH, base if no_color else cmap.style(cmap.mark_index)),
                           Segment(self.mark_label, text)])
        def readable(bar: list[Segment]) -> bool:  # a bar of low, swatches, high: enough swatches left
            return no_color or len(bar) - 2 >= MIN_SWATCHES

        title = [[Segment(f"{self.title} ", title_style)]] if self.title else []
        whole = [*title, ramp(None), *labels]
        if size(whole) <= width:
            return [line(whole)]
        others = [*title, *labels]
        shorter = [*title, ramp(width - size(others) - (sep.cell_length if others else 0)), *labels]
        if size(shorter) <= width and readable(shorter[len(title)]):
            return [line(shorter)]
        bar = ramp(width - size(title) - sep.cell_length * len(title))
        head = [*title, bar]
        lines = legend_rows(labels, width, sep)  # the labels over the bar, which stays on the last line
        lines += [line(head)] if size(head) <= width and readable(bar) else [*(line([t]) for t in title), ramp(width)]
        if height - len(lines) < MIN_MAP_ROWS:
            return [line(shorter)]  # no room to break it: one line, cut
        return lines

    @staticmethod
    def _glyph_at(grid: np.ndarray, px: tuple[int, int], no_color: bool, index: int, glyph: str) -> tuple[int, int]:
        return (px[0] if no_color else px[0] // 2, px[1])

    @staticmethod
    def _glyph_segment(grid: np.ndarray, px: tuple[int, int], no_color: bool, index: int, glyph: str,
                       base: Style) -> Segment:
        if no_color:
            return Segment(glyph, base)
        other = grid[px[0] + 1 - 2 * (px[0] % 2), px[1]]  # the other half of the text cell
        return Segment(glyph, SURFACE_MAP.style(index, int(other)))

    @staticmethod
    def _row(grid: np.ndarray, y: int, a: int, b: int, no_color: bool, base: Style) -> list[Segment]:
        if b <= a:
            return []
        if no_color:
            return glyph_segments(grid[y, a:b], SURFACE_MAP, base)
        return half_block_segments(grid[2 * y, a:b], grid[2 * y + 1, a:b], SURFACE_MAP)
