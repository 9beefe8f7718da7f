"""Lesson 8 (weight initialization): the claim of TOPICS.md, checked on the Experiment alone."""

import numpy as np
import pytest

from nndojo.core.engine import Splits
from nndojo.core.lessons.weight_init import SPREAD_EVERY, WeightInit
from nndojo.core.model import Sequential

SEEDS = (0, 1, 2)


def views(seed=0, **values):
    """The untrained network's views (step 0)."""
    return WeightInit(seed=seed, **values).snapshot().views


def hidden_weights(exp):
    """W: (n_in, n_out) of every hidden Dense (the output layer excluded)."""
    return [d.params["W"] for d in exp.dense[:-1]]


# Identical up to rounding: a float32 ulp is ~6e-8 of the value; some BLAS kernels (the
# AVX2 one) round identical columns of a matmul differently, and within 200 steps that
# reaches ~1e-6 of |W|. A random init's spread is ~1 (test_random_init_breaks_symmetry).
ROUNDING = 1e-5


def unit_spread(W):
    """Largest |W[:, j] - W[:, 0]| relative to max |W|: 0 for identical units."""
    scale = np.abs(W).max()
    return np.abs(W - W[:, :1]).max() / scale if scale else 0.0


class WeightInit64(WeightInit):
    """The same lesson in float64 (data, weights, gradients), for comparison."""

    def _data(self):
        splits = super()._data()
        return Splits(splits.x_train.astype(np.float64), splits.y_train)

    def _model(self):
        model = super()._model()
        for d in self.dense:
            d.params = {k: v.astype(np.float64) for k, v in d.params.items()}
            d._make_grads()
        self._grads_flat = [d.grads["W"].reshape(-1) for d in self.dense]
        return Sequential(model.layers)


def nudge_by_rounding(exp, seed=0):
    """Multiply every hidden weight by 1 + eps * N(0, 1), eps = the dtype's unit roundoff:
    the size of difference one rounding makes, on any CPU."""
    eps = np.finfo(exp.dense[0].params["W"].dtype).eps / 2
    rng = np.random.default_rng(seed)
    for W in hidden_weights(exp):
        W *= (1 + eps * rng.standard_normal(W.shape)).astype(W.dtype)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("init", ["zeros", "constant"])
def test_zero_and_constant_init_keep_hidden_units_identical(init, activation):
    exp = WeightInit(seed=0, init=init, activation=activation)
    assert exp.history["unit_spread"].last == 0  # exactly identical at the start
    exp.step(20)
    for W in hidden_weights(exp):
        assert unit_spread(W) <= ROUNDING
    assert exp.history["unit_spread"].last <= ROUNDING
    h = exp.snapshot().views["activations"][-1].reshape(-1, 64)  # (probe points, units)
    assert np.abs(h - h[:, :1]).max() <= ROUNDING * np.abs(h).max()  # so every unit outputs the same value


def test_constant_init_learns_yet_stays_symmetric():
    """Symmetry, not a frozen network: the weights move, all units together."""
    exp = WeightInit(seed=0, init="constant")
    before = [W.copy() for W in hidden_weights(exp)]
    exp.step(200)
    moved = [np.abs(W - W0).max() / np.abs(W0).max() for W, W0 in zip(hidden_weights(exp), before)]
    assert min(moved) > 1e-2  # every hidden layer moved by over 1% of its size ...
    assert unit_spread(exp.snapshot().views["weights"].T) <= ROUNDING  # ... every unit alike (rows = units of h2)
    assert exp.history["loss"].last > 0.5  # a layer of clones is one unit wide: it cannot fit the spiral


def test_unit_spread_is_recorded_every_few_steps_and_measures_the_hidden_layers():
    exp = WeightInit(seed=0, init="he", activation="relu", depth=3)
    exp.step(2 * SPREAD_EVERY)
    assert exp.history["unit_spread"].last == pytest.approx(max(unit_spread(W) for W in hidden_weights(exp)), rel=1e-6)
    exp.step(SPREAD_EVERY - 1)
    steps, spreads = exp.history["unit_spread"].series()
    assert list(steps) == [0, SPREAD_EVERY, 2 * SPREAD_EVERY]
    assert spreads.min() > 0.5  # a random init: every unit its own


