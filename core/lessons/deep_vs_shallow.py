"""Lesson 1, deep vs shallow: two networks with the same number of parameters, one deep and
narrow, one shallow and wide, trained in lockstep on a sawtooth made by composing tent maps."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import data
from ..compare import T, final
from ..engine import Arm, Splits, SupervisedExperiment
from ..experiment import Experiment, HyperParam
from ..layers import Activation, Dense
from ..model import Sequential
from ..questions import Question
from ..texts.deep_vs_shallow import INFO

POINTS = 256  # samples of the target on [-1, 1]
GRID = 512  # points on which the linear pieces of a ReLU net are counted
EVAL_EVERY = 20  # steps between two whole-data losses
BATCH = 64


def deep_widths(budget: int, depth: int) -> int:
    """The widest hidden layers (at least 1) of a 1-input, 1-output net with ``depth`` equal
    hidden layers whose parameter count stays within ``budget``."""
    width = 1
    while count_params(depth, width + 1) <= budget:
        width += 1
    return width


def count_params(depth: int, width: int) -> int:
    """Weights and biases of 1 -> [width] * depth -> 1."""
    return 2 * width + (depth - 1) * (width * width + width) + width + 1


def shallow_width(params: int) -> int:
    """The hidden width of the 1 -> H -> 1 net (3H + 1 parameters) closest to ``params``."""
    return max(1, round((params - 1) / 3))


def piece_grid(points: int = GRID) -> np.ndarray:
    """Sorted inputs (points, 1) across [-1, 1], offset so that none falls on a dyadic
    fraction (where the sawtooth's kinks are): a kink is always between two inputs."""
    return (((np.arange(points) + 0.37) / points) * 2.0 - 1.0).astype(np.float32)[:, None]


def output_and_pieces(model: Sequential, x: np.ndarray, relu: bool = True) -> tuple[np.ndarray, int | None]:
    """The net's output (n,) on the sorted inputs x (n, 1), and the straight pieces a ReLU
    net (Dense and ReLU layers) draws over them: one more than the number of neighbouring
    inputs where its slope df/dx changes (relative to the largest slope); None if not
    ``relu``. The slope is carried forward through the layers, as the chain rule gives it
    for each input's pattern of active units."""
    out, outs = model.forward(x, training=False, keep=True)
    if not relu:
        return out[:, 0].copy(), None
    slope = np.ones((len(x), 1), dtype=x.dtype)
    for i, layer in enumerate(model.layers):
        if isinstance(layer, Dense):
            slope = slope @ layer.params["W"]
        else:
            slope *= outs[i - 1] > 0
    slope = slope[:, 0]
    scale = float(np.abs(slope).max())
    if not np.isfinite(scale) or scale == 0.0:
        return out[:, 0].copy(), 1
    return out[:, 0].copy(), int(np.count_nonzero(np.abs(np.diff(slope)) > 1e-4 * scale)) + 1


def linear_pieces(model: Sequential, x: np.ndarray) -> int:
    """The straight pieces a ReLU net draws over the sorted inputs x (n, 1) (output_and_pieces)."""
    pieces = output_and_pieces(model, x)[1]
    assert pieces is not None
    return pieces


def deep_wins(exp: Experiment) -> int:
    """0: the deep net's whole-data loss is below the shallow net's; 1: it is not."""
    return 0 if exp.history["deep/train_loss"].last < exp.history["shallow/train_loss"].last else 1


def shallow_units(exp: Experiment) -> int:
    """The shallow net's hidden units as a choice: 0 for 48, 1 for 128, 2 for 385 (else 3)."""
    units = exp.snapshot().views["shapes"]["shallow"][1]
    return {48: 0, 128: 1, 385: 2}.get(units, 3)


def deep_learned(exp: Experiment) -> int:
    """0: the deep net's loss fell below 90% of the target's variance; 1: it stayed above
    (it predicts little more than the mean)."""
    variance = float(np.var(exp.data.y_train.astype(np.float64)))  # type: ignore[attr-defined]
    return 0 if exp.history["deep/train_loss"].last < 0.9 * variance else 1


QUESTIONS = (
    Question(
        key="same-budget",
        text={"en": "The deep net is 1-8-8-8-8-8-8-1: 385 weights and biases. How many hidden units does a "
                    "net with one hidden layer get for the same 385?",
              "ko": "깊은 망은 1-8-8-8-8-8-8-1로 가중치와 편향이 385개입니다. 은닉층이 하나인 망은 같은 385개로 "
                    "은닉 유닛을 몇 개 가질까?"},
        choices=({"en": "48 (as many units as the deep net)", "ko": "48 (깊은 망과 같은 유닛 수)"},
                 {"en": "128", "ko": "128"},
                 {"en": "385", "ko": "385"},
                 {"en": "another number", "ko": "다른 수"}),
        explanation={"en": "Each hidden unit of 1-H-1 costs 3 parameters (a weight in, a bias, a weight out) "
                           "plus one output bias: 3·128 + 1 = 385. Depth spends parameters on the 8×8 "
                           "connections between layers instead.",
                     "ko": "1-H-1의 은닉 유닛 하나는 파라미터 3개(들어오는 가중치, 편향, 나가는 가중치)를 쓰고, "
                           "출력 편향이 하나 더 있습니다: 3·128 + 1 = 385. 깊은 망은 그 파라미터를 층 사이의 "
                           "8×8 연결에 씁니다."},
        outcome=shallow_units, explains=1, steps=1),
    Question(
        key="zero-biases",
        text={"en": "Biases start at 0, so every kink of the shallow net starts at x = 0. On a 3-tent sawtooth "
                    "(budget 250, depth 4, rate 0.01), which net is ahead after 600 steps?",
              "ko": "편향이 0에서 시작해서 얕은 망의 꺾이는 점은 모두 x = 0에서 시작합니다. 텐트 3번 톱니파"
                    "(예산 250, 깊이 4, 학습률 0.01)에서 600 스텝 뒤 어느 망이 앞설까?"},
        choices=({"en": "the deep net", "ko": "깊은 망"}, {"en": "the shallow net", "ko": "얕은 망"}),
        explanation={"en": "The shallow net's 80 kinks must creep out from 0 a small step at a time; the deep "
                           "net's later layers bend wherever their inputs cross zero, so its teeth appear "
                           "sooner. With spread biases (the default) this race is a coin toss.",
                     "ko": "얕은 망의 꺾이는 점 80개는 0에서 조금씩 기어 나가야 하지만, 깊은 망의 뒤쪽 층은 "
                           "입력이 0을 지나는 곳 어디서나 꺾여 이가 더 빨리 나타납니다. 편향을 퍼뜨려 시작하면"
                           "(기본값) 이 경주는 반반입니다."},
        outcome=deep_wins, explains=0,
        setup={"biases": "zero", "teeth": 3, "budget": 250, "depth": 4, "learning_rate": 0.01}, steps=600),
    Question(
        key="too-narrow",
        text={"en": "A budget of 50 leaves the deep net 6 layers of 2 units. After 300 steps its loss is…",
              "ko": "예산이 50이면 깊은 망은 유닛 2개짜리 층 6개가 됩니다. 300 스텝 뒤 손실은…"},
        choices=({"en": "well below the target's variance: it learned some teeth",
                  "ko": "목표의 분산보다 한참 아래: 이를 일부 배웠다"},
                 {"en": "still about the variance: it predicts little more than the mean",
                  "ko": "여전히 분산 수준: 평균과 별로 다르지 않은 값을 낸다"}),
        explanation={"en": "With 2 units per layer one dead ReLU (0 for every input) cuts half the path and two "
                           "cut all of it; the signal and the gradient barely get through. Narrow and deep "
                           "is expressive on paper and hard to train.",
                     "ko": "층마다 유닛이 2개면 죽은 ReLU(모든 입력에 0) 하나가 길의 절반을, 둘이면 전부를 "
                           "끊어 신호와 gradient가 거의 지나가지 못합니다. 좁고 깊은 망은 이론상 표현력이 있어도 "
                           "학습이 어렵습니다."},
        outcome=deep_learned, explains=1, setup={"budget": 50}, steps=300),
)


class DeepVsShallow(SupervisedExperiment):
    """Two MLPs on the same minibatches (Adam, MSE), x: (POINTS, 1) on [-1, 1], y: (POINTS, 1)
    the tent map composed ``teeth`` times. Arm "deep": 1 -> [w] * depth -> 1 with w the widest
    that fits the budget; arm "shallow": 1 -> H -> 1 with about as many parameters as the deep
    one. History: "deep/loss", "shallow/loss" (minibatch) every step and "deep/train_loss",
    "shallow/train_loss" (all POINTS) every EVAL_EVERY steps."""

    info = INFO
    family = "arms"
    questions = QUESTIONS
    figures = (final("deep/train_loss", key="deep", name=T("deep", "깊은 망")),
               final("shallow/train_loss", key="shallow", name=T("shallow", "얕은 망")))
    loss_name = "mse"
    optimizer_name = "adam"
    default_batch_size = BATCH
    eval_every_steps = EVAL_EVERY
    eval_measures = ("loss",)

    hyperparams = (
        HyperParam("budget", "parameters", "int", 385, low=25, high=800, step=25, needs_reset=True,
                   help="the parameter budget both nets share"),
        HyperParam("depth", "deep net's layers", "int", 6, low=2, high=8, needs_reset=True,
                   help="hidden layers of the deep net (the shallow net has one)"),
        HyperParam("activation", "activation", "choice", "relu", choices=("relu", "tanh"), needs_reset=True,
                   help="non-linearity after every hidden layer of both nets"),
        HyperParam("teeth", "tent maps", "int", 4, low=1, high=6, needs_reset=True,
                   help="tent maps composed into the target: 2^(n-1) teeth, 2^n linear pieces"),
        HyperParam("biases", "biases start", "choice", "spread", choices=("spread", "zero"), needs_reset=True,
                   help="spread: uniform in ±1/√fan_in (kinks spread over x); zero: every first-layer kink at x = 0"),
        HyperParam("learning_rate", "learning rate", "float", 0.003, low=1e-4, high=1.0, log=True,
                   help="Adam step size for both nets; changes live"),
    )

    def _data(self) -> Splits:
        x, y = data.sawtooth(POINTS, self.values["teeth"], 0.0, seed=self.data_rng)
        return Splits((2.0 * x - 1.0).astype(np.float32), y)

    def _net(self, widths: list[int]) -> Sequential:
        act = self.values["activation"]
        init = "he" if act == "relu" else "xavier"
        layers: list = []
        for n_in, n_out in zip(widths[:-1], widths[1:]):
            dense = Dense(n_in, n_out, init=init, rng=self.init_rng)
            if self.values["biases"] == "spread":
                limit = 1.0 / math.sqrt(n_in)
                dense.params["b"][...] = self.init_rng.uniform(-limit, limit, n_out)
            layers += [dense, Activation(act)]
        return Sequential(layers[:-1])

    def _arms(self) -> list[Arm]:
        depth = self.values["depth"]
        width = deep_widths(self.values["budget"], depth)
        self.deep_shape = [1] + [width] * depth + [1]
        self.shallow_shape = [1, shallow_width(count_params(depth, width)), 1]
        return [self.make_arm("deep", self._net(self.deep_shape)),
                self.make_arm("shallow", self._net(self.shallow_shape))]

    def _views(self) -> dict[str, Any]:
        """x (POINTS,) the inputs and target (POINTS,) their targets; grid (GRID,) inputs across
        [-1, 1] and fit_deep, fit_shallow (GRID,) each net's output there; shapes: {"deep":
        [1, w, ..., 1], "shallow": [1, H, 1]}; params: {"deep": n, "shallow": n}; pieces:
        {"deep", "shallow", "target"}: straight pieces over the grid (None with tanh)."""
        x, y = self.data.x_train, self.data.y_train
        relu = self.values["activation"] == "relu"
        grid = piece_grid()
        (fit_deep, deep), (fit_shallow, shallow) = (output_and_pieces(arm.model, grid, relu) for arm in self.arms)
        return {
            "x": x[:, 0].copy(),
            "target": y[:, 0].copy(),
            "grid": grid[:, 0].copy(),
            "fit_deep": fit_deep,
            "fit_shallow": fit_shallow,
            "shapes": {"deep": list(self.deep_shape), "shallow": list(self.shallow_shape)},
            "params": {arm.name: arm.model.n_params for arm in self.arms},
            "pieces": {"deep": deep, "shallow": shallow, "target": 2 ** self.values["teeth"]},
        }
