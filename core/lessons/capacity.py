"""Lesson 11, model capacity: polynomials of every degree fitted to noisy samples of a
smooth function; train and test loss against the degree fill in as a sweep (the U-curve)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.polynomial import legendre

from ..compare import T, final
from ..experiment import Experiment, HyperParam
from ..questions import Question
from ..sweep import Sweep
from ..texts.capacity import INFO

MAX_DEGREE = 15  # the sweep's degrees: 0..MAX_DEGREE
N_TEST = 200  # test points, drawn like the training points
GRID = 161  # points of the drawn curves over [-1, 1]
SHOWN_TEST = 60  # test points drawn in the fit panel (all N_TEST are measured)


def target(x: np.ndarray) -> np.ndarray:
    """The smooth function the samples come from: sin(3x) + 0.5 cos(7x) on [-1, 1]."""
    return np.sin(3.0 * x) + 0.5 * np.cos(7.0 * x)


def fit(x: np.ndarray, y: np.ndarray, degree: int) -> np.ndarray:
    """The least-squares polynomial of ``degree`` (Legendre coefficients, float64): the
    exact minimum of the training MSE (with fewer points than coefficients, the
    minimum-norm one of the fits through every point)."""
    return np.linalg.lstsq(legendre.legvander(x, degree), y, rcond=None)[0]


def mse(coef: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((legendre.legval(x, coef) - y) ** 2))


def curves(exp: Experiment) -> tuple[np.ndarray, np.ndarray]:
    """The sweep's train and test losses by degree (NaN where not yet fitted)."""
    assert isinstance(exp, Capacity)
    return exp.sweep.column("train_loss"), exp.sweep.column("test_loss")


def u_shape(exp: Experiment) -> tuple[bool, bool]:
    """(train loss never rises with the degree, test loss falls then rises): the test
    minimum lies strictly inside the range, below 2/3 of degree 0's test loss and below
    half of the top degree's. Relative tolerance 1e-9 on the train loss (rounding)."""
    train, test = curves(exp)
    monotone = bool(np.all(train[1:] <= train[:-1] * (1 + 1e-9) + 1e-12))
    k = int(np.argmin(test))
    u = 0 < k < len(test) - 1 and test[k] < test[0] * 2 / 3 and test[k] < test[-1] / 2
    return monotone, bool(u)


def gap_at_top(exp: Experiment) -> int:
    """At the chosen degree: 0 test loss above 3x the train loss, 1 within 3x."""
    snap = exp.snapshot().last
    return 0 if snap["test_loss"] > 3 * snap["train_loss"] else 1


def where_lowest(exp: Experiment) -> int:
    """Where the test loss is lowest: 0 at degree 0-1, 1 in between, 2 at the top three degrees."""
    k = int(np.nanargmin(curves(exp)[1]))
    return 0 if k <= 1 else (2 if k >= MAX_DEGREE - 2 else 1)


def top_rise(exp: Experiment) -> int:
    """The top degree's test loss against the lowest: 0 over 3x, 1 within 3x."""
    test = curves(exp)[1]
    return 0 if test[-1] > 3 * np.nanmin(test) else 1


def second_descent(exp: Experiment) -> int:
    """Past the test loss's peak: 1 if the peak is at degree 8-10 (about as many
    coefficients as 10 points) and the top degree's test loss is below a fifth of it
    (it falls again), else 0."""
    test = curves(exp)[1]
    k = int(np.nanargmax(test))
    return 1 if 8 <= k <= 10 and test[-1] < test[k] / 5 else 0


