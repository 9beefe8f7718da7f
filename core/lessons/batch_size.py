"""Lesson 5, stochastic vs mini-batch vs full-batch gradient descent: one line fit
y = w·x + b (MSE) trained three ways in lockstep, batch 1, B and all N points, with the
same learning rate and the same order of the data, over the one (w, b) surface."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import surface as sv
from ..compare import T, final
from ..experiment import Experiment, HyperParam
from ..questions import Question
from ..texts.batch_size import INFO

N_POINTS = 64
TRUE_W, TRUE_B = 1.0, 0.5
NOISE = 0.5
START = (-1.0, 2.0)
EXTENT = (-1.5, 2.5, -1.0, 2.5)  # (w from, w to, b from, b to)
ARMS = ("sgd", "mini", "full")  # batch 1, batch B, batch N
LOSS_LIMIT = 1e12
X_AXES = ("epochs", "updates", "seconds")
SURFACES = ("line", "two-basins")
# two basins: J(w, b) = (w² − 1)² + TILT·w + ½b², a shallow basin near w = +1 and a deep
# one near w = −1; point i's gradient is ∇J plus its own zero-mean noise vector (the
# points' noise sums to 0, so the full-batch gradient is exactly ∇J)
TILT = 0.25
BASIN_NOISE = 6.0
BASIN_START = (1.6, 1.0)
BASIN_EXTENT = (-2.0, 2.0, -1.5, 1.5)


def make_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x (n,) and y (n,) float64: a noisy line."""
    x = rng.uniform(-2.0, 2.0, N_POINTS)
    return x, TRUE_W * x + TRUE_B + NOISE * rng.standard_normal(N_POINTS)


