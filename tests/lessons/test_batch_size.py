"""Lesson 5 (batch size): its claims, on the core alone."""

import numpy as np

from nndojo.core.lessons.batch_size import ARMS, N_POINTS, BatchSize, gradient


def test_updates_per_epoch():
    """Per epoch SGD makes N updates, mini-batch N/B, full batch 1: after N lockstep
    updates SGD has done exactly one epoch, full batch N."""
    exp = BatchSize(seed=0, batch=8)
    assert exp.updates_per_epoch() == (N_POINTS, N_POINTS // 8, 1)
    exp.step(N_POINTS)
    assert exp.snapshot().views["epochs"] == [1.0, 8.0, float(N_POINTS)]


def test_minibatch_gradient_is_unbiased_and_its_spread_falls_like_one_over_root_b():
    """The mean of many mini-batch gradients matches the full gradient; std·√B stays
    within 15% across B = 1, 2, 4, 8 (sampling without replacement from 64 shrinks it by
    at most 6% at B = 8)."""
    exp = BatchSize(seed=0)
    p = np.array([-0.5, 1.5])
    full = gradient(p, exp.x, exp.y)
    rng = np.random.default_rng(0)
    scaled = []
    for size in (1, 2, 4, 8):
        g = exp.batch_gradients(p, size, 4000, rng)
        stderr = g.std(axis=0) / np.sqrt(len(g))
        assert np.all(np.abs(g.mean(axis=0) - full) < 4 * stderr), size
        scaled.append(np.linalg.norm(g.std(axis=0)) * np.sqrt(size))
    assert max(scaled) / min(scaled) < 1.15, scaled


def test_sgd_curve_is_noisier():
    """10/10 seeds: past the first epoch of the mini-batch run, the std of SGD's
    step-to-step loss change is over 3x the mini-batch's, which is over the full batch's."""
    for seed in range(10):
        exp = BatchSize(seed=seed)
        exp.step(256)
        sgd, mini, full = (exp.roughness(arm, skip=64) for arm in ARMS)
        assert sgd > 3 * mini > 3 * full, (seed, sgd, mini, full)


def test_same_data_order_for_every_run():
    """With B = N the mini-batch run is the full-batch run, update for update."""
    exp = BatchSize(seed=3, batch=32)
    exp.step(40)
    twin = BatchSize(seed=3, batch=32)
    assert np.array_equal(exp.order(0), twin.order(0))
    p = exp.params["p"]
    assert not np.array_equal(p[0], p[2])
    idx = exp.order(0)[:32]
    q = np.array([-1.0, 2.0])
    q -= 0.05 * gradient(q, exp.x[idx], exp.y[idx])
    fresh = BatchSize(seed=3, batch=32)
    fresh.step(1)
    assert np.allclose(fresh.params["p"][1], q)


def test_full_batch_reaches_least_squares():
    exp = BatchSize(seed=0, learning_rate=0.3)
    exp.step(300)
    assert np.allclose(exp.params["p"][2], exp.minimum, atol=1e-6)


def test_two_basins_full_batch_stays_sgd_mostly_crosses():
    """On the two-basin surface at α = 0.03, after 600 updates from the shallow basin:
    full batch is still there on 20/20 seeds of 0-19; B = 8 too (20/20 observed, asserted
    >= 18); SGD has crossed into the deep basin on 14/20 (asserted >= 10). Honest scope:
    noise carries SGD over this ridge; nothing here says it finds better minima in general."""
    deep = np.zeros(3, dtype=int)
    for seed in range(20):
        exp = BatchSize(seed=seed, surface="two-basins", learning_rate=0.03, batch=8)
        exp.step(600)
        deep += exp.params["p"][:, 0] < 0
    sgd, mini, full = deep
    assert full == 0 and mini <= 2 and sgd >= 10, deep
