"""Lesson 2, cost functions: a line y = w·x + b fitted to 1-D points under MSE, MAE or
Huber, moved by hand or by gradient descent, over the cost's (w, b) surface."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import surface as sv
from ..compare import T, final
from ..experiment import Experiment, HyperParam
from ..questions import Question
from ..texts.cost_functions import INFO

N_POINTS = 20  # clean points
N_OUTLIERS = 3  # added when outliers are on
TRUE_W, TRUE_B = 1.0, 0.5
NOISE = 0.3
OUTLIER_DROP = 8.0  # the outliers sit this far below the line, at the right end
EXTENT = (-1.5, 3.0, -2.5, 2.5)  # (w from, w to, b from, b to)
POINT_LIMIT = 1e6
LOSSES = ("mse", "mae", "huber")


def make_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Clean points (x, y) and outliers (x, y), float64; the outliers are always drawn
    (so turning them on changes nothing else)."""
    x = rng.uniform(-2.0, 2.0, N_POINTS)
    y = TRUE_W * x + TRUE_B + NOISE * rng.standard_normal(N_POINTS)
    ox = rng.uniform(1.4, 2.0, N_OUTLIERS)
    oy = TRUE_W * ox + TRUE_B - OUTLIER_DROP + NOISE * rng.standard_normal(N_OUTLIERS)
    return x, y, ox, oy


def cost(loss: str, r: Any, delta: float) -> Any:
    """Per-point cost of residuals r = w·x + b − y (elementwise)."""
    if loss == "mse":
        return r * r
    a = np.abs(r)
    if loss == "mae":
        return a
    return np.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))


def cost_slope(loss: str, r: np.ndarray, delta: float) -> np.ndarray:
    """d cost / d r per point (MAE: the subgradient sign(r), 0 at r = 0)."""
    if loss == "mse":
        return 2.0 * r
    if loss == "mae":
        return np.sign(r)
    return np.clip(r, -delta, delta)


def fit(x: np.ndarray, y: np.ndarray, loss: str, delta: float) -> np.ndarray:
    """The exact minimiser (w, b) of the mean cost, float64. MSE: least squares. MAE: the
    best line through two of the points (a minimiser of a sum of |·| in 2-D always passes
    through two points). Huber: iteratively reweighted least squares."""
    design = np.stack([x, np.ones_like(x)], axis=1)
    p = np.linalg.lstsq(design, y, rcond=None)[0]
    if loss == "mse":
        return p
    if loss == "mae":
        i, j = np.triu_indices(len(x), 1)
        keep = x[i] != x[j]
        i, j = i[keep], j[keep]
        w = (y[j] - y[i]) / (x[j] - x[i])
        b = y[i] - w * x[i]
        total = np.abs(w[:, None] * x[None, :] + b[:, None] - y[None, :]).sum(axis=1)
        best = int(np.argmin(total))
        return np.array([w[best], b[best]])
    for _ in range(200):
        r = design @ p - y
        weights = np.minimum(1.0, delta / np.maximum(np.abs(r), 1e-12))
        wd = design * weights[:, None]
        new = np.linalg.solve(design.T @ wd, wd.T @ y)
        if np.max(np.abs(new - p)) < 1e-13:
            return new
        p = new
    return p


def moved_least(exp: Experiment) -> int:
    """When the outliers came in: 0 the MSE line moved less than the MAE line, 1 the MAE line did."""
    assert isinstance(exp, CostFunctions)
    return 1 if exp.outlier_shift("mae") < exp.outlier_shift("mse") else 0


def end_point(exp: Experiment) -> int:
    """0: the run ended within 0.02 of the exact minimum; 1: it keeps circling it (further)."""
    assert isinstance(exp, CostFunctions)
    return 0 if exp.distance_to_minimum() < 0.02 else 1


def mse_grew_more(exp: Experiment) -> int:
    """Doubling every residual: 0 the cost doubled, 1 it became four times as large."""
    assert isinstance(exp, CostFunctions)
    return 1 if exp.values["loss"] == "mse" else 0


