"""Element-wise activation functions and their derivatives, plus a stable softmax.

Each activation is a pair ``(value(x), derivative(x, y))`` where ``y = value(x)``
is passed back so derivatives that are cheaper from the output (sigmoid, tanh)
do not recompute it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .registry import Registry

LEAKY_SLOPE = 0.01


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x), computed without overflow for large |x|."""
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1.0 + ex)
    return out


def sigmoid_grad(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return y * (1.0 - y)


def tanh(x: np.ndarray) -> np.ndarray:
    return np.tanh(x)


def tanh_grad(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 1.0 - y * y


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def relu_grad(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (x > 0).astype(x.dtype)


def leaky_relu(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, LEAKY_SLOPE * x)


def leaky_relu_grad(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.where(x > 0, 1.0, LEAKY_SLOPE).astype(x.dtype)


def linear(x: np.ndarray) -> np.ndarray:
    return x


def linear_grad(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.ones_like(x)


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(z_i) / sum_j exp(z_j), shifted by the max so it never overflows."""
    shifted = z - z.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


@dataclass(frozen=True)
class ActivationFn:
    """A named element-wise activation: its value and its derivative."""

    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]


ACTIVATIONS: Registry[ActivationFn] = Registry("activation", {
    a.name: a
    for a in (
        ActivationFn("sigmoid", sigmoid, sigmoid_grad),
        ActivationFn("tanh", tanh, tanh_grad),
        ActivationFn("relu", relu, relu_grad),
        ActivationFn("leaky_relu", leaky_relu, leaky_relu_grad),
        ActivationFn("linear", linear, linear_grad),
    )
})
