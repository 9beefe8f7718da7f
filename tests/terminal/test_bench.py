"""`python -m nndojo.bench` runs: a smoke test of a short pass (no timing asserts: the
numbers are the benchmark's to print, not the suite's to judge)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nndojo.bench.core import not_compared_reason, one_per_family
from nndojo.core.lessons import all_lessons, by_key
from nndojo.screens import menu_infos


def cheapest_lesson() -> str:
    """A menu lesson whose steps are cheap (a 2-parameter surface), found by discovery."""
    keys = [info.key for info in menu_infos()]
    return next((k for k in keys if by_key(k).family == "surface"), keys[0])



@pytest.mark.slow
def test_the_benchmark_runs_and_prints_every_table(tmp_path) -> None:
    out = tmp_path / "bench.json"
    lesson = cheapest_lesson()
    argv = [
        sys.executable, "-m", "nndojo.bench", "--quick", "--lesson", lesson, "--one-per-family", "--no-torch",
        "--only", "core", "--only", "app", "--only", "keys", "--only", "long", "--long-steps", "3000",
        "--json", str(out),
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for heading in ("## core", "## app", "## keys", "## long"):
        assert heading in done.stdout
    results = json.loads(out.read_text())
    # one lesson of each family (the run stays as long as lessons join)
    assert [r["lesson"] for r in results["core"]] == [cls.info.key for cls in one_per_family()]
    for r in results["core"]:
        assert f"| {r['family']} | {r['lesson']} |" in done.stdout
        assert r["torch"] is None and r["torch_note"] == "not asked"  # the torch loops are tested in-process
    for cls in all_lessons():  # a lesson without a family: the table says why
        if cls.family is None:
            assert f"- {cls.info.key}: {not_compared_reason(cls)}" in done.stdout
    assert {r["lesson"] for r in results["app"]} == {lesson}
    assert all(r["steps_per_s"] > 0 and r["headless"] > 0 for r in results["app"])
    assert all(r["missed"] < r.get("presses", 4) for r in results["keys"])
    (long,) = results["long"]
    assert long["lesson"] == lesson
    assert long["long"]["steps"] >= 3000 and long["short"]["steps"] >= 1000  # (+1 per frame drawn)


def test_a_bad_flag_is_a_usage_error() -> None:
    done = subprocess.run([sys.executable, "-m", "nndojo.bench", "--only", "nope"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "invalid choice" in done.stderr
