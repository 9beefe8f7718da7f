"""Lesson 6 (one-hot encoding): the claim of TOPICS.md, checked on the Experiment alone.

The floor of the integer labels is computed here in closed form (least squares on the
lesson's own input column and a bias), independently of the lesson's ``integer_floor``."""

import numpy as np
import pytest

from nndojo.core.lessons.one_hot import OneHot

SEEDS = range(10)
STEPS = 400


def least_squares_floor(exp: OneHot) -> float:
    """The smallest MSE of any w·x + b on the integer model's input column x, in float64."""
    x = exp.data.x_train[:, 0].astype(np.float64)
    y = exp.data.y_train[:, 0].astype(np.float64)
    A = np.c_[x, np.ones_like(x)]
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    return float(np.mean((A @ coef - y) ** 2))


def trained(seed: int, **values) -> OneHot:
    exp = OneHot(seed=seed, **values)
    exp.step(STEPS)
    return exp


def holds(exp: OneHot) -> bool:
    """One-hot fits exactly (loss below 1e-6 of the target's variance); the integer labels
    end on the closed-form floor (never below it, within 0.1% above it), which is large."""
    floor = least_squares_floor(exp)
    var = float(np.var(exp.data.y_train.astype(np.float64)))
    integer, one_hot = exp.history["integer/loss"].last, exp.history["one-hot/loss"].last
    return (one_hot < 1e-6 * var and floor * (1 - 1e-5) <= integer <= floor * (1 + 1e-3)
            and floor > 0.3 * var)


def test_one_hot_fits_exactly_and_integer_labels_stop_on_the_least_squares_floor():
    """Holds for seeds 0-9 (10 of 10) at the defaults (8 colours, 400 steps)."""
    held = [seed for seed in SEEDS if holds(trained(seed))]
    assert len(held) >= 9, f"held for seeds {held}"


@pytest.mark.parametrize("categories", [3, 12])
def test_the_claim_holds_for_few_and_many_colours(categories):
    exp = OneHot(seed=0, categories=categories)
    exp.step(1200 if categories == 12 else STEPS)  # 12 colours: smaller per-colour curvature, slower
    assert holds(exp)


def test_the_lesson_shows_the_closed_form_floor():
    exp = trained(0)
    assert exp.history["floor"].last == pytest.approx(least_squares_floor(exp), rel=1e-6)
    assert exp.snapshot().views["floor"] == pytest.approx(least_squares_floor(exp), rel=1e-6)


def test_ranking_the_labels_by_target_shrinks_the_floor_but_keeps_it():
    listed, ranked = trained(0), trained(0, order="by-target")
    var = float(np.var(ranked.data.y_train.astype(np.float64)))
    assert 1e-3 * var < least_squares_floor(ranked) < 0.1 * least_squares_floor(listed)
    assert ranked.history["integer/loss"].last >= least_squares_floor(ranked) * (1 - 1e-5)
    assert ranked.history["one-hot/loss"].last < 1e-6 * var


def test_integer_predictions_lie_on_a_line_over_the_labels():
    views = trained(1).snapshot().views
    labels, pred = views["labels"].astype(np.float64), views["pred_integer"].astype(np.float64)
    slope, intercept = np.polyfit(labels, pred, 1)
    assert np.abs(slope * labels + intercept - pred).max() < 1e-5 * np.abs(pred).max()
    one_hot = views["pred_one_hot"]
    np.testing.assert_allclose(one_hot, views["targets"], atol=1e-3)