def test_constant_init_stays_symmetric_over_a_long_run():
    """5,000 steps at the defaults (tanh): the units may drift apart by rounding on some
    kernels, but they stay far closer than a random init's (spread ~1)."""
    exp = WeightInit(seed=0, init="constant")
    exp.step(5000)
    steps, spreads = exp.history["unit_spread"].series()
    assert steps[-1] == 5000 and spreads[0] == 0
    assert spreads[steps <= 200].max() <= ROUNDING
    assert spreads.max() < 1e-3  # AVX2 kernel: 3e-5 at step 5,000; AVX-512: 0
    assert recent_loss(exp) > 0.5


def test_training_amplifies_a_rounding_sized_asymmetry_until_relu_units_split():
    """A difference of one rounding between the units (which some BLAS kernels make on
    their own) grows under training with ReLU until the units split; yet the split
    network stays far worse than a random init: an accident, not a remedy. In float64
    the same nudge is ~1e9 times smaller, and the units stay identical much longer."""
    exp = WeightInit(seed=0, init="constant", activation="relu")
    nudge_by_rounding(exp)
    start = exp._unit_spread()
    assert 0 < start < ROUNDING
    exp.step(5000)
    steps, spreads = exp.history["unit_spread"].series()
    assert spreads[steps <= 1000].max() < 1e-4  # still identical to the eye
    assert spreads[steps == 3000][0] > 1e-2  # splitting (0.09 measured)
    assert spreads[-1] > 1e4 * start and spreads[-1] > 0.05  # split (0.4 measured)
    assert recent_loss(exp) > 0.5  # Xavier/He: < 0.15 by step 300

    exp64 = WeightInit64(seed=0, init="constant", activation="relu")
    assert exp64.dense[0].params["W"].dtype == np.float64
    nudge_by_rounding(exp64)
    exp64.step(3000)
    assert exp64.history["unit_spread"].last < 1e-6  # 1e-10 measured


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


def per_layer(values):
    """The geometric mean of values[i+1] / values[i]: the factor per layer."""
    values = np.asarray(values, dtype=np.float64)
    return float(np.exp(np.mean(np.log(values[1:] / values[:-1]))))


@pytest.mark.parametrize("seed", SEEDS)
def test_unit_normal_init_saturates_tanh(seed):
    """The text: half to three quarters of the units of h2-h8 start at ±1."""
    v = views(seed, init="normal(1)", activation="tanh")
    deep = v["saturation"][1:]
    assert 0.45 < deep.min() and deep.max() < 0.8  # 0.51-0.74 measured, seeds 0-5
    assert v["saturation"][0] < deep.min()
    assert views(seed, init="xavier", activation="tanh")["saturation"].max() < 0.05


@pytest.mark.parametrize("seed", SEEDS)
def test_unit_normal_tanh_gradients_grow_toward_the_input(seed):
    """Saturated, yet not vanishing: the chaotic regime. From the output layer back to W2
    every gradient norm is larger than the one after it, about 2x per layer, as
    sqrt(σw²·fan_in·E[tanh′²]) > 1 predicts (σw = 1, fan_in = 64)."""
    v = views(seed, init="normal(1)", activation="tanh")
    g = v["grad_norms"]  # W1 ... W9 (output)
    assert np.all(np.diff(g[1:]) < 0)  # W2 > W3 > ... > W9
    growth = 1 / per_layer(g[1:])  # toward the input
    assert 1.6 < growth < 2.5  # 1.92-2.03 measured, seeds 0-5
    gain = [np.sqrt(64 * np.mean((1 - a.astype(np.float64) ** 2) ** 2)) for a in v["activations"][1:]]
    assert min(gain) > 1.5  # chaotic: each layer amplifies
    assert np.exp(np.mean(np.log(gain))) == pytest.approx(growth, rel=0.25)


def test_unit_normal_tanh_saturates_further_then_trains_erratically():
    """The text: the first big steps push about 90% of the units to ±1; at step 300 some
    seeds pass 90% accuracy, others stay near chance (33%)."""
    accuracy = []
    for seed in range(6):
        exp = run(seed, steps=300, init="normal(1)", activation="tanh")
        if seed in SEEDS:
            assert exp.snapshot().views["saturation"][1:].mean() > 0.85  # 0.88-0.97 measured
        accuracy.append(exp.history["accuracy"].series()[1][-50:].mean())
    assert max(accuracy) > 0.9 and min(accuracy) < 0.4


