"""The per-step shortcuts of the engine compute what the plain NumPy expressions they
replace compute, bit for bit: MSE's mean, SGD's flat update, the backward pass without
the input gradient."""

from __future__ import annotations

import numpy as np
import pytest

from nndojo.core.layers import Activation, Dense
from nndojo.core.losses import MSE, mean
from nndojo.core.model import Sequential
from nndojo.core.optim import SGD


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mean_is_np_mean_bit_for_bit(dtype: type) -> None:
    rng = np.random.default_rng(0)
    for shape in [(1,), (7,), (124, 1), (128, 10), (33, 17), (3, 4, 5), (4000,)]:
        for scale in (1e-3, 1.0, 1e3):
            a = (rng.standard_normal(shape) * scale).astype(dtype)
            for b in (a, a**2, a[::2], a.T):
                got, want = mean(b), float(np.mean(b))
                assert type(got) is float and got == want, (shape, scale)


def test_mean_falls_back_to_np_mean_for_other_dtypes() -> None:
    for a in (np.arange(10, dtype=np.int64), np.linspace(0, 1, 9).astype(np.float16), np.array([True, False, True])):
        assert mean(a) == float(np.mean(a))


def test_mse_forward_is_the_mean_of_squares() -> None:
    rng = np.random.default_rng(1)
    pred, target = rng.standard_normal((50, 3)).astype(np.float32), rng.standard_normal((50, 3)).astype(np.float32)
    assert MSE().forward(pred, target) == float(np.mean((pred - target) ** 2))


def two_layer(seed: int = 0) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential([Dense(4, 5, rng=rng), Activation("tanh"), Dense(5, 2, rng=rng)])


@pytest.mark.parametrize("wide", [False, True])
def test_sgd_flat_step_is_the_per_parameter_update(wide: bool) -> None:
    # a small model (its product made anew) and one past optim._SMALL values (a scratch buffer)
    model = Sequential([Dense(64, 40, rng=np.random.default_rng(0))]) if wide else two_layer()
    rng = np.random.default_rng(2)
    for g in model.grads().values():
        g[...] = rng.standard_normal(g.shape)
    want = {k: p - 0.3 * model.grads()[k] for k, p in model.params().items()}
    opt = SGD(0.3)
    opt.step(model.params(), model.grads())
    assert opt.t == 1
    for k, p in model.params().items():
        np.testing.assert_array_equal(p, want[k], err_msg=k)
    plain = {k: p.copy() for k, p in model.params().items()}  # a plain dict: the per-parameter path
    want = {k: p - 0.3 * model.grads()[k] for k, p in plain.items()}
    opt.step(plain, dict(model.grads()))
    assert opt.t == 2
    for k, p in plain.items():
        np.testing.assert_array_equal(p, want[k], err_msg=k)


@pytest.mark.parametrize("layers", [1, 3])
def test_backward_without_input_gradient_gives_the_same_parameter_gradients(layers: int) -> None:
    model = two_layer() if layers == 3 else Sequential([Dense(4, 2, rng=np.random.default_rng(0))])
    x = np.random.default_rng(3).standard_normal((6, 4)).astype(np.float32)
    grad = np.random.default_rng(4).standard_normal((6, 2)).astype(np.float32)
    model.zero_grad()
    model.forward(x)
    assert model.backward(grad).shape == x.shape  # type: ignore[union-attr]
    full = {k: g.copy() for k, g in model.grads().items()}
    model.zero_grad()
    model.forward(x)
    assert model.backward(grad, input_grad=False) is None
    for k, g in model.grads().items():
        np.testing.assert_array_equal(g, full[k], err_msg=k)
