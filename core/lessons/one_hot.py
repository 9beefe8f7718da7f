"""Lesson 6, one-hot encoding: one linear model reads a colour as its integer label, another
as one-hot columns; both train side by side on a target that is not a line in the label."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..compare import T, final
from ..engine import Arm, Splits, SupervisedExperiment
from ..experiment import Experiment, HyperParam
from ..layers import Dense
from ..model import Sequential
from ..questions import Question
from ..texts.one_hot import INFO, COLOURS

MAX_CATEGORIES = len(COLOURS)
FREQUENCY = 2.4  # target of category c: cos(FREQUENCY * c), far from a line in c
ROWS_LOW, ROWS_HIGH = 8, 24  # rows per category: drawn from [low, high) per run
ARMS = ("integer", "one-hot")


def category_targets(categories: int) -> np.ndarray:
    """The target of each category in list order: (categories,) float64."""
    return np.cos(FREQUENCY * np.arange(categories))


def label_order(targets: np.ndarray, order: str) -> np.ndarray:
    """The integer label of each category: its list position ("listed") or its rank by target
    ("by-target", so the target rises with the label)."""
    if order == "by-target":
        return np.argsort(np.argsort(targets, kind="stable"), kind="stable")
    return np.arange(len(targets))


def integer_floor(labels: np.ndarray, y: np.ndarray) -> float:
    """The least mean squared error any w·label + b reaches on rows (labels (n,), y (n,)),
    by least squares in float64."""
    A = np.c_[labels.astype(np.float64), np.ones(len(labels))]
    coef, *_ = np.linalg.lstsq(A, y.astype(np.float64), rcond=None)
    return float(np.mean((A @ coef - y) ** 2))


def integer_stops_at_floor(exp: Experiment) -> int:
    """0: the integer-label model's loss went below a tenth of the floor; 1: it stayed at or
    above that (the floor held)."""
    floor = exp.history["floor"].last
    return 1 if exp.history["integer/loss"].last > 0.1 * floor else 0


def one_hot_fits(exp: Experiment) -> int:
    """0: the one-hot model's loss fell below 1e-4 (an exact fit up to float32); 1: it did not."""
    return 0 if exp.history["one-hot/loss"].last < 1e-4 else 1


