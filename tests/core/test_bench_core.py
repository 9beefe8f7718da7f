"""The core-speed benchmark compares like with like: each model family's hand-fused NumPy
loop (and the PyTorch one, when torch is installed) does the same math as the ``step()``
of every lesson of that family, from the same weights on the same minibatches, and
refuses cleanly what it does not implement; and the measurement runs. Lessons come
from discovery: a new lesson that declares a family is covered with no change here."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nndojo.bench import core as bench
from nndojo.bench.fused import Unsupported
from nndojo.core import lessons
from nndojo.core.data import DATASETS
from nndojo.core.engine import Splits, SupervisedExperiment
from nndojo.core.experiment import Experiment, HyperParam
from nndojo.core.info import LessonInfo
from nndojo.core.layers import Activation, Dense
from nndojo.core.model import Sequential

COMPARED = [cls.info.key for cls in bench.compared_lessons()]
STEPS = (1, 3, 25)  # 25 CNN steps include two scheduled evaluations


def core_params(exp: Experiment) -> dict[str, np.ndarray]:
    params = getattr(exp, "params", None)
    return params if isinstance(params, dict) else exp.model.params()  # type: ignore[attr-defined]


def tolerance(exp: Experiment) -> float:
    dtypes = {v.dtype for v in core_params(exp).values()}
    return 1e-9 if dtypes == {np.dtype(np.float64)} else 2e-5


def assert_same_run(cls: type[Experiment], other_of: Any, steps: int, **values: Any) -> None:
    """``other_of(fresh experiment)`` ends where the lesson's own step does: the same
    weights, the same last loss and every metric it reports that the lesson records."""
    exp, start = cls(seed=0, **values), cls(seed=0, **values)
    other = other_of(cls(seed=0, **values))
    rtol = tolerance(exp)
    exp.step(steps)
    other.step(steps)
    ref, got = core_params(exp), other.params()
    assert set(got) == set(ref)
    for name, value in got.items():
        value = np.asarray(value)
        assert value.shape == ref[name].shape, name
        scale = float(np.abs(ref[name]).max()) or 1.0
        np.testing.assert_allclose(value, ref[name], rtol=rtol, atol=rtol * scale, err_msg=name)
    moved = [n for n in ref if not np.array_equal(ref[n], core_params(start)[n])]
    assert moved, "no parameter moved: the comparison would prove nothing"
    assert other.loss == pytest.approx(exp.history["loss"].last, rel=rtol, abs=rtol)
    for name, value in getattr(other, "metrics", dict)().items():
        if name in exp.history:
            assert value == pytest.approx(exp.history[name].last, rel=rtol, abs=rtol, nan_ok=True), name


def test_every_declared_family_has_a_fused_and_a_torch_loop() -> None:
    declared = {cls.family for cls in lessons.all_lessons() if cls.family is not None}
    assert declared <= set(bench.FAMILIES)
    assert COMPARED, "no lesson declares a family: the benchmark would compare nothing"


@pytest.mark.parametrize("steps", STEPS)
@pytest.mark.parametrize("key", COMPARED)
def test_fused_loop_is_the_same_math_as_the_lesson_step(key: str, steps: int) -> None:
    cls = lessons.by_key(key)
    assert_same_run(cls, bench.family_of(cls).fused, steps)


def other_settings(cls: type[Experiment]) -> list[tuple[str, Any]]:
    """Every non-default choice of every choice control of the lesson."""
    return [(h.name, c) for h in cls.hyperparams if h.kind == "choice" for c in h.choices if c != h.default]


@pytest.mark.parametrize(
    "key,name,value", [(key, n, v) for key in COMPARED for n, v in other_settings(lessons.by_key(key))]
)
def test_fused_loop_follows_other_settings_or_refuses_them(key: str, name: str, value: Any) -> None:
    """Any setting of the lesson: the fused loop runs the same math, or refuses it
    with a clear error when it is built (never runs other math). One update from the
    same start: in a run that blows up (weight-init's normal(1)) rounding differences
    grow exponentially from the second step on."""
    cls = lessons.by_key(key)
    fused = bench.family_of(cls).fused
    try:
        fused(cls(seed=0, **{name: value}))
    except Unsupported as e:
        assert cls.family in str(e) and "implement" in str(e)
        return
    assert_same_run(cls, fused, 1, **{name: value})


def test_fused_loops_evaluate_on_the_lesson_schedule() -> None:
    scheduled = [key for key in COMPARED if getattr(lessons.by_key(key), "eval_every_epochs", None)]
    assert scheduled
    for key in scheduled:
        cls = lessons.by_key(key)
        exp, fused = cls(seed=0), bench.family_of(cls).fused(cls(seed=0))
        exp.step(40)
        fused.step(40)
        assert fused.last_eval == exp.last_eval  # type: ignore[attr-defined]
        assert fused.converged == exp.converged


@pytest.mark.parametrize("family", sorted(bench.FAMILIES))
def test_a_family_refuses_lessons_of_other_families(family: str) -> None:
    others = [key for key in COMPARED if lessons.by_key(key).family != family]
    for key in others:
        for loop in (bench.FAMILIES[family].fused, bench.FAMILIES[family].torch):
            with pytest.raises(Unsupported, match=family):
                loop(lessons.by_key(key)(seed=0))


def test_fused_loops_refuse_a_started_run_and_unimplemented_settings() -> None:
    for key in COMPARED:
        cls = lessons.by_key(key)
        exp = cls(seed=0)
        exp.step(1)
        with pytest.raises(Unsupported, match="fresh"):
            bench.family_of(cls).fused(exp)
    surface = bench.FAMILIES["surface"].fused
    gd = next(lessons.by_key(k) for k in COMPARED if lessons.by_key(k).family == "surface")
    with pytest.raises(Unsupported, match="quadratic"):
        surface(gd(seed=0, surface="rosenbrock"))
    with pytest.raises(Unsupported, match="gradient descent"):
        surface(gd(seed=0, optimizer="adam"))


@pytest.mark.parametrize("key", COMPARED)
def test_torch_loop_is_the_same_math_as_the_lesson_step(key: str) -> None:
    pytest.importorskip("torch")
    cls = lessons.by_key(key)
    assert_same_run(cls, bench.family_of(cls).torch, 3)


# -- a lesson the benchmark has never seen ---------------------------------------------
TEXT = {"en": "x", "ko": "x"}


class TinyMLP(SupervisedExperiment):
    """A throwaway fourth lesson of family "mlp": Dense(2→16) → relu → Dense(16→2) on the
    circles, with a validation split evaluated (accuracy and loss) every 10 steps."""

    info = LessonInfo(key="bench-tiny-mlp", number=98, title=TEXT, question=TEXT, text=TEXT, finished=False)
    family = "mlp"
    optimizer_name = "momentum"
    record_batch_accuracy = True
    eval_every_steps = 10
    eval_measures = ("accuracy", "loss")
    target_accuracy = 0.99
    hyperparams = (HyperParam("learning_rate", "learning rate", "float", 0.05, low=1e-4, high=1.0, log=True),)

    def _data(self) -> Splits:
        X, y = DATASETS.get("circles")(n=160, seed=self.data_rng)
        return Splits.carve_validation(X, y, 0.25, seed=1)

    def _model(self) -> Sequential:
        return Sequential([Dense(2, 16, rng=self.init_rng), Activation("relu"), Dense(16, 2, rng=self.init_rng)])


def test_a_new_lesson_of_a_family_is_compared_with_no_change_to_the_benchmark(monkeypatch) -> None:
    assert_same_run(TinyMLP, bench.FAMILIES["mlp"].fused, 25)  # 25 steps: two evaluations
    exp, fused = TinyMLP(seed=0), bench.FAMILIES["mlp"].fused(TinyMLP(seed=0))
    exp.step(25)
    fused.step(25)
    assert set(fused.last_eval) == set(exp.last_eval) == {f"{s}_{m}" for s in ("train", "val") for m in ("accuracy", "loss")}
    for name, value in fused.last_eval.items():
        assert value == pytest.approx(exp.last_eval[name], rel=2e-5, abs=2e-5), name

    discovered = lessons.all_lessons()
    monkeypatch.setattr(lessons, "all_lessons", lambda: [*discovered, TinyMLP])
    assert TinyMLP in bench.compared_lessons()
    (row,) = bench.measure_core(0.3, use_torch=False, lessons=[TinyMLP])
    assert row["lesson"] == "bench-tiny-mlp" and row["family"] == "mlp"
    assert row["core"] > 0 and row["fused"] > 0


def test_a_lesson_without_a_family_is_not_compared() -> None:
    class NoFamily(TinyMLP):
        family = None

    with pytest.raises(Unsupported, match="no model family"):
        bench.measure_lesson(NoFamily, 0.1)


# -- measuring -------------------------------------------------------------------------
def test_measure_core_runs_and_reports_sane_numbers() -> None:
    rows = bench.measure_core(1.0)
    assert [r["lesson"] for r in rows] == COMPARED
    for r in rows:
        assert r["family"] == lessons.by_key(r["lesson"]).family
        assert r["core"] > 0 and r["fused"] > 0
        assert r["core_fused"] == pytest.approx(r["core"] / r["fused"])
        assert r["fused_target"] == 0.7 and isinstance(r["fused_pass"], bool)
        assert r["torch_target"] == bench.FAMILIES[r["family"]].torch_target
        if r["torch"] is None:
            assert r["core_torch"] is None and r["torch_pass"] is None and r["torch_note"]
        else:
            assert r["torch"] > 0 and r["core_torch"] == pytest.approx(r["core"] / r["torch"])
    table = bench.format_core(rows)
    assert table.startswith("| family | lesson |")
    for r in rows:
        assert f"| {r['family']} | {r['lesson']} |" in table
        assert f"- {r['family']}: fused = " in table  # what each contender does


def test_measure_without_torch_says_so() -> None:
    rows = bench.measure_core(0.3, use_torch=False, lessons=COMPARED[:1])
    assert rows[0]["torch"] is None and rows[0]["torch_pass"] is None
    assert "not asked" in bench.format_core(rows)
