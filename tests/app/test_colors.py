"""Terminals as they are: NO_COLOR, 256 colours (the usual case over SSH, where
COLORTERM is often unset) and truecolor.

- Without colour every heatmap and filter grid is drawn with a density ramp (" ░▒▓█")
  and its legend shows the ramp and the values at both ends; a surface map's paths
  differ by shape; a decision map's classes by hatch and point shape; plots tell their
  series apart by marker; the states that colour marks (diverged, converged, the chosen
  control, playing) are also written out.
- With 256 colours the palettes quantise onto themselves: no two legend steps merge,
  and the two ends of a diverging map stay apart (even with 16 colours).
- Every lesson screen's maps carry a legend with numbers, in colour and without.
"""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pytest
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from textual.app import App, ComposeResult
from textual.filter import Monochrome, NoColor
from textual.widget import Widget

from nndojo.screens import LessonScreen
from nndojo.tui.widgets.status import PAUSED
from nndojo.tui.app import MENU, NNDojoApp
from nndojo.tui.widgets import DecisionMap, FilterGrid, Heatmap, Histogram, LinePlot, XYPlot
from nndojo.tui.widgets.decisionmap import CLASS_GLYPHS, CLASS_HATCHES
from nndojo.tui.widgets.frame import FrameWidget
from nndojo.tui.widgets.surface import SurfaceMap
from nndojo.tui.widgets.colors import (
    DENSITY_GLYPHS,
    DIVERGING,
    HALF_BLOCK,
    SEQUENTIAL,
    Colormap,
    legend_segments,
)
from nndojo.tui.widgets.hyperpanel import HyperPanel
from nndojo.tui.widgets.lineplot import NO_COLOR_MARKERS, SERIES_COLORS

KEYS = [cls.info.key for cls in MENU]
needs_gradient_descent = pytest.mark.skipif("gradient-descent" not in KEYS, reason="no gradient-descent lesson")
COLORMAPS = [DIVERGING, SEQUENTIAL]
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?"
RAMP = f"[{DENSITY_GLYPHS}]"

pytestmark = pytest.mark.skipif(not MENU, reason="no lesson in the menu")