QUESTIONS = (
    Question(
        key="where-test-lowest",
        text={"en": "20 noisy training points, polynomials of degree 0 to 15. Where is the test loss lowest?",
              "ko": "잡음 섞인 학습 데이터 20개에 0차부터 15차까지의 다항식을 맞춥니다. 테스트 손실은 어디서 가장 낮을까?"},
        choices=({"en": "at the lowest degrees (0-1)", "ko": "가장 낮은 차수(0~1)"},
                 {"en": "somewhere in the middle", "ko": "중간 어딘가"},
                 {"en": "at the highest degrees", "ko": "가장 높은 차수"}),
        explanation={"en": "Low degrees cannot bend enough (underfitting); high degrees bend to follow the noise "
                           "between the points (overfitting). The best lies between.",
                     "ko": "낮은 차수는 충분히 휘지 못하고(과소적합), 높은 차수는 점들 사이의 잡음까지 따라 휩니다"
                           "(과적합). 가장 좋은 곳은 그 사이에 있습니다."},
        outcome=where_lowest, explains=1, steps=MAX_DEGREE),
    Question(
        key="degree-15-gap",
        text={"en": "At degree 15 (16 coefficients, 20 points), the test loss is…",
              "ko": "15차(계수 16개, 데이터 20개)에서 테스트 손실은…"},
        choices=({"en": "far above the training loss", "ko": "학습 손실보다 훨씬 높다"},
                 {"en": "about the training loss", "ko": "학습 손실과 비슷하다"}),
        explanation={"en": "With nearly as many coefficients as points the fit threads through the noise: the "
                           "training loss is small, and between and beyond the points the curve swings wildly.",
                     "ko": "계수가 데이터 수에 가까우면 곡선이 잡음을 꿰어 지나갑니다. 학습 손실은 작지만 점들 "
                           "사이와 바깥에서 곡선이 크게 출렁입니다."},
        outcome=gap_at_top, explains=0, setup={"degree": MAX_DEGREE}, steps=2),
    Question(
        key="more-data",
        text={"en": "The same sweep with 100 training points instead of 20: at degree 15 the test loss is…",
              "ko": "같은 실험을 학습 데이터 20개 대신 100개로 하면, 15차의 테스트 손실은…"},
        choices=({"en": "still many times the lowest", "ko": "여전히 최저치의 몇 배다"},
                 {"en": "close to the lowest", "ko": "최저치에 가깝다"}),
        explanation={"en": "Capacity is only too much relative to the data: with five times the points, 16 "
                           "coefficients are pinned down and the rise nearly disappears.",
                     "ko": "용량이 '너무 크다'는 것은 데이터에 비해서입니다. 데이터가 다섯 배면 계수 16개가 "
                           "충분히 고정되어 상승이 거의 사라집니다."},
        outcome=top_rise, explains=1, setup={"n_train": 100}, steps=MAX_DEGREE),
    Question(
        key="past-interpolation",
        text={"en": "Only 10 training points: degree 9 has 10 coefficients and passes through every point. "
                    "Past degree 9, the test loss…",
              "ko": "학습 데이터가 10개뿐입니다. 9차는 계수가 10개라 모든 점을 지나갑니다. 9차를 넘어서면 테스트 손실은…"},
        choices=({"en": "keeps rising", "ko": "계속 올라간다"},
                 {"en": "falls again", "ko": "다시 내려간다"}),
        explanation={"en": "At the interpolation threshold there is exactly one fit through every point, and it "
                           "swings wildly. Past it many fits pass through the points; least squares picks the one "
                           "with the smallest coefficients, which is smoother: a second descent.",
                     "ko": "보간 임계점에서는 모든 점을 지나는 해가 단 하나이고 크게 출렁입니다. 그 너머에서는 점을 "
                           "모두 지나는 해가 많고, 최소제곱은 계수가 가장 작은 해를 골라 더 매끄럽습니다. 두 번째 하강입니다."},
        outcome=second_descent, explains=1, setup={"n_train": 10}, steps=MAX_DEGREE),
)


