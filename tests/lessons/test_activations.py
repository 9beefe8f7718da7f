"""Lesson 9 (activation functions): the claims of TOPICS.md, checked on the Experiment alone."""

import numpy as np
import pytest

from nndojo.core.activations import ACTIVATIONS, sigmoid, softmax
from nndojo.core.lessons.activations import Activations, train_accuracy, vanishing_ratio

# Seeds 0-9 after 400 steps: linear 0.27-0.80 at depth 1, 3 and 6 (10 of 10 under the bound);
# tanh and ReLU at depth 4 reach 1.0 within 300 steps (10 of 10). Asserted on seeds 0-2.
LINEAR_BOUND = 0.85  # a line gets at most three of XOR's four corners: 1 - the smallest corner's share (~75-80%)


@pytest.mark.parametrize("depth", [1, 6])
def test_linear_activation_cannot_fit_xor_at_any_depth(depth: int) -> None:
    for seed in (0, 1, 2):
        exp = Activations(seed=seed, activation="linear", depth=depth)
        exp.step(400)
        assert train_accuracy(exp) <= LINEAR_BOUND


def test_a_linear_net_of_any_depth_is_one_linear_map() -> None:
    """Why: the product of the layers is one matrix, so the map is affine in x."""
    exp = Activations(seed=0, activation="linear", depth=6)
    x = np.random.default_rng(0).standard_normal((50, 2)).astype(np.float64)
    f = lambda z: exp.model.forward(z.astype(np.float32), training=False).astype(np.float64)  # noqa: E731
    a, b = x[:25], x[25:]
    lhs = f(0.3 * a + 0.7 * b)
    rhs = 0.3 * f(a) + 0.7 * f(b)
    assert np.allclose(lhs, rhs, rtol=1e-4, atol=1e-4 * np.abs(rhs).max())


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_a_nonlinear_activation_fits_xor(activation: str) -> None:
    for seed in (0, 1):
        exp = Activations(seed=seed, activation=activation, depth=4)
        exp.step(300)
        assert train_accuracy(exp) >= 0.95


def test_sigmoid_gradients_shrink_toward_the_input_much_faster_than_relu() -> None:
    """Six hidden layers, untrained: ‖dW1‖ / ‖dW6‖. Seeds 0-9: sigmoid 1.3e-5 .. 3.1e-4,
    ReLU 0.17 .. 0.84; asserted: sigmoid < 1e-3, ReLU > 0.05, on 10 of 10 seeds."""
    sig = [vanishing_ratio(Activations(seed=s, activation="sigmoid", depth=6)) for s in range(10)]
    relu = [vanishing_ratio(Activations(seed=s, activation="relu", depth=6)) for s in range(10)]
    assert sum(r < 1e-3 for r in sig) >= 9
    assert sum(r > 0.05 for r in relu) >= 9
    assert max(sig) * 100 < min(relu)


def test_sigmoid_is_one_over_one_plus_e_to_minus_x_and_its_slope_is_at_most_a_quarter() -> None:
    x = np.linspace(-20, 20, 40001)
    y = sigmoid(x)
    assert np.allclose(y, 1 / (1 + np.exp(-x)))
    assert y[-1] > 0.999 and y[0] < 0.001  # rising, not 1/(1+e^x)
    slope = ACTIVATIONS.get("sigmoid").grad(x, y)
    assert slope.max() == pytest.approx(0.25, rel=1e-9)
    assert abs(x[slope.argmax()]) < 1e-9
    numeric = np.gradient(y, x)
    assert np.allclose(slope, numeric, atol=1e-6)


def test_softmax_sums_to_one_and_ignores_a_constant_shift() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(0, 5, (100, 3))
    p = softmax(z)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.all(p > 0)
    for c in (-50.0, 3.0, 700.0):  # 700: e^z would overflow without the max shift
        assert np.allclose(softmax(z + c), p, rtol=1e-12)


def test_the_softmax_panel_follows_the_edited_logits() -> None:
    exp = Activations(seed=0)
    exp.set("logit_c", 5.0)
    v = exp.snapshot().views
    assert v["softmax"].argmax() == 2 and v["softmax"].sum() == pytest.approx(1.0)
    exp.set("logit_a", 1.0)
    exp.set("logit_b", 1.0)
    exp.set("logit_c", 1.0)
    assert np.allclose(exp.snapshot().views["softmax"], 1 / 3)
