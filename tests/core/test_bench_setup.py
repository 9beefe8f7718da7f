"""The benchmark measures a lesson at its own setup (an Experiment's ``bench_values``):
headless and in the app alike, the app reading it from NNDOJO_BENCH_VALUES."""

from __future__ import annotations

import json

from nndojo.bench.terminal import bench_env, bench_values, setups_note
from nndojo.core.lessons.playground import MAX_LAYERS, MAX_WIDTH, Playground
from nndojo.tui import app as tui_app


def test_the_playground_is_measured_at_its_largest_network_and_data() -> None:
    values = bench_values("playground")
    assert values["layers"] == MAX_LAYERS and values["points"] == 1000
    assert all(values[f"width{k}"] == MAX_WIDTH for k in range(1, MAX_LAYERS + 1))
    exp = Playground(seed=0, **values)
    assert exp.neuron_count() == 48 and len(exp.u_train) + len(exp.u_test) == 1000
    assert "playground: layers=6" in setups_note(["playground"])


def test_the_app_starts_the_lesson_at_the_benchmarks_values(monkeypatch) -> None:
    env = bench_env("playground")
    monkeypatch.setenv("NNDOJO_BENCH_VALUES", env["NNDOJO_BENCH_VALUES"])
    monkeypatch.delenv("NNDOJO_BENCH_STATS", raising=False)
    assert tui_app.bench_values("playground") == {}  # only under the benchmark
    monkeypatch.setenv("NNDOJO_BENCH_STATS", "/dev/null")
    assert tui_app.bench_values("playground") == json.loads(env["NNDOJO_BENCH_VALUES"])["playground"]
    assert tui_app.bench_values("cnn") == {}
