"""Lesson 3, gradient descent: an optimiser walks a two-parameter loss surface."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from .. import optim
from ..compare import T, final, steps_until
from ..experiment import Experiment, HyperParam
from ..questions import Question
from ..texts.gradient_descent import INFO

GRID_SHAPE = (48, 96)  # (rows = p1 from low to high, cols = p0 from low to high)
GRAD_TOL = 1e-4  # converged once |∇J| falls below this
LOSS_LIMIT = 1e12  # a larger loss counts as diverged
POINT_LIMIT = 1e6  # so does a coordinate this far out
TRAIL_CAPACITY = 512  # stored trajectory points; when full, every other one is dropped
TRAIL_MIN_MOVE = 2e-3  # store a point once it moves this fraction of the window diagonal
START_FRACTIONS = {  # start points as fractions (x, y) of each surface's window
    "top-left": (0.1, 0.9),
    "top-right": (0.9, 0.9),
    "bottom-left": (0.1, 0.1),
    "bottom-right": (0.9, 0.1),
}


class Surface:
    """A loss J(p) over two parameters p = (p0, p1), with its analytic gradient."""

    axes: tuple[str, str] = ("w1", "w2")
    extent: tuple[float, float, float, float]  # (xmin, xmax, ymin, ymax) of the window
    minimum: np.ndarray  # (2,) the exact minimiser
    hessian: np.ndarray  # (2, 2) the Hessian at the minimum (constant for quadratics)

    def loss(self, x: np.ndarray | float, y: np.ndarray | float) -> Any:
        """J at points (x, y), elementwise over broadcast arrays (a float at a float point)."""
        raise NotImplementedError

    def grad(self, p: np.ndarray) -> np.ndarray:
        """∂J/∂p at p: (2,) -> (2,)."""
        raise NotImplementedError

    def hessian_at(self, p: np.ndarray) -> np.ndarray:
        """(2, 2) Hessian of J at p; a quadratic's is the same everywhere."""
        return self.hessian

    def grad_xy(self, x: float, y: float) -> tuple[float, float]:
        """∂J/∂p at the point (x, y), as two floats (the per-step path; no arrays)."""
        gx, gy = self.grad(np.array([x, y])).tolist()
        return gx, gy

    def loss_grad_xy(self, x: float, y: float) -> tuple[float, float, float]:
        """J and ∂J/∂p at the point (x, y), as three floats: the per-step path, in one call."""
        loss = float(self.loss(x, y))
        gx, gy = self.grad_xy(x, y)
        return loss, gx, gy

    @property
    def loss_min(self) -> float:
        return float(self.loss(*self.minimum))


class Quadratic(Surface):
    """J(p) = ½ (p − c)ᵀ H (p − c): a bowl whose curvatures are H's eigenvalues."""

    def __init__(self, eigenvalues: tuple[float, float], angle_deg: float, extent: tuple[float, float, float, float]) -> None:
        a = np.deg2rad(angle_deg)
        rotation = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        self.hessian = rotation @ np.diag(eigenvalues) @ rotation.T
        self.minimum = np.zeros(2)
        self.extent = extent
        (hxx, hxy), (_, hyy) = self.hessian.tolist()
        self._h = (hxx, hxy, hyy)  # as Python floats: the per-step loss is scalar arithmetic

    def loss(self, x: np.ndarray | float, y: np.ndarray | float) -> Any:
        hxx, hxy, hyy = self._h
        return 0.5 * (hxx * x * x + 2.0 * hxy * x * y + hyy * y * y)

    def grad(self, p: np.ndarray) -> np.ndarray:
        return np.array(self.grad_xy(*p.tolist()))

    def grad_xy(self, x: float, y: float) -> tuple[float, float]:
        hxx, hxy, hyy = self._h
        return hxx * x + hxy * y, hxy * x + hyy * y  # H @ p

    def loss_grad_xy(self, x: float, y: float) -> tuple[float, float, float]:
        hxx, hxy, hyy = self._h  # loss and grad_xy fused: the same arithmetic, one call
        return 0.5 * (hxx * x * x + 2.0 * hxy * x * y + hyy * y * y), hxx * x + hxy * y, hxy * x + hyy * y


