"""Lesson 3 (gradient descent): its claims, on the core alone. (The contract every lesson
keeps is tests/lessons/test_contract.py.)"""

import numpy as np
import pytest

from nndojo.core import session
from nndojo.core.gradcheck import numeric_grad, rel_error
from nndojo.core.lessons.gradient_descent import GRAD_TOL, GRID_SHAPE, SURFACES, TRAIL_CAPACITY, GradientDescent

QUADRATICS = ("bowl", "ravine", "regression")


def run_until_settled(exp: GradientDescent, budget: int) -> int | None:
    """Step until converged or diverged (at most ``budget`` steps); the step count if it converged."""
    while exp.step_count < budget and not (exp.converged or exp.diverged):
        exp.step()
    return exp.step_count if exp.converged else None


def numeric_hessian(exp: GradientDescent, p: np.ndarray) -> np.ndarray:
    """(2, 2) Hessian of the surface at p, by central differences of its analytic gradient."""
    p = p.astype(np.float64).copy()
    rows = [numeric_grad(lambda: float(exp.surface.grad(p)[i]), p) for i in range(2)]
    return 0.5 * (np.array(rows) + np.array(rows).T)


# -- the claim ---------------------------------------------------------------------------
@pytest.mark.parametrize("fraction", [0.9, 0.99])
@pytest.mark.parametrize("surface", QUADRATICS)
def test_learning_rate_below_critical_converges_on_quadratic(surface, fraction):
    exp = GradientDescent(seed=0, surface=surface)
    exp.set("learning_rate", fraction * exp.snapshot().views["critical_lr"])
    assert run_until_settled(exp, budget=5000) is not None
    snap = exp.snapshot()
    assert snap.converged and not snap.diverged
    assert snap.last["grad_norm"] < GRAD_TOL
    assert np.linalg.norm(snap.views["point"] - snap.views["minimum"]) < 1e-2


@pytest.mark.parametrize("fraction", [1.01, 1.1])
@pytest.mark.parametrize("surface", QUADRATICS)
def test_learning_rate_above_critical_diverges_on_quadratic(surface, fraction):
    exp = GradientDescent(seed=0, surface=surface)
    exp.set("learning_rate", fraction * exp.snapshot().views["critical_lr"])
    exp.step(5000)
    snap = exp.snapshot()
    assert snap.diverged and not snap.converged
    assert snap.step < 5000  # it stopped at the blow-up instead of running on
    assert "loss" in snap.message
    _, loss = exp.history["loss"].series()
    assert loss[-1] > 1e6 * loss[0]  # the loss grew without bound before it was called diverged


@pytest.mark.parametrize("surface", list(SURFACES))
def test_critical_learning_rate_is_two_over_largest_hessian_eigenvalue(surface):
    exp = GradientDescent(seed=0, surface=surface)
    views = exp.snapshot().views
    eigenvalues = np.linalg.eigvalsh(numeric_hessian(exp, views["minimum"]))
    assert views["lambda_max"] == pytest.approx(eigenvalues[-1], rel=1e-6)
    assert views["lambda_min"] == pytest.approx(eigenvalues[0], rel=1e-5, abs=1e-8)
    here = np.linalg.eigvalsh(numeric_hessian(exp, views["point"]))[-1]  # at the start point
    assert views["lambda_max_here"] == pytest.approx(here, rel=1e-6)
    assert views["critical_lr"] == pytest.approx(2.0 / here, rel=1e-6)
    if surface != "rosenbrock":  # a quadratic's curvature is the same everywhere
        assert views["lambda_max_here"] == pytest.approx(views["lambda_max"], rel=1e-12)


def test_rosenbrock_bound_is_local_and_moves_with_the_point():
    exp = GradientDescent(seed=0, surface="rosenbrock")
    seen = []
    while exp.step_count < 20_000 and not (exp.converged or exp.diverged):
        exp.step(10)
        seen.append(exp.snapshot().views["lambda_max_here"])
    assert exp.converged
    assert max(seen) > 1.5 * min(seen)  # the curvature along the path changes, and the bound with it
    end = exp.snapshot().views
    assert end["critical_lr"] == pytest.approx(2.0 / end["lambda_max"], rel=2e-2)  # near the minimum


