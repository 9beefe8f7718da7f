"""The core-speed benchmark compares like with like: each lesson's hand-fused NumPy loop
(and the PyTorch one, when torch is installed) does the same math as the lesson's own
``step()``, from the same weights on the same minibatches; and the measurement runs."""

import numpy as np
import pytest

from nndojo.bench import core as bench
from nndojo.core.lessons import LESSONS, by_key

KEYS = [cls.info.key for cls in LESSONS]
STEPS = (1, 3, 25)  # 25 CNN steps include two test/train accuracy evaluations


def test_every_lesson_has_a_fused_and_a_torch_loop():
    assert set(KEYS) == set(bench.FUSED) == set(bench.TORCH)


def core_params(exp) -> dict[str, np.ndarray]:
    return exp.params if exp.info.key == "gradient-descent" else exp.model.params()


def assert_same_run(exp, other, steps: int, rtol: float) -> None:
    """``other`` (built from a fresh experiment of the same seed) ends where ``exp`` does."""
    exp.step(steps)
    other.step(steps)
    ref = core_params(exp)
    got = other.params()
    assert set(got) == set(ref)
    for name, value in got.items():
        value = np.asarray(value)
        assert value.shape == ref[name].shape, name
        scale = float(np.abs(ref[name]).max()) or 1.0
        np.testing.assert_allclose(value, ref[name], rtol=rtol, atol=rtol * scale, err_msg=name)
        assert not np.array_equal(ref[name], core_params(by_key(exp.info.key)(seed=0))[name]) or steps == 0, (
            f"{name} did not move: the comparison would prove nothing"
        )
    assert other.loss == pytest.approx(exp.history["loss"].last, rel=rtol, abs=rtol)


@pytest.mark.parametrize("steps", STEPS)
@pytest.mark.parametrize("key", KEYS)
def test_fused_loop_is_the_same_math_as_the_lesson_step(key, steps):
    cls = by_key(key)
    exp = cls(seed=0)
    fused = bench.FUSED[key](cls(seed=0))
    rtol = 1e-9 if key == "gradient-descent" else 2e-5  # float64 vs float32 lessons
    assert_same_run(exp, fused, steps, rtol)
    for name, value in fused.metrics().items():  # every metric the lesson records
        if name in exp.history:
            assert value == pytest.approx(exp.history[name].last, rel=rtol, abs=rtol), name
    if key == "gradient-descent":
        np.testing.assert_allclose(fused.g, exp._grad, rtol=rtol)
        assert fused.trail_len == exp._trail_len
        np.testing.assert_allclose(fused.trail[: fused.trail_len], exp._trail[: exp._trail_len], rtol=rtol)
    if key == "weight-init":
        np.testing.assert_allclose(fused.grad_norms, exp._grad_norms, rtol=rtol)
    if key == "cnn":
        assert fused.samples_seen == exp.samples_seen and fused.next_eval == exp._next_eval


def test_fused_cnn_evaluates_on_the_lesson_schedule():
    cls = by_key("cnn")
    exp, fused = cls(seed=0), bench.FUSED["cnn"](cls(seed=0))
    exp.step(40)
    fused.step(40)
    assert fused.acc_hist.i == exp.history["test_accuracy"].count - 1  # the lesson also records step 0
    assert fused.test_accuracy == exp.test_accuracy
    assert fused.val_accuracy == exp.val_accuracy
    assert fused.train_accuracy == exp.train_accuracy


def test_fused_loops_refuse_other_hyperparameters():
    with pytest.raises(ValueError, match="default"):
        bench.FUSED["cnn"](by_key("cnn")(seed=0, filters=4))


@pytest.mark.parametrize("key", KEYS)
def test_torch_loop_is_the_same_math_as_the_lesson_step(key):
    pytest.importorskip("torch")
    cls = by_key(key)
    exp = cls(seed=0)
    other = bench.TORCH[key](cls(seed=0))
    other.loss = float("nan")
    exp.step(3)
    other.step(3)
    ref = core_params(exp)
    rtol = 1e-9 if key == "gradient-descent" else 2e-5
    for name, value in other.params().items():
        scale = float(np.abs(ref[name]).max()) or 1.0
        np.testing.assert_allclose(value, ref[name], rtol=rtol, atol=rtol * scale, err_msg=name)


def test_measure_core_runs_and_reports_sane_numbers():
    rows = bench.measure_core(1.0)
    assert [r["lesson"] for r in rows] == KEYS
    for r in rows:
        assert r["core"] > 0 and r["fused"] > 0
        assert r["core_fused"] == pytest.approx(r["core"] / r["fused"])
        assert r["fused_target"] == 0.7 and isinstance(r["fused_pass"], bool)
        if r["torch"] is None:
            assert r["core_torch"] is None and r["torch_pass"] is None and r["torch_note"]
        else:
            assert r["torch"] > 0 and r["core_torch"] == pytest.approx(r["core"] / r["torch"])
    table = bench.format_core(rows)
    assert table.startswith("| lesson |")
    for key in KEYS:
        assert f"| {key} |" in table


def test_measure_without_torch_says_so():
    rows = bench.measure_core(0.3, use_torch=False, lessons=["gradient-descent"])
    assert rows[0]["torch"] is None and rows[0]["torch_pass"] is None
    assert "not asked" in bench.format_core(rows)
