"""SurfaceMap (tui/widgets/surface.py): several paths, each with its current point, and marks."""

import numpy as np

from nndojo.tui.widgets.surface import MARK_GLYPH, SurfaceMap
from widget_app import WidgetApp

SIZE = (40, 12)


async def test_paths_points_marks_and_legend() -> None:
    surface_map = SurfaceMap()
    app = WidgetApp(surface_map)
    async with app.run_test(size=SIZE) as pilot:
        xs = np.linspace(-1, 1, 21)
        surface_map.set_data(xs[None, :] ** 2 + xs[:, None] ** 2, cmap="sequential")
        paths = [np.array([[-1.0, -1.0], [1.0, 1.0]]), np.array([[-1.0, 1.0], [-1.0, -1.0]])]
        surface_map.set_paths(paths, [paths[0][-1], paths[1][-1]], (-1, 1, -1, 1), labels=["SGD", "full"])
        surface_map.set_marks(np.array([[0.0, 0.0]]))
        surface_map.mark_label = "min"
        await pilot.pause()
        lines = surface_map.frame_text()
        # (1, 1) is the top-right corner, (-1, -1) the bottom-left: y grows upwards.
        assert surface_map.point_cells == [(SIZE[0] - 1, 0), (0, SIZE[1] - 2)]
        assert lines[0][-1] == "●" and lines[SIZE[1] - 2][0] == "●"
        assert MARK_GLYPH in "".join(lines[:-1])
        assert "SGD" in lines[-1] and "full" in lines[-1] and "min" in lines[-1]
        surface_map.set_paths(paths, [np.array([5.0, 5.0]), None], (-1, 1, -1, 1))
        await pilot.pause()
        assert surface_map.point_cells == [None, None]


async def test_a_narrow_legend_keeps_every_entry_and_fits_tells_the_truth() -> None:
    """At any width where the map keeps its rows, the legend shows the title, the bar's
    two ends, each path's label and the mark's (on more lines if need be) and the map
    fits; it is not stuck on a legend cut at an earlier size."""
    surface_map = SurfaceMap()
    app = WidgetApp(surface_map)
    async with app.run_test(size=SIZE) as pilot:
        xs = np.linspace(-1, 1, 21)
        surface_map.set_data(xs[None, :] ** 2 + xs[:, None] ** 2, cmap="sequential", title="J−Jmin")
        paths = [np.array([[-1.0, -1.0], [1.0, 1.0]]), np.array([[-1.0, 1.0], [-1.0, -1.0]])]
        surface_map.set_paths(paths, [paths[0][-1], paths[1][-1]], (-1, 1, -1, 1), labels=["SGD", "full"])
        surface_map.set_marks(np.array([[0.0, 0.0]]))
        surface_map.mark_label = "min"
        surface_map.styles.width = 8
        await pilot.pause()
        assert not surface_map.fits()
        for width in (18, 22, 30, 40):
            surface_map.styles.width = width
            await pilot.pause()
            assert surface_map.fits(), width
            legend = " ".join(line.strip() for line in surface_map.frame_text()
                              if not line.strip().startswith(("▀", "▄", "█")) or "J" in line)
            for word in ("J−Jmin", "0", "2", "SGD", "full", "min"):
                assert word in legend, (width, legend)
        surface_map.styles.width, surface_map.styles.height = 12, 5  # no room to break it: one cut line
        await pilot.pause()
        assert not surface_map.fits()
