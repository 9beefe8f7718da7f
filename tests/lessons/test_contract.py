"""The contract every lesson's Experiment keeps, generated from its declarations.

Every lesson found by ``nndojo.core.lessons.all_lessons()`` (no list of lessons here)
is held to the same promises, each checked from its ``info`` and ``hyperparams`` alone:

- its texts exist in English and Korean;
- the same seed and values give the same run, bit for bit (on one machine), and
  ``reset()`` gives it again;
- a bad value (out of range, wrong type, NaN/inf, unknown choice or name) raises
  HyperParamError and changes nothing;
- a ``needs_reset`` change restarts the run at step 0 (the run a fresh Experiment with
  those values makes); a live change keeps the step count and takes effect;
- no writeable array is reachable from ``snapshot().views``, and a snapshot does not
  change as training goes on;
- a blow-up (NaN written into the parameters, or the top learning rate) is a state, not
  an exception: ``step`` raises nothing, the snapshot says diverged, the run stays put,
  ``reset()`` recovers;
- save and resume continue bit for bit, for scenarios generated from the declarations:
  the defaults, each live control changed mid-run (with a small history, so it
  decimates), and a diverged run.

Each contract is a function of an Experiment class (``CONTRACTS``, and
``resume_contract`` with ``scenarios``), so a test can hold a lesson that is not in
the package to the same contract (tests/lessons/test_new_lesson.py does).
"""

from __future__ import annotations

import math
import struct
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FunctionType, MappingProxyType
from typing import Any

import numpy as np
import pytest

from nndojo.core import session
from nndojo.core.experiment import Experiment, HyperParam, HyperParamError
from nndojo.core.history import History
from nndojo.core.layers import Layer
from nndojo.core.lessons import all_lessons

LESSONS = all_lessons()
IDS = [cls.info.key for cls in LESSONS]
LANGS = ("en", "ko")
POINTS = 64  # series length asked of snapshot(): the reduction is not under test here
#: Steps before a live change, after it, and after a resume: together past the first
#: scheduled evaluation of a lesson that evaluates every quarter epoch.
BEFORE, BETWEEN, AFTER = 8, 8, 16
SMALL_HISTORY = 8  # a history this small decimates within the scenario's steps


@contextmanager
def strict_numpy() -> Iterator[None]:
    """Warnings are errors and NumPy reports over/invalid/divide as by default: a
    RuntimeWarning that escapes the Experiment's own ``np.errstate`` fails the test."""
    old = np.seterr(divide="warn", over="warn", under="ignore", invalid="warn")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield
    finally:
        np.seterr(**old)


# -- deep comparison ---------------------------------------------------------------------
# Conventions of a lesson's attributes that are not state: an attribute whose name holds
# "cache" is scratch (rebuilt on demand); a buffer ``X`` with an int attribute ``X_len``
# is in use up to that length only. Layers' and losses' "_" attributes and Dropout's mask
# are per-step scratch (every step writes them before reading them).


def _float_bits(x: float) -> bytes:
    return struct.pack("<d", x)


