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
STEPS = (1, 3, 25)  # checked after 1, 3 and 25 steps: 25 CNN steps include two scheduled evaluations


def core_params(exp: Experiment) -> dict[str, np.ndarray]:
    """The lesson's parameters by name ("<arm>/<layer>.W" when it trains several arms)."""
    params = getattr(exp, "params", None)
    if isinstance(params, dict):
        return params
    arms = getattr(exp, "arms", None)
    if arms is not None and len(arms) > 1:
        return {f"{arm.name}/{k}": v for arm in arms for k, v in arm.model.params().items()}
    return exp.model.params()  # type: ignore[attr-defined]


def tolerance(exp: Experiment) -> float:
    dtypes = {v.dtype for v in core_params(exp).values()}
    return 1e-9 if dtypes == {np.dtype(np.float64)} else 2e-5


def assert_same_run(cls: type[Experiment], other_of: Any, steps: int | tuple[int, ...], **values: Any) -> None:
    """``other_of(fresh experiment)`` ends where the lesson's own step does (after each
    of ``steps`` steps in total): the same weights, the same last loss and every metric
    it reports that the lesson records."""
    exp, start = cls(seed=0, **values), cls(seed=0, **values)
    other = other_of(cls(seed=0, **values))
    done = 0
    for total in (steps,) if isinstance(steps, int) else steps:
        exp.step(total - done)
        other.step(total - done)
        done = total
        assert_same_state(exp, start, other)


def assert_same_state(exp: Experiment, start: Experiment, other: Any) -> None:
    rtol = tolerance(exp)
    ref, got = core_params(exp), other.params()
    assert set(got) == set(ref)
    for name, value in got.items():
        value = np.asarray(value)
        assert value.shape == ref[name].shape, name
        scale = float(np.abs(ref[name]).max()) or 1.0
        np.testing.assert_allclose(value, ref[name], rtol=rtol, atol=rtol * scale, err_msg=name)
    moved = [n for n in ref if not np.array_equal(ref[n], core_params(start)[n])]
    assert moved, "no parameter moved: the comparison would prove nothing"
    if "loss" in exp.history:
        assert other.loss == pytest.approx(exp.history["loss"].last, rel=rtol, abs=rtol)
    metrics = getattr(other, "metrics", dict)()
    recorded = [name for name in metrics if name in exp.history]
    assert recorded or "loss" in exp.history, "no loss compared: the comparison would prove nothing"
    for name in recorded:
        assert metrics[name] == pytest.approx(exp.history[name].last, rel=rtol, abs=rtol, nan_ok=True), name


def test_every_declared_family_has_a_fused_and_a_torch_loop() -> None:
    declared = {cls.family for cls in lessons.all_lessons() if cls.family is not None}
    assert declared <= set(bench.FAMILIES)
    assert COMPARED, "no lesson declares a family: the benchmark would compare nothing"


@pytest.mark.parametrize("key", COMPARED)
def test_fused_loop_is_the_same_math_as_the_lesson_step(key: str) -> None:
    cls = lessons.by_key(key)
    assert_same_run(cls, bench.family_of(cls).fused, STEPS)


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


#: steps the torch loop is compared over (default 3). Dropout: Adam divides each gradient by
#: its own size, and with two classes some hidden units' gradients are the rounding error of
#: p0 + p1 − 1; torch's float32 exp and log round those differently from NumPy's, and a few
#: weights part by about 1e-4 from the third update on (its evaluations still agree: see
#: test_dropout_and_cross_entropy_loops_are_the_lessons_step).
TORCH_STEPS = {"dropout": 1}


@pytest.mark.parametrize("key", COMPARED)
def test_torch_loop_is_the_same_math_as_the_lesson_step(key: str) -> None:
    pytest.importorskip("torch")
    cls = lessons.by_key(key)
    assert_same_run(cls, bench.family_of(cls).torch, TORCH_STEPS.get(key, 3))


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


def test_a_lesson_without_a_family_is_not_compared_and_the_table_says_why(monkeypatch) -> None:
    class NoFamily(TinyMLP):
        family = None

    class Noted(TinyMLP):
        family = None
        bench_note = "closed-form fits: nothing to compare"

    with pytest.raises(Unsupported, match="no model family"):
        bench.measure_lesson(NoFamily, 0.1)
    with pytest.raises(Unsupported, match="closed-form fits"):
        bench.measure_lesson(Noted, 0.1)
    monkeypatch.setattr(lessons, "all_lessons", lambda: [NoFamily, Noted])
    table = bench.format_core([])
    assert "- bench-tiny-mlp: no model family declared" in table
    assert "- bench-tiny-mlp: closed-form fits: nothing to compare" in table


