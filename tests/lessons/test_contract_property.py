"""Property tests of every lesson's Experiment, built generically from its declaration.

Every hyperparameter of every lesson in ``LESSONS`` is set to random values inside its
declared range (log-uniformly for log floats, inside the *current* range for ranges
that depend on other values, e.g. the CNN's ``filter`` below ``filters``), by the
constructor and by ``set()`` on a live run, and the run steps. Nothing may raise, no
NumPy RuntimeWarning may escape (warnings are errors, NumPy's error state is its
default), the snapshot is finite unless the run says it diverged, a diverged run stays
put until ``reset()`` brings it back, and every bad value or name raises
HyperParamError and changes nothing.

Deterministic: hypothesis is derandomized and uses no example database.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nndojo.core.experiment import Experiment, HyperParam, HyperParamError
from nndojo.core.lessons import LESSONS

LESSON_IDS = [cls.info.key for cls in LESSONS]
POINTS = 64  # series length asked of snapshot(): small, the reduction is not under test

PROPERTY = settings(
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def by_lesson(f):
    return pytest.mark.parametrize("cls", LESSONS, ids=LESSON_IDS)(f)


@pytest.fixture(autouse=True)
def strict_numpy():
    """Warnings are errors and NumPy reports over/invalid/divide as it does by default,
    so a RuntimeWarning that escapes the Experiment's own np.errstate fails the test."""
    old = np.seterr(divide="warn", over="warn", under="ignore", invalid="warn")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    np.seterr(**old)


# -- strategies, from the declarations alone -----------------------------------------


def value_strategy(decl: HyperParam) -> st.SearchStrategy[Any]:
    """Any valid value of ``decl`` (its range as it stands), ends of the range included."""
    if decl.kind == "choice":
        return st.sampled_from(decl.choices)
    if decl.kind == "bool":
        return st.booleans()
    assert decl.low is not None and decl.high is not None, f"{decl.name}: a numeric control needs a range"
    if decl.kind == "int":
        return st.integers(math.ceil(decl.low), math.floor(decl.high))
    ends = st.sampled_from([decl.low, decl.high])
    if decl.log:
        lo, hi = math.log(decl.low), math.log(decl.high)
        inside = st.floats(lo, hi).map(lambda t: min(max(math.exp(t), decl.low), decl.high))
    else:
        inside = st.floats(decl.low, decl.high, allow_nan=False, allow_infinity=False)
    return st.one_of(ends, inside)


def probe(cls: type[Experiment], values: Mapping[str, Any]) -> Experiment:
    """An unbuilt instance holding ``values``: enough to ask ``hyperparam(name)`` for
    the ranges those values imply, without building a model."""
    exp = cls.__new__(cls)
    exp._decl = {h.name: h for h in cls.hyperparams}
    exp.values = {h.name: h.default for h in cls.hyperparams} | dict(values)
    return exp


def draw_values(data: st.DataObject, cls: type[Experiment]) -> dict[str, Any]:
    """Random constructor keyword arguments (some parameters left at their defaults),
    consistent with the ranges they imply for each other, in a random order."""
    chosen: dict[str, Any] = {}
    names = [h.name for h in cls.hyperparams]
    for name in names:
        if data.draw(st.booleans(), label=f"give {name}"):
            chosen[name] = data.draw(value_strategy(probe(cls, chosen).hyperparam(name)), label=name)
    # A range may depend on a value drawn after it: redraw what the others now exclude.
    for _ in range(len(names)):
        exp = probe(cls, chosen)
        bad = [n for n in chosen if not valid(exp.hyperparam(n), chosen[n])]
        if not bad:
            break
        for n in bad:
            chosen[n] = data.draw(value_strategy(exp.hyperparam(n)), label=f"{n} again")
    order = data.draw(st.permutations(list(chosen)), label="order")
    return {n: chosen[n] for n in order}


def valid(decl: HyperParam, value: Any) -> bool:
    try:
        decl.validate(value)
    except HyperParamError:
        return False
    return True


# -- invariants ------------------------------------------------------------------------


