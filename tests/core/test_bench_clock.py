"""The core benchmark's clock: wall time by default, the measuring thread's CPU time with
``--cpu-time``; the table says which."""

from __future__ import annotations

from nndojo.bench import core as bench


def test_the_core_benchmark_can_time_by_cpu_time() -> None:
    (row,) = bench.measure_core(0.3, use_torch=False, lessons=["one-hot"], clock="cpu")
    assert row["clock"] == "cpu" and row["core"] > 0 and row["fused"] > 0
    assert "CPU time of the measuring thread" in bench.format_core([row])
    (row,) = bench.measure_core(0.3, use_torch=False, lessons=["one-hot"])
    assert row["clock"] == "wall" and "CPU time" not in bench.format_core([row])
