"""Lesson 8, weight initialization: a deep MLP whose activations vanish, saturate or keep
their spread depending on how its weights start."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import data
from ..activations import ACTIVATIONS
from ..compare import T, final
from ..engine import Arm, Splits, SupervisedExperiment
from ..experiment import Experiment, HyperParam
from ..questions import Question
from ..init import INITIALIZERS, Initializer, constant
from ..layers import Activation, Dense
from ..model import Sequential
from ..texts.weight_init import INFO

WIDTH = 64  # units per hidden layer
BATCH = 64  # minibatch rows; also keeps every matmul small enough for single-threaded BLAS
PROBE = 64  # fixed points shown in the histograms: PROBE * WIDTH = 4096 values per layer
SATURATED = 0.99
SPREAD_EVERY = 20  # steps between two records of "unit_spread" (it costs about a quarter of a step)


def units_identical(exp: Experiment) -> int:
    """0: every hidden layer's units are still copies of one another; 1: they differ."""
    return 0 if exp.history["unit_spread"].last == 0.0 else 1


def deep_spread(exp: Experiment) -> int:
    """The last hidden layer against the first: 0 collapsed (std below a tenth of h1's),
    2 saturated (over half its units at the activation's ends), 1 about as spread."""
    views = exp.snapshot().views
    std, saturation = views["activation_std"], views["saturation"]
    if std[-1] < 0.1 * std[0]:
        return 0
    return 2 if saturation[-1] > 0.5 else 1


SPREAD = ({"en": "collapsed toward a single value", "ko": "한 값 근처로 쪼그라든다"},
          {"en": "about as spread as the first layer's", "ko": "첫 층과 비슷하게 퍼져 있다"},
          {"en": "piled up at the ends (saturated)", "ko": "양 끝에 몰린다 (포화)"})

QUESTIONS = (
    Question(
        key="zeros-symmetry",
        text={"en": "Every weight starts at 0 (tanh). After 300 steps of training, are a hidden layer's units "
                    "still identical?",
              "ko": "모든 가중치를 0으로 시작합니다(tanh). 300 스텝 학습한 뒤에도 은닉층의 유닛들이 서로 같을까?"},
        choices=({"en": "yes, still identical", "ko": "그렇다, 여전히 같다"},
                 {"en": "no, training made them differ", "ko": "아니다, 학습하면서 달라졌다"}),
        explanation={"en": "Identical units get identical gradients, so nothing can tell them apart; with zeros and "
                           "tanh the hidden weights even get zero gradient and never move.",
                     "ko": "같은 유닛은 같은 gradient를 받으므로 서로 달라질 수 없습니다. 0과 tanh에서는 은닉층 "
                           "가중치의 gradient가 아예 0이라 전혀 움직이지 않습니다."},
        outcome=units_identical, explains=0,
        setup={"init": "zeros", "activation": "tanh"}, steps=300),
    Question(
        key="tiny-init-collapses",
        text={"en": "N(0, 0.01) weights, tanh, 8 hidden layers: at the start, the 8th layer's activations are…",
              "ko": "N(0, 0.01) 가중치, tanh, 은닉층 8개: 처음에 8번째 층의 활성값은…"},
        choices=SPREAD,
        explanation={"en": "Each layer scales the spread by about std(W)·√fan_in = 0.01·8 = 0.08: after 8 layers "
                           "almost nothing is left.",
                     "ko": "층마다 퍼짐이 약 std(W)·√fan_in = 0.01·8 = 0.08배가 되어, 8층을 지나면 거의 남지 않습니다."},
        outcome=deep_spread, explains=0,
        setup={"init": "normal(0.01)", "activation": "tanh"}, steps=1),
    Question(
        key="unit-normal-saturates",
        text={"en": "N(0, 1) weights, tanh, 8 hidden layers: at the start, the 8th layer's activations are…",
              "ko": "N(0, 1) 가중치, tanh, 은닉층 8개: 처음에 8번째 층의 활성값은…"},
        choices=SPREAD,
        explanation={"en": "Each pre-activation has a spread of about √fan_in = 8, far into tanh's flat ends: "
                           "most units sit at ±1.",
                     "ko": "활성화 전 값의 퍼짐이 약 √fan_in = 8이라 tanh의 평평한 양 끝으로 밀려나, "
                           "대부분의 유닛이 ±1에 머뭅니다."},
        outcome=deep_spread, explains=2,
        setup={"init": "normal(1)", "activation": "tanh"}, steps=1),
    Question(
        key="he-keeps-relu",
        text={"en": "He init with ReLU, 8 hidden layers: at the start, the 8th layer's activations are…",
              "ko": "ReLU에 He 초기화, 은닉층 8개: 처음에 8번째 층의 활성값은…"},
        choices=SPREAD,
        explanation={"en": "He's std √(2/fan_in) makes up for ReLU zeroing half of its inputs, so the spread "
                           "stays within a small factor layer after layer.",
                     "ko": "He의 표준편차 √(2/fan_in)은 ReLU가 입력의 절반을 0으로 만드는 만큼을 보충해서, "
                           "층을 거듭해도 퍼짐이 작은 배수 안에서 유지됩니다."},
        outcome=deep_spread, explains=1,
        setup={"init": "he", "activation": "relu"}, steps=1),
)


