"""Colour maps, value-to-colour mapping, resampling and cached styles for the grid widgets.

Every palette colour is an exact xterm-256 colour (the 6x6x6 cube or the pure
white/black corners), so when Rich downgrades truecolor to 256 colours over SSH
the palette maps onto itself and no two levels merge. Without colour (NO_COLOR)
the same levels are drawn as characters of increasing density: `" ░▒▓█"`; a
diverging map uses them symmetrically, so that "▒" is 0 and as many levels fall
below it as above. Every legend shows the numbers at both ends (and 0 in the middle
of a diverging one), so no map relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np
from rich.color import Color
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

__all__ = [
    "ColormapName",
    "Colormap",
    "DIVERGING",
    "SEQUENTIAL",
    "DENSITY_GLYPHS",
    "get_colormap",
    "auto_range",
    "quantize",
    "resample_indices",
    "resample_nearest",
    "format_value",
    "half_block_segments",
    "half_block_rows",
    "glyph_segments",
    "legend_segments",
    "is_symmetric",
]

ColormapName = Literal["diverging", "sequential"]
"""The colour maps a grid widget can use."""

DENSITY_GLYPHS = " ░▒▓█"
"""Characters of increasing density that stand in for colour when there is none."""

NAN_GLYPH = "×"
"""Character drawn for a NaN/inf cell in NO_COLOR mode."""

PATH_GLYPH = "·"
"""Character drawn for an overlay path cell in NO_COLOR mode."""

POINT_GLYPH = "●"
"""Character drawn for the overlay's current point (in every mode)."""

HALF_BLOCK = "▀"
"""Upper half block: foreground is the top pixel, background the bottom pixel."""

RGB = tuple[int, int, int]


