"""Optimisers, history, initialisers, data and the hyperparameter declaration."""

import numpy as np
import pytest

from nndojo.core import data, init, optim
from nndojo.core.experiment import HyperParam, HyperParamError
from nndojo.core.history import Histories, History


@pytest.mark.parametrize("name", ["gd", "momentum", "adam"])
def test_every_optimiser_minimises_a_quadratic(name):
    p = {"x": np.array([3.0, -2.0])}
    opt = optim.make(name, 0.1)
    for _ in range(500):
        opt.step(p, {"x": 2 * p["x"]})
    assert np.abs(p["x"]).max() < 1e-3


def test_momentum_accumulates_velocity():
    p = {"x": np.array([0.0])}
    opt = optim.Momentum(1.0, beta=0.5)
    opt.step(p, {"x": np.array([1.0])})
    opt.step(p, {"x": np.array([1.0])})
    assert p["x"][0] == pytest.approx(-(1.0 + 1.5))


def test_adam_first_step_moves_by_learning_rate():
    p = {"x": np.array([1.0, -1.0])}
    optim.Adam(0.01).step(p, {"x": np.array([5.0, -0.001])})
    assert np.allclose(p["x"], [0.99, -0.99], atol=1e-6)


def test_optimiser_state_is_keyed_by_parameter_name():
    opt = optim.Momentum(0.1)
    opt.step({"a": np.zeros(2), "b": np.zeros(3)}, {"a": np.ones(2), "b": np.ones(3)})
    assert set(opt.state) == {"a", "b"} and opt.state["b"]["v"].shape == (3,)


def test_unknown_optimiser_is_a_clear_error():
    with pytest.raises(ValueError, match="choose one of"):
        optim.make("rmsprop", 0.1)


def test_history_memory_is_bounded_and_span_kept():
    h = History(capacity=64)
    for i in range(1, 100_001):
        h.append(i, float(i))
    assert len(h) <= 65
    x, y = h.series()
    assert x[-1] > 99_000 and x[0] < 5_000
    assert np.all(np.diff(x) > 0)
    assert h.last == 100_000.0 and h.count == 100_000


def test_history_keeps_means_when_merging():
    h = History(capacity=4)
    for i in range(1, 9):
        h.append(i, 1.0 if i % 2 else 3.0)
    _, y = h.series()
    assert np.allclose(y, 2.0)


def test_history_series_downsamples_to_requested_points():
    h = History(capacity=2048)
    for i in range(2000):
        h.append(i, np.sin(i / 50))
    x, y = h.series(100)
    assert 50 < len(x) == len(y) <= 100
    assert x[0] == pytest.approx(np.mean(np.arange(32))) and x[-1] == pytest.approx(np.mean(np.arange(1984, 2000)))


def test_history_series_changes_only_at_its_end_as_points_arrive():
    """A live plot asks for the series every frame: its earlier points must not move
    (except when the history merges its points, once each time it fills)."""
    h = History(capacity=256)
    rng = np.random.default_rng(0)
    previous, compared = None, 0
    for i in range(5000):
        h.append(i, float(rng.standard_normal()))
        if i % 37 == 0:
            x, y = h.series(100)
            if previous is not None and previous[2] == h._stride and len(previous[0]) <= len(x):
                k = len(previous[0]) - 1  # all but the last group, which was still filling
                same = (x[:k] == previous[0][:k]) & (y[:k] == previous[1][:k])
                assert same.all(), f"step {i}: {np.count_nonzero(~same)} earlier points moved"
                compared += 1
            previous = (x, y, h._stride)
    assert compared > 100


def test_histories_record_is_append_bit_for_bit():
    """``Histories.record`` (one call per step, ``History.append`` inlined) stores exactly
    what per-metric ``append`` does, through many decimations and a save / load."""
    rng = np.random.default_rng(0)
    a, b = Histories(capacity=6), Histories(capacity=6)
    for step in range(1, 400):
        metrics = {"loss": float(rng.standard_normal()), "grad_norm": float(rng.random())}
        if step % 7 == 0:
            metrics["extra"] = float(step)  # a series that appears later and is sparser
        for name, value in metrics.items():
            a.append(name, step, value)
        assert b.record(step, metrics) is True
        if step == 150:
            state = b.state_dict()
            b = Histories(capacity=6)
            b.load_state_dict(state)
    assert a.names() == b.names() == ["loss", "grad_norm", "extra"]
    for name in a.names():
        sa, sb = a[name].state_dict(), b[name].state_dict()
        assert sa.keys() == sb.keys()
        for k in sa:
            assert np.array_equal(sa[k], sb[k]) and type(sa[k]) is type(sb[k]), (name, k)
        for u, v in zip(a[name].points(), b[name].points()):
            assert u.tobytes() == v.tobytes()
    assert a["loss"]._stride > 1 and a["extra"]._stride > 1


