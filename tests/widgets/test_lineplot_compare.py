"""LinePlot: smoothing in the space the y axis shows, a log step axis, ghost series (a
pinned run)."""

from __future__ import annotations

import numpy as np

from nndojo.tui.widgets import LinePlot
from nndojo.tui.widgets.axes import snap_range
from nndojo.tui.widgets.lineplot import smoothed_line
from nndojo.tui.widgets.xyplot import GHOST_COLORS, NO_COLOR_MARKERS
from widget_app import WidgetApp

BRAILLE = range(0x2801, 0x2900)


def geometric_decay() -> tuple[np.ndarray, np.ndarray]:
    """A loss as gradient descent's on its ravine: 84 at step 0, 0.03 at step 1, then a
    tenfold fall every 60 steps."""
    x = np.arange(417, dtype=np.float64)
    y = 0.03 * 10.0 ** (-(x - 1) / 60)
    y[0] = 84.0
    return x, y


def raw_at(x: np.ndarray) -> np.ndarray:
    return 0.03 * 10.0 ** (-(x - 1) / 60)


def test_on_a_log_axis_the_smoothed_line_stays_at_the_level_of_a_geometric_decay() -> None:
    x, y = geometric_decay()
    x_range = snap_range(0, 416, 8, integer=True)
    mx, my = smoothed_line(x, y, 0.6, 70, x_range, log_y=True)
    ratio = my[1:] / raw_at(mx[1:])  # (the first column holds the fall from 84)
    assert np.all(ratio < 2) and np.all(ratio >= 1)  # an EMA lags a little, never lies about the level
    # the EMA of the raw values (what a linear axis smooths) is carried far above by step 0
    _, linear = smoothed_line(x, y, 0.6, 70, x_range, log_y=False)
    assert np.max(linear[1:] / raw_at(mx[1:])) > 75


def test_on_a_log_axis_the_smoothed_line_lies_within_the_last_columns_raw_values() -> None:
    x = np.arange(2000, dtype=np.float64)
    y = 10.0 ** (-x / 100)  # two columns per decade
    x_range = (0.0, 2000.0)
    mx, my = smoothed_line(x, y, 0.6, 100, x_range, log_y=True)
    width = 20.0
    lows = 10.0 ** (-(mx + width / 2) / 100)
    highs = 10.0 ** (-np.maximum(mx - 4 * width, 0) / 100)  # 4 columns back
    assert np.all((my >= lows * (1 - 1e-9)) & (my <= highs * (1 + 1e-9)))


async def test_the_plot_smooths_log_values_when_its_y_axis_is_log() -> None:
    plot = LinePlot()
    plot.log_y = True
    async with WidgetApp(plot, no_color=True).run_test(size=(80, 40)) as pilot:  # no colour: no raw line
        plot.set_series({"loss": geometric_decay()})
        await pilot.pause()
        assert plot.log_scales == (False, True)
        text = plot.frame_text()
        for step in (100.0, 200.0, 300.0):
            col, row = plot.cell_of(step, raw_at(step))  # type: ignore[misc]
            drawn = [r for r in range(plot.canvas[1], plot.canvas[1] + plot.canvas[3]) if ord(text[r][col]) in BRAILLE]
            assert drawn and min(abs(r - row) for r in drawn) <= 1, (step, row, drawn)


async def test_a_log_step_axis_spreads_the_first_steps_and_hides_step_zero_quietly() -> None:
    plot = LinePlot()
    plot.log_x = True
    async with WidgetApp(plot).run_test(size=(80, 16)) as pilot:
        x = np.arange(0, 10_001, dtype=np.float64)
        plot.set_series({"loss": (x, 1.0 / (1.0 + x))})
        await pilot.pause()
        assert plot.log_scales == (True, False)
        assert plot.x_ticks[0] == "1" and plot.x_ticks[-1] == "1e4"
        assert "log x" in plot.note and "hidden" not in plot.note
        plot.log_x = False
        await pilot.pause()
        assert plot.x_ticks[0] == "0"


async def test_a_ghost_is_drawn_under_the_run_in_its_own_colour_and_marker() -> None:
    x = np.arange(200, dtype=np.float64)
    plot = LinePlot()
    async with WidgetApp(plot, no_color=True).run_test(size=(80, 16)) as pilot:
        plot.set_series({"loss": (x, 1.0 / (1 + x)), "#1 lr 0.3": (x, 0.5 + 0 * x)},
                        colors={"#1 lr 0.3": GHOST_COLORS[0]}, ghosts={"#1 lr 0.3"})
        await pilot.pause()
        legend = plot.frame_text()[0]
        assert legend.index("loss") < legend.index(f"{NO_COLOR_MARKERS[1]} #1 lr 0.3")
        assert NO_COLOR_MARKERS[1] in "".join(plot.frame_text()[1:-2])
        assert "#1 lr 0.3:raw" not in plot.plotted_points  # no raw line under a ghost
    plot = LinePlot()
    async with WidgetApp(plot, no_color=False).run_test(size=(80, 16)) as pilot:
        plot.set_series({"#1 lr 0.3": (x, 0.5 + 0 * x), "loss": (x, 1.0 / (1 + x))},
                        colors={"#1 lr 0.3": GHOST_COLORS[0]}, ghosts={"#1 lr 0.3"})
        await pilot.pause()
        assert list(plot._series) == ["loss", "#1 lr 0.3"]  # the current run first
        colours = {seg.style.color.number for strip in plot._current_frame()[1:-2] for seg in strip
                   if seg.style and seg.style.color and any(ord(c) in BRAILLE for c in seg.text)}
        assert GHOST_COLORS[0] in colours
        builds = plot.builds
        plot.set_series({"#1 lr 0.3": (x, 0.5 + 0 * x), "loss": (x, 1.0 / (1 + x))},
                        colors={"#1 lr 0.3": GHOST_COLORS[0]}, ghosts={"#1 lr 0.3"})
        await pilot.pause()
        assert plot.builds == builds  # the same data again: no rebuild
