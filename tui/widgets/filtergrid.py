"""Provides `FilterGrid`: a stack of small 2-D maps (conv kernels, feature maps) laid out in a captioned grid."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Hashable, Sequence

import numpy as np
from rich.segment import Segment
from textual.strip import Strip

from nndojo.core.texts._ui import ui

from .colors import ColormapName, auto_range, format_value, get_colormap, legend_segments, quantize, resample_nearest
from .frame import ChartWidget, as_float_array, center_cells, color_rows

__all__ = ["FilterGrid", "GridLayout", "grid_layout"]

GAP = 1
"""Blank columns between items."""


@dataclass(frozen=True)
class GridLayout:
    """Where a stack of (h, w) items goes in a (width, height) area."""

    scale: int
    """Text columns per item column; each item pixel is `scale` columns x `scale` half-rows."""
    columns: int
    """Items per grid row."""
    rows: int
    """Grid rows shown."""
    shown: int
    """Items shown (the rest are counted in the legend)."""
    item_width: int
    """Text columns per item."""
    item_height: int
    """Text rows per item, excluding its caption."""


def grid_layout(count: int, h: int, w: int, width: int, height: int) -> GridLayout:
    """Choose the largest integer scale at which `count` (h, w) items fit, with captions.

    An item at scale s takes `s*w` columns and `ceil(s*h/2)` text rows plus one
    caption row; items are separated by one blank column. If even scale 1 does
    not fit, as many items as fit are shown at scale 1 (shrunk if one is too big).
    """
    if count <= 0 or width <= 0 or height <= 1:
        return GridLayout(1, 0, 0, 0, 0, 0)
    for scale in range(max(1, min(width // max(w, 1), 2 * height // max(h, 1))), 0, -1):
        item_width = scale * w
        item_height = -(-scale * h // 2)
        columns = (width + GAP) // (item_width + GAP)
        if columns < 1:
            continue
        columns = min(columns, count)
        rows = -(-count // columns)
        if rows * (item_height + 1) <= height:
            return GridLayout(scale, columns, rows, count, item_width, item_height)
    item_width = min(w, width)
    item_height = max(1, min(-(-h // 2), height - 1))
    columns = max(1, min(count, (width + GAP) // (item_width + GAP)))
    rows = max(1, min(-(-count // columns), height // (item_height + 1)))
    return GridLayout(1, columns, rows, min(count, rows * columns), item_width, item_height)


class FilterGrid(ChartWidget):
    """Several small heatmaps side by side, a caption under each, one colour bar for all.

    Meant for conv kernels `(F, k, k)` or feature maps `(F, 8, 8)`. Items are
    scaled up by the largest integer factor that fits. With a shared scale every
    item uses one range (symmetric about 0 for "diverging"), so items can be
    compared; with a per-item scale each uses its own range and shows its shape.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"filtergrid--caption", "filtergrid--legend"}
    """
    | Class | Description |
    | :- | :- |
    | `filtergrid--caption` | The caption under each item. |
    | `filtergrid--legend` | The legend line with the value range. |
    """

    DEFAULT_CSS = """
    FilterGrid {
        width: 1fr;
        height: 1fr;
        min-height: 3;
    }
    FilterGrid > .filtergrid--caption {
        color: $text-muted;
    }
    FilterGrid > .filtergrid--legend {
        color: $text-muted;
    }
    """

    PREFIX = "filtergrid"

    def __init__(self, **kwargs: Any) -> None:
        """Initialise an empty grid; keyword arguments (name, id, classes, disabled) as for any widget."""
        super().__init__(**kwargs)
        self._stack: np.ndarray | None = None
        self._labels: tuple[str, ...] = ()
        self._shared = True
        self._cmap: ColormapName = "diverging"
        self._levels: np.ndarray | None = None
        self.last_layout: GridLayout | None = None
        """The layout of the last frame."""

    @property
    def value_range(self) -> tuple[float, float]:
        """The shared (vmin, vmax); with a per-item scale, the overall data range."""
        return self._range

    def set_data(
        self,
        stack: np.ndarray,
        *,
        labels: Sequence[str] | None = None,
        shared_scale: bool = True,
        cmap: ColormapName = "diverging",
        title: str | None = None,
    ) -> None:
        """Show a stack of 2-D maps.

        Args:
            stack: (F, h, w) items; a 2-D array is one item. NaN/inf are drawn grey.
            labels: A caption per item (default "f0", "f1", ...).
            shared_scale: One colour range for all items (else each item its own).
            cmap: "diverging" (symmetric about 0) or "sequential".
            title: Legend title; `None` keeps the current one.
        """
        data = as_float_array(stack, 3)
        colormap = get_colormap(cmap)
        names = tuple(labels) if labels is not None else tuple(f"f{i}" for i in range(data.shape[0]))
        if title is not None:
            self.title = title
        if (
            self._stack is not None
            and (self._labels, self._shared, self._cmap) == (names, shared_scale, cmap)
            and self._stack.shape == data.shape
            and np.array_equal(self._stack, data, equal_nan=True)
        ):
            return
        self._stack, self._labels, self._shared, self._cmap = data, names, shared_scale, cmap
        self._range = auto_range(data, cmap)
        if shared_scale:
            self._levels = self._quantize(data, colormap)
        else:
            self._levels = np.empty(data.shape, dtype=np.int16)
            for i, item in enumerate(data):
                self._levels[i] = quantize(item, *auto_range(item, cmap), colormap.levels)
            self._has_nan = bool(np.any(self._levels == colormap.nan_index))
        self._changed()

    def _build_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        base = self.rich_style
        caption_style, legend_style = self._part_style("caption"), self._part_style("legend")
        colormap = get_colormap(self._cmap)
        if self._levels is None or self._levels.shape[0] == 0 or self._levels[0].size == 0:
            self.last_layout = None
            return self._empty_frame(width, height, [Segment("—", legend_style)])

        count, h, w = self._levels.shape
        layout = grid_layout(count, h, w, width, max(height - 1, 0))
        self.last_layout = layout
        self.shows_all = layout.shown == count
        pixel_rows = layout.item_height * (1 if no_color else 2)
        items = [
            color_rows(resample_nearest(self._levels[i], pixel_rows, layout.item_width), colormap, no_color, base)
            for i in range(layout.shown)
        ]
        gap = Segment(" " * GAP, base)
        lines: list[Strip] = []
        for grid_row in range(layout.rows):
            members = range(grid_row * layout.columns, min((grid_row + 1) * layout.columns, layout.shown))
            for y in range(layout.item_height):
                segments: list[Segment] = []
                for n, i in enumerate(members):
                    segments.extend([gap, *items[i][y]] if n else items[i][y])
                lines.append(Strip(segments).adjust_cell_length(width, base))
            text = (" " * GAP).join(
                center_cells(self._labels[i], layout.item_width) if i < len(self._labels) else " " * layout.item_width
                for i in members
            )
            lines.append(Strip([Segment(text, caption_style)]).adjust_cell_length(width, base))

        legend: list[Segment] = []
        if layout.shown < count:  # first, so a narrow panel still says so
            legend.append(Segment(ui("chart.more", self.lang, n=count - layout.shown) + " ", legend_style))
        if self.title:
            legend.append(Segment(f"{self.title}  ", legend_style))
        low_label, high_label = (None, None) if self._shared else (ui("chart.low", self.lang), ui("chart.high", self.lang))
        legend.extend(legend_segments(
            *self._range, colormap, no_color=no_color, text_style=legend_style, low_label=low_label, high_label=high_label,
            width=width - sum(seg.cell_length for seg in legend),
        ))
        if not self._shared:
            lo, hi = self._range
            legend.append(Segment(" " + ui("chart.per_item", self.lang, lo=format_value(lo), hi=format_value(hi)), legend_style))
        if self._has_nan:
            legend.append(Segment("  " + ("× nan/inf" if no_color else ui("chart.grey_nan", self.lang)), legend_style))
        return self._close(lines, legend, width, height)
