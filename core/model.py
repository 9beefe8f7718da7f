"""Sequential: a stack of layers with one params/grads dictionary keyed "<index>.<name>".

The parameters (and gradients) of all layers live in a few flat buffers, one per dtype:
every ``layer.params[k]`` / ``layer.grads[k]`` is a view into its buffer, so an
optimiser can update every parameter of the model with a handful of NumPy calls (see
``FlatGroup`` and ``Optimizer.step``)."""

from __future__ import annotations

from typing import Iterable, Literal, NamedTuple, overload

import numpy as np

from .layers import Layer

_ALIGN_BYTES = 64  # every parameter starts on a cache line of its buffer


class FlatGroup(NamedTuple):
    """Parameters of one dtype laid out in one buffer: ``params`` and ``grads`` are the
    flat buffers; ``layout`` lists (name, offset, size, shape) of every parameter in it
    (the gaps between them stay zero in both buffers)."""

    params: np.ndarray
    grads: np.ndarray
    layout: tuple[tuple[str, int, int, tuple[int, ...]], ...]


class FlatDict(dict):
    """A dict of named arrays that are views into the buffers of ``groups``
    (``Sequential.params()`` / ``grads()``): an optimiser given the two dicts of one
    model updates the buffers directly."""

    groups: tuple[FlatGroup, ...] = ()


def _flatten(named: list[tuple[str, Layer, str]]) -> tuple[FlatGroup, ...]:
    """Move every (name, layer, key) parameter and its gradient into flat buffers (one
    per dtype, in order of first appearance) and rebind the layer's dict entries to
    views into them. Values are copied exactly. Returns () (nothing moved) when the
    parameters cannot all get their own slot: shared arrays, gradients that do not
    match their parameters, or anything that is not a plain ndarray."""
    seen: set[int] = set()
    by_dtype: dict[np.dtype, list[tuple[str, Layer, str]]] = {}
    for name, layer, k in named:
        p, g = layer.params[k], layer.grads.get(k)
        if (
            type(p) is not np.ndarray or type(g) is not np.ndarray or p.shape != g.shape
            or p.dtype != g.dtype or id(p) in seen or id(g) in seen
        ):
            return ()
        seen.update((id(p), id(g)))
        by_dtype.setdefault(p.dtype, []).append((name, layer, k))
    groups = []
    for dtype, entries in by_dtype.items():
        align = max(1, _ALIGN_BYTES // dtype.itemsize)
        layout, offset = [], 0
        for name, layer, k in entries:
            p = layer.params[k]
            layout.append((name, offset, p.size, p.shape))
            offset += -(-p.size // align) * align
        P = np.zeros(offset, dtype=dtype)
        G = np.zeros(offset, dtype=dtype)
        for (name, layer, k), (_, o, size, shape) in zip(entries, layout):
            pv, gv = P[o : o + size].reshape(shape), G[o : o + size].reshape(shape)
            pv[...] = layer.params[k]
            gv[...] = layer.grads[k]
            if not layer.params[k].flags.writeable:
                pv.setflags(write=False)
            layer.params[k], layer.grads[k] = pv, gv
        groups.append(FlatGroup(P, G, tuple(layout)))
    return tuple(groups)


class Sequential:
    def __init__(self, layers: Iterable[Layer]) -> None:
        self.layers: list[Layer] = list(layers)
        named = [(f"{i}.{k}", layer, k) for i, layer in enumerate(self.layers) for k in layer.params]
        groups = _flatten(named)
        self._params: FlatDict = FlatDict()
        self._grads: FlatDict = FlatDict()
        for name, layer, k in named:
            self._params[name] = layer.params[k]
            self._grads[name] = layer.grads[k]
        self._params.groups = self._grads.groups = groups

    @overload
    def forward(self, x: np.ndarray, training: bool = True, keep: Literal[False] = False) -> np.ndarray: ...
    @overload
    def forward(self, x: np.ndarray, training: bool = True, *, keep: Literal[True]) -> tuple[np.ndarray, list[np.ndarray]]: ...
    def forward(self, x: np.ndarray, training: bool = True, keep: bool = False) -> np.ndarray | tuple[np.ndarray, list[np.ndarray]]:
        """Run every layer. With ``keep=True`` also return every layer's output."""
        if not keep:
            for layer in self.layers:
                x = layer.forward(x, training)
            return x
        outs = []
        for layer in self.layers:
            x = layer.forward(x, training)
            outs.append(x)
        return x, outs

    def __call__(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        return self.forward(x, training)

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Add every parameter gradient and return the gradient of the input; with
        ``input_grad=False`` the first layer skips computing that (training does not
        need it: for a first Conv2D it is the costliest part of the pass) and None is
        returned."""
        layers = self.layers
        if input_grad or not layers:
            for layer in reversed(layers):
                grad = layer.backward(grad)
            return grad
        for i in range(len(layers) - 1, 0, -1):
            grad = layers[i].backward(grad)
        layers[0].backward_params(grad)
        return None

    def params(self) -> dict[str, np.ndarray]:
        return self._params

    def grads(self) -> dict[str, np.ndarray]:
        return self._grads

    def zero_grad(self) -> None:
        groups = self._grads.groups
        if groups:
            for group in groups:
                group.grads.fill(0)
            return
        for g in self._grads.values():
            g.fill(0)

    @property
    def n_params(self) -> int:
        return int(sum(p.size for p in self._params.values()))

    def __repr__(self) -> str:
        return "Sequential(" + ", ".join(map(repr, self.layers)) + ")"
