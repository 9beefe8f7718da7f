"""Lesson 15 (cross-entropy): the claims of TOPICS.md, checked on the Experiment alone."""

import numpy as np
import pytest

from nndojo.core.activations import sigmoid, softmax
from nndojo.core.losses import BinaryCrossEntropy, SoftmaxCrossEntropy
from nndojo.core.lessons.cross_entropy import (
    AbsoluteError,
    CrossEntropy,
    CrossEntropyLesson,
    SquaredError,
    grad_ratio,
    probabilities,
    recovery_step,
)


def numeric_gradient(loss, z: np.ndarray, y: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of loss.forward(z, y) with respect to every logit (float64)."""
    grad = np.zeros_like(z)
    for i in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (loss.forward(up, y) - loss.forward(down, y)) / (2 * h)
    return grad


@pytest.mark.parametrize("classes", [1, 3])
def test_the_cross_entropy_gradient_wrt_the_logits_is_p_minus_y(classes: int) -> None:
    rng = np.random.default_rng(0)
    n = 7
    z = rng.normal(0, 3, (n, classes))
    labels = rng.integers(0, max(classes, 2), n)
    p = sigmoid(z) if classes == 1 else softmax(z, axis=1)
    y = labels.reshape(-1, 1).astype(float) if classes == 1 else np.eye(classes)[labels]
    for loss in (CrossEntropy(), BinaryCrossEntropy() if classes == 1 else SoftmaxCrossEntropy()):
        target = y if isinstance(loss, BinaryCrossEntropy) else labels
        numeric = numeric_gradient(loss, z, target)
        loss.forward(z, target)
        analytic = loss.backward()
        assert np.allclose(analytic, (p - y) / n, rtol=1e-10, atol=1e-14)
        assert np.allclose(numeric, (p - y) / n, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("loss_class", [SquaredError, AbsoluteError])
@pytest.mark.parametrize("classes", [1, 3])
def test_the_squared_and_absolute_error_gradients_match_central_differences(loss_class, classes: int) -> None:
    rng = np.random.default_rng(1)
    z = rng.normal(0, 2, (6, classes))
    labels = rng.integers(0, max(classes, 2), 6)
    loss = loss_class()
    numeric = numeric_gradient(loss, z, labels)
    loss.forward(z, labels)
    assert np.allclose(loss.backward(), numeric, rtol=1e-5, atol=1e-9)


def test_the_squared_error_gradient_carries_the_sigmoid_slope() -> None:
    """One example with true class 1: d(p-1)^2/dz = 2(p-1) p(1-p), against CE's p - 1."""
    z = np.array([[-6.0], [-3.0], [0.0], [3.0]])
    y = np.ones(4, dtype=int)
    p = sigmoid(z)
    mse, ce = SquaredError(), CrossEntropy()
    mse.forward(z, y)
    ce.forward(z, y)
    assert np.allclose(mse.backward() * 4, 2 * (p - 1) * p * (1 - p))
    assert np.allclose(ce.backward() * 4, p - 1)
    assert abs(mse.backward()[0, 0]) < 0.01 * abs(ce.backward()[0, 0])  # confidently wrong: ~0.005 vs ~1


def test_the_start_is_confidently_wrong_and_the_same_for_both() -> None:
    exp = CrossEntropyLesson(seed=0)
    a, b = (arm.model.params() for arm in exp.arms)
    assert all(np.array_equal(v, w) for v, w in zip(a.values(), b.values()))
    p = probabilities(exp.arms[0].model.forward(exp.data.x_train, training=False))
    p_true = p[np.arange(len(exp.data.y_train)), exp.data.y_train]
    assert np.mean(p_true) < 0.05 and np.mean(p.argmax(axis=1) == exp.data.y_train) < 0.1


@pytest.mark.parametrize("task", ["binary", "multi-class"])
def test_cross_entropy_recovers_from_a_confidently_wrong_start_in_fewer_steps(task: str) -> None:
    """Steps to 90% training accuracy, start confidence 6, seeds 0-9: binary CE 4-6, MSE 57-74;
    three classes CE 6-9, MSE 106-189 (10 of 10 each). Asserted on seeds 0-2: all, CE at
    least 5x faster."""
    for seed in range(3):
        exp = CrossEntropyLesson(seed=seed, task=task)
        exp.step(250)
        ce, mse = recovery_step(exp, "ce"), recovery_step(exp, "mse")
        assert ce is not None and ce <= 15
        assert mse is None or mse >= 5 * ce


def test_the_squared_error_gradient_vanishes_at_a_confident_start() -> None:
    """Mean |dL/dz| of MSE over CE's at the start (confidence 6, binary), seeds 0-9: 0.023-0.037;
    at confidence 0 the two are of the same order."""
    assert all(grad_ratio(CrossEntropyLesson(seed=s)) < 0.1 for s in range(5))
    assert grad_ratio(CrossEntropyLesson(seed=0, confidence=0.0)) > 0.2


def test_the_curves_are_the_losses_and_their_logit_gradients() -> None:
    v = CrossEntropyLesson(seed=0).snapshot().views
    q = v["p_axis"]
    assert np.allclose(v["loss_ce"], -np.log(q)) and np.allclose(v["loss_mse"], (1 - q) ** 2)
    assert np.allclose(v["grad_ce"], 1 - q) and np.allclose(v["grad_mse"], 2 * (1 - q) ** 2 * q)


def test_the_step_s_probabilities_are_the_reference_ones_to_the_bit() -> None:
    """The step computes its sigmoid by ``where`` and its batch measures from the loss's
    probabilities: the same values as core.activations.sigmoid and ``probabilities()``."""
    from nndojo.core.activations import sigmoid
    from nndojo.core.lessons.cross_entropy import _sigmoid, batch_measures, predicted_accuracy, probabilities

    rng = np.random.default_rng(0)
    z = np.concatenate([rng.standard_normal(400) * 8, [0.0, -0.0, 800.0, -800.0, 1e-30, -1e-30]])
    assert np.array_equal(_sigmoid(z), sigmoid(z))
    for k in (1, 3):
        logits = (rng.standard_normal((300, k)) * 5).astype(np.float32)
        logits[:10] = 0.0  # ties: the first class wins
        y = rng.integers(0, max(k, 2), 300)
        p = probabilities(logits)
        expected = (float(np.mean(p.argmax(axis=1) == y)), float(np.mean(p[np.arange(300), y])))
        own = sigmoid(logits.astype(np.float64)) if k == 1 else p
        assert batch_measures(own, y) == expected
        assert predicted_accuracy(logits, y) == expected[0]
