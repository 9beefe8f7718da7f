"""A sweep: one setting swept over a list of values, a result recorded per value.

A lesson owns a ``Sweep`` and advances it from its ``_train_step`` by a bounded amount
of work (``advance(budget)``: at most ``budget`` work units, e.g. minibatch updates),
so a step stays short and the screen responsive while the result fills in point by
point. What a point is, the lesson says with three callbacks (``SweepWork``):

- ``start(index, value)``: prepare point ``index`` (build a fresh small model, or set a
  shared model's learning rate to ``value``);
- ``train(index, value, units)``: do ``units`` units of work on it;
- ``finish(index, value) -> {metric: value}``: measure the trained point.

Two kinds of sweep fit this: many small models, one per value (a capacity U-curve), and
one model whose setting follows the values (an LR range test: one update per value).

Save / resume: the sweep's progress is ``state`` (a dict: current point, units done in
it, results so far), which a lesson lists in its ``state_attrs`` as is (restored in
place, so the alias stays valid). Work that lives between ``start`` and ``finish``
(a point's model part way) is the lesson's to save: keep it in attributes the generic
save captures (a ``Sequential``, an ``Optimizer``, a ``Generator`` built in ``_build``),
or make points short enough to end within one advance. Per-point random streams come
from ``point_rng(seed, stream, index)``, so a point's result depends on the seed and
its index only, not on when (or after which resume) it ran.
"""

from __future__ import annotations

import math
from typing import Any, Protocol, Sequence

import numpy as np


class SweepWork(Protocol):
    """What a sweep's points do (see the module docstring)."""

    def start(self, index: int, value: float) -> None: ...

    def train(self, index: int, value: float, units: int) -> None: ...

    def finish(self, index: int, value: float) -> dict[str, float]: ...


def point_rng(seed: int, stream: int, index: int) -> np.random.Generator:
    """A random stream for point ``index`` of sweep ``stream`` under ``seed``: the same
    for the same three numbers, independent of every other point's."""
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(stream, index)))


class Sweep:
    """``values`` (the swept setting, in order) and the ``metrics`` each point records;
    every point takes ``units_per_point`` units of work (at least 1).

    ``results``: (len(values), len(metrics)) float64, NaN until a point is finished.
    ``stop()`` ends the sweep early (an LR range test stops once the loss blows up).
    """

    def __init__(self, values: Sequence[float] | np.ndarray, metrics: Sequence[str], units_per_point: int = 1) -> None:
        self.values = np.asarray(values, dtype=np.float64).copy()
        self.values.setflags(write=False)
        if self.values.ndim != 1 or len(self.values) == 0:
            raise ValueError("a sweep needs a non-empty list of values")
        if units_per_point < 1:
            raise ValueError("a point takes at least one unit of work")
        self.metrics = tuple(metrics)
        self.units_per_point = int(units_per_point)
        #: the progress, saved and restored as one dict: "index" of the current point,
        #: "units" done in it, "results" so far, "stopped" early or not
        self.state: dict[str, Any] = {
            "index": 0,
            "units": 0,
            "results": np.full((len(self.values), len(self.metrics)), np.nan),
            "stopped": False,
        }

    # -- progress --------------------------------------------------------------------
    @property
    def index(self) -> int:
        """The point being trained (len(values) once every point is done)."""
        return int(self.state["index"])

    @property
    def done(self) -> bool:
        return bool(self.state["stopped"]) or self.index >= len(self.values)

    @property
    def finished_points(self) -> int:
        """How many points have a result."""
        return min(self.index, len(self.values))

    @property
    def progress(self) -> float:
        """Fraction of the work done, 0 to 1 (1 once stopped)."""
        if self.done:
            return 1.0
        total = len(self.values) * self.units_per_point
        return (self.index * self.units_per_point + int(self.state["units"])) / total

    def stop(self) -> None:
        """End the sweep now: points not finished keep NaN."""
        self.state["stopped"] = True

    def advance(self, work: SweepWork, budget: int) -> int:
        """Do at most ``budget`` units of work, starting, training and finishing points as
        they come; returns the units done (0 once the sweep is done)."""
        state = self.state
        used = 0
        while used < budget and not self.done:
            i = int(state["index"])
            value = float(self.values[i])
            if state["units"] == 0:
                work.start(i, value)
            n = min(budget - used, self.units_per_point - int(state["units"]))
            work.train(i, value, n)
            used += n
            state["units"] = int(state["units"]) + n
            if state["units"] >= self.units_per_point:
                measured = work.finish(i, value)
                state["results"][i] = [measured.get(m, math.nan) for m in self.metrics]
                state["index"] = i + 1
                state["units"] = 0
        return used

    # -- reading -----------------------------------------------------------------------
    def column(self, metric: str) -> np.ndarray:
        """The results of ``metric`` for every point (a copy; NaN where not finished)."""
        return np.array(self.state["results"][:, self.metrics.index(metric)], copy=True)

    def curve(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        """(values, results) of the finished points with a finite ``metric`` (copies)."""
        y = self.column(metric)
        keep = np.isfinite(y)
        return self.values[keep].copy(), y[keep]
