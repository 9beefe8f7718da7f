"""Tests for the plotting widgets: pure helpers, then each widget mounted in a tiny app."""

from __future__ import annotations

import numpy as np
import pytest
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.color_triplet import ColorTriplet
from rich._palettes import EIGHT_BIT_PALETTE
from textual.widget import Widget

from nndojo.tui.widgets import FilterGrid, Heatmap, Histogram, LinePlot
from nndojo.tui.widgets.colors import (
    DENSITY_GLYPHS,
    DIVERGING,
    SEQUENTIAL,
    Colormap,
    auto_range,
    quantize,
    resample_indices,
    resample_nearest,
)
from nndojo.tui.widgets.decisionmap import CLASSES
from nndojo.tui.widgets.filtergrid import grid_layout
from nndojo.tui.widgets.heatmap import path_pixels
from nndojo.tui.widgets.histogram import MIN_BINS, bar_rows_text, histogram_layout
from nndojo.tui.widgets.axes import format_log_ticks, format_ticks, linear_ticks, log_ticks, snap_log_range, snap_range
from nndojo.tui.widgets.lineplot import SERIES_COLORS, bucket_means, downsample_minmax, ema_smooth
from widget_app import WidgetApp

SIZE = (80, 24)


def naive_ema(values: np.ndarray, weight: float) -> np.ndarray:
    """TensorBoard's smoothing, written as the plain loop."""
    out, last = [], 0.0
    for n, x in enumerate(values, start=1):
        last = weight * last + (1 - weight) * x
        out.append(last / (1 - weight**n))
    return np.array(out)


# -- pure helpers ------------------------------------------------------------------


def test_ema_first_value_equals_first_raw_value() -> None:
    values = np.array([3.0, 1.0, 2.0, 5.0])
    assert ema_smooth(values, 0.6)[0] == pytest.approx(3.0)


@pytest.mark.parametrize("weight", [0.1, 0.6, 0.9, 0.99])
def test_ema_matches_the_plain_loop(weight: float) -> None:
    values = np.random.default_rng(1).standard_normal(3000)
    np.testing.assert_allclose(ema_smooth(values, weight), naive_ema(values, weight), atol=1e-9)


def test_ema_of_a_constant_is_the_constant_and_weight_zero_is_identity() -> None:
    np.testing.assert_allclose(ema_smooth(np.full(50, 2.5), 0.9), 2.5)
    values = np.arange(5.0)
    np.testing.assert_array_equal(ema_smooth(values, 0.0), values)
    assert ema_smooth(np.zeros(0), 0.6).shape == (0,)


def test_minmax_downsampling_is_bounded_and_keeps_extremes_and_ends() -> None:
    x = np.arange(1_000_000, dtype=float)
    y = np.sin(x / 5000.0)
    y[123_457] = 50.0  # a one-step spike must survive
    dx, dy = downsample_minmax(x, y, 70)
    assert dx.shape[0] <= 2 * 70 + 2
    assert dy.max() == 50.0 and dy.min() == y.min()
    assert dx[0] == 0 and dx[-1] == x[-1]
    assert np.all(np.diff(dx) > 0)


def test_short_series_are_not_downsampled() -> None:
    x, y = np.arange(10.0), np.arange(10.0)
    dx, dy = downsample_minmax(x, y, 70)
    assert dx is x and dy is y


def test_bucket_means_are_bounded() -> None:
    x = np.arange(100_000, dtype=float)
    mx, my = bucket_means(x, np.ones_like(x), 60)
    assert mx.shape[0] <= 60
    np.testing.assert_allclose(my, 1.0)


def test_resample_indices_nearest() -> None:
    np.testing.assert_array_equal(resample_indices(2, 4), [0, 0, 1, 1])
    np.testing.assert_array_equal(resample_indices(4, 2), [1, 3])
    np.testing.assert_array_equal(resample_indices(1, 3), [0, 0, 0])
    assert resample_indices(7, 13) is resample_indices(7, 13)  # cached