def gradient(p: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂/∂(w, b) of mean((w·x + b − y)²) over the points given: (2,)."""
    r = p[0] * x + p[1] - y
    n = len(x)
    return np.array([2.0 * float(r @ x) / n, 2.0 * float(r.sum()) / n])


DEEP_W = float(np.roots([4.0, 0.0, -4.0, TILT]).real.min())  # where ∂J/∂w = 0 in the deep basin
BASIN_FLOOR = (DEEP_W * DEEP_W - 1.0) ** 2 + TILT * DEEP_W  # J there: subtracted, so J >= 0 (a log plot)


def basin_loss(w: Any, b: Any) -> Any:
    """The two-basin surface J(w, b) (0 at the deep minimum), elementwise."""
    return (w * w - 1.0) ** 2 + TILT * w + 0.5 * b * b - BASIN_FLOOR


def basin_gradient(p: np.ndarray) -> np.ndarray:
    w, b = p[0], p[1]
    return np.array([4.0 * w * (w * w - 1.0) + TILT, b])


def full_batch_basin(exp: Experiment) -> int:
    """Where the full-batch run ended: 0 the shallow basin (w > 0), 1 the deep one."""
    assert isinstance(exp, BatchSize)
    return 0 if exp.params["p"][2, 0] > 0 else 1


def sgd_wanders_most(exp: Experiment) -> int:
    """Which arm's loss curve is noisiest (std of step-to-step change): 0 SGD, 1 mini-batch, 2 full batch."""
    assert isinstance(exp, BatchSize)
    return int(np.argmax([exp.roughness(arm) for arm in ARMS]))


def lowest_after_one_epoch(exp: Experiment) -> int:
    """After one epoch of each (N, N/B and 1 updates): 0 SGD's loss is lowest, 1 the
    mini-batch's, 2 the full batch's."""
    assert isinstance(exp, BatchSize)
    return int(np.argmin([exp.loss_after_epochs(arm, 1.0) for arm in ARMS]))


QUESTIONS = (
    Question(
        key="noisiest-curve",
        text={"en": "Same learning rate, same data order: whose loss curve jitters most from update to update?",
              "ko": "같은 학습률, 같은 데이터 순서에서, 갱신마다 손실 곡선이 가장 많이 흔들리는 것은?"},
        choices=({"en": "SGD (batch 1)", "ko": "SGD (배치 1)"}, {"en": "mini-batch (B = 8)", "ko": "미니배치 (B = 8)"},
                 {"en": "full batch", "ko": "전체 배치"}),
        explanation={"en": "A batch of one point gives a gradient whose spread is that of a single point's: each step "
                           "follows one point and the loss jumps. Averaging B points cuts the spread by √B; the full "
                           "batch has none, its curve is smooth.",
                     "ko": "점 하나로 만든 기울기는 점 하나만큼 퍼져 있어, 스텝마다 한 점을 따라가며 손실이 튑니다. B개를 "
                           "평균하면 퍼짐이 √B만큼 줄고, 전체 배치는 퍼짐이 없어 곡선이 매끄럽습니다."},
        outcome=sgd_wanders_most, explains=0, setup={"batch": 8, "learning_rate": 0.05}, steps=128),
    Question(
        key="one-epoch",
        text={"en": "Count by epochs (each sees every point once): after one epoch, whose loss is lowest?",
              "ko": "에포크 단위로 세면(모두 모든 점을 한 번씩 봄) 한 에포크 뒤 손실이 가장 낮은 것은?"},
        choices=({"en": "SGD (64 updates)", "ko": "SGD (갱신 64번)"}, {"en": "mini-batch (8 updates)", "ko": "미니배치 (갱신 8번)"},
                 {"en": "full batch (1 update)", "ko": "전체 배치 (갱신 1번)"}),
        explanation={"en": "Per epoch SGD makes N updates and full batch one: at a small learning rate many noisy "
                           "steps get much further than one exact step. Per update, full batch is best; per epoch it is slowest.",
                     "ko": "에포크마다 SGD는 N번, 전체 배치는 한 번 갱신합니다. 작은 학습률에서는 시끄러운 스텝 여러 번이 "
                           "정확한 스텝 한 번보다 훨씬 멀리 갑니다. 갱신 한 번당으로는 전체 배치가 가장 좋지만 에포크당으로는 가장 느립니다."},
        outcome=lowest_after_one_epoch, explains=0, setup={"batch": 8, "learning_rate": 0.02}, steps=64),
    Question(
        key="two-basins-full-batch",
        text={"en": "Two basins: a shallow one where the runs start, a deep one past a ridge. Where is the full-batch "
                    "run after 600 updates (α = 0.03)?",
              "ko": "두 분지: 시작점이 있는 얕은 분지와 능선 너머의 깊은 분지. 600번 갱신한 뒤(α = 0.03) 전체 배치 "
                    "실행은 어디에 있을까?"},
        choices=({"en": "in the shallow basin", "ko": "얕은 분지"}, {"en": "in the deep basin", "ko": "깊은 분지"}),
        explanation={"en": "The exact gradient points downhill into the nearest basin and, at a small step, never "
                           "uphill over the ridge: full-batch GD stays where it started. SGD's noisy steps do cross "
                           "it on most seeds here; that this helps on real networks is a tendency, not a law.",
                     "ko": "정확한 기울기는 가장 가까운 분지 안쪽 내리막을 가리키고, 스텝이 작으면 능선을 넘어 오르막으로 가지 "
                           "않습니다. 전체 배치 GD는 시작한 분지에 머뭅니다. 여기서는 SGD의 시끄러운 스텝이 대부분의 시드에서 "
                           "능선을 넘지만, 실제 신경망에서 이것이 도움이 되는지는 법칙이 아니라 경향입니다."},
        outcome=full_batch_basin, explains=0, setup={"surface": "two-basins", "learning_rate": 0.03}, steps=600),
)


class BatchSize(Experiment):
    """Three copies of (w, b) trained in lockstep at batch sizes 1, B and N; one step is
    one update of each. The state is ``params["p"]``: (3, 2) float64, a row per arm."""

    state_attrs = ("params", "_cursor", "_orders", "_path_points", "_path_meta")
    info = INFO
    family = "linear"  # package/bench: FusedLinear, TorchLinear
    questions = QUESTIONS
    history_capacity = 4096
    figures = (final("loss_sgd", key="sgd", name=T("SGD loss", "SGD 손실")),
               final("loss", key="mini", name=T("mini loss", "미니 손실")),
               final("loss_full", key="full", name=T("full loss", "전체 손실")))

    hyperparams = (
        HyperParam("surface", "loss surface", "choice", "line", choices=SURFACES, needs_reset=True,
                   help="a line fit (a convex bowl), or two basins, a shallow one where the runs start and a deeper one past a ridge"),
        HyperParam("batch", "mini-batch size B", "choice", 8, choices=(2, 4, 8, 16, 32), needs_reset=True,
                   help="the middle run's batch size (the others use 1 and all 64 points)"),
        HyperParam("learning_rate", "learning rate α", "float", 0.05, low=1e-3, high=2.0, log=True, factor=1.5,
                   help="the same step size for all three runs"),
        HyperParam("x_axis", "x axis", "choice", "updates", choices=X_AXES,
                   help="the loss curves over epochs, updates, or seconds of computing (timed on this machine; the runs themselves do not depend on time)"),
    )

    def _build(self) -> None:
        self.x, self.y = make_data(self.data_rng)
        self._x_list, self._y_list = self.x.tolist(), self.y.tolist()  # the points as floats (the batch of one)
        noise = BASIN_NOISE * self.data_rng.standard_normal((N_POINTS, 2))
        self.noise = noise - noise.mean(axis=0)  # (n, 2): zero mean, so the full gradient is exact
        self.basins = self.values["surface"] == "two-basins"
        self.extent = BASIN_EXTENT if self.basins else EXTENT
        self.batches = (1, int(self.values["batch"]), N_POINTS)
        start = BASIN_START if self.basins else START
        self.params = {"p": np.tile(np.array(start, dtype=np.float64), (3, 1))}
        self._cursor = np.zeros((3, 2), dtype=np.int64)  # per arm: (epoch, position in the epoch's order)
        self._orders = np.tile(self.order(0), (3, 1))  # (3, n): each arm's order of the points in its current epoch
        self._path_points, self._path_meta = sv.new_paths(3)
        self._recorder = sv.PathRecorder(self._path_points, self._path_meta)
        if self.basins:
            self.minimum = np.array([DEEP_W, 0.0])  # the deep minimum
        else:
            design = np.stack([self.x, np.ones_like(self.x)], axis=1)
            self.minimum = np.linalg.lstsq(design, self.y, rcond=None)[0]
        grid, floor = sv.loss_grid(self.surface_loss, self.extent)
        self.loss_min = self.loss_at(self.minimum)
        self._log_grid = sv.log_above(grid, min(floor, self.loss_min))

    def order(self, epoch: int) -> np.ndarray:
        """The order of the points in ``epoch``: the same for every arm (a permutation drawn from the seed and the epoch)."""
        return np.random.default_rng([self.seed, epoch]).permutation(N_POINTS)

    def _after_reset(self) -> None:
        for name, value in self._evaluate().items():
            self.history.append(name, 0, value)

    def _train_step(self) -> dict[str, float]:
        lr = self.values["learning_rate"]
        p, orders, basins = self.params["p"], self._orders, self.basins
        cursor = self._cursor.tolist()
        for arm, size in enumerate(self.batches):
            epoch, at = cursor[arm]
            if basins:
                idx = orders[arm, at: at + size]
                p[arm] -= lr * self.batch_gradient(p[arm], idx)
                at += len(idx)
            else:  # the line: ``gradient`` on the batch, (w, b) as floats (the same arithmetic)
                w, b = p[arm].tolist()
                if size == 1:
                    j = int(orders[arm, at])
                    xj = self._x_list[j]
                    r = w * xj + b - self._y_list[j]
                    gw, gb = 2.0 * (r * xj), 2.0 * r
                    at += 1
                else:
                    idx = orders[arm, at: at + size]
                    m = len(idx)
                    xb = self.x[idx]
                    rb = w * xb + b - self.y[idx]
                    gw, gb = 2.0 * float(rb @ xb) / m, 2.0 * float(np.add.reduce(rb)) / m
                    at += m
                p[arm] = (w - lr * gw, b - lr * gb)
            if at >= N_POINTS:
                epoch, at = epoch + 1, 0
                if size < N_POINTS:  # (a full batch takes every point: its order never matters)
                    orders[arm] = self.order(epoch)
            cursor[arm] = [epoch, at]
        self._cursor[...] = cursor
        self.epoch = cursor[1][0] + cursor[1][1] / N_POINTS
        return self._evaluate()

    def _extra_state(self) -> dict[str, Any]:
        self._recorder.sync()
        return super()._extra_state()

    def _load_extra_state(self, extra: Any) -> None:
        super()._load_extra_state(extra)
        if not sv.paths_fit(self._path_points, self._path_meta):
            raise ValueError("the saved paths do not fit")
        self._recorder = sv.PathRecorder(self._path_points, self._path_meta)

    def inspect(self) -> list[tuple[str, np.ndarray]]:
        return [(f"p{i} (w, b), B={size}", self.params["p"][i].copy()) for i, size in enumerate(self.batches)]

    # -- the maths --------------------------------------------------------------------
    def batch_gradient(self, p: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """The gradient at p of the mean loss over the points ``idx``: (2,)."""
        if self.basins:
            return basin_gradient(p) + self.noise[idx].sum(axis=0) / len(idx)
        return gradient(p, self.x[idx], self.y[idx])

    def loss_at(self, p: np.ndarray) -> float:
        """The loss over all the points."""
        if self.basins:
            return float(basin_loss(p[0], p[1]))
        r = p[0] * self.x + p[1] - self.y
        return float(r @ r) / N_POINTS

    def surface_loss(self, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        if self.basins:
            return basin_loss(w + 0.0 * b, b + 0.0 * w)
        r = w[..., None] * self.x + b[..., None] - self.y
        return np.mean(r * r, axis=-1)

    def updates_per_epoch(self) -> tuple[int, int, int]:
        return tuple(math.ceil(N_POINTS / size) for size in self.batches)  # type: ignore[return-value]

    def roughness(self, arm: str, skip: int = 0) -> float:
        """The std of the step-to-step change of ``arm``'s loss (after ``skip`` steps)."""
        name = {"sgd": "loss_sgd", "mini": "loss", "full": "loss_full"}[arm]
        _, loss = self.history[name].series()
        return float(np.std(np.diff(loss[skip:])))

    def loss_after_epochs(self, arm: str, epochs: float) -> float:
        """``arm``'s loss when it had seen ``epochs`` epochs of points (the last recorded at or before)."""
        i = ARMS.index(arm)
        name = {"sgd": "loss_sgd", "mini": "loss", "full": "loss_full"}[arm]
        steps, loss = self.history[name].series()
        seen = steps * self.batches[i] / N_POINTS
        k = np.flatnonzero(seen <= epochs + 1e-12)
        return float(loss[k[-1]])

    def batch_gradients(self, p: np.ndarray, size: int, count: int, rng: np.random.Generator) -> np.ndarray:
        """(count, 2) gradients at p of random batches of ``size`` points (each drawn without replacement)."""
        out = np.empty((count, 2))
        for k in range(count):
            idx = rng.choice(N_POINTS, size, replace=False)
            out[k] = self.batch_gradient(p, idx)
        return out

    # -- helpers ----------------------------------------------------------------------
    def _evaluate(self) -> dict[str, float]:
        """Each arm's loss over all the points (``loss_at``'s arithmetic) and its path point."""
        losses = []
        x, y = self.x, self.y
        for arm, (a, b) in enumerate(self.params["p"].tolist()):
            if self.basins:
                loss = float(basin_loss(a, b))
            else:
                r = a * x + b - y
                loss = float(r @ r) / N_POINTS
            if not (math.isfinite(loss) and loss < LOSS_LIMIT):
                return {"loss": float("inf")}
            self._recorder.record(arm, a, b)
            losses.append(loss)
        return {"loss": losses[1], "loss_sgd": losses[0], "loss_full": losses[2]}

    def _views(self) -> dict[str, Any]:
        """The surface views (core/surface.py; three paths: SGD, mini-batch, full batch)
        and: batches (1, B, N); updates_per_epoch; curves: per arm (x, loss) on the
        chosen axis (epochs or updates; "seconds" gives updates, which the screen turns
        into seconds by timing one update of each batch size); x_axis."""
        self._recorder.sync()
        p = self.params["p"]
        paths = [sv.path(self._path_points, self._path_meta, i, p[i]) for i in range(3)]
        views = sv.surface_views(self._log_grid, self.loss_min, self.extent, paths, [p[i] for i in range(3)],
                                 ("w", "b"), self.minimum)
        axis = self.values["x_axis"]
        curves = []
        for i, name in enumerate(("loss_sgd", "loss", "loss_full")):
            steps, loss = self.history[name].series(400)
            x = steps * self.batches[i] / N_POINTS if axis == "epochs" else steps.astype(np.float64)
            curves.append((x, loss))
        views.update({"batches": self.batches, "updates_per_epoch": self.updates_per_epoch(), "curves": curves,
                      "x_axis": axis, "epochs": [float(c[0] + c[1] / N_POINTS) for c in self._cursor]})
        return views
