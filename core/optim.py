"""Optimisers. ``step(params, grads)`` updates every array of ``params`` in place;
per-parameter state (velocity, moments) is keyed by the parameter's name.

Given a model's own dicts (``Sequential.params()`` and ``grads()``, whose arrays are
views into one flat buffer per dtype), ``step`` updates each whole buffer at once, with
the same per-element arithmetic, so the result is the same bit for bit; the
per-parameter state then holds views into flat state buffers of the same layout."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np

from .registry import Registry

if TYPE_CHECKING:
    from .model import FlatGroup

_F64 = np.dtype(np.float64)
_TINY = 8  # parameters of at most this many float64 values are updated as Python floats
_SMALL = 1024  # SGD's flat update of at most this many values makes its product anew (no scratch buffer)
_scratch = threading.local()  # per-thread temporaries of the flat updates (not state)


def _buffers(dtype: np.dtype, size: int, n: int) -> list[np.ndarray]:
    """``n`` scratch arrays of ``size`` elements of ``dtype``, reused between steps."""
    cache = getattr(_scratch, "cache", None)
    if cache is None:
        cache = _scratch.cache = {}
    key = (dtype, size, n)
    found = cache.get(key)
    if found is None:
        if len(cache) >= 8:
            cache.clear()
        found = cache[key] = [np.empty(size, dtype=dtype) for _ in range(n)]
    return found


def _base(a: np.ndarray | None) -> np.ndarray | None:
    """The array ``a`` is a view into (None for None or an array that owns its data)."""
    return None if a is None else a.base


def _plain(*numbers: object) -> bool:
    """True when every hyper-parameter is a Python number (the flat path's arithmetic
    then matches the per-parameter one exactly; NumPy scalars would change the dtype)."""
    for x in numbers:  # a loop, not all(generator): this runs on every step
        if type(x) is not float and type(x) is not int:
            return False
    return True


class Optimizer:
    name = "optimizer"
    #: the per-parameter state slots (e.g. Adam's "m", "v")
    slots: tuple[str, ...] = ()
    #: whether ``_update_flat`` is implemented
    _has_flat = False

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = learning_rate
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.t = 0

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        groups: tuple[FlatGroup, ...] = getattr(params, "groups", ())
        if groups and getattr(grads, "groups", None) is groups and self._has_flat and self._flat_ok():
            self.t += 1
            for group in groups:
                self._update_flat(group, self._flat_state(group))
            return
        self.t += 1
        for key, p in params.items():
            self._update(key, p, grads[key])

    def _slots_for(self, key: str, p: np.ndarray) -> dict[str, np.ndarray]:
        """The state of parameter ``key``, created (zeros) only when missing."""
        s = self.state.get(key)
        if s is None:
            s = self.state[key] = {slot: np.zeros_like(p) for slot in self.slots}
        return s

    def _flat_state(self, group: FlatGroup) -> list[np.ndarray]:
        """The flat state buffers (one per slot) of a model's parameter group. The
        per-parameter state entries are views into them (the buffers are their ``base``);
        when they are not (first step, or state just loaded), new buffers are made, the
        existing per-parameter values copied in, and the entries rebound to views."""
        if not self.slots:
            return []
        layout = group.layout
        size = group.params.size
        first, last = self.state.get(layout[0][0]), self.state.get(layout[-1][0])
        if first is not None and last is not None:
            current: list[np.ndarray] = []
            for slot in self.slots:
                f = _base(first.get(slot))
                if (
                    type(f) is np.ndarray and f.ndim == 1 and f.size == size and f.dtype == group.params.dtype
                    and _base(last.get(slot)) is f
                ):
                    current.append(f)
                else:
                    break
            else:
                return current
        flats = [np.zeros(size, dtype=group.params.dtype) for _ in self.slots]
        for name, offset, n, shape in layout:
            old = self.state.get(name)
            entry: dict[str, np.ndarray] = {}
            for slot, flat in zip(self.slots, flats):
                view = flat[offset : offset + n].reshape(shape)
                if old is not None and slot in old:
                    view[...] = old[slot]
                entry[slot] = view
            self.state[name] = entry
        return flats

    def _flat_ok(self) -> bool:
        return _plain(self.learning_rate)

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError

    def _update_flat(self, group: FlatGroup, state: list[np.ndarray]) -> None:
        """One update of a whole flat group (its params and grads buffers, and the flat
        buffer of every slot), with ``_update``'s arithmetic element by element."""
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
    _has_flat = True

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        groups: tuple[FlatGroup, ...] = getattr(params, "groups", ())
        if groups:
            lr = self.learning_rate
            if getattr(grads, "groups", ()) is groups and (type(lr) is float or type(lr) is int):
                # Optimizer.step's flat path with _update_flat inline: one call per step
                self.t += 1
                for group in groups:
                    P = group.params
                    if P.size <= _SMALL:
                        P -= group.grads * lr  # the same product, in a new array: cheaper than the scratch lookup
                    else:
                        (tmp,) = _buffers(P.dtype, P.size, 1)
                        np.multiply(group.grads, lr, out=tmp)
                        P -= tmp
                return None
            return super().step(params, grads)
        self.t += 1  # the generic path, inlined: tiny models (2 parameters) step often
        lr = self.learning_rate
        for key, p in params.items():
            g = grads[key]
            if p.dtype is _F64 and g.dtype is _F64 and p.ndim == 1 and p.size <= _TINY and p.shape == g.shape and type(lr) is float:
                # a few float64 values: Python's float arithmetic is NumPy's, bit for bit,
                # without the per-call cost of two ufuncs on a Python scalar
                v, w = p.tolist(), g.tolist()
                if len(v) == 2:  # e.g. a point on a 2-D loss surface
                    p[0] = v[0] - lr * w[0]
                    p[1] = v[1] - lr * w[1]
                else:
                    for i in range(len(v)):
                        p[i] = v[i] - lr * w[i]
            else:
                p -= lr * g

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        p -= self.learning_rate * g

    def _update_flat(self, group: FlatGroup, state: list[np.ndarray]) -> None:
        P, G = group.params, group.grads
        (tmp,) = _buffers(P.dtype, P.size, 1)
        np.multiply(G, self.learning_rate, out=tmp)
        P -= tmp


