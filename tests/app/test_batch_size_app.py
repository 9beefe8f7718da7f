"""Batch size on screen: a pinned run (c) stays on the loss plot as a ghost of its
mini-batch curve, on the x axis chosen now (updates, epochs or seconds), labelled in the
language shown; C clears it."""

from __future__ import annotations

import numpy as np

from nndojo.screens import LessonScreen
from nndojo.tui.app import NNDojoApp
from nndojo.tui.widgets.xyplot import XYPlot


async def test_a_pinned_run_is_a_ghost_on_the_loss_plot_on_every_x_axis() -> None:
    app = NNDojoApp("batch-size", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await pilot.press(*"n" * 10, "c")
        await pilot.press("down", "right", *"n" * 4)  # B 8 -> 16 (a new run)
        await pilot.pause()
        plot = screen.query_one("#curves", XYPlot)
        assert list(plot._series) == ["SGD", "B=16", "full", "#1 B 8"] and plot._ghosts == {"#1 B 8"}
        assert "#1 B 8" in plot.frame_text()[0]  # in the legend
        pinned = screen.pins[0].curve("loss")
        assert pinned is not None
        np.testing.assert_array_equal(plot._series["#1 B 8"][0], pinned[0])  # updates
        await pilot.press("down", "down", "left")  # x axis: updates -> epochs
        await pilot.pause()
        assert screen.runner.call(lambda e: e.values["x_axis"]) == "epochs"
        np.testing.assert_allclose(plot._series["#1 B 8"][0], pinned[0] * 8 / 64)  # B = 8 of 64 points per update
        await pilot.press("left")  # seconds: positive, growing with the updates
        await pilot.pause()
        x = plot._series["#1 B 8"][0]
        assert np.all(x[1:] > x[:-1]) and x[0] == 0.0
        await pilot.press("l")
        await pilot.pause()
        assert list(plot._series) == ["SGD", "B=16", "전체", "#1 B 8"]
        await pilot.press("l", "C")
        await pilot.pause()
        assert list(plot._series) == ["SGD", "B=16", "full"] and not plot._ghosts
