"""Lesson 8 (weight initialization): the claim of TOPICS.md, checked on the Experiment alone."""

import numpy as np
import pytest

from nndojo.core.experiment import HyperParamError
from nndojo.core.lessons.weight_init import WeightInit

SEEDS = (0, 1, 2)


def views(seed=0, **values):
    """The untrained network's views (step 0)."""
    return WeightInit(seed=seed, **values).snapshot().views


def hidden_weights(exp):
    """W: (n_in, n_out) of every hidden Dense (the output layer excluded)."""
    return [d.params["W"] for d in exp.dense[:-1]]


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("init", ["zeros", "constant"])
def test_zero_and_constant_init_keep_hidden_units_identical(init, activation):
    exp = WeightInit(seed=0, init=init, activation=activation)
    exp.step(20)
    for W in hidden_weights(exp):
        spread = np.abs(W - W[:, :1]).max()  # every unit's incoming weights vs unit 0's
        assert spread <= 1e-6 * max(1.0, np.abs(W).max())
    h = exp.snapshot().views["activations"][-1].reshape(-1, 64)  # (probe points, units)
    assert np.abs(h - h[:, :1]).max() <= 1e-6  # so every unit outputs the same value


def test_constant_init_learns_yet_stays_symmetric():
    """Symmetry, not a frozen network: the weights move, all units together."""
    exp = WeightInit(seed=0, init="constant")
    before = [W.copy() for W in hidden_weights(exp)]
    exp.step(200)
    moved = [np.abs(W - W0).max() for W, W0 in zip(hidden_weights(exp), before)]
    assert min(moved) > 1e-4
    W = exp.snapshot().views["weights"]  # rows = units of h2
    assert np.array_equal(W, np.broadcast_to(W[:1], W.shape))
    assert exp.history["loss"].last > 0.5  # a layer of clones is one unit wide: it cannot fit the spiral


def test_random_init_breaks_symmetry():
    W = views(init="xavier")["weights"]
    assert np.abs(W - W[:1]).max() > 0.1


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_tiny_init_collapses_deep_activations_toward_zero(seed, activation):
    std = views(seed, init="normal(0.01)", activation=activation)["activation_std"]
    assert std[-1] < 1e-3
    assert std[-1] < 1e-4 * std[0]
    assert np.all(np.diff(std) < 0)  # shrinks layer after layer


@pytest.mark.parametrize("seed", SEEDS)
def test_tiny_init_vanishes_the_gradients(seed):
    small = views(seed, init="normal(0.01)")["grad_norms"]
    good = views(seed, init="xavier")["grad_norms"]
    assert small.max() < 1e-3 * good.min()


@pytest.mark.parametrize("seed", SEEDS)
def test_unit_normal_init_saturates_tanh(seed):
    v = views(seed, init="normal(1)", activation="tanh")
    deep = v["saturation"][2:]
    assert deep.min() > 0.5  # most deep units sit at ±1
    assert v["saturation"][0] < deep.min()
    assert views(seed, init="xavier", activation="tanh")["saturation"].max() < 0.05


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("init, activation", [("xavier", "tanh"), ("he", "relu")])
def test_xavier_and_he_keep_the_spread(seed, init, activation):
    v = views(seed, init=init, activation=activation)
    std = v["activation_std"]
    assert 1 / 3 < std[-1] / std[0] < 3
    assert std.min() > 0.05
    if activation == "tanh":
        assert v["saturation"].max() < 0.05
    else:
        assert v["dead_fraction"].max() < 0.75  # about half of ReLU outputs are 0, not all


def test_he_with_relu_keeps_the_spread_where_xavier_shrinks_it():
    he = views(init="he", activation="relu")["activation_std"]
    xavier = views(init="xavier", activation="relu")["activation_std"]
    assert xavier[-1] / xavier[0] < 0.25 < he[-1] / he[0]


