"""Central finite differences, to check any analytic gradient (use float64)."""

from __future__ import annotations

from typing import Callable, Protocol

import numpy as np

from .layers import Layer
from .model import Sequential


class Loss(Protocol):
    """What a gradient check needs of a loss: the value, then the gradient of the last one."""

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float: ...

    def backward(self) -> np.ndarray: ...


def numeric_grad(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f / d x by central differences, perturbing ``x`` in place (restored after)."""
    g = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        fp = f()
        x[i] = old - eps
        fm = f()
        x[i] = old
        g[i] = (fp - fm) / (2 * eps)
    return g


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """‖a − b‖ / max(‖a‖ + ‖b‖, tiny): 0 for identical arrays, about 1 for unrelated ones.
    A norm ratio, so an element that is ~0 in both does not dominate."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if not a.size:
        return 0.0
    return float(np.linalg.norm(a - b) / max(float(np.linalg.norm(a) + np.linalg.norm(b)), 1e-12))


def check_layer(layer: Layer, x: np.ndarray, rng: np.random.Generator | None = None, eps: float = 1e-6) -> dict[str, float]:
    """Relative error of a layer's input gradient and every parameter gradient, using
    the scalar objective sum(forward(x) * R) for a fixed random R."""
    rng = rng if rng is not None else np.random.default_rng(0)
    out = layer.forward(x, True)
    R = rng.standard_normal(out.shape)

    def f() -> float:
        return float(np.sum(layer.forward(x, True) * R))

    layer.zero_grad()
    layer.forward(x, True)
    dx = layer.backward(R.astype(out.dtype))
    analytic = {"x": dx.copy(), **{k: g.copy() for k, g in layer.grads.items()}}
    errors = {"x": rel_error(analytic["x"], numeric_grad(f, x, eps))}
    for k, p in layer.params.items():
        errors[k] = rel_error(analytic[k], numeric_grad(f, p, eps))
    return errors


def check_loss(loss: Loss, pred: np.ndarray, target: np.ndarray, eps: float = 1e-6) -> float:
    loss.forward(pred, target)
    analytic = loss.backward().copy()

    def f() -> float:
        return loss.forward(pred, target)

    return rel_error(analytic, numeric_grad(f, pred, eps))


def check_model(model: Sequential, loss: Loss, x: np.ndarray, target: np.ndarray, eps: float = 1e-6) -> dict[str, float]:
    """Relative error of every parameter gradient of ``loss(model(x), target)``."""
    model.zero_grad()
    loss.forward(model.forward(x, True), target)
    model.backward(loss.backward())
    analytic = {k: g.copy() for k, g in model.grads().items()}

    def f() -> float:
        return loss.forward(model.forward(x, True), target)

    return {k: rel_error(analytic[k], numeric_grad(f, p, eps)) for k, p in model.params().items()}
