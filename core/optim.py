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

    #: Constructor settings saved with the state (and checked on load).
    config_names: tuple[str, ...] = ()

    def state_dict(self) -> dict:
        """Everything a resumed run needs: kind, learning rate, step counter t, settings and
        the per-parameter slots (copies)."""
        return {
            "name": self.name,
            "learning_rate": self.learning_rate,
            "t": self.t,
            "config": {k: getattr(self, k) for k in self.config_names},
            "state": {key: {slot: a.copy() for slot, a in slots.items()} for key, slots in self.state.items()},
        }

    def load_state_dict(self, state: dict, params: dict[str, np.ndarray] | None = None) -> None:
        """Restore ``state_dict()``. With ``params`` (the arrays this optimiser updates),
        every slot must belong to one of them and match its shape and dtype. Raises
        ValueError and changes nothing if the state does not fit."""
        try:
            name, lr, t, config, slots = (state[k] for k in ("name", "learning_rate", "t", "config", "state"))
        except (KeyError, TypeError):
            raise ValueError("optimiser: missing fields") from None
        if name != self.name:
            raise ValueError(f"optimiser: saved {name!r}, expected {self.name!r}")
        if not isinstance(lr, (int, float)) or isinstance(lr, bool) or not isinstance(t, int) or isinstance(t, bool) or t < 0:
            raise ValueError("optimiser: bad learning rate or step counter")
        if not isinstance(config, dict) or set(config) != set(self.config_names):
            raise ValueError("optimiser: settings do not match")
        if not isinstance(slots, dict):
            raise ValueError("optimiser: bad state")
        restored: dict[str, dict[str, np.ndarray]] = {}
        for key, entry in slots.items():
            if not isinstance(entry, dict):
                raise ValueError(f"optimiser: bad state for {key!r}")
            p = None
            if params is not None:
                if key not in params:
                    raise ValueError(f"optimiser: state for unknown parameter {key!r}")
                p = params[key]
            restored[key] = {}
            for slot, a in entry.items():
                if not isinstance(a, np.ndarray) or (p is not None and (a.shape != p.shape or a.dtype != p.dtype)):
                    raise ValueError(f"optimiser: slot {key}.{slot} does not fit its parameter")
                restored[key][slot] = a.copy()
        for k, v in config.items():
            setattr(self, k, v)
        self.learning_rate, self.t, self.state = lr, t, restored


class SGD(Optimizer):
    """Plain gradient descent: p <- p - lr * g."""

    name = "gd"

    def _update(self, key, p, g):
        p -= self.learning_rate * g


class Momentum(Optimizer):
    """Heavy-ball momentum: v <- beta * v + g;  p <- p - lr * v."""

    name = "momentum"
    config_names = ("beta",)

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
    config_names = ("beta1", "beta2", "eps")

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