def recent_loss(exp, last=50):
    """Mean of the last ``last`` minibatch losses (one minibatch is noisy)."""
    return exp.history["loss"].series()[1][-last:].mean()


def test_training_at_defaults_lowers_the_loss():
    exp = WeightInit(seed=0)
    first = exp.history["loss"].last  # step 0, before any update
    exp.step(300)
    assert recent_loss(exp) < 0.2 * first
    assert exp.history["accuracy"].series()[1][-50:].mean() > 0.9
    assert not exp.diverged


def test_good_init_converges_faster_and_lower_than_bad():
    losses = {}
    for init in ("xavier", "he", "normal(1)", "normal(0.01)", "constant", "zeros"):
        exp = WeightInit(seed=0, init=init)
        exp.step(300)
        losses[init] = recent_loss(exp)
    good = max(losses["xavier"], losses["he"])
    assert good < 0.3 * min(losses[bad] for bad in ("normal(1)", "normal(0.01)", "constant", "zeros"))


def run(seed, steps=30, **values):
    exp = WeightInit(seed=seed, **values)
    exp.step(steps)
    return exp


def test_same_seed_gives_bit_identical_runs():
    a, b = run(3, init="he", activation="relu"), run(3, init="he", activation="relu")
    for key, p in a.model.params().items():
        assert np.array_equal(p, b.model.params()[key])
    assert np.array_equal(a.history["loss"].series()[1], b.history["loss"].series()[1])
    a.reset()
    a.step(30)
    for key, p in a.model.params().items():
        assert np.array_equal(p, b.model.params()[key])
    c = run(4, init="he", activation="relu")
    assert not np.array_equal(c.model.params()["0.W"], b.model.params()["0.W"])


@pytest.mark.parametrize(
    "name, value",
    [("depth", 1), ("depth", 11), ("depth", 2.5), ("init", "orthogonal"), ("activation", "gelu"),
     ("learning_rate", 0.0), ("learning_rate", 10.0), ("learning_rate", float("nan")), ("momentum", 0.9)],
)
def test_bad_value_raises_and_changes_nothing(name, value):
    exp = run(0, steps=5)
    values = dict(exp.values)
    params = {k: p.copy() for k, p in exp.model.params().items()}
    with pytest.raises(HyperParamError):
        exp.set(name, value)
    assert exp.values == values
    assert exp.step_count == 5
    for key, p in exp.model.params().items():
        assert np.array_equal(p, params[key])


def test_learning_rate_change_is_live():
    exp = run(0, steps=5)
    assert exp.set("learning_rate", 0.05) is False
    assert exp.step_count == 5
    W0 = exp.dense[-1].params["W"].copy()
    exp.step()
    expected = W0 - 0.05 * exp.dense[-1].grads["W"]
    np.testing.assert_allclose(exp.dense[-1].params["W"], expected, rtol=0, atol=1e-7)


@pytest.mark.parametrize("name, value", [("init", "he"), ("activation", "relu"), ("depth", 3)])
def test_structural_change_resets_the_run(name, value):
    exp = run(0, steps=5)
    assert exp.set(name, value) is True
    assert exp.step_count == 0
    assert len(exp.snapshot().views["activations"]) == exp.values["depth"]


@pytest.mark.parametrize("depth", [2, 10])
def test_views_have_the_documented_shapes_and_are_copies(depth):
    exp = run(0, steps=2, depth=depth)
    v = exp.snapshot().views
    assert v["layer_names"] == [f"h{i + 1}" for i in range(depth)]
    assert len(v["activations"]) == depth
    assert all(a.shape == (4096,) and a.dtype == np.float32 and not a.flags.writeable for a in v["activations"])
    assert v["grad_norms"].shape == (depth + 1,) and len(v["grad_names"]) == depth + 1
    for key in ("activation_std", "saturation", "dead_fraction"):
        assert v[key].shape == (depth,)
    assert v["weights"].shape == (64, 64)
    assert not v["weights"].flags.writeable and not v["grad_norms"].flags.writeable