def assert_same(a: Any, b: Any, where: str = "exp", _seen: set[tuple[int, int]] | None = None) -> None:
    """Assert that two object graphs are identical, bit for bit (NaN payloads included)."""
    seen = set() if _seen is None else _seen
    if a is b and not isinstance(a, (list, dict)):
        return
    key = (id(a), id(b))
    if key in seen:
        return
    seen.add(key)
    assert type(a) is type(b), f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, f"{where}: {a.dtype}{a.shape} vs {b.dtype}{b.shape}"
        assert a.tobytes() == b.tobytes(), f"{where}: arrays differ"
    elif isinstance(a, np.generic):
        assert a.tobytes() == b.tobytes(), f"{where}: {a!r} vs {b!r}"
    elif isinstance(a, float):
        assert _float_bits(a) == _float_bits(b) or (math.isnan(a) and math.isnan(b)), f"{where}: {a!r} vs {b!r}"
    elif isinstance(a, (bool, int, str, bytes, type(None))):
        assert a == b, f"{where}: {a!r} vs {b!r}"
    elif isinstance(a, np.random.Generator):
        assert a.bit_generator.state == b.bit_generator.state, f"{where}: random streams differ"
    elif isinstance(a, np.random.SeedSequence):
        assert (a.entropy, a.spawn_key, a.n_children_spawned) == (b.entropy, b.spawn_key, b.n_children_spawned), where
    elif isinstance(a, History):
        assert_same(a.state_dict(), b.state_dict(), where, seen)
    elif isinstance(a, (dict, MappingProxyType)):
        assert list(a) == list(b), f"{where}: keys {list(a)} vs {list(b)}"
        for k in a:
            assert_same(a[k], b[k], f"{where}[{k!r}]", seen)
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), f"{where}: lengths {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{where}[{i}]", seen)
    elif isinstance(a, (FunctionType, type)):
        assert a is b or a.__qualname__ == b.__qualname__, where
    elif hasattr(a, "__dict__"):
        va, vb = vars(a), vars(b)
        if isinstance(a, Layer) or type(a).__module__.endswith(".losses"):
            va, vb = ({k: v for k, v in d.items() if not (k.startswith("_") or k == "mask")} for d in (va, vb))
        if isinstance(a, Experiment):
            va, vb = ({k: v for k, v in d.items() if "cache" not in k} for d in (va, vb))
        assert set(va) == set(vb), f"{where}: attributes {sorted(set(va) ^ set(vb))}"
        for k in sorted(va):
            used = va.get(f"{k}_len")
            if isinstance(a, Experiment) and isinstance(va[k], np.ndarray) and isinstance(used, int):
                assert_same(va[k][:used], vb[k][:used], f"{where}.{k}[:{used}]", seen)
            else:
                assert_same(va[k], vb[k], f"{where}.{k}", seen)
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


def drawn(exp: Experiment) -> dict[str, Any]:
    """What the screen would draw, as plain dicts."""
    snap = exp.snapshot(POINTS)
    fields = ("step", "epoch", "diverged", "converged", "values", "metrics", "last", "views", "seed", "message")
    return {f: getattr(snap, f) for f in fields}


def assert_same_run(a: Experiment, b: Experiment) -> None:
    """Everything: the object graphs, the saved state and what the screen would draw."""
    assert a.step_count == b.step_count, f"step {a.step_count} vs {b.step_count}"
    assert_same(a, b)
    assert_same(a.state_dict(), b.state_dict(), "state")
    assert_same(drawn(a), drawn(b), "snapshot")


def differs(a: Any, b: Any) -> bool:
    try:
        assert_same(a, b)
    except AssertionError:
        return True
    return False


def copy_tree(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, Mapping):
        return {k: copy_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [copy_tree(v) for v in value]
    return value


def writeable_arrays(value: Any, path: str = "views") -> list[str]:
    """Paths of the writeable arrays reachable from ``value`` (maps, lists, tuples)."""
    if isinstance(value, np.ndarray):
        return [path] if value.flags.writeable else []
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in writeable_arrays(v, f"{path}[{k!r}]")]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in writeable_arrays(v, f"{path}[{i}]")]
    return []


def nonfinite(value: Any, path: str = "views") -> list[str]:
    """Paths of the non-finite numbers inside ``value`` (arrays, floats, maps, lists)."""
    if isinstance(value, np.ndarray):
        return [path] if value.dtype.kind in "fc" and not np.all(np.isfinite(value)) else []
    if isinstance(value, (float, np.floating)):
        return [] if math.isfinite(value) else [path]
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in nonfinite(v, f"{path}[{k!r}]")]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in nonfinite(v, f"{path}[{i}]")]
    return []


# -- values, from the declarations alone -------------------------------------------------


def probe(cls: type[Experiment], values: Mapping[str, Any] | None = None) -> Experiment:
    """An unbuilt instance holding ``values`` (else the defaults): enough to ask
    ``hyperparam(name)`` for the ranges those values imply, without building a model."""
    exp = cls.__new__(cls)
    exp._decl = {h.name: h for h in cls.hyperparams}
    exp.values = {h.name: h.default for h in cls.hyperparams} | dict(values or {})
    return exp


