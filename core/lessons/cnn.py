"""Lesson 12, CNN: a small conv net learns filters on the real 8x8 handwritten digits."""

from __future__ import annotations

from dataclasses import replace

from types import MappingProxyType
from typing import Any

import numpy as np

from ..activations import softmax
from ..data import load_digits
from ..experiment import Experiment, HyperParam, LessonInfo
from ..layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from ..losses import SoftmaxCrossEntropy
from ..model import Sequential
from ..optim import Adam
from . import register

CLASSES = 10
POOL = 2
MAX_FILTERS = 16
TARGET_ACCURACY = 0.95  # the claim: held-out accuracy the default run passes
EVAL_EVERY_EPOCHS = 0.25  # test / train accuracy are measured every quarter epoch
TRAIN_EVAL_STRIDE = 4  # train accuracy on every 4th training image (a fixed subset)
N_TEST = len(load_digits().y_test)  # 359: the range of the "sample" control


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@register
class CNN(Experiment):
    """Conv2D(1→F, k×k, same) → ReLU → MaxPool 2×2 → Flatten → Dense(F·16 → 10),
    softmax cross-entropy, Adam, float32, on the UCI digits x: (n, 1, 8, 8)."""

    DEFAULT_BUDGET_STEPS = 300  # under 7 epochs of 32 images; the default run passes 95% at ~100-220
    # save / resume: the image counter, the next evaluation point and the last accuracies
    state_attrs = ("samples_seen", "_next_eval", "test_accuracy", "train_accuracy")

    info = LessonInfo(
        key="cnn",
        number=12,
        title={"en": "Convolutional networks", "ko": "합성곱 신경망 (CNN)"},
        question={
            "en": "What is a convolutional neural network (CNN)?",
            "ko": "Convolutional Neural Network(CNN)이란?",
        },
        text={
            "en": """\
A **convolution layer** is a set of small **filters** (also called **kernels**): here F grids
of k×k weights, each with one bias. A filter **slides** over the image one pixel at a time;
at every position it takes the **dot product** of its weights with the patch it covers,
adds its bias, and writes that one number into its **feature map**:

    out[r, c] = Σᵢ Σⱼ patch[i, j] · kernel[i, j] + b

The border is padded with zeros, so an 8×8 digit gives an 8×8 map per filter. The same few
weights are reused at every position, so a filter finds its pattern wherever it appears.
Nobody designs the filters: they start random, and **training learns filters that detect
particular features** (strokes, edges, corners) because those help the classifier.
Here ReLU → 2×2 max-pool → one dense layer turn the maps into probabilities for the 10 digits.

- **kernels**: the learned filters as heatmaps; watch them turn from noise into stroke detectors
- **feature maps**: each filter's output on the chosen test digit (bright = strong response)
- **dot product**: one position of one filter worked out, patch × kernel, summed, plus bias
  (shown where that filter responds most strongly)

**Try**: space plays, n takes one step, ↑/↓ select a control, ←/→ change it. Test accuracy
passes 95% within seconds. Change *sample* to look at another digit, *filter* to explain
another kernel. With 1 filter accuracy stalls near 90%; 16 filters pass 95% sooner than 8.
Set the learning rate to its maximum, 1, and press r: the steps are so big that every filter dies (its
ReLU output is 0 on every digit), and accuracy falls to chance, 10%.
""",
            "ko": """\
**합성곱 층**(convolution layer)은 작은 **필터**(filter, 커널 kernel이라고도 함)들의 묶음입니다.
여기서는 k×k 가중치 격자 F개이고, 필터마다 편향(bias)이 하나씩 있습니다. 필터는 이미지 위를
한 칸씩 **미끄러지며**(sliding), 위치마다 자신이 덮은 영역(patch)과 가중치의 **내적**(dot product)을
구하고 편향을 더해 그 값 하나를 자신의 **특징 맵**(feature map)에 적습니다.

    out[r, c] = Σᵢ Σⱼ patch[i, j] · kernel[i, j] + b

가장자리는 0으로 채우므로(zero padding) 8×8 숫자 이미지에서 필터마다 8×8 맵이 나옵니다.
같은 가중치를 모든 위치에서 다시 쓰기 때문에, 필터는 패턴이 어디에 있든 찾아냅니다.
필터는 사람이 설계하지 않습니다. 무작위로 시작해서, **학습 과정에서 분류에 도움이 되는 특정
특징(획, 모서리, 꺾인 곳)을 감지하는 필터를 네트워크가 스스로 학습합니다.**
그 뒤 ReLU → 2×2 max pooling → 완전 연결층 하나가 맵을 숫자 10개의 확률로 바꿉니다.

- **커널**: 학습된 필터를 히트맵으로 표시합니다. 잡음이 획 검출기로 바뀌는 과정을 보세요
- **특징 맵**: 고른 테스트 숫자에 대한 각 필터의 출력 (밝을수록 강한 반응)
- **내적**: 한 필터의 한 위치를 직접 계산해 보입니다. patch × kernel, 합, 그리고 편향
  (그 필터가 가장 강하게 반응한 위치)

**해 보기**: space로 재생, n으로 한 스텝, ↑/↓로 항목 선택, ←/→로 값 변경. 테스트 정확도는
몇 초 안에 95%를 넘습니다. *sample*을 바꿔 다른 숫자를 보고, *filter*로 다른 커널을 살펴보세요.
필터가 1개면 정확도가 90% 근처에서 멈추고, 16개면 8개보다 빨리 95%를 넘습니다.
학습률을 최댓값인 1로 올리고 r을 누르면 한 스텝이 너무 커서 모든 필터가 죽고(어떤 숫자에서도
ReLU 출력이 0), 정확도는 무작위로 찍는 수준인 10%로 떨어집니다.
""",
        },
        claim={
            "en": "The conv net passes 95% test accuracy on the held-out digits within the default "
            "budget; each conv output equals the direct sliding dot product.",
            "ko": "기본 설정의 학습 예산 안에 합성곱 신경망이 따로 떼어 둔 테스트 숫자에서 정확도 95%를 "
            "넘고, 합성곱 출력 하나하나는 필터를 직접 밀며 구한 내적과 같다.",
        },
    )

    hyperparams = (
        HyperParam("filters", "filters", "int", 8, low=1, high=MAX_FILTERS, needs_reset=True,
                   help="number of k×k filters in the conv layer"),
        HyperParam("kernel_size", "kernel size", "choice", 3, choices=(3, 5), needs_reset=True,
                   help="each filter is kernel size × kernel size weights"),
        HyperParam("learning_rate", "learning rate", "float", 0.01, low=1e-4, high=1.0, log=True,
                   help="Adam step size; changes live"),
        HyperParam("batch_size", "batch size", "choice", 32, choices=(8, 16, 32, 64, 128),
                   help="training images per update; changes live"),
        HyperParam("sample", "sample", "int", 0, low=0, high=N_TEST - 1,
                   help=f"which of the {N_TEST} held-out test digits the panels show"),
        HyperParam("filter", "filter", "int", 0, low=0, high=MAX_FILTERS - 1,
                   help="which filter the dot-product panel works out (below the filter count)"),
    )

    # -- building -----------------------------------------------------------------
    def hyperparam(self, name: str) -> HyperParam:
        decl = super().hyperparam(name)
        if name == "filter":  # only the filters that exist can be explained
            return replace(decl, high=self.values["filters"] - 1)
        return decl

    def _build(self) -> None:
        self.data = load_digits()
        F, k = self.values["filters"], self.values["kernel_size"]
        self.values["filter"] = min(self.values["filter"], F - 1)
        self.conv = Conv2D(1, F, k, padding="same", rng=self.init_rng)
        self.dense = Dense(F * (8 // POOL) ** 2, CLASSES, rng=self.init_rng)
        self.model = Sequential([self.conv, ReLU(), MaxPool2D(POOL), Flatten(), self.dense])
        self.loss = SoftmaxCrossEntropy()
        self.optimizer = Adam(self.values["learning_rate"])
        self.n_train = len(self.data.y_train)
        self.x_train_eval = self.data.x_train[::TRAIN_EVAL_STRIDE]
        self.y_train_eval = self.data.y_train[::TRAIN_EVAL_STRIDE]
        for x in (self.data.x_test, self.x_train_eval):  # fixed (read-only) evaluation images:
            self.conv.cache_input(x)  # their im2col is built once, not at every evaluation
        self.samples_seen = 0
        self._eval_every = EVAL_EVERY_EPOCHS * self.n_train  # in images
        self._next_eval = self._eval_every
        self.test_accuracy = float("nan")
        self.train_accuracy = float("nan")
        self._view_cache: tuple[tuple, dict[str, Any]] | None = None  # a new net: nothing cached

    def _after_reset(self) -> None:
        self._evaluate()  # the untrained net's accuracy (about chance) as the first point
        self.history.append("test_accuracy", 0, self.test_accuracy)
        self.history.append("train_accuracy", 0, self.train_accuracy)

    # -- training -----------------------------------------------------------------
    def accuracy(self, x: np.ndarray, y: np.ndarray) -> float:
        """Fraction of images x: (n, 1, 8, 8) classified as their labels y: (n,)."""
        logits = self.model.forward(x, training=False)
        return float(np.mean(logits.argmax(axis=1) == y))

    def _evaluate(self) -> None:
        self.test_accuracy = self.accuracy(self.data.x_test, self.data.y_test)
        self.train_accuracy = self.accuracy(self.x_train_eval, self.y_train_eval)
        self.converged = self.test_accuracy >= TARGET_ACCURACY
        if self.converged and not self.message:
            self.message = (
                f"test accuracy passed {TARGET_ACCURACY:.0%} at step {self.step_count + 1} "
                f"(epoch {self.epoch:.2f})"
            )

    def _train_step(self) -> dict[str, float]:
        batch = self.values["batch_size"]
        idx = self.batch_rng.integers(0, self.n_train, size=batch)
        self.model.zero_grad()
        logits = self.model.forward(self.data.x_train[idx])
        loss = self.loss.forward(logits, self.data.y_train[idx])
        self.model.backward(self.loss.backward(), input_grad=False)  # no use for the input gradient
        self.optimizer.step(self.model.params(), self.model.grads())
        self.samples_seen += batch
        self.epoch = self.samples_seen / self.n_train
        metrics = {"loss": loss}
        if self.samples_seen >= self._next_eval:
            while self._next_eval <= self.samples_seen:
                self._next_eval += self._eval_every
            self._evaluate()
            metrics["test_accuracy"] = self.test_accuracy
            metrics["train_accuracy"] = self.train_accuracy
        return metrics

    def _apply(self, name: str, value: Any) -> None:
        if name == "learning_rate":
            self.optimizer.learning_rate = value
        # batch_size is read every step; sample and filter only change the views

    # -- drawing ------------------------------------------------------------------
    def _views(self) -> dict[str, Any]:
        """The chosen test digit through the current net, by the model's own layers (under
        the runner's lock, as snapshot() is; the next training step redoes its forward pass).
        Cached until the step, the sample or the filter changes, or the run is rebuilt."""
        sample, chosen = self.values["sample"], self.values["filter"]
        key = (self.step_count, sample, chosen)
        if self._view_cache is not None and self._view_cache[0] == key:
            return dict(self._view_cache[1])
        kernels = self.conv.params["W"][:, 0].copy()  # (F, k, k)
        bias = self.conv.params["b"].copy()  # (F,)
        F = kernels.shape[0]
        p = self.conv.pad
        image = self.data.x_test[sample, 0]  # (8, 8)
        logits, (conv_out, relu_out, pool_out, *_) = self.model.forward(
            self.data.x_test[sample : sample + 1], training=False, keep=True
        )
        feature_maps, relu_maps, pooled = conv_out[0].copy(), relu_out[0].copy(), pool_out[0].copy()
        probs = softmax(logits, axis=-1)[0]
        windows = self.conv.patches(image[None, None])[0, 0]  # (8, 8, k, k): the patch under each position

        i = min(chosen, F - 1)
        r, c = np.unravel_index(int(np.argmax(feature_maps[i])), feature_maps[i].shape)
        patch = windows[r, c].copy()
        products = patch * kernels[i]
        dot = {
            "filter": int(i),
            "row": int(r),
            "col": int(c),
            "padding": int(p),
            "patch": _readonly(patch),
            "kernel": _readonly(kernels[i].copy()),
            "products": _readonly(products),
            "sum": float(products.sum()),
            "bias": float(bias[i]),
            "output": float(feature_maps[i, r, c]),
        }
        views = {
            "kernels": _readonly(kernels),
            "bias": _readonly(bias),
            "image": _readonly(image.copy()),
            "label": int(self.data.y_test[sample]),
            "probs": _readonly(probs),
            "prediction": int(np.argmax(probs)),
            "feature_maps": _readonly(feature_maps),
            "relu_maps": _readonly(relu_maps),
            "pooled": _readonly(pooled),
            "dot": MappingProxyType(dot),
            "test_accuracy": self.test_accuracy,
            "train_accuracy": self.train_accuracy,
        }
        self._view_cache = (key, views)
        return dict(views)