def nonfinite(obj: Any, path: str = "") -> list[str]:
    """Paths of every non-finite number inside a view (arrays, floats, nested maps/lists)."""
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc" and not np.all(np.isfinite(obj)):
            return [path]
        return []
    if isinstance(obj, (float, np.floating)):
        return [] if math.isfinite(obj) else [path]
    if isinstance(obj, Mapping):
        return [p for k, v in obj.items() for p in nonfinite(v, f"{path}.{k}")]
    if isinstance(obj, (list, tuple)):
        return [p for i, v in enumerate(obj) for p in nonfinite(v, f"{path}[{i}]")]
    return []


def state(exp: Experiment) -> tuple:
    """Everything a failed ``set`` must leave as it was."""
    return (
        dict(exp.values),
        exp.step_count,
        exp.seed,
        exp.diverged,
        exp.converged,
        exp.epoch,
        [(name, a.copy()) for name, a in exp.inspect()],
        {n: exp.history[n].last for n in exp.history.names()},
    )


def same_state(a: tuple, b: tuple) -> bool:
    *head_a, params_a, last_a = a
    *head_b, params_b, last_b = b
    return (
        head_a == head_b
        and [n for n, _ in params_a] == [n for n, _ in params_b]
        and all(np.array_equal(x, y, equal_nan=True) for (_, x), (_, y) in zip(params_a, params_b))
        and last_a.keys() == last_b.keys()
        and all(last_a[k] == last_b[k] or (math.isnan(last_a[k]) and math.isnan(last_b[k])) for k in last_a)
    )


def check(exp: Experiment) -> None:
    """The snapshot agrees with the run and is finite unless the run diverged; a
    diverged run does not move until reset, and reset recovers it."""
    snap = exp.snapshot(POINTS)
    assert snap.step == exp.step_count and dict(snap.values) == exp.values
    for decl in snap.hyperparams:  # every value inside the range in force now
        assert decl.validate(snap.values[decl.name]) == snap.values[decl.name]
    for name, (x, y) in snap.metrics.items():
        assert x.shape == y.shape and x.size <= 2 * POINTS + 2, name
    if not snap.diverged:
        assert all(math.isfinite(v) for v in snap.last.values()), dict(snap.last)
        assert all(np.all(np.isfinite(y)) for _, y in snap.metrics.values())
        assert not nonfinite(dict(snap.views)), nonfinite(dict(snap.views))
        return
    assert snap.message and "diverged" in snap.message, snap.message
    before = state(exp)
    exp.step(3)
    assert same_state(state(exp), before), "a diverged run must not step"
    seed = exp.seed
    exp.reset()
    assert not exp.diverged and exp.step_count == 0 and exp.seed == seed and not exp.message.startswith("diverged")
    again = exp.snapshot(POINTS)
    assert not again.diverged and all(math.isfinite(v) for v in again.last.values())


# -- random valid values ---------------------------------------------------------------


@by_lesson
@PROPERTY
@given(data=st.data())
def test_construct_with_random_values_and_step(cls: type[Experiment], data: st.DataObject) -> None:
    kwargs = draw_values(data, cls)
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    exp = cls(seed=seed, **kwargs)
    for name, value in kwargs.items():
        assert exp.values[name] == value
    check(exp)
    exp.step(data.draw(st.integers(1, 12), label="steps"))
    check(exp)


@by_lesson
@PROPERTY
@given(data=st.data())
def test_set_random_values_on_a_live_run(cls: type[Experiment], data: st.DataObject) -> None:
    exp = cls(seed=data.draw(st.integers(0, 1000), label="seed"))
    names = [h.name for h in cls.hyperparams]
    exp.step(data.draw(st.integers(0, 3), label="warm-up"))
    for _ in range(data.draw(st.integers(1, 6), label="changes")):
        name = data.draw(st.sampled_from(names), label="name")
        value = data.draw(value_strategy(exp.hyperparam(name)), label=name)
        old, steps = exp.values[name], exp.step_count
        reset = exp.set(name, value)
        assert exp.values[name] == value
        assert reset == (exp.hyperparam(name).needs_reset and value != old)
        if reset:
            assert exp.step_count == 0 and not exp.diverged
        else:
            assert exp.step_count == steps
        check(exp)
        exp.step(data.draw(st.integers(0, 6), label="steps"))
        check(exp)


