"""Lesson 1 (deep vs shallow): the claim of TOPICS.md, checked on the Experiment alone,
and the depth-separation construction the lesson's text describes."""

import numpy as np
import pytest

from nndojo.core.layers import Activation, Dense
from nndojo.core.lessons.deep_vs_shallow import (
    DeepVsShallow, count_params, deep_widths, linear_pieces, piece_grid, shallow_width,
)
from nndojo.core.model import Sequential

SEEDS = range(10)
STEPS = 1500


def test_deep_net_reaches_a_lower_loss_than_the_shallow_one_with_equal_parameters():
    """At the defaults (1-8×6-1 vs 1-128-1, 385 parameters each; a 4-tent sawtooth) the deep
    net's whole-data loss is lower after 1,500 steps for 10 of seeds 0-9 (the largest ratio
    deep/shallow 0.96; also 10 of 10 after 2,000 steps, 9 of 10 after 1,000 and 1,200)."""
    wins = []
    for seed in SEEDS:
        exp = DeepVsShallow(seed=seed)
        params = exp.snapshot().views["params"]
        assert params["deep"] == params["shallow"] == 385
        exp.step(STEPS)
        if exp.history["deep/train_loss"].last < exp.history["shallow/train_loss"].last:
            wins.append(seed)
    assert len(wins) >= 8, f"the deep net was ahead for seeds {wins}"


@pytest.mark.parametrize("budget", [25, 50, 100, 250, 385, 500, 800])
@pytest.mark.parametrize("depth", [2, 3, 6, 8])
def test_both_nets_get_the_same_budget(budget, depth):
    """The deep net is the widest within the budget; the shallow net has as many parameters
    as the deep one, within the 3 a hidden unit costs."""
    width = deep_widths(budget, depth)
    deep = count_params(depth, width)
    assert deep <= budget or width == 1
    assert width == 1 or count_params(depth, width + 1) > budget
    shallow = 3 * shallow_width(deep) + 1
    assert abs(shallow - deep) <= 1
    exp_params = DeepVsShallow(seed=0, budget=budget, depth=depth).snapshot().views["params"]
    assert exp_params == {"deep": deep, "shallow": shallow}


def tent_net(tents: int) -> Sequential:
    """Telgarsky's construction on x in [-1, 1]: 2 ReLU units per layer, one layer per tent."""
    rng = np.random.default_rng(0)
    layers = []
    first = Dense(1, 2, rng=rng)
    first.params["W"][...] = [[0.5, 0.5]]  # u = (x + 1) / 2 in [0, 1]: relu(u), relu(u - 1/2)
    first.params["b"][...] = [0.5, 0.0]
    layers += [first, Activation("relu")]
    for _ in range(tents - 1):  # tent(u) = 2 relu(u) - 4 relu(u - 1/2), fed to the next tent
        fold = Dense(2, 2, rng=rng)
        fold.params["W"][...] = [[2.0, 2.0], [-4.0, -4.0]]
        fold.params["b"][...] = [0.0, -0.5]
        layers += [fold, Activation("relu")]
    out = Dense(2, 1, rng=rng)
    out.params["W"][...] = [[2.0], [-4.0]]
    out.params["b"][...] = [0.0]
    return Sequential(layers + [out])


@pytest.mark.parametrize("tents", [1, 3, 5])
def test_two_units_per_layer_draw_the_sawtooth_exactly(tents):
    """Depth separation, the construction: n layers of 2 ReLU units compute the n-tent
    sawtooth (2^n linear pieces) exactly, with 6n + 1 parameters."""
    exp = DeepVsShallow(seed=0, teeth=tents)
    x, y = exp.data.x_train, exp.data.y_train
    net = tent_net(tents)
    np.testing.assert_allclose(net.forward(x), y, atol=1e-5)
    grid = piece_grid(4096)
    assert linear_pieces(net, grid) == 2 ** tents
    assert net.n_params == 6 * tents + 1


def test_one_hidden_layer_of_h_units_draws_at_most_h_plus_one_pieces():
    rng = np.random.default_rng(0)
    grid = piece_grid(4096)
    for h in (4, 16, 64):
        net = Sequential([Dense(1, h, rng=rng), Activation("relu"), Dense(h, 1, rng=rng)])
        net.layers[0].params["b"][...] = rng.uniform(-1, 1, h)
        assert linear_pieces(net, grid) <= h + 1
