"""Weight initialisers: zeros, constant, normal(std), Xavier (Glorot) and He.

Every initialiser has the signature ``(shape, fan_in, fan_out, rng, dtype) -> array``
so a layer can ask for any of them by name.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import DTypeLike

from .registry import Registry

Initializer = Callable[[tuple[int, ...], int, int, np.random.Generator, np.dtype], np.ndarray]


def zeros(
    shape: tuple[int, ...], fan_in: int, fan_out: int, rng: np.random.Generator, dtype: DTypeLike = np.float32
) -> np.ndarray:
    return np.zeros(shape, dtype=dtype)


def constant(value: float = 0.5) -> Initializer:
    def init(
        shape: tuple[int, ...], fan_in: int, fan_out: int, rng: np.random.Generator, dtype: DTypeLike = np.float32
    ) -> np.ndarray:
        return np.full(shape, value, dtype=dtype)

    return init


def normal(std: float) -> Initializer:
    def init(
        shape: tuple[int, ...], fan_in: int, fan_out: int, rng: np.random.Generator, dtype: DTypeLike = np.float32
    ) -> np.ndarray:
        return (rng.standard_normal(shape) * std).astype(dtype)

    return init


def xavier(
    shape: tuple[int, ...], fan_in: int, fan_out: int, rng: np.random.Generator, dtype: DTypeLike = np.float32
) -> np.ndarray:
    """Glorot normal: std = sqrt(2 / (fan_in + fan_out)); keeps tanh/sigmoid spread."""
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return (rng.standard_normal(shape) * std).astype(dtype)


def he(
    shape: tuple[int, ...], fan_in: int, fan_out: int, rng: np.random.Generator, dtype: DTypeLike = np.float32
) -> np.ndarray:
    """He normal: std = sqrt(2 / fan_in); keeps ReLU activations from shrinking."""
    std = np.sqrt(2.0 / fan_in)
    return (rng.standard_normal(shape) * std).astype(dtype)


INITIALIZERS: Registry[Initializer] = Registry("initialiser", {
    "zeros": zeros,
    "constant": constant(0.5),
    "normal(0.01)": normal(0.01),
    "normal(1)": normal(1.0),
    "xavier": xavier,
    "he": he,
})


def get(name_or_fn: str | Initializer) -> Initializer:
    """The initialiser named ``name_or_fn`` (or the function itself); an unknown name
    raises ``UnknownName`` (a ValueError) listing the choices."""
    if callable(name_or_fn):
        return name_or_fn
    return INITIALIZERS.get(name_or_fn)
