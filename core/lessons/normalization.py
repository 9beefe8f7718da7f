"""Lesson 7, data normalisation: a two-weight linear model on two features of very
different scales, raw, min-max scaled or z-scored, trained by gradient descent over the
surface of its weights."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import surface as sv
from ..compare import T, final, steps_until
from ..experiment import Experiment, HyperParam
from ..questions import Question
from ..texts.normalization import INFO

N_POINTS = 64
SCALES = (1.0, 1000.0)  # feature 1 in [0, 1], feature 2 in [0, 1000]
TRUE_W = (2.0, 0.004)  # the target's weights on the raw features
NOISE = 0.1
TOLERANCE = 1e-4  # converged once the loss above its minimum is below this fraction of where it started
LOSS_LIMIT = 1e12
NORMALIZATIONS = ("none", "min-max", "z-score")


def make_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Raw features (n, 2) float64 (columns on [0, 1] and [0, 1000]) and the centred target (n,)."""
    x = rng.uniform(0.0, 1.0, (N_POINTS, 2)) * np.array(SCALES)
    y = x @ np.array(TRUE_W) + NOISE * rng.standard_normal(N_POINTS)
    return x, y - y.mean()


def normalize(x: np.ndarray, how: str) -> np.ndarray:
    """The features scaled column by column with the statistics of this (training) set."""
    if how == "min-max":
        lo, hi = x.min(axis=0), x.max(axis=0)
        return (x - lo) / (hi - lo)
    if how == "z-score":
        return (x - x.mean(axis=0)) / x.std(axis=0)
    return x.copy()


