"""`python -m nndojo.bench` runs: a smoke test of a short pass (no timing asserts: the
numbers are the benchmark's to print, not the suite's to judge)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_the_benchmark_runs_and_prints_every_table(tmp_path) -> None:
    out = tmp_path / "bench.json"
    argv = [
        sys.executable, "-m", "nndojo.bench", "--quick", "--lesson", "gradient-descent",
        "--only", "core", "--only", "app", "--only", "keys", "--only", "long", "--long-steps", "3000",
        "--json", str(out),
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for heading in ("## core", "## app", "## keys", "## long"):
        assert heading in done.stdout
    results = json.loads(out.read_text())
    assert {r["lesson"] for r in results["app"]} == {"gradient-descent"}
    assert all(r["steps_per_s"] > 0 and r["headless"] > 0 for r in results["app"])
    assert all(r["missed"] < r.get("presses", 4) for r in results["keys"])
    (long,) = results["long"]
    assert long["long"]["steps"] >= 3000 and long["short"]["steps"] >= 1000  # (+1 per frame drawn)


def test_a_bad_flag_is_a_usage_error() -> None:
    done = subprocess.run([sys.executable, "-m", "nndojo.bench", "--only", "nope"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "invalid choice" in done.stderr
