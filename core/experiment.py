"""The one seam between a lesson's math and its screen: ``Experiment``.

An Experiment owns its models, data, optimiser, RNG and metric history. The UI knows
it only through ``hyperparams`` (a declaration it turns into controls), ``set``,
``step``, ``reset`` and ``snapshot``. A diverging run (NaN/inf) is a state reported by
the snapshot, never an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, Mapping

import numpy as np

from .history import Histories


class HyperParamError(ValueError):
    """A hyperparameter value that is unknown, of the wrong type or out of range."""


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
        self.validate(self.default)

    def validate(self, value: Any) -> Any:
        """Return ``value`` coerced to this parameter's type, or raise HyperParamError."""
        label = self.label or self.name
        if self.kind == "choice":
            if value not in self.choices:
                raise HyperParamError(f"{label}: {value!r} is not one of {', '.join(map(str, self.choices))}")
            return value
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
            step = self.step if self.step is not None else (1 if self.kind == "int" else (self.high - self.low) / 20)
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
class LessonInfo:
    """Who a lesson is: its key (for --lesson), its TOPICS.md number and its texts.

    ``title``, ``question`` and ``text`` map a language code ("en", "ko") to text;
    ``text`` is Markdown.
    """

    key: str
    number: int
    title: Mapping[str, str]
    question: Mapping[str, str]
    text: Mapping[str, str]
    claim: Mapping[str, str] = field(default_factory=dict)


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
    #: True when a run has nothing more to show once converged: a runner pauses there.
    stops_when_converged: ClassVar[bool] = False

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
        except KeyError:
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
            for _ in range(n):
                if self.diverged:
                    return
                metrics = self._train_step()
                self.step_count += 1
                for k, v in metrics.items():
                    if not math.isfinite(v):
                        self.diverged = True
                        self.message = f"diverged: {k} became {v} at step {self.step_count}"
                    else:
                        self.history.append(k, self.step_count, v)

    def snapshot(self, points: int = 200) -> Snapshot:
        with np.errstate(all="ignore"):
            views = self._views()
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
