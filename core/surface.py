"""The loss-surface picture shared by the two-parameter lessons (cost functions, batch
size, normalisation): the loss over a window of the parameter plane as a grid, and the
optimisers' paths over it, kept in fixed-size buffers that save and resume as arrays.
No Textual. The screen side is screens/surface_view.py; it reads the views that
``surface_views`` writes.

A path buffer is two arrays an Experiment keeps as attributes (and lists in its
``state_attrs``): ``points`` (k, capacity, 2) float64 and ``meta`` (k, 3) int64 holding,
per path, the number of points stored, the stride (every stride-th point is stored) and
the points skipped since the last stored one. When a path fills up it is thinned to every
other point and its stride doubles, so it always spans the whole run evenly.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

#: (rows = second parameter from low to high, cols = first parameter from low to high)
GRID_SHAPE = (48, 96)
#: Points kept per path (then thinned to every other point).
PATH_CAPACITY = 512

Extent = tuple[float, float, float, float]


def loss_grid(loss: Callable[[np.ndarray, np.ndarray], np.ndarray], extent: Extent,
              shape: tuple[int, int] = GRID_SHAPE) -> tuple[np.ndarray, float]:
    """The loss at the cell centres of ``extent`` (xmin, xmax, ymin, ymax): a read-only
    (rows, cols) float64 array, rows = y up, cols = x right, from ``loss(xs (1, cols),
    ys (rows, 1))``; and its smallest value."""
    xmin, xmax, ymin, ymax = extent
    rows, cols = shape
    xs = xmin + (np.arange(cols) + 0.5) * (xmax - xmin) / cols
    ys = ymin + (np.arange(rows) + 0.5) * (ymax - ymin) / rows
    grid = np.asarray(loss(xs[None, :], ys[:, None]), dtype=np.float64).reshape(rows, cols)
    grid.flags.writeable = False
    return grid, float(np.min(grid))


def log_above(grid: np.ndarray, floor: float) -> np.ndarray:
    """log10(grid − floor), floored a thousandth of the range above 0: the colours of a
    bowl whose bottom would otherwise be one flat colour (read-only)."""
    above = np.maximum(grid - floor, 0.0)
    top = float(above.max()) if above.size else 0.0
    out = np.log10(above + max(1e-3 * top, 1e-12))
    out.flags.writeable = False
    return out


def new_paths(k: int, capacity: int = PATH_CAPACITY) -> tuple[np.ndarray, np.ndarray]:
    """Empty buffers for ``k`` paths: points (k, capacity, 2) and meta (k, 3) = (stored, stride, skipped)."""
    points = np.zeros((k, capacity, 2))
    meta = np.zeros((k, 3), dtype=np.int64)
    meta[:, 1] = 1
    return points, meta


def record(points: np.ndarray, meta: np.ndarray, i: int, x: float, y: float) -> None:
    """Count the point (x, y) of path ``i``, storing it if it is the stride-th since the last."""
    m = meta[i]
    m[2] += 1
    if m[2] < m[1]:
        return
    m[2] = 0
    n = int(m[0])
    capacity = points.shape[1]
    if n == capacity:
        n = capacity // 2
        points[i, :n] = points[i, ::2]
        m[1] *= 2
    points[i, n, 0] = x
    points[i, n, 1] = y
    m[0] = n + 1


class PathRecorder:
    """``record`` on a lesson's path buffers for the per-step path: the counters held as
    Python ints, so a point that is only counted costs no NumPy indexing. The points and
    the stored count and stride in the arrays stay current; the count of points skipped
    since the last stored one reaches ``meta`` on ``sync()``: call it before the arrays are
    read (views, saving). After the arrays are restored, make a new recorder."""

    def __init__(self, points: np.ndarray, meta: np.ndarray) -> None:
        self.points, self.meta = points, meta
        self.stride = [int(v) for v in meta[:, 1]]
        self.skipped = [int(v) for v in meta[:, 2]]

    def record(self, i: int, x: float, y: float) -> None:
        """``record(points, meta, i, x, y)``."""
        skipped = self.skipped[i] + 1
        if skipped < self.stride[i]:
            self.skipped[i] = skipped
            return
        self.meta[i, 2] = skipped - 1
        record(self.points, self.meta, i, x, y)
        self.stride[i], self.skipped[i] = int(self.meta[i, 1]), int(self.meta[i, 2])

    def sync(self) -> None:
        """Write the skipped counts into ``meta``."""
        self.meta[:, 2] = self.skipped


def path(points: np.ndarray, meta: np.ndarray, i: int, now: np.ndarray | None = None) -> np.ndarray:
    """Path ``i`` as a new (n, 2) array, ending at ``now`` (appended unless it is the last stored point)."""
    stored = points[i, : int(meta[i, 0])]
    if now is None or (len(stored) and np.array_equal(stored[-1], now)):
        return stored.copy()
    return np.vstack((stored, np.asarray(now, dtype=np.float64).reshape(1, 2)))


def paths_fit(points: np.ndarray, meta: np.ndarray) -> bool:
    """Whether restored path buffers are consistent (for a lesson's state check)."""
    return (points.ndim == 3 and points.shape[2] == 2 and meta.shape == (points.shape[0], 3)
            and bool(np.all((meta[:, 0] >= 0) & (meta[:, 0] <= points.shape[1]) & (meta[:, 1] >= 1) & (meta[:, 2] >= 0))))


def surface_views(grid: np.ndarray, floor: float, extent: Extent, paths: Sequence[np.ndarray],
                  points: Sequence[np.ndarray], axes: tuple[str, str],
                  minimum: np.ndarray | None = None) -> dict[str, Any]:
    """The views screens/surface_view.py draws: surface (log10 of the loss above its
    floor, (rows, cols)), surface_extent, surface_paths (a list of (n, 2)),
    surface_points (a list of (2,)), surface_axes, surface_minimum ((2,) or None)."""
    return {
        "surface": grid,
        "surface_extent": tuple(float(v) for v in extent),
        "surface_paths": [np.asarray(p, dtype=np.float64) for p in paths],
        "surface_points": [np.asarray(p, dtype=np.float64).copy() for p in points],
        "surface_axes": axes,
        "surface_minimum": None if minimum is None else np.asarray(minimum, dtype=np.float64).copy(),
        "surface_floor": float(floor),
    }
