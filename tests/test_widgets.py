"""Tests for the plotting widgets: pure helpers, then each widget mounted in a tiny app."""

from __future__ import annotations

import numpy as np
import pytest
from rich.color import ColorSystem
from rich.color_triplet import ColorTriplet
from rich._palettes import EIGHT_BIT_PALETTE
from textual.app import App, ComposeResult
from textual.widget import Widget

from nndojo.tui.widgets import FilterGrid, Heatmap, Histogram, LinePlot
from nndojo.tui.widgets.colors import (
    DENSITY_GLYPHS,
    DIVERGING,
    SEQUENTIAL,
    auto_range,
    quantize,
    resample_indices,
    resample_nearest,
)
from nndojo.tui.widgets.filtergrid import grid_layout
from nndojo.tui.widgets.heatmap import path_pixels
from nndojo.tui.widgets.histogram import MIN_BINS, bar_rows_text, histogram_layout
from nndojo.tui.widgets.lineplot import bucket_means, downsample_minmax, ema_smooth

SIZE = (80, 24)


class WidgetApp(App[None]):
    """An app showing one widget, full screen."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


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


@pytest.mark.parametrize("cmap", [DIVERGING, SEQUENTIAL])
def test_palettes_survive_256_colours_unchanged_and_distinct(cmap) -> None:
    numbers = []
    for index in range(cmap.point_index + 1):
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
    if isinstance(widget, LinePlot):
        return widget.render().plain.splitlines()
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
        assert "no finite values" in plot.render().plain
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


async def test_lineplot_hands_plotext_a_bounded_number_of_points() -> None:
    plot = LinePlot()
    app = WidgetApp(plot)
    handed: list[int] = []
    original = plot.plt.plot

    def spy(*args, **kwargs):
        handed.append(len(args[0]))
        return original(*args, **kwargs)

    plot.plt.plot = spy  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        x = np.arange(1_000_000, dtype=float)
        y = 1.0 / (1.0 + x / 1000) + 0.01 * np.random.default_rng(0).standard_normal(x.size)
        plot.set_series({"loss": (x, y)})
        await pilot.pause()
        assert len(handed) == 2  # faint raw line + smoothed line
        assert max(handed) <= 2 * plot.size.width
        handed.clear()
        plot.smooth_enabled = False
        await pilot.pause()
        assert len(handed) == 1 and handed[0] <= 2 * plot.size.width


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
        legend = plot.render().plain.splitlines()[0]
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
