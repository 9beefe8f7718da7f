"""The engine's sweep (core/sweep.py): bounded work per advance, deterministic per seed,
and a sweep saved part way through resumes bit for bit (inside an Experiment)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nndojo.core.engine import Splits, SupervisedExperiment
from nndojo.core.experiment import HyperParam
from nndojo.core.info import LessonInfo
from nndojo.core.layers import Dense
from nndojo.core.losses import LOSSES
from nndojo.core.model import Sequential
from nndojo.core.optim import OPTIMIZERS
from nndojo.core.sweep import Sweep, point_rng

WIDTHS = (1, 2, 4, 8)
UNITS = 7  # updates per point: not a divisor of the budgets below, so points straddle advances


class LinearFits:
    """Per point: a fresh 3-in, 1-out linear model of its own seeded init, trained by SGD
    on a fixed regression set; the point's value scales the learning rate."""

    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng(1234)
        self.x = rng.standard_normal((40, 3)).astype(np.float32)
        self.y = (self.x @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)).astype(np.float32)
        self.seed = seed
        self.calls: list[tuple[str, int, int]] = []

    def start(self, index: int, value: float) -> None:
        self.rng = point_rng(self.seed, 0, index)
        self.model = Sequential([Dense(3, 1, rng=self.rng)])
        self.loss = LOSSES.get("mse")()
        self.opt = OPTIMIZERS.get("gd")(0.01 * value)
        self.calls.append(("start", index, 0))

    def train(self, index: int, value: float, units: int) -> None:
        for _ in range(units):
            idx = self.rng.integers(0, len(self.x), size=8)
            self.model.zero_grad()
            self.loss.forward(self.model.forward(self.x[idx]), self.y[idx])
            self.model.backward(self.loss.backward(), input_grad=False)
            self.opt.step(self.model.params(), self.model.grads())
        self.calls.append(("train", index, units))

    def finish(self, index: int, value: float) -> dict[str, float]:
        self.calls.append(("finish", index, 0))
        return {"loss": float(LOSSES.get("mse")().forward(self.model.forward(self.x), self.y)), "width": value}


def run(seed: int, budgets: list[int]) -> Sweep:
    sweep = Sweep(WIDTHS, ("loss", "width"), units_per_point=UNITS)
    work = LinearFits(seed)
    for b in budgets:
        sweep.advance(work, b)
    return sweep


def test_every_advance_stays_within_its_budget_and_points_fill_in_order() -> None:
    sweep = Sweep(WIDTHS, ("loss", "width"), units_per_point=UNITS)
    work = LinearFits(0)
    filled = []
    while not sweep.done:
        used = sweep.advance(work, 3)
        assert 1 <= used <= 3
        filled.append(sweep.finished_points)
        assert np.isfinite(sweep.column("loss")[: sweep.finished_points]).all()
        assert np.isnan(sweep.column("loss")[sweep.finished_points:]).all()
    assert filled == sorted(filled) and filled[-1] == len(WIDTHS)
    assert sum(u for kind, _, u in work.calls if kind == "train") == UNITS * len(WIDTHS)
    assert [i for kind, i, _ in work.calls if kind == "start"] == list(range(len(WIDTHS)))
    assert sweep.advance(work, 5) == 0 and sweep.progress == 1.0
    x, y = sweep.curve("width")
    assert list(x) == list(WIDTHS) and list(y) == list(WIDTHS)


def test_the_result_depends_on_the_seed_not_on_how_the_work_was_cut() -> None:
    whole = run(3, [1000]).column("loss")
    cut = run(3, [1, 2, 3, 5, 8, 13, 1000]).column("loss")
    assert np.array_equal(whole, cut)
    other = run(4, [1000]).column("loss")
    assert not np.array_equal(whole, other)


def test_stop_ends_the_sweep_with_the_rest_unfinished() -> None:
    sweep = run(0, [UNITS + 2])
    sweep.stop()
    assert sweep.done and sweep.finished_points == 1
    assert np.isnan(sweep.column("loss")[1:]).all()