@dataclass(frozen=True, eq=False)
class Colormap:
    """A discrete colour map: `levels` colours from low to high, plus special colours.

    Palette indices `0..levels-1` are the value levels; `nan_index`, `path_index`
    and `point_index` follow them. Styles are cached per (foreground, background)
    index pair, so a frame costs one dict lookup per run of equal cells.
    """

    name: str
    level_rgb: tuple[RGB, ...]
    nan_rgb: RGB
    path_rgb: RGB
    point_rgb: RGB
    centered: bool = False
    """Whether the middle level means 0 (a diverging map): its glyphs are symmetric."""
    _colors: tuple[Color, ...] = field(init=False, repr=False)
    _styles: dict[tuple[int, int], Style] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        rgbs = (*self.level_rgb, self.nan_rgb, self.path_rgb, self.point_rgb)
        object.__setattr__(
            self, "_colors", tuple(Color.from_rgb(*rgb) for rgb in rgbs)
        )

    @property
    def levels(self) -> int:
        """Number of value levels."""
        return len(self.level_rgb)

    @property
    def nan_index(self) -> int:
        """Palette index of NaN/inf cells."""
        return self.levels

    @property
    def path_index(self) -> int:
        """Palette index of overlay path cells."""
        return self.levels + 1

    @property
    def point_index(self) -> int:
        """Palette index of the overlay's current point."""
        return self.levels + 2

    def color(self, index: int) -> Color:
        """The Rich colour of a palette index."""
        return self._colors[index]

    def style(self, fg: int, bg: int | None = None) -> Style:
        """The cached Rich style for a (foreground, background) index pair."""
        key = (fg, -1 if bg is None else bg)
        style = self._styles.get(key)
        if style is None:
            style = Style(
                color=self._colors[fg],
                bgcolor=None if bg is None else self._colors[bg],
            )
            self._styles[key] = style
        return style

    @property
    def mid_index(self) -> int:
        """The middle level (value 0 of a symmetric range on a centred map)."""
        return self.levels // 2

    def glyph(self, index: int) -> str:
        """The density character standing in for a palette index without colour.

        Rises with the level. On a centred map it is symmetric about the middle
        level: only the middle level is the middle glyph, and a level d steps below
        it is as light as the level d steps above it is dense.
        """
        if index < self.levels:
            n = len(DENSITY_GLYPHS)
            if self.centered and self.levels % 2 and n % 2:
                half, mid = n // 2, self.mid_index
                d = index - mid
                step = -(-abs(d) * half // mid) if mid else 0  # ceil(|d| * half / mid)
                return DENSITY_GLYPHS[half + (step if d > 0 else -step)]
            return DENSITY_GLYPHS[min(n - 1, index * n // self.levels)]
        if index == self.nan_index:
            return NAN_GLYPH
        if index == self.path_index:
            return PATH_GLYPH
        return POINT_GLYPH


# Blue - white - red, centred on the middle level (value 0 for a symmetric range).
# All entries are xterm-256 colours: 18, 26, 33, 75, 153, 231, 223, 216, 203, 160, 88.
DIVERGING = Colormap(
    name="diverging",
    level_rgb=(
        (0, 0, 135),
        (0, 95, 215),
        (0, 135, 255),
        (95, 175, 255),
        (175, 215, 255),
        (255, 255, 255),
        (255, 215, 175),
        (255, 175, 135),
        (255, 95, 95),
        (215, 0, 0),
        (135, 0, 0),
    ),
    nan_rgb=(88, 88, 88),  # grey (xterm 240), unlike every level
    path_rgb=(0, 215, 0),  # green: absent from blue-white-red
    point_rgb=(255, 255, 0),  # yellow
    centered=True,
)
"""Blue-white-red diverging map for signed values (weights, gradients)."""

# A viridis-like dark purple -> teal -> green -> gold ramp in xterm-256 colours whose
# lightness (relative luminance) rises at every step, so the order survives greyscale,
# colour blindness and the 16-colour fallback: 53, 54, 24, 30, 36, 77, 148, 184, 220.
# It stops short of bright yellow so that the white path stays the lightest thing on it.
SEQUENTIAL = Colormap(
    name="sequential",
    level_rgb=(
        (95, 0, 95),
        (95, 0, 135),
        (0, 95, 135),
        (0, 135, 135),
        (0, 175, 135),
        (95, 215, 95),
        (175, 215, 0),
        (215, 215, 0),
        (255, 215, 0),
    ),
    nan_rgb=(138, 138, 138),  # grey (xterm 245)
    path_rgb=(255, 255, 255),  # white: absent from the ramp
    point_rgb=(255, 0, 0),  # red
)
"""Dark-to-bright viridis-like map for non-negative values (loss surfaces, activations)."""

_COLORMAPS: dict[str, Colormap] = {"diverging": DIVERGING, "sequential": SEQUENTIAL}


def get_colormap(name: str) -> Colormap:
    """Look up a colour map by name; raises `ValueError` for an unknown name."""
    try:
        return _COLORMAPS[name]
    except KeyError:
        raise ValueError(
            f"unknown colour map {name!r}; choose one of {sorted(_COLORMAPS)}"
        ) from None


def auto_range(
    values: np.ndarray,
    cmap: str,
    vmin: float | None = None,
    vmax: float | None = None,
) -> tuple[float, float]:
    """The (vmin, vmax) to map `values` with: given limits win, else from finite data.

    A diverging map gets a range symmetric about 0. With no finite values the
    range is (0, 0), which maps everything to the middle level.
    """
    finite = values[np.isfinite(values)] if values.size else values
    if vmin is not None and vmax is not None:
        return float(vmin), float(vmax)
    if finite.size == 0:
        lo = hi = 0.0
    elif cmap == "diverging":
        hi = float(np.max(np.abs(finite)))
        lo = -hi
    else:
        lo, hi = float(np.min(finite)), float(np.max(finite))
    return (lo if vmin is None else float(vmin)), (hi if vmax is None else float(vmax))


def quantize(
    values: np.ndarray, vmin: float, vmax: float, levels: int
) -> np.ndarray:
    """Map values to level indices `0..levels-1`; NaN/inf map to `levels`.

    Values outside [vmin, vmax] clip to the end levels. A zero-width range maps
    every finite value to the middle level.

    Returns an int16 array of `values`' shape.
    """
    values = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(values)
    span = vmax - vmin
    if not np.isfinite(span) or span <= 0:
        out = np.full(values.shape, levels // 2, dtype=np.int16)
    else:
        with np.errstate(invalid="ignore", over="ignore"):
            t = (np.where(finite, values, vmin) - vmin) * (levels / span)
        out = np.clip(np.floor(t), 0, levels - 1).astype(np.int16)
    out[~finite] = levels
    return out


@lru_cache(maxsize=256)
def resample_indices(src: int, dst: int) -> np.ndarray:
    """Nearest-neighbour source indices for resampling `src` samples to `dst` (cached).

    Sample `i` of the destination takes source `floor((i + 0.5) * src / dst)`.
    The returned array is read-only and shared; do not modify it.
    """
    if src <= 0 or dst <= 0:
        out = np.zeros(max(dst, 0), dtype=np.intp)
    else:
        out = np.minimum(
            ((np.arange(dst) + 0.5) * (src / dst)).astype(np.intp), src - 1
        )
    out.flags.writeable = False
    return out


def resample_nearest(
    array: np.ndarray, rows: int, cols: int, *, flip_rows: bool = False
) -> np.ndarray:
    """Resample a 2-D array to (rows, cols) by nearest neighbour.

    With `flip_rows`, output row 0 shows the *last* input row (so that an array
    whose row 0 is the low y is drawn with y growing upwards).
    """
    r = resample_indices(array.shape[0], rows)
    c = resample_indices(array.shape[1], cols)
    if flip_rows:
        r = r[::-1]
    return array[np.ix_(r, c)]


def format_value(value: float) -> str:
    """A compact number for legends: 3 significant digits, no "-0"."""
    if not np.isfinite(value):
        return str(value)
    text = f"{value:.3g}"
    if text in ("-0", "-0.0"):
        text = "0"
    return text


def half_block_segments(top: np.ndarray, bottom: np.ndarray, cmap: Colormap) -> list[Segment]:
    """Segments for one text row of half-block pixels, merging runs of equal cells.

    Args:
        top: (width,) palette indices of the upper pixels.
        bottom: (width,) palette indices of the lower pixels.
        cmap: The colour map owning the indices and the style cache.
    """
    width = top.shape[0]
    if width == 0:
        return []
    key = top.astype(np.int32) * 1024 + bottom
    breaks = np.flatnonzero(key[1:] != key[:-1]) + 1
    starts = [0, *breaks.tolist()]
    ends = [*breaks.tolist(), width]
    top_list = top.tolist()
    bottom_list = bottom.tolist()
    style = cmap.style
    return [
        Segment(HALF_BLOCK * (end - start), style(top_list[start], bottom_list[start]))
        for start, end in zip(starts, ends)
    ]


def half_block_rows(grid: np.ndarray, cmap: Colormap, glyphs: Mapping[tuple[int, int], tuple[str, Style]] | None = None) -> list[list[Segment]]:
    """Segments for every text row of a (2 * rows, width) grid of palette indices, as
    ``half_block_segments`` gives them row by row, with ``glyphs`` (a cell (row, col)
    -> text and style) drawn in place of the half blocks at their cells.

    Every run boundary of the whole grid is found in one pass (a glyph cell is a run of
    its own), so a map costs one Python step per run, not a few NumPy calls per point.
    """
    rows, width = grid.shape[0] // 2, grid.shape[1]
    if rows == 0 or width == 0:
        return [[] for _ in range(rows)]
    top, bottom = grid[0 : 2 * rows : 2], grid[1 : 2 * rows : 2]
    key = top.astype(np.int64) * 1024 + bottom
    glyphs = glyphs or {}
    for n, (y, x) in enumerate(glyphs):
        key[y, x] = -1 - n  # never equal to a neighbour: the cell is a run of its own
    starts = np.ones((rows, width), dtype=bool)
    starts[:, 1:] = key[:, 1:] != key[:, :-1]
    run_rows, run_cols = np.nonzero(starts)  # row by row, left to right
    top_list, bottom_list = top.tolist(), bottom.tolist()
    style = cmap.style
    out: list[list[Segment]] = [[] for _ in range(rows)]
    run_rows_list, run_cols_list = run_rows.tolist(), run_cols.tolist()
    count = len(run_cols_list)
    for i in range(count):
        y, start = run_rows_list[i], run_cols_list[i]
        end = run_cols_list[i + 1] if i + 1 < count and run_rows_list[i + 1] == y else width
        glyph = glyphs.get((y, start))
        if glyph is not None:
            out[y].append(Segment(glyph[0], glyph[1]))
        else:
            out[y].append(Segment(HALF_BLOCK * (end - start), style(top_list[y][start], bottom_list[y][start])))
    return out


def glyph_segments(row: np.ndarray, cmap: Colormap, style: Style | None = None) -> list[Segment]:
    """Segments for one text row drawn with density characters (no colour)."""
    if row.shape[0] == 0:
        return []
    glyph = cmap.glyph
    return [Segment("".join(glyph(i) for i in row.tolist()), style)]


def is_symmetric(vmin: float, vmax: float) -> bool:
    """Whether [vmin, vmax] is centred on 0 (so a centred map's middle level is 0)."""
    span = vmax - vmin
    return bool(np.isfinite(span) and span > 0 and vmin < 0 < vmax and abs(vmin + vmax) <= 1e-9 * span)


ZERO_STYLE = Style(color=Color.from_rgb(0, 0, 0), bold=True)
"""The "0" drawn on the middle swatch of a centred colour bar (black on its white)."""


def legend_segments(
    vmin: float,
    vmax: float,
    cmap: Colormap,
    *,
    no_color: bool,
    text_style: Style | None = None,
    low_label: str | None = None,
    high_label: str | None = None,
    width: int | None = None,
) -> list[Segment]:
    """Segments of a colour bar: `low ███████ high`, numbers on both ends.

    In colour mode the bar shows one coloured block per level; without colour it
    shows the density characters in brackets, so meaning never rests on colour.
    A centred (diverging) map over a range symmetric about 0 also marks 0: a "0"
    on the middle swatch, or "▒ 0" after the glyphs, and the high end gets a "+".
    """
    zero = cmap.centered and low_label is None and high_label is None and is_symmetric(vmin, vmax)
    low = format_value(vmin) if low_label is None else low_label
    high = format_value(vmax) if high_label is None else high_label
    if zero and not high.startswith(("+", "-")):
        high = "+" + high
    segments = [Segment(f"{low} ", text_style)]
    if no_color:
        segments.append(Segment(f"[{DENSITY_GLYPHS}]", text_style))
    else:
        levels = list(range(cmap.levels))
        if width is not None:  # a narrow panel: fewer swatches, both ends and 0 kept
            room = width - cell_len(low) - cell_len(high) - 2
            if room < len(levels):
                count = max(room, 3)
                if zero and count % 2 == 0:
                    count -= 1
                levels = sorted({int(round(v)) for v in np.linspace(0, cmap.levels - 1, max(count, 2))})
        for i in levels:
            if zero and i == cmap.mid_index:
                segments.append(Segment("0", cmap.style(cmap.mid_index, cmap.mid_index) + ZERO_STYLE))
            else:
                segments.append(Segment("█", cmap.style(i)))
    segments.append(Segment(f" {high}", text_style))
    if zero and no_color:
        segments.append(Segment(f" ({cmap.glyph(cmap.mid_index)} 0)", text_style))
    return segments