class Momentum(Optimizer):
    """Heavy-ball momentum: v <- beta * v + g;  p <- p - lr * v."""

    name = "momentum"
    config_names = ("beta",)
    slots = ("v",)
    _has_flat = True

    def __init__(self, learning_rate: float, beta: float = 0.9) -> None:
        super().__init__(learning_rate)
        self.beta = beta

    def _flat_ok(self) -> bool:
        return _plain(self.learning_rate, self.beta)

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        v = self._slots_for(key, p)["v"]
        v *= self.beta
        v += g
        p -= self.learning_rate * v

    def _update_flat(self, group: FlatGroup, state: list[np.ndarray]) -> None:
        P, G = group.params, group.grads
        (v,) = state
        (tmp,) = _buffers(P.dtype, P.size, 1)
        v *= self.beta
        v += G
        np.multiply(v, self.learning_rate, out=tmp)
        P -= tmp


class Adam(Optimizer):
    """Adam (Kingma & Ba) with bias-corrected first and second moments."""

    name = "adam"
    config_names = ("beta1", "beta2", "eps")
    slots = ("m", "v")
    _has_flat = True

    def __init__(self, learning_rate: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        super().__init__(learning_rate)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def _flat_ok(self) -> bool:
        return _plain(self.learning_rate, self.beta1, self.beta2, self.eps)

    def _update(self, key: str, p: np.ndarray, g: np.ndarray) -> None:
        s = self._slots_for(key, p)
        m, v = s["m"], s["v"]
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        mhat_scale = 1.0 / (1 - self.beta1**self.t)
        vhat_scale = 1.0 / (1 - self.beta2**self.t)
        p -= self.learning_rate * (m * mhat_scale) / (np.sqrt(v * vhat_scale) + self.eps)

    def _update_flat(self, group: FlatGroup, state: list[np.ndarray]) -> None:
        # _update's operations in its order, on the whole buffers, into two temporaries
        P, G = group.params, group.grads
        m, v = state
        b1, b2 = self.beta1, self.beta2
        u, w = _buffers(P.dtype, P.size, 2)
        m *= b1
        np.multiply(G, 1 - b1, out=u)
        m += u
        v *= b2
        np.multiply(G, 1 - b2, out=u)
        u *= G
        v += u
        np.multiply(v, 1.0 / (1 - b2**self.t), out=w)
        np.sqrt(w, out=w)
        w += self.eps
        np.multiply(m, 1.0 / (1 - b1**self.t), out=u)
        np.multiply(u, self.learning_rate, out=u)  # lr * (m * mhat_scale), commuted
        u /= w
        P -= u


#: name -> Optimizer class (each builds from a learning rate)
OPTIMIZERS: Registry[type[Optimizer]] = Registry("optimiser", {"gd": SGD, "momentum": Momentum, "adam": Adam})


def make(name: str, learning_rate: float) -> Optimizer:
    """A new optimiser ``name``; an unknown name raises ``UnknownName`` (a ValueError)."""
    return OPTIMIZERS.get(name)(learning_rate)
