"""Every layer and loss against central differences, in float64."""

import numpy as np
import pytest

from nndojo.core import layers as L
from nndojo.core import losses
from nndojo.core.gradcheck import check_layer, check_loss, check_model, rel_error
from nndojo.core.model import Sequential

F64 = np.float64
TOL = 1e-6


def rng():
    return np.random.default_rng(42)


LAYER_CASES = {
    "dense": (lambda: L.Dense(4, 3, rng=rng(), dtype=F64), (5, 4)),
    "sigmoid": (lambda: L.Sigmoid(), (4, 6)),
    "tanh": (lambda: L.Tanh(), (4, 6)),
    "relu": (lambda: L.ReLU(), (4, 6)),
    "leaky_relu": (lambda: L.LeakyReLU(), (4, 6)),
    "softmax": (lambda: L.Softmax(), (4, 5)),
    "flatten": (lambda: L.Flatten(), (2, 3, 4, 4)),
    "conv_valid_k3": (lambda: L.Conv2D(2, 3, 3, "valid", rng=rng(), dtype=F64), (2, 2, 6, 5)),
    "conv_same_k3": (lambda: L.Conv2D(2, 3, 3, "same", rng=rng(), dtype=F64), (2, 2, 6, 5)),
    "conv_same_k5": (lambda: L.Conv2D(1, 2, 5, "same", rng=rng(), dtype=F64), (2, 1, 7, 7)),
    "conv_valid_k2": (lambda: L.Conv2D(3, 2, 2, "valid", rng=rng(), dtype=F64), (1, 3, 4, 4)),
    "maxpool2": (lambda: L.MaxPool2D(2), (2, 3, 4, 4)),
    "maxpool2_odd": (lambda: L.MaxPool2D(2), (2, 2, 5, 5)),
    "rnn": (lambda: L.RNN(3, 4, rng=rng(), dtype=F64), (2, 5, 3)),
}


@pytest.mark.parametrize("name", list(LAYER_CASES))
def test_layer_gradients_match_central_differences(name):
    make, shape = LAYER_CASES[name]
    layer = make()
    x = rng().standard_normal(shape)
    if name.startswith("relu") or name.startswith("leaky"):
        x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink
    errors = check_layer(layer, x)
    assert max(errors.values()) < TOL, errors


def test_dropout_gradient_matches_its_mask():
    layer = L.Dropout(0.5, rng=rng())
    x = rng().standard_normal((6, 8))
    layer.forward(x, True)
    mask = layer.mask.copy()
    assert np.allclose(layer.backward(np.ones_like(x)), mask)


LOSS_CASES = {
    "mse": (losses.MSE(), lambda r: r.standard_normal((6, 2))),
    "mae": (losses.MAE(), lambda r: r.standard_normal((6, 2))),
    "huber": (losses.Huber(0.7), lambda r: r.standard_normal((6, 2))),
    "bce": (losses.BinaryCrossEntropy(), lambda r: r.integers(0, 2, (6, 1)).astype(F64)),
    "softmax_ce_labels": (losses.SoftmaxCrossEntropy(), lambda r: r.integers(0, 4, 6)),
    "softmax_ce_onehot": (losses.SoftmaxCrossEntropy(), lambda r: np.eye(4)[r.integers(0, 4, 6)]),
}


@pytest.mark.parametrize("name", list(LOSS_CASES))
def test_loss_gradients_match_central_differences(name):
    loss, make_target = LOSS_CASES[name]
    r = rng()
    target = make_target(r)
    cols = 4 if name.startswith("softmax") else target.shape[1]
    pred = r.standard_normal((6, cols)) * 2
    if name == "mae":
        pred = target + np.where(r.random(pred.shape) < 0.5, -1, 1) * (0.1 + r.random(pred.shape))
    assert check_loss(loss, pred, target) < TOL


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    loss = losses.SoftmaxCrossEntropy()
    z = np.array([[1000.0, 0.0, -1000.0]])
    assert loss.forward(z, np.array([0])) == pytest.approx(0.0)
    assert np.isfinite(loss.forward(z, np.array([2])))
    assert np.all(np.isfinite(loss.backward()))


def test_sequential_cnn_gradients_match_central_differences():
    r = rng()
    model = Sequential([
        L.Conv2D(1, 2, 3, "same", rng=r, dtype=F64), L.ReLU(), L.MaxPool2D(2), L.Flatten(),
        L.Dense(2 * 3 * 3, 3, rng=r, dtype=F64),
    ])
    x = r.standard_normal((3, 1, 6, 6))
    y = r.integers(0, 3, 3)
    errors = check_model(model, losses.SoftmaxCrossEntropy(), x, y)
    assert max(errors.values()) < TOL, errors


def test_rel_error_is_zero_for_equal_and_large_for_different():
    a = np.array([1.0, 2.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(a, a * 1.1) > 1e-3
