"""Lesson 12, CNN: a small conv net learns filters on the real 8x8 handwritten digits."""

from __future__ import annotations

import threading
from dataclasses import replace

from types import MappingProxyType
from typing import Any

import numpy as np

from ..activations import softmax
from ..compare import T, steps_until, value_when
from ..data import load_digits
from ..engine import Splits, SupervisedExperiment
from ..experiment import Experiment, HyperParam
from ..questions import Question
from ..layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from ..model import Sequential
from ..texts.cnn import INFO

CLASSES = 10
POOL = 2
MAX_FILTERS = 16
TARGET_ACCURACY = 0.95  # the claim: test accuracy the default run passes once converged
# converged: validation accuracy passes this; above the claim by about one standard error
# of a 288-image validation estimate, so that a lucky validation pass is not "converged"
VAL_TARGET = 0.965
EVAL_EVERY_EPOCHS = 0.25  # test / validation / train accuracy are measured every quarter epoch
TRAIN_EVAL_STRIDE = 4  # train accuracy on every 4th training image (a fixed subset)
VAL_FRACTION = 0.2  # of each digit's training images, held out to judge convergence
VAL_SPLIT_SEED = 4321  # the same validation images in every run
N_TEST = len(load_digits().y_test)  # 359: the range of the "sample" control


_SCRATCH = threading.local()  # per-thread evaluation buffers, reused (scratch, not state)


