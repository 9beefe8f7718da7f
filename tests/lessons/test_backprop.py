"""Lesson 4 (backpropagation): its claims, on the core alone."""

import numpy as np
import pytest

from nndojo.core.lessons import backprop
from nndojo.core.lessons.backprop import (GRAD_STAGE, INPUTS, PARAM_NAMES, STAGES, UPDATE, Backprop, analytic_grad,
                                          loss_at, numeric_grad, relative_errors)


def states(seed: int, updates: int) -> list[tuple[np.ndarray, int]]:
    """Parameters met along a run of whole updates, with the sample each pass used."""
    exp = Backprop(seed=seed, step_by="update")
    seen = []
    for _ in range(updates):
        exp.step(1)
        seen.append((exp.before.copy(), exp.current))
    return seen


@pytest.mark.parametrize("seed", range(3))
def test_every_analytic_gradient_matches_central_differences(seed):
    # holds on seeds 0-9 over 1000 updates (the largest error is about 1e-7, at saturated states)
    for theta, sample in states(seed, 300)[::10]:
        errors = relative_errors(analytic_grad(theta, sample), numeric_grad(theta, sample))
        assert errors.max() < 1e-6, (PARAM_NAMES[int(errors.argmax())], errors.max())


def test_the_check_catches_a_wrong_gradient(monkeypatch):
    """A factor left out of the chain (σ'(z) dropped) shows as an error near 1: the check can fail."""
    real = backprop.backward

    def forgetful(theta, x1, x2, y, f):
        nodes, grads = real(theta, x1, x2, y, f)
        return nodes, grads / f["yhat"] / (1 - f["yhat"])

    monkeypatch.setattr(backprop, "backward", forgetful)
    theta = np.random.default_rng(0).uniform(-1, 1, 9)
    assert relative_errors(analytic_grad(theta, 1), numeric_grad(theta, 1)).min() > 0.1


@pytest.mark.parametrize("seed", range(5))
def test_a_small_update_lowers_the_loss_on_its_sample(seed):
    # every pass of the first 40 on seeds 0-9 (learning rate 0.05)
    exp = Backprop(seed=seed, step_by="update", learning_rate=0.05)
    for _ in range(40):
        exp.step(1)
        v = exp.snapshot().views
        assert v["sample_loss_after"] < v["forward"]["loss"]
        assert loss_at(exp.theta, exp.current) == pytest.approx(v["sample_loss_after"])


def test_the_update_is_gradient_descent_on_the_sample():
    exp = Backprop(seed=0, learning_rate=0.3)
    exp.step(len(STAGES))
    assert exp.stage == UPDATE
    np.testing.assert_allclose(exp.theta, exp.before - 0.3 * analytic_grad(exp.before, exp.current), rtol=1e-12)


def test_stages_run_forward_then_loss_then_backward_from_the_output():
    exp = Backprop(seed=1, weight="w21")
    seen = []
    for _ in range(2 * len(STAGES)):
        exp.step(1)
        seen.append(exp.stage)
    assert seen == list(range(len(STAGES))) * 2
    assert GRAD_STAGE["v1"] < GRAD_STAGE["w11"]  # output weights' gradients come first
    assert exp.history["max_rel_error"].last < 1e-6


def test_sample_control_picks_the_point_and_cycle_walks_all_four():
    exp = Backprop(seed=0, sample=3, step_by="update")
    exp.step(3)
    assert exp.current == 2 and np.array_equal(exp.snapshot().views["x"], INPUTS[2])
    cyc = Backprop(seed=0, step_by="update")
    cyc.step(4)
    assert [cyc.current] == [3]


def test_the_chain_rule_panel_multiplies_to_the_gradient():
    from nndojo.screens.backprop import chain_factors

    exp = Backprop(seed=2)
    exp.step(UPDATE)  # every gradient known
    for i, name in enumerate(PARAM_NAMES):
        exp.set("weight", name)
        snap = exp.snapshot()
        product = np.prod([value for *_, value, _ in chain_factors(name, snap)])
        assert product == pytest.approx(snap.views["grads"][i], rel=1e-12)
