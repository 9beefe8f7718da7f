"""The training engine for supervised lessons: ``SupervisedExperiment``.

A lesson declares its data (``_data``: train / validation / test splits), its model
(``_model``, or ``_arms`` for several models trained side by side), a loss and an
optimiser (registry names, or hyperparameters named "loss" / "optimizer"), and an
evaluation schedule. The engine provides the rest of the ``Experiment`` seam's training
side: the minibatch step (indices from ``batch_rng``; live ``learning_rate`` and
``batch_size``), the step-0 record, the scheduled evaluation on every split (recorded in
the history), "converged" judged on the validation split only, and probe activations
for the views.

Arms: every step draws ONE minibatch and steps every arm on it, so models compared in
lockstep (deep vs shallow, SGD vs Adam, MSE vs cross-entropy) see the same data in the
same order. With one arm the metrics are "loss", "test_accuracy", ...; with several,
each is prefixed by its arm's name: "deep/loss", "shallow/loss".

Extension point for sweeps (LR range test, capacity U-curve): a sweep is a set of arms
that differ in one setting (``_arms`` builds one per value), or a schedule that changes
a value between steps (``_apply`` from a hook on ``_train_step``); neither needs more
from the engine than arms and live values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .experiment import Experiment
from .losses import LOSSES, Loss
from .model import Sequential
from .optim import OPTIMIZERS, Optimizer


@dataclass(frozen=True)
class Splits:
    """A supervised data set: x arrays have the examples on axis 0, y their targets.
    Validation and test are optional; no decision (convergence, early stopping) may
    look at the test split: that is what the validation split is for."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray | None = None
    y_val: np.ndarray | None = None
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name in ("train", "val", "test"):
            x, y = getattr(self, f"x_{name}"), getattr(self, f"y_{name}")
            if (x is None) != (y is None) or (x is not None and len(x) != len(y)):
                raise ValueError(f"{name} split: x and y do not match")

    def split(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(x, y) of split ``name`` ("train", "val" or "test"), or None if absent."""
        x, y = getattr(self, f"x_{name}"), getattr(self, f"y_{name}")
        return None if x is None else (x, y)

    def require(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of split ``name``, which a lesson declared (ValueError if absent)."""
        found = self.split(name)
        if found is None:
            raise ValueError(f"this data set has no {name} split")
        return found

    @classmethod
    def carve_validation(
        cls, x: np.ndarray, y: np.ndarray, fraction: float, seed: int,
        x_test: np.ndarray | None = None, y_test: np.ndarray | None = None,
    ) -> "Splits":
        """Split (x, y) into train and validation, stratified by label (``fraction`` of
        each class, rounded, goes to validation), with a fixed ``seed``: the same split
        every run. Arrays are new read-only copies, rows in their original order."""
        rng = np.random.default_rng(seed)
        val = np.zeros(len(y), dtype=bool)
        for label in np.unique(y):
            idx = np.flatnonzero(y == label)
            rng.shuffle(idx)
            val[idx[: int(round(len(idx) * fraction))]] = True
        parts = [x[~val], y[~val], x[val], y[val]]
        for a in parts:
            a.setflags(write=False)
        return cls(parts[0], parts[1], parts[2], parts[3], x_test, y_test)


@dataclass
class Arm:
    """One model trained by the engine: its loss and its optimiser."""

    name: str
    model: Sequential
    loss: Loss
    optimizer: Optimizer


def _percent(x: float) -> str:
    return f"{x:.1%}".replace(".0%", "%")


def accuracy(logits: np.ndarray, y: np.ndarray) -> float:
    """Fraction of rows whose largest logit is at their label y: (n,)."""
    return float(np.mean(logits.argmax(axis=1) == y))


class SupervisedExperiment(Experiment):
    """Base class of a supervised lesson. Subclasses declare ``info``, ``hyperparams``
    and implement ``_data`` and ``_model`` (or ``_arms``); optionally ``_after_backward``
    (e.g. gradient norms for a view), ``_evaluate`` (a faster evaluation) and ``_views``.
    A lesson that builds more calls ``super()._build()`` first."""

    #: registry names, used unless a hyperparameter "loss" / "optimizer" chooses
    loss_name: ClassVar[str] = "softmax_ce"
    optimizer_name: ClassVar[str] = "gd"
    #: used unless a hyperparameter "learning_rate" / "batch_size" sets them (then live)
    default_learning_rate: ClassVar[float] = 0.1
    default_batch_size: ClassVar[int] = 32
    #: record the minibatch accuracy as "accuracy" every step (classification)
    record_batch_accuracy: ClassVar[bool] = False
    #: evaluate every this many epochs (images seen / training set size) or steps; neither: never
    eval_every_epochs: ClassVar[float | None] = None
    eval_every_steps: ClassVar[int | None] = None
    #: what an evaluation measures on each split: "accuracy" and / or "loss"
    eval_measures: ClassVar[tuple[str, ...]] = ("accuracy",)
    #: training accuracy is measured on every k-th training example (a fixed subset)
    train_eval_stride: ClassVar[int] = 1
    #: converged once validation accuracy reaches this (every arm); None: never
    target_accuracy: ClassVar[float | None] = None
    #: training examples (evenly spaced) whose activations the views show
    probe_size: ClassVar[int] = 0

    # save / resume: the image counter, the next evaluation point, the last evaluation
    state_attrs: ClassVar[tuple[str, ...]] = ("samples_seen", "_next_eval", "last_eval")

    data: Splits
    arms: list[Arm]
    # with one arm, its parts by these names (with several: model_<name>, ...)
    model: Sequential
    loss: Loss
    optimizer: Optimizer

    # -- declarations for subclasses ------------------------------------------------
    def _data(self) -> Splits:
        """The data set (draw any randomness from ``self.data_rng``)."""
        raise NotImplementedError

    def _model(self) -> Sequential:
        """The model (initial weights from ``self.init_rng``)."""
        raise NotImplementedError

    def _arms(self) -> list[Arm]:
        """The models trained in lockstep; by default one, unnamed: ``_model()`` with the
        declared loss and optimiser."""
        return [self.make_arm("", self._model())]

    def make_arm(self, name: str, model: Sequential, loss: str | None = None, optimizer: str | None = None) -> Arm:
        """An arm of ``model`` with the loss and optimiser named (default: the declared ones)."""
        loss = loss or self.values.get("loss", self.loss_name)
        optimizer = optimizer or self.values.get("optimizer", self.optimizer_name)
        return Arm(name, model, LOSSES.get(loss)(), OPTIMIZERS.get(optimizer)(self.learning_rate))

    def _after_backward(self, arm: Arm) -> None:
        """Called with an arm's fresh gradients, before its update (and at step 0)."""

    # -- live values ------------------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        return self.values.get("learning_rate", self.default_learning_rate)

    @property
    def batch_size(self) -> int:
        return self.values.get("batch_size", self.default_batch_size)

    def _apply(self, name: str, value: Any) -> None:
        if name == "learning_rate":
            for arm in self.arms:
                arm.optimizer.learning_rate = value
        # batch_size is read every step

    # -- building ---------------------------------------------------------------------
    def _build(self) -> None:
        self.data = data = self._data()
        self.n_train = len(data.y_train)
        arms = self.arms = self._arms()
        if len({arm.name for arm in arms}) != len(arms) or not arms:
            raise ValueError("arms need distinct names")
        # as attributes, so the generic save finds every model and optimiser
        for arm in arms:
            suffix = "" if len(arms) == 1 else f"_{arm.name}"
            setattr(self, f"model{suffix}", arm.model)
            setattr(self, f"loss{suffix}", arm.loss)
            setattr(self, f"optimizer{suffix}", arm.optimizer)
        self._prefixes = [""] if len(arms) == 1 else [f"{arm.name}/" for arm in arms]
        probe = np.linspace(0, self.n_train - 1, self.probe_size).astype(int)
        self.probe_x, self.probe_y = data.x_train[probe], data.y_train[probe]
        self.x_train_eval = data.x_train[:: self.train_eval_stride]
        self.y_train_eval = data.y_train[:: self.train_eval_stride]
        self.samples_seen = 0
        if self.eval_every_epochs is not None:
            self._eval_every: float | None = self.eval_every_epochs * self.n_train  # in images
        elif self.eval_every_steps is not None:
            self._eval_every = float(self.eval_every_steps)  # in steps
        else:
            self._eval_every = None
        self._next_eval = self._eval_every
        self.last_eval: dict[str, float] = {}

    def _after_reset(self) -> None:
        """The step-0 record: the untrained model's evaluation if there is a schedule,
        else its loss (and accuracy) on the probe set, or on the training set without one."""
        if self._eval_every is not None:
            metrics = self._evaluate_now(0)
        else:
            x, y = (self.probe_x, self.probe_y) if self.probe_size else (self.data.x_train, self.data.y_train)
            metrics = {}
            for arm, prefix in zip(self.arms, self._prefixes):
                for k, v in self._measure(arm, x, y).items():
                    metrics[prefix + k] = v
        self.history.record(0, metrics)

    # -- training -----------------------------------------------------------------------
    def _measure(self, arm: Arm, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
        """Forward and backward on (x, y), no update: the loss (and accuracy) of the batch."""
        model = arm.model
        model.zero_grad()
        logits = model.forward(x)
        loss = arm.loss.forward(logits, y)
        model.backward(arm.loss.backward(), input_grad=False)  # no use for the input gradient
        self._after_backward(arm)
        if self.record_batch_accuracy:
            return {"loss": loss, "accuracy": float(np.mean(logits.argmax(axis=1) == y))}
        return {"loss": loss}

    def _train_step(self) -> dict[str, float]:
        batch = self.batch_size
        idx = self.batch_rng.integers(0, self.n_train, size=batch)
        x, y = self.data.x_train[idx], self.data.y_train[idx]
        arms = self.arms
        if len(arms) == 1:
            arm = arms[0]
            metrics = self._measure(arm, x, y)
            arm.optimizer.step(arm.model.params(), arm.model.grads())
        else:
            metrics = {}
            for arm, prefix in zip(arms, self._prefixes):
                for k, v in self._measure(arm, x, y).items():
                    metrics[prefix + k] = v
                arm.optimizer.step(arm.model.params(), arm.model.grads())
        self.samples_seen += batch
        self.epoch = self.samples_seen / self.n_train
        every, next_eval = self._eval_every, self._next_eval
        if every is not None and next_eval is not None:
            clock = self.samples_seen if self.eval_every_epochs is not None else self.step_count + 1
            if clock >= next_eval:
                while next_eval <= clock:
                    next_eval += every
                self._next_eval = next_eval
                metrics.update(self._evaluate_now(self.step_count + 1))
        return metrics

    # -- evaluation ---------------------------------------------------------------------
    def _evaluate(self) -> dict[str, float]:
        """Every arm's measures on the test, validation and (strided) training splits,
        named "<split>_<measure>" ("test_accuracy", "val_loss", ...), arm-prefixed when
        there are several arms. Override for a faster evaluation with the same values."""
        sets = [("train", self.x_train_eval, self.y_train_eval)]
        for name in ("val", "test"):
            found = self.data.split(name)
            if found is not None:
                sets.append((name, *found))
        out: dict[str, float] = {}
        for arm, prefix in zip(self.arms, self._prefixes):
            for name, x, y in sets:
                logits = arm.model.forward(x, training=False)
                for measure in self.eval_measures:
                    if measure == "accuracy":
                        out[f"{prefix}{name}_accuracy"] = accuracy(logits, y)
                    else:
                        out[f"{prefix}{name}_loss"] = type(arm.loss)().forward(logits, y)
        return out

    def _evaluate_now(self, step: int) -> dict[str, float]:
        """Evaluate, keep the result in ``last_eval``, and judge convergence on the
        validation split (the test accuracy at that point is reported, never used)."""
        metrics = self._evaluate()
        self.last_eval = dict(metrics)
        target = self.target_accuracy
        if target is not None:
            vals = [metrics.get(f"{p}val_accuracy", float("nan")) for p in self._prefixes]
            self.converged = all(v >= target for v in vals)
            if self.converged and not self.message:
                tests = [metrics.get(f"{p}test_accuracy") for p in self._prefixes]
                test = ", ".join(_percent(t) for t in tests if t is not None)
                self.message = (
                    f"validation accuracy passed {_percent(target)} at step {step} (epoch {self.epoch:.2f})"
                    + (f"; test accuracy then {test}" if test else "")
                )
        return metrics

    # -- for the views ------------------------------------------------------------------
    def probe_outputs(self, arm: int = 0, x: np.ndarray | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
        """The model's own forward pass (evaluation mode) on ``x`` (default: the probe
        set): its output and every layer's output. Call it under the runner's lock, as
        ``snapshot()`` is; the next training step redoes its forward pass anyway."""
        return self.arms[arm].model.forward(self.probe_x if x is None else x, training=False, keep=True)

    def _optimizer_params(self, name: str) -> dict[str, np.ndarray] | None:
        for arm in self.arms:
            if getattr(self, name, None) is arm.optimizer:
                return arm.model.params()
        return super()._optimizer_params(name)
