"""Bounded metric history: O(1) memory however long a run lasts.

Points are stored as (x, y) pairs in fixed arrays. When full, every pair of
neighbouring points is merged into one (x of the later point, mean of y) and the
stride doubles, so the series keeps its whole span at decreasing resolution.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from math import isfinite

import numpy as np


class History:
    def __init__(self, capacity: int = 2048) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError("capacity must be an even number >= 4")
        self.capacity = capacity
        # one slot more than stored: series() puts the partly filled bucket there, so a
        # snapshot costs the same with or without one (no allocation)
        self._x = np.empty(capacity + 1, dtype=np.float64)
        self._y = np.empty(capacity + 1, dtype=np.float64)
        self.clear()

    def clear(self) -> None:
        """Forget every point (the buffers are kept)."""
        self._n = 0
        self._stride = 1  # raw points per stored point
        # the partly filled bucket: the sum and the last x of its points; it holds
        # count - (_full_at - _stride) points (_acc_n) and is full when count reaches _full_at
        self._acc_y = 0.0
        self._acc_x = 0.0
        self._full_at = 1
        self.last: float = float("nan")
        self.count = 0  # raw points ever appended

    @property
    def _acc_n(self) -> int:
        """How many raw points the partly filled bucket holds (0 <= _acc_n < _stride)."""
        return self.count - (self._full_at - self._stride)

    def append(self, x: float, y: float) -> None:
        # the per-step path: while the bucket is not full, four attribute updates
        # (``Histories.record`` inlines this)
        count = self.count = self.count + 1
        self.last = y
        self._acc_x = x
        self._acc_y += y
        if count >= self._full_at:
            self._close_bucket(x)

    def _close_bucket(self, x: float) -> None:
        """The bucket just became full (``_stride`` points): store it as a point (x, mean
        y), first halving the stored points if there is no room (the bucket then fills on
        to the doubled stride)."""
        stride = self._stride
        if self._n == self.capacity:
            half = self.capacity // 2
            cap = self.capacity
            self._x[:half] = self._x[1:cap:2]
            self._y[:half] = 0.5 * (self._y[0:cap:2] + self._y[1:cap:2])
            self._n = half
            self._stride = 2 * stride
            self._full_at += stride
            return
        self._x[self._n] = x
        self._y[self._n] = self._acc_y / stride
        self._n += 1
        self._acc_y = 0.0
        self._full_at = self.count + stride

    def __len__(self) -> int:
        return self._n + (self._acc_n > 0)

    def series(self, max_points: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Copies of (x, y), reduced to at most ``max_points`` (and more than half as
        many) by means of x and y over groups of stored points. A partly filled last
        bucket is included, so the series reaches the newest point.

        The groups hold a power of two of points, counted from the first: as points
        arrive only the last group changes, and when the history merges pairs the
        groups' means stay the same. A live plot of the series then changes only at
        its end, instead of every point shifting a little with every new one (which
        redrew the whole plot, most of the bytes sent over SSH)."""
        n = self._n
        acc_n = self._acc_n
        if acc_n:
            self._x[n] = self._acc_x
            self._y[n] = self._acc_y / acc_n
            n += 1
        x, y = self._x[:n], self._y[:n]
        if max_points is None or n <= max_points:
            return x.copy(), y.copy()
        group = 1 << max(0, math.ceil(math.log2(n / max(int(max_points), 1))))
        edges = np.arange(0, n, group)
        counts = np.diff(np.append(edges, n))
        return np.add.reduceat(x, edges) / counts, np.add.reduceat(y, edges) / counts

    # -- save / resume ----------------------------------------------------------------
    def state_dict(self) -> dict:
        """The exact internal state (stored points, stride, the partly filled bucket), so a
        restored history continues bit for bit. Arrays are copies."""
        return {
            "capacity": self.capacity,
            "x": self._x[: self._n].copy(),
            "y": self._y[: self._n].copy(),
            "stride": self._stride,
            "acc_x": self._acc_x,
            "acc_y": self._acc_y,
            "acc_n": self._acc_n,
            "last": self.last,
            "count": self.count,
        }

    def load_state_dict(self, state: dict) -> None:
        """Restore ``state_dict()``; raises ValueError (and changes nothing) if it does not fit."""
        try:
            capacity, stride, acc_n, count = (state[k] for k in ("capacity", "stride", "acc_n", "count"))
            x, y, acc_x, acc_y, last = (state[k] for k in ("x", "y", "acc_x", "acc_y", "last"))
        except (KeyError, TypeError):
            raise ValueError("history: missing fields") from None
        ints = (capacity, stride, acc_n, count)
        if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in ints):
            raise ValueError("history: counters are not whole numbers")
        if capacity != self.capacity:
            raise ValueError(f"history: capacity {capacity} is not {self.capacity}")
        for name, a in (("x", x), ("y", y)):
            if not isinstance(a, np.ndarray) or a.dtype != np.float64 or a.ndim != 1:
                raise ValueError(f"history: {name} is not a float64 vector")
        n = len(x)
        if len(y) != n or n > capacity:
            raise ValueError("history: x and y lengths do not fit")
        if stride < 1 or stride & (stride - 1) or not 0 <= acc_n < stride or count < 0:
            raise ValueError("history: bad stride or counters")
        for v in (acc_x, acc_y, last):
            if not isinstance(v, (int, float, np.number)) or isinstance(v, bool):
                raise ValueError("history: bad accumulator")
        self._x[:n] = x
        self._y[:n] = y
        self._n = n
        self._stride = int(stride)
        self._acc_x, self._acc_y = acc_x, acc_y
        self.last = last
        self.count = int(count)
        self._full_at = self.count - int(acc_n) + self._stride

    def points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every stored point at full resolution: (x, y, n) where n[i] is how many raw
        points point i is the mean of (the last one may be a partly filled bucket)."""
        x, y = self.series()
        n = np.full(len(x), self._stride, dtype=np.int64)
        if self._acc_n:
            n[-1] = self._acc_n
        return x, y, n


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

    def record(self, x: float, metrics: Mapping[str, float]) -> bool:
        """Append every finite value of ``metrics`` (name -> y) at ``x``: one step's metrics
        in one call. Returns False if a value was not finite (it is then not appended).

        The per-step path: ``History.append`` is inlined (its common case, the bucket not
        yet full), so a step costs no call per metric."""
        ok = True
        series = self._h
        for name, y in metrics.items():
            if not isfinite(y):
                ok = False
                continue
            try:
                h = series[name]
            except KeyError:
                h = series[name] = History(self.capacity)
            count = h.count = h.count + 1
            h.last = y
            h._acc_x = x
            h._acc_y += y
            if count >= h._full_at:
                h._close_bucket(x)
        return ok

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

    def state_dict(self) -> dict:
        """Every series' exact state, in insertion order (see ``History.state_dict``)."""
        return {"capacity": self.capacity, "series": [{"name": n, **h.state_dict()} for n, h in self._h.items()]}

    def load_state_dict(self, state: dict) -> None:
        """Replace every series by the saved ones; raises ValueError (changing nothing) if
        the state does not fit."""
        try:
            capacity, series = state["capacity"], state["series"]
        except (KeyError, TypeError):
            raise ValueError("history: missing fields") from None
        if capacity != self.capacity:
            raise ValueError(f"history: capacity {capacity} is not {self.capacity}")
        if not isinstance(series, list):
            raise ValueError("history: series is not a list")
        restored: dict[str, History] = {}
        for item in series:
            name = item.get("name") if isinstance(item, dict) else None
            if not isinstance(name, str) or name in restored:
                raise ValueError("history: bad or repeated series name")
            h = History(self.capacity)
            h.load_state_dict(item)
            restored[name] = h
        self._h = restored
