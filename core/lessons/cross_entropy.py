"""Lesson 15, cross-entropy: two linear classifiers (sigmoid for two classes, softmax for
three) start from the same confidently wrong weights; one is trained with a squared (or
absolute) error on its probabilities, one with cross-entropy, on the same batches."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import data
from ..activations import softmax
from ..compare import T, steps_until
from ..engine import Arm, Splits, SupervisedExperiment
from ..experiment import Experiment, HyperParam
from ..layers import Dense
from ..losses import Loss
from ..model import Sequential
from ..optim import OPTIMIZERS
from ..questions import Question
from ..texts.cross_entropy import INFO

N_TRAIN = N_TEST = 200
GRID = 32
EXTENT = (-3.5, 3.5, -3.5, 3.5)
RECOVERED = 0.9  # training accuracy that counts as recovered
P_AXIS = np.linspace(0.001, 0.999, 200)  # predicted probability of the true class, for the curves
ARMS = ("mse", "ce")


MAP_POINTS = data.grid_points(EXTENT, GRID)


def _sigmoid(z: np.ndarray, t: np.ndarray | None = None) -> np.ndarray:
    """``core.activations.sigmoid``'s values, 1/(1+e^-z) for z >= 0 and e^z/(1+e^z) below,
    as (1 or t)/(1+t) with t = e^-|z| (pass it if you have it): no boolean indexing."""
    if t is None:
        t = np.exp(-np.abs(z))
    p = np.where(z >= 0, 1.0, t)
    p /= 1.0 + t
    return p


def probabilities(logits: np.ndarray) -> np.ndarray:
    """Class probabilities (n, classes) of logits (n, 1) (sigmoid, two classes) or (n, k) (softmax)."""
    z = logits.astype(np.float64)
    if z.shape[1] == 1:
        p1 = _sigmoid(z[:, 0])
        return np.stack([1.0 - p1, p1], axis=1)
    return softmax(z, axis=1)


def batch_measures(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(accuracy, mean probability of the true class) of the probabilities p: (n, 1), a
    sigmoid's (the second class's), or (n, k), at the integer labels y: the values
    ``probabilities()`` gives, without stacking the two columns of a sigmoid."""
    n = len(y)
    if p.shape[1] == 1:
        p1 = p[:, 0]
        q = 1.0 - p1
        correct = np.count_nonzero((p1 > q) == y)  # the argmax of (1 − p, p) is 1 iff p > 1 − p
        true = np.where(y, p1, q)
    else:
        correct = np.count_nonzero(p.argmax(axis=1) == y)
        true = p[np.arange(n), y]
    return correct / n, float(np.add.reduce(true) / n)  # np.mean's sum and division


def predicted_accuracy(logits: np.ndarray, y: np.ndarray) -> float:
    """The fraction of rows whose most probable class (``probabilities()``'s argmax) is y."""
    z = logits.astype(np.float64)
    if z.shape[1] == 1:
        p1 = _sigmoid(z[:, 0])
        predicted = p1 > 1.0 - p1  # the argmax of (1 − p, p)
    else:
        predicted = softmax(z, axis=1).argmax(axis=1)
    return np.count_nonzero(predicted == y) / len(y)


class _ScratchLoss(Loss):
    """A loss whose cached arrays are dropped by ``clear()`` once its step is done, so a
    saved and resumed run holds the same attributes as one that never stopped."""

    _p: np.ndarray | None
    _g: np.ndarray | None
    _y: np.ndarray | None

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._p = self._g = self._y = None
        self._binary = False
        self._dtype: np.dtype = np.dtype(np.float32)

    def class_probabilities(self) -> np.ndarray | None:
        """The last forward's probabilities as ``probabilities()`` computes them ((n, 1)
        for a sigmoid: the second class's), or None when this loss computes them otherwise."""
        return self._p