@pytest.fixture(autouse=True)
def quick_idle(monkeypatch):
    """``pilot.press`` samples the CPU every 4 ms instead of 20 (see test_app.py)."""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.004, raising=False)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.0004, raising=False)


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def ssh_256(monkeypatch):
    """A terminal over SSH: TERM says 256 colours, COLORTERM is not passed on."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def maps_of(screen) -> list[Widget]:
    return [*screen.query(Heatmap), *screen.query(FilterGrid)]


def screen_text(app: App) -> list[str]:
    """What the screen shows, line by line (the compositor's strips)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def legend_numbers(legend: str) -> list[float]:
    return [float(m) for m in re.findall(rf"(?<![\w.]){NUMBER}(?![\w.])", legend)]


class One(App[None]):
    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


# -- the palettes through 256 and 16 colours ----------------------------------------------


@pytest.mark.parametrize("cmap", COLORMAPS, ids=lambda c: c.name)
def test_every_legend_step_stays_distinct_in_256_colours(cmap: Colormap) -> None:
    down = [cmap.color(i).downgrade(ColorSystem.EIGHT_BIT) for i in range(cmap.levels)]
    numbers = [c.number for c in down]
    assert all(a != b for a, b in zip(numbers, numbers[1:])), numbers  # neighbours
    assert len(set(numbers)) == cmap.levels, numbers  # and every step
    # Each level is exactly its own xterm colour (no drift): the quantised bar is the bar.
    assert [c.get_truecolor() for c in down] == [cmap.color(i).get_truecolor() for i in range(cmap.levels)]
    specials = {cmap.color(i).downgrade(ColorSystem.EIGHT_BIT).number for i in (cmap.nan_index, cmap.path_index, cmap.point_index)}
    assert len(specials) == 3 and not specials & set(numbers), "nan/path/point must not look like a level"


@pytest.mark.parametrize("system", [ColorSystem.EIGHT_BIT, ColorSystem.STANDARD], ids=["256", "16"])
def test_diverging_ends_differ_and_lightness_rises_to_the_middle(system: ColorSystem) -> None:
    down = [DIVERGING.color(i).downgrade(system) for i in range(DIVERGING.levels)]
    assert down[0].number != down[-1].number, "negative and positive ends look alike"
    # Hue tells the sign: blue below the middle, red above (blue > red channel and back).
    triplets = [c.get_truecolor() for c in down]
    mid = DIVERGING.mid_index
    assert all(t.blue >= t.red for t in triplets[:mid]) and all(t.red >= t.blue for t in triplets[mid + 1 :])

    # Lightness (which survives colour blindness and greyscale) rises towards 0 on both sides.
    light = [luminance(t) for t in triplets]
    assert light[:mid + 1] == sorted(light[:mid + 1]) and light[mid:] == sorted(light[mid:], reverse=True)


def luminance(t) -> float:
    """Relative luminance (WCAG): what is left of a colour in greyscale."""

    def lin(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(t.red) + 0.7152 * lin(t.green) + 0.0722 * lin(t.blue)


def test_sequential_lightness_rises_with_the_value() -> None:
    light = [luminance(SEQUENTIAL.color(i).get_truecolor()) for i in range(SEQUENTIAL.levels)]
    assert all(b > a for a, b in zip(light, light[1:])), [round(v, 3) for v in light]
    assert SEQUENTIAL.color(0).downgrade(ColorSystem.STANDARD).number != SEQUENTIAL.color(SEQUENTIAL.levels - 1).downgrade(ColorSystem.STANDARD).number


def test_the_path_is_lighter_than_every_level_of_the_loss_map() -> None:
    """The optimiser's path (white) stands out on the sequential map in greyscale too."""
    path = luminance(SEQUENTIAL.color(SEQUENTIAL.path_index).get_truecolor())
    top = max(luminance(SEQUENTIAL.color(i).get_truecolor()) for i in range(SEQUENTIAL.levels))
    assert path - top > 0.2


def test_plot_series_colours_are_distinct_in_256_colours() -> None:
    bright = [b for b, _, _ in SERIES_COLORS.values()]
    assert len(set(bright)) == len(bright)
    for name, (b, faint_dark, faint_light) in SERIES_COLORS.items():
        assert len({b, faint_dark, faint_light}) == 3, name
    assert len(set(NO_COLOR_MARKERS)) == len(NO_COLOR_MARKERS)


@pytest.mark.parametrize("cmap", COLORMAPS, ids=lambda c: c.name)
def test_glyph_ramp_rises_and_a_diverging_one_is_symmetric_about_zero(cmap: Colormap) -> None:
    glyphs = [cmap.glyph(i) for i in range(cmap.levels)]
    ranks = [DENSITY_GLYPHS.index(g) for g in glyphs]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == len(DENSITY_GLYPHS) - 1
    assert set(glyphs) == set(DENSITY_GLYPHS), "every glyph of the legend's ramp is used"
    if cmap.centered:
        mid = cmap.mid_index
        assert glyphs.count(glyphs[mid]) == 1, "only the middle level is drawn as 0"
        n = len(DENSITY_GLYPHS) - 1
        assert all(ranks[mid - d] == n - ranks[mid + d] for d in range(mid + 1))


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "no-colour"])
def test_diverging_legend_marks_zero_and_both_signed_ends(no_color: bool) -> None:
    text = "".join(s.text for s in legend_segments(-0.42, 0.42, DIVERGING, no_color=no_color))
    assert text.startswith("-0.42 ") and text.rstrip(" ()▒0").endswith("+0.42")
    assert "0" in text.replace("0.42", "")  # the middle is labelled 0
    if no_color:
        assert f"[{DENSITY_GLYPHS}]" in text and f"({DIVERGING.glyph(DIVERGING.mid_index)} 0)" in text
    # A range not centred on 0 has no middle label; a sequential one never has.
    assert "(" not in "".join(s.text for s in legend_segments(-0.42, 1.0, DIVERGING, no_color=True))
    assert "".join(s.text for s in legend_segments(0.0, 1.0, SEQUENTIAL, no_color=False)) == f"0 {'█' * SEQUENTIAL.levels} 1"


