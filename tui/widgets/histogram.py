"""Provides `Histogram`: the value distributions of several layers side by side, as small bar charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

import numpy as np
from rich.segment import Segment
from textual.strip import Strip

from rich.cells import cell_len

from nndojo.core.texts._ui import ui

from .colors import format_value
from .frame import ChartWidget, center_cells

__all__ = ["Histogram", "HistogramLayout", "histogram_layout", "bar_rows_text", "default_range"]

GAP = 1
"""Blank columns between panels."""

EIGHTHS = " ▁▂▃▄▅▆▇█"
"""Bar characters by eighths filled (index 0 = empty, 8 = full)."""

MIN_BINS = 10
MIN_PANEL_WIDTH = 6
"""Below this many columns per panel (or 2 rows of bars) a histogram does not show its groups readably."""
"""Below this many columns per panel, panels wrap onto another row if there is room."""


@dataclass(frozen=True)
class HistogramLayout:
    """How panels are arranged in the widget."""

    rows: int
    """Rows of panels."""
    per_row: int
    """Panels per row."""
    panel_width: int
    """Columns per panel (at least one per bin)."""
    bar_rows: int
    """Text rows of bars per panel."""
    axis: bool
    """Whether each panel has an axis line under its bars."""


def histogram_layout(count: int, width: int, height: int) -> HistogramLayout:
    """Arrange `count` panels in `width` x `height` (the legend line excluded).

    Prefers one row; wraps onto more rows when panels would be narrower than
    `MIN_BINS` columns and the height allows at least 3 rows per panel.
    """
    if count <= 0 or width <= 0 or height <= 0:
        return HistogramLayout(1, max(count, 1), 0, 0, False)

    def fit(rows: int) -> tuple[int, int, int]:
        per_row = -(-count // rows)
        panel_width = (width - (per_row - 1) * GAP) // per_row
        return per_row, panel_width, height // rows

    rows = 1
    for candidate in range(1, count + 1):
        per_row, panel_width, panel_height = fit(candidate)
        if panel_height < 3 and candidate > 1:
            break
        rows = candidate
        if panel_width >= MIN_BINS:
            break
    per_row, panel_width, panel_height = fit(rows)
    axis = panel_height >= 5
    bar_rows = max(panel_height - 1 - int(axis), 1 if height >= 2 else 0)
    return HistogramLayout(rows, per_row, max(panel_width, 1), bar_rows, axis)


def bar_rows_text(fractions: np.ndarray, rows: int) -> list[str]:
    """Vertical bars in eighth blocks, top row first.

    Args:
        fractions: (bins,) bar heights in [0, 1]; any non-zero height shows at least 1/8.
        rows: Text rows the full height spans.
    """
    if rows <= 0:
        return []
    eighths = np.rint(np.clip(fractions, 0.0, 1.0) * rows * 8).astype(np.intp)
    eighths[(fractions > 0) & (eighths == 0)] = 1
    lines = []
    for r in range(rows):
        filled = np.clip(eighths - (rows - 1 - r) * 8, 0, 8)
        lines.append("".join(EIGHTHS[k] for k in filled.tolist()))
    return lines


def default_range(groups: Sequence[np.ndarray]) -> tuple[float, float]:
    """A range symmetric about 0 covering every finite value (at least [-1e-12, 1e-12]); [-1, 1] for no data."""
    peak = 0.0
    for values in groups:
        if values.size:
            peak = max(peak, float(np.max(np.abs(values))))
    if peak == 0.0:
        return (-1.0, 1.0)
    return (-peak, peak)


@dataclass(frozen=True, eq=False)
class _Group:
    label: str
    raw: np.ndarray
    finite: np.ndarray
    std: float | None
    has_nonfinite: bool


class Histogram(ChartWidget):
    """Distributions of several arrays (one per layer) side by side over one x-range.

    Each group is a small vertical-bar histogram in eighth blocks, normalised to
    its own peak, with its label and standard deviation underneath
    ("h3 σ=0.21"). The bins adapt to the width; with many groups on a narrow
    terminal the panels wrap onto a second row. The legend line gives the
    shared range. An empty or NaN-only group shows "—".
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "histogram--bar",
        "histogram--axis",
        "histogram--caption",
        "histogram--legend",
    }
    """
    | Class | Description |
    | :- | :- |
    | `histogram--bar` | The bars. |
    | `histogram--axis` | The axis line under the bars and its zero tick. |
    | `histogram--caption` | Label and σ under each panel. |
    | `histogram--legend` | The legend line with the range. |
    """

    DEFAULT_CSS = """
    Histogram {
        width: 1fr;
        height: 1fr;
        min-height: 4;
    }
    Histogram > .histogram--bar {
        color: $accent;
    }
    Histogram > .histogram--axis {
        color: $text-muted;
    }
    Histogram > .histogram--caption {
        color: $text;
    }
    Histogram > .histogram--legend {
        color: $text-muted;
    }
    """

    PREFIX = "histogram"

    def __init__(self, **kwargs: Any) -> None:
        """Initialise an empty histogram; keyword arguments (name, id, classes, disabled) as for any widget."""
        super().__init__(**kwargs)
        self._groups: tuple[_Group, ...] = ()
        self._fixed_range: tuple[float, float] | None = None
        self._range: tuple[float, float] = (-1.0, 1.0)
        self._bins: int | None = None
        self.last_layout: HistogramLayout | None = None
        """The layout of the last frame."""
        self.bins_used = 0
        """Bins per panel in the last frame."""

    def set_data(
        self,
        groups: Sequence[tuple[str, np.ndarray]],
        *,
        range: tuple[float, float] | None = None,  # noqa: A002 - reads best at the call site
        bins: int | None = None,
        title: str | None = None,
    ) -> None:
        """Show one histogram per (label, values) group.

        Args:
            groups: (label, array of any shape) per panel, left to right.
            range: Shared (low, high) x-range; default symmetric about 0 covering
                all finite values. Values outside pile up in the edge bins.
            bins: Bins per panel (default: one per column available).
            title: Legend title; `None` keeps the current one.
        """
        value_range = range
        if value_range is not None:
            lo, hi = float(value_range[0]), float(value_range[1])
            if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
                raise ValueError(f"range must be finite with low < high, got {value_range!r}")
            value_range = (lo, hi)
        if bins is not None and bins < 1:
            raise ValueError(f"bins must be at least 1, got {bins}")
        if title is not None:
            self.title = title
        raws = [np.array(values, dtype=np.float64, copy=True).ravel() for _, values in groups]
        labels = [str(label) for label, _ in groups]
        if (
            value_range == self._fixed_range
            and bins == self._bins
            and len(raws) == len(self._groups)
            and all(
                g.label == label and g.raw.shape == raw.shape and np.array_equal(g.raw, raw, equal_nan=True)
                for g, label, raw in zip(self._groups, labels, raws)
            )
        ):
            return
        built = []
        for label, raw in zip(labels, raws):
            finite = raw[np.isfinite(raw)]
            std = float(np.std(finite)) if finite.size else None
            built.append(_Group(label, raw, finite, std, finite.size < raw.size))
        self._groups = tuple(built)
        self._fixed_range = value_range
        self._bins = bins
        self._range = value_range or default_range([g.finite for g in self._groups])
        self._changed()

    def _caption(self, group: _Group, width: int) -> str:
        std = "—" if group.std is None else format_value(group.std)
        mark = "*" if group.has_nonfinite else ""
        for text in (f"{group.label}{mark} σ={std}", f"{group.label}{mark} {std}", f"{group.label}{mark}"):
            if cell_len(text) <= width:
                return center_cells(text, width)
        return center_cells(text, width)  # cut to the width in cells

    def _build_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        base = self.rich_style
        bar_style, axis_style = self._part_style("bar"), self._part_style("axis")
        caption_style, legend_style = self._part_style("caption"), self._part_style("legend")
        if not self._groups:
            self.last_layout = None
            return self._empty_frame(width, height, [Segment("—", legend_style)])

        layout = histogram_layout(len(self._groups), width, max(height - 1, 0))
        self.last_layout = layout
        self.shows_all = layout.panel_width >= MIN_PANEL_WIDTH and layout.bar_rows >= 2
        bins = max(layout.panel_width if self._bins is None else min(self._bins, layout.panel_width), 1)
        bin_width = max(layout.panel_width // bins, 1)
        bar_width = bins * bin_width
        pad_left = (layout.panel_width - bar_width) // 2
        pad_right = layout.panel_width - bar_width - pad_left
        self.bins_used = bins
        lo, hi = self._range
        zero_col = None
        if lo < 0 < hi:
            zero_col = pad_left + min(int((0 - lo) / (hi - lo) * bins), bins - 1) * bin_width + bin_width // 2

        panels: list[list[list[Segment]]] = []
        for group in self._groups:
            rows: list[list[Segment]] = []
            if group.finite.size:
                counts, _ = np.histogram(np.clip(group.finite, lo, hi), bins=bins, range=(lo, hi))
                fractions = counts / max(int(counts.max()), 1)
                for text in bar_rows_text(fractions, layout.bar_rows):
                    if bin_width > 1:
                        text = "".join(ch * bin_width for ch in text)
                    rows.append([
                        Segment(" " * pad_left, base),
                        Segment(text, bar_style),
                        Segment(" " * pad_right, base),
                    ])
            else:
                for r in range(layout.bar_rows):
                    text = "—" if r == layout.bar_rows // 2 else " "
                    rows.append([Segment(text.center(layout.panel_width), caption_style)])
            if layout.axis:
                axis = ["─"] * layout.panel_width
                if zero_col is not None and zero_col < layout.panel_width:
                    axis[zero_col] = "┴"
                rows.append([Segment("".join(axis), axis_style)])
            rows.append([Segment(self._caption(group, layout.panel_width), caption_style)])
            panels.append(rows)

        gap = Segment(" " * GAP, base)
        lines: list[Strip] = []
        for panel_row in range(layout.rows):
            members = panels[panel_row * layout.per_row : (panel_row + 1) * layout.per_row]
            if not members:
                break
            for y in range(len(members[0])):
                segments: list[Segment] = []
                for n, panel in enumerate(members):
                    if n:
                        segments.append(gap)
                    segments.extend(panel[y])
                lines.append(Strip(segments).adjust_cell_length(width, base))
        title = f"{self.title}  " if self.title else ""
        nan_note = "  " + ui("histogram.has_nan", self.lang) if any(g.has_nonfinite for g in self._groups) else ""
        lang = self.lang
        parts = [ui("histogram.range", lang, lo=format_value(lo), hi=format_value(hi)), ui("histogram.bins", lang, bins=bins),
                 ui("histogram.sigma", lang)]
        # what a narrow panel drops first: what σ means, then the number of bins
        legends = [title + "  ".join(parts[:n]) + nan_note for n in (3, 2, 1)]
        legend = next((text for text in legends if cell_len(text) <= width), legends[-1])
        return self._close(lines, [Segment(legend, legend_style)], width, height)