QUESTIONS = (
    Question(
        key="integer-floor",
        text={"en": "Colours numbered 0, 1, 2, … in list order are fed to a linear model as one number. "
                    "After 300 steps, does it fit every colour's target?",
              "ko": "색을 목록 순서대로 0, 1, 2, …로 번호 매겨 숫자 하나로 선형 모델에 넣습니다. "
                    "300 스텝 뒤에 모든 색의 목표값을 맞힐까?"},
        choices=({"en": "yes, its loss goes to about 0", "ko": "그렇다, 손실이 거의 0이 된다"},
                 {"en": "no, its loss stops at a floor above 0", "ko": "아니다, 손실이 0보다 큰 바닥에서 멈춘다"}),
        explanation={"en": "w·label + b is a straight line over the labels; the targets zigzag, so no line "
                           "passes through them all. The best line leaves the least-squares residual: the floor.",
                     "ko": "w·라벨 + b는 라벨 위의 직선입니다. 목표값은 지그재그라 모두를 지나는 직선은 "
                           "없고, 가장 좋은 직선도 최소제곱 잔차를 남깁니다. 그것이 바닥입니다."},
        outcome=integer_stops_at_floor, explains=1, steps=300),
    Question(
        key="one-hot-exact",
        text={"en": "The same colours as one-hot columns (one 0/1 column per colour), the same linear "
                    "model and learning rate: after 400 steps its loss is…",
              "ko": "같은 색을 원-핫 열(색마다 0/1 열 하나)로 바꾸고, 같은 선형 모델과 학습률을 씁니다. "
                    "400 스텝 뒤 손실은…"},
        choices=({"en": "below 1e-4: every colour fitted", "ko": "1e-4 아래: 모든 색을 맞힌다"},
                 {"en": "stuck at a floor, like the integer labels", "ko": "정수 라벨처럼 바닥에 막힌다"}),
        explanation={"en": "Each colour has its own weight, so the model can give each colour any value: "
                           "w_c + b = target_c has an exact solution and gradient descent finds it.",
                     "ko": "색마다 자기 가중치가 있어 모델이 색마다 아무 값이나 낼 수 있습니다. "
                           "w_c + b = 목표_c에 정확한 해가 있고 경사 하강법이 그 해를 찾습니다."},
        outcome=one_hot_fits, explains=0, steps=400),
    Question(
        key="ordered-labels",
        text={"en": "Now the colours are numbered in the order of their targets (the lowest target gets 0). "
                    "After 300 steps, does the integer-label model fit exactly?",
              "ko": "이번에는 목표값 순서대로 번호를 매깁니다(목표값이 가장 작은 색이 0). "
                    "300 스텝 뒤 정수 라벨 모델은 정확히 맞힐까?"},
        choices=({"en": "yes: the target now rises with the label", "ko": "그렇다: 이제 라벨이 커지면 목표값도 커진다"},
                 {"en": "no: a smaller floor remains", "ko": "아니다: 더 낮은 바닥이 남는다"}),
        explanation={"en": "Rising is not a line: the targets are not evenly spaced, so the best line still "
                           "misses them. A good order shrinks the floor; only a column per colour removes it.",
                     "ko": "커진다고 직선인 것은 아닙니다. 목표값 간격이 고르지 않아 가장 좋은 직선도 "
                           "여전히 빗나갑니다. 순서를 잘 매기면 바닥이 낮아질 뿐, 색마다 열을 두어야 사라집니다."},
        outcome=integer_stops_at_floor, explains=1, setup={"order": "by-target"}, steps=300),
)