class Rosenbrock(Surface):
    """J = (1 − x)²/20 + (y − x²)²/2: a curved, flat-bottomed valley with its minimum at (1, 1)."""

    def __init__(self) -> None:
        self.minimum = np.array([1.0, 1.0])
        self.hessian = np.array([[4.1, -2.0], [-2.0, 1.0]])
        self.extent = (-1.5, 1.5, -0.5, 2.5)

    def loss(self, x: np.ndarray | float, y: np.ndarray | float) -> Any:
        return 0.05 * (1.0 - x) ** 2 + 0.5 * (y - x * x) ** 2

    def grad(self, p: np.ndarray) -> np.ndarray:
        x, y = p
        valley = y - x * x
        return np.array([-0.1 * (1.0 - x) - 2.0 * x * valley, valley])

    def hessian_at(self, p: np.ndarray) -> np.ndarray:
        x, y = (float(v) for v in p)
        return np.array([[0.1 - 2.0 * y + 6.0 * x * x, -2.0 * x], [-2.0 * x, 1.0]])


class Regression(Surface):
    """J(w, b) = mean((w·xᵢ + b − yᵢ)²): the MSE of a line fit to noisy points.

    The inputs xᵢ ~ U(0, 3) are not centred, so the bowl is a tilted ravine.
    """

    axes = ("w", "b")
    true_w, true_b = 1.5, -1.0

    def __init__(self, rng: np.random.Generator, n: int = 32) -> None:
        self.x = rng.uniform(0.0, 3.0, n)  # (n,)
        self.y = self.true_w * self.x + self.true_b + 0.3 * rng.standard_normal(n)  # (n,)
        design = np.stack([self.x, np.ones(n)], axis=1)  # (n, 2)
        self.minimum = np.linalg.lstsq(design, self.y, rcond=None)[0]
        self.hessian = 2.0 * design.T @ design / n
        self.extent = (self.true_w - 4.0, self.true_w + 4.0, self.true_b - 2.0, self.true_b + 2.0)

    def loss(self, x: np.ndarray | float, y: np.ndarray | float) -> Any:
        w, b = np.asarray(x)[..., None], np.asarray(y)[..., None]
        return np.mean((w * self.x + b - self.y) ** 2, axis=-1)

    def grad(self, p: np.ndarray) -> np.ndarray:
        residual = p[0] * self.x + p[1] - self.y  # (n,)
        return 2.0 * np.array([np.mean(residual * self.x), np.mean(residual)])


def critical_lr(optimizer: str, lambda_max: float, beta: float = 0.0) -> float | None:
    """The largest stable learning rate on a quadratic of largest curvature lambda_max:
    plain GD 2/λmax, heavy-ball momentum 2(1+β)/λmax; Adam has no such bound (None)."""
    if optimizer == "adam" or not lambda_max > 0:
        return None
    return 2.0 * (1.0 + beta if optimizer == "momentum" else 1.0) / lambda_max


SURFACES: dict[str, Callable[[np.random.Generator], Surface]] = {
    "bowl": lambda rng: Quadratic((2.0, 2.0), 0.0, (-4.0, 4.0, -2.0, 2.0)),
    "ravine": lambda rng: Quadratic((0.1, 10.0), 20.0, (-4.0, 4.0, -4.0, 4.0)),
    "rosenbrock": lambda rng: Rosenbrock(),
    "regression": Regression,
}


def converges_diverges_or_crawls(exp: Experiment) -> int:
    """0: |∇J| fell below the tolerance; 1: the run blew up; 2: neither within the budget."""
    return 0 if exp.converged else 1 if exp.diverged else 2


FATE = ({"en": "it converges", "ko": "수렴한다"}, {"en": "it diverges", "ko": "발산한다"},
        {"en": "it neither converges nor diverges in 1,500 steps", "ko": "1,500 스텝 안에 수렴도 발산도 하지 않는다"})

