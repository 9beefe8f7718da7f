"""Optimisers. ``step(params, grads)`` updates every array of ``params`` in place;
per-parameter state (velocity, moments) is keyed by the parameter's name."""

from __future__ import annotations

import numpy as np


class Optimizer:
    name = "optimizer"

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = learning_rate
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.t = 0

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.t += 1
        for key, p in params.items():
            self._update(key, p, grads[key])

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        self.state.clear()
        self.t = 0


class SGD(Optimizer):
    """Plain gradient descent: p <- p - lr * g."""

    name = "gd"

    def _update(self, key, p, g):
        p -= self.learning_rate * g


class Momentum(Optimizer):
    """Heavy-ball momentum: v <- beta * v + g;  p <- p - lr * v."""

    name = "momentum"

    def __init__(self, learning_rate: float, beta: float = 0.9) -> None:
        super().__init__(learning_rate)
        self.beta = beta

    def _update(self, key, p, g):
        s = self.state.setdefault(key, {"v": np.zeros_like(p)})
        v = s["v"]
        v *= self.beta
        v += g
        p -= self.learning_rate * v


class Adam(Optimizer):
    """Adam (Kingma & Ba) with bias-corrected first and second moments."""

    name = "adam"

    def __init__(self, learning_rate: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        super().__init__(learning_rate)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def _update(self, key, p, g):
        s = self.state.setdefault(key, {"m": np.zeros_like(p), "v": np.zeros_like(p)})
        m, v = s["m"], s["v"]
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        mhat_scale = 1.0 / (1 - self.beta1**self.t)
        vhat_scale = 1.0 / (1 - self.beta2**self.t)
        p -= self.learning_rate * (m * mhat_scale) / (np.sqrt(v * vhat_scale) + self.eps)


OPTIMIZERS = {"gd": SGD, "momentum": Momentum, "adam": Adam}


def make(name: str, learning_rate: float) -> Optimizer:
    try:
        return OPTIMIZERS[name](learning_rate)
    except KeyError:
        raise ValueError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMIZERS)}") from None