@pytest.mark.parametrize("seed", SEEDS)
def test_tiny_init_with_sigmoid_makes_a_spike_at_one_half_at_h1_that_holds(seed):
    v = views(seed, init="normal(0.01)", activation="sigmoid")
    means = np.array([a.mean() for a in v["activations"]])
    std = v["activation_std"]
    assert np.abs(means - 0.5).max() < 0.01 and std.max() < 0.02  # a spike at ½ at every layer, h1 on
    assert 0.67 < std[-1] / std[1] < 1.5  # after h1 it holds: it does not shrink layer by layer
    assert 25 < per_layer(v["grad_norms"]) < 60  # the gradients shrink ~40x per layer toward the input


@pytest.mark.parametrize("seed", SEEDS)
def test_xavier_tanh_spread_falls_a_few_percent_per_layer(seed):
    """The text: 4-8% per layer; h8's std is 0.55-0.75 of h1's."""
    std = views(seed, init="xavier", activation="tanh")["activation_std"]
    assert 0.91 < per_layer(std) < 0.97  # 0.917-0.959 measured, seeds 0-5
    assert 0.5 < std[-1] / std[0] < 0.8
    assert np.all(std < std[0] * 1.05)  # no layer regains the spread


@pytest.mark.parametrize("seed", SEEDS)
def test_xavier_loses_a_factor_root_two_per_layer_with_relu_and_he_keeps_it(seed):
    xavier = views(seed, init="xavier", activation="relu")["activation_std"]
    he = views(seed, init="he", activation="relu")["activation_std"]
    assert per_layer(xavier[1:]) == pytest.approx(1 / np.sqrt(2), rel=0.1)
    assert per_layer(he[1:]) == pytest.approx(1.0, abs=0.1)


def test_xavier_sigmoid_learns_slowly():
    """The text: its gradients shrink 4-5x per layer toward the input; at depth 8 it is still
    near chance after 300 steps, where Xavier with tanh is below loss 0.2."""
    for seed in SEEDS:
        g = views(seed, init="xavier", activation="sigmoid")["grad_norms"]
        assert 3.5 < per_layer(g) < 6  # W(k+1) over Wk: smaller toward the input
        sigmoid = run(seed, steps=300, init="xavier", activation="sigmoid")
        tanh = run(seed, steps=300, init="xavier", activation="tanh")
        assert sigmoid.history["accuracy"].series()[1][-50:].mean() < 0.4  # chance is 1/3
        assert recent_loss(sigmoid) > 1.0 > 0.2 > recent_loss(tanh)


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
    """Over seeds 0-2: the mean minibatch loss of the first 300 steps (how fast) and of
    steps 201-300 (how low). N(0, 1)'s saturated runs are erratic and differ between BLAS
    kernels (its mean of steps 201-300 measured 0.66-0.91); Xavier and He are not."""
    bad_inits = ("normal(1)", "normal(0.01)", "constant", "zeros")
    curves = {}
    for init in ("xavier", "he", *bad_inits):
        curves[init] = np.mean([run(seed, steps=300, init=init).history["loss"].series()[1][1:] for seed in SEEDS], axis=0)
    fast = {init: c.mean() for init, c in curves.items()}
    low = {init: c[-100:].mean() for init, c in curves.items()}
    assert max(fast["xavier"], fast["he"]) < 0.5 * min(fast[bad] for bad in bad_inits)  # 0.35 vs 0.93 measured
    assert max(low["xavier"], low["he"]) < 0.3 * min(low[bad] for bad in bad_inits)  # 0.12 vs 0.66 measured


def run(seed, steps=30, **values):
    exp = WeightInit(seed=seed, **values)
    exp.step(steps)
    return exp


def test_learning_rate_change_is_live():
    exp = run(0, steps=5)
    assert exp.set("learning_rate", 0.05) is False
    assert exp.step_count == 5
    W0 = exp.dense[-1].params["W"].copy()
    exp.step()
    expected = W0 - 0.05 * exp.dense[-1].grads["W"]
    np.testing.assert_allclose(exp.dense[-1].params["W"], expected, rtol=0, atol=1e-7)


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