@pytest.mark.parametrize("surface", QUADRATICS)
def test_momentum_bound_is_two_times_one_plus_beta_over_lambda_max(surface):
    exp = GradientDescent(seed=0, surface=surface, optimizer="momentum")
    views = exp.snapshot().views
    assert exp.optimizer.beta == 0.9
    assert views["critical_lr"] == pytest.approx(2 * 1.9 / views["lambda_max"], rel=1e-9)
    for fraction, converges in ((0.9, True), (0.99, True), (1.01, False), (1.1, False)):
        exp = GradientDescent(seed=0, surface=surface, optimizer="momentum")
        exp.set("learning_rate", fraction * views["critical_lr"])
        assert (run_until_settled(exp, budget=5000) is not None) is converges, fraction
        assert exp.diverged is not converges, fraction
    # a rate above plain GD's limit but below momentum's: momentum converges, GD diverges
    lr = 1.5 * 2.0 / views["lambda_max"]
    assert run_until_settled(GradientDescent(seed=0, surface=surface, optimizer="momentum", learning_rate=lr), 5000)
    gd = GradientDescent(seed=0, surface=surface, optimizer="gd", learning_rate=lr)
    assert run_until_settled(gd, 5000) is None and gd.diverged


@pytest.mark.parametrize("surface", list(SURFACES))
def test_adam_has_no_bound_and_does_not_diverge_even_at_the_largest_rate(surface):
    exp = GradientDescent(seed=0, surface=surface, optimizer="adam")
    assert exp.snapshot().views["critical_lr"] is None
    exp.set("learning_rate", exp.hyperparam("learning_rate").high)
    exp.step(3000)
    assert not exp.diverged


def test_the_bound_follows_a_live_optimiser_change():
    exp = GradientDescent(seed=0, optimizer="gd")
    gd = exp.snapshot().views["critical_lr"]
    exp.set("optimizer", "momentum")
    assert exp.snapshot().views["critical_lr"] == pytest.approx(1.9 * gd, rel=1e-12)
    exp.set("optimizer", "adam")
    assert exp.snapshot().views["critical_lr"] is None


def test_momentum_reaches_tolerance_in_fewer_steps_than_gd_on_ravine():
    # Fair race: each optimiser gets its best learning rate from the same grid, the
    # values the ←/→ keys step through around the default (×1.25 per press), from the
    # same start on the same ill-conditioned bowl. Steps count until |∇J| < GRAD_TOL.
    default = GradientDescent.hyperparams[0].default
    grid = [default * 1.25**k for k in range(-10, 6)]

    def best_steps(optimizer: str) -> int | None:
        runs = [run_until_settled(GradientDescent(seed=0, optimizer=optimizer, learning_rate=lr), 3000) for lr in grid]
        return min((s for s in runs if s is not None), default=None)

    views = GradientDescent(seed=0).snapshot().views
    assert views["lambda_max"] / views["lambda_min"] >= 50  # the default surface is a ravine
    gd, momentum = best_steps("gd"), best_steps("momentum")
    assert gd is not None and momentum is not None
    assert momentum < 0.5 * gd


# -- its controls and seeds -------------------------------------------------------------
def _trace(exp: GradientDescent, steps: int) -> dict[str, np.ndarray]:
    exp.step(steps)
    views = exp.snapshot().views
    return {
        "point": views["point"],
        "trajectory": views["trajectory"],
        "grad": views["grad"],
        "loss": exp.history["loss"].series()[1],
        "surface": views["surface"],
    }


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_reset_with_same_seed_reproduces_run_bit_for_bit(optimizer):
    exp = GradientDescent(seed=7, surface="regression", optimizer=optimizer)  # regression draws data from the seed
    first = _trace(exp, 300)
    exp.reset()
    again = _trace(exp, 300)
    for key in first:
        assert np.array_equal(first[key], again[key]), key
    exp.reset(seed=8)
    other = _trace(exp, 300)
    assert not np.array_equal(first["surface"], other["surface"])  # the seed does matter


def test_live_learning_rate_change_takes_effect_without_reset():
    exp = GradientDescent(seed=0, optimizer="gd")
    exp.step(20)
    point, grad = exp.params["p"].copy(), exp.snapshot().views["grad"]
    assert exp.set("learning_rate", 0.05) is False  # no reset
    assert exp.step_count == 20 and np.array_equal(exp.params["p"], point)
    exp.step()
    np.testing.assert_allclose(exp.params["p"], point - 0.05 * grad, rtol=0, atol=1e-15)