class _OnProbabilities(_ScratchLoss):
    """A loss of the probabilities p = sigmoid(z) (one logit) or softmax(z), on integer labels:
    the mean over examples of the sum over classes of ``_elementwise(p - onehot)``."""

    def _elementwise(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(loss, dloss/dd) elementwise."""
        raise NotImplementedError

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        n = pred.shape[0]
        z = pred.astype(np.float64)
        labels = target.astype(np.intp, copy=False)
        if z.shape[1] == 1:
            self._binary = True
            p = _sigmoid(z)
            y = labels.reshape(-1, 1).astype(np.float64)
        else:
            self._binary = False
            p = softmax(z, axis=1)
            y = np.zeros_like(p)
            y[np.arange(n), labels] = 1.0
        value, slope = self._elementwise(p - y)
        self._p, self._g, self._dtype = p, slope / n, pred.dtype  # dL/dp
        return float(value.sum() / n)

    def backward(self) -> np.ndarray:
        p, g = self._p, self._g
        assert p is not None and g is not None, "backward before forward"
        if self._binary:
            return (g * p * (1.0 - p)).astype(self._dtype)  # through the sigmoid
        return (p * (g - (g * p).sum(axis=1, keepdims=True))).astype(self._dtype)  # through the softmax


class SquaredError(_OnProbabilities):
    """(p − y)² summed over the classes (one output for a sigmoid), mean over examples."""

    name = "mse"

    def _elementwise(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return d * d, 2.0 * d


class AbsoluteError(_OnProbabilities):
    """|p − y| summed over the classes, mean over examples."""

    name = "mae"

    def _elementwise(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.abs(d), np.sign(d)


class CrossEntropy(_ScratchLoss):
    """−log p of the true class, mean over examples, on logits (n, 1) (sigmoid: binary
    cross-entropy) or (n, k) (softmax); integer labels. dL/dz = (p − y) / n."""

    name = "ce"

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        n = pred.shape[0]
        z = pred.astype(np.float64)
        labels = target.astype(np.intp, copy=False)
        self._binary = z.shape[1] == 1
        if self._binary:
            y = labels.reshape(-1, 1).astype(np.float64)
            t = np.exp(-np.abs(z))
            self._p, self._y = _sigmoid(z, t), y
            loss = np.maximum(z, 0) - z * y + np.log1p(t)  # stable for any z
        else:
            shifted = z - z.max(axis=1, keepdims=True)
            logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            y = np.zeros_like(z)
            y[np.arange(n), labels] = 1.0
            self._p, self._y = np.exp(logp), y
            loss = -(y * logp)
        self._dtype = pred.dtype
        return float(loss.sum() / n)

    def backward(self) -> np.ndarray:
        assert self._p is not None and self._y is not None, "backward before forward"
        return ((self._p - self._y) / self._p.shape[0]).astype(self._dtype)

    def class_probabilities(self) -> np.ndarray | None:
        return self._p if self._binary else None  # softmax: exp(log p), not softmax()'s rounding


PAIRED = {"mse": SquaredError, "mae": AbsoluteError}


def recovery_step(exp: Experiment, arm: str) -> int | None:
    """The first step at which ``arm``'s training accuracy reached RECOVERED, or None."""
    steps, values, _ = exp.history[f"{arm}/accuracy"].points()
    hits = np.flatnonzero(values >= RECOVERED)
    return int(steps[hits[0]]) if hits.size else None


def ce_first(exp: Experiment) -> int:
    """0: cross-entropy recovered first (or alone); 1: the squared error did, or neither."""
    ce, other = recovery_step(exp, "ce"), recovery_step(exp, "mse")
    if ce is not None and (other is None or ce < other):
        return 0
    return 1


def grad_ratio(exp: Experiment) -> float:
    """Mean |∂L/∂z| of the squared-error arm over the cross-entropy arm's, on the training set."""
    assert isinstance(exp, CrossEntropyLesson)
    return exp.logit_gradients()[0] / exp.logit_gradients()[1]


def mse_gradient_small(exp: Experiment) -> int:
    """0: at the start the squared error's logit gradient is under a tenth of cross-entropy's; 1: not."""
    return 0 if grad_ratio(exp) < 0.1 else 1


QUESTIONS = (
    Question(
        key="who-recovers",
        text={"en": "Both classifiers start confidently wrong (start confidence 6). Which reaches 90% training "
                    "accuracy first?",
              "ko": "두 분류기가 확신에 찬 오답에서 시작합니다(시작 확신 6). 학습 정확도 90%에 먼저 닿는 쪽은?"},
        choices=({"en": "the one trained with cross-entropy", "ko": "cross-entropy로 학습한 쪽"},
                 {"en": "the one trained with squared error", "ko": "제곱 오차로 학습한 쪽"}),
        explanation={"en": "Through a sigmoid, the squared error's gradient carries a factor p(1−p), nearly 0 "
                           "when p is near 0 or 1: the more confidently wrong, the less it learns. Cross-entropy's "
                           "gradient with respect to the logit is p − y, largest exactly when it is most wrong.",
                     "ko": "sigmoid를 거치면 제곱 오차의 gradient에 p(1−p)가 곱해져, p가 0이나 1 근처면 거의 0입니다. "
                           "확신에 찬 오답일수록 덜 배웁니다. cross-entropy의 logit에 대한 gradient는 p − y라서, "
                           "가장 많이 틀렸을 때 가장 큽니다."},
        outcome=ce_first, explains=0,
        setup={"confidence": 6.0}, steps=100),
    Question(
        key="vanishing-mse",
        text={"en": "At the confidently wrong start, is the squared error's gradient with respect to the logits "
                    "under a tenth of cross-entropy's?",
              "ko": "확신에 찬 오답에서 시작할 때, 제곱 오차의 logit에 대한 gradient가 cross-entropy의 10분의 1보다 작을까?"},
        choices=({"en": "yes", "ko": "그렇다"}, {"en": "no", "ko": "아니다"}),
        explanation={"en": "For a point with p ≈ 0.01 of its true class, cross-entropy's gradient is about 0.99; "
                           "squared error's is 2(p−1)·p(1−p) ≈ 0.02.",
                     "ko": "참 클래스의 확률이 p ≈ 0.01인 점에서 cross-entropy의 gradient는 약 0.99이고, 제곱 오차의 "
                           "gradient는 2(p−1)·p(1−p) ≈ 0.02입니다."},
        outcome=mse_gradient_small, explains=0,
        setup={"confidence": 6.0}, steps=1),
)


class CrossEntropyLesson(SupervisedExperiment):
    """Two copies of a linear classifier on 2-D Gaussian blobs (two classes: one logit and a
    sigmoid; three: three logits and a softmax), from the same confidently wrong weights
    (the class means, negated and scaled so the mean |logit| of the true class is about
    ``confidence``), trained by plain gradient descent on the same minibatches of 100:
    "mse" with the squared (or absolute) error of the probabilities, "ce" with
    cross-entropy. History per arm: "loss", "accuracy" and "p_true" (mean probability of
    the true class) of every batch; "train_accuracy" and "test_accuracy" every 10 steps."""

    info = INFO
    family = "arms"
    questions = QUESTIONS
    figures = (steps_until("mse/accuracy", key="mse-recovers", name=T("steps, MSE", "스텝, MSE"), above=RECOVERED),
               steps_until("ce/accuracy", key="ce-recovers", name=T("steps, CE", "스텝, CE"), above=RECOVERED))
    optimizer_name = "gd"
    default_batch_size = 100
    eval_every_steps = 10
    eval_measures = ("accuracy",)

    hyperparams = (
        HyperParam("confidence", "start confidence", "float", 6.0, low=0.0, high=10.0, step=1.0, needs_reset=True,
                   help="how confidently wrong the start is: the mean |logit| of the true class, with the wrong sign"),
        HyperParam("task", "classes", "choice", "binary", choices=("binary", "multi-class"), needs_reset=True,
                   help="binary: one logit and a sigmoid; multi-class: three logits and a softmax"),
        HyperParam("pairing", "compared loss", "choice", "mse", choices=("mse", "mae"), needs_reset=True,
                   help="the loss on the probabilities trained beside cross-entropy: squared or absolute error"),
        HyperParam("learning_rate", "learning rate", "float", 1.0, low=0.01, high=10.0, log=True,
                   help="gradient-descent step size (both); changes live"),
    )

    def _data(self) -> Splits:
        classes = 2 if self.values["task"] == "binary" else 3
        X, y = data.gaussians(n=N_TRAIN + N_TEST, classes=classes, spread=0.6, seed=self.data_rng)
        return Splits(X[:N_TRAIN], y[:N_TRAIN], x_test=X[N_TRAIN:], y_test=y[N_TRAIN:])

    def _start(self) -> dict[str, np.ndarray]:
        """The confidently wrong weights: W (2, outputs), b (outputs,)."""
        X, y = self.data.x_train.astype(np.float64), self.data.y_train
        classes = int(y.max()) + 1
        means = np.stack([X[y == k].mean(axis=0) for k in range(classes)], axis=1)  # (2, classes)
        if classes == 2:
            W = (means[:, 1] - means[:, 0]).reshape(2, 1)
            true = (X @ W)[:, 0] * np.where(y == 1, 1.0, -1.0)  # the true class's margin, right sign
        else:
            W = means - means.mean(axis=1, keepdims=True)
            z = X @ W
            true = z[np.arange(len(y)), y] - z.mean(axis=1)
        scale = self.values["confidence"] / max(float(np.mean(np.abs(true))), 1e-12)
        outputs = W.shape[1]
        return {"W": (-scale * W).astype(np.float32), "b": np.zeros(outputs, dtype=np.float32)}

    def _arms(self) -> list[Arm]:
        start = self._start()
        arms = []
        for name, loss in (("mse", PAIRED[self.values["pairing"]]()), ("ce", CrossEntropy())):
            dense = Dense(2, start["W"].shape[1], init="zeros", rng=self.init_rng)
            dense.params = {k: v.copy() for k, v in start.items()}
            dense._make_grads()
            model = Sequential([dense])
            arms.append(Arm(name, model, loss, OPTIMIZERS.get(self.optimizer_name)(self.learning_rate)))
        return arms

    def _measure(self, arm: Arm, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
        model = arm.model
        model.zero_grad()
        logits = model.forward(x)
        loss = arm.loss.forward(logits, y)
        model.backward(arm.loss.backward(), input_grad=False)
        p = arm.loss.class_probabilities() if isinstance(arm.loss, _ScratchLoss) else None
        if isinstance(arm.loss, _ScratchLoss):
            arm.loss.clear()
        accuracy, p_true = batch_measures(probabilities(logits) if p is None else p, y)
        return {"loss": loss, "accuracy": accuracy, "p_true": p_true}

    def _evaluate(self) -> dict[str, float]:
        out: dict[str, float] = {}
        d = self.data
        assert d.x_test is not None and d.y_test is not None
        for arm in self.arms:
            for split, x, y in (("train", d.x_train, d.y_train), ("test", d.x_test, d.y_test)):
                out[f"{arm.name}/{split}_accuracy"] = predicted_accuracy(arm.model.forward(x, training=False), y)
        return out

    def logit_gradients(self) -> tuple[float, float]:
        """Mean |∂L/∂z| (times the number of examples: per example) of each arm on the training set."""
        out = []
        x, y = self.data.x_train, self.data.y_train
        for arm in self.arms:
            loss = type(arm.loss)()
            loss.forward(arm.model.forward(x, training=False), y)
            out.append(float(np.mean(np.abs(loss.backward())) * len(y)))
        return out[0], out[1]

    def _views(self) -> dict[str, Any]:
        """mse_probs, ce_probs: (GRID, GRID, classes) over EXTENT; extent; train, test;
        p_axis: (200,) probability of the true class; loss_mse, loss_ce: the two losses of
        one example at that probability (binary: (1−p)², −log p; the pairing's |1−p| for
        MAE); grad_mse, grad_ce: |∂L/∂z| of one example there; p_true: (2,) each arm's mean
        probability of the true class on the training set."""
        d = self.data
        assert d.x_test is not None and d.y_test is not None
        maps = {}
        p_true = []
        for arm in self.arms:
            maps[f"{arm.name}_probs"] = probabilities(arm.model.forward(MAP_POINTS, training=False)).reshape(GRID, GRID, -1)
            p = probabilities(arm.model.forward(d.x_train, training=False))
            p_true.append(float(np.mean(p[np.arange(len(d.y_train)), d.y_train])))
        q = P_AXIS
        squash = q * (1 - q)  # the sigmoid's slope at the logit where p = q
        if self.values["pairing"] == "mse":
            loss_other, grad_other = (1 - q) ** 2, 2 * (1 - q) * squash
        else:
            loss_other, grad_other = 1 - q, squash
        return {
            **maps,
            "extent": EXTENT,
            "train": (d.x_train.copy(), d.y_train.copy()),
            "test": (d.x_test[:100].copy(), d.y_test[:100].copy()),
            "p_axis": q.copy(),
            "loss_mse": loss_other,
            "loss_ce": -np.log(q),
            "grad_mse": grad_other,
            "grad_ce": 1 - q,
            "p_true": np.array(p_true),
        }
