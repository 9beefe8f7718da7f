"""The linear family of the core benchmark (lessons 2, 5 and 7: two weights fitted to
data): its fused loop ends where the lesson's own step does over long runs (path
thinning, epoch boundaries, the MAE's kinks, the tolerance reached), path included, and
refuses what it does not implement. The one-update and default-setting checks of every
family are in test_bench_core.py."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nndojo.bench import core as bench
from nndojo.bench.fused import FusedBatchArms, FusedCostFit, FusedLinear, FusedNormalized, Unsupported
from nndojo.core.lessons import by_key

RUNS = [
    ("cost-functions", {}, FusedCostFit),
    ("cost-functions", {"loss": "mae", "learning_rate": 0.5, "w": -1.0, "b": 2.0}, FusedCostFit),
    ("cost-functions", {"loss": "huber", "outliers": "on", "delta": 0.5}, FusedCostFit),
    ("batch-size", {}, FusedBatchArms),
    ("batch-size", {"batch": 32, "learning_rate": 0.2}, FusedBatchArms),
    ("normalization", {}, FusedNormalized),
    ("normalization", {"normalization": "z-score"}, FusedNormalized),
]


@pytest.mark.parametrize("key,values,loop", RUNS, ids=[f"{k}-{'-'.join(map(str, v.values())) or 'default'}" for k, v, _ in RUNS])
def test_the_fused_loop_follows_the_lesson_over_a_long_run(key: str, values: dict[str, Any], loop: type) -> None:
    """600 steps in chunks (the path buffer fills at 512 and is thinned), seed 3: the same
    weights, metrics and stored path points (relative 1e-9: float64 both)."""
    cls = by_key(key)
    exp, fused = cls(seed=3, **values), FusedLinear(cls(seed=3, **values))
    assert type(fused) is loop and bench.family_of(cls).name == "linear"
    for n in (1, 99, 500):
        exp.step(n)
        fused.step(n)
    assert exp.step_count == 600 and not exp.diverged
    np.testing.assert_allclose(fused.params()["p"], exp.params["p"], rtol=1e-9, atol=1e-12)
    for name, value in fused.metrics().items():
        assert value == pytest.approx(exp.history[name].last, rel=1e-9, abs=1e-12), name
    exp.snapshot()  # brings the lesson's path counters into its arrays
    assert fused.paths.stored == exp._path_meta[:, 0].tolist()
    assert fused.paths.stride == exp._path_meta[:, 1].tolist() and max(fused.paths.stride) > 1
    assert fused.paths.skipped == exp._path_meta[:, 2].tolist()
    np.testing.assert_allclose(fused.paths.points, exp._path_points, rtol=1e-9, atol=1e-12)
    if key == "normalization":
        assert fused.converged_at == exp.converged_at and fused.converged == exp.converged


def test_the_batch_arms_cross_epochs_in_the_lessons_order() -> None:
    """200 steps at B = 8: SGD crosses three epochs, the mini-batch 25 (a new order each)."""
    cls = by_key("batch-size")
    exp, fused = cls(seed=1), FusedLinear(cls(seed=1))
    exp.step(200)
    fused.step(200)
    assert fused.cursor == exp._cursor.tolist() == [[3, 8], [25, 0], [200, 0]]
    np.testing.assert_array_equal(fused.orders, exp._orders)
    np.testing.assert_allclose(fused.params()["p"], exp.params["p"], rtol=1e-9)


def test_the_linear_family_refuses_other_lessons_and_the_two_basins() -> None:
    with pytest.raises(Unsupported, match="linear family"):
        FusedLinear(by_key("gradient-descent")(seed=0))
    with pytest.raises(Unsupported, match="two-basin"):
        FusedLinear(by_key("batch-size")(seed=0, surface="two-basins"))
    started = by_key("normalization")(seed=0)
    started.step(1)
    with pytest.raises(Unsupported, match="fresh"):
        FusedLinear(started)