def _scratch(key: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The two evaluation buffers of shapes key[0], key[1] and dtype key[2]."""
    cache = getattr(_SCRATCH, "cache", None)
    if cache is None:
        cache = _SCRATCH.cache = {}
    found = cache.get(key)
    if found is None:
        if len(cache) >= 4:
            cache.clear()
        found = cache[key] = (np.empty(key[0], dtype=key[2]), np.empty(key[1], dtype=key[2]))
    return found


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def reaches_the_target(exp: Experiment) -> int:
    """0: validation accuracy passed the target within the budget; 1: it did not."""
    return 0 if exp.converged else 1


def filters_die(exp: Experiment) -> int:
    """0: it still classifies (test accuracy above 50%); 1: chance level (below 15%); 2: between."""
    accuracy = exp.test_accuracy  # type: ignore[attr-defined]
    return 0 if accuracy > 0.5 else 1 if accuracy < 0.15 else 2


QUESTIONS = (
    Question(
        key="one-filter",
        text={"en": "The same net with a single 3×3 filter: does its validation accuracy reach 96.5% within "
                    "400 steps?",
              "ko": "같은 신경망에 3×3 필터를 하나만 두면, 400 스텝 안에 검증 정확도가 96.5%에 이를까?"},
        choices=({"en": "yes", "ko": "그렇다"}, {"en": "no, it stalls below", "ko": "아니다, 그 아래에서 멈춘다"}),
        explanation={"en": "One filter gives the classifier one feature map (16 pooled numbers) to read: too little "
                           "to tell ten digits apart that well; it stalls near 90%.",
                     "ko": "필터가 하나면 분류기가 읽을 특징 맵도 하나(풀링 후 16개 숫자)뿐이라 10개 숫자를 그만큼 "
                           "잘 가르기에는 부족해서 90% 근처에서 멈춥니다."},
        outcome=reaches_the_target, explains=1,
        setup={"filters": 1}, steps=400),
    Question(
        key="too-high-rate",
        text={"en": "Adam with learning rate 1 (100× the default): after 300 steps, the test accuracy is…",
              "ko": "학습률 1(기본값의 100배)로 Adam을 쓰면, 300 스텝 뒤 테스트 정확도는…"},
        choices=({"en": "still high: Adam adapts its steps", "ko": "여전히 높다: Adam이 스텝을 조절한다"},
                 {"en": "at chance (10%): every filter dies", "ko": "찍는 수준(10%): 모든 필터가 죽는다"},
                 {"en": "somewhere in between", "ko": "그 중간 어딘가"}),
        explanation={"en": "Adam's steps are about the learning rate in size: steps of 1 push every filter's bias "
                           "and weights so far that ReLU outputs 0 on every digit, and a dead filter gets no "
                           "gradient to recover.",
                     "ko": "Adam의 스텝 크기는 대략 학습률 정도입니다. 크기 1의 스텝이 모든 필터의 가중치와 편향을 "
                           "멀리 밀어내 어떤 숫자에서도 ReLU 출력이 0이 되고, 죽은 필터는 gradient를 받지 못해 "
                           "되살아나지 못합니다."},
        outcome=filters_die, explains=1,
        setup={"learning_rate": 1.0}, steps=300),
)


class CNN(SupervisedExperiment):
    """Conv2D(1→F, k×k, same) → ReLU → MaxPool 2×2 → Flatten → Dense(F·16 → 10),
    softmax cross-entropy, Adam, float32, on the UCI digits x: (n, 1, 8, 8); converged
    when the validation split (carved from the training images) passes VAL_TARGET."""

    DEFAULT_BUDGET_STEPS = 400  # about 11 epochs of 32 images

    info = INFO
    family = "cnn"
    questions = QUESTIONS
    # compare runs (c): when validation accuracy passed its target, and test accuracy then
    figures = (steps_until("val_accuracy", above=lambda e: e.target_accuracy, key="steps",
                           name=T("steps", "스텝 수")),
               value_when("test_accuracy", "val_accuracy", above=lambda e: e.target_accuracy,
                          key="test_accuracy", name=T("test acc.", "테스트"), unit="percent"))
    optimizer_name = "adam"
    eval_every_epochs = EVAL_EVERY_EPOCHS
    train_eval_stride = TRAIN_EVAL_STRIDE
    target_accuracy = VAL_TARGET

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

    def _data(self) -> Splits:
        d = load_digits()
        return Splits.carve_validation(d.x_train, d.y_train, VAL_FRACTION, VAL_SPLIT_SEED, d.x_test, d.y_test)

    def _model(self) -> Sequential:
        F, k = self.values["filters"], self.values["kernel_size"]
        self.conv = Conv2D(1, F, k, padding="same", rng=self.init_rng)
        self.dense = Dense(F * (8 // POOL) ** 2, CLASSES, rng=self.init_rng)
        return Sequential([self.conv, ReLU(), MaxPool2D(POOL), Flatten(), self.dense])

    def _build(self) -> None:
        self.values["filter"] = min(self.values["filter"], self.values["filters"] - 1)
        super()._build()
        self._build_evaluation()
        self._view_cache: tuple[tuple, dict[str, Any]] | None = None  # a new net: nothing cached

    @property
    def test_accuracy(self) -> float:
        return self.last_eval.get("test_accuracy", float("nan"))

    @property
    def val_accuracy(self) -> float:
        return self.last_eval.get("val_accuracy", float("nan"))

    @property
    def train_accuracy(self) -> float:
        return self.last_eval.get("train_accuracy", float("nan"))

    # -- evaluation ---------------------------------------------------------------
    def _build_evaluation(self) -> None:
        """The fixed evaluation images of each split (test, validation, every
        TRAIN_EVAL_STRIDE-th training image) as an im2col matrix (K, E·H·W), its columns
        ordered (window row, window column, image, pooled row, pooled column), so that the
        2×2 max-pool after the conv is three maximums of contiguous blocks; with the labels
        and the shapes of the scratch buffers it writes. (One split at a time keeps those
        buffers in cache.)"""
        s, k = POOL, self.conv.k
        F, dtype = self.conv.c_out, self.conv.params["W"].dtype
        self._eval_sets = []
        for name, (x, y) in (("test", self.data.require("test")), ("val", self.data.require("val")),
                             ("train", (self.x_train_eval, self.y_train_eval))):
            E, So = len(x), x.shape[-1] // s  # x: (E, 1, 8, 8)
            win = self.conv.patches(x)  # (E, 1, S, S, k, k): a view
            cols = win.reshape(E, So, s, So, s, k * k).transpose(5, 2, 4, 0, 1, 3)  # (K, s, s, E, So, So)
            cols = _readonly(np.ascontiguousarray(cols).reshape(k * k, -1))
            shapes = ((F, s * s, E * So * So), (E, F, So * So), dtype.str)
            self._eval_sets.append((f"{name}_accuracy", cols, y, shapes))

    def _evaluate(self) -> dict[str, float]:
        """Test, validation and train accuracy: the model's forward pass (the same
        arithmetic: conv, ReLU, max-pool, dense) for a whole split at once, into buffers,
        pooling before the ReLU (the same values: ReLU is monotonic)."""
        W, b = self.conv.params["W"], self.conv.params["b"]
        F = W.shape[0]
        out = {}
        for name, cols, y, shapes in self._eval_sets:
            z, h = _scratch(shapes)
            z2 = z.reshape(F, -1)
            np.matmul(W.reshape(F, -1), cols, out=z2)  # (F, s·s·E·So·So)
            z2 += b[:, None]
            pooled = z[:, 0]
            for c in range(1, z.shape[1]):
                np.maximum(pooled, z[:, c], out=pooled)
            # h: (E, F, So·So); pooled: (F, E·So·So)
            np.maximum(pooled.reshape(F, len(h), -1).transpose(1, 0, 2), 0, out=h)
            logits = self.dense.forward(h.reshape(len(h), -1), training=False)
            out[name] = float(np.mean(logits.argmax(axis=1) == y))
        return out

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
        x_test, y_test = self.data.require("test")
        image = x_test[sample, 0]  # (8, 8)
        logits, (conv_out, relu_out, pool_out, *_) = self.model.forward(
            x_test[sample : sample + 1], training=False, keep=True
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
            "label": int(y_test[sample]),
            "probs": _readonly(probs),
            "prediction": int(np.argmax(probs)),
            "feature_maps": _readonly(feature_maps),
            "relu_maps": _readonly(relu_maps),
            "pooled": _readonly(pooled),
            "dot": MappingProxyType(dot),
            "test_accuracy": self.test_accuracy,
            "val_accuracy": self.val_accuracy,
            "train_accuracy": self.train_accuracy,
        }
        self._view_cache = (key, views)
        return dict(views)
