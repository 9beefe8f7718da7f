"""Lesson 9, activation functions: their curves and slopes, a softmax of logits the learner
edits, and a deep MLP on XOR (or two rings) whose decision map and per-layer gradient
norms change with the activation."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import data
from ..activations import ACTIVATIONS, softmax
from ..compare import T, final
from ..engine import Arm, Splits, SupervisedExperiment
from ..experiment import Experiment, HyperParam
from ..layers import Activation, Dense
from ..model import Sequential
from ..questions import Question
from ..texts.activations import INFO

WIDTH = 16  # units per hidden layer
BATCH = 32
GRID = 40  # decision map: GRID x GRID points
EXTENT = (-2.0, 2.0, -2.0, 2.0)  # (xmin, xmax, ymin, ymax) of the map
CURVE_X = np.linspace(-5.0, 5.0, 201, dtype=np.float32)  # where the curves are drawn
LOGITS = ("logit_a", "logit_b", "logit_c")
FITS = 0.95  # training accuracy that counts as "fits"


MAP_POINTS = data.grid_points(EXTENT, GRID)


def train_accuracy(exp: Experiment) -> float:
    """Accuracy on the whole training set, evaluation mode."""
    assert isinstance(exp, Activations)
    logits = exp.model.forward(exp.data.x_train, training=False)
    return float(np.mean(logits.argmax(axis=1) == exp.data.y_train))


def fits(exp: Experiment) -> int:
    """0: the net fits the training set (accuracy >= FITS); 1: it does not."""
    return 0 if train_accuracy(exp) >= FITS else 1


def vanishing_ratio(exp: Experiment) -> float:
    """‖dW1‖ / ‖dW of the last hidden layer‖ at the last pass: below 1, the gradient shrank toward the input."""
    assert isinstance(exp, Activations)
    norms = exp._grad_norms
    return float(norms[0] / norms[-2])


def shrinks_a_lot(exp: Experiment) -> int:
    """0: the first layer's gradient is under a hundredth of the last hidden layer's; 1: it is not."""
    return 0 if vanishing_ratio(exp) < 0.01 else 1


QUESTIONS = (
    Question(
        key="linear-xor",
        text={"en": "Six hidden layers, all with the linear activation (no non-linearity). After 300 steps on "
                    "XOR, does the network fit the training set (95% or more)?",
              "ko": "은닉층 6개, 모두 선형 활성화(비선형 없음). XOR에서 300 스텝 학습하면 학습 데이터를 "
                    "맞출까(95% 이상)?"},
        choices=({"en": "yes, depth makes up for it", "ko": "그렇다, 깊이가 보충한다"},
                 {"en": "no, it stays a linear classifier", "ko": "아니다, 여전히 선형 분류기다"}),
        explanation={"en": "A product of matrices is one matrix: without a non-linearity the whole net is one "
                           "linear map, and no straight line separates XOR's corners. It gets at most about three "
                           "of the four corners right.",
                     "ko": "행렬의 곱은 하나의 행렬입니다. 비선형 함수가 없으면 망 전체가 선형 변환 하나이고, "
                           "XOR의 네 모서리는 직선 하나로 나눌 수 없습니다. 많아야 네 모서리 중 세 개쯤 맞힙니다."},
        outcome=fits, explains=1,
        setup={"activation": "linear", "depth": 6}, steps=300),
    Question(
        key="tanh-xor",
        text={"en": "The same six layers with tanh. After 300 steps on XOR, does it fit the training set?",
              "ko": "같은 6층에 tanh를 씁니다. XOR에서 300 스텝 뒤 학습 데이터를 맞출까?"},
        choices=({"en": "yes", "ko": "그렇다"}, {"en": "no", "ko": "아니다"}),
        explanation={"en": "tanh bends the space between layers, so the net can carve XOR's four corners into "
                           "two classes.",
                     "ko": "tanh가 층 사이에서 공간을 휘게 하므로, 망이 XOR의 네 모서리를 두 클래스로 나눌 수 있습니다."},
        outcome=fits, explains=0,
        setup={"activation": "tanh", "depth": 6}, steps=300),
    Question(
        key="sigmoid-vanishes",
        text={"en": "Six sigmoid layers, at the start: is the first layer's gradient norm under a hundredth "
                    "of the last hidden layer's?",
              "ko": "sigmoid 층 6개, 학습 시작 시점: 첫 층의 gradient norm이 마지막 은닉층의 100분의 1보다 작을까?"},
        choices=({"en": "yes, under 1/100", "ko": "그렇다, 1/100보다 작다"},
                 {"en": "no", "ko": "아니다"}),
        explanation={"en": "Each sigmoid layer multiplies the backward signal by its slope, at most ¼, and by "
                           "the weights: over five layers that is a factor of hundreds or more.",
                     "ko": "sigmoid 층마다 역전파 신호에 기울기(최대 ¼)와 가중치가 곱해져서, 다섯 층을 지나면 "
                           "수백 배 이상 작아집니다."},
        outcome=shrinks_a_lot, explains=0,
        setup={"activation": "sigmoid", "depth": 6}, steps=1),
    Question(
        key="relu-keeps",
        text={"en": "Six ReLU layers (He init), at the start: is the first layer's gradient norm under a "
                    "hundredth of the last hidden layer's?",
              "ko": "ReLU 층 6개(He 초기화), 학습 시작 시점: 첫 층의 gradient norm이 마지막 은닉층의 100분의 1보다 작을까?"},
        choices=({"en": "yes, under 1/100", "ko": "그렇다, 1/100보다 작다"},
                 {"en": "no", "ko": "아니다"}),
        explanation={"en": "ReLU's slope is exactly 1 wherever a unit is on, so the backward signal is not "
                           "shrunk by the activation; with He init it keeps its size within a small factor.",
                     "ko": "ReLU는 켜진 유닛에서 기울기가 정확히 1이라 활성화 함수가 역전파 신호를 줄이지 않습니다. "
                           "He 초기화와 함께면 크기가 작은 배수 안에서 유지됩니다."},
        outcome=shrinks_a_lot, explains=1,
        setup={"activation": "relu", "depth": 6}, steps=1),
)


class Activations(SupervisedExperiment):
    """A ``depth`` x [Dense(WIDTH) + activation] MLP with Dense(2) logits on XOR or two rings
    (200 training and 200 test points), softmax cross-entropy, minibatch SGD. Weights:
    He for ReLU / leaky ReLU, Xavier otherwise; biases 0. The logits a, b, c only feed
    the softmax view. History: "loss", "accuracy" of every minibatch, "train_accuracy" and
    "test_accuracy" every 25 steps; the views hold every layer's last ‖dW‖."""

    state_attrs = SupervisedExperiment.state_attrs + ("_grad_norms",)

    info = INFO
    family = "mlp"
    questions = QUESTIONS
    figures = (final("accuracy", key="accuracy", name=T("acc.", "정확도"), window=50, unit="percent"),
               final("loss", key="loss", name=T("loss", "손실"), window=50))
    default_batch_size = BATCH
    record_batch_accuracy = True
    eval_every_steps = 25
    eval_measures = ("accuracy",)

    hyperparams = (
        HyperParam("activation", "activation", "choice", "tanh",
                   choices=ACTIVATIONS.names("sigmoid", "tanh", "relu", "leaky_relu", "linear"),
                   needs_reset=True, help="non-linearity after each hidden layer"),
        HyperParam("depth", "hidden layers", "int", 4, low=1, high=8, needs_reset=True,
                   help=f"number of hidden layers of {WIDTH} units"),
        HyperParam("dataset", "data", "choice", "xor", choices=("xor", "circles"), needs_reset=True,
                   help="XOR's four corners or two rings"),
        HyperParam("learning_rate", "learning rate", "float", 0.3, low=1e-3, high=3.0, log=True,
                   help="SGD step size; changes live"),
        HyperParam("logit_a", "logit a", "float", 2.0, low=-6.0, high=6.0, step=0.5,
                   help="first logit of the softmax panel"),
        HyperParam("logit_b", "logit b", "float", 1.0, low=-6.0, high=6.0, step=0.5,
                   help="second logit of the softmax panel"),
        HyperParam("logit_c", "logit c", "float", 0.0, low=-6.0, high=6.0, step=0.5,
                   help="third logit of the softmax panel"),
    )

    def _data(self) -> Splits:
        make = data.xor if self.values["dataset"] == "xor" else data.circles
        X, y = make(n=400, noise=0.25 if self.values["dataset"] == "xor" else 0.1, seed=self.data_rng)
        if self.values["dataset"] == "circles":
            X = X * np.float32(1.6)
        return Splits(X[:200], y[:200], x_test=X[200:], y_test=y[200:])

    def _model(self) -> Sequential:
        kind = self.values["activation"]
        init = "he" if kind in ("relu", "leaky_relu") else "xavier"
        layers: list = []
        n_in = 2
        for _ in range(self.values["depth"]):
            layers += [Dense(n_in, WIDTH, init=init, rng=self.init_rng), Activation(kind)]
            n_in = WIDTH
        layers.append(Dense(n_in, 2, init="xavier", rng=self.init_rng))
        model = Sequential(layers)
        self.dense = [layer for layer in layers if isinstance(layer, Dense)]
        self._grads_flat = [d.grads["W"].reshape(-1) for d in self.dense]
        return model

    def _after_reset(self) -> None:
        super()._after_reset()
        self._measure(self.arms[0], self.data.x_train, self.data.y_train)  # the untrained gradients, no update

    def _after_backward(self, arm: Arm) -> None:
        self._grad_norms = np.sqrt(np.array([np.dot(g, g) for g in self._grads_flat], dtype=np.float32))

    def _views(self) -> dict[str, Any]:
        """curve_x: (201,) inputs; curve, slope: the activation and its derivative there;
        logits, softmax: (3,) the edited logits and their softmax; probabilities: (GRID,
        GRID, 2) class probabilities over EXTENT (row 0 the lowest y); extent;
        train, test: (points (n, 2), labels (n,)); grad_norms: (depth+1,) ‖dW‖ per Dense
        at the last pass (input side first), grad_names: "W1".."W(depth+1)"."""
        act = ACTIVATIONS.get(self.values["activation"])
        y = act.fn(CURVE_X)
        logits = np.array([self.values[k] for k in LOGITS], dtype=np.float64)
        out = self.model.forward(MAP_POINTS, training=False)
        probs = softmax(out.astype(np.float64), axis=1).reshape(GRID, GRID, 2)
        d = self.data
        assert d.x_test is not None and d.y_test is not None
        return {
            "curve_x": CURVE_X.copy(),
            "curve": y.copy(),
            "slope": act.grad(CURVE_X, y).astype(np.float32),
            "logits": logits,
            "softmax": softmax(logits),
            "probabilities": probs,
            "extent": EXTENT,
            "train": (d.x_train.copy(), d.y_train.copy()),
            "test": (d.x_test.copy(), d.y_test.copy()),
            "grad_norms": self._grad_norms.copy(),
            "grad_names": [f"W{i + 1}" for i in range(len(self.dense))],
        }