QUESTIONS = (
    Question(
        key="outlier-moves-least",
        text={"en": "Three points far below the line are added. Whose best line moves less: MSE's or MAE's?",
              "ko": "직선보다 훨씬 아래에 있는 점 세 개를 더합니다. MSE와 MAE 중 어느 쪽의 최적 직선이 덜 움직일까?"},
        choices=({"en": "MSE's", "ko": "MSE"}, {"en": "MAE's", "ko": "MAE"}),
        explanation={"en": "MSE squares a residual, so a point 8 away pulls with force 16 (2r); MAE pulls with 1 "
                           "whatever the distance, Huber with at most δ. The squared cost lets three outliers drag the line.",
                     "ko": "MSE는 잔차를 제곱하므로 8만큼 떨어진 점은 16(2r)의 힘으로 끌어당깁니다. MAE는 거리와 상관없이 1, "
                           "Huber는 많아야 δ로 끌어당깁니다. 제곱 비용에서는 이상치 세 개가 직선을 끌고 갑니다."},
        outcome=moved_least, explains=1, setup={"outliers": "on", "loss": "mse"}, steps=1),
    Question(
        key="mae-gd-settles",
        text={"en": "Plain gradient descent with a fixed step α = 0.5 on the MAE: after 200 steps, where is (w, b)?",
              "ko": "고정된 스텝 α = 0.5의 경사 하강법으로 MAE를 줄이면, 200 스텝 뒤 (w, b)는 어디에 있을까?"},
        choices=({"en": "on the minimum (within 0.02)", "ko": "최솟점 위 (0.02 이내)"},
                 {"en": "still hopping around it, further than 0.02", "ko": "여전히 그 주변을 0.02보다 멀리서 맴돈다"}),
        explanation={"en": "The MAE's slope is ±1 per point however close the line is: its gradient does not shrink "
                           "near the minimum, so fixed steps keep hopping across the kinks. (MSE's gradient goes to 0 there.)",
                     "ko": "MAE의 기울기는 직선이 아무리 가까워도 점마다 ±1이라 최솟점 근처에서 작아지지 않습니다. "
                           "그래서 고정된 스텝은 꺾인 곳을 계속 넘나듭니다. (MSE의 기울기는 그곳에서 0이 됩니다.)"},
        outcome=end_point, explains=1, setup={"loss": "mae", "learning_rate": 0.5, "w": -1.0, "b": 2.0}, steps=200),
    Question(
        key="mse-after-gd",
        text={"en": "Same start, MSE and α = 0.5: after 200 steps, where is (w, b)?",
              "ko": "같은 시작점에서 MSE와 α = 0.5로 200 스텝 뒤 (w, b)는 어디에 있을까?"},
        choices=({"en": "on the minimum (within 0.02)", "ko": "최솟점 위 (0.02 이내)"},
                 {"en": "still hopping around it, further than 0.02", "ko": "여전히 그 주변을 0.02보다 멀리서 맴돈다"}),
        explanation={"en": "MSE is a smooth bowl: its gradient shrinks in proportion to the distance, so fixed steps "
                           "shrink too and the point settles on the least-squares line.",
                     "ko": "MSE는 매끄러운 그릇이라 기울기가 거리에 비례해 줄어듭니다. 그래서 고정된 스텝도 작아지고 "
                           "점은 최소제곱 직선에 자리 잡습니다."},
        outcome=end_point, explains=0, setup={"loss": "mse", "learning_rate": 0.5, "w": -1.0, "b": 2.0}, steps=200),
)


