"""Tests for DecisionMap: points where the extent says, classes and train/test told apart in colour and without."""

from __future__ import annotations

import numpy as np
import pytest

from nndojo.tui.widgets import DecisionMap
from nndojo.tui.widgets.decisionmap import CLASS_GLYPHS, CLASS_HATCHES, CLASSES, CONFIDENCE_LEVELS, POINT_BASE, class_levels
from nndojo.tui.widgets.colors import HALF_BLOCK
from textual.app import App, ComposeResult
from widget_app import WidgetApp

SIZE = (40, 13)


def halves(n: int = 21) -> np.ndarray:
    """P(class 1) on [-1, 1]^2: class 0 on the left, class 1 on the right, sure far from x = 0."""
    xs = np.linspace(-1, 1, n)
    return np.tile(1 / (1 + np.exp(-8 * xs)), (n, 1))


TRAIN = (np.array([[-1.0, -1.0], [1.0, 1.0]]), np.array([0, 1]))
TEST = (np.array([[-1.0, 1.0], [1.0, -1.0]]), np.array([0, 1]))


def test_levels_follow_the_winner_and_its_confidence() -> None:
    p = np.array([[[0.5, 0.5], [0.05, 0.95], [0.99, 0.01], [np.nan, 1.0]]])
    assert class_levels(p).tolist() == [[0, CONFIDENCE_LEVELS + CONFIDENCE_LEVELS - 1, CONFIDENCE_LEVELS - 1, CLASSES.nan_index]]