def test_bad_declarations_are_refused() -> None:
    with pytest.raises(ValueError):
        Sweep([], ("loss",))
    with pytest.raises(ValueError):
        Sweep([1.0], ("loss",), units_per_point=0)


# -- inside an Experiment: save and resume part way through ---------------------------------

INFO = LessonInfo(key="sweep-probe", number=98, title={"en": "s", "ko": "s"}, question={"en": "q", "ko": "q"},
                  text={"en": "t", "ko": "t"}, finished=False)


class SweepProbe(SupervisedExperiment):
    """A sweep of SGD runs of one shared model (built in _build, so the generic save
    captures it), its learning rate following the values, 5 updates per point."""

    info = INFO
    loss_name = "mse"
    hyperparams = (HyperParam("budget", "work per step", "int", 3, low=1, high=50),)
    state_attrs = SupervisedExperiment.state_attrs + ("sweep_state",)

    def _data(self) -> Splits:
        x = self.data_rng.standard_normal((64, 2)).astype(np.float32)
        return Splits(x, (x[:, :1] * 2 - x[:, 1:]).astype(np.float32))

    def _model(self) -> Sequential:
        return Sequential([Dense(2, 1, rng=self.init_rng)])

    def _build(self) -> None:
        super()._build()
        self.sweep = Sweep(np.geomspace(1e-3, 1.0, 9), ("loss",), units_per_point=5)
        self.sweep_state = self.sweep.state
        self.shared = Sequential([Dense(2, 1, rng=self.init_rng)])
        self.shared_opt = OPTIMIZERS.get("momentum")(0.1)
        self.sweep_rng = point_rng(self.seed, 1, 0)
        self.shared_loss = LOSSES.get("mse")()

    def start(self, index: int, value: float) -> None:
        self.shared_opt.learning_rate = value

    def train(self, index: int, value: float, units: int) -> None:
        for _ in range(units):
            idx = self.sweep_rng.integers(0, self.n_train, size=8)
            self.shared.zero_grad()
            self.shared_loss.forward(self.shared.forward(self.data.x_train[idx]), self.data.y_train[idx])
            self.shared.backward(self.shared_loss.backward(), input_grad=False)
            self.shared_opt.step(self.shared.params(), self.shared.grads())

    def finish(self, index: int, value: float) -> dict[str, float]:
        return {"loss": float(self.shared_loss.forward(self.shared.forward(self.data.x_train), self.data.y_train))}

    def _optimizer_params(self, name: str) -> Any:
        return self.shared.params() if name == "shared_opt" else super()._optimizer_params(name)

    def _train_step(self) -> dict[str, float]:
        metrics = super()._train_step()
        self.sweep.advance(self, self.values["budget"])
        return metrics


@pytest.mark.parametrize("cut", [1, 4, 7])
def test_a_sweep_saved_part_way_resumes_bit_for_bit(cut: int) -> None:
    a = SweepProbe(seed=2)
    a.step(cut)
    assert not a.sweep.done and a.sweep.state["units"] + a.sweep.index > 0
    resumed = SweepProbe.from_state_dict(a.state_dict())  # (the lessons' contracts also go through the file)
    assert isinstance(resumed, SweepProbe) and resumed.sweep_state is resumed.sweep.state
    assert resumed.sweep.index == a.sweep.index and resumed.sweep.state["units"] == a.sweep.state["units"]
    a.step(30)
    resumed.step(30)
    assert a.sweep.done and resumed.sweep.done
    assert np.array_equal(a.sweep.column("loss"), resumed.sweep.column("loss"))
    fresh = SweepProbe(seed=2)
    fresh.step(30 + cut)
    assert np.array_equal(fresh.sweep.column("loss"), a.sweep.column("loss"))
    assert np.isfinite(a.sweep.column("loss")).all()
