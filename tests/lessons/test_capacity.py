"""Lesson 11 (model capacity): the claim of TOPICS.md, checked on the Experiment alone.

At the defaults (20 noisy points, degrees 0-15, least squares) the training loss never
rises with the degree and the test loss falls then rises. Measured: the U holds on seeds
0-9 (10/10), asserted as >= 8/10; the training loss never rising is exact (nested least
squares), asserted on every seed."""

import numpy as np
from numpy.polynomial import legendre

from nndojo.core.lessons.capacity import MAX_DEGREE, Capacity, fit, mse, u_shape

SEEDS = range(10)


def swept(seed: int, **values) -> Capacity:
    exp = Capacity(seed=seed, **values)
    exp.step(MAX_DEGREE)
    assert exp.sweep.done and exp.converged
    return exp


def test_train_loss_never_rises_and_test_loss_is_u_shaped_at_the_defaults() -> None:
    shapes = [u_shape(swept(seed)) for seed in SEEDS]
    assert all(monotone for monotone, _ in shapes), shapes
    assert sum(u for _, u in shapes) >= 8, shapes


def test_without_noise_and_with_many_points_the_test_loss_does_not_rise() -> None:
    """The U-check can fail: with almost no noise there is nothing to overfit, and the
    test loss does not rise at the top."""
    exp = swept(0, noise=0.0, n_train=100)
    assert u_shape(exp)[1] is False


def test_the_sweep_fills_one_degree_per_step_from_step_0_and_each_point_is_the_least_squares_fit() -> None:
    exp = Capacity(seed=3)
    for k in range(1, 5):
        done = np.isfinite(exp.sweep.column("train_loss"))
        assert done.sum() == k and done[:k].all()  # degree 0 at step 0, then one per step
        exp.step(1)
    exp.step(MAX_DEGREE)
    for degree in (0, 5, 15):
        V = legendre.legvander(exp.x_train, degree)
        coef = np.linalg.lstsq(V, exp.y_train, rcond=None)[0]
        # the same minimum, and np.polyfit's (another basis) agrees
        assert np.isclose(exp.sweep.column("train_loss")[degree], np.mean((V @ coef - exp.y_train) ** 2), rtol=1e-9)
        poly = np.polyfit(exp.x_train, exp.y_train, degree)
        assert np.isclose(exp.sweep.column("test_loss")[degree],
                          np.mean((np.polyval(poly, exp.x_test) - exp.y_test) ** 2), rtol=1e-4)


def test_the_chosen_degree_changes_live_without_restarting_the_sweep() -> None:
    exp = Capacity(seed=1)
    exp.step(4)
    assert exp.set("degree", 9) is False and exp.sweep.finished_points == 5
    exp.step(1)
    assert np.isclose(exp.history["train_loss"].last, mse(fit(exp.x_train, exp.y_train, 9), exp.x_train, exp.y_train))