@by_lesson
def test_same_seed_and_values_give_the_same_run(cls: type[Experiment]) -> None:
    """Bit for bit, also after live changes (the property tests rely on it to shrink)."""
    runs = []
    for _ in range(2):
        exp = cls(seed=7)
        exp.step(3)
        for decl in exp.current_hyperparams():
            if not decl.needs_reset:
                exp.set(decl.name, decl.nudge(exp.values[decl.name], +1))
        exp.step(5)
        runs.append(state(exp))
    assert same_state(*runs)


# -- bad values and names --------------------------------------------------------------


def bad_values(decl: HyperParam) -> list[Any]:
    """Values ``decl`` must refuse as it stands now."""
    common = [None, object(), [decl.default], {"v": decl.default}]
    if decl.kind == "choice":
        return [*common, "no such choice", f" {decl.choices[0]}", -12345]
    if decl.kind == "bool":
        return [*common, "maybe", 2, 0.5]
    span = decl.high - decl.low
    out = [
        *common,
        float("nan"), float("inf"), float("-inf"), np.nan, np.float32("inf"),
        "nan", "inf", "-inf", "1e400", "abc", "", True, False, 1j,
        decl.low - max(span, 1.0), decl.high + max(span, 1.0),
        -1e300, 1e300, np.float64(decl.high) * 10 + 1,
    ]
    if decl.kind == "int":
        out += [decl.low + 0.5, "1.5", decl.low - 1, decl.high + 1]
    else:
        out += [math.nextafter(decl.high, math.inf), math.nextafter(decl.low, -math.inf)]
    return out


def expect_refused(exp: Experiment, name: Any, value: Any) -> None:
    before = state(exp)
    with pytest.raises(HyperParamError):
        exp.set(name, value)
    assert same_state(state(exp), before), f"set({name!r}, {value!r}) changed the run"


@by_lesson
def test_bad_values_raise_and_change_nothing(cls: type[Experiment]) -> None:
    exp = cls(seed=3)
    exp.step(4)
    for decl in exp.current_hyperparams():
        for value in bad_values(decl):
            expect_refused(exp, decl.name, value)
    # The run still steps and is the same run as one that never saw the bad values.
    exp.step(2)
    twin = cls(seed=3)
    twin.step(6)
    assert same_state(state(exp), state(twin))


@by_lesson
def test_unknown_names_raise_and_change_nothing(cls: type[Experiment]) -> None:
    exp = cls(seed=1)
    exp.step(2)
    first = cls.hyperparams[0].name
    for name in ["nope", "", first.upper(), f" {first}", f"{first} ", None, 0, 1.5, ("a",)]:
        expect_refused(exp, name, cls.hyperparams[0].default)
    with pytest.raises(HyperParamError):
        cls(seed=0, nope=1)


@by_lesson
@PROPERTY
@given(data=st.data())
def test_bad_constructor_values_raise(cls: type[Experiment], data: st.DataObject) -> None:
    decl = data.draw(st.sampled_from(cls.hyperparams), label="param")
    value = data.draw(st.sampled_from(bad_values(decl)), label="bad value")
    with pytest.raises(HyperParamError):
        cls(seed=0, **{decl.name: value})


def dependent_ranges(cls: type[Experiment]) -> list[tuple[str, str, Any, Any]]:
    """(narrowed, other, value of other, a value of narrowed it then excludes), found
    generically: set one parameter to each end of its range and see which ranges shrink."""
    found = []
    for other in cls.hyperparams:
        if other.kind not in ("int", "choice"):
            continue
        candidates = other.choices if other.kind == "choice" else (other.low, other.high)
        for v in candidates:
            exp = probe(cls, {other.name: v})
            for decl in cls.hyperparams:
                now = exp.hyperparam(decl.name)
                if decl.name != other.name and now.high is not None and decl.high is not None and now.high < decl.high:
                    found.append((decl.name, other.name, v, now.high + 1 if decl.kind == "int" else decl.high))
    return found