class CostFunctions(Experiment):
    """Fit y = w·x + b by gradient descent on MSE, MAE or Huber from a point placed by
    hand; the state is ``params["p"]``: (2,) float64 = (w, b)."""

    state_attrs = ("params", "_path_points", "_path_meta")
    info = INFO
    family = "linear"  # package/bench: FusedLinear, TorchLinear
    questions = QUESTIONS
    figures = (final("loss", key="loss", name=T("cost", "비용")),
               final("distance", key="distance", name=T("to min", "최솟점까지")))

    hyperparams = (
        HyperParam("w", "w (slope)", "float", -0.5, low=EXTENT[0], high=EXTENT[1], step=0.1,
                   help="places the line's slope here (the run goes on from the new point; r comes back to it)"),
        HyperParam("b", "b (intercept)", "float", 1.5, low=EXTENT[2], high=EXTENT[3], step=0.1,
                   help="places the line's intercept here (the run goes on from the new point; r comes back to it)"),
        HyperParam("loss", "cost function", "choice", "mse", choices=LOSSES,
                   help="mean squared error, mean absolute error, or Huber (squared near 0, absolute beyond δ)"),
        HyperParam("delta", "Huber δ", "float", 1.0, low=0.05, high=10.0, log=True, factor=1.5,
                   help="where Huber turns from squared to absolute (only for huber)"),
        HyperParam("outliers", "outliers", "choice", "off", choices=("off", "on"),
                   help="adds three points far below the line at the right end"),
        HyperParam("learning_rate", "learning rate α", "float", 0.05, low=1e-3, high=3.0, log=True, factor=1.5,
                   help="gradient-descent step size (space runs it from the point)"),
    )

    # -- the Experiment hooks -------------------------------------------------------
    def _build(self) -> None:
        self.clean_x, self.clean_y, self.out_x, self.out_y = make_data(self.data_rng)
        self.params = {"p": np.array([self.values["w"], self.values["b"]], dtype=np.float64)}
        self._grad: tuple[float, float] = (0.0, 0.0)  # ∂J/∂(w, b) at p (set by the first evaluation)
        self._p_cache = self.params["p"].data  # p itself (a view: read and written without NumPy indexing; restored in place, it holds)
        self._path_points, self._path_meta = sv.new_paths(1)
        self._recorder = sv.PathRecorder(self._path_points, self._path_meta)
        self._set_data()

    def _set_data(self) -> None:
        """The points in use (outliers on or off) and everything that follows from them and the cost."""
        if self.values["outliers"] == "on":
            self.x = np.concatenate([self.clean_x, self.out_x])
            self.y = np.concatenate([self.clean_y, self.out_y])
        else:
            self.x, self.y = self.clean_x, self.clean_y
        n = len(self.x)  # the per-step path's buffers: r, cost terms, slopes, |r|, |r| <= δ
        self._buffers_cache = (np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n, dtype=bool))
        self._set_cost()

    def _set_cost(self) -> None:
        loss, delta = self.values["loss"], self.values["delta"]
        self.minimum = fit(self.x, self.y, loss, delta)
        self._minimum_wb = (float(self.minimum[0]), float(self.minimum[1]))
        self._grid, floor = sv.loss_grid(self.surface_loss, EXTENT)
        self.loss_min = float(self.loss_at(self.minimum))
        self._log_grid = sv.log_above(self._grid, min(floor, self.loss_min))

    def _after_reset(self) -> None:
        for name, value in self._evaluate().items():
            self.history.append(name, 0, value)

    def _train_step(self) -> dict[str, float]:
        """p ← p − α·g with g the gradient at p from the last evaluation (as floats: the
        same arithmetic as on the array), then the evaluation at the new p."""
        p = self._p_cache
        w, b = p
        gw, gb = self._grad
        lr = self.values["learning_rate"]
        w, b = w - lr * gw, b - lr * gb
        p[0], p[1] = w, b
        if not (abs(w) < POINT_LIMIT and abs(b) < POINT_LIMIT):  # (``_evaluate``, inline)
            return {"loss": float("inf")}
        loss, self._grad = self._loss_and_gradient(w, b)
        self._recorder.record(0, w, b)
        mw, mb = self._minimum_wb
        return {"loss": loss, "distance": math.hypot(w - mw, b - mb)}

    def _apply(self, name: str, value: Any) -> None:
        if name == "w":
            self.params["p"][0] = value
        elif name == "b":
            self.params["p"][1] = value
        elif name == "outliers":
            self._set_data()
        elif name in ("loss", "delta"):
            self._set_cost()
        if name != "learning_rate":
            self._record_point()
            self._grad = tuple(self.gradient(self.params["p"]).tolist())

    def _extra_state(self) -> dict[str, Any]:
        self._recorder.sync()
        return super()._extra_state()

    def _load_extra_state(self, extra: Any) -> None:
        super()._load_extra_state(extra)
        if not sv.paths_fit(self._path_points, self._path_meta):
            raise ValueError("the saved path does not fit")
        self._recorder = sv.PathRecorder(self._path_points, self._path_meta)
        self._grad = tuple(self.gradient(self.params["p"]).tolist())

    def inspect(self) -> list[tuple[str, np.ndarray]]:
        return [("p (w, b)", self.params["p"].copy())]

    # -- the maths --------------------------------------------------------------------
    def loss_at(self, p: np.ndarray) -> float:
        r = p[0] * self.x + p[1] - self.y
        return float(np.mean(cost(self.values["loss"], r, self.values["delta"])))

    def gradient(self, p: np.ndarray) -> np.ndarray:
        """∂J/∂(w, b) at p (MAE: a subgradient)."""
        r = p[0] * self.x + p[1] - self.y
        s = cost_slope(self.values["loss"], r, self.values["delta"])
        return np.array([np.mean(s * self.x), np.mean(s)])

    def _loss_and_gradient(self, w: float, b: float) -> tuple[float, tuple[float, float]]:
        """The mean cost at (w, b) and ∂J/∂(w, b) there, from one computation of the
        residuals: ``loss_at`` and ``gradient`` on the per-step path, the same arithmetic
        on preallocated buffers (``np.add.reduce(a) / n`` is ``np.mean(a)`` without its
        Python wrapper: the same sum and division)."""
        x, n, kind, delta = self.x, len(self.x), self.values["loss"], self.values["delta"]
        r, t, s, a, mask = self._buffers_cache
        np.multiply(x, w, out=r)
        r += b
        r -= self.y
        if kind == "mse":
            np.multiply(r, r, out=t)
            np.multiply(r, 2.0, out=s)
        elif kind == "mae":
            np.abs(r, out=t)
            np.sign(r, out=s)
        else:  # huber
            np.abs(r, out=a)
            np.less_equal(a, delta, out=mask)
            np.subtract(a, 0.5 * delta, out=t)
            t *= delta
            np.multiply(r, 0.5, out=a)
            a *= r
            np.copyto(t, a, where=mask)
            np.clip(r, -delta, delta, out=s)
        loss = float(np.add.reduce(t) / n)
        np.multiply(s, x, out=t)
        return loss, (float(np.add.reduce(t) / n), float(np.add.reduce(s) / n))

    def surface_loss(self, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        r = w[..., None] * self.x + b[..., None] - self.y  # (rows, cols, n)
        return np.mean(cost(self.values["loss"], r, self.values["delta"]), axis=-1)

    def outlier_shift(self, loss: str) -> float:
        """How far the exact (w, b) minimum of ``loss`` moves when the outliers are added."""
        delta = self.values["delta"]
        x_all, y_all = np.concatenate([self.clean_x, self.out_x]), np.concatenate([self.clean_y, self.out_y])
        return float(np.linalg.norm(fit(x_all, y_all, loss, delta) - fit(self.clean_x, self.clean_y, loss, delta)))

    def distance_to_minimum(self) -> float:
        return float(np.linalg.norm(self.params["p"] - self.minimum))

    # -- helpers ----------------------------------------------------------------------
    def _record_point(self) -> None:
        x, y = self.params["p"].tolist()
        self._recorder.record(0, x, y)

    def _evaluate(self) -> dict[str, float]:
        """The loss at p (and the gradient there, for the next step); the path point (each
        step does the same in ``_train_step``)."""
        w, b = self.params["p"].tolist()
        if not (abs(w) < POINT_LIMIT and abs(b) < POINT_LIMIT):
            return {"loss": float("inf")}
        loss, self._grad = self._loss_and_gradient(w, b)
        self._recorder.record(0, w, b)
        mw, mb = self._minimum_wb
        return {"loss": loss, "distance": math.hypot(w - mw, b - mb)}

    def _views(self) -> dict[str, Any]:
        """The surface views (core/surface.py) and: x, y (n,) the points in use; outlier:
        (n,) bool; w, b, loss (the cost now), loss_min, minimum (2,), residuals (n,) =
        w·x + b − y; terms (n,) each point's cost."""
        self._recorder.sync()
        p = self.params["p"]
        r = p[0] * self.x + p[1] - self.y
        views = sv.surface_views(self._log_grid, self.loss_min, EXTENT,
                                 [sv.path(self._path_points, self._path_meta, 0, p)], [p], ("w", "b"), self.minimum)
        outlier = np.zeros(len(self.x), dtype=bool)
        outlier[N_POINTS:] = True
        views.update({
            "x": self.x.copy(), "y": self.y.copy(), "outlier": outlier,
            "w": float(p[0]), "b": float(p[1]), "loss": self.loss_at(p), "loss_min": self.loss_min,
            "minimum": self.minimum.copy(), "residuals": r, "terms": cost(self.values["loss"], r, self.values["delta"]),
        })
        return views