class OneHot(SupervisedExperiment):
    """Two linear models trained in lockstep by full-batch gradient descent on MSE.

    Data: ``categories`` colours, each with ROWS_LOW..ROWS_HIGH-1 rows (counts from
    ``data_rng``) and the target cos(FREQUENCY·c) of its list position c. X: (n, 1 + K):
    column 0 the integer label standardised over the rows (an affine change: the same
    floor, a faster descent), columns 1..K the one-hot code; y: (n, 1). Arm "integer"
    reads column 0 (a Dense(1, 1)), arm "one-hot" columns 1..K (a Dense(K, 1)).
    History: "integer/loss", "one-hot/loss" (the whole data set's MSE before each update)
    and "floor" (the least-squares floor of the integer labels, a constant).
    """

    info = INFO
    family = "arms"
    questions = QUESTIONS
    figures = (final("integer/loss", key="integer", name=T("integer", "정수")),
               final("one-hot/loss", key="one-hot", name=T("one-hot", "원-핫")))
    loss_name = "mse"
    optimizer_name = "gd"

    hyperparams = (
        HyperParam("encoding", "table shows", "choice", "one-hot", choices=ARMS,
                   help="the encoding whose input columns and predictions the table lists (both models train)"),
        HyperParam("categories", "colours", "int", 8, low=3, high=MAX_CATEGORIES, needs_reset=True,
                   help="number of categories (colours)"),
        HyperParam("order", "label order", "choice", "listed", choices=("listed", "by-target"), needs_reset=True,
                   help="integer labels in list order, or ranked by target"),
        HyperParam("learning_rate", "learning rate", "float", 0.2, low=1e-3, high=2.0, log=True,
                   help="gradient descent step size for both models; changes live"),
    )

    def _data(self) -> Splits:
        k = self.values["categories"]
        targets = category_targets(k)
        self.category_labels = label_order(targets, self.values["order"])
        counts = self.data_rng.integers(ROWS_LOW, ROWS_HIGH, size=k)
        self.category_of_row = np.repeat(np.arange(k), counts)
        labels = self.category_labels[self.category_of_row].astype(np.float64)
        self.label_mean, self.label_std = float(labels.mean()), float(labels.std())
        X = np.zeros((len(labels), 1 + k), dtype=np.float32)
        X[:, 0] = (labels - self.label_mean) / self.label_std
        X[np.arange(len(labels)), 1 + self.category_of_row] = 1.0
        y = targets[self.category_of_row].astype(np.float32)[:, None]
        self.floor = integer_floor(labels, y[:, 0])
        return Splits(X, y)

    def _arms(self) -> list[Arm]:
        k = self.values["categories"]
        return [self.make_arm("integer", Sequential([Dense(1, 1, rng=self.init_rng)])),
                self.make_arm("one-hot", Sequential([Dense(k, 1, rng=self.init_rng)]))]

    def _columns(self, arm: Arm, x: np.ndarray) -> np.ndarray:
        return x[:, :1] if arm.name == "integer" else x[:, 1:]

    def _build(self) -> None:
        super()._build()
        # each arm's training inputs, contiguous (a column slice would be copied by every matmul)
        self.arm_inputs = [np.ascontiguousarray(self._columns(arm, self.data.x_train)) for arm in self.arms]
        self._arm_parts = [(prefix + "loss", x, arm.model, arm.loss, arm.optimizer)
                          for arm, prefix, x in zip(self.arms, self._prefixes, self.arm_inputs)]

    def _measure(self, arm: Arm, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
        return super()._measure(arm, self._columns(arm, x), y)

    def _after_reset(self) -> None:
        super()._after_reset()
        self.history.append("floor", 0, self.floor)

    def _train_step(self) -> dict[str, float]:
        """One full-batch update of each model; the losses are of the whole data set."""
        y = self.data.y_train
        metrics: dict[str, float] = {}
        for key, x, model, loss, optimizer in self._arm_parts:
            model.zero_grad()  # the engine's _measure, inline (no hook, no accuracy), then the update
            metrics[key] = loss.forward(model.forward(x), y)
            model.backward(loss.backward(), input_grad=False)
            optimizer.step(model.params(), model.grads())
        metrics["floor"] = self.floor
        self.samples_seen += self.n_train  # (every step is one epoch: the status line leaves it out)
        return metrics

    def lockstep(self) -> dict[str, Any]:
        """For the benchmark's arms family: every step trains on every row; each arm's inputs."""
        return {"batch": "full", "inputs": {arm.name: x for arm, x in zip(self.arms, self.arm_inputs)}}

    def category_codes(self) -> np.ndarray:
        """Each category's input row: (K, 1 + K), the standardised label then the one-hot code."""
        k = self.values["categories"]
        codes = np.zeros((k, 1 + k), dtype=np.float32)
        codes[:, 0] = (self.category_labels - self.label_mean) / self.label_std
        codes[:, 1:] = np.eye(k, dtype=np.float32)
        return codes

    def _views(self) -> dict[str, Any]:
        """Per category c (list order), K = categories: labels (K,) its integer label;
        inputs (K,) the standardised label the integer model reads; targets (K,);
        counts (K,) its rows; pred_integer, pred_one_hot (K,) each model's prediction;
        floor the integer labels' least-squares MSE; encoding the table's choice."""
        codes = self.category_codes()
        preds = {arm.name: arm.model.forward(self._columns(arm, codes), training=False)[:, 0].copy() for arm in self.arms}
        k = self.values["categories"]
        return {
            "labels": self.category_labels.copy(),
            "inputs": codes[:, 0].copy(),
            "targets": category_targets(k).astype(np.float32),
            "counts": np.bincount(self.category_of_row, minlength=k),
            "pred_integer": preds["integer"],
            "pred_one_hot": preds["one-hot"],
            "floor": self.floor,
            "encoding": self.values["encoding"],
        }
