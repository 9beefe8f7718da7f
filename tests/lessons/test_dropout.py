"""Lesson 14 (dropout): the claims of TOPICS.md, checked on the Experiment alone."""

import numpy as np
import pytest

from nndojo.core.activations import softmax
from nndojo.core.layers import Activation, Dense, Dropout
from nndojo.core.lessons.dropout import DropoutLesson, ensemble_gap, subnetwork_average
from nndojo.core.model import Sequential


def test_both_nets_start_from_the_same_weights() -> None:
    exp = DropoutLesson(seed=0)
    plain, dropped = (arm.model for arm in exp.arms)
    a = [layer.params["W"] for layer in plain.layers if isinstance(layer, Dense)]
    b = [layer.params["W"] for layer in dropped.layers if isinstance(layer, Dense)]
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    x = exp.data.x_test
    assert np.array_equal(plain.forward(x, training=False), dropped.forward(x, training=False))


def test_dropout_narrows_the_train_test_gap() -> None:
    """Seeds 0-9: dropout's test-minus-train loss gap is the smaller one on 10 of 10 at 200,
    600 and 1,500 steps (at 200 steps: plain 0.19-0.60, dropout 0.02-0.21). Asserted on
    seeds 0-4 at 200 steps: at least 4 of 5."""
    narrower = 0
    for seed in range(5):
        exp = DropoutLesson(seed=seed)
        exp.step(200)
        narrower += exp.history["dropout/gap"].last < exp.history["plain/gap"].last
    assert narrower >= 4


def test_at_eval_no_unit_is_dropped_and_inverted_scaling_keeps_the_mean() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 32)).astype(np.float32)
    for rate in (0.2, 0.5, 0.8):
        drop = Dropout(rate, rng=np.random.default_rng(1))
        assert np.array_equal(drop.forward(x, training=False), x) and drop.mask is None
        mean = np.mean([drop.forward(x, training=True) for _ in range(2000)], axis=0, dtype=np.float64)
        # each entry is x * (Bernoulli(1-p) / (1-p)) averaged over 2000 masks: std |x| sqrt(p/(1-p)/2000)
        tolerance = 5 * np.abs(x) * np.sqrt(rate / (1 - rate) / 2000)
        assert np.all(np.abs(mean - x) <= tolerance + 1e-6)
        kept = drop.forward(x, training=True)
        assert set(np.unique(np.round(kept / np.where(x == 0, 1, x), 4))) <= {0.0, round(1 / (1 - rate), 4)}


def test_the_eval_view_shows_no_unit_dropped_and_the_train_view_the_last_mask() -> None:
    exp = DropoutLesson(seed=0, rate=0.5)
    exp.step(5)
    mask = exp.snapshot().views["mask"]
    assert set(np.unique(mask)) == {0.0, 2.0}
    assert 0.3 < np.mean(mask > 0) < 0.7
    exp.set("view", "eval")
    assert np.all(exp.snapshot().views["mask"] == 1.0)


def test_the_eval_net_is_close_to_but_not_the_average_of_its_subnetworks() -> None:
    """After 600 steps (seeds 0-4): mean |p_eval - p_avg| 0.058-0.081 over the test points
    against 1,000 subnetworks (the same to 0.001 with 100: a bias, not sampling noise), the
    same class on 87-90% of them. Asserted on seed 0 after 400 steps, 200 test points, 200
    subnetworks."""
    exp = DropoutLesson(seed=0)
    exp.step(400)
    model = exp.arms[1].model
    x = exp.data.x_test[:200]
    gap, agree = ensemble_gap(model, x, 200, np.random.default_rng(7))
    assert 0.02 < gap < 0.15
    assert agree > 0.8
    # more subnetworks do not close the gap: it is the approximation's, not the sampling's
    gap_more, _ = ensemble_gap(model, x, 400, np.random.default_rng(8))
    assert abs(gap_more - gap) < 0.25 * gap
    # the model's own random stream is untouched by the averaging
    assert all(layer.rng is exp.mask_rng for layer in exp.drops)


def test_for_a_linear_net_the_eval_output_is_the_average_of_the_subnetworks() -> None:
    """Exact in expectation: the mean of the outputs (logits) over masks equals the output with
    nothing dropped, within the sampling error; the same net with ReLU misses by far more."""
    def net(kind: str) -> Sequential:
        rng = np.random.default_rng(3)
        layers = [Dense(2, 32, init="he", rng=rng, dtype=np.float64), Activation(kind), Dropout(0.5, rng=rng),
                  Dense(32, 32, init="he", rng=rng, dtype=np.float64), Activation(kind), Dropout(0.5, rng=rng),
                  Dense(32, 2, init="xavier", rng=rng, dtype=np.float64)]
        return Sequential(layers)

    x = np.random.default_rng(4).standard_normal((50, 2))
    samples = 2000
    misses = {}
    for kind in ("linear", "relu"):
        model = net(kind)
        outs = np.array([model.forward(x, training=True) for _ in range(samples)])
        sem = outs.std(axis=0) / np.sqrt(samples)
        misses[kind] = np.abs(outs.mean(axis=0) - model.forward(x, training=False)) / sem
    assert np.mean(misses["linear"]) < 1.5  # |mean - eval| of the order of the sampling error
    assert np.max(misses["linear"]) < 5
    assert np.mean(misses["relu"]) > 3 * np.mean(misses["linear"])


def test_subnetwork_average_is_a_probability_average() -> None:
    exp = DropoutLesson(seed=0)
    avg = subnetwork_average(exp.arms[1].model, exp.data.x_test[:20], 5, np.random.default_rng(0))
    assert np.allclose(avg.sum(axis=1), 1.0)
    assert np.all(avg > 0)
    eval_p = softmax(exp.arms[1].model.forward(exp.data.x_test[:20], training=False).astype(np.float64), axis=1)
    assert avg.shape == eval_p.shape


@pytest.mark.parametrize("rate", [0.0])
def test_rate_zero_makes_both_nets_identical(rate: float) -> None:
    exp = DropoutLesson(seed=1, rate=rate)
    exp.step(40)
    a, b = (arm.model.params() for arm in exp.arms)
    assert all(np.array_equal(v, w) for v, w in zip(a.values(), b.values()))


def test_the_mask_panel_keeps_the_last_steps_mask_through_an_evaluation() -> None:
    """An evaluation's forward pass clears the layers' masks: the panel still shows the
    mask of the step just taken (not "nothing dropped"), and all kept once the rate is 0."""
    exp = DropoutLesson(seed=0, rate=0.5)
    exp.step(DropoutLesson.eval_every_steps)  # the last of these steps evaluates
    assert all(drop.mask is None for drop in exp.drops)
    mask = exp.snapshot().views["mask"]
    assert set(np.unique(mask)) == {0.0, 2.0}
    exp.set("rate", 0.0)
    exp.step(1)
    assert np.all(exp.snapshot().views["mask"] == 1.0)