def test_resample_nearest_flips_rows_so_y_grows_upwards() -> None:
    array = np.array([[0, 1], [2, 3]])  # row 0 is the low y
    up = resample_nearest(array, 4, 2, flip_rows=True)
    np.testing.assert_array_equal(up[0], [2, 3])
    np.testing.assert_array_equal(up[-1], [0, 1])


def test_quantize_maps_range_endpoints_to_end_levels_and_nan_to_its_own_index() -> None:
    levels = DIVERGING.levels
    q = quantize(np.array([-1.0, 0.0, 1.0, np.nan, np.inf, 5.0]), -1.0, 1.0, levels)
    assert q.tolist() == [0, levels // 2, levels - 1, levels, levels, levels - 1]
    assert quantize(np.array([3.0, 3.0]), 3.0, 3.0, levels).tolist() == [levels // 2] * 2


def test_auto_range_is_symmetric_for_diverging() -> None:
    data = np.array([-0.2, 0.5, np.nan])
    assert auto_range(data, "diverging") == (-0.5, 0.5)
    assert auto_range(data, "sequential") == (-0.2, 0.5)
    assert auto_range(np.array([np.nan]), "sequential") == (0.0, 0.0)


@pytest.mark.parametrize(
    "cmap, last", [(DIVERGING, DIVERGING.point_index), (SEQUENTIAL, SEQUENTIAL.point_index), (CLASSES, CLASSES.nan_index)]
)
def test_palettes_survive_256_colours_unchanged_and_distinct(cmap: Colormap, last: int) -> None:
    numbers = []
    for index in range(last + 1):
        color = cmap.color(index)
        down = color.downgrade(ColorSystem.EIGHT_BIT)
        assert ColorTriplet(*EIGHT_BIT_PALETTE[down.number]) == color.triplet
        numbers.append(down.number)
    assert len(set(numbers)) == len(numbers)


def test_style_cache_returns_the_same_style_object() -> None:
    assert DIVERGING.style(1, 2) is DIVERGING.style(1, 2)


def test_density_glyphs_rise_with_the_level() -> None:
    glyphs = [SEQUENTIAL.glyph(i) for i in range(SEQUENTIAL.levels)]
    assert glyphs[0] == DENSITY_GLYPHS[0] and glyphs[-1] == DENSITY_GLYPHS[-1]
    assert [DENSITY_GLYPHS.index(g) for g in glyphs] == sorted(DENSITY_GLYPHS.index(g) for g in glyphs)


def test_path_pixels_connect_the_points_inside_the_grid() -> None:
    rows, cols = path_pixels(np.array([[0.0, 0.0], [9.0, 0.0]]), (0, 9, 0, 9), 10, 10)
    assert set(rows.tolist()) == {9}  # y = ymin is the bottom row
    assert set(cols.tolist()) == set(range(10))
    rows, cols = path_pixels(np.array([[np.nan, 1.0], [100.0, 100.0]]), (0, 9, 0, 9), 10, 10)
    assert rows.size == 0


def test_grid_layout_picks_the_largest_scale_that_fits() -> None:
    layout = grid_layout(8, 3, 3, 80, 23)
    assert layout.shown == 8
    assert layout.columns * layout.item_width + (layout.columns - 1) <= 80
    assert layout.rows * (layout.item_height + 1) <= 23
    bigger = grid_layout(8, 3, 3, 80, 23 + 2 * (layout.item_height + 1))
    assert bigger.scale >= layout.scale
    crowded = grid_layout(500, 8, 8, 40, 10)
    assert 0 < crowded.shown < 500


def test_histogram_layout_wraps_many_groups_on_a_narrow_terminal() -> None:
    layout = histogram_layout(10, 60, 20)
    assert layout.rows >= 2
    assert layout.panel_width >= MIN_BINS
    assert layout.per_row * layout.panel_width + (layout.per_row - 1) <= 60


def test_bar_rows_text_uses_eighth_blocks() -> None:
    rows = bar_rows_text(np.array([1.0, 0.5, 0.0, 0.001]), 2)
    assert rows == ["█   ", "██ ▁"]


# -- widgets in an app ---------------------------------------------------------------

DATASETS = {
    "normal": np.random.default_rng(0).standard_normal((6, 5, 5)),
    "empty": np.zeros((0, 0, 0)),
    "nan_inf": np.array([[[np.nan, np.inf], [-np.inf, 1.0]]]),
    "constant": np.full((2, 4, 4), 0.3),
    "one_by_one": np.ones((1, 1, 1)),
}


def feed(widget: Widget, data: np.ndarray) -> None:
    """Give a widget the dataset in the shape it takes."""
    if isinstance(widget, LinePlot):
        y = data.ravel()
        widget.set_series({"loss": (np.arange(y.size), y), "val": (np.arange(y.size), 2 * y)})
    elif isinstance(widget, Heatmap):
        widget.set_data(data.reshape(-1, data.shape[2]) if data.size else np.zeros((0, 0)))
        widget.set_overlay(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([1.0, 1.0]))
    elif isinstance(widget, FilterGrid):
        widget.set_data(data)
    elif isinstance(widget, Histogram):
        widget.set_data([(f"h{i}", item) for i, item in enumerate(data)] or [("h0", data)])


def lines_of(widget: Widget) -> list[str]:
    """The widget's current picture as plain text lines."""
    return widget.frame_text()


@pytest.mark.parametrize("kind", [LinePlot, Heatmap, FilterGrid, Histogram])
@pytest.mark.parametrize("dataset", list(DATASETS))
async def test_widget_renders_any_data(kind: type[Widget], dataset: str) -> None:
    widget = kind()
    app = WidgetApp(widget)
    async with app.run_test(size=SIZE) as pilot:
        feed(widget, DATASETS[dataset])
        await pilot.pause()
        app.export_screenshot()  # the whole screen renders
        lines = lines_of(widget)
        assert lines and all(len(line) <= SIZE[0] for line in lines)
        assert "plot failed" not in "".join(lines)


@pytest.mark.parametrize("kind", [LinePlot, Heatmap, FilterGrid, Histogram])
@pytest.mark.parametrize("size", [(1, 1), (12, 3), (30, 6)])
async def test_widget_survives_tiny_sizes(kind: type[Widget], size: tuple[int, int]) -> None:
    widget = kind()
    app = WidgetApp(widget)
    async with app.run_test(size=size) as pilot:
        feed(widget, DATASETS["normal"])
        await pilot.pause()
        app.export_screenshot()
        assert "plot failed" not in "".join(lines_of(widget))


async def test_lineplot_log_scale_with_zeros_and_negatives_does_not_crash() -> None:
    plot = LinePlot()
    plot.log_y = True
    app = WidgetApp(plot)
    async with app.run_test(size=SIZE) as pilot:
        plot.set_series({"loss": (np.arange(4), np.array([0.0, -1.0, 0.5, 0.25]))})
        await pilot.pause()
        assert "2 values ≤ 0 hidden" in plot.note
        assert plot.plotted_points["loss"] == 2
        plot.set_series({"loss": (np.arange(3), np.array([0.0, -1.0, -2.0]))})
        await pilot.pause()
        assert "linear" in plot.note  # falls back, says so
        plot.set_series({"loss": (np.zeros(0), np.zeros(0))})
        await pilot.pause()
        assert "no finite values" in "".join(plot.frame_text())
        app.export_screenshot()


async def test_lineplot_drops_nan_and_inf_and_says_so() -> None:
    plot = LinePlot()
    app = WidgetApp(plot)
    async with app.run_test(size=SIZE) as pilot:
        plot.set_series({"loss": (np.arange(5), np.array([1.0, np.nan, 0.5, np.inf, 0.2]))})
        await pilot.pause()
        assert "2 nan/inf hidden" in plot.note
        assert plot.plotted_points["loss"] == 3


async def test_histogram_honours_range_and_bins() -> None:
    histogram = Histogram()
    app = WidgetApp(histogram)
    async with app.run_test(size=SIZE) as pilot:
        histogram.set_data([("w", np.linspace(-3, 3, 100))], range=(-1, 1), bins=5)
        await pilot.pause()
        assert histogram.bins_used == 5 and histogram.value_range == (-1.0, 1.0)
        assert "range -1 … 1" in histogram.frame_text()[-1]
        with pytest.raises(ValueError):
            histogram.set_data([("w", np.zeros(3))], range=(1, -1))


async def test_lineplot_draws_a_bounded_number_of_points() -> None:
    plot = LinePlot()
    app = WidgetApp(plot)
    async with app.run_test(size=SIZE) as pilot:
        x = np.arange(1_000_000, dtype=float)
        y = 1.0 / (1.0 + x / 1000) + 0.01 * np.random.default_rng(0).standard_normal(x.size)
        plot.set_series({"loss": (x, y)})
        await pilot.pause()
        assert set(plot.plotted_points) == {"loss", "loss:raw"}  # faint raw line + smoothed line
        assert max(plot.plotted_points.values()) <= 2 * plot.size.width
        plot.smooth_enabled = False
        await pilot.pause()
        assert list(plot.plotted_points) == ["loss"] and plot.plotted_points["loss"] <= 2 * plot.size.width


async def test_lineplot_rebuilds_only_on_change_and_not_while_hidden() -> None:
    plot = LinePlot()
    app = WidgetApp(plot)
    async with app.run_test(size=SIZE) as pilot:
        series = {"loss": (np.arange(100), np.linspace(1, 0, 100))}
        plot.set_series(series)
        await pilot.pause()
        builds = plot.builds
        plot.set_series({"loss": (np.arange(100), np.linspace(1, 0, 100))})  # equal data
        plot.refresh()
        await pilot.pause()
        assert plot.builds == builds
        plot.display = False
        await pilot.pause()
        plot.set_series({"loss": (np.arange(200), np.linspace(1, 0, 200))})
        await pilot.pause()
        assert plot.builds == builds
        plot.display = True
        await pilot.pause()
        assert plot.builds == builds + 1


async def test_lineplot_hlines_and_legend() -> None:
    plot = LinePlot(title="loss")
    app = WidgetApp(plot)
    async with app.run_test(size=SIZE) as pilot:
        plot.set_series({"train": (np.arange(50), np.linspace(1, 0.1, 50))})
        plot.set_hlines({"target": 0.2})
        await pilot.pause()
        legend = plot.frame_text()[0]
        assert "loss" in legend and "train" in legend and "target" in legend


async def test_heatmap_overlay_marks_the_current_point() -> None:
    heatmap = Heatmap()
    app = WidgetApp(heatmap)
    async with app.run_test(size=SIZE) as pilot:
        xs = np.linspace(-1, 1, 21)
        surface = xs[None, :] ** 2 + xs[:, None] ** 2
        path = np.array([[-1.0, -1.0], [0.0, 0.5], [1.0, 1.0]])
        heatmap.set_data(surface, cmap="sequential")
        heatmap.set_overlay(path, path[-1], extent=(-1, 1, -1, 1))
        await pilot.pause()
        lines = heatmap.frame_text()
        # (1, 1) is the top-right corner: y grows upwards.
        assert heatmap.point_cell == (SIZE[0] - 1, 0)
        assert lines[0][-1] == "●"
        assert "now" in lines[-1] and "path" in lines[-1]
        heatmap.set_overlay(path, np.array([5.0, 5.0]), extent=(-1, 1, -1, 1))
        await pilot.pause()
        assert heatmap.point_cell is None and "off-map" in heatmap.frame_text()[-1]


async def test_heatmap_legend_shows_the_numeric_range() -> None:
    heatmap = Heatmap()
    app = WidgetApp(heatmap)
    async with app.run_test(size=SIZE) as pilot:
        heatmap.set_data(np.array([[-0.42, 0.0], [0.3, 0.61]]), cmap="sequential", title="w")
        await pilot.pause()
        legend = heatmap.frame_text()[-1]
        assert legend.startswith("w") and "-0.42" in legend and "0.61" in legend
        heatmap.set_data(np.array([[-0.42, 0.0], [0.3, 0.61]]))  # diverging: symmetric
        await pilot.pause()
        assert "-0.61" in heatmap.frame_text()[-1]


async def test_heatmap_skips_work_for_unchanged_data() -> None:
    heatmap = Heatmap()
    app = WidgetApp(heatmap)
    async with app.run_test(size=SIZE) as pilot:
        heatmap.set_data(np.eye(3))
        await pilot.pause()
        built = heatmap.frames_built
        heatmap.set_data(np.eye(3))
        heatmap.refresh()
        await pilot.pause()
        assert heatmap.frames_built == built


async def test_no_color_mode_uses_density_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    heatmap = Heatmap()
    app = WidgetApp(heatmap)
    assert app.no_color
    async with app.run_test(size=SIZE) as pilot:
        heatmap.set_data(np.linspace(0, 1, 64).reshape(8, 8), cmap="sequential")
        await pilot.pause()
        lines = heatmap.frame_text()
        body = "".join(lines[:-1])
        assert "▀" not in body
        assert set(DENSITY_GLYPHS) <= set(body)
        assert DENSITY_GLYPHS in lines[-1]  # the legend shows the ramp


async def test_filtergrid_captions_and_shared_legend() -> None:
    grid = FilterGrid()
    app = WidgetApp(grid)
    async with app.run_test(size=SIZE) as pilot:
        kernels = np.random.default_rng(0).standard_normal((8, 3, 3))
        grid.set_data(kernels)
        await pilot.pause()
        text = "\n".join(grid.frame_text())
        assert "f0" in text and "f7" in text
        peak = np.abs(kernels).max()
        assert f"{-peak:.3g}" in grid.frame_text()[-1] and f"{peak:.3g}" in grid.frame_text()[-1]
        assert grid.last_layout is not None and grid.last_layout.scale > 1
        grid.set_data(kernels, labels=[f"k{i}" for i in range(8)], shared_scale=False)
        await pilot.pause()
        assert "k3" in "\n".join(grid.frame_text()) and "per item" in grid.frame_text()[-1]


async def test_filtergrid_centres_double_width_captions_by_cells() -> None:
    grid = FilterGrid()
    app = WidgetApp(grid)
    async with app.run_test(size=SIZE) as pilot:
        kernels = np.random.default_rng(0).standard_normal((3, 3, 3))
        grid.set_data(kernels, labels=["가나", "abcd", "가나다라마바사아자차카타파하"])
        await pilot.pause()
        layout = grid.last_layout
        assert layout is not None and layout.columns == 3 and layout.item_width > 4
        width = layout.item_width
        caption = next(line for line in grid.frame_text() if "abcd" in line)
        # "가나" takes four cells, as "abcd" does: it sits where "abcd" would
        assert caption.startswith("abcd".center(width).replace("abcd", "가나") + " " + "abcd".center(width) + " ")
        # a caption wider than its item is cut to the item's cells
        assert cell_len(caption.rstrip()) <= 3 * width + 2


async def test_histogram_shows_label_std_and_dash_for_empty_groups() -> None:
    histogram = Histogram()
    app = WidgetApp(histogram)
    async with app.run_test(size=(60, 20)) as pilot:
        rng = np.random.default_rng(0)
        groups = [(f"h{i}", np.tanh(rng.standard_normal(500))) for i in range(9)]
        groups.append(("dead", np.array([np.nan, np.nan])))
        histogram.set_data(groups)
        await pilot.pause()
        text = "\n".join(histogram.frame_text())
        assert "h0 σ=" in text and "h8" in text
        assert "—" in text
        assert histogram.last_layout is not None and histogram.last_layout.rows >= 2
        assert "range" in histogram.frame_text()[-1]
        app.export_screenshot()


# -- the line plot's own canvas and axes ----------------------------------------------


@pytest.mark.parametrize(
    "lo, hi, n, expected",
    [
        (0.0, 1.0, 5, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0.13, 0.87, 4, [0.2, 0.4, 0.6, 0.8]),
        (-3.0, 7.0, 2, [0.0, 5.0]),
        (1.0, 12000.0, 5, [2500.0, 5000.0, 7500.0, 10000.0]),
        (0.0, 1.0, 4, [0.0, 0.25, 0.5, 0.75, 1.0]),
    ],
)
def test_linear_ticks_are_round_and_inside(lo: float, hi: float, n: int, expected: list[float]) -> None:
    ticks = linear_ticks(lo, hi, n)
    assert np.allclose(ticks, expected)
    assert ticks.size <= n + 1 and ticks[0] >= lo and ticks[-1] <= hi


def test_integer_ticks_never_split_a_step() -> None:
    assert linear_ticks(0, 3, 10, integer=True).tolist() == [0.0, 1.0, 2.0, 3.0]


def test_log_ticks_are_powers_of_ten_thinned_from_the_top() -> None:
    assert log_ticks(-5.2, 0.3, 10).tolist() == [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0]
    thinned = log_ticks(-8.0, 0.0, 3)
    assert thinned[-1] == 1.0 and thinned.size <= 4
    assert np.allclose(np.diff(np.log10(thinned)), np.log10(thinned[1] / thinned[0]))  # evenly thinned
    within = log_ticks(np.log10(0.15), np.log10(0.9), 4)  # less than a decade: 1-2-5 values
    assert np.allclose(within, [0.2, 0.5])


@pytest.mark.parametrize(
    "ticks, labels",
    [
        ([0.0, 0.5, 1.0], ["0.0", "0.5", "1.0"]),
        ([0.9, 0.95, 1.0], ["0.90", "0.95", "1.00"]),
        ([0.0, 2500.0, 5000.0], ["0", "2500", "5000"]),
        ([0.25, 0.5, 0.75], ["0.25", "0.50", "0.75"]),
        ([2500.0, 5000.0, 7500.0, 10000.0], ["2.5k", "5k", "7.5k", "10k"]),
        ([0.0, 20000.0, 40000.0], ["0", "20k", "40k"]),
        ([500000.0, 1000000.0, 1500000.0], ["0.5M", "1M", "1.5M"]),
        ([2e-5, 4e-5], ["2e-5", "4e-5"]),
        ([-1.0, 0.0, 1.0], ["-1", "0", "1"]),
    ],
)
def test_tick_labels_are_short_and_tell_ticks_apart(ticks: list[float], labels: list[str]) -> None:
    assert format_ticks(np.array(ticks)) == labels


def test_log_tick_labels() -> None:
    assert format_log_ticks(np.array([1e-5, 1e-3, 0.1, 1.0, 100.0, 1e4])) == ["1e-5", "0.001", "0.1", "1", "100", "1e4"]


def _canvas(plot: LinePlot) -> list[str]:
    """The plot's canvas rows (legend, axis and labels cut off), y labels and axis removed."""
    lines = plot.frame_text()[1:-2]
    cut = lines[0].index("│") if "│" in lines[0] else lines[0].index("┤")
    return [line[cut + 1 :] for line in lines]


async def test_lineplot_draws_the_data_where_the_axes_say() -> None:
    plot = LinePlot()
    plot.smooth_enabled = False
    app = WidgetApp(plot)
    async with app.run_test(size=(60, 20)) as pilot:
        x = np.arange(0, 1001, dtype=float)
        plot.set_series({"rise": (x, x / 1000)})  # the diagonal from (0, 0) to (1000, 1)
        plot.set_hlines({"marker": 0.6})
        await pilot.pause()
        canvas = _canvas(plot)
        blank = chr(0x2800)
        dots = [[c not in (" ", blank) for c in row] for row in canvas]
        rows, cols = len(dots), len(dots[0])
        assert dots[0][cols - 1] and dots[rows - 1][0]  # both ends of the diagonal
        assert not dots[0][0] and not dots[rows - 1][cols - 1]  # nothing in the other corners
        for r in range(rows):  # one line: each row's dots sit near its share of the diagonal
            lit = [c for c in range(cols) if dots[r][c]]
            if not all(dots[r]):  # (the marker line fills its row)
                expected = (rows - 1 - r) / (rows - 1) * (cols - 1)
                assert lit and abs(sum(lit) / len(lit) - expected) <= cols / rows + 2
        # The labelled tick rows: the marker line at 0.6 is drawn on the row labelled 0.6.
        lines = plot.frame_text()[1:-2]
        row = next(i for i, line in enumerate(lines) if line.lstrip().startswith("0.6┤"))
        assert all(dots[row])
        assert plot.y_ticks == ["1.0", "0.8", "0.6", "0.4", "0.2", "0.0"]
        assert plot.x_ticks == ["0", "200", "400", "600", "800", "1000"]
        assert plot.frame_text()[-2].lstrip().startswith("└")


async def test_lineplot_log_axis_puts_decades_on_their_rows() -> None:
    plot = LinePlot()
    plot.smooth_enabled = False
    plot.log_y = True
    app = WidgetApp(plot)
    async with app.run_test(size=(60, 20)) as pilot:
        x = np.arange(0, 601, dtype=float)
        plot.set_series({"loss": (x, 10.0 ** (-x / 100))})  # 1 down to 1e-6, straight on a log axis
        await pilot.pause()
        assert plot.y_ticks[0] == "1" and plot.y_ticks[-1] == "1e-6"
        canvas = _canvas(plot)
        lines = plot.frame_text()[1:-2]
        for label, share in (("1", 0.0), ("0.001", 0.5), ("1e-6", 1.0)):
            row = next((i for i, line in enumerate(lines) if line.strip().startswith(label + "┤")), None)
            if row is None:
                continue  # thinned out at this height
            lit = [c for c, ch in enumerate(canvas[row]) if ch != " "]
            assert lit and abs(sum(lit) / len(lit) - share * (len(canvas[row]) - 1)) <= 4


async def test_lineplot_paints_bright_lines_over_faint_ones_and_marks_series_without_colour() -> None:
    plot = LinePlot()
    app = WidgetApp(plot)
    async with app.run_test(size=(60, 16)) as pilot:
        x = np.arange(200, dtype=float)
        plot.set_series({"a": (x, np.sin(x / 20)), "b": (x, np.cos(x / 20))})
        await pilot.pause()
        colours = {seg.style.color.number for strip in plot._current_frame() for seg in strip if seg.style and seg.style.color and seg.style.color.number is not None}
        bright = {SERIES_COLORS["blue"][0], SERIES_COLORS["orange"][0]}
        faint = {SERIES_COLORS["blue"][1], SERIES_COLORS["orange"][1]}
        assert bright <= colours and faint & colours
    app = WidgetApp(plot2 := LinePlot())
    app.no_color = True  # type: ignore[attr-defined]
    async with app.run_test(size=(60, 16)) as pilot:
        plot2.set_series({"a": (x, np.sin(x / 20)), "b": (x, np.cos(x / 20))})
        await pilot.pause()
        text = "".join(plot2.frame_text()[1:])
        assert "•" in text and any(0x2801 <= ord(c) <= 0x28FF for c in text)  # b in dots, a in braille
        assert "⠤⠤ a" in plot2.frame_text()[0] and "• b" in plot2.frame_text()[0]


def test_axes_end_on_round_values_and_stay_put_while_the_data_grows() -> None:
    assert snap_range(1, 10_300, 5, integer=True) == (0, 12_500)
    assert all(snap_range(1, n, 5, integer=True) == (0, 12_500) for n in (10_001, 11_000, 12_500))
    assert snap_range(1, 12_501, 5, integer=True) == (0, 15_000)
    assert snap_range(0.13, 0.87, 4) == pytest.approx((0.0, 1.0))
    assert snap_range(0.02, 0.97, 5) == pytest.approx((0.0, 1.0))
    lo, hi = snap_log_range(np.log10(3e-5), np.log10(2.3))
    assert (10**lo, 10**hi) == pytest.approx((2e-5, 5.0))
    assert snap_log_range(np.log10(0.01), 0.0) == pytest.approx((-2.0, 0.0))  # already round


async def test_a_live_plot_redraws_only_the_rows_its_new_points_reach() -> None:
    """What goes over SSH: with the axes fixed, most rows of the plot stay the same
    from one frame to the next (the output filter then sends nothing for them)."""
    plot = LinePlot()
    plot.log_y = True
    app = WidgetApp(plot)
    async with app.run_test(size=(80, 24)) as pilot:
        x = np.arange(1, 20_001, dtype=float)
        loss = 2.0 / (1.0 + x / 50.0) * (1 + 0.05 * np.sin(x / 7))
        plot.set_series({"loss": (x[:10_300], loss[:10_300])})
        await pilot.pause()
        before, ticks = plot.frame_text(), (plot.x_ticks, plot.y_ticks)
        plot.set_series({"loss": (x[:10_400], loss[:10_400])})  # one frame later
        await pilot.pause()
        after = plot.frame_text()
        assert (plot.x_ticks, plot.y_ticks) == ticks  # the same axes
        changed = sum(a != b for a, b in zip(before, after))
        assert changed <= len(after) // 4, f"{changed} of {len(after)} rows changed"


async def test_lineplot_draws_any_series_at_any_size_without_failing() -> None:
    """Seeded fuzz of the renderer: odd values (constant, one point, huge, tiny,
    negative, NaN, all of them on a log axis too) at sizes from tiny to wide. Every
    frame fills the widget exactly, and nothing falls back to "plot failed"."""
    rng = np.random.default_rng(0)
    makers = [
        lambda n: rng.standard_normal(n),
        lambda n: np.full(n, 0.3),
        lambda n: np.full(n, -2.0),
        lambda n: np.zeros(n),
        lambda n: 1e300 * rng.random(n),
        lambda n: 1e-300 * rng.random(n),
        lambda n: np.where(rng.random(n) < 0.3, np.nan, rng.random(n)),
        lambda n: np.cumsum(rng.standard_normal(n)) * 1e6,
        lambda n: np.exp(-np.arange(n) / 10.0),
    ]
    plot = LinePlot(title="fuzz")
    app = WidgetApp(plot)
    async with app.run_test(size=(120, 40)) as pilot:
        for case in range(60):
            width, height = int(rng.integers(1, 120)), int(rng.integers(1, 40))
            plot.styles.width, plot.styles.height = width, height
            n = int(rng.choice([1, 2, 3, 50, 5000]))
            x = np.sort(rng.choice([0.0, 1.0], n) + np.arange(n) * float(rng.choice([1, 1000])))
            series = {f"s{i}": (x, makers[int(rng.integers(len(makers)))](n)) for i in range(int(rng.integers(1, 4)))}
            plot.log_y = bool(rng.random() < 0.5)
            plot.smooth_enabled = bool(rng.random() < 0.5)
            plot.set_series(series)
            plot.set_hlines({"h": float(rng.choice([0.5, -1.0, 1e9]))} if rng.random() < 0.5 else {})
            await pilot.pause()
            frame = plot._current_frame()
            assert len(frame) == plot.size.height, case
            assert all(strip.cell_length == plot.size.width for strip in frame), case
            assert "plot failed" not in "".join(plot.frame_text()), (case, plot.frame_text()[:1])


@pytest.mark.parametrize("value, ticks", [(0.0, ["0.6", "0.0", "-0.6"]), (2.0, ["2.2", "2.0", "1.8"])])
async def test_a_flat_line_sits_in_the_middle_of_a_readable_axis(value: float, ticks: list[str]) -> None:
    plot = LinePlot()
    app = WidgetApp(plot)
    async with app.run_test(size=(40, 12)) as pilot:
        plot.set_series({"flat": (np.arange(50.0), np.full(50, value))})
        await pilot.pause()
        assert plot.y_ticks == ticks  # top to bottom
        plot.smooth_enabled = False  # the same without the EMA's rounding
        await pilot.pause()
        assert plot.y_ticks == ticks
