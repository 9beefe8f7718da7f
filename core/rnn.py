"""A vanilla tanh RNN with a per-step sigmoid readout, trained by backpropagation
through time, and a fixed-window MLP for the same per-step task. Plain functions of
parameter dicts (NumPy; the dtype is the parameters')."""

from __future__ import annotations

import numpy as np


def init_rnn(n_in: int, hidden: int, rng: np.random.Generator, dtype: type = np.float32) -> dict[str, np.ndarray]:
    """Wx: (n_in, H), Wh: (H, H) (scaled orthogonal), b: (H,), v: (H,), c: (1,)."""
    q, _ = np.linalg.qr(rng.standard_normal((hidden, hidden)))
    return {
        "Wx": (rng.standard_normal((n_in, hidden)) / np.sqrt(n_in)).astype(dtype),
        "Wh": (0.9 * q).astype(dtype),
        "b": np.zeros(hidden, dtype=dtype),
        "v": (rng.standard_normal(hidden) / np.sqrt(hidden)).astype(dtype),
        "c": np.zeros(1, dtype=dtype),
    }


def rnn_forward(p: dict[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x: (B, T, n_in) -> hidden states hs: (B, T, H) and logits: (B, T);
    h_t = tanh(x_t Wx + h_{t-1} Wh + b), h_0 = 0, logit_t = h_t · v + c."""
    B, T, _ = x.shape
    H = p["Wh"].shape[0]
    hs = np.empty((B, T, H), dtype=p["Wh"].dtype)
    xw = x @ p["Wx"] + p["b"]  # (B, T, H): every step's input term at once
    h = np.zeros((B, H), dtype=p["Wh"].dtype)
    for t in range(T):
        h = np.tanh(xw[:, t] + h @ p["Wh"])
        hs[:, t] = h
    return hs, hs @ p["v"] + p["c"][0]


def bce_with_logits(logits: np.ndarray, y: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean binary cross-entropy over the masked entries and its gradient wrt the logits."""
    n = max(float(mask.sum()), 1.0)
    loss = np.logaddexp(0, logits) - y * logits  # stable −[y log σ + (1−y) log(1−σ)]
    prob = 0.5 * (1.0 + np.tanh(0.5 * logits))  # σ, without overflow
    return float((loss * mask).sum() / n), ((prob - y) * mask / n).astype(logits.dtype)


def rnn_backward(p: dict[str, np.ndarray], x: np.ndarray, hs: np.ndarray, dlogits: np.ndarray) -> dict[str, np.ndarray]:
    """Backpropagation through time: the gradients of every parameter given ∂L/∂logits
    (B, T), walking the steps from the last to the first."""
    B, T, H = hs.shape
    g = {"v": np.einsum("bth,bt->h", hs, dlogits), "c": np.array([dlogits.sum()], dtype=hs.dtype)}
    dh_out = dlogits[:, :, None] * p["v"]  # (B, T, H): each step's readout's share
    da_all = np.empty_like(hs)
    dh_next = np.zeros((B, H), dtype=hs.dtype)
    WhT = p["Wh"].T
    for t in range(T - 1, -1, -1):
        dh = dh_out[:, t] + dh_next
        da = dh * (1.0 - hs[:, t] ** 2)
        da_all[:, t] = da
        dh_next = da @ WhT
    prev = np.concatenate([np.zeros((B, 1, H), dtype=hs.dtype), hs[:, :-1]], axis=1)
    g["Wh"] = np.einsum("bti,btj->ij", prev, da_all)
    g["Wx"] = np.einsum("bti,btj->ij", x, da_all)
    g["b"] = da_all.sum(axis=(0, 1))
    return g


def windows(x: np.ndarray, width: int) -> np.ndarray:
    """x: (B, T) -> (B, T, width): at step t the inputs x_{t-width+1} .. x_t (zeros before the start)."""
    B, T = x.shape
    padded = np.concatenate([np.zeros((B, width - 1), dtype=x.dtype), x], axis=1)
    return np.lib.stride_tricks.sliding_window_view(padded, width, axis=1)[:, :T]


def init_mlp(n_in: int, hidden: int, rng: np.random.Generator, dtype: type = np.float32) -> dict[str, np.ndarray]:
    """W1: (n_in, H), b1: (H,), v: (H,), c: (1,)."""
    return {
        "W1": (rng.standard_normal((n_in, hidden)) / np.sqrt(n_in)).astype(dtype),
        "b1": np.zeros(hidden, dtype=dtype),
        "v": (rng.standard_normal(hidden) / np.sqrt(hidden)).astype(dtype),
        "c": np.zeros(1, dtype=dtype),
    }


def mlp_forward(p: dict[str, np.ndarray], xw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """xw: (B, T, w) -> hidden (B, T, H) and logits (B, T): the same net at every step."""
    h = np.tanh(xw @ p["W1"] + p["b1"])
    return h, h @ p["v"] + p["c"][0]


def mlp_backward(p: dict[str, np.ndarray], xw: np.ndarray, h: np.ndarray, dlogits: np.ndarray) -> dict[str, np.ndarray]:
    da = dlogits[:, :, None] * p["v"] * (1.0 - h ** 2)
    return {
        "W1": np.einsum("bti,btj->ij", xw, da),
        "b1": da.sum(axis=(0, 1)),
        "v": np.einsum("bth,bt->h", h, dlogits),
        "c": np.array([dlogits.sum()], dtype=h.dtype),
    }


def count(p: dict[str, np.ndarray]) -> int:
    return int(sum(a.size for a in p.values()))


def rnn_params(n_in: int, hidden: int) -> int:
    """Wx, Wh, b, v, c: no term depends on the sequence length."""
    return n_in * hidden + hidden * hidden + hidden + hidden + 1


def mlp_params(window: int, hidden: int) -> int:
    return window * hidden + hidden + hidden + 1
