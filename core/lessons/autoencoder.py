"""Lesson 13, autoencoder: a dense autoencoder squeezes the 8x8 digits through a small
latent code and rebuilds them; measured against the mean image and PCA of the same size."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import optim
from ..compare import T, final
from ..data import load_digits
from ..experiment import Experiment, HyperParam
from ..layers import Activation, Dense, Layer
from ..model import Sequential
from ..questions import Question
from ..texts.autoencoder import INFO

HIDDEN = 32
BATCH = 64
EVAL_EVERY = 10  # steps between test-loss measurements
SHOWN = 6  # test digits shown beside their reconstructions (the first of classes 0-5)
CURSOR_STEPS = 10  # the cursor moves over ±CURSOR_STEPS positions per latent axis
LATENT_SIZES = (2, 4, 8, 16)


def digits_flat() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The shipped digits as (n, 64) float32 rows in [0, 1]: train, train labels, test, test labels."""
    d = load_digits()
    return (d.x_train.reshape(len(d.x_train), -1), d.y_train, d.x_test.reshape(len(d.x_test), -1), d.y_test)


def pca_reconstruction_loss(x_train: np.ndarray, x_test: np.ndarray, k: int) -> float:
    """Test MSE of PCA with k components fitted on the training images (the mean added back)."""
    mean = x_train.mean(axis=0)
    _, _, vt = np.linalg.svd((x_train - mean).astype(np.float64), full_matrices=False)
    basis = vt[:k]
    rebuilt = (x_test - mean) @ basis.T @ basis + mean
    return float(np.mean((x_test - rebuilt) ** 2))


def class_distance_ratio(z: np.ndarray, y: np.ndarray) -> float:
    """Mean distance between codes of one class over the mean distance between codes of
    different classes: below 1 when classes sit together."""
    d = np.linalg.norm(z[:, None, :] - z[None, :, :], axis=-1)
    same = y[:, None] == y[None, :]
    np.fill_diagonal(same, False)
    return float(d[same].mean() / d[y[:, None] != y[None, :]].mean())


# -- questions -----------------------------------------------------------------------------
def linear_vs_pca(exp: Experiment) -> int:
    """0: the linear autoencoder's test loss is within 5% of PCA's; 1: clearly below; 2: clearly above."""
    ratio = exp.history["test_loss"].last / exp.pca_loss  # type: ignore[attr-defined]
    return 0 if abs(ratio - 1) < 0.05 else 1 if ratio < 1 else 2


def classes_cluster(exp: Experiment) -> int:
    """0: digits of one class sit closer together in the 2-D code (ratio below 0.8); 1: no."""
    z, y = exp.latent_codes()  # type: ignore[attr-defined]
    return 0 if class_distance_ratio(z, y) < 0.8 else 1


