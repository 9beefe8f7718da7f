"""The benchmark's key rows while a sweep runs: the app reports its sweep's progress, and
keys are timed while that sweep fills in (no timing asserts)."""

from __future__ import annotations

import pytest

from nndojo.bench.terminal import sweep_key_latency, sweep_lessons


def test_sweep_lessons_are_found_by_their_sweep() -> None:
    assert sweep_lessons(["one-hot", "capacity", "hyperparameters"]) == ["capacity", "hyperparameters"]


@pytest.mark.slow
def test_keys_are_timed_while_the_sweep_runs() -> None:
    rows = sweep_key_latency("capacity", 2)
    assert [r["key"] for r in rows] == ["space (sweep running)", "l (sweep running)"]
    assert all(r["lesson"] == "capacity" and r["missed"] < 2 for r in rows)
    assert sum(r["sweep_points"] for r in rows) > 0  # the sweep advanced while keys were pressed
