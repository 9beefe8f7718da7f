"""Lesson 14, dropout: an oversized MLP on a small noisy 2-D set, trained twice in lockstep
from the same start, without and with (inverted) dropout; both decision maps, both
train/test gaps, and the live dropout mask of a hidden layer."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import data
from ..activations import softmax
from ..compare import T, final
from ..engine import Arm, Splits, SupervisedExperiment
from ..experiment import Experiment, HyperParam
from ..layers import Activation, Dense, Dropout
from ..model import Sequential
from ..questions import Question
from ..texts.dropout import INFO

WIDTH = 64  # units per hidden layer: far more than 80 points need
HIDDEN = 2
BATCH = 32
N_TRAIN = 80
N_TEST = 400
GRID = 32
EXTENT = (-2.2, 2.2, -2.2, 2.2)
MASK_ROWS, MASK_UNITS = 12, 48  # the mask panel: examples of the last batch x units
SUBNETS = 20  # dropped-out subnetworks averaged for "ensemble_gap" (on the first ENSEMBLE_POINTS test points)
ENSEMBLE_POINTS = 200
ARMS = ("plain", "dropout")
MAP_TEST = 100  # test points drawn on the maps (all 400 would cover them)


MAP_POINTS = data.grid_points(EXTENT, GRID)


def subnetwork_average(model: Sequential, x: np.ndarray, samples: int, rng: np.random.Generator) -> np.ndarray:
    """The mean of ``samples`` dropped-out subnetworks' class probabilities on x: (n, classes).
    Each sample draws fresh masks (from ``rng``; the model's own streams are left alone)."""
    drops = [layer for layer in model.layers if isinstance(layer, Dropout)]
    saved = [layer.rng for layer in drops]
    total = np.zeros((len(x), model.layers[-1].params["b"].shape[0]), dtype=np.float64)
    try:
        for layer in drops:
            layer.rng = rng
        for _ in range(samples):
            total += softmax(model.forward(x, training=True).astype(np.float64), axis=1)
    finally:
        for layer, r in zip(drops, saved):
            layer.rng = r
            layer.mask = None
    return total / samples


def ensemble_gap(model: Sequential, x: np.ndarray, samples: int, rng: np.random.Generator) -> tuple[float, float]:
    """How close the eval network is to the average of dropped-out subnetworks on x:
    (mean |p_eval - p_average| of the class probabilities, fraction of points where both
    pick the same class)."""
    avg = subnetwork_average(model, x, samples, rng)
    p = softmax(model.forward(x, training=False).astype(np.float64), axis=1)
    return float(np.mean(np.abs(p - avg))), float(np.mean(p.argmax(axis=1) == avg.argmax(axis=1)))


def narrower_gap(exp: Experiment) -> int:
    """0: dropout's test-minus-train loss gap is smaller than the plain net's; 1: it is not."""
    last = exp.history
    return 0 if last["dropout/gap"].last < last["plain/gap"].last else 1


def eval_masks_nothing(exp: Experiment) -> int:
    """0: in the eval view no unit is dropped (the mask is all ones); 1: some are."""
    exp.set("view", "eval")
    mask = exp.snapshot().views["mask"]
    return 0 if np.all(mask == 1.0) else 1


QUESTIONS = (
    Question(
        key="gap",
        text={"en": "80 noisy points, two 64-unit layers, 300 steps. Which net has the smaller gap between "
                    "test and training loss?",
              "ko": "잡음 섞인 점 80개, 64 유닛 층 2개, 300 스텝. 테스트 손실과 학습 손실의 차이가 더 작은 망은?"},
        choices=({"en": "the one with dropout", "ko": "dropout을 쓴 망"},
                 {"en": "the one without", "ko": "쓰지 않은 망"}),
        explanation={"en": "Without dropout the big net memorises the noise: its training loss falls toward 0 "
                           "while its test loss climbs. Dropout keeps any unit from relying on particular others, "
                           "so the net cannot memorise as easily and its gap stays smaller.",
                     "ko": "dropout이 없으면 큰 망이 잡음을 외워, 학습 손실은 0으로 내려가는데 테스트 손실은 "
                           "올라갑니다. dropout은 어떤 유닛도 특정 유닛에 기대지 못하게 해서 외우기 어렵게 하고, "
                           "차이가 더 작게 유지됩니다."},
        outcome=narrower_gap, explains=0,
        setup={"rate": 0.5}, steps=300),
    Question(
        key="eval-drops",
        text={"en": "Dropout rate 0.5. When the trained net is evaluated, are units still dropped?",
              "ko": "dropout 비율 0.5. 학습한 망을 평가할 때도 유닛을 끌까?"},
        choices=({"en": "no, every unit is on", "ko": "아니다, 모든 유닛이 켜진다"},
                 {"en": "yes, half of them", "ko": "그렇다, 절반을 끈다"}),
        explanation={"en": "Dropout acts only while training. At evaluation every unit is on, and since the "
                           "survivors were scaled by 1/(1−p) in training, no rescaling is needed now.",
                     "ko": "dropout은 학습 중에만 작동합니다. 평가할 때는 모든 유닛이 켜지고, 학습 중 살아남은 "
                           "유닛을 1/(1−p)배 했으므로 지금은 다시 조정할 필요가 없습니다."},
        outcome=eval_masks_nothing, explains=0,
        setup={"rate": 0.5}, steps=20),
)


class DropoutLesson(SupervisedExperiment):
    """Two copies of a 2-64-64-2 ReLU MLP from the same initial weights on 80 noisy
    ring points (test: 400 more), softmax cross-entropy, Adam, the same minibatches:
    "plain" and "dropout" (inverted dropout of rate ``rate`` after each hidden layer).
    History per arm ("plain/...", "dropout/..."): the batch "loss"; every 20 steps
    "train_loss", "test_loss", their difference "gap", the accuracies, and for the
    dropout arm "ensemble_gap" (mean |p_eval − p_avg| over the test points, against the
    average of SUBNETS sampled subnetworks)."""

    # save / resume: the masks of the last training step, as the panel shows them
    state_attrs = SupervisedExperiment.state_attrs + ("_masks",)

    info = INFO
    family = "arms"
    questions = QUESTIONS
    figures = (final("plain/gap", key="plain-gap", name=T("gap, plain", "차이, 일반"), window=3),
               final("dropout/gap", key="dropout-gap", name=T("gap, dropout", "차이, dropout"), window=3))
    loss_name = "softmax_ce"
    optimizer_name = "adam"
    default_learning_rate = 0.01
    default_batch_size = BATCH
    eval_every_steps = 20
    eval_measures = ("accuracy", "loss")

    hyperparams = (
        HyperParam("rate", "dropout rate", "float", 0.5, low=0.0, high=0.8, step=0.1,
                   help="chance a hidden unit is dropped in each training step (dropout arm); changes live"),
        HyperParam("layer", "mask of layer", "choice", 1, choices=(1, 2), help="which hidden layer's mask to show"),
        HyperParam("view", "view", "choice", "train", choices=("train", "eval"),
                   help="train: the last step's mask and one sampled subnetwork; eval: the net as evaluated"),
        HyperParam("noise", "noise", "float", 0.3, low=0.0, high=0.5, step=0.05, needs_reset=True,
                   help="how far the points stray from their ring"),
        HyperParam("learning_rate", "learning rate", "float", 0.01, low=1e-4, high=0.1, log=True,
                   help="Adam step size; changes live"),
    )

    def _data(self) -> Splits:
        X, y = data.circles(n=N_TRAIN + N_TEST, noise=self.values["noise"], factor=0.5, seed=self.data_rng)
        order = self.data_rng.permutation(len(y))  # circles() lists the outer ring first
        X, y = X[order] * np.float32(1.6), y[order]
        return Splits(X[:N_TRAIN], y[:N_TRAIN], x_test=X[N_TRAIN:], y_test=y[N_TRAIN:])

    def _arms(self) -> list[Arm]:
        self.mask_rng = np.random.default_rng([self.seed, 14])  # the masks' own stream
        plain: list = []
        n_in = 2
        for _ in range(HIDDEN):
            plain += [Dense(n_in, WIDTH, init="he", rng=self.init_rng), Activation("relu")]
            n_in = WIDTH
        plain.append(Dense(n_in, 2, init="xavier", rng=self.init_rng))
        dropped: list = []
        self.drops: list[Dropout] = []
        for layer in plain:
            if isinstance(layer, Dense):
                copy = Dense(layer.n_in, layer.n_out, init="zeros", rng=self.init_rng)
                copy.params = {k: v.copy() for k, v in layer.params.items()}  # the same start
                copy._make_grads()
                dropped.append(copy)
            else:
                dropped.append(Activation("relu"))
                drop = Dropout(self.values["rate"], rng=self.mask_rng)
                self.drops.append(drop)
                dropped.append(drop)
        return [self.make_arm("plain", Sequential(plain)), self.make_arm("dropout", Sequential(dropped))]

    def _apply(self, name: str, value: Any) -> None:
        super()._apply(name, value)
        if name == "rate":
            for drop in self.drops:
                drop.rate = value

    def _after_reset(self) -> None:
        super()._after_reset()
        self._masks = np.ones((HIDDEN, MASK_ROWS, MASK_UNITS), dtype=np.float32)  # nothing dropped yet

    def lockstep(self) -> dict[str, Any]:
        """For the benchmark's arms family: this step keeps the engine's minibatches (it
        only reads the masks it drew)."""
        return {}

    def _keep_masks(self) -> None:
        """The masks of the training step just taken, for the panel (an evaluation's
        forward pass clears the layers' masks; rate 0 draws none: all kept)."""
        for i, drop in enumerate(self.drops):
            if drop.rate == 0:
                self._masks[i] = 1.0
            elif drop.mask is not None:
                self._masks[i] = drop.mask[:MASK_ROWS, :MASK_UNITS]

    def _train_step(self) -> dict[str, float]:
        metrics = super()._train_step()
        self._keep_masks()
        return metrics

    def _evaluate(self) -> dict[str, float]:
        if self.step_count:
            self._keep_masks()  # before the evaluation clears them
        out = super()._evaluate()
        for arm in ARMS:
            out[f"{arm}/gap"] = out[f"{arm}/test_loss"] - out[f"{arm}/train_loss"]
        if self.values["rate"] > 0:
            x_test = self.data.x_test
            assert x_test is not None
            rng = np.random.default_rng([self.seed, self.step_count])  # reproducible, no saved state
            out["dropout/ensemble_gap"] = ensemble_gap(self.arms[1].model, x_test[:ENSEMBLE_POINTS], SUBNETS, rng)[0]
        return out

    def _views(self) -> dict[str, Any]:
        """plain_probs, dropout_probs: (GRID, GRID, 2) class probabilities over EXTENT (the
        dropout net as evaluated, or in the train view one subnetwork with fresh masks);
        extent; train, test: (points, labels), the first MAP_TEST test points; mask: (MASK_ROWS, MASK_UNITS) the chosen hidden
        layer's mask in the last training step (0 dropped, 1/(1−rate) kept; all 1 in the eval
        view); kept: the fraction of that layer's units kept."""
        v = self.values
        plain, dropped = self.arms[0].model, self.arms[1].model
        p_plain = softmax(plain.forward(MAP_POINTS, training=False).astype(np.float64), axis=1)
        if v["view"] == "train" and v["rate"] > 0:
            rng = np.random.default_rng([self.seed, self.step_count, 1])
            p_drop = subnetwork_average(dropped, MAP_POINTS, 1, rng)
        else:
            p_drop = softmax(dropped.forward(MAP_POINTS, training=False).astype(np.float64), axis=1)
        if v["view"] == "eval":
            shown = np.ones((MASK_ROWS, MASK_UNITS), dtype=np.float32)
        else:
            shown = self._masks[v["layer"] - 1].copy()
        d = self.data
        assert d.x_test is not None and d.y_test is not None
        return {
            "plain_probs": p_plain.reshape(GRID, GRID, 2),
            "dropout_probs": p_drop.reshape(GRID, GRID, 2),
            "extent": EXTENT,
            "train": (d.x_train.copy(), d.y_train.copy()),
            "test": (d.x_test[:MAP_TEST].copy(), d.y_test[:MAP_TEST].copy()),
            "mask": shown,
            "kept": float(np.mean(shown > 0)),
        }