QUESTIONS = (
    Question(
        key="linear-is-pca",
        text={"en": "A linear autoencoder (no tanh) with a 2-number code, after 1000 steps: its test loss compared "
                    "with PCA's with 2 components is…",
              "ko": "선형 오토인코더(tanh 없음)에 코드 크기 2로 1000 스텝 학습하면, 테스트 손실은 성분 2개짜리 "
                    "PCA와 비교해…"},
        choices=({"en": "about the same", "ko": "거의 같다"}, {"en": "clearly lower", "ko": "확실히 낮다"},
                 {"en": "clearly higher", "ko": "확실히 높다"}),
        explanation={"en": "A linear encoder and decoder can only project the images onto a k-dimensional subspace "
                           "and map back, and for squared error the best such subspace is the one PCA finds: "
                           "gradient descent ends up spanning it (not necessarily with the same axes).",
                     "ko": "선형 인코더와 디코더가 할 수 있는 일은 이미지를 k차원 부분 공간에 사영했다가 되돌리는 "
                           "것뿐이고, 제곱 오차로 따지면 가장 좋은 부분 공간이 바로 PCA가 찾는 것입니다. 경사 "
                           "하강법은 결국 그 공간을 찾아냅니다(축까지 같지는 않습니다)."},
        outcome=linear_vs_pca, explains=0,
        setup={"layers": "linear"}, steps=1000),
    Question(
        key="unsupervised-clusters",
        text={"en": "The autoencoder never sees a label. With a 2-number code (linear, 300 steps), do digits of one "
                    "class still sit closer together than digits of different classes?",
              "ko": "오토인코더는 레이블을 한 번도 보지 않습니다. 코드 크기 2(선형, 300 스텝)에서도 같은 숫자끼리 "
                    "다른 숫자끼리보다 더 가까이 모일까?"},
        choices=({"en": "yes", "ko": "그렇다"}, {"en": "no: without labels the code is mixed", "ko": "아니다: 레이블 없이는 뒤섞인다"}),
        explanation={"en": "Images of one digit look alike, so a code that rebuilds them well puts them near each "
                           "other: the within-class distance is about half the between-class one. The classes still "
                           "overlap; only 2 numbers cannot separate 10 digits cleanly.",
                     "ko": "같은 숫자의 이미지는 서로 비슷하므로, 그것들을 잘 복원하는 코드는 서로 가까이 놓습니다. "
                           "같은 숫자끼리의 거리는 다른 숫자끼리 거리의 절반 정도입니다. 그래도 숫자 2개만으로는 10개의 "
                           "숫자를 깨끗이 가를 수 없어 부류들이 겹칩니다."},
        outcome=classes_cluster, explains=0,
        setup={"layers": "linear"}, steps=300),
)


