"""Lesson 2 (cost functions): its claims, on the core alone."""

import numpy as np
import pytest

from nndojo.core.gradcheck import numeric_grad
from nndojo.core.lessons.cost_functions import EXTENT, CostFunctions, cost, fit

SEEDS = range(10)


def run_to_rest(exp: CostFunctions, budget: int = 3000, tol: float = 1e-7) -> None:
    """Step until a step moves (w, b) less than ``tol`` (at most ``budget`` steps)."""
    for _ in range(budget):
        before = exp.params["p"].copy()
        exp.step()
        if np.max(np.abs(exp.params["p"] - before)) < tol:
            return


@pytest.mark.parametrize("outliers", ["off", "on"])
def test_gradient_descent_on_mse_ends_at_least_squares(outliers):
    """10/10 seeds: GD on the MSE from the hand-placed start ends within 1e-3 of lstsq."""
    for seed in SEEDS:
        exp = CostFunctions(seed=seed, outliers=outliers, learning_rate=0.3)
        run_to_rest(exp)
        design = np.stack([exp.x, np.ones_like(exp.x)], axis=1)
        lstsq = np.linalg.lstsq(design, exp.y, rcond=None)[0]
        assert np.max(np.abs(exp.params["p"] - lstsq)) < 1e-3, seed


def test_outliers_move_mae_least_and_huber_between():
    """MAE's best line moves less than MSE's when the outliers come in (10/10 seeds);
    Huber's moves less than half as far as MSE's (10/10) and no less than MAE's (9/10: asserted >= 8)."""
    mae_less, huber_between = 0, 0
    for seed in SEEDS:
        exp = CostFunctions(seed=seed)
        mae, huber, mse = (exp.outlier_shift(loss) for loss in ("mae", "huber", "mse"))
        assert mae < 0.5 * mse and huber < 0.5 * mse, (seed, mae, huber, mse)
        mae_less += 1
        huber_between += mae <= huber
    assert mae_less == 10 and huber_between >= 8


@pytest.mark.parametrize("loss", ["mae", "huber"])
def test_exact_fits_are_minima(loss):
    """The robust fits are minima: no nearby (w, b) has a lower cost."""
    exp = CostFunctions(seed=0, outliers="on", loss=loss)
    best = exp.loss_at(exp.minimum)
    rng = np.random.default_rng(0)
    for step in rng.normal(0.0, 0.02, (200, 2)):
        assert exp.loss_at(exp.minimum + step) >= best - 1e-12


def test_mse_surface_is_a_bowl_and_mae_has_kinks():
    """Along random lines through (w, b): MSE's second difference is one positive constant
    (a convex quadratic, one minimum); MAE is piecewise linear, its second difference zero
    except at a few kinks, where it jumps."""
    exp = CostFunctions(seed=0)
    x, y = exp.x, exp.y
    rng = np.random.default_rng(1)
    t = np.linspace(-2.0, 2.0, 4001)
    h = t[1] - t[0]
    for _ in range(5):
        start, direction = rng.uniform(-1, 1, 2), rng.normal(size=2)
        p = start[None, :] + t[:, None] * direction[None, :]
        r = p[:, :1] * x[None, :] + p[:, 1:] - y[None, :]
        mse = np.mean(cost("mse", r, 1.0), axis=1)
        mae = np.mean(cost("mae", r, 1.0), axis=1)
        d2_mse = np.diff(mse, 2) / h**2
        d2_mae = np.diff(mae, 2) / h**2
        assert np.all(d2_mse > 0) and np.ptp(d2_mse) < 1e-6 * d2_mse.mean()
        flat = np.abs(d2_mae) < 1e-6 * np.abs(d2_mae).max()
        assert flat.mean() > 0.95  # linear almost everywhere
        assert 3 <= np.count_nonzero(~flat) <= 2 * len(x)  # kinks: at most one per point (each may touch 2 samples)


def test_mse_has_one_minimum_on_the_grid():
    """The MSE grid has a single local minimum, next to the exact one."""
    exp = CostFunctions(seed=0)
    g = np.asarray(exp._grid)
    inner = g[1:-1, 1:-1]
    local = ((inner < g[:-2, 1:-1]) & (inner < g[2:, 1:-1]) & (inner < g[1:-1, :-2]) & (inner < g[1:-1, 2:]))
    assert np.count_nonzero(local) == 1
    r, c = np.argwhere(local)[0] + 1
    rows, cols = g.shape
    w = EXTENT[0] + (c + 0.5) * (EXTENT[1] - EXTENT[0]) / cols
    b = EXTENT[2] + (r + 0.5) * (EXTENT[3] - EXTENT[2]) / rows
    assert abs(w - exp.minimum[0]) < 0.1 and abs(b - exp.minimum[1]) < 0.2


@pytest.mark.parametrize("loss", ["mse", "huber"])
def test_gradient_matches_finite_differences(loss):
    exp = CostFunctions(seed=0, loss=loss, outliers="on")
    p = np.array([0.3, -0.2])
    numeric = numeric_grad(lambda: exp.loss_at(p), p)
    assert np.allclose(exp.gradient(p), numeric, rtol=1e-6, atol=1e-9)


def test_hand_moves_keep_the_run_and_move_the_point():
    exp = CostFunctions(seed=0)
    exp.step(5)
    exp.set("w", 1.2)
    assert exp.step_count == 5 and exp.params["p"][0] == 1.2
    assert exp.snapshot().views["w"] == 1.2
    path = exp.snapshot().views["surface_paths"][0]
    assert path[-1][0] == 1.2


def test_fit_of_mae_passes_through_two_points():
    exp = CostFunctions(seed=3, outliers="on")
    w, b = fit(exp.x, exp.y, "mae", 1.0)
    assert np.count_nonzero(np.abs(w * exp.x + b - exp.y) < 1e-9) >= 2
