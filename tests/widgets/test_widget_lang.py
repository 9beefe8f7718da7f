"""Every chart writes its legend's and notes' words in the language it is given
(``set_lang``, from the screen): in Korean no English word of core/texts/_ui.py's chart
entries is left, in any state a legend can be in (items left out, each item its own
scale, nan/inf, log axes with values hidden, no data, smoothing)."""

from __future__ import annotations

import re
from typing import Callable

import numpy as np
import pytest
from textual.widget import Widget

from nndojo.core.texts._ui import UI
from nndojo.tui.widgets import FilterGrid, Heatmap, Histogram, LinePlot
from nndojo.tui.widgets.frame import FrameWidget

from widget_app import WidgetApp

KEYS = ("chart.", "histogram.", "heatmap.")
WORD = re.compile(r"[A-Za-z]{3,}")


def words(texts: list[str]) -> set[str]:
    return {w.lower() for t in texts for w in WORD.findall(re.sub(r"\{[^{}]*\}", " ", t))}


ENGLISH = words([t["en"] for k, t in UI.items() if k.startswith(KEYS)]) - words(
    [t["ko"] for k, t in UI.items() if k.startswith(KEYS)])


def filter_grid() -> Widget:
    grid = FilterGrid()
    stack = np.random.default_rng(0).normal(size=(40, 5, 5))
    stack[0, 0, 0] = np.nan
    grid.set_data(stack, shared_scale=False)  # 40 items do not fit: "+N more"
    return grid


def histogram() -> Widget:
    hist = Histogram()
    hist.set_data([("h1", np.array([0.1, 0.2, np.nan])), ("h2", np.linspace(-1, 1, 50))])
    return hist


def log_plot() -> Widget:
    plot = LinePlot(log_y=True, log_x=True)
    plot.set_series({"손실": (np.arange(50), np.r_[0.0, np.nan, np.exp(-np.arange(48.0))])})
    return plot


def linear_fallback_plot() -> Widget:
    plot = LinePlot(log_y=True)
    plot.set_series({"손실": (np.arange(10), -np.ones(10))})
    return plot


def empty_plot() -> Widget:
    return LinePlot()


def heatmap() -> Widget:
    heat = Heatmap()
    grid = np.outer(np.linspace(-1, 1, 20), np.linspace(-1, 1, 30))
    grid[0, 0] = np.inf
    heat.set_data(grid)
    heat.set_overlay(np.array([[0.0, 0.0], [0.5, 0.5]]), np.array([0.5, 0.5]), extent=(-1, 1, -1, 1))
    return heat


CHARTS: list[Callable[[], Widget]] = [filter_grid, histogram, log_plot, linear_fallback_plot, empty_plot, heatmap]


def test_the_word_list_has_the_legends_words() -> None:
    for word in ("more", "range", "bins", "ema", "log", "hidden", "std", "low", "high", "linear", "data"):
        assert word in ENGLISH, word


@pytest.mark.parametrize("make", CHARTS, ids=lambda f: f.__name__)
async def test_a_chart_in_korean_writes_no_english_word(make: Callable[[], Widget]) -> None:
    widget = make()
    assert isinstance(widget, FrameWidget)
    app = WidgetApp(widget)
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        english = words(widget.frame_text()) & ENGLISH
        assert english or make is heatmap, "the English frame shows no legend word: the check sees nothing"
        widget.set_lang("ko")
        await pilot.pause()
        text = widget.frame_text()
        assert not words(text) & ENGLISH, (sorted(words(text) & ENGLISH), text[-1])
        widget.set_lang("en")
        await pilot.pause()
        assert words(widget.frame_text()) & ENGLISH == english


async def test_a_korean_message_fits_its_line() -> None:
    """An empty chart's message in Korean ("아직 데이터 없음": each character two cells
    wide) is centred in cells and fills exactly its line, never pushing the border."""
    from rich.cells import cell_len

    widget = LinePlot()
    app = WidgetApp(widget)
    async with app.run_test(size=(30, 9)) as pilot:
        widget.set_lang("ko")
        await pilot.pause()
        lines = [widget.render_line(y) for y in range(widget.size.height)]
        said = [strip for strip in lines if "데이터" in strip.text]
        assert said, [strip.text for strip in lines]
        for strip in said:
            assert cell_len(strip.text) == widget.size.width, strip.text
            left = len(strip.text) - len(strip.text.lstrip())
            right = cell_len(strip.text) - cell_len(strip.text.rstrip())
            assert abs(left - right) <= 1, strip.text
