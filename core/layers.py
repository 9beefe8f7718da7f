"""Layers with a forward pass that caches what the backward pass needs.

Layers with parameters take ``rng`` (required, so no two layers silently share a seed).
Contract (as in micrograd / numpy-ml): ``forward(x, training)`` returns the output;
``backward(grad_out)`` *adds* the parameter gradients into ``self.grads`` (same keys
as ``self.params``) and returns the gradient with respect to the input.
Shapes: Dense takes ``(batch, features)``; Conv2D and MaxPool2D take
``(batch, channels, height, width)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike
from numpy.lib.stride_tricks import sliding_window_view

from . import init as initializers
from .activations import ACTIVATIONS, softmax


class Layer:
    """Base class: a layer with no parameters passes gradients straight through."""

    name = "layer"

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward_params(self, grad_out: np.ndarray) -> None:
        """Only add the parameter gradients (the input's is not needed, e.g. for a
        model's first layer). Layers whose input gradient costs work override this."""
        self.backward(grad_out)

    def zero_grad(self) -> None:
        for g in self.grads.values():
            g.fill(0)

    def _make_grads(self) -> None:
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Dense(Layer):
    """Fully connected: ``y = x @ W + b`` with W: (n_in, n_out), b: (n_out,)."""

    name = "dense"

    def __init__(
        self,
        n_in: int,
        n_out: int,
        init: str | initializers.Initializer = "xavier",
        *,
        rng: np.random.Generator,
        dtype: DTypeLike = np.float32,
        bias_init: float = 0.0,
    ) -> None:
        super().__init__()
        self.n_in, self.n_out = n_in, n_out
        W = initializers.get(init)((n_in, n_out), n_in, n_out, rng, np.dtype(dtype))
        self.params = {"W": W, "b": np.full(n_out, bias_init, dtype=dtype)}
        self._make_grads()
        self._x: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        self._x = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self.backward_params(grad_out)
        # a contiguous W.T: BLAS multiplies it faster than the transposed view (same result)
        return grad_out @ np.ascontiguousarray(self.params["W"].T)

    def backward_params(self, grad_out: np.ndarray) -> None:
        x, grads = self._x, self.grads
        assert x is not None, "backward before forward"
        grads["W"] += x.T @ grad_out
        grads["b"] += np.add.reduce(grad_out, axis=0)  # grad_out.sum(axis=0) without its Python wrapper

    def __repr__(self) -> str:
        return f"Dense({self.n_in}, {self.n_out})"


class Activation(Layer):
    """An element-wise activation (sigmoid, tanh, relu, leaky_relu, linear) as a layer."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        if kind not in ACTIVATIONS:
            raise ValueError(f"unknown activation {kind!r}; choose one of {', '.join(ACTIVATIONS)}")
        self.kind = kind
        self.name = kind
        self._act = ACTIVATIONS[kind]
        self._x: np.ndarray | None = None
        self._y: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        self._x = x
        y = self._y = self._act.fn(x)
        return y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        assert self._x is not None and self._y is not None, "backward before forward"
        return grad_out * self._act.grad(self._x, self._y)

    def __repr__(self) -> str:
        return f"Activation({self.kind!r})"


def Sigmoid() -> Activation:
    return Activation("sigmoid")


def Tanh() -> Activation:
    return Activation("tanh")


def ReLU() -> Activation:
    return Activation("relu")


def LeakyReLU() -> Activation:
    return Activation("leaky_relu")


class Softmax(Layer):
    """Softmax over the last axis. For training, prefer the fused SoftmaxCrossEntropy loss."""

    name = "softmax"

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        self._y = softmax(x, axis=-1)
        return self._y

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        y = self._y
        return y * (grad_out - (grad_out * y).sum(axis=-1, keepdims=True))


class Flatten(Layer):
    """(batch, ...) -> (batch, prod(...))."""

    name = "flatten"

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out.reshape(self._shape)


class Dropout(Layer):
    """Inverted dropout: in training, zero each unit with probability ``rate`` and scale
    the survivors by 1/(1-rate), so evaluation needs no rescaling."""

    name = "dropout"

    def __init__(self, rate: float, *, rng: np.random.Generator) -> None:
        super().__init__()
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"dropout rate must be in [0, 1), got {rate}")
        self.rate = rate
        self.rng = rng
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        if not training or self.rate == 0.0:
            self.mask = None
            return x
        keep = 1.0 - self.rate
        self.mask = (self.rng.random(x.shape) < keep).astype(x.dtype) / x.dtype.type(keep)
        return x * self.mask

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out if self.mask is None else grad_out * self.mask


class Conv2D(Layer):
    """2-D cross-correlation, stride 1, ``padding`` 'valid' or 'same' (odd kernel).

    x: (batch, c_in, H, W); W: (c_out, c_in, k, k); b: (c_out,);
    output: (batch, c_out, H', W'). Forward is an im2col built with
    ``sliding_window_view`` and a single tensordot; the input gradient is the full
    correlation of the output gradient with the flipped kernel.
    """

    name = "conv2d"

    def __init__(
        self,
        c_in: int,
        c_out: int,
        kernel_size: int,
        padding: str = "valid",
        init: str | initializers.Initializer = "he",
        *,
        rng: np.random.Generator,
        dtype: DTypeLike = np.float32,
    ) -> None:
        super().__init__()
        if padding not in ("valid", "same"):
            raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
        if padding == "same" and kernel_size % 2 == 0:
            raise ValueError("'same' padding needs an odd kernel size")
        self.c_in, self.c_out, self.k, self.padding = c_in, c_out, kernel_size, padding
        k = kernel_size
        fan_in, fan_out = c_in * k * k, c_out * k * k
        W = initializers.get(init)((c_out, c_in, k, k), fan_in, fan_out, rng, np.dtype(dtype))
        self.params = {"W": W, "b": np.zeros(c_out, dtype=dtype)}
        self._make_grads()
        self._buffers: dict = {}  # im2col buffers per input shape (see _im2col)
        self._fixed: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # see cache_input

    def cache_input(self, x: np.ndarray) -> None:
        """Declare ``x`` a constant input this layer will see again (e.g. a lesson's fixed
        evaluation images): its im2col matrix is built once and reused whenever this very
        array object is passed to ``forward``. x must be read-only, so it cannot change
        behind the cache's back; the cache holds x (so its id stays its own) until
        ``clear_input_cache``."""
        if x.flags.writeable:
            raise ValueError("cache_input needs a read-only array (x.setflags(write=False))")
        self._fixed[id(x)] = (x, self._im2col(x, training=False).copy())

    def clear_input_cache(self) -> None:
        self._fixed.clear()

    @property
    def pad(self) -> int:
        return self.k // 2 if self.padding == "same" else 0

    def patches(self, x: np.ndarray) -> np.ndarray:
        """The sliding windows of x: (batch, c_in, H', W', k, k) — a view, no copy."""
        p = self.pad
        if p:
            x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        return sliding_window_view(x, (self.k, self.k), axis=(2, 3))

    def _im2col(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        """x: (N, C, H, W) -> the im2col matrix transposed, (C·k·k, N·H'·W'): row (c, i, j)
        holds the input under kernel weight (c, i, j) at every output position (n, r, col).
        Written into a buffer kept per input shape, next to a zero-padded copy of x and
        the window view of that copy, so a step allocates nothing here. (This layout
        is filled in runs of W' values; the transposed one, (N·H'·W', C·k·k), only in
        runs of k.)"""
        key = (x.shape, x.dtype, training)  # an evaluation pass never overwrites training's columns
        buf = self._buffers.get(key)
        if buf is None:
            N, C, H, W = x.shape
            k, p = self.k, self.pad
            padded = np.zeros((N, C, H + 2 * p, W + 2 * p), dtype=x.dtype)
            win = sliding_window_view(padded, (k, k), axis=(2, 3)).transpose(1, 4, 5, 0, 2, 3)  # (C, k, k, N, H', W')
            cols = np.empty(win.shape, dtype=x.dtype)
            if len(self._buffers) >= 4:  # a few shapes (a training batch, evaluation sets) at a time
                self._buffers.clear()
            buf = self._buffers[key] = (padded, win, cols)
        padded, win, cols = buf
        p = self.pad
        padded[:, :, p : p + x.shape[2], p : p + x.shape[3]] = x  # the border stays zero
        np.copyto(cols, win)
        return cols.reshape(self.c_in * self.k * self.k, -1)

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        N = x.shape[0]
        self._x_shape = x.shape
        fixed = self._fixed.get(id(x))
        cols = fixed[1] if fixed is not None and fixed[0] is x else self._im2col(x, training)  # (C·k·k, N·H'·W')
        if training:
            self._cols = cols
        W = self.params["W"]
        out = W.reshape(W.shape[0], -1) @ cols  # (c_out, N·H'·W')
        out += self.params["b"][:, None]
        H, Wd = x.shape[2] + 2 * self.pad - self.k + 1, x.shape[3] + 2 * self.pad - self.k + 1
        # (N, c_out, H', W'), a view: each channel's maps are contiguous, channel-major
        return out.reshape(-1, N, H, Wd).transpose(1, 0, 2, 3)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        dx = self._input_grad(grad_out)
        self.backward_params(grad_out)
        return dx

    def backward_params(self, grad_out: np.ndarray) -> None:
        # grad_out: (N, c_out, H', W') -> (c_out, M), a view when it has forward's layout
        F = grad_out.shape[1]
        g = grad_out.transpose(1, 0, 2, 3).reshape(F, -1)
        self.grads["W"] += (g @ self._cols.T).reshape(self.params["W"].shape)
        self.grads["b"] += g.sum(axis=1)

    def _input_grad(self, grad_out: np.ndarray) -> np.ndarray:
        k, p = self.k, self.pad
        g = np.pad(grad_out, ((0, 0), (0, 0), (k - 1, k - 1), (k - 1, k - 1)))
        gwin = sliding_window_view(g, (k, k), axis=(2, 3))  # (N, c_out, Hp, Wp, k, k)
        Wflip = self.params["W"][:, :, ::-1, ::-1]
        dx = np.tensordot(gwin, Wflip, axes=([1, 4, 5], [0, 2, 3]))  # (N, Hp, Wp, c_in)
        dx = dx.transpose(0, 3, 1, 2)
        if p:
            dx = dx[:, :, p:-p, p:-p]
        return dx

    def __repr__(self) -> str:
        return f"Conv2D({self.c_in}, {self.c_out}, k={self.k}, padding={self.padding!r})"


class MaxPool2D(Layer):
    """Non-overlapping max pooling with a square window (stride = size).

    x: (batch, c, H, W) -> (batch, c, H // size, W // size); trailing rows/columns
    that do not fill a window are dropped. The gradient goes to one max per window
    (the first, in row-major order within the window, when several are equal).
    """

    name = "maxpool2d"

    def __init__(self, size: int = 2) -> None:
        super().__init__()
        self.size = size
        self._index: dict = {}  # see _gather_index
        # what backward needs, from the last training forward
        self._cand: np.ndarray | None = None
        self._out: np.ndarray | None = None

    def _gather_index(self, x: np.ndarray) -> list:
        """For x's shape and memory layout: [the axis order in which x is laid out, the
        positions (in that memory) of every window's s·s candidates as blocks
        (s·s, N, C, Ho, Wo), and that index's inverse permutation once backward needs
        it]. Cached per shape and strides."""
        key = (x.shape, x.strides)
        found = self._index.get(key)
        if found is None:
            s = self.size
            N, C, H, W = x.shape
            Ho, Wo = H // s, W // s
            order = tuple(int(a) for a in np.argsort(x.strides, kind="stable")[::-1])
            memory = np.arange(x.size).reshape([x.shape[a] for a in order])  # memory position of each element
            pos = memory.transpose(np.argsort(order))[:, :, : Ho * s, : Wo * s]  # logical (N, C, H, W)
            idx = pos.reshape(N, C, Ho, s, Wo, s).transpose(3, 5, 0, 1, 2, 4).reshape(-1).copy()
            if len(self._index) >= 4:  # a few shapes (a training batch, evaluation sets) at a time
                self._index.clear()
            found = self._index[key] = [order, idx, None]  # None: its inverse, made when needed
        return found

    def _max_only(self, x: np.ndarray) -> np.ndarray | None:
        """The pooled values without the bookkeeping backward needs (evaluation), when H
        and W are x's two innermost memory axes: rows first (long contiguous runs), then
        columns. None when x is laid out otherwise."""
        s = self.size
        order = tuple(int(a) for a in np.argsort(x.strides, kind="stable")[::-1])
        memory = x.transpose(order)
        if s < 2 or order[2:] != (2, 3) or not memory.flags.c_contiguous:
            return None
        N, C, H, W = x.shape
        Ho, Wo = H // s, W // s
        A, B = memory.shape[:2]
        rows = memory.reshape(A * B, H, W)[:, : Ho * s, : Wo * s].reshape(A * B * Ho, s, Wo * s)
        h = np.maximum(rows[:, 0], rows[:, 1])
        for i in range(2, s):
            np.maximum(h, rows[:, i], out=h)
        h = h.reshape(A, B, Ho, Wo, s)
        out = np.empty((N, C, Ho, Wo), dtype=np.result_type(x))
        dst = out.transpose(order)  # written in place: out stays C-contiguous for Flatten
        np.maximum(h[..., 0], h[..., 1], out=dst)
        for j in range(2, s):
            np.maximum(dst, h[..., j], out=dst)
        return out

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        s = self.size
        N, C, H, W = x.shape
        Ho, Wo = H // s, W // s
        if not training:
            out = self._max_only(x)
            if out is not None:
                self._cand = self._out = None
                return out
        entry = self._gather_index(x)
        order, idx = entry[0], entry[1]
        memory = x.transpose(order)
        if not memory.flags.c_contiguous:  # no single-stride layout: use a copy
            x = np.ascontiguousarray(x)
            entry = self._gather_index(x)
            order, idx = entry[0], entry[1]
            memory = x
        # every window's candidates as s·s contiguous blocks, then a running maximum
        cand = memory.reshape(-1)[idx].reshape(s * s, N, C, Ho, Wo)
        out = cand[0].copy()
        for o in range(1, s * s):
            np.maximum(out, cand[o], out=out)
        if training:
            self._cand, self._out, self._order, self._entry, self._shape = cand, out, order, entry, x.shape
        return out

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        cand, out, order = self._cand, self._out, self._order
        assert cand is not None and out is not None, "backward before a training forward"
        dcand = np.empty(cand.shape, dtype=grad_out.dtype)
        rest = grad_out.astype(grad_out.dtype, copy=True)  # what no earlier candidate took
        last = len(cand) - 1
        for o in range(last):  # the first max of each window gets the gradient
            np.multiply(rest, cand[o] == out, out=dcand[o])
            rest -= dcand[o]  # 0 where candidate o took it, unchanged elsewhere
        np.multiply(rest, cand[last] == out, out=dcand[last])
        # back to the input's layout, every candidate's gradient in its place
        shape = [self._shape[a] for a in order]
        entry = self._entry
        if entry[1].size == np.prod(shape):  # every element is a candidate: one gather
            if entry[2] is None:
                entry[2] = np.argsort(entry[1])  # the inverse permutation
            memory = dcand.reshape(-1)[entry[2]].reshape(shape)
        else:  # cropped rows/columns get zero
            memory = np.zeros(shape, dtype=grad_out.dtype)
            memory.reshape(-1)[entry[1]] = dcand.reshape(-1)
        return memory.transpose(np.argsort(order))


class RNN(Layer):
    """Elman RNN over a whole sequence, trained by backpropagation through time.

    x: (batch, time, n_in) -> hidden states (batch, time, n_hidden), with
    ``h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + b)`` and h_0 = 0.
    """

    name = "rnn"

    def __init__(self, n_in: int, n_hidden: int, *, rng: np.random.Generator, dtype: DTypeLike = np.float32) -> None:
        super().__init__()
        self.n_in, self.n_hidden = n_in, n_hidden
        self.params = {
            "Wx": initializers.xavier((n_in, n_hidden), n_in, n_hidden, rng, dtype),
            "Wh": (np.linalg.qr(rng.standard_normal((n_hidden, n_hidden)))[0] * 0.9).astype(dtype),
            "b": np.zeros(n_hidden, dtype=dtype),
        }
        self._make_grads()

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        N, T, _ = x.shape
        H = np.zeros((N, T + 1, self.n_hidden), dtype=x.dtype)
        xw = x @ self.params["Wx"] + self.params["b"]
        Wh = self.params["Wh"]
        for t in range(T):
            H[:, t + 1] = np.tanh(xw[:, t] + H[:, t] @ Wh)
        self._x, self._H = x, H
        return H[:, 1:]

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        x, H = self._x, self._H
        N, T, _ = x.shape
        Wh = self.params["Wh"]
        dx = np.zeros_like(x)
        dh_next = np.zeros((N, self.n_hidden), dtype=grad_out.dtype)
        for t in reversed(range(T)):
            dh = grad_out[:, t] + dh_next
            da = dh * (1.0 - H[:, t + 1] ** 2)
            self.grads["Wx"] += x[:, t].T @ da
            self.grads["Wh"] += H[:, t].T @ da
            self.grads["b"] += da.sum(axis=0)
            dx[:, t] = da @ self.params["Wx"].T
            dh_next = da @ Wh.T
        return dx
