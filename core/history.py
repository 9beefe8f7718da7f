"""Bounded metric history: O(1) memory however long a run lasts.

Points are stored as (x, y) pairs in fixed arrays. When full, every pair of
neighbouring points is merged into one (x of the later point, mean of y) and the
stride doubles, so the series keeps its whole span at decreasing resolution.
"""

from __future__ import annotations

import numpy as np


class History:
    def __init__(self, capacity: int = 2048) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError("capacity must be an even number >= 4")
        self.capacity = capacity
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self._n = 0
        self._stride = 1  # raw points per stored point
        self._acc_y = 0.0
        self._acc_n = 0
        self._acc_x = 0.0
        self.last: float = float("nan")
        self.count = 0  # raw points ever appended

    def append(self, x: float, y: float) -> None:
        self.count += 1
        self.last = y
        self._acc_y += y
        self._acc_n += 1
        self._acc_x = x
        if self._acc_n < self._stride:
            return
        if self._n == self.capacity:
            half = self.capacity // 2
            self._x[:half] = self._x[1::2]
            self._y[:half] = 0.5 * (self._y[0::2] + self._y[1::2])
            self._n = half
            self._stride *= 2
            if self._acc_n < self._stride:
                return
        self._x[self._n] = x
        self._y[self._n] = self._acc_y / self._acc_n
        self._n += 1
        self._acc_y = 0.0
        self._acc_n = 0

    def __len__(self) -> int:
        return self._n + (self._acc_n > 0)

    def series(self, max_points: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Copies of (x, y), reduced to at most ``max_points`` by bucket means of x and y.
        A partly filled last bucket is included, so the series reaches the newest point."""
        x, y = self._x[: self._n], self._y[: self._n]
        if self._acc_n:
            x = np.append(x, self._acc_x)
            y = np.append(y, self._acc_y / self._acc_n)
        n = len(x)
        if max_points is None or n <= max_points:
            return x.copy(), y.copy()
        edges = np.linspace(0, n, max_points + 1).astype(int)
        counts = np.diff(edges)
        xs = np.add.reduceat(x, edges[:-1]) / counts
        ys = np.add.reduceat(y, edges[:-1]) / counts
        return xs, ys

    def clear(self) -> None:
        self.__init__(self.capacity)


class Histories:
    """Named histories sharing one capacity."""

    def __init__(self, names: list[str] | tuple[str, ...] = (), capacity: int = 2048) -> None:
        self.capacity = capacity
        self._h: dict[str, History] = {n: History(capacity) for n in names}

    def append(self, name: str, x: float, y: float) -> None:
        h = self._h.get(name)
        if h is None:
            h = self._h[name] = History(self.capacity)
        h.append(x, y)

    def __getitem__(self, name: str) -> History:
        return self._h[name]

    def __contains__(self, name: str) -> bool:
        return name in self._h

    def names(self) -> list[str]:
        return list(self._h)

    def series(self, max_points: int | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {n: h.series(max_points) for n, h in self._h.items()}

    def clear(self) -> None:
        for h in self._h.values():
            h.clear()