def test_live_optimizer_change_keeps_the_current_point():
    exp = GradientDescent(seed=0, optimizer="gd")
    exp.step(20)
    point, recorded = exp.params["p"].copy(), exp.history["loss"].count
    assert exp.set("optimizer", "momentum") is False  # no reset
    assert exp.step_count == 20 and np.array_equal(exp.params["p"], point)
    assert exp.history["loss"].count == recorded
    lr = exp.values["learning_rate"]
    g0 = exp.snapshot().views["grad"]
    exp.step()
    p1, g1 = exp.params["p"].copy(), exp.snapshot().views["grad"]
    exp.step()  # momentum from a fresh velocity: v = 0.9·g0 + g1, unlike GD's step of lr·g1
    np.testing.assert_allclose(p1, point - lr * g0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(exp.params["p"], p1 - lr * (0.9 * g0 + g1), rtol=0, atol=1e-15)


def test_trajectory_stays_bounded_on_a_long_run():
    # Just below 2/λmax on the round bowl, GD maps p to almost −p: every step moves far
    # and is recorded, and in 20,000 steps the run neither converges nor diverges.
    exp = GradientDescent(seed=0, surface="bowl")
    assert exp.snapshot().views["critical_lr"] == 1.0
    exp.set("learning_rate", 0.9999)
    start = exp.params["p"].copy()
    exp.step(20_000)
    trajectory = exp.snapshot().views["trajectory"]
    assert not exp.diverged and not exp.converged
    assert TRAIL_CAPACITY // 2 <= len(trajectory) <= TRAIL_CAPACITY + 1
    assert np.array_equal(trajectory[0], start) and np.array_equal(trajectory[-1], exp.params["p"])
    assert np.linalg.norm(trajectory[1]) > 0.9 * np.linalg.norm(start)  # thinned, not cut: early steps remain
    assert len(exp.history["loss"]) <= exp.history_capacity


def test_trajectory_keeps_its_shape_after_convergence():
    exp = GradientDescent(seed=0, optimizer="momentum")
    assert run_until_settled(exp, budget=2000) is not None
    before = exp.snapshot().views["trajectory"]
    exp.step(5000)
    after = exp.snapshot().views["trajectory"]
    # sub-pixel moves are not stored: only the final entry, the current point, changes
    assert len(after) == len(before) and np.array_equal(after[:-1], before[:-1])


@pytest.mark.parametrize("surface", list(SURFACES))
def test_analytic_gradient_matches_central_differences(surface):
    exp = GradientDescent(seed=0, surface=surface)
    xmin, xmax, ymin, ymax = exp.surface.extent
    rng = np.random.default_rng(1)
    for _ in range(10):
        p = rng.uniform((xmin, ymin), (xmax, ymax))
        numeric = numeric_grad(lambda: float(exp.surface.loss(*p)), p)
        assert rel_error(exp.surface.grad(p), numeric) < 1e-6


@pytest.mark.parametrize("surface", list(SURFACES))
def test_views_describe_the_surface_and_the_run(surface):
    exp = GradientDescent(seed=0, surface=surface)
    exp.step(5)
    views = exp.snapshot().views
    grid, log_grid = views["surface"], views["log_surface"]
    assert grid.shape == log_grid.shape == GRID_SHAPE
    assert not grid.flags.writeable and np.all(np.isfinite(log_grid))
    xmin, xmax, ymin, ymax = views["extent"]
    rows, cols = GRID_SHAPE
    for row, col in [(0, 0), (rows - 1, 3), (5, cols - 1)]:  # rows run up in y, columns right in x
        x = xmin + (col + 0.5) * (xmax - xmin) / cols
        y = ymin + (row + 0.5) * (ymax - ymin) / rows
        assert grid[row, col] == pytest.approx(float(exp.surface.loss(x, y)))
    assert views["trajectory"].shape == (6, 2) and views["point"].shape == (2,)
    assert np.array_equal(views["grad"], exp.surface.grad(views["point"]))
    assert views["loss_min"] == pytest.approx(float(exp.surface.loss(*views["minimum"])))
    assert views["axes"] == (("w", "b") if surface == "regression" else ("w1", "w2"))


def test_a_long_thinning_trail_resumes_bit_for_bit(tmp_path):
    """Saved with a full trajectory that has thinned, the run resumes with the
    trajectory's last point rebuilt as floats (the per-step movement test) and keeps
    thinning exactly as an uninterrupted run does."""
    from test_contract import assert_same_run  # the bit-for-bit comparison (tests/lessons/)

    def run() -> GradientDescent:
        exp = GradientDescent(seed=3, surface="bowl", learning_rate=0.998)
        exp.step(300)
        exp.set("learning_rate", 0.999)
        exp.step(400)
        return exp

    exp = run()
    stride = exp._trail_stride
    resumed = session.load(session.save(exp, tmp_path / "run.npz"))
    for e in (exp, resumed):
        assert e._trail_last == tuple(e._trail[e._trail_len - 1].tolist())
        assert all(type(v) is float for v in e._trail_last)
    resumed.step(900)
    exp.step(900)
    assert 1 < stride < exp._trail_stride and not exp.diverged
    assert_same_run(exp, resumed)