# -- the arms family: several models in lockstep ----------------------------------------
class TinyArms(SupervisedExperiment):
    """A throwaway lockstep lesson of family "arms": two MLPs on the circles' labels, one
    by momentum and one by Adam, with the batch accuracy recorded and a validation split
    evaluated (accuracy and loss) every 10 steps."""

    info = LessonInfo(key="bench-tiny-arms", number=97, title=TEXT, question=TEXT, text=TEXT, finished=False)
    family = "arms"
    record_batch_accuracy = True
    eval_every_steps = 10
    eval_measures = ("accuracy", "loss")
    target_accuracy = 0.99
    hyperparams = (HyperParam("learning_rate", "learning rate", "float", 0.05, low=1e-4, high=1.0, log=True),)

    def _data(self) -> Splits:
        X, y = DATASETS.get("circles")(n=160, seed=self.data_rng)
        return Splits.carve_validation(X, y, 0.25, seed=1)

    def _arms(self) -> list:
        def net(act: str) -> Sequential:
            return Sequential([Dense(2, 12, rng=self.init_rng), Activation(act), Dense(12, 2, rng=self.init_rng)])

        return [self.make_arm("slow", net("tanh"), optimizer="momentum"), self.make_arm("fast", net("sigmoid"), optimizer="adam")]


class TinyOneHotTargets(TinyArms):
    """Two arms on one-hot targets (n, 2): MSE and softmax cross-entropy, the loss evaluated."""

    eval_measures = ("loss",)
    target_accuracy = None
    record_batch_accuracy = False  # the engine's accuracy reads integer labels

    def _data(self) -> Splits:
        X, y = DATASETS.get("circles")(n=120, seed=self.data_rng)
        Y = np.eye(2, dtype=np.float32)[y]
        return Splits(X[:90], Y[:90], X[90:], Y[90:])

    def _arms(self) -> list:
        def net() -> Sequential:
            return Sequential([Dense(2, 8, rng=self.init_rng), Activation("relu"), Dense(8, 2, rng=self.init_rng)])

        return [self.make_arm("mse", net(), loss="mse", optimizer="gd"), self.make_arm("ce", net(), loss="softmax_ce", optimizer="adam")]


class TinyDropout(TinyArms):
    """Two arms from the same start, without and with dropout (two Dropout layers drawing
    from one shared stream), train and validation loss evaluated: lesson 14's shape."""

    record_batch_accuracy = False

    def _arms(self) -> list:
        from nndojo.core.layers import Dropout

        drop_rng = self.rng.spawn(1)[0]

        def net(rate: float) -> Sequential:
            rng = np.random.default_rng(3)  # the same start for both arms
            return Sequential([Dense(2, 16, rng=rng), Activation("relu"), Dropout(rate, rng=drop_rng),
                               Dense(16, 16, rng=rng), Activation("tanh"), Dropout(rate, rng=drop_rng), Dense(16, 2, rng=rng)])

        return [self.make_arm("plain", net(0.0), optimizer="adam"), self.make_arm("dropout", net(0.4), optimizer="adam")]


class TinyLossPair(TinyOneHotTargets):
    """MSE on softmax probabilities against cross-entropy on logits, and MSE on a sigmoid
    output against binary cross-entropy on logits: lesson 15's shapes (one-hot targets)."""

    def _data(self) -> Splits:
        X, y = DATASETS.get("circles")(n=120, seed=self.data_rng)
        Y = np.c_[np.eye(2, dtype=np.float32)[y], y.astype(np.float32)]  # (n, 3): one-hot, then the binary label
        return Splits(X[:90], Y[:90], X[90:], Y[90:])

    def _arms(self) -> list:
        from nndojo.core.layers import Softmax

        def net(last: Any) -> Sequential:
            rng = np.random.default_rng(4)
            return Sequential([Dense(2, 8, rng=rng), Activation("tanh"), Dense(8, 3, rng=rng), *last])

        return [self.make_arm("mse-softmax", net([Softmax()]), loss="mse", optimizer="adam"),
                self.make_arm("mse-sigmoid", net([Activation("sigmoid")]), loss="mse", optimizer="momentum"),
                self.make_arm("bce", net([]), loss="bce", optimizer="gd")]


