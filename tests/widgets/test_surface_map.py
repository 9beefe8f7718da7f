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