class WeightInit(SupervisedExperiment):
    """A deep tanh/ReLU/sigmoid MLP on a 3-arm spiral, trained by minibatch SGD.

    Data X: (300, 2) standardised, y: (300,) in {0, 1, 2}. The model is
    ``depth`` x [Dense(WIDTH) + activation] followed by Dense(3) logits; every Dense
    starts from the chosen initialiser ("constant" = 1/fan_in), biases from zero.
    Step 0 records the untrained loss and gradients on the probe rows. History: "loss"
    and "accuracy" of every minibatch; "unit_spread" (see ``_unit_spread``) at step 0 and
    every SPREAD_EVERY steps.
    """

    # save / resume: the last pass's dW norms, shown in the panels
    state_attrs = SupervisedExperiment.state_attrs + ("_grad_norms",)

    info = INFO
    family = "mlp"
    questions = QUESTIONS
    # compare runs (c): the minibatch loss and accuracy over the last 50 steps
    figures = (final("loss", key="loss", name=T("loss", "손실"), window=50),
               final("accuracy", key="accuracy", name=T("acc.", "정확도"), window=50, unit="percent"))
    default_batch_size = BATCH
    record_batch_accuracy = True
    probe_size = PROBE

    hyperparams = (
        HyperParam("init", "init", "choice", "xavier", choices=INITIALIZERS.names(), needs_reset=True,
                   help="how every Dense layer's weights start (biases start at 0)"),
        HyperParam("activation", "activation", "choice", "tanh", choices=ACTIVATIONS.names("tanh", "relu", "sigmoid"),
                   needs_reset=True, help="non-linearity after each hidden layer"),
        HyperParam("depth", "hidden layers", "int", 8, low=2, high=10, needs_reset=True,
                   help=f"number of hidden layers of {WIDTH} units"),
        HyperParam("learning_rate", "learning rate", "float", 0.1, low=1e-4, high=2.0, log=True,
                   help="SGD step size; changes live"),
    )

    def _data(self) -> Splits:
        X, y = data.spiral(n_per_class=100, classes=3, noise=0.2, seed=self.data_rng)
        return Splits((X - X.mean(axis=0)) / X.std(axis=0), y)

    def _model(self) -> Sequential:
        v = self.values

        def initializer(fan_in: int) -> str | Initializer:
            # "constant" is scaled to 1/fan_in: a sane size, so symmetry is its only fault.
            return constant(1.0 / fan_in) if v["init"] == "constant" else v["init"]

        layers: list = []
        n_in = self.data.x_train.shape[1]
        for _ in range(v["depth"]):
            layers += [Dense(n_in, WIDTH, init=initializer(n_in), rng=self.init_rng), Activation(v["activation"])]
            n_in = WIDTH
        layers.append(Dense(n_in, 3, init=initializer(n_in), rng=self.init_rng))
        model = Sequential(layers)  # (moves the parameters into its flat buffers)
        self.dense = [layer for layer in layers if isinstance(layer, Dense)]
        self._grads_flat = [d.grads["W"].reshape(-1) for d in self.dense]  # views, for the norms
        return model

    def _after_backward(self, arm: Arm) -> None:
        # ‖dW‖ = sqrt(dW·dW), as np.linalg.norm computes it, without its per-call overhead
        self._grad_norms = np.sqrt(np.array([np.dot(g, g) for g in self._grads_flat], dtype=np.float32))

    def _after_reset(self) -> None:
        super()._after_reset()
        self.history.append("unit_spread", 0, self._unit_spread())

    def _train_step(self) -> dict[str, float]:
        metrics = super()._train_step()
        if (self.step_count + 1) % SPREAD_EVERY == 0:  # this step's number is step_count + 1
            spread = self._unit_spread()
            if math.isfinite(spread):  # a blown-up run is reported by its loss, not by this
                metrics["unit_spread"] = spread
        return metrics

    def _unit_spread(self) -> float:
        """How far the units of the hidden layers are from identical: the largest
        |W[:, j] - W[:, 0]| (unit j's incoming weights vs unit 0's) over every hidden
        Dense, relative to that layer's largest |W|. 0 means every unit is a copy of
        unit 0; a random init gives about 1."""
        spread = np.float32(0.0)
        for d in self.dense[:-1]:
            W = d.params["W"]
            scale = np.abs(W).max()
            if scale != 0:  # all-zero weights: identical units (0); nan stays nan
                spread = np.maximum(spread, np.abs(W - W[:, :1]).max() / scale)
        return float(spread)

    def _views(self) -> dict[str, Any]:
        """Arrays for the panels (all copies or read-only), with N = depth:

        activations: N arrays (PROBE*WIDTH,) of post-activation values of the probe rows;
        layer_names: ["h1", ..., "hN"];
        grad_norms: (N+1,) L2 norm of each Dense's dW at the last pass, input side first;
        grad_names: ["W1", ..., "W(N+1)"] (the last is the output layer);
        weights: (WIDTH, WIDTH) the h1 -> h2 weights transposed, rows = units of h2;
        activation_std, saturation, dead_fraction: (N,) per hidden layer, over the probe;
        saturation is the fraction with |a| > 0.99 (sigmoid: a > 0.99 or a < 0.01), dead the
        fraction exactly 0. After divergence these arrays may hold inf/nan.
        """
        _, outputs = self.probe_outputs()  # post-activation values of the probe rows, per hidden layer
        acts = [out.reshape(-1).copy() for layer, out in zip(self.model.layers, outputs) if isinstance(layer, Activation)]
        for a in acts:
            a.setflags(write=False)
        if self.values["activation"] == "sigmoid":
            saturation = [np.mean((a > SATURATED) | (a < 1 - SATURATED)) for a in acts]
        else:
            saturation = [np.mean(np.abs(a) > SATURATED) for a in acts]
        return {
            "activations": acts,
            "layer_names": [f"h{i + 1}" for i in range(len(acts))],
            "grad_norms": self._grad_norms.copy(),
            "grad_names": [f"W{i + 1}" for i in range(len(self.dense))],
            "weights": self.dense[1].params["W"].T.copy(),
            "activation_std": np.array([a.std() for a in acts], dtype=np.float32),
            "saturation": np.array(saturation, dtype=np.float32),
            "dead_fraction": np.array([np.mean(a == 0) for a in acts], dtype=np.float32),
        }
