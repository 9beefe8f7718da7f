"""Seeded synthetic data sets and the shipped UCI 8x8 handwritten digits.

Every generator takes ``seed`` (an int or a ``np.random.Generator``) and returns float32
``X: (n, features)`` and ``y``: int64 labels for the classification sets, float32 targets
for the regression and sequence sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

import numpy as np

from ..registry import Registry

#: what every generator takes as ``seed``: an int seed or a Generator to draw from
Seed = int | np.random.Generator


def _rng(seed_or_rng: Seed | None) -> np.random.Generator:
    if isinstance(seed_or_rng, np.random.Generator):
        return seed_or_rng
    if seed_or_rng is None:
        raise ValueError("a data set needs a seed or a Generator: every run must be reproducible")
    return np.random.default_rng(seed_or_rng)


def grid_points(extent: tuple[float, float, float, float], size: int) -> np.ndarray:
    """(size*size, 2) float32 points covering ``extent`` (xmin, xmax, ymin, ymax), row-major
    from the lowest y: where a decision map evaluates its model."""
    xs = np.linspace(extent[0], extent[1], size, dtype=np.float32)
    ys = np.linspace(extent[2], extent[3], size, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    return np.c_[gx.ravel(), gy.ravel()]


def spiral(n_per_class: int = 100, classes: int = 3, noise: float = 0.2, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms in 2-D; y: integer labels (n,)."""
    rng = _rng(seed)
    X, y = [], []
    for c in range(classes):
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(c * 4.0, (c + 1) * 4.0, n_per_class) + rng.standard_normal(n_per_class) * noise
        X.append(np.c_[r * np.sin(t), r * np.cos(t)])
        y.append(np.full(n_per_class, c))
    return np.concatenate(X).astype(np.float32), np.concatenate(y).astype(np.int64)


def circles(n: int = 200, noise: float = 0.1, factor: float = 0.5, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """An inner and an outer ring; y: 0 (outer) or 1 (inner)."""
    rng = _rng(seed)
    half = n // 2
    t = rng.uniform(0, 2 * np.pi, n)
    r = np.r_[np.ones(n - half), np.full(half, factor)]
    X = np.c_[r * np.cos(t), r * np.sin(t)] + rng.standard_normal((n, 2)) * noise
    y = np.r_[np.zeros(n - half), np.ones(half)]
    return X.astype(np.float32), y.astype(np.int64)


def xor(n: int = 200, noise: float = 0.1, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """Four noisy clusters at the corners of a square; y = XOR of the corner's two bits."""
    rng = _rng(seed)
    corners = rng.integers(0, 2, size=(n, 2))
    X = (corners * 2 - 1) + rng.standard_normal((n, 2)) * noise
    y = corners[:, 0] ^ corners[:, 1]
    return X.astype(np.float32), y.astype(np.int64)


def gaussians(n: int = 200, classes: int = 2, spread: float = 0.5, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs around centres on the unit circle."""
    rng = _rng(seed)
    y = rng.integers(0, classes, size=n)
    angles = 2 * np.pi * y / classes
    X = np.c_[np.cos(angles), np.sin(angles)] * 1.5 + rng.standard_normal((n, 2)) * spread
    return X.astype(np.float32), y.astype(np.int64)


def sawtooth(n: int = 256, teeth: int = 3, noise: float = 0.0, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """x in [0, 1]; y = tent map composed ``teeth`` times (2^(teeth-1) peaks)."""
    rng = _rng(seed)
    x = np.linspace(0.0, 1.0, n)
    y = x.copy()
    for _ in range(teeth):
        y = 1.0 - np.abs(2.0 * y - 1.0)
    y = y + rng.standard_normal(n) * noise
    return x[:, None].astype(np.float32), y[:, None].astype(np.float32)


def parity_sequences(n: int = 256, length: int = 10, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random bit sequences; target at each step is the running parity so far."""
    rng = _rng(seed)
    bits = rng.integers(0, 2, size=(n, length))
    parity = np.cumsum(bits, axis=1) % 2
    return bits[..., None].astype(np.float32), parity[..., None].astype(np.float32)


@dataclass(frozen=True)
class Digits:
    """The UCI 8x8 digits, pixels scaled to [0, 1], with a fixed stratified split."""

    x_train: np.ndarray  # (n_train, 1, 8, 8) float32
    y_train: np.ndarray  # (n_train,) int64
    x_test: np.ndarray  # (n_test, 1, 8, 8) float32
    y_test: np.ndarray  # (n_test,) int64

    CITATION = (
        "Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of Handwritten Digits. "
        "UCI Machine Learning Repository, https://doi.org/10.24432/C50P49 (CC BY 4.0)."
    )


@lru_cache(maxsize=1)
def load_digits_raw() -> tuple[np.ndarray, np.ndarray]:
    """All 1,797 images (uint8, 0..16, shape (1797, 8, 8)) and labels (uint8)."""
    with resources.files(__name__).joinpath("digits.npz").open("rb") as f:
        with np.load(f) as z:
            return z["images"].copy(), z["labels"].copy()


@lru_cache(maxsize=4)
def load_digits(test_fraction: float = 0.2, split_seed: int = 1234) -> Digits:
    """The digits with a fixed, stratified train/test split (same for every run)."""
    images, labels = load_digits_raw()
    rng = np.random.default_rng(split_seed)
    test_idx = []
    for c in range(10):
        idx = np.flatnonzero(labels == c)
        rng.shuffle(idx)
        test_idx.append(idx[: int(round(len(idx) * test_fraction))])
    test = np.zeros(len(labels), dtype=bool)
    test[np.concatenate(test_idx)] = True
    X = (images.astype(np.float32) / 16.0)[:, None]
    y = labels.astype(np.int64)
    parts = (X[~test], y[~test], X[test], y[test])
    for a in parts:
        a.setflags(write=False)  # shared by every lesson through the cache
    return Digits(*parts)


#: the seeded generators by name: each takes its own sizes as keywords and ``seed``
#: (an int or a Generator) and returns (X, y) as documented above
DATASETS: Registry[Callable[..., tuple[np.ndarray, np.ndarray]]] = Registry("data set", {
    "spiral": spiral, "circles": circles, "xor": xor, "gaussians": gaussians,
    "sawtooth": sawtooth, "parity_sequences": parity_sequences,
})