def other_value(decl: HyperParam, value: Any) -> Any:
    """A valid value other than ``value``, one key press away (None if there is none)."""
    for direction in (+1, -1):
        new = decl.nudge(value, direction)
        if new != value:
            return new
    return None


def valid(decl: HyperParam, value: Any) -> bool:
    try:
        decl.validate(value)
    except HyperParamError:
        return False
    return True


def bad_values(decl: HyperParam) -> list[Any]:
    """Values ``decl`` must refuse as it stands now."""
    common = [None, object(), [decl.default], {"v": decl.default}]
    if decl.kind == "choice":
        return [*common, "no such choice", f" {decl.choices[0]}", -12345]
    if decl.kind == "bool":
        return [*common, "maybe", 2, 0.5]
    assert decl.low is not None and decl.high is not None, f"{decl.name}: a numeric control needs a range"
    span = decl.high - decl.low
    out = [
        *common,
        float("nan"), float("inf"), float("-inf"), np.nan, np.float32("inf"),
        "nan", "inf", "-inf", "1e400", "abc", "", True, False, 1j,
        decl.low - max(span, 1.0), decl.high + max(span, 1.0),
        -1e300, 1e300, np.float64(decl.high) * 10 + 1,
    ]  # fmt: skip
    if decl.kind == "int":
        out += [decl.low + 0.5, "1.5", decl.low - 1, decl.high + 1]
    else:
        out += [math.nextafter(decl.high, math.inf), math.nextafter(decl.low, -math.inf)]
    return out


def expect_refused(exp: Experiment, name: Any, value: Any) -> None:
    before = exp.state_dict()
    with pytest.raises(HyperParamError):
        exp.set(name, value)
    assert_same(before, exp.state_dict(), f"state after set({name!r}, {value!r})")


def learning_rates(cls: type[Experiment]) -> list[HyperParam]:
    return [h for h in cls.hyperparams if h.kind == "float" and "learning" in h.name]


def poison(exp: Experiment) -> None:
    """Write NaN into every parameter (every float array of the saved models, else of the
    lesson's own saved state), through the public save/restore seam."""
    state = exp.state_dict()
    hit = 0

    def fill(tree: Any) -> None:
        nonlocal hit
        if isinstance(tree, np.ndarray) and tree.dtype.kind == "f":
            tree[...] = np.nan
            hit += 1
        elif isinstance(tree, Mapping):
            for v in tree.values():
                fill(v)
        elif isinstance(tree, list):
            for v in tree:
                fill(v)

    for group in state["models"].values():
        for layer in group:
            fill(layer["params"])
    if not hit:
        fill(state["extra"])
    assert hit, f"{exp.info.key}: no parameter array to write NaN into"
    exp.load_state_dict(state)


# -- the contracts ---------------------------------------------------------------------


def texts_contract(cls: type[Experiment]) -> None:
    """A title, a question, a text and a claim, each in English and Korean."""
    info = cls.info
    assert isinstance(info.number, int) and info.number >= 0  # 0: the playground
    for field in ("title", "question", "text", "claim"):
        texts = getattr(info, field)
        for lang in LANGS:
            assert isinstance(texts.get(lang), str) and texts[lang].strip(), f"{info.key}: no {lang} {field}"


def declarations_contract(cls: type[Experiment]) -> None:
    """Every control is declared completely: a unique name, a label, a valid default, a
    range for numbers, choices for a choice; constructing with the defaults works."""
    names = [h.name for h in cls.hyperparams]
    assert names and len(set(names)) == len(names), names
    for decl in cls.hyperparams:
        assert decl.label and decl.help, f"{decl.name}: a control needs a label and a help line"
        if decl.kind in ("int", "float"):
            assert decl.low is not None and decl.high is not None and decl.low < decl.high, decl.name
        if decl.kind == "choice":
            assert len(decl.choices) >= 2, decl.name
    exp = cls(seed=0)
    assert exp.values == {h.name: h.default for h in cls.hyperparams}
    assert exp.step_count == 0 and not exp.diverged