def test_histories_record_skips_non_finite_values():
    h = Histories(capacity=8)
    assert h.record(1, {"loss": 1.0, "grad_norm": float("nan")}) is False
    assert h.record(2, {"loss": float("inf")}) is False
    assert h.names() == ["loss"] and h["loss"].count == 1 and h["loss"].last == 1.0


@pytest.mark.parametrize("name", list(init.INITIALIZERS))
def test_initialisers_have_the_right_shape_and_dtype(name):
    w = init.get(name)((30, 40), 30, 40, np.random.default_rng(0), np.float32)
    assert w.shape == (30, 40) and w.dtype == np.float32


def test_xavier_and_he_have_their_standard_deviations():
    rng = np.random.default_rng(0)
    assert init.xavier((400, 400), 400, 400, rng, np.float64).std() == pytest.approx(np.sqrt(2 / 800), rel=0.02)
    assert init.he((400, 400), 400, 400, rng, np.float64).std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)


@pytest.mark.parametrize("make", [data.spiral, data.circles, data.xor, data.gaussians])
def test_2d_datasets_are_seeded(make):
    a, ya = make(seed=3)
    b, yb = make(seed=3)
    c, _ = make(seed=4)
    assert a.shape[1] == 2 and len(a) == len(ya)
    assert np.array_equal(a, b) and np.array_equal(ya, yb) and not np.array_equal(a, c)


def test_sawtooth_composes_tent_maps():
    x, y = data.sawtooth(n=257, teeth=2, noise=0.0)
    peaks = np.sum((y[1:-1, 0] > y[:-2, 0]) & (y[1:-1, 0] >= y[2:, 0]))
    assert peaks == 2


def test_parity_targets_are_running_parity():
    x, y = data.parity_sequences(n=8, length=6)
    assert np.array_equal(y[..., 0], np.cumsum(x[..., 0], axis=1) % 2)


def test_shipped_digits_load_without_network():
    images, labels = data.load_digits_raw()
    assert images.shape == (1797, 8, 8) and images.max() == 16
    assert np.array_equal(np.bincount(labels), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])


LR = HyperParam("learning_rate", "learning rate", "float", 0.1, low=1e-4, high=10.0, log=True)


def test_hyperparam_validates_range_type_and_finiteness():
    assert LR.validate("0.5") == 0.5
    for bad in (20, -1, "abc", float("nan"), float("inf"), None, True):
        with pytest.raises(HyperParamError):
            LR.validate(bad)


def test_hyperparam_nudge_stays_in_range():
    assert LR.nudge(0.1, +1) == 0.2
    assert LR.nudge(8.0, +1) == 10.0
    assert LR.nudge(1e-4, -1) == 1e-4
    depth = HyperParam("depth", "depth", "int", 4, low=2, high=10)
    assert depth.nudge(10, +1) == 10 and depth.nudge(4, -1) == 3
    choice = HyperParam("opt", "optimiser", "choice", "gd", choices=("gd", "adam"))
    assert choice.nudge("adam", +1) == "gd"
    with pytest.raises(HyperParamError, match="not one of"):
        choice.validate("sgd")


def test_a_bad_default_is_caught_at_declaration():
    with pytest.raises(HyperParamError):
        HyperParam("x", "x", "int", 50, low=0, high=10)


def test_losses_and_models_are_callable():
    from nndojo.core.layers import Dense
    from nndojo.core.losses import MSE
    from nndojo.core.model import Sequential

    m = Sequential([Dense(2, 1, rng=np.random.default_rng(0))])
    x = np.ones((3, 2), dtype=np.float32)
    assert MSE()(m(x), np.zeros((3, 1), dtype=np.float32)) >= 0


def test_cached_digits_are_read_only():
    d = data.load_digits()
    for a in (d.x_train, d.y_train, d.x_test, d.y_test):
        with pytest.raises(ValueError):
            a.flat[0] = 0


def test_adam_matches_a_reference_over_many_steps():
    rng = np.random.default_rng(1)
    grads = rng.standard_normal((25, 3))
    p = {"x": np.zeros(3)}
    opt = optim.Adam(0.05, beta1=0.8, beta2=0.95, eps=1e-8)
    m = v = np.zeros(3)
    ref = np.zeros(3)
    for t, g in enumerate(grads, start=1):
        opt.step(p, {"x": g})
        m = 0.8 * m + 0.2 * g
        v = 0.95 * v + 0.05 * g * g
        ref = ref - 0.05 * (m / (1 - 0.8**t)) / (np.sqrt(v / (1 - 0.95**t)) + 1e-8)
    assert np.allclose(p["x"], ref, rtol=1e-12, atol=1e-14)


def test_layers_with_parameters_need_an_explicit_generator():
    from nndojo.core.layers import Conv2D, Dense

    with pytest.raises(TypeError):
        Dense(2, 3)
    with pytest.raises(TypeError):
        Conv2D(1, 2, 3)


def test_an_unseeded_dataset_is_refused():
    with pytest.raises(ValueError, match="seed"):
        data.spiral(seed=None)
