"""Lesson 10, hyperparameters: an MLP on a 2-D spiral trained for a set number of epochs
in minibatches, with an LR range test (a sweep) that suggests a learning rate."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import data
from ..compare import T, final
from ..engine import Splits, SupervisedExperiment
from ..experiment import Experiment, HyperParam
from ..layers import Activation, Dense
from ..losses import LOSSES
from ..model import Sequential
from ..optim import OPTIMIZERS
from ..questions import Question
from ..sweep import Sweep, point_rng
from ..texts.hyperparameters import INFO

WIDTH = 32  # units per hidden layer (two hidden layers, tanh)
CLASSES = 3
PER_CLASS = 100  # N = 300 training points
#: the LR range test: one minibatch update at each of these learning rates, in order
RANGE_LRS = np.geomspace(1e-4, 10.0, 100)
RANGE_BATCH = 32
RANGE_SMOOTHING = 0.9  # EMA of the range test's minibatch losses (bias-corrected)
RANGE_BLOWUP = 4.0  # the test stops once the smoothed loss passes this many times its lowest
RANGE_MIN_POINTS = 5  # ... but not before this many points
RANGE_PER_STEP = 1  # range-test updates per step (besides the step's own training update)
RANGE_STREAM = 10  # point_rng stream of the range test's model and minibatches


def suggest(lrs: np.ndarray, smoothed: np.ndarray) -> float | None:
    """The range test's suggestion: a tenth of the learning rate where the smoothed loss
    was lowest (None without a finite point)."""
    finite = np.isfinite(smoothed)
    if not finite.any():
        return None
    return float(lrs[int(np.nanargmin(np.where(finite, smoothed, np.nan)))] / 10)


def first_epoch_updates(exp: Experiment) -> int:
    """The updates the first epoch took (the step of the first "epochs" record), as a
    choice: 0 for 1, 1 for 10, 2 for 32, 3 for 300 (or anything else)."""
    if "epochs" not in exp.history:
        return 3
    n = int(exp.history["epochs"].points()[0][0])
    return {1: 0, 10: 1, 32: 2}.get(n, 3)


def first_and_last(exp: Experiment, metric: str) -> tuple[float, float]:
    y = exp.history[metric].points()[1]
    return float(y[0]), float(exp.history[metric].last)


def loss_fell(exp: Experiment) -> int:
    """0: the training loss fell below half its start; 1: it fell by less (or rose, or diverged)."""
    if exp.diverged:
        return 1
    first, last = first_and_last(exp, "train_loss")
    return 0 if last < 0.5 * first else 1


def barely_moved(exp: Experiment) -> int:
    """0: the training loss fell by less than 5% of its start; 1: by more."""
    first, last = first_and_last(exp, "train_loss")
    return 0 if last > 0.95 * first else 1


QUESTIONS = (
    Question(
        key="updates-per-epoch",
        text={"en": "300 training points, batch size 32: how many updates make one epoch?",
              "ko": "학습 데이터 300개, 배치 크기 32: 한 에포크는 몇 번의 갱신일까?"},
        choices=({"en": "1", "ko": "1"}, {"en": "10", "ko": "10"}, {"en": "32", "ko": "32"}, {"en": "300", "ko": "300"}),
        explanation={"en": "An epoch is one pass over every training point, ⌈N/B⌉ = ⌈300/32⌉ = 10 minibatches "
                           "(the last one has 12 points); each minibatch is one forward pass, one backward pass "
                           "and one update.",
                     "ko": "에포크는 모든 학습 데이터를 한 번 훑는 것으로, ⌈N/B⌉ = ⌈300/32⌉ = 10개의 미니배치입니다"
                           "(마지막 배치는 12개). 미니배치마다 순전파 한 번, 역전파 한 번, 갱신 한 번을 합니다."},
        outcome=first_epoch_updates, explains=1, setup={"range_test": False}, steps=12),
    Question(
        key="lr-too-high",
        text={"en": "Learning rate 10, far past where the range test's loss blows up. After 10 epochs the loss…",
              "ko": "학습률 10은 범위 테스트의 손실이 폭발하는 지점을 한참 지납니다. 10 에포크 뒤 손실은…"},
        choices=({"en": "fell below half its start", "ko": "처음의 절반 아래로 내려갔다"},
                 {"en": "did not fall that far (or blew up)", "ko": "그만큼 내려가지 못했다 (또는 폭발했다)"}),
        explanation={"en": "Each step overshoots the valley it aims at, so the loss bounces around or grows "
                           "instead of settling.",
                     "ko": "매 스텝이 겨냥한 골짜기를 지나쳐 버려서, 손실이 자리를 잡지 못하고 튀거나 커집니다."},
        outcome=loss_fell, explains=1, setup={"learning_rate": 10.0, "epochs": 10, "range_test": False}, steps=100),
    Question(
        key="lr-too-low",
        text={"en": "Learning rate 0.0001 for 20 epochs (200 updates): the training loss…",
              "ko": "학습률 0.0001로 20 에포크(갱신 200번): 학습 손실은…"},
        choices=({"en": "barely moves (less than 5%)", "ko": "거의 움직이지 않는다 (5% 미만)"},
                 {"en": "falls clearly", "ko": "뚜렷하게 내려간다"}),
        explanation={"en": "The steps are so small that 200 of them hardly leave the starting point: the budget "
                           "runs out long before the model gets anywhere.",
                     "ko": "스텝이 너무 작아 200번을 가도 시작점을 거의 벗어나지 못합니다. 모델이 어딘가에 닿기 "
                           "훨씬 전에 예산이 끝납니다."},
        outcome=barely_moved, explains=0, setup={"learning_rate": 1e-4, "range_test": False}, steps=200),
)


class Hyperparameters(SupervisedExperiment):
    """A 2-32-32-3 tanh MLP on a 3-arm spiral (N = 300, standardised), softmax
    cross-entropy, plain SGD. Training goes through the data in epochs: each epoch a new
    permutation, cut into ⌈N/B⌉ minibatches (the last one smaller). Once ``epochs``
    epochs are done the run is converged (the budget is spent); playing on trains further.

    The LR range test (``range_test`` on): a second model of the same shape, its own
    init, trains one minibatch update per learning rate of RANGE_LRS (the first at reset,
    whether on or off; then RANGE_PER_STEP per step while on), recording the bias-corrected EMA of its losses; it stops once that passes
    RANGE_BLOWUP times its lowest. The suggestion is a tenth of the learning rate at the
    lowest point. History: "loss" (minibatch), "train_loss" (the whole training set, at
    step 0 and every epoch's end), "epochs" (epochs done, at every epoch's end)."""

    info = INFO
    family = "mlp"
    questions = QUESTIONS
    stops_when_converged = True
    figures = (final("train_loss", key="train", name=T("train loss", "학습 손실")),)
    optimizer_name = "gd"
    # save / resume: the epoch's permutation and position, the range test's progress
    state_attrs = SupervisedExperiment.state_attrs + ("_perm", "_pos", "_iteration", "epochs_done", "sweep_state", "range_state")

    hyperparams = (
        HyperParam("learning_rate", "learning rate", "float", 0.01, low=1e-4, high=10.0, log=True,
                   help="SGD step size; changes live"),
        HyperParam("batch_size", "batch size", "int", 32, low=1, high=300, log=True,
                   help="training points per update; changes live (from the next minibatch)"),
        HyperParam("epochs", "epochs", "int", 20, low=1, high=200, log=True,
                   help="passes over the training set before the run stops; changes live"),
        HyperParam("range_test", "LR range test", "bool", True,
                   help="on: (re)start the learning-rate range test; off: stop it"),
    )

    def _data(self) -> Splits:
        X, y = data.spiral(n_per_class=PER_CLASS, classes=CLASSES, noise=0.2, seed=self.data_rng)
        return Splits(((X - X.mean(axis=0)) / X.std(axis=0)).astype(np.float32), y)

    def _mlp(self, rng: np.random.Generator) -> Sequential:
        return Sequential([Dense(2, WIDTH, rng=rng), Activation("tanh"), Dense(WIDTH, WIDTH, rng=rng),
                           Activation("tanh"), Dense(WIDTH, CLASSES, rng=rng)])

    def _model(self) -> Sequential:
        return self._mlp(self.init_rng)

    def _build(self) -> None:
        super()._build()
        self._perm = self.batch_rng.permutation(self.n_train)
        self._pos = 0
        self._iteration = 0  # updates into the current epoch
        self.epochs_done = 0
        self.range_rng = point_rng(self.seed, RANGE_STREAM, 0)
        self.range_loss = LOSSES.get("softmax_ce")()
        self._new_range_test(running=self.values["range_test"])

    def _new_range_test(self, running: bool) -> None:
        """A fresh range test (a new model from the range stream); stopped unless ``running``."""
        self.range_model = self._mlp(self.range_rng)
        self.range_opt = OPTIMIZERS.get("gd")(float(RANGE_LRS[0]))
        self.sweep = Sweep(RANGE_LRS, ("loss", "smoothed"))
        self.sweep_state = self.sweep.state
        # "found": the test ran to its blow-up (or through every rate): a suggestion stands
        self.range_state = {"avg": 0.0, "best": math.inf, "last": 0.0, "found": False}
        self.sweep.advance(self, 1)  # the first point at once: the plot is never empty
        if not running:
            self.sweep.stop()

    def _after_reset(self) -> None:
        super()._after_reset()  # "loss" on the training set at step 0
        self.history.append("train_loss", 0, self.history["loss"].last)

    def _apply(self, name: str, value: Any) -> None:
        super()._apply(name, value)
        if name == "range_test":
            if value:
                self._new_range_test(running=True)
            else:
                self.sweep.stop()
        elif name == "epochs":
            self.converged = self.epochs_done >= value
            if not self.converged:
                self.message = ""

    def _optimizer_params(self, name: str) -> dict[str, np.ndarray] | None:
        if name == "range_opt":
            return self.range_model.params()
        return super()._optimizer_params(name)

    # -- the range test's points: one update at each learning rate ----------------------
    def start(self, index: int, value: float) -> None:
        self.range_opt.learning_rate = value

    def train(self, index: int, value: float, units: int) -> None:
        model, loss = self.range_model, self.range_loss
        idx = self.range_rng.integers(0, self.n_train, size=RANGE_BATCH)
        model.zero_grad()
        self.range_state["last"] = float(loss.forward(model.forward(self.data.x_train[idx]), self.data.y_train[idx]))
        model.backward(loss.backward(), input_grad=False)
        self.range_opt.step(model.params(), model.grads())

    def finish(self, index: int, value: float) -> dict[str, float]:
        s = self.range_state
        s["avg"] = RANGE_SMOOTHING * s["avg"] + (1 - RANGE_SMOOTHING) * s["last"]
        smoothed = s["avg"] / (1 - RANGE_SMOOTHING ** (index + 1))
        if not math.isfinite(smoothed) or (index >= RANGE_MIN_POINTS and smoothed > RANGE_BLOWUP * s["best"]):
            self.sweep.stop()
            s["found"] = True
        else:
            s["best"] = min(s["best"], smoothed)
            s["found"] = index == len(RANGE_LRS) - 1
        return {"loss": s["last"], "smoothed": smoothed}

    @property
    def suggested_lr(self) -> float | None:
        """The range test's suggestion once it has run to its end (None before, or if stopped)."""
        if not self.range_state["found"]:
            return None
        return suggest(self.sweep.values, self.sweep.column("smoothed"))

    def epoch_order(self) -> tuple[np.ndarray, int]:
        """This epoch's permutation (a copy) and the position of the next minibatch in it;
        each next epoch's permutation is drawn from ``batch_rng`` (the benchmark's loops
        follow the same order)."""
        return self._perm.copy(), self._pos

    @property
    def iterations_per_epoch(self) -> int:
        return -(-self.n_train // self.batch_size)

    # -- training: epochs of shuffled minibatches ----------------------------------------
    def _train_step(self) -> dict[str, float]:
        start, end = self._pos, min(self._pos + self.batch_size, self.n_train)
        idx = self._perm[start:end]
        arm = self.arms[0]
        metrics = self._measure(arm, self.data.x_train[idx], self.data.y_train[idx])
        arm.optimizer.step(arm.model.params(), arm.model.grads())
        self.samples_seen += end - start
        self._pos = end
        self._iteration += 1
        if end >= self.n_train:
            self.epochs_done += 1
            self._pos = self._iteration = 0
            self._perm = self.batch_rng.permutation(self.n_train)
            metrics["train_loss"] = type(arm.loss)().forward(arm.model.forward(self.data.x_train, training=False),
                                                             self.data.y_train)
            metrics["epochs"] = float(self.epochs_done)
            if self.epochs_done == self.values["epochs"] and math.isfinite(metrics["train_loss"]):
                self.converged = True
                self.message = (f"{self.epochs_done} epochs done ({self.step_count + 1} updates): "
                                f"training loss {metrics['train_loss']:.3g}")
        self.epoch = self.epochs_done + self._pos / self.n_train
        if not self.sweep.done:
            self.sweep.advance(self, RANGE_PER_STEP)
        return metrics

    def _views(self) -> dict[str, Any]:
        """range_lr, range_loss: the range test's finished points (learning rate, smoothed
        loss; finite ones only); suggested_lr (None until the test ends); range_running;
        range_stopped (turned off before its end);
        parameters: [(name, shape)] of the model; n_params; iterations_per_epoch;
        epochs_done; epoch_iteration (updates into the current epoch); n_train;
        epoch_budget (the epochs the run is set to)."""
        lrs, smoothed = self.sweep.curve("smoothed")
        shapes = [(f"{name}", tuple(int(n) for n in a.shape)) for name, a in self.model.params().items()]
        return {
            "range_lr": lrs, "range_loss": smoothed,
            "suggested_lr": self.suggested_lr, "range_running": not self.sweep.done,
            "range_stopped": self.sweep.done and not self.range_state["found"],
            "parameters": shapes, "n_params": int(sum(a.size for a in self.model.params().values())),
            "iterations_per_epoch": self.iterations_per_epoch, "epochs_done": self.epochs_done,
            "epoch_iteration": self._iteration, "n_train": self.n_train, "epoch_budget": int(self.values["epochs"]),
        }
