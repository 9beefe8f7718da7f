"""Sequential: a stack of layers with one params/grads dictionary keyed "<index>.<name>"."""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .layers import Layer


class Sequential:
    def __init__(self, layers: Iterable[Layer]) -> None:
        self.layers: list[Layer] = list(layers)
        self._params: dict[str, np.ndarray] = {}
        self._grads: dict[str, np.ndarray] = {}
        for i, layer in enumerate(self.layers):
            for k in layer.params:
                self._params[f"{i}.{k}"] = layer.params[k]
                self._grads[f"{i}.{k}"] = layer.grads[k]

    def forward(self, x: np.ndarray, training: bool = True, keep: bool = False):
        """Run every layer. With ``keep=True`` also return every layer's output."""
        outs = []
        for layer in self.layers:
            x = layer.forward(x, training)
            if keep:
                outs.append(x)
        return (x, outs) if keep else x

    def __call__(self, x: np.ndarray, training: bool = True):
        return self.forward(x, training)

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Add every parameter gradient and return the gradient of the input; with
        ``input_grad=False`` the first layer skips computing that (training does not
        need it: for a first Conv2D it is the costliest part of the pass) and None is
        returned."""
        layers = self.layers
        for layer in reversed(layers[1:] if not input_grad and layers else layers):
            grad = layer.backward(grad)
        if not input_grad and layers:
            layers[0].backward_params(grad)
            return None
        return grad

    def params(self) -> dict[str, np.ndarray]:
        return self._params

    def grads(self) -> dict[str, np.ndarray]:
        return self._grads

    def zero_grad(self) -> None:
        for g in self._grads.values():
            g.fill(0)

    @property
    def n_params(self) -> int:
        return int(sum(p.size for p in self._params.values()))

    def __repr__(self) -> str:
        return "Sequential(" + ", ".join(map(repr, self.layers)) + ")"