def scripted_run(cls: type[Experiment], seed: int) -> Experiment:
    """A few steps, every live control moved one press, a few more steps."""
    exp = cls(seed=seed)
    exp.step(3)
    for decl in exp.current_hyperparams():
        if not decl.needs_reset:
            value = other_value(decl, exp.values[decl.name])
            if value is not None:
                exp.set(decl.name, value)
    exp.step(5)
    return exp


def same_seed_contract(cls: type[Experiment]) -> None:
    """The same seed and the same changes give the same run, bit for bit; ``reset()``
    gives the run a fresh Experiment with the current values makes."""
    a, b = scripted_run(cls, 7), scripted_run(cls, 7)
    assert_same_run(a, b)
    a.reset()
    a.step(6)
    fresh = cls(seed=7, **a.values)
    fresh.step(6)
    assert_same_run(a, fresh)


def bad_values_contract(cls: type[Experiment]) -> None:
    """Bad values and names raise HyperParamError and change nothing, on a live run and in
    the constructor; the run then goes on as if it had never seen them."""
    exp = cls(seed=3)
    exp.step(4)
    for decl in exp.current_hyperparams():
        for value in bad_values(decl):
            expect_refused(exp, decl.name, value)
            with pytest.raises(HyperParamError):
                cls(seed=0, **{decl.name: value})
    first = cls.hyperparams[0]
    for name in ["nope", "", first.name.upper(), f" {first.name}", f"{first.name} ", None, 0, 1.5, ("a",)]:
        expect_refused(exp, name, first.default)
    with pytest.raises(HyperParamError):
        cls(seed=0, nope=1)
    exp.step(2)
    twin = cls(seed=3)
    twin.step(6)
    assert_same_run(exp, twin)


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


def dependent_ranges_contract(cls: type[Experiment]) -> None:
    """A range that depends on another value is enforced whatever the argument order, and
    narrowing it keeps the dependent value inside."""
    for narrowed, other, v, excluded in dependent_ranges(cls):
        with pytest.raises(HyperParamError):
            cls(seed=0, **{other: v, narrowed: excluded})
        with pytest.raises(HyperParamError):
            cls(seed=0, **{narrowed: excluded, other: v})
        exp = cls(seed=0, **{other: v})
        expect_refused(exp, narrowed, excluded)
        exp.set(other, probe(cls).hyperparam(other).default)
        if valid(exp.hyperparam(narrowed), excluded):
            exp.set(narrowed, excluded)
            exp.set(other, v)
            assert valid(exp.hyperparam(narrowed), exp.values[narrowed])


def live_and_reset_contract(cls: type[Experiment]) -> None:
    """Each control, moved one press on a run under way: a ``needs_reset`` one restarts
    at step 0 with the run a fresh Experiment with the new values makes; a live one keeps
    the step count and changes what the run shows or does next."""
    steps = 5
    for decl in cls.hyperparams:
        exp = cls(seed=5)
        exp.step(steps)
        value = other_value(exp.hyperparam(decl.name), exp.values[decl.name])
        if value is None:
            continue
        twin = cls(seed=5)
        twin.step(steps)
        reset = exp.set(decl.name, value)
        assert exp.values[decl.name] == value
        if decl.needs_reset:
            assert reset is True, f"{decl.name} needs a reset, but set() did not reset"
            assert exp.step_count == 0 and not exp.diverged
            fresh = cls(seed=5, **exp.values)
            assert_same_run(exp, fresh)
        else:
            assert reset is False, f"{decl.name} is live, but set() reset the run"
            assert exp.step_count == steps
            exp.step(3)
            twin.step(3)
            assert exp.step_count == twin.step_count == steps + 3
            ours, theirs = exp.state_dict(), twin.state_dict()
            del ours["values"], theirs["values"]
            shown = {k: v for k, v in drawn(exp).items() if k != "values"}
            shown_twin = {k: v for k, v in drawn(twin).items() if k != "values"}
            assert differs(ours, theirs) or differs(shown, shown_twin), (
                f"{decl.name} {exp.values[decl.name]!r}: a live change that changes nothing"
            )


