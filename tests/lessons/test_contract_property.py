"""Property tests of every lesson's Experiment, built generically from its declaration
(the random side of the contract in test_contract.py).

Every hyperparameter of every lesson found is set to random values inside its declared
range (log-uniformly for log floats, inside the *current* range for ranges that depend
on other values, e.g. the CNN's ``filter`` below ``filters``), by the constructor and by
``set()`` on a live run, and the run steps. Nothing may raise, no NumPy RuntimeWarning
may escape (warnings are errors, NumPy's error state is its default), the snapshot is
finite unless the run says it diverged, and a diverged run stays put until ``reset()``
brings it back.

Deterministic: hypothesis is derandomized and uses no example database.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nndojo.core.experiment import Experiment, HyperParam, HyperParamError
from nndojo.core.lessons import all_lessons
from test_contract import learning_rates, nonfinite, probe, strict_numpy, valid  # tests/lessons/

LESSONS = all_lessons()
LESSON_IDS = [cls.info.key for cls in LESSONS]
POINTS = 64  # series length asked of snapshot(): small, the reduction is not under test

PROPERTY = settings(
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def by_lesson(f):
    return pytest.mark.parametrize("cls", LESSONS, ids=LESSON_IDS)(f)


@pytest.fixture(autouse=True)
def _strict_numpy():
    with strict_numpy():
        yield


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


# -- invariants ------------------------------------------------------------------------


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


# -- the top of the learning-rate range ------------------------------------------------


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


def numeric_choices(cls: type[Experiment]) -> list[HyperParam]:
    return [h for h in cls.hyperparams if h.kind == "choice" and all(type(c) is int for c in h.choices)]


@pytest.mark.parametrize("cls", LESSONS, ids=LESSON_IDS)
def test_choice_values_equal_to_a_choice_are_stored_as_the_choice(cls: type[Experiment]) -> None:
    """5.0, np.float64(5.0) or np.array([5]) for the choice 5 is stored as the choice itself
    (or refused); an unhashable name is refused."""
    for decl in numeric_choices(cls):
        for value in (float(decl.choices[-1]), np.float64(decl.choices[-1]), np.array([decl.choices[-1]])):
            exp = cls(seed=0)
            exp.step(2)
            try:
                exp.set(decl.name, value)
            except HyperParamError:
                continue  # refusing is fine too
            stored = exp.values[decl.name]
            assert any(stored is c for c in decl.choices), f"{decl.name}: stored {stored!r} ({type(stored).__name__})"
            exp.step(20)  # and the run still trains
            check(exp)
    with pytest.raises(HyperParamError):
        cls(seed=0).set([cls.hyperparams[0].name], cls.hyperparams[0].default)  # type: ignore[arg-type]
