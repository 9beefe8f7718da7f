"""The one seam between a lesson's math and its screen: ``Experiment``.

An Experiment owns its models, data, optimiser, RNG and metric history. The UI knows
it only through ``hyperparams`` (a declaration it turns into controls), ``set``,
``step``, ``reset`` and ``snapshot``. A diverging run (NaN/inf) is a state reported by
the snapshot, never an exception.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Mapping

import numpy as np

from .history import Histories
from .info import LessonInfo  # noqa: F401  (re-exported: lessons import it from here)
from .layers import Layer
from .model import Sequential
from .optim import Optimizer

if TYPE_CHECKING:
    from .questions import Question
    from .compare import Figure


def _same_choice(value: Any, choice: Any) -> bool:
    """``value`` names ``choice``: equal numbers (5.0 is the choice 5, but True is not 1),
    or the same type and equal (an array equal to a choice is not that choice)."""
    if isinstance(value, bool) or isinstance(choice, bool):
        return isinstance(value, bool) and isinstance(choice, bool) and value == choice
    if isinstance(value, numbers.Real) and isinstance(choice, numbers.Real):
        return float(value) == float(choice)
    return type(value) is type(choice) and value == choice


class HyperParamError(ValueError):
    """A hyperparameter value that is unknown, of the wrong type or out of range."""


class StateError(ValueError):
    """A saved state (``Experiment.state_dict``) that does not fit this experiment."""


@dataclass(frozen=True)
class HyperParam:
    """The declaration of one live control.

    kind: "float", "int", "choice" or "bool". ``log`` floats move by a factor
    (``factor``) per key press, linear ones by ``step``. ``needs_reset`` means a change
    rebuilds the experiment (same seed); otherwise it takes effect on the next step.
    """

    name: str
    label: str
    kind: str
    default: Any
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()
    log: bool = False
    step: float | None = None
    factor: float = 2.0
    needs_reset: bool = False
    help: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("float", "int", "choice", "bool"):
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.kind == "float" and not self.log and self.step is None and (self.low is None or self.high is None):
            raise ValueError(f"{self.name}: a linear float needs a step, or a range to take a twentieth of")
        self.validate(self.default)

    def validate(self, value: Any) -> Any:
        """Return ``value`` coerced to this parameter's type, or raise HyperParamError."""
        label = self.label or self.name
        if self.kind == "choice":
            for choice in self.choices:
                if _same_choice(value, choice):
                    return choice  # the declared object: 5.0 -> 5
            raise HyperParamError(f"{label}: {value!r} is not one of {', '.join(map(str, self.choices))}")
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("on", "off", "true", "false", "1", "0", "yes", "no"):
                return value.lower() in ("on", "true", "1", "yes")
            raise HyperParamError(f"{label}: expected on/off, got {value!r}")
        try:
            if isinstance(value, bool):
                raise TypeError
            number = float(value)
        except (TypeError, ValueError):
            raise HyperParamError(f"{label}: expected a number, got {value!r}") from None
        if not math.isfinite(number):
            raise HyperParamError(f"{label}: {value!r} is not a finite number")
        if self.kind == "int":
            if number != int(number):
                raise HyperParamError(f"{label}: expected a whole number, got {value!r}")
            number = int(number)
        if (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
            raise HyperParamError(f"{label}: {value!r} is out of range [{self.format(self.low)}, {self.format(self.high)}]")
        return number

    def nudge(self, value: Any, direction: int) -> Any:
        """The next value one key press up (+1) or down (-1), clamped to the range."""
        if self.kind == "choice":
            i = self.choices.index(value) if value in self.choices else 0
            return self.choices[(i + direction) % len(self.choices)]
        if self.kind == "bool":
            return not value
        if self.log:
            new = value * (self.factor if direction > 0 else 1.0 / self.factor)
            new = float(f"{new:.3g}")
        else:
            if self.step is not None:
                step = self.step
            elif self.kind == "int":
                step = 1
            else:
                assert self.low is not None and self.high is not None  # see __post_init__
                step = (self.high - self.low) / 20
            new = value + direction * step
            new = round(new, 10)
        if self.kind == "int":
            new = int(round(new))
        if self.low is not None:
            new = max(new, self.low)
        if self.high is not None:
            new = min(new, self.high)
        return new

    def format(self, value: Any) -> str:
        if value is None:
            return "-"
        if self.kind == "bool":
            return "on" if value else "off"
        if self.kind == "float":
            return f"{value:.3g}"
        return str(value)

    def describe_range(self) -> str:
        if self.kind == "choice":
            return " | ".join(map(str, self.choices))
        if self.kind == "bool":
            return "on | off"
        return f"{self.format(self.low)} .. {self.format(self.high)}"


@dataclass(frozen=True)
class Snapshot:
    """An immutable, cheap view of an Experiment for drawing.

    ``metrics`` maps a series name to (x, y) arrays already reduced to the requested
    number of points; ``last`` holds each metric's latest value; ``views`` holds the
    lesson's own arrays (copies) for its panels.
    """

    step: int
    epoch: float
    diverged: bool
    converged: bool
    values: Mapping[str, Any]
    hyperparams: tuple[HyperParam, ...]
    metrics: Mapping[str, tuple[np.ndarray, np.ndarray]]
    last: Mapping[str, float]
    views: Mapping[str, Any]
    seed: int
    message: str = ""


class Experiment:
    """Base class. Subclasses declare ``info`` and ``hyperparams`` and implement
    ``_build`` (make models and data from ``self.values``, drawing data from
    ``self.data_rng``, weights from ``self.init_rng`` and minibatches from ``self.batch_rng``),
    ``_train_step`` (one update; returns metrics, "loss" first), optionally
    ``_apply`` (a live, no-reset change) and ``_views`` (arrays for the panels)."""

    info: ClassVar[LessonInfo]
    hyperparams: ClassVar[tuple[HyperParam, ...]]
    history_capacity: ClassVar[int] = 2048
    #: True when a run has nothing more to show once converged: a runner pauses there
    #: (an instance may turn it off: the benchmark measures steady training).
    stops_when_converged: bool = False
    #: Attributes that training mutates beyond what ``state_dict`` captures generically
    #: (models, optimisers, random streams, history, counters): arrays, dicts/lists of
    #: arrays, or plain numbers/strings. Forgetting one breaks bit-for-bit resume.
    state_attrs: ClassVar[tuple[str, ...]] = ()
    #: Bump when a lesson's saved state changes shape, so older saves get a clear error.
    state_version: ClassVar[int] = 1
    #: The kind of model the lesson trains ("surface", "mlp", "cnn", ...): the benchmark
    #: compares its step with that family's hand-fused NumPy and PyTorch loops. None: not compared.
    family: ClassVar[str | None] = None
    #: The lesson's interview questions, answered by running them (core/questions.py).
    questions: ClassVar[tuple["Question", ...]] = ()
    #: The figures of merit a run is compared by (core/compare.py; none: its final loss).
    figures: ClassVar[tuple["Figure", ...]] = ()
    #: False when no run of the lesson draws a random number: the seed changes nothing
    #: (R then says so instead of announcing a seed). See also ``uses_seed``.
    seeded: ClassVar[bool] = True

    def __init__(self, seed: int = 0, **values: Any) -> None:
        self._decl = {h.name: h for h in self.hyperparams}
        self.values: dict[str, Any] = {h.name: h.default for h in self.hyperparams}
        for name, value in values.items():
            self.values[name] = Experiment.hyperparam(self, name).validate(value)  # as declared
        # Ranges may depend on other values (e.g. which filter, below the filter count):
        # check again once all are in, so the order of the arguments does not matter.
        for name in values:
            self._check(name, self.values[name])
        self.seed = int(seed)
        self.reset()

    # -- declaration --------------------------------------------------------------
    def hyperparam(self, name: str) -> HyperParam:
        """The declaration of ``name`` as it stands now. A lesson whose ranges depend on
        other values overrides this and narrows the declared range."""
        try:
            return self._decl[name]
        except (KeyError, TypeError):  # unknown, or not even a name (unhashable)
            raise HyperParamError(
                f"{self.info.key} has no hyperparameter {name!r}; it has {', '.join(self._decl)}"
            ) from None

    def current_hyperparams(self) -> tuple[HyperParam, ...]:
        """Every declaration, with the ranges in force now (what the controls show)."""
        return tuple(self.hyperparam(h.name) for h in self.hyperparams)

    def _check(self, name: str, value: Any) -> Any:
        return self.hyperparam(name).validate(value)

    # -- the seam -----------------------------------------------------------------
    def set(self, name: str, value: Any) -> bool:
        """Validate and apply one value. Returns True if the change reset the run.
        A bad value raises HyperParamError and changes nothing."""
        value = self._check(name, value)
        old = self.values[name]
        if value == old:
            return False
        self.values[name] = value
        try:
            if self.hyperparam(name).needs_reset:
                self.reset()
                return True
            self._apply(name, value)
        except Exception:
            self.values[name] = old  # a change that fails changes nothing
            self.reset() if self.hyperparam(name).needs_reset else self._apply(name, old)
            raise
        return False

    def uses_seed(self) -> bool:
        """Whether the seed changes this run, with the values as they are now."""
        return self.seeded

    def reset(self, seed: int | None = None) -> None:
        """Rebuild from the current values; the same seed gives the same run, bit for bit."""
        if seed is not None:
            self.seed = int(seed)
        self.rng = np.random.default_rng(self.seed)
        # Independent streams, so that e.g. changing the initialiser (which draws a
        # different amount, or nothing) leaves the data and the minibatch order as they were.
        self.data_rng, self.init_rng, self.batch_rng = self.rng.spawn(3)
        self.step_count = 0
        self.epoch = 0.0
        self.diverged = False
        self.converged = False
        self.message = ""
        self.history = Histories(capacity=self.history_capacity)
        with np.errstate(all="ignore"):
            self._build()
            self._after_reset()

    def step(self, n: int = 1) -> None:
        """Advance ``n`` updates. Stops early (and stays stopped) once diverged."""
        with np.errstate(all="ignore"):
            train, record = self._train_step, self.history.record
            for _ in range(n):
                if self.diverged:
                    return
                metrics = train()
                step = self.step_count = self.step_count + 1
                if not record(step, metrics):  # appends the finite metrics
                    for k, v in metrics.items():
                        if not math.isfinite(v):
                            self.diverged = True
                            # the status line shows the last finite value: say which it was
                            # (core/texts/_ui.py reads this message back: keep its form)
                            last = self.history[k].last if k in self.history else None
                            before = f"; its last finite value was {last:.4g}" if last is not None else ""
                            self.message = f"diverged: {k} became {v} at step {step}{before}"
                            break

    def snapshot(self, points: int = 200) -> Snapshot:
        with np.errstate(all="ignore"):
            views = _read_only(self._views())
        return Snapshot(
            step=self.step_count,
            epoch=self.epoch,
            diverged=self.diverged,
            converged=self.converged,
            values=MappingProxyType(dict(self.values)),
            hyperparams=self.current_hyperparams(),
            metrics=MappingProxyType(self.history.series(points)),
            last=MappingProxyType({n: self.history[n].last for n in self.history.names()}),
            views=MappingProxyType(views),
            seed=self.seed,
            message=self.message,
        )

    def inspect(self) -> list[tuple[str, np.ndarray]]:
        """Named parameter arrays (copies) of the current model, for the weight inspector.
        By default those of ``self.model`` if the lesson has one."""
        model = getattr(self, "model", None)
        if model is None:
            return []
        return [
            (f"{i}:{layer.name}.{k}", v.copy())  # e.g. "0:conv2d.W": layer index, kind, array
            for i, layer in enumerate(model.layers)
            for k, v in layer.params.items()
        ]

    # -- save / resume -------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue this run exactly where it stands, as a tree of
        dicts, lists, plain scalars and NumPy arrays (copies: the tree stays valid while
        training goes on). Captured generically: the lesson key, seed and values, the
        counters and flags, every random stream (the experiment's own and any a layer
        holds), every model's parameters and gradients (``Sequential`` or ``Layer``
        attributes), every optimiser's state and the metric history; plus the lesson's
        ``_extra_state()`` (by default its ``state_attrs``). Take it between steps (under
        the runner's lock)."""
        layers = self._state_layers()
        return {
            "lesson": self.info.key,
            "lesson_state_version": self.state_version,
            "seed": self.seed,
            "values": dict(self.values),
            "step_count": self.step_count,
            "epoch": self.epoch,
            "diverged": self.diverged,
            "converged": self.converged,
            "message": self.message,
            "rngs": {path: g.bit_generator.state for path, g in self._state_generators(layers)},
            "models": {
                name: [{"params": _copy_tree(l.params), "grads": _copy_tree(l.grads)} for l in group]
                for name, group in layers.items()
            },
            "optimizers": {name: opt.state_dict() for name, opt in self._state_objects(Optimizer)},
            "history": self.history.state_dict(),
            "extra": self._extra_state(),
        }

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore ``state_dict()`` into this experiment, which must have been built with the
        same lesson, seed and values (``from_state_dict`` does that). Arrays are copied into
        the existing ones, so every alias (``Sequential`` params, a lesson's own references
        to its layers) sees the restored values. Raises StateError if anything does not fit;
        the experiment may then be half restored: restore into a fresh one."""
        try:
            self._load_state(state)
        except StateError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
            raise StateError(f"{type(e).__name__}: {e}") from e

    @classmethod
    def from_state_dict(cls, state: Mapping[str, Any]) -> "Experiment":
        """A new experiment of this lesson, built from the saved seed and values, with the
        saved state restored. Raises HyperParamError for an invalid saved value and
        StateError for anything else that does not fit."""
        if not isinstance(state, Mapping) or not isinstance(state.get("values"), Mapping):
            raise StateError("no saved values")
        seed = state.get("seed")
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise StateError(f"bad seed {seed!r}")
        values = dict(state["values"])
        if any(not isinstance(k, str) for k in values):
            raise StateError("bad hyperparameter names")
        exp = cls(seed=seed, **values)
        exp.load_state_dict(state)
        return exp

    def _state_objects(self, kind: type) -> list[tuple[str, Any]]:
        return [(name, v) for name, v in sorted(vars(self).items()) if isinstance(v, kind)]

    def _state_layers(self) -> dict[str, list[Layer]]:
        """Every model (``Sequential`` attribute, as its layers) and every ``Layer``
        attribute that is not already inside one of them, by attribute name."""
        groups = {name: list(m.layers) for name, m in self._state_objects(Sequential)}
        inside = {id(l) for group in groups.values() for l in group}
        for name, layer in self._state_objects(Layer):
            if id(layer) not in inside:
                groups[name] = [layer]
        return groups

    def _state_generators(self, layers: dict[str, list[Layer]]) -> list[tuple[str, np.random.Generator]]:
        """Every random stream: the experiment's own attributes, then any a layer holds
        (e.g. Dropout's); the same stream may appear under two paths."""
        found = self._state_objects(np.random.Generator)
        for name, group in layers.items():
            for i, layer in enumerate(group):
                for attr, v in sorted(vars(layer).items()):
                    if isinstance(v, np.random.Generator):
                        found.append((f"{name}.{i}.{attr}", v))
        return found

    def _optimizer_params(self, name: str) -> dict[str, np.ndarray] | None:
        """The arrays optimiser ``name`` updates (to check its saved state against):
        ``self.model``'s parameters, else a ``self.params`` dict. Override if different."""
        model = getattr(self, "model", None)
        if isinstance(model, Sequential):
            return model.params()
        params = getattr(self, "params", None)
        if isinstance(params, dict) and all(isinstance(v, np.ndarray) for v in params.values()):
            return params
        return None

    def _load_state(self, state: Mapping[str, Any]) -> None:
        if not isinstance(state, Mapping):
            raise StateError("not a saved state")
        if state["lesson"] != self.info.key:
            raise StateError(f"a state of lesson {state['lesson']!r}, not {self.info.key!r}")
        if state["lesson_state_version"] != self.state_version:
            raise StateError(
                f"saved by version {state['lesson_state_version']!r} of lesson {self.info.key!r}; "
                f"this nndojo has version {self.state_version}"
            )
        values = state["values"]
        # (a hyperparameter added since the save is absent there and keeps its default)
        if state["seed"] != self.seed or any(k not in self.values or self.values[k] != v for k, v in values.items()):
            raise StateError("built with another seed or other values than the saved ones")
        for name in ("step_count", "epoch", "diverged", "converged", "message"):
            setattr(self, name, _restore(getattr(self, name), state[name], name))
        if self.step_count < 0:
            raise StateError("negative step count")

        layers = self._state_layers()
        models = state["models"]
        if not isinstance(models, Mapping) or set(models) != set(layers):
            raise StateError(f"saved models {sorted(models)} are not {sorted(layers)}")
        for name, group in layers.items():
            saved = models[name]
            if not isinstance(saved, list) or len(saved) != len(group):
                raise StateError(f"{name}: saved layers do not match")
            for i, (layer, entry) in enumerate(zip(group, saved)):
                _restore(layer.params, entry["params"], f"{name}.{i}.params", in_place=True)
                _restore(layer.grads, entry["grads"], f"{name}.{i}.grads", in_place=True)

        rngs = state["rngs"]
        generators = self._state_generators(layers)
        if not isinstance(rngs, Mapping) or set(rngs) != {path for path, _ in generators}:
            raise StateError("saved random streams do not match")
        for path, g in generators:
            saved = rngs[path]
            if not isinstance(saved, Mapping) or saved.get("bit_generator") != g.bit_generator.state["bit_generator"]:
                raise StateError(f"random stream {path}: wrong kind")
            g.bit_generator.state = dict(saved)

        optimizers = self._state_objects(Optimizer)
        saved_opts = state["optimizers"]
        if not isinstance(saved_opts, Mapping) or set(saved_opts) != {name for name, _ in optimizers}:
            raise StateError("saved optimisers do not match")
        for name, opt in optimizers:
            opt.load_state_dict(saved_opts[name], self._optimizer_params(name))

        if not isinstance(state["extra"], Mapping):
            raise StateError("saved lesson state does not match")
        self._load_extra_state(state["extra"])

        self.history.load_state_dict(state["history"])

    def _extra_state(self) -> dict[str, Any]:
        """The lesson's own state: by default copies of its ``state_attrs``. Override (with
        ``_load_extra_state``) to save something in another form, e.g. only the used part
        of a buffer."""
        return {name: _copy_tree(getattr(self, name)) for name in self.state_attrs}

    def _load_extra_state(self, extra: Mapping[str, Any]) -> None:
        """Restore ``_extra_state()``; raise StateError (or ValueError) if it does not fit."""
        if set(extra) != set(self.state_attrs):
            raise StateError("saved lesson state does not match")
        for name in self.state_attrs:
            setattr(self, name, _restore(getattr(self, name), extra[name], name))

    # -- for subclasses -----------------------------------------------------------
    def _build(self) -> None:
        raise NotImplementedError

    def _after_reset(self) -> None:
        """Hook run after ``_build`` (e.g. record the initial loss)."""

    def _train_step(self) -> dict[str, float]:
        raise NotImplementedError

    def _apply(self, name: str, value: Any) -> None:
        """A live change of ``name``; by default a change with no effect until reset."""

    def _views(self) -> dict[str, Any]:
        return {}


def _read_only(value: Any) -> Any:
    """``value`` with every array in it (inside dicts, lists and tuples) read-only: a
    writeable array is replaced by a read-only view of it (no copy)."""
    if isinstance(value, np.ndarray):
        if not value.flags.writeable:
            return value
        view = value.view()
        view.flags.writeable = False
        return view
    if type(value) is dict:
        return {k: _read_only(v) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_read_only(v) for v in value)
    return value


# -- state helpers ------------------------------------------------------------------
_SCALARS = (bool, int, float, str, type(None))


def _copy_tree(value: Any) -> Any:
    """A deep copy of arrays, dicts, lists and scalars (tuples become lists)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, Mapping):
        return {k: _copy_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy_tree(v) for v in value]
    if isinstance(value, (_SCALARS, np.generic)):
        return value
    raise TypeError(f"cannot save a {type(value).__name__} as experiment state")


def _restore(target: Any, saved: Any, where: str, in_place: bool = False) -> Any:
    """Check ``saved`` against the structure, types, shapes and dtypes of ``target`` and
    return the value to assign. Arrays are copied into ``target`` (when writeable), dicts
    and lists are filled in place, so aliases of them stay valid."""
    if isinstance(target, np.ndarray):
        if not isinstance(saved, np.ndarray) or saved.shape != target.shape or saved.dtype != target.dtype:
            got = f"{saved.dtype}{list(saved.shape)}" if isinstance(saved, np.ndarray) else type(saved).__name__
            raise StateError(f"{where}: expected {target.dtype}{list(target.shape)}, got {got}")
        if target.flags.writeable:
            np.copyto(target, saved)
            return target
        if in_place:
            raise StateError(f"{where}: read-only array")
        out = saved.copy()
        out.setflags(write=False)
        return out
    if isinstance(target, dict):
        if not isinstance(saved, Mapping) or set(saved) != set(target):
            raise StateError(f"{where}: saved keys do not match")
        for k in list(target):
            target[k] = _restore(target[k], saved[k], f"{where}.{k}", in_place)
        return target
    if isinstance(target, list):
        if not isinstance(saved, list) or len(saved) != len(target):
            raise StateError(f"{where}: saved list does not match")
        for i in range(len(target)):
            target[i] = _restore(target[i], saved[i], f"{where}[{i}]", in_place)
        return target
    if isinstance(target, np.generic):
        if not isinstance(saved, np.generic) or saved.dtype != target.dtype:
            raise StateError(f"{where}: expected a {target.dtype} scalar")
        return saved
    if target is None:  # e.g. "nothing yet": take whatever was saved
        return _copy_tree(saved)
    if isinstance(target, (int, float)) and not isinstance(target, bool):
        if not isinstance(saved, (int, float)) or isinstance(saved, bool):  # a counter may turn into a float
            raise StateError(f"{where}: expected a number, got {type(saved).__name__}")
        return saved
    if isinstance(target, _SCALARS):
        if type(saved) is not type(target):
            raise StateError(f"{where}: expected {type(target).__name__}, got {type(saved).__name__}")
        return saved
    raise StateError(f"{where}: cannot restore a {type(target).__name__}")