QUESTIONS = (
    Question(
        key="gd-above-bound",
        text={"en": "On the ravine (λmax = 10, so 2/λmax = 0.2), plain gradient descent with α = 0.22, "
                    "just 10% above 2/λmax: what happens?",
              "ko": "협곡(λmax = 10, 즉 2/λmax = 0.2)에서 α = 0.22, 곧 2/λmax보다 10% 큰 학습률로 "
                    "경사 하강법을 돌리면?"},
        choices=FATE,
        explanation={"en": "Along the steepest direction each step multiplies the signed distance by 1 − αλmax = −1.2: "
                           "the zigzag grows by 20% a step, whatever happens along the flat direction.",
                     "ko": "가장 가파른 방향으로는 스텝마다 부호 있는 거리에 1 − αλmax = −1.2가 곱해집니다. "
                           "완만한 방향이 어떻든 지그재그가 스텝마다 20%씩 커집니다."},
        outcome=converges_diverges_or_crawls, explains=1,
        setup={"surface": "ravine", "optimizer": "gd", "learning_rate": 0.22}, steps=1500),
    Question(
        key="momentum-above-gd-bound",
        text={"en": "Same ravine, α = 0.3 (1.5 × 2/λmax, where plain GD diverges), but with momentum β = 0.9: "
                    "what happens?",
              "ko": "같은 협곡에서 α = 0.3(2/λmax의 1.5배, 보통 경사 하강법은 발산)인데 모멘텀 β = 0.9를 쓰면?"},
        choices=FATE,
        explanation={"en": "Heavy-ball momentum is stable up to α < 2(1+β)/λmax = 0.38 on a quadratic: "
                           "0.3 is inside its bound, so it converges where plain GD cannot.",
                     "ko": "모멘텀(heavy ball)은 이차 함수에서 α < 2(1+β)/λmax = 0.38까지 안정합니다. "
                           "0.3은 그 범위 안이라, 보통 경사 하강법이 발산하는 곳에서도 수렴합니다."},
        outcome=converges_diverges_or_crawls, explains=0,
        setup={"surface": "ravine", "optimizer": "momentum", "learning_rate": 0.3}, steps=1500),
    Question(
        key="gd-tiny-rate",
        text={"en": "Same ravine, plain GD with a tiny α = 0.002: what happens within 1,500 steps?",
              "ko": "같은 협곡에서 아주 작은 α = 0.002로 경사 하강법을 돌리면 1,500 스텝 안에 어떻게 될까?"},
        choices=FATE,
        explanation={"en": "A tiny step is safe but slow: along the flat direction (λmin) each step removes only "
                           "αλmin of the distance, so after 1,500 steps it is still crawling.",
                     "ko": "작은 스텝은 안전하지만 느립니다. 완만한 방향(λmin)으로는 스텝마다 거리의 αλmin만큼만 "
                           "줄어서 1,500 스텝 뒤에도 여전히 기어가는 중입니다."},
        outcome=converges_diverges_or_crawls, explains=2,
        setup={"surface": "ravine", "optimizer": "gd", "learning_rate": 0.002}, steps=1500),
)