def views_contract(cls: type[Experiment]) -> None:
    """No writeable array is reachable from the views, and a snapshot stays as it was
    while the run trains on, changes a live value or resets."""
    exp = cls(seed=0)
    exp.step(3)
    snap = exp.snapshot(POINTS)
    assert not writeable_arrays(dict(snap.views)), writeable_arrays(dict(snap.views))
    with pytest.raises(TypeError):
        snap.views["x"] = 1  # type: ignore[index]
    kept = copy_tree({"views": dict(snap.views), "metrics": dict(snap.metrics), "last": dict(snap.last)})
    exp.step(3)
    exp.snapshot(POINTS)
    for decl in exp.current_hyperparams():
        if not decl.needs_reset and (value := other_value(decl, exp.values[decl.name])) is not None:
            exp.set(decl.name, value)
    exp.snapshot(POINTS)
    exp.step(2)
    exp.reset()
    exp.step(1)
    exp.snapshot(POINTS)
    now = copy_tree({"views": dict(snap.views), "metrics": dict(snap.metrics), "last": dict(snap.last)})
    assert_same(kept, now, "old snapshot")


def check_diverged_stays_put_and_resets(exp: Experiment) -> None:
    snap = exp.snapshot(POINTS)
    assert snap.diverged and "diverged" in snap.message, snap.message
    assert not writeable_arrays(dict(snap.views))
    before = exp.state_dict()
    exp.step(3)
    assert_same(before, exp.state_dict(), "a diverged run that stepped")
    seed, values = exp.seed, dict(exp.values)
    exp.reset()
    assert not exp.diverged and exp.step_count == 0 and exp.seed == seed and not exp.message.startswith("diverged")
    fresh = type(exp)(seed=seed, **values)
    assert_same_run(exp, fresh)
    exp.step(2)
    assert not exp.diverged and exp.step_count == 2
    again = exp.snapshot(POINTS)
    assert all(math.isfinite(v) for v in again.last.values()), dict(again.last)


def blow_up_contract(cls: type[Experiment]) -> None:
    """NaN written into the parameters: the next step raises nothing and no NumPy warning
    escapes, the run stops there and says it diverged, stays put, and reset recovers."""
    with strict_numpy():
        exp = cls(seed=0)
        exp.step(2)
        poison(exp)
        exp.step(5)
        assert exp.diverged, f"{cls.info.key}: NaN parameters, yet the run did not diverge"
        assert exp.step_count == 3, "a run goes no further than the step that diverged"
        check_diverged_stays_put_and_resets(exp)


def top_learning_rate_contract(cls: type[Experiment]) -> None:
    """At the top of each learning rate's range (from the start, and set live on a run
    under way) the run trains or diverges with a message; never raises."""
    with strict_numpy():
        for decl in learning_rates(cls):
            for exp in (cls(seed=0, **{decl.name: decl.high}), cls(seed=1)):
                if exp.values[decl.name] != decl.high:
                    exp.step(5)
                    exp.set(decl.name, decl.high)
                exp.step(60)
                if exp.diverged:
                    assert exp.message.startswith("diverged") and "step" in exp.message, exp.message
                    check_diverged_stays_put_and_resets(exp)
                else:
                    snap = exp.snapshot(POINTS)
                    assert all(math.isfinite(v) for v in snap.last.values()), dict(snap.last)
                    assert not nonfinite(dict(snap.views)), nonfinite(dict(snap.views))


CONTRACTS: list[Callable[[type[Experiment]], None]] = [
    texts_contract,
    declarations_contract,
    same_seed_contract,
    bad_values_contract,
    dependent_ranges_contract,
    live_and_reset_contract,
    views_contract,
    blow_up_contract,
    top_learning_rate_contract,
]


# -- save and resume, scenarios generated from the declarations --------------------------


@dataclass(frozen=True)
class Scenario:
    """A run to save part way and resume: ``live`` changes after BEFORE steps; ``poison``
    makes it diverge before the save; ``small_history`` makes the history decimate."""

    name: str
    seed: int
    live: tuple[tuple[str, Any], ...] = ()
    poison: bool = False
    small_history: bool = False