class Autoencoder(Experiment):
    """Encoder 64 → 32 tanh → d, decoder d → 32 tanh → 64 (or, linear, 64 → d → 64), MSE
    between the image and its reconstruction, Adam on minibatches of 64 training digits;
    the test loss every 10 steps against the mean image and PCA with d components."""

    info = INFO
    family = "autoencoder"
    questions = QUESTIONS
    figures = (final("test_loss", key="test_loss", name=T("test loss", "테스트 손실")),)

    hyperparams = (
        HyperParam("latent_size", "latent size", "choice", 2, choices=LATENT_SIZES, needs_reset=True,
                   help="numbers in the code between encoder and decoder (2: the latent map is the whole code)"),
        HyperParam("layers", "layers", "choice", "tanh", choices=("tanh", "linear"), needs_reset=True,
                   help="tanh: 64 → 32 → d → 32 → 64 with tanh hidden layers; linear: 64 → d → 64, no tanh"),
        HyperParam("learning_rate", "learning rate", "float", 0.01, low=1e-4, high=1.0, log=True,
                   help="Adam step size; changes live"),
        HyperParam("cursor_x", "cursor x", "int", 0, low=-CURSOR_STEPS, high=CURSOR_STEPS,
                   help="the cursor on the latent map, left to right: the decoder draws that point"),
        HyperParam("cursor_y", "cursor y", "int", 0, low=-CURSOR_STEPS, high=CURSOR_STEPS,
                   help="the cursor on the latent map, bottom to top"),
    )

    def _build(self) -> None:
        self.x_train, self.y_train, self.x_test, self.y_test = digits_flat()
        d, rng = self.values["latent_size"], self.init_rng
        layers: list[Layer]
        if self.values["layers"] == "linear":
            layers = [Dense(64, d, rng=rng), Dense(d, 64, rng=rng)]
            self.latent_index = 0
        else:
            layers = [Dense(64, HIDDEN, rng=rng), Activation("tanh"), Dense(HIDDEN, d, rng=rng),
                      Dense(d, HIDDEN, rng=rng), Activation("tanh"), Dense(HIDDEN, 64, rng=rng)]
            self.latent_index = 2
        self.model = Sequential(layers)
        self.optimizer = optim.make("adam", self.values["learning_rate"])
        self.mean_loss = float(np.mean((self.x_test - self.x_train.mean(axis=0)) ** 2))
        self.pca_loss = pca_reconstruction_loss(self.x_train, self.x_test, d)
        self._view_cache: tuple[tuple, dict[str, Any]] | None = None

    def _after_reset(self) -> None:
        for name, value in self._evaluate().items():
            self.history.append(name, 0, value)

    def _apply(self, name: str, value: Any) -> None:
        if name == "learning_rate":
            self.optimizer.learning_rate = value

    def _train_step(self) -> dict[str, float]:
        xb = self.x_train[self.batch_rng.integers(0, len(self.x_train), BATCH)]
        model = self.model
        model.zero_grad()
        diff = model.forward(xb) - xb  # MSE against the input, inline: (1/n) Σ diff², gradient (2/n) diff
        loss = float(np.vdot(diff, diff)) / diff.size
        diff *= 2.0 / diff.size
        model.backward(diff, input_grad=False)
        self.optimizer.step(model.params(), model.grads())
        self.epoch += BATCH / len(self.x_train)
        metrics = {"loss": loss}
        if (self.step_count + 1) % EVAL_EVERY == 0:
            metrics.update(self._evaluate())
        return metrics

    def _evaluate(self) -> dict[str, float]:
        out = self.model.forward(self.x_test, training=False)
        return {"test_loss": float(np.mean((out - self.x_test) ** 2)),
                "mean_baseline": self.mean_loss, "pca_baseline": self.pca_loss}

    def latent_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """Every test digit's code (n, d) and its label."""
        _, outs = self.model.forward(self.x_test, training=False, keep=True)
        return outs[self.latent_index], self.y_test

    def _views(self) -> dict[str, Any]:
        """inputs, reconstructions: (SHOWN, 8, 8) test digits and what the net rebuilds of
        them; shown_labels: their classes; latent: (n_test, 2) the first two code numbers of every
        test digit; labels: (n_test,); extent: (xmin, xmax, ymin, ymax) of the map; cursor:
        (2,) the cursor's point; decoded: (1, 8, 8) the decoder's image of it (the other
        code numbers at their test mean); mean_loss, pca_loss."""
        key = (self.step_count, self.values["cursor_x"], self.values["cursor_y"],
               self.model.layers[0].params["W"].tobytes())
        if self._view_cache is not None and self._view_cache[0] == key:
            return dict(self._view_cache[1])
        out, outs = self.model.forward(self.x_test, training=False, keep=True)
        z = np.nan_to_num(outs[self.latent_index].astype(np.float64))
        picks = np.array([int(np.flatnonzero(self.y_test == c)[0]) for c in range(SHOWN)])
        lo, hi = z[:, :2].min(axis=0), z[:, :2].max(axis=0)
        pad = np.maximum((hi - lo) * 0.05, 1e-3)
        lo, hi = lo - pad, hi + pad
        frac = np.array([self.values["cursor_x"], self.values["cursor_y"]]) / (2 * CURSOR_STEPS) + 0.5
        cursor = lo + frac * (hi - lo)
        code = z.mean(axis=0)
        code[:2] = cursor
        decoded = code[None].astype(self.x_test.dtype)
        for layer in self.model.layers[self.latent_index + 1 :]:  # the decoder
            decoded = layer.forward(decoded, training=False)
        views = {
            "inputs": self.x_test[picks].reshape(-1, 8, 8).astype(np.float64),
            "reconstructions": np.nan_to_num(out[picks].reshape(-1, 8, 8).astype(np.float64)),
            "shown_labels": self.y_test[picks].copy(),
            "latent": z[:, :2].copy(),
            "labels": self.y_test.copy(),
            "extent": (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])),
            "cursor": cursor,
            "decoded": np.nan_to_num(decoded.reshape(1, 8, 8).astype(np.float64)),
            "mean_loss": self.mean_loss,
            "pca_loss": self.pca_loss,
            "latent_size": self.values["latent_size"],
        }
        self._view_cache = (key, views)
        return dict(views)