class GradientDescent(Experiment):
    """Minimise a two-parameter surface with GD, momentum or Adam; the state is
    ``params["p"]``: (2,) float64."""

    stops_when_converged = True  # the runner pauses when |∇J| falls below tolerance
    # what training mutates beyond the generic state (save / resume): the point, the cached
    # gradient the next step uses, and the trajectory's thinning counters (its points in
    # use: _extra_state)
    state_attrs = ("params", "_grad", "_trail_len", "_trail_stride", "_trail_skipped")
    info = INFO
    family = "surface"
    # compare runs (c): steps until |∇J| < GRAD_TOL (converged), and the loss now
    figures = (steps_until("grad_norm", below=GRAD_TOL, key="steps", name=T("steps", "스텝 수")),
               final("loss", key="loss", name=T("loss", "손실")))
    questions = QUESTIONS

    hyperparams = (
        HyperParam("learning_rate", "learning rate α", "float", 0.18, low=1e-4, high=10.0, log=True, factor=1.25,
                   help="step size; on a quadratic GD needs α < 2/λmax, momentum α < 2(1+β)/λmax (the step-size panel shows the bound)"),
        HyperParam("optimizer", "optimiser", "choice", "gd", choices=tuple(optim.OPTIMIZERS),
                   help="gd, momentum (β = 0.9) or Adam; switching keeps the current point"),
        HyperParam("surface", "surface", "choice", "ravine", choices=tuple(SURFACES), needs_reset=True,
                   help="round bowl, ill-conditioned ravine, Rosenbrock valley, or a regression's MSE over (w, b)"),
        HyperParam("start", "start point", "choice", "top-left", choices=tuple(START_FRACTIONS), needs_reset=True,
                   help="the corner of the map the run starts from"),
    )

    # -- the Experiment hooks -------------------------------------------------------
    def _build(self) -> None:
        self.surface = SURFACES[self.values["surface"]](self.data_rng)
        xmin, xmax, ymin, ymax = self.surface.extent
        fx, fy = START_FRACTIONS[self.values["start"]]
        self.params = {"p": np.array([xmin + fx * (xmax - xmin), ymin + fy * (ymax - ymin)])}
        self.optimizer = optim.make(self.values["optimizer"], self.values["learning_rate"])
        eigenvalues = np.linalg.eigvalsh(self.surface.hessian)
        self.lambda_min, self.lambda_max = float(eigenvalues[0]), float(eigenvalues[-1])
        self._min_move = TRAIL_MIN_MOVE * float(np.hypot(xmax - xmin, ymax - ymin))
        self._trail = np.empty((TRAIL_CAPACITY, 2))  # (capacity, 2) points visited
        self._trail_len = 0
        self._trail_stride = 1  # store every stride-th point that moved; doubles when the trail is halved
        self._trail_skipped = 0
        self._trail_last: tuple[float, float] | None = None  # the last stored point (None: none yet)
        self._grad = np.zeros(2)
        self._grads = {"p": self._grad}  # what the optimiser steps with (restored in place)
        self._build_surface_views()

    def _after_reset(self) -> None:
        for name, value in self._evaluate().items():
            self.history.append(name, 0, value)

    def _train_step(self) -> dict[str, float]:
        self.optimizer.step(self.params, self._grads)
        return self._evaluate()

    def _apply(self, name: str, value: Any) -> None:
        if name == "learning_rate":
            self.optimizer.learning_rate = value
        elif name == "optimizer":
            self.optimizer = optim.make(value, self.values["learning_rate"])

    def _extra_state(self) -> dict[str, Any]:
        """Save / resume: only the trajectory points in use (the rest is never read)."""
        state = super()._extra_state()
        state["trail"] = self._trail[: self._trail_len].copy()
        return state

    def _load_extra_state(self, extra: Any) -> None:
        extra = dict(extra)
        trail = extra.pop("trail", None)
        super()._load_extra_state(extra)
        if not (
            isinstance(trail, np.ndarray) and trail.dtype == self._trail.dtype
            and trail.shape == (self._trail_len, 2) and 0 <= self._trail_len <= TRAIL_CAPACITY
            and self._trail_stride >= 1 and self._trail_skipped >= 0
        ):
            raise ValueError("the saved trajectory does not fit")
        self._trail[: self._trail_len] = trail
        self._trail_last = (float(trail[-1, 0]), float(trail[-1, 1])) if self._trail_len else None

    def uses_seed(self) -> bool:
        """Only the regression surface draws anything (its noisy points)."""
        return self.values["surface"] == "regression"

    def inspect(self) -> list[tuple[str, np.ndarray]]:
        """The whole model is one point: its two coordinates."""
        return [("p (" + ", ".join(self.surface.axes) + ")", self.params["p"].copy())]

    def _views(self) -> dict[str, Any]:
        """surface, log_surface: (48, 96) read-only, rows = y up, cols = x right; extent:
        (xmin, xmax, ymin, ymax); trajectory: (k, 2), k <= 513, ending at point: (2,);
        minimum, grad: (2,); loss_min, lambda_max, lambda_min (the Hessian's at the
        minimum): floats; lambda_max_here: the largest eigenvalue of the Hessian at the
        current point (lambda_max on a quadratic); critical_lr: the chosen optimiser's
        learning-rate bound at the current point (see ``critical_lr``), None for Adam;
        axes: the two parameter names."""
        p = self.params["p"]
        lambda_here = float(np.linalg.eigvalsh(self.surface.hessian_at(p))[-1])
        trail = self._trail[: self._trail_len]
        trail = trail.copy() if np.array_equal(trail[-1], p) else np.vstack((trail, p))
        return {
            "surface": self._surface_grid,
            "log_surface": self._log_surface_grid,
            "extent": self.surface.extent,
            "trajectory": trail,
            "point": p.copy(),
            "minimum": self.surface.minimum.copy(),
            "loss_min": self.surface.loss_min,
            "critical_lr": critical_lr(self.values["optimizer"], lambda_here, getattr(self.optimizer, "beta", 0.0)),
            "lambda_max_here": lambda_here,
            "lambda_max": self.lambda_max,
            "lambda_min": self.lambda_min,
            "grad": self._grad.copy(),
            "axes": self.surface.axes,
        }

    # -- helpers ----------------------------------------------------------------------
    def _evaluate(self) -> dict[str, float]:
        """Loss and gradient at the current point; caches the gradient for the next step.
        The per-step path: Python floats throughout (two coordinates cost less as scalars
        than as arrays), one call for the loss and gradient, the trajectory's last point
        at hand as floats."""
        x, y = self.params["p"].tolist()
        loss, gx, gy = self.surface.loss_grad_xy(x, y)
        if not (abs(x) < POINT_LIMIT and abs(y) < POINT_LIMIT and abs(loss) < LOSS_LIMIT):
            self.converged = False
            return {"loss": float("inf")}
        g = self._grad  # updated in place: the next step's gradient
        g[0], g[1] = gx, gy
        grad_norm = math.hypot(gx, gy)
        self.converged = grad_norm < GRAD_TOL
        last = self._trail_last
        if last is None:
            self._record(x, y)
        else:
            lx, ly = last
            if math.hypot(x - lx, y - ly) >= self._min_move:  # p moved visibly
                self._record(x, y)
        return {"loss": loss, "grad_norm": grad_norm}

    def _record(self, x: float, y: float) -> None:
        """Count a visible move of p to (x, y) (or the first point), storing every
        stride-th one in the trajectory. A full trail is thinned to every other point and
        the stride doubles, so it always spans the whole run evenly."""
        self._trail_skipped += 1
        if self._trail_skipped < self._trail_stride:
            return
        self._trail_skipped = 0
        n = self._trail_len
        if n == TRAIL_CAPACITY:
            n = TRAIL_CAPACITY // 2
            self._trail[:n] = self._trail[::2]
            self._trail_stride *= 2
        self._trail[n] = x, y
        self._trail_len = n + 1
        self._trail_last = (x, y)  # the stored point as floats (exact: float64 both)

    def _build_surface_views(self) -> None:
        """Cache the loss over the window at cell centres: (rows = y up, cols = x right)."""
        xmin, xmax, ymin, ymax = self.surface.extent
        rows, cols = GRID_SHAPE
        xs = xmin + (np.arange(cols) + 0.5) * (xmax - xmin) / cols
        ys = ymin + (np.arange(rows) + 0.5) * (ymax - ymin) / rows
        grid = self.surface.loss(xs[None, :], ys[:, None])  # (rows, cols)
        above_min = grid - self.surface.loss_min
        log_grid = np.log10(np.maximum(above_min, 0.0) + 1e-3 * float(above_min.max()))
        grid.flags.writeable = False
        log_grid.flags.writeable = False
        self._surface_grid, self._log_surface_grid = grid, log_grid