class Problem:
    """J(p) = mean((X p − y)²) over two weights: a quadratic with Hessian H = 2XᵀX/n."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        n = len(y)
        self.hessian = 2.0 * x.T @ x / n  # (2, 2)
        self.linear = 2.0 * x.T @ y / n  # (2,)
        self.constant = float(y @ y / n)
        self.minimum = np.linalg.solve(self.hessian, self.linear)
        eig = np.linalg.eigvalsh(self.hessian)
        self.lambda_min, self.lambda_max = float(eig[0]), float(eig[-1])
        self.kappa = self.lambda_max / self.lambda_min
        self.critical_lr = 2.0 / self.lambda_max
        (hxx, hxy), (_, hyy) = self.hessian.tolist()
        self._h = (hxx, hxy, hyy)
        self._g = tuple(self.linear.tolist())
        self.loss_min = self.loss(*self.minimum.tolist())

    def loss(self, a: Any, b: Any) -> Any:
        """J at (a, b), elementwise over broadcast arrays."""
        hxx, hxy, hyy = self._h
        ga, gb = self._g
        return 0.5 * (hxx * a * a + 2.0 * hxy * a * b + hyy * b * b) - ga * a - gb * b + self.constant

    def grad(self, a: float, b: float) -> tuple[float, float]:
        hxx, hxy, hyy = self._h
        ga, gb = self._g
        return hxx * a + hxy * b - ga, hxy * a + hyy * b - gb

    def extent(self) -> sv.Extent:
        """A window around the start (0, 0) and the minimum, a margin on every side."""
        m = self.minimum
        lo, hi = np.minimum(m, 0.0), np.maximum(m, 0.0)
        pad = 0.35 * (hi - lo) + 1e-9
        return (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))


def steps_to_tolerance(exp: Experiment) -> float | None:
    """The step at which the run reached the tolerance (None: not yet)."""
    assert isinstance(exp, Normalization)
    return None if exp.converged_at < 0 else float(exp.converged_at)


def reached(exp: Experiment) -> int:
    """0: the run reached the loss tolerance within its budget; 1: it did not."""
    assert isinstance(exp, Normalization)
    return 0 if exp.converged_at >= 0 else 1


REACHED = ({"en": "it reaches the tolerance", "ko": "허용 오차에 도달한다"},
           {"en": "it does not reach it", "ko": "도달하지 못한다"})

QUESTIONS = (
    Question(
        key="raw-at-best-rate",
        text={"en": "Raw features (x₂ up to 1000), α = 0.9·(2/λmax), the largest safe step: within 3,000 steps?",
              "ko": "정규화하지 않은 특성(x₂는 1000까지), 안전한 가장 큰 스텝 α = 0.9·(2/λmax)로 3,000 스텝 안에?"},
        choices=REACHED,
        explanation={"en": "x₂'s scale makes λmax about a million times λmin (κ ≈ 10⁶): the step that keeps the steep "
                           "direction stable moves along the flat one by about 2/κ of the distance per step. Millions of steps.",
                     "ko": "x₂의 스케일 때문에 λmax가 λmin의 약 백만 배입니다(κ ≈ 10⁶). 가파른 방향에서 안정한 스텝으로는 "
                           "완만한 방향으로 한 스텝에 거리의 약 2/κ만 움직입니다. 수백만 스텝이 걸립니다."},
        outcome=reached, explains=1, setup={"normalization": "none", "lr_fraction": 0.9}, steps=3000),
    Question(
        key="z-score-at-best-rate",
        text={"en": "The same features z-scored, α = 0.9·(2/λmax) again: within 50 steps?",
              "ko": "같은 특성을 z-점수로 바꾸고, 역시 α = 0.9·(2/λmax)로 50 스텝 안에?"},
        choices=REACHED,
        explanation={"en": "z-scored features have equal spread and no offset: the bowl is nearly round (κ close to 1), "
                           "so every direction shrinks fast at the same step and a few dozen steps suffice.",
                     "ko": "z-점수 특성은 퍼짐이 같고 치우침이 없어 그릇이 거의 둥급니다(κ가 1에 가까움). 같은 스텝으로 모든 "
                           "방향이 빠르게 줄어 수십 스텝이면 충분합니다."},
        outcome=reached, explains=0, setup={"normalization": "z-score", "lr_fraction": 0.9}, steps=50),
    Question(
        key="z-score-above-bound",
        text={"en": "z-scores, but α = 1.1·(2/λmax): what happens within 200 steps?",
              "ko": "z-점수에서 α = 1.1·(2/λmax)로 하면 200 스텝 안에 어떻게 될까?"},
        choices=({"en": "it converges", "ko": "수렴한다"}, {"en": "it diverges", "ko": "발산한다"}),
        explanation={"en": "Normalising does not remove the bound: above 2/λmax the steepest direction overshoots by "
                           "more each step (factor |1 − αλmax| = 1.2) and the loss blows up.",
                     "ko": "정규화해도 한계는 그대로입니다. 2/λmax보다 크면 가장 가파른 방향에서 스텝마다 더 멀리 넘어가(배율 "
                           "|1 − αλmax| = 1.2) 손실이 폭발합니다."},
        outcome=lambda exp: 1 if exp.diverged else 0, explains=1,
        setup={"normalization": "z-score", "lr_fraction": 1.1}, steps=200),
)


class Normalization(Experiment):
    """Gradient descent on J(w₁, w₂) = mean((X w − y)²) with X raw, min-max or z-scored;
    the state is ``params["p"]``: (2,) float64."""

    stops_when_converged = True
    state_attrs = ("params", "converged_at", "_path_points", "_path_meta")
    info = INFO
    family = "linear"  # package/bench: FusedLinear, TorchLinear
    questions = QUESTIONS
    figures = (steps_until("excess", below=TOLERANCE, key="steps", name=T("steps", "스텝 수")),
               final("loss", key="loss", name=T("loss", "손실")))

    hyperparams = (
        HyperParam("normalization", "normalisation", "choice", "none", choices=NORMALIZATIONS, needs_reset=True,
                   help="raw features, min-max scaled to [0, 1], or z-scores (mean 0, std 1)"),
        HyperParam("lr_fraction", "lr α / (2/λmax)", "float", 0.9, low=0.01, high=1.5, step=0.05,
                   help="the step as a fraction of its stable limit 2/λmax, which each normalisation has its own of"),
    )

    def _build(self) -> None:
        self.raw_x, self.y = make_data(self.data_rng)
        self.problems = {how: Problem(normalize(self.raw_x, how), self.y) for how in NORMALIZATIONS}
        self.problem = self.problems[self.values["normalization"]]
        self.extent = self.problem.extent()
        grid, floor = sv.loss_grid(self.problem.loss, self.extent)
        self._log_grid = sv.log_above(grid, min(floor, self.problem.loss_min))
        self.params = {"p": np.zeros(2)}
        self.converged_at = -1  # the step the tolerance was reached at (-1: not yet)
        self._path_points, self._path_meta = sv.new_paths(1)
        self._recorder = sv.PathRecorder(self._path_points, self._path_meta)
        self._start_excess = self.problem.loss(0.0, 0.0) - self.problem.loss_min
        self._p_cache = self.params["p"].data  # p itself (a view: read and written without NumPy indexing; restored in place, it holds)
        self._set_coefficients()

    @property
    def learning_rate(self) -> float:
        return self.values["lr_fraction"] * self.problem.critical_lr

    def _after_reset(self) -> None:
        for name, value in self._evaluate(0).items():
            self.history.append(name, 0, value)

    def _train_step(self) -> dict[str, float]:
        """One step and ``_evaluate`` after it, inline (the per-step path: Python floats,
        ``Problem.grad`` and ``Problem.loss`` written out, the same arithmetic)."""
        p = self._p_cache
        a, b = p
        hxx, hxy, hyy, ga, gb, constant, loss_min, start, lr, limit, tolerance = self._coefficients
        a, b = a - lr * (hxx * a + hxy * b - ga), b - lr * (hxy * a + hyy * b - gb)
        p[0], p[1] = a, b
        loss = 0.5 * (hxx * a * a + 2.0 * hxy * a * b + hyy * b * b) - ga * a - gb * b + constant
        if not (-limit < loss < limit):  # (False for NaN too)
            return {"loss": float("inf")}
        excess = loss - loss_min
        excess = (excess if excess > 0.0 else 0.0) / start
        if excess < tolerance:
            self.converged = True
            if self.converged_at < 0:
                self.converged_at = self.step_count + 1
        else:
            self.converged = False
        recorder = self._recorder
        skipped = recorder.skipped[0] + 1
        if skipped < recorder.stride[0]:  # (PathRecorder.record's common case, inline)
            recorder.skipped[0] = skipped
        else:
            recorder.record(0, a, b)
        return {"loss": loss, "excess": excess}

    def _apply(self, name: str, value: Any) -> None:
        """The step size takes effect on the next step."""
        self._set_coefficients()

    def _set_coefficients(self) -> None:
        """What each step reads, as Python floats: the Hessian's three entries, the linear
        term, the constant, the minimum loss, the starting excess, the learning rate, the
        loss limit and the tolerance."""
        pr = self.problem
        self._coefficients = (*pr._h, *pr._g, pr.constant, pr.loss_min, self._start_excess, self.learning_rate,
                              LOSS_LIMIT, TOLERANCE)

    def _extra_state(self) -> dict[str, Any]:
        self._recorder.sync()
        return super()._extra_state()

    def _load_extra_state(self, extra: Any) -> None:
        super()._load_extra_state(extra)
        if not sv.paths_fit(self._path_points, self._path_meta):
            raise ValueError("the saved path does not fit")
        self._recorder = sv.PathRecorder(self._path_points, self._path_meta)

    def inspect(self) -> list[tuple[str, np.ndarray]]:
        return [("p (w1, w2)", self.params["p"].copy())]

    def _evaluate(self, step: int) -> dict[str, float]:
        """Loss and excess at the current point, which the run reached at ``step`` (the
        start; each step does the same in ``_train_step``)."""
        a, b = self.params["p"].tolist()
        loss = float(self.problem.loss(a, b))
        if not (math.isfinite(loss) and abs(loss) < LOSS_LIMIT):
            return {"loss": float("inf")}
        excess = max(loss - self.problem.loss_min, 0.0) / self._start_excess
        self.converged = excess < TOLERANCE
        if self.converged and self.converged_at < 0:
            self.converged_at = step
        self._recorder.record(0, a, b)
        return {"loss": loss, "excess": excess}

    def _views(self) -> dict[str, Any]:
        """The surface views (core/surface.py) and: table, one row per normalisation
        (name, κ, 2/λmax, λmin, λmax); learning_rate (the α in use); converged_at."""
        self._recorder.sync()
        p = self.params["p"]
        views = sv.surface_views(self._log_grid, self.problem.loss_min, self.extent,
                                 [sv.path(self._path_points, self._path_meta, 0, p)], [p], ("w1", "w2"),
                                 self.problem.minimum)
        views["table"] = [(how, pr.kappa, pr.critical_lr, pr.lambda_min, pr.lambda_max) for how, pr in self.problems.items()]
        views["learning_rate"] = self.learning_rate
        views["converged_at"] = self.converged_at
        return views