def scenarios(cls: type[Experiment]) -> list[Scenario]:
    """The defaults, each live control changed mid-run, and a diverged run."""
    out = [Scenario("defaults", 0)]
    defaults = probe(cls)
    for i, decl in enumerate(cls.hyperparams):
        if decl.needs_reset:
            continue
        value = other_value(defaults.hyperparam(decl.name), decl.default)
        if value is not None:
            out.append(Scenario(f"live-{decl.name}", i + 1, ((decl.name, value),), small_history=True))
    out.append(Scenario("diverged", 2, poison=True))
    return out


@contextmanager
def history_capacity(cls: type[Experiment], capacity: int | None) -> Iterator[None]:
    """The lesson's history capacity set to ``capacity`` (None: as declared)."""
    if capacity is None:
        yield
        return
    own = "history_capacity" in vars(cls)
    old = vars(cls).get("history_capacity")
    cls.history_capacity = capacity
    try:
        yield
    finally:
        if own:
            cls.history_capacity = old
        else:
            del cls.history_capacity


def play(cls: type[Experiment], s: Scenario) -> Experiment:
    """The scenario up to the moment of saving."""
    exp = cls(seed=s.seed)
    exp.step(BEFORE)
    for name, value in s.live:
        assert exp.set(name, value) is False, f"{name} is live, yet set() reset the run"
    exp.step(BETWEEN)
    if s.poison:
        poison(exp)
        exp.step(1)
        assert exp.diverged
    return exp


def resume_contract(cls: type[Experiment], s: Scenario, directory: Path) -> None:
    """Saved part way and resumed into a new object, the run is identical and continues
    bit for bit like one that never stopped; it saves again to the same state."""
    with history_capacity(cls, SMALL_HISTORY if s.small_history else None):
        a = play(cls, s)
        path = session.save(a, directory / f"{cls.info.key}-{s.name}.npz")
        resumed = session.load(path, expected_lesson=cls.info.key)
        assert resumed is not a and type(resumed) is type(a)
        assert_same_run(a, resumed)
        if s.poison:
            assert resumed.diverged and "diverged" in resumed.message
        resumed.step(AFTER)
        b = play(cls, s)
        b.step(AFTER)
        assert_same_run(b, resumed)
        if s.small_history:
            assert any(b.history[n]._stride > 1 for n in b.history.names()), "the history never decimated"
        again = session.load(session.save(resumed, directory / "again.npz"))
        assert_same_run(b, again)


def every_contract(cls: type[Experiment], directory: Path) -> None:
    """Every contract and every generated resume scenario, for one Experiment class."""
    for contract in CONTRACTS:
        contract(cls)
    for s in scenarios(cls):
        resume_contract(cls, s, directory)


# -- the tests: every contract for every lesson found ------------------------------------


def test_lessons_are_found() -> None:
    assert LESSONS, "no lesson found in nndojo.core.lessons"
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c.__name__.removesuffix("_contract") for c in CONTRACTS])
@pytest.mark.parametrize("cls", LESSONS, ids=IDS)
def test_contract(cls: type[Experiment], contract: Callable[[type[Experiment]], None]) -> None:
    contract(cls)


RESUME_CASES = [pytest.param(cls, s, id=f"{cls.info.key}-{s.name}") for cls in LESSONS for s in scenarios(cls)]


@pytest.mark.parametrize("cls, scenario", RESUME_CASES)
def test_resume_is_bit_for_bit(cls: type[Experiment], scenario: Scenario, tmp_path: Path) -> None:
    resume_contract(cls, scenario, tmp_path)


@pytest.mark.parametrize("cls", LESSONS, ids=IDS)
def test_scenarios_cover_every_live_control_and_a_diverged_run(cls: type[Experiment]) -> None:
    names = {s.name for s in scenarios(cls)}
    live = {f"live-{h.name}" for h in cls.hyperparams if not h.needs_reset}
    assert {"defaults", "diverged"} | live == names
