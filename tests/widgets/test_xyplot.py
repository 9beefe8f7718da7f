"""Tests for XYPlot: points where the axes say, log x, scatter and lines, colours, no colour, odd data and sizes."""

from __future__ import annotations

import numpy as np
import pytest
from rich.color import ColorSystem

from nndojo.tui.widgets import LinePlot, XYPlot
from nndojo.tui.widgets.xyplot import NO_COLOR_MARKERS, SCATTER_GLYPH
from widget_app import WidgetApp

BRAILLE = range(0x2801, 0x2900)


def canvas(plot: XYPlot) -> list[str]:
    left, top, cols, rows = plot.canvas
    return [line[left : left + cols] for line in plot.frame_text()[top : top + rows]]


async def test_scatter_points_land_in_the_cells_the_axes_say() -> None:
    plot = XYPlot(x_range=(0, 10), y_range=(0, 10))
    async with WidgetApp(plot).run_test(size=(60, 20)) as pilot:
        plot.set_series({"data": (np.array([0.0, 10.0, 5.0]), np.array([0.0, 10.0, 5.0]))}, kinds={"data": "scatter"})
        await pilot.pause()
        grid = canvas(plot)
        rows, cols = len(grid), len(grid[0])
        assert grid[rows - 1][0] == SCATTER_GLYPH and grid[0][cols - 1] == SCATTER_GLYPH  # (0, 0) and (10, 10)
        assert grid[rows // 2][cols // 2 - 1 : cols // 2 + 1].count(SCATTER_GLYPH) == 1  # (5, 5) in the middle
        assert sum(row.count(SCATTER_GLYPH) for row in grid) == 3
        assert not any(ord(c) in BRAILLE for row in grid for c in row)  # scatter draws no line
        left, top, _, _ = plot.canvas
        assert plot.cell_of(10.0, 10.0) == (left + cols - 1, top)
        assert plot.cell_of(11.0, 5.0) is None
        assert plot.x_ticks[0] == "0" and plot.x_ticks[-1] == "10"


async def test_log_x_puts_decades_on_evenly_spaced_ticks() -> None:
    plot = XYPlot(log_x=True)
    async with WidgetApp(plot).run_test(size=(70, 16)) as pilot:
        lr = np.logspace(-5, 0, 300)
        plot.set_series({"loss": (lr, 1.0 + np.log10(lr))})  # a straight line on a log x-axis
        plot.set_vlines({"chosen": 1e-2})
        await pilot.pause()
        assert plot.x_ticks == ["1e-5", "1e-4", "0.001", "0.01", "0.1", "1"]
        axis = plot.frame_text()[-2]
        ticks = [i for i, c in enumerate(axis) if c == "┬"]
        assert len(ticks) == 6 and max(np.diff(ticks)) - min(np.diff(ticks)) <= 1  # decades evenly spaced
        grid = canvas(plot)
        left = plot.canvas[0]
        vline_col = ticks[3] - left  # the marker at 0.01 sits on the 0.01 tick
        assert all(ord(row[vline_col]) in BRAILLE for row in grid)
        middle = [c for c, ch in enumerate(grid[len(grid) // 2]) if ord(ch) in BRAILLE and c != vline_col]
        assert middle and abs(np.mean(middle) - (len(grid[0]) - 1) / 2) <= 3  # the line's middle mid-plot
        assert "log x" in plot.note


async def test_lines_and_scatter_in_several_colours_stay_distinct_in_256_colours() -> None:
    plot = XYPlot()
    async with WidgetApp(plot).run_test(size=(60, 16)) as pilot:
        x = np.linspace(0, 1, 50)
        series = {f"s{k}": (x, x * (k + 1)) for k in range(4)}
        plot.set_series(series, kinds={"s1": "scatter", "s3": "line+scatter"})
        await pilot.pause()
        colours = {
            seg.style.color.downgrade(ColorSystem.EIGHT_BIT).number
            for strip in plot._current_frame()[1:-2]
            for seg in strip
            if seg.style and seg.style.color and seg.text.strip() and seg.text not in "│┤"
        }
        assert len(colours) >= 4, colours
        text = "".join(plot.frame_text()[1:-2])
        assert SCATTER_GLYPH in text and any(ord(c) in BRAILLE for c in text)
        assert plot.plotted_points.keys() == {"s0", "s1", "s2", "s3", "s3:points"}


async def test_without_colour_each_series_keeps_its_own_marker() -> None:
    plot = XYPlot()
    async with WidgetApp(plot, no_color=True).run_test(size=(60, 16)) as pilot:
        x = np.linspace(0, 1, 30)
        plot.set_series({"fit": (x, x), "data": (x, 1 - x), "more": (x, 0.5 + 0 * x)}, kinds={"fit": "line", "data": "scatter", "more": "scatter"})
        await pilot.pause()
        legend, text = plot.frame_text()[0], "".join(plot.frame_text()[1:-2])
        assert "⠤⠤ fit" in legend and f"{NO_COLOR_MARKERS[1]} data" in legend and f"{NO_COLOR_MARKERS[2]} more" in legend
        assert NO_COLOR_MARKERS[1] in text and NO_COLOR_MARKERS[2] in text and any(ord(c) in BRAILLE for c in text)


async def test_a_long_line_is_reduced_to_a_few_points_per_column() -> None:
    plot = XYPlot(log_x=True)
    async with WidgetApp(plot).run_test(size=(80, 20)) as pilot:
        x = np.logspace(-6, 2, 1_000_000)
        plot.set_series({"loss": (x, np.sin(np.log(x)))})
        await pilot.pause()
        assert plot.plotted_points["loss"] <= 2 * plot.size.width + 2
        points = np.random.default_rng(0).random((1000, 2)) + 1e-3
        plot.set_series({"data": (points[:, 0], points[:, 1])}, kinds={"data": "scatter"})
        await pilot.pause()
        assert 0 < sum(row.count(SCATTER_GLYPH) for row in canvas(plot)) <= 1000


async def test_empty_nan_and_non_positive_data_say_so() -> None:
    plot = XYPlot(log_x=True, log_y=True)
    async with WidgetApp(plot).run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        assert "no data yet" in "".join(plot.frame_text())
        plot.set_series({"a": (np.array([np.nan, -1.0, 1.0, 10.0]), np.array([1.0, 1.0, np.inf, 2.0]))})
        await pilot.pause()
        assert "2 nan/inf hidden" in plot.note and "log x: 1 values ≤ 0 hidden" in plot.note
        plot.set_series({"a": (np.array([-1.0, -2.0]), np.array([1.0, 2.0]))})
        await pilot.pause()
        assert "linear x" in plot.note and plot.log_scales == (False, True)
        plot.set_series({"a": (np.array([np.nan]), np.array([np.nan]))})
        await pilot.pause()
        assert "no finite values" in "".join(plot.frame_text())


async def test_any_series_at_any_size_fills_the_widget() -> None:
    rng = np.random.default_rng(1)
    plot = XYPlot(title="fuzz")
    async with WidgetApp(plot).run_test(size=(100, 30)) as pilot:
        for case in range(40):
            plot.styles.width, plot.styles.height = int(rng.integers(1, 100)), int(rng.integers(1, 30))
            n = int(rng.choice([1, 2, 40, 3000]))
            x = rng.choice([rng.standard_normal(n), np.full(n, 3.0), np.logspace(-3, 3, n), np.where(rng.random(n) < 0.3, np.nan, rng.random(n))])
            y = rng.choice([rng.standard_normal(n) * 1e6, np.zeros(n), np.exp(-np.arange(n) / 5.0)])
            kind = str(rng.choice(["line", "scatter", "line+scatter"]))
            plot.log_x, plot.log_y = bool(rng.random() < 0.5), bool(rng.random() < 0.5)
            plot.set_series({"s": (x, y), "t": (x, -y)}, kinds={"s": kind})  # type: ignore[dict-item]
            plot.set_vlines([1.0] if rng.random() < 0.5 else [])
            await pilot.pause()
            frame = plot._current_frame()
            assert len(frame) == plot.size.height, case
            assert all(strip.cell_length == plot.size.width for strip in frame), case
            assert "plot failed" not in "".join(plot.frame_text()), case


def test_lineplot_is_an_xyplot_over_steps() -> None:
    assert issubclass(LinePlot, XYPlot) and LinePlot.INTEGER_X and not XYPlot.INTEGER_X
    with pytest.raises(ValueError):
        XYPlot().set_series({"a": ([0], [0])}, kinds={"a": "bars"})  # type: ignore[dict-item]


@pytest.mark.parametrize("size", [(40, 10), (60, 16), (100, 30)])
@pytest.mark.parametrize("steps, low, high, log_y, log_x", [
    (1125, 0.61, 1.7, False, False),  # axis ends between round ticks
    (10, 0.0, 1.0, False, False),
    (77, -3.3, 4.1, False, False),
    (5000, 1e-6, 30.0, True, False),
    (5000, 1e-3, 2.0, True, True),
    (37, 100.0, 170.0, False, True),
])
async def test_axis_labels_reach_both_ends_of_each_axis(size: tuple[int, int], steps: int, low: float, high: float,
                                                        log_y: bool, log_x: bool) -> None:
    """Issue #10: the numbers under and beside the plot run to the axis' ends, so the
    last step (the right end) and the top and bottom of y can be read."""
    plot = LinePlot(log_y=log_y, log_x=log_x)
    async with WidgetApp(plot).run_test(size=size) as pilot:
        x = np.arange(steps + 1, dtype=np.float64)
        y = np.geomspace(high, low, x.size) if log_y else np.linspace(high, low, x.size)
        plot.set_series({"loss": (x, y)})
        await pilot.pause()
        x0, x1, y0, y1 = plot.extent

        def at(label: str, end: float, log: bool) -> bool:
            value = float(label.rstrip("kMG")) * {"k": 1e3, "M": 1e6, "G": 1e9}.get(label[-1], 1.0)
            return bool(np.isclose(value, 10.0**end if log else end, rtol=1e-3, atol=1e-12))

        assert at(plot.x_ticks[0], x0, log_x) and at(plot.x_ticks[-1], x1, log_x), (plot.x_ticks, x0, x1)
        assert at(plot.y_ticks[0], y1, log_y) and at(plot.y_ticks[-1], y0, log_y), (plot.y_ticks, y0, y1)
        lines = plot.frame_text()
        axis, numbers = lines[-2], lines[-1]
        assert axis.rstrip().endswith("┬"), axis  # a tick at the right end
        assert numbers.rstrip().endswith(plot.x_ticks[-1]) and len(numbers.rstrip()) >= len(axis.rstrip()) - len(plot.x_ticks[-1]) // 2 - 1
        left, top, _, rows = plot.canvas
        assert lines[top][left - 1] == "┤" and lines[top + rows - 1][left - 1] == "┤"
        if not log_x:
            assert all(float(t.rstrip("k")) == int(float(t.rstrip("k"))) for t in plot.x_ticks), plot.x_ticks  # whole steps


async def test_a_long_legend_goes_on_two_lines_between_entries() -> None:
    """A narrow plot's legend breaks between entries (a swatch stays with its name)
    instead of being cut; a plot too low for two legend lines cuts it and says it does
    not fit (the screen then shows its panels a page at a time)."""
    plot = LinePlot()
    names = ["train acc", "validation", "test acc"]
    async with WidgetApp(plot).run_test(size=(26, 16)) as pilot:
        plot.set_series({n: (np.arange(20), np.linspace(0, 1, 20) * (i + 1)) for i, n in enumerate(names)})
        await pilot.pause()
        lines = plot.frame_text()
        legend = " ".join(lines[:2])
        for name in names:
            assert f"━ {name}" in legend, lines[:2]
        assert "…" not in legend and plot.canvas[1] == 2
        assert plot.fits()
        await pilot.resize_terminal(26, 7)
        await pilot.pause()
        assert not plot.fits()
        assert plot.frame_text()[0].rstrip().endswith("…")


@pytest.mark.parametrize("no_color", [False, True])
async def test_two_vertical_markers_each_have_their_own_glyph_and_colour(no_color: bool) -> None:
    """Two marker lines (cross-entropy's "MSE p̄" and "CE p̄") are told apart on the canvas
    and in the legend by glyph (so without colour too) and, in colour, by colour."""
    from nndojo.tui.widgets.xyplot import VLINE_STYLES

    plot = XYPlot(x_range=(0, 1), y_range=(0, 1))
    async with WidgetApp(plot, no_color=no_color).run_test(size=(60, 16)) as pilot:
        plot.set_series({"curve": (np.linspace(0, 1, 50), np.linspace(0, 1, 50) ** 2)})
        plot.set_vlines({"MSE p̄": 0.25, "CE p̄": 0.75})
        await pilot.pause()
        (first, first_color), (second, second_color) = VLINE_STYLES[:2]
        assert first != second and first_color != second_color
        legend = plot.frame_text()[0]
        assert f"{first} MSE p̄" in legend and f"{second} CE p̄" in legend, legend
        grid = canvas(plot)
        cols = len(grid[0])
        left_col, right_col = round(0.25 * (cols - 1)), round(0.75 * (cols - 1))
        right = [row[right_col - 1 : right_col + 2] for row in grid]
        assert sum(second in cells for cells in right) >= len(grid) - 2  # the second line in its glyph
        assert not any(second in row[: cols // 2] for row in grid)  # and only there
        left = [row[left_col - 1 : left_col + 2] for row in grid]
        assert sum(any(ord(c) in BRAILLE for c in cells) for cells in left) >= len(grid) - 2  # the first in braille
        if not no_color:
            top = plot.canvas[1]
            segs = [seg for y in range(top, top + len(grid)) for seg in plot.render_line(y)._segments]
            drawn = {seg.style.color.number for seg in segs if second in seg.text and seg.style and seg.style.color}
            assert drawn == {second_color}, drawn
            legend_segs = plot.render_line(0)._segments
            assert {seg.style.color.number for seg in legend_segs if seg.text == second and seg.style and seg.style.color} == {second_color}
            assert {seg.style.color.number for seg in legend_segs if seg.text == first and seg.style and seg.style.color} == {first_color}