@pytest.mark.parametrize("lesson", [TinyArms, TinyOneHotTargets, TinyDropout, TinyLossPair],
                         ids=["labels", "one-hot-targets", "dropout", "loss-pairs"])
def test_the_arms_loops_are_the_same_math_for_any_lockstep_lesson(lesson: type[Experiment]) -> None:
    """Losses, batch accuracies, evaluations and weights of every arm, after 1, 3 and 25
    steps (two evaluations), for the fused loop and (when installed) the torch loop."""
    loops = [bench.FAMILIES["arms"].fused]
    try:
        import torch  # noqa: F401

        loops.append(bench.FAMILIES["arms"].torch)
    except ImportError:
        pass
    for loop in loops:
        assert_same_run(lesson, loop, STEPS)
        exp, other = lesson(seed=0), loop(lesson(seed=0))
        exp.step(25)
        other.step(25)
        assert set(other.last_eval) == set(exp.last_eval) and len(exp.last_eval) >= 4
        for name, value in other.last_eval.items():
            assert value == pytest.approx(exp.last_eval[name], rel=2e-5, abs=2e-5), name


@pytest.mark.parametrize("key,values", [
    ("dropout", {}), ("dropout", {"rate": 0.2}),
    ("cross-entropy", {}), ("cross-entropy", {"task": "multi-class", "pairing": "mae"}),
], ids=["dropout", "dropout-0.2", "cross-entropy", "cross-entropy-multi-mae"])
def test_dropout_and_cross_entropy_loops_are_the_lessons_step(key: str, values: dict[str, Any]) -> None:
    """Lessons 14 and 15 in the arms family, each by its own loops: the fused loop ends
    where the lesson's step does (weights, batch metrics, after 1, 3, 25 and 45 steps),
    and its evaluations (dropout: two, each with the loss gaps and the subnetwork
    average; cross-entropy: four accuracies of each arm) are the lesson's; so are the
    torch loop's (its dropout weights within 1e-3 of their scale: see TORCH_STEPS)."""
    cls = lessons.by_key(key)
    assert cls.family == "arms"
    fused = bench.family_of(cls).fused
    assert type(fused(cls(seed=0, **values))).__name__ == {"dropout": "FusedDropoutArms", "cross-entropy": "FusedLossPair"}[key]
    assert_same_run(cls, fused, (1, 3, 25, 45), **values)
    loops = [fused]
    try:
        import torch  # noqa: F401

        loops.append(bench.family_of(cls).torch)
    except ImportError:
        pass
    for loop in loops:
        exp, other = cls(seed=0, **values), loop(cls(seed=0, **values))
        exp.step(45)
        other.step(45)
        assert set(other.last_eval) == set(exp.last_eval) and len(exp.last_eval) >= 4
        if key == "dropout":
            assert {"plain/gap", "dropout/gap", "dropout/ensemble_gap"} <= set(exp.last_eval)
        for name, value in other.last_eval.items():
            assert value == pytest.approx(exp.last_eval[name], rel=2e-5, abs=2e-5), name
        ref = core_params(exp)
        for name, value in other.params().items():
            scale = float(np.abs(ref[name]).max())
            np.testing.assert_allclose(np.asarray(value), ref[name], rtol=0, atol=1e-3 * scale, err_msg=name)


def test_the_arms_loops_refuse_a_step_they_cannot_know() -> None:
    class OwnStep(TinyArms):
        def _train_step(self) -> dict[str, float]:
            return super()._train_step()

    class Declared(OwnStep):
        def lockstep(self) -> dict[str, Any]:
            return {}

    for loop in (bench.FAMILIES["arms"].fused, bench.FAMILIES["arms"].torch):
        with pytest.raises(Unsupported, match="lockstep"):
            loop(OwnStep(seed=0))
    assert_same_run(Declared, bench.FAMILIES["arms"].fused, 3)


# -- measuring -------------------------------------------------------------------------
def test_measure_core_runs_and_reports_sane_numbers() -> None:
    """One lesson of each family (the suite stays as long as lessons join)."""
    chosen = bench.one_per_family()
    assert {cls.family for cls in chosen} == {lessons.by_key(k).family for k in COMPARED}
    rows = bench.measure_core(1.0, lessons=chosen)
    assert [r["lesson"] for r in rows] == [cls.info.key for cls in chosen]
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