@by_lesson
def test_dependent_ranges_are_enforced_in_any_order(cls: type[Experiment]) -> None:
    deps = dependent_ranges(cls)
    if not deps:
        pytest.skip(f"{cls.info.key}: no range depends on another value")
    for narrowed, other, v, excluded in deps:
        with pytest.raises(HyperParamError):
            cls(seed=0, **{other: v, narrowed: excluded})
        with pytest.raises(HyperParamError):
            cls(seed=0, **{narrowed: excluded, other: v})
        exp = cls(seed=0, **{other: v})
        expect_refused(exp, narrowed, excluded)
        # Widening the other value back makes the excluded value legal again.
        exp.set(other, probe(cls, {}).hyperparam(other).default)
        if valid(exp.hyperparam(narrowed), excluded):
            exp.set(narrowed, excluded)
            # ...and narrowing again keeps the dependent value inside its new range.
            exp.set(other, v)
            assert valid(exp.hyperparam(narrowed), exp.values[narrowed])
            check(exp)


# -- the top of the learning-rate range ------------------------------------------------


def learning_rates(cls: type[Experiment]) -> list[HyperParam]:
    return [h for h in cls.hyperparams if h.kind == "float" and "learning" in h.name]


TOP_LR_CASES = [
    pytest.param(cls, decl.name, id=f"{cls.info.key}-{decl.name}")
    for cls in LESSONS
    for decl in learning_rates(cls)
]


@pytest.mark.parametrize("cls, name", TOP_LR_CASES)
@pytest.mark.parametrize("seed", [0, 1])
def test_top_learning_rate_trains_or_diverges_with_a_message(cls: type[Experiment], name: str, seed: int) -> None:
    """At the defaults of everything else; the next test varies the rest."""
    decl = cls.hyperparams[[h.name for h in cls.hyperparams].index(name)]
    exp = cls(seed=seed, **{name: decl.high})
    steps = 60
    for _ in range(steps):
        exp.step()
    if exp.diverged:
        assert exp.message.startswith("diverged") and "step" in exp.message
        assert exp.step_count <= steps
    else:
        assert exp.step_count == steps
        assert all(math.isfinite(v) for v in exp.snapshot(POINTS).last.values())
    check(exp)
    # The same learning rate set live, on a run already under way, behaves the same way.
    live = cls(seed=seed)
    live.step(5)
    live.set(name, decl.high)
    live.step(steps)
    check(live)


@by_lesson
@PROPERTY
@given(data=st.data())
def test_top_learning_rate_with_random_settings(cls: type[Experiment], data: st.DataObject) -> None:
    lrs = learning_rates(cls)
    if not lrs:
        return
    kwargs = draw_values(data, cls)
    for decl in lrs:
        kwargs[decl.name] = decl.high
    exp = cls(seed=data.draw(st.integers(0, 100), label="seed"), **kwargs)
    exp.step(30)
    assert exp.diverged or exp.step_count == 30
    check(exp)


# -- findings that need a change in core/experiment.py ----------------------------------


@pytest.mark.parametrize(
    "lesson, name, value",
    [
        ("cnn", "kernel_size", 5.0),
        ("cnn", "kernel_size", np.float64(5.0)),
        ("cnn", "batch_size", 64.0),
        ("cnn", "batch_size", np.array([64])),
        ("cnn", ["filters"], 3),
    ],
    ids=["float-for-int-choice-reset", "np-float-choice", "float-for-int-choice-live", "array-choice", "unhashable-name"],
)
def test_choice_values_equal_to_a_choice_are_stored_as_the_choice(lesson: str, name: Any, value: Any) -> None:
    cls = next(c for c in LESSONS if c.info.key == lesson)
    exp = cls(seed=0)
    exp.step(2)
    try:
        exp.set(name, value)
    except HyperParamError:
        return  # refusing is fine too
    stored = exp.values[name]
    decl = exp.hyperparam(name)
    assert any(stored is c for c in decl.choices), f"stored {stored!r} ({type(stored).__name__}), not the choice itself"
    exp.step(20)  # and the run still trains
    check(exp)