class Capacity(Experiment):
    """Noisy samples y = target(x) + noise·N(0, 1), x uniform on [-1, 1]: ``n_train``
    training points and N_TEST test points. A sweep fits the least-squares polynomial of
    each degree 0..MAX_DEGREE (degree 0 at step 0, then one per step) and records its train and test MSE;
    the chosen ``degree``'s fit is drawn over the data. History: the chosen fit's
    "train_loss" and "test_loss" every step."""

    info = INFO
    bench_note = "each step is one closed-form least-squares fit (a sweep over degrees): no training loop to compare"
    questions = QUESTIONS
    stops_when_converged = True
    figures = (final("test_loss", key="test", name=T("test loss", "테스트 손실"), window=1),)
    # save / resume: the sweep's progress and the chosen degree's coefficients
    state_attrs = ("sweep_state", "coef")

    hyperparams = (
        HyperParam("degree", "capacity (degree)", "int", 4, low=0, high=MAX_DEGREE,
                   help="degree of the polynomial drawn over the data; changes live"),
        HyperParam("noise", "noise", "float", 0.3, low=0.0, high=1.0, step=0.05, needs_reset=True,
                   help="standard deviation of the noise added to every sample"),
        HyperParam("n_train", "training points", "int", 20, low=10, high=100, step=10, needs_reset=True,
                   help="number of training samples (the test set has 200)"),
    )

    def _build(self) -> None:
        v, rng = self.values, self.data_rng
        noise = v["noise"]
        self.x_train = rng.uniform(-1.0, 1.0, v["n_train"])
        self.y_train = target(self.x_train) + noise * rng.standard_normal(v["n_train"])
        self.x_test = rng.uniform(-1.0, 1.0, N_TEST)
        self.y_test = target(self.x_test) + noise * rng.standard_normal(N_TEST)
        for a in (self.x_train, self.y_train, self.x_test, self.y_test):
            a.setflags(write=False)
        self.grid = np.linspace(-1.0, 1.0, GRID)
        self.sweep = Sweep(np.arange(MAX_DEGREE + 1), ("train_loss", "test_loss"))
        self.sweep_state = self.sweep.state
        self.coef = fit(self.x_train, self.y_train, v["degree"])

    def _apply(self, name: str, value: Any) -> None:
        if name == "degree":
            self.coef = fit(self.x_train, self.y_train, value)

    # -- the sweep's points: one exact least-squares fit each --------------------------
    def start(self, index: int, value: float) -> None:
        pass

    def train(self, index: int, value: float, units: int) -> None:
        pass  # the fit is exact: finish() solves it

    def finish(self, index: int, value: float) -> dict[str, float]:
        coef = fit(self.x_train, self.y_train, int(value))
        return {"train_loss": mse(coef, self.x_train, self.y_train), "test_loss": mse(coef, self.x_test, self.y_test)}

    def _losses(self) -> dict[str, float]:
        return {"train_loss": mse(self.coef, self.x_train, self.y_train),
                "test_loss": mse(self.coef, self.x_test, self.y_test)}

    def _after_reset(self) -> None:
        self.sweep.advance(self, 1)  # degree 0 at step 0: the curve is never empty
        self.history.record(0, self._losses())

    def _train_step(self) -> dict[str, float]:
        self.sweep.advance(self, 1)
        metrics = self._losses()
        if self.sweep.done and not self.converged and all(math.isfinite(m) for m in metrics.values()):
            self.converged = True
            test = self.sweep.column("test_loss")
            if np.isfinite(test).all():
                k = int(np.argmin(test))
                self.message = f"sweep done: the test loss is lowest at degree {k} ({test[k]:.3g})"
        return metrics

    def inspect(self) -> list[tuple[str, np.ndarray]]:
        return [("0:legendre.c", self.coef.astype(np.float32))]  # the chosen fit's coefficients

    def _views(self) -> dict[str, Any]:
        """x_train, y_train (n_train,); x_test, y_test (SHOWN_TEST,) the first test points;
        grid (GRID,) over [-1, 1] with truth and fit (the chosen degree) on it; degrees
        (MAX_DEGREE+1,) all the sweep's; fitted_degrees, train_curve, test_curve the
        degrees fitted so far and their losses;
        degree (the chosen one), points_done."""
        done = self.sweep.finished_points
        return {
            "x_train": self.x_train, "y_train": self.y_train,
            "x_test": self.x_test[:SHOWN_TEST], "y_test": self.y_test[:SHOWN_TEST],
            "grid": self.grid.copy(), "truth": target(self.grid), "fit": legendre.legval(self.grid, self.coef),
            "degrees": self.sweep.values, "fitted_degrees": self.sweep.values[:done].copy(),
            "train_curve": self.sweep.column("train_loss")[:done], "test_curve": self.sweep.column("test_loss")[:done],
            "degree": int(self.values["degree"]), "points_done": self.sweep.finished_points,
        }