def test_colour_bar_renders_as_distinct_256_colour_codes() -> None:
    """The colour bar through Rich as a 256-colour terminal receives it."""
    out = io.StringIO()
    console = Console(file=out, color_system="256", force_terminal=True, width=80, no_color=False)
    console.print(_bar(DIVERGING), end="")
    sent = {int(n) for n in re.findall(r"[34]8;5;(\d+)", out.getvalue())}  # foreground and background
    levels = {DIVERGING.color(i).downgrade(ColorSystem.EIGHT_BIT).number for i in range(DIVERGING.levels)}
    assert len(levels) == DIVERGING.levels and levels <= sent  # the middle one behind its "0"
    assert ";2;" not in out.getvalue(), "truecolor codes sent to a 256-colour terminal"


def _bar(cmap: Colormap):
    from rich.text import Text

    from rich.style import Style

    t = Text()
    for seg in legend_segments(-1.0, 1.0, cmap, no_color=False):
        # A fresh Style: Rich and Textual cache a style's escape codes in the object
        # itself, and other tests render the palette's styles for other terminals.
        fresh = None if seg.style is None else Style(color=seg.style.color, bgcolor=seg.style.bgcolor, bold=seg.style.bold)
        t.append(seg.text, fresh)
    return t


# -- how Textual sees the terminal ---------------------------------------------------------


def test_textual_honours_no_color_and_our_widgets_follow(no_color) -> None:
    app = NNDojoApp()
    assert app.no_color
    assert any(isinstance(f, (Monochrome, NoColor)) for f in app._filters), "Textual strips colour itself"
    widget = Heatmap()
    One(widget)  # not mounted: the property must not raise
    assert widget.no_color is False


def test_ssh_terminal_gets_256_colours_and_truecolor_only_when_asked(ssh_256, monkeypatch) -> None:
    assert NNDojoApp().console.color_system == "256"
    monkeypatch.setenv("COLORTERM", "truecolor")
    assert NNDojoApp().console.color_system == "truecolor"
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("COLORTERM")
    assert NNDojoApp().console.color_system is None  # a dumb terminal: no colour at all