async def test_points_land_where_the_extent_says_with_class_and_split_glyphs() -> None:
    dmap = DecisionMap()
    async with WidgetApp(dmap).run_test(size=SIZE) as pilot:
        dmap.set_data(halves(), extent=(-1, 1, -1, 1), train=TRAIN, test=TEST, class_names=["a", "b"])
        await pilot.pause()
        lines = dmap.frame_text()
        w, rows = SIZE[0], SIZE[1] - 1
        assert lines[rows - 1][0] == CLASS_GLYPHS[0][0] and lines[0][w - 1] == CLASS_GLYPHS[1][0]  # train, filled
        assert lines[0][0] == CLASS_GLYPHS[0][1] and lines[rows - 1][w - 1] == CLASS_GLYPHS[1][1]  # test, hollow
        assert dmap.points_drawn == 4 and dmap.cell_of(1.0, 1.0) == (w - 1, 0)
        # the background: class 0's tints on the left, class 1's on the right, strongest at the edges
        row = dmap._current_frame()[rows // 2]
        cells = [seg for seg in row if seg.text.startswith(HALF_BLOCK)]
        left, right = cells[0].style.color, cells[-1].style.color
        assert left == CLASSES.color(CONFIDENCE_LEVELS - 1) and right == CLASSES.color(2 * CONFIDENCE_LEVELS - 1)
        legend = lines[-1]
        assert "a" in legend and "b" in legend and "train" in legend and "test" in legend


async def test_without_colour_classes_boundary_and_train_test_still_read() -> None:
    dmap = DecisionMap()
    async with WidgetApp(dmap, no_color=True).run_test(size=SIZE) as pilot:
        dmap.set_data(halves(), extent=(-1, 1, -1, 1), train=TRAIN, test=TEST)
        await pilot.pause()
        lines = dmap.frame_text()
        body = "".join(lines[:-1])
        assert HALF_BLOCK not in body
        middle = lines[len(lines) // 2]
        assert middle[1] == CLASS_HATCHES[0] and middle[-2] == CLASS_HATCHES[1]  # a hatch per class
        assert middle[len(middle) // 2] == " "  # the boundary is blank
        glyphs = {lines[0][0], lines[-2][0], lines[0][-1], lines[-2][-1]}
        assert glyphs == {CLASS_GLYPHS[0][0], CLASS_GLYPHS[0][1], CLASS_GLYPHS[1][0], CLASS_GLYPHS[1][1]}
        assert f"{CLASS_HATCHES[0]}{CLASS_GLYPHS[0][0]} 0" in lines[-1]


async def test_binary_map_equals_two_class_map_and_three_classes_work() -> None:
    a, b = DecisionMap(), DecisionMap()

    class Two(App[None]):
        def compose(self) -> ComposeResult:
            yield a
            yield b

    async with Two().run_test(size=(40, 24)) as pilot:
        p = halves()
        a.set_data(p, train=TRAIN)
        b.set_data(np.stack([1 - p, p], axis=-1), train=TRAIN)
        await pilot.pause()
        assert a.frame_text() == b.frame_text() and a._current_frame() == b._current_frame()
        three = np.random.default_rng(0).dirichlet(np.ones(3), size=(8, 8))
        a.set_data(three, train=(np.array([[3.0, 3.0]]), np.array([2])), class_names=["x", "y", "z"])
        await pilot.pause()
        assert CLASS_GLYPHS[2][0] in "".join(a.frame_text()) and "z" in a.frame_text()[-1]


async def test_a_regression_surface_shows_its_values() -> None:
    dmap = DecisionMap()
    async with WidgetApp(dmap).run_test(size=SIZE) as pilot:
        surface = np.linspace(-2.0, 3.0, 100).reshape(10, 10)
        dmap.set_data(surface, values=True, train=(np.array([[0.0, 0.0]]), np.array([1.5])), title="ŷ")
        await pilot.pause()
        legend = dmap.frame_text()[-1]
        assert legend.startswith("ŷ") and "-2" in legend and "3" in legend and "train" in legend
        assert dmap.value_range == (-2.0, 3.0) and dmap.points_drawn == 1


async def test_unchanged_data_builds_no_frame_and_many_points_are_fine() -> None:
    dmap = DecisionMap()
    async with WidgetApp(dmap).run_test(size=SIZE) as pilot:
        points = np.random.default_rng(0).uniform(-1, 1, (1000, 2))
        labels = (points[:, 0] > 0).astype(int)
        dmap.set_data(halves(), extent=(-1, 1, -1, 1), train=(points, labels))
        await pilot.pause()
        built = dmap.frames_built
        dmap.set_data(halves(), extent=(-1, 1, -1, 1), train=(points.copy(), labels.copy()))
        dmap.refresh()
        await pilot.pause()
        assert dmap.frames_built == built
        assert 0 < dmap.points_drawn <= SIZE[0] * (SIZE[1] - 1)


@pytest.mark.parametrize("no_color", [False, True])
async def test_empty_nan_and_any_size_fill_the_widget(no_color: bool) -> None:
    rng = np.random.default_rng(2)
    dmap = DecisionMap(id="map")
    grids = [np.zeros((0, 0)), np.full((4, 4), np.nan), halves(3), rng.dirichlet(np.ones(4), size=(1, 1)), halves()]
    async with WidgetApp(dmap, no_color=no_color).run_test(size=(60, 20)) as pilot:
        for case in range(24):
            dmap.styles.width, dmap.styles.height = int(rng.integers(1, 60)), int(rng.integers(1, 20))
            n = int(rng.choice([0, 1, 50]))
            points = rng.uniform(-2, 2, (n, 2))
            points[: n // 5] = np.nan
            dmap.set_data(grids[case % len(grids)], extent=(-1, 1, -1, 1), train=(points, rng.integers(0, 4, n)), test=(points[::-1], rng.integers(0, 4, n)))
            await pilot.pause()
            frame = dmap._current_frame()
            assert len(frame) == dmap.size.height, case
            assert all(strip.cell_length == dmap.size.width for strip in frame), case
        dmap.styles.width, dmap.styles.height = 40, 10
        dmap.set_data(np.full((4, 4), np.nan))
        await pilot.pause()
        assert "nan/inf" in dmap.frame_text()[-1]
        dmap.set_data(np.zeros((0, 0)))
        await pilot.pause()
        assert "no data" in "".join(dmap.frame_text())


async def test_fits_follows_the_size_and_a_narrow_legend_breaks_over_two_lines() -> None:
    """fits() is true again once the map is wide enough (it is not stuck on a cut legend
    of an earlier size); a legend one line cannot hold goes on two, whole, the map
    keeping the rest; only when even that fails does the map say it does not fit."""
    dmap = DecisionMap()
    async with WidgetApp(dmap).run_test(size=SIZE) as pilot:
        dmap.set_data(halves(), extent=(-1, 1, -1, 1), train=TRAIN, test=TEST, class_names=["0", "1"])
        dmap.styles.width, dmap.styles.height = 6, 12
        await pilot.pause()
        assert not dmap.fits()  # "● train" does not fit 6 columns
        dmap.styles.width = 22
        await pilot.pause()
        assert dmap.fits() and dmap.legend_rows == 2
        lines = dmap.frame_text()
        assert lines[-2].rstrip() == "● 0  ■ 1" and lines[-1].rstrip() == "● train  ○ test"  # classes over points
        assert dmap.cell_of(1.0, -1.0) == (21, 12 - 2 - 1)  # the map ends above the legend
        dmap.styles.width = 25  # "● 0  ■ 1  ● train  ○ test" is 25 cells: one line, no gap counted after it
        await pilot.pause()
        assert dmap.fits() and dmap.legend_rows == 1
        dmap.styles.width, dmap.styles.height = 22, 4  # two legend lines would leave the map two rows
        await pilot.pause()
        assert not dmap.fits() and dmap.legend_rows == 1


def test_the_whole_map_in_one_pass_draws_what_row_by_row_drawing_did() -> None:
    """half_block_rows (the map's fast path) gives the segments that drawing each row's
    background between its points with half_block_segments gave, points and all."""
    from rich.segment import Segment

    from nndojo.tui.widgets.colors import half_block_rows, half_block_segments

    rng = np.random.default_rng(0)
    for _ in range(300):
        rows, width = int(rng.integers(1, 12)), int(rng.integers(1, 40))
        grid = rng.integers(0, 3, size=(2 * rows, width))
        cells = {(int(rng.integers(0, rows)), int(rng.integers(0, width))): ("●", int(rng.integers(0, 4))) for _ in range(int(rng.integers(0, 10)))}
        by_row: dict[int, list[int]] = {}
        for r, c in sorted(cells):
            by_row.setdefault(r, []).append(c)
        expected = []
        for y in range(rows):
            segments: list[Segment] = []
            start = 0
            for col in by_row.get(y, []):
                glyph, color = cells[(y, col)]
                segments += [*half_block_segments(grid[2 * y, start:col], grid[2 * y + 1, start:col], CLASSES),
                             Segment(glyph, CLASSES.style(color, int(grid[2 * y + 1, col])))]
                start = col + 1
            expected.append(segments + half_block_segments(grid[2 * y, start:], grid[2 * y + 1, start:], CLASSES))
        glyphs = {cell: (glyph, CLASSES.style(color, int(grid[2 * cell[0] + 1, cell[1]]))) for cell, (glyph, color) in cells.items()}
        assert half_block_rows(grid, CLASSES, glyphs) == expected
