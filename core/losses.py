"""Loss functions: ``forward(pred, target) -> float`` (mean over the batch) caches what
``backward() -> dL/dpred`` needs."""

from __future__ import annotations

import numpy as np

from .activations import sigmoid
from .registry import Registry


_FAST_MEAN = (np.dtype(np.float32), np.dtype(np.float64))


def mean(a: np.ndarray) -> float:
    """``float(np.mean(a))``, bit for bit, without np.mean's per-call overhead for float32
    and float64 arrays (the same ``np.add.reduce``, then the sum divided by the count in
    float64 and rounded to the array's dtype, as np.mean does)."""
    if type(a) is np.ndarray and a.dtype in _FAST_MEAN and a.size:
        total = np.add.reduce(a, axis=None)
        return float(a.dtype.type(float(total) / a.size))
    return float(np.mean(a))


class Loss:
    name = "loss"

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, pred: np.ndarray, target: np.ndarray) -> float:
        return self.forward(pred, target)


class MSE(Loss):
    """Mean squared error: (1/n) * sum_{i=1..n} (pred_i - y_i)^2, averaged over every element."""

    name = "mse"

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        self._diff = pred - target
        return mean(self._diff**2)

    def backward(self) -> np.ndarray:
        return (2.0 / self._diff.size) * self._diff


class MAE(Loss):
    """Mean absolute error; its gradient is sign(pred - y) / n (0 where they are equal)."""

    name = "mae"

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        self._diff = pred - target
        return float(np.mean(np.abs(self._diff)))

    def backward(self) -> np.ndarray:
        return np.sign(self._diff) / self._diff.size


class Huber(Loss):
    """Quadratic within ``delta`` of the target, linear beyond it."""

    name = "huber"

    def __init__(self, delta: float = 1.0) -> None:
        self.delta = delta

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float:
        d = pred - target
        self._diff = d
        a = np.abs(d)
        quad = 0.5 * d**2
        lin = self.delta * (a - 0.5 * self.delta)
        return float(np.mean(np.where(a <= self.delta, quad, lin)))

    def backward(self) -> np.ndarray:
        d = self._diff
        return np.clip(d, -self.delta, self.delta) / d.size


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on *logits* z (sigmoid fused in), stable for any z:
    mean(max(z,0) - z*y + log(1 + e^-|z|)). Gradient w.r.t. z is (sigmoid(z) - y) / n."""

    name = "bce"

    def forward(self, logits: np.ndarray, target: np.ndarray) -> float:
        z = logits
        self._z, self._y = z, target
        return float(np.mean(np.maximum(z, 0) - z * target + np.log1p(np.exp(-np.abs(z)))))

    def backward(self) -> np.ndarray:
        return (sigmoid(self._z) - self._y) / self._z.size


class SoftmaxCrossEntropy(Loss):
    """Softmax + cross-entropy fused, on logits z: (batch, classes).

    ``target`` is integer labels (batch,) or one-hot (batch, classes). Uses log-sum-exp,
    so it never overflows; the gradient w.r.t. the logits is (softmax(z) - y) / batch.
    """

    name = "softmax_ce"
    _p: np.ndarray  # softmax(z): (batch, classes)
    _labels: np.ndarray | None  # integer targets: (batch,), or None for one-hot targets
    _y: np.ndarray | None  # one-hot targets: (batch, classes), or None for integer targets

    def forward(self, logits: np.ndarray, target: np.ndarray) -> float:
        n, k = logits.shape
        shifted = logits - logits.max(axis=1, keepdims=True)
        logsumexp = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        logp = shifted - logsumexp
        self._p = np.exp(logp)
        if target.ndim == 1:  # labels: no one-hot matrix, just the picked log-probabilities
            self._labels = target.astype(np.intp, copy=False)
            self._y = None
            return float(-logp[np.arange(n), self._labels].sum() / n)
        onehot = target.astype(logits.dtype)
        self._labels, self._y = None, onehot
        return float(-(onehot * logp).sum() / n)

    def backward(self) -> np.ndarray:
        n = self._p.shape[0]
        if self._y is not None:
            return (self._p - self._y) / n
        grad = self._p.copy()
        grad[np.arange(n), self._labels] -= 1  # p - onehot, without building the one-hot
        grad /= n
        return grad

    @property
    def probabilities(self) -> np.ndarray:
        return self._p


#: name -> Loss class (each builds with no arguments)
LOSSES: Registry[type[Loss]] = Registry("loss", {
    "mse": MSE, "mae": MAE, "huber": Huber, "bce": BinaryCrossEntropy, "softmax_ce": SoftmaxCrossEntropy,
})


class SoftmaxThen(Loss):
    """A regression loss on class probabilities: softmax over the logits z: (batch,
    classes), then ``inner`` (MSE or Huber) against the one-hot targets. ``target`` is
    integer labels (batch,) or one-hot (batch, classes). The gradient goes back through
    the softmax: dL/dz = p * (g - sum(g * p)), g = dL/dp."""

    name = "softmax_then"
    inner_class: type[Loss] = MSE

    def __init__(self) -> None:
        self.inner = self.inner_class()

    def forward(self, logits: np.ndarray, target: np.ndarray) -> float:
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        p = self._p = e / e.sum(axis=1, keepdims=True)
        if target.ndim == 1:
            onehot = np.zeros_like(p)
            onehot[np.arange(len(target)), target.astype(np.intp)] = 1
        else:
            onehot = target.astype(p.dtype)
        return self.inner.forward(p, onehot)

    def backward(self) -> np.ndarray:
        p = self._p
        g = self.inner.backward()
        return p * (g - (g * p).sum(axis=1, keepdims=True))

    @property
    def probabilities(self) -> np.ndarray:
        return self._p


class SoftmaxMSE(SoftmaxThen):
    """Mean squared error between softmax probabilities and one-hot targets."""

    name = "softmax_mse"
    inner_class = MSE


class SoftmaxHuber(SoftmaxThen):
    """Huber loss between softmax probabilities and one-hot targets."""

    name = "softmax_huber"
    inner_class = Huber


LOSSES.register("softmax_mse", SoftmaxMSE)
LOSSES.register("softmax_huber", SoftmaxHuber)

__all__ = ["Loss", "MSE", "MAE", "Huber", "BinaryCrossEntropy", "SoftmaxCrossEntropy", "LOSSES",
           "SoftmaxMSE", "SoftmaxHuber"]