async def test_a_dumb_terminal_gets_the_glyph_ramp(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("TERM", "dumb")
    heatmap = Heatmap()
    app = One(heatmap)
    async with app.run_test(size=(40, 12)) as pilot:
        heatmap.set_data(np.linspace(-1, 1, 64).reshape(8, 8))
        await pilot.pause()
        assert heatmap.no_color
        body = "".join(heatmap.frame_text()[:-1])
        assert HALF_BLOCK not in body and set(DENSITY_GLYPHS) <= set(body)


# -- the widgets without colour --------------------------------------------------------------


async def test_no_color_heatmap_overlay_and_nan_are_glyphs(no_color) -> None:
    heatmap = Heatmap()
    app = One(heatmap)
    async with app.run_test(size=(60, 16)) as pilot:
        data = np.linspace(0, 1, 100).reshape(10, 10)
        data[0, 0] = np.nan
        heatmap.set_data(data, cmap="sequential", title="J")
        heatmap.set_overlay(np.array([[0.0, 0.0], [9.0, 9.0]]), np.array([4.0, 5.0]))
        await pilot.pause()
        lines = heatmap.frame_text()
        body, legend = "".join(lines[:-1]), lines[-1]
        assert HALF_BLOCK not in body
        assert "●" in body and "·" in body and "×" in body
        assert legend.startswith("J ") and RAMP.strip("[]") in legend
        assert "× nan/inf" in legend and "· path" in legend and "● now" in legend
        assert legend_numbers(legend)[:2] == pytest.approx([np.nanmin(data), 1.0], abs=1e-3)


async def test_no_color_filter_grid_and_histogram_keep_their_numbers(no_color) -> None:
    grid, hist = FilterGrid(), Histogram()

    class Two(App[None]):
        def compose(self) -> ComposeResult:
            yield grid
            yield hist

    app = Two()
    async with app.run_test(size=(60, 24)) as pilot:
        kernels = np.random.default_rng(0).standard_normal((4, 3, 3))
        grid.set_data(kernels)
        hist.set_data([("h1", kernels[0]), ("h2", kernels[1])])
        await pilot.pause()
        legend = grid.frame_text()[-1]
        peak = float(np.abs(kernels).max())
        assert f"{-peak:.3g}" in legend and f"+{peak:.3g}" in legend and f"[{DENSITY_GLYPHS}]" in legend
        assert f"({DIVERGING.glyph(DIVERGING.mid_index)} 0)" in legend
        assert "h1 σ=" in "\n".join(hist.frame_text()) and "range" in hist.frame_text()[-1]


async def test_no_color_plot_tells_series_apart_by_marker(no_color) -> None:
    plot = LinePlot(title="accuracy")
    app = One(plot)
    async with app.run_test(size=(60, 16)) as pilot:
        x = np.arange(50.0)
        plot.set_series({"train": (x, 1 - np.exp(-x / 10)), "test": (x, 0.9 - np.exp(-x / 10))})
        await pilot.pause()
        legend = plot.frame_text()[0]
        assert "⠤⠤ train" in legend and f"{NO_COLOR_MARKERS[1]} test" in legend
        assert NO_COLOR_MARKERS[1] in "\n".join(plot.frame_text()[1:]), "the second series is drawn with its marker"


# -- every lesson screen, without colour and in 256 colours -----------------------------------


def check_map_without_colour(widget: Widget) -> None:
    """A heatmap, surface map or filter grid: its values by the glyph ramp, with the ramp
    and the values at both ends in the legend; a surface map's paths each by its shape."""
    lines = widget.frame_text()
    body, legend = "\n".join(lines[:-1]), lines[-1]
    assert set(body) & set(DENSITY_GLYPHS[1:]), f"{widget.id}: no glyph ramp"
    assert f"[{DENSITY_GLYPHS}]" in legend, f"{widget.id}: legend without the ramp: {legend!r}"
    assert len(legend_numbers(legend)) >= 2, f"{widget.id}: legend without values: {legend!r}"
    if isinstance(widget, SurfaceMap):
        swatches = []
        for label in (label for label in widget._labels if label):
            found = re.search(rf" (\S){re.escape(label)}(?= |$)", legend)
            assert found, f"{widget.id}: path {label!r} not in the legend: {legend!r}"
            swatches.append(found.group(1))
        assert len(set(swatches)) == len(swatches), f"{widget.id}: paths share a shape: {legend!r}"


def check_decision_map_without_colour(widget: DecisionMap) -> None:
    """A decision map: a scalar surface by the glyph ramp (as a heatmap), else each class
    by its own hatch and point shape, named in the legend; points train/test by filled/hollow."""
    lines = widget.frame_text()
    body, legend = "\n".join(lines[:-1]), lines[-1]
    if widget._values:
        check_map_without_colour(widget)
        return
    names = widget._class_names
    assert names, f"{widget.id}: no classes"
    marks = [f"{CLASS_HATCHES[k % len(CLASS_HATCHES)]}{CLASS_GLYPHS[k % len(CLASS_GLYPHS)][0]}" for k in range(len(names))]
    for mark, name in zip(marks, names):
        assert f"{mark} {name}" in legend, f"{widget.id}: class {name!r} without its hatch and shape: {legend!r}"
    assert len(set(marks)) == len(marks)
    drawn = set(CLASS_HATCHES) | {g for pair in CLASS_GLYPHS for g in pair} | {" ", "×", "\n"}
    assert set(body) <= drawn, f"{widget.id}: drawn with {set(body) - drawn}"
    if widget.points_drawn:
        assert f"{CLASS_GLYPHS[0][0]} " in legend or f"{CLASS_GLYPHS[0][1]} " in legend, legend


def check_plot_without_colour(plot: XYPlot) -> None:
    """A plot: each series named in the legend after its own line marker (or point glyph),
    no two alike and none the colour swatch; each marker line labelled."""
    legend = "\n".join(plot.frame_text()[:2])  # one line, or two when it wraps
    swatches = []
    for name in plot._series:
        found = re.search(rf"(?:^|  |\n)(\S+) {re.escape(name)}(?=  |\s*$|\n)", legend)
        assert found, f"{plot.id}: series {name!r} not in the legend: {legend!r}"
        swatches.append(found.group(1))
    assert "━" not in swatches, f"{plot.id}: a colour swatch without colour: {legend!r}"
    assert len(set(swatches)) == len(swatches), f"{plot.id}: series share a marker: {legend!r}"
    for label in [*plot._hlines, *plot._vlines]:
        assert f" {label}" in legend, f"{plot.id}: line {label!r} not labelled: {legend!r}"


@pytest.mark.parametrize("lesson", KEYS)
async def test_lesson_without_colour_is_readable(lesson: str, no_color) -> None:
    """Every chart on every page keeps its meaning without colour, whatever its kind."""
    app = NNDojoApp(lesson, seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        pages = len(screen.panels_view.layout.pages) if screen.paged else 1
        checked: set[str] = set()
        for _ in range(pages):
            screen.redraw(heavy=True)
            await pilot.pause()
            for widget in screen.query(FrameWidget):
                if not widget.region.area:
                    continue  # on another page
                assert widget.no_color
                assert HALF_BLOCK not in "".join(widget.frame_text()), f"{widget.id}: half blocks without colour"
                if isinstance(widget, (Heatmap, FilterGrid)):
                    check_map_without_colour(widget)
                elif isinstance(widget, DecisionMap):
                    check_decision_map_without_colour(widget)
                elif isinstance(widget, XYPlot):
                    check_plot_without_colour(widget)
                checked.add(f"{type(widget).__name__}#{widget.id}")
            assert HALF_BLOCK not in "\n".join(screen_text(app))
            if pages > 1:
                await pilot.press("v")
        assert checked, f"{lesson} shows no chart"
        # States that colour marks are written out too.
        panel = screen.query_one(HyperPanel)
        assert "▸" in panel.render().plain
        assert PAUSED in str(screen.status.content)


@pytest.mark.parametrize("lesson", KEYS)
async def test_lesson_in_256_colours_has_numeric_legends(lesson: str, ssh_256) -> None:
    app = NNDojoApp(lesson, seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.console.color_system == "256"
        await pilot.pause()
        await pilot.press("n", "n", "n")
        await pilot.pause()
        for widget in maps_of(app.screen):
            assert not widget.no_color
            lines = widget.frame_text()
            assert HALF_BLOCK in "".join(lines[:-1])
            assert len(legend_numbers(lines[-1])) >= 2, lines[-1]
            assert "█" in lines[-1]  # the colour bar


@needs_gradient_descent
async def test_diverged_run_says_so_in_words(no_color) -> None:
    lesson = "gradient-descent"
    app = NNDojoApp(lesson, seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.runner.set("learning_rate", screen.experiment.hyperparam("learning_rate").high)
        for _ in range(10):
            await pilot.press("n")
            if screen.experiment.diverged:
                break
        await pilot.pause()
        assert screen.experiment.diverged
        status = str(screen.status.content)
        assert "DIVERGED" in status and "r: reset" in status
        await pilot.press("r")
        assert "DIVERGED" not in str(screen.status.content)


@needs_gradient_descent
async def test_gradient_descent_legend_gives_the_loss_not_its_logarithm() -> None:
    lesson = "gradient-descent"
    app = NNDojoApp(lesson, seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        surface = app.screen.query_one("#surface", Heatmap)
        legend = surface.frame_text()[-1]
        lo, hi = surface.value_range  # log10 of the loss above its minimum
        numbers = legend_numbers(legend)
        assert numbers[:2] == pytest.approx([10**lo, 10**hi], rel=5e-3), legend
        assert "J−Jmin" in legend


async def test_heatmap_legend_format_writes_the_ends_and_survives_a_bad_formatter() -> None:
    heatmap = Heatmap()
    app = One(heatmap)
    async with app.run_test(size=(60, 12)) as pilot:
        data = np.array([[-1.0, 0.0], [1.0, 2.0]])
        heatmap.set_data(data, cmap="sequential", legend_format=lambda v: f"1e{v:g}")
        await pilot.pause()
        legend = heatmap.frame_text()[-1]
        assert legend.startswith("1e-1 ") and " 1e2" in legend

        def broken(v: float) -> str:
            raise OverflowError("too big")

        heatmap.set_data(data, cmap="sequential", legend_format=broken)
        await pilot.pause()
        assert legend_numbers(heatmap.frame_text()[-1])[:2] == [-1.0, 2.0]  # the plain values


# -- the help screen over a heatmap --------------------------------------------------------


def drawn_cells(app: App) -> dict[tuple[int, int], tuple[str, Style]]:
    """What the terminal is sent for the whole screen, the screens under a dialog
    included (as the app draws it): (x, y) -> (character, style)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    cells: dict[tuple[int, int], tuple[str, Style]] = {}
    for y, line in enumerate(update.strips, update.region.y):
        x = update.region.x
        for strip in line:
            for text, style, control in strip:
                if control:
                    continue
                for ch in text:
                    cells[(x, y)] = (ch, style or Style())
                    x += 1
    return cells


def colour_256(color: Any, default: str) -> str:
    """A colour as a 256-colour terminal shows it (its palette number), or ``default``."""
    if color is None:
        return default
    down = color.downgrade(ColorSystem.EIGHT_BIT)
    return str(down.number) if down.number is not None else down.name


def map_cells(app: App, heatmap: Heatmap, outside: Any = None) -> dict[tuple[int, int], tuple[str, str, str]]:
    """The heatmap's map cells (its legend line left out) as a 256-colour terminal shows
    them: (character, foreground, background); cells under ``outside`` (a region) left out."""
    region = heatmap.content_region
    drawn = drawn_cells(app)
    out = {}
    for y in range(region.y, region.y + region.height - 1):
        for x in range(region.x, region.x + region.width):
            if outside is not None and outside.contains(x, y):
                continue
            ch, style = drawn[(x, y)]
            out[(x, y)] = (ch, colour_256(style.color, "fg"), colour_256(style.bgcolor, "bg"))
    return out


@needs_gradient_descent
@pytest.mark.parametrize("size", [(120, 40), (100, 30)])
async def test_help_over_a_heatmap_keeps_its_colours_apart_in_256_colours(size: tuple[int, int], ssh_256) -> None:
    """Issue #10: the help screen dims what is under it; in 256 colours the loss surface
    beside the dialog still shows (nearly) as many distinct colours as without it, and
    cells that differed still differ."""
    from nndojo.screens.help import HelpScreen

    app = NNDojoApp("gradient-descent", seed=0)
    async with app.run_test(size=size) as pilot:
        assert app.console.color_system == "256"
        await pilot.pause()
        await pilot.press("n", "n")
        app.screen.redraw(heavy=True)
        await pilot.pause()
        heatmap = app.screen.query_one(Heatmap)
        app.screen.runner.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        dialog = app.screen.query_one("VerticalScroll").region
        dimmed = map_cells(app, heatmap, outside=dialog)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        plain = map_cells(app, heatmap, outside=dialog)
    assert len(plain) > 100, "the dialog covers the heatmap: nothing to compare"
    colours = {cell[1:] for cell in plain.values()}
    assert len(colours) >= 8, colours
    dim_colours = {cell[1:] for cell in dimmed.values()}
    assert len(dim_colours) >= 0.8 * len(colours), (len(dim_colours), len(colours))
    # cells of different colours stay different (a pair merging is a colour lost)
    pairs = {}
    for where, cell in plain.items():
        pairs.setdefault(cell[1:], set()).add(dimmed[where][1:])
    merged = sum(1 for a in pairs for b in pairs if a < b and pairs[a] & pairs[b])
    assert merged <= 0.1 * len(pairs), (merged, len(pairs))


@needs_gradient_descent
async def test_help_over_a_heatmap_without_colour_keeps_its_glyphs(no_color) -> None:
    """NO_COLOR: under the help screen the map's density glyphs are still drawn as they
    were (the dim is a colour, and there is none)."""
    app = NNDojoApp("gradient-descent", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        app.screen.redraw(heavy=True)
        await pilot.pause()
        heatmap = app.screen.query_one(Heatmap)
        app.screen.runner.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()
        dialog = app.screen.query_one("VerticalScroll").region
        dimmed = {k: v[0] for k, v in map_cells(app, heatmap, outside=dialog).items()}
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        plain = {k: v[0] for k, v in map_cells(app, heatmap, outside=dialog).items()}
    assert len(set(plain.values()) & set(DENSITY_GLYPHS)) >= 3
    assert dimmed == plain


async def test_help_dims_the_screen_only_in_truecolor(monkeypatch) -> None:
    from nndojo.screens.help import HelpScreen

    monkeypatch.delenv("NO_COLOR", raising=False)
    for colorterm, dims in (("truecolor", True), (None, False)):
        if colorterm:
            monkeypatch.setenv("COLORTERM", colorterm)
        else:
            monkeypatch.delenv("COLORTERM", raising=False)
        monkeypatch.setenv("TERM", "xterm-256color")
        app = NNDojoApp()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert app.screen.has_class("-no-dim") is not dims, (colorterm, app.console.color_system)
