"""Core training speed: every lesson's default ``step()`` against the practical limit.

For each lesson three contenders run the *same* training at the lesson's default
hyperparameters, interleaved in short alternating rounds in one process so that machine
noise hits them all alike:

- **core**: the lesson's own ``Experiment.step(n)``, headless;
- **fused**: a minimal hand-fused NumPy loop doing the same math and the same useful work
  per step (the update, the loss and the metrics the lesson records, its periodic
  evaluation), with every layer written inline on preallocated buffers and no Python
  layer objects: the practical limit of NumPy;
- **torch**: the same model and the same minibatches in PyTorch on the CPU with one
  thread (only when torch is installed; it is never a dependency).

A fused loop is built from a freshly built Experiment (its initial weights, data and a
copy of its minibatch RNG), so from the same start both take the same batches; the test
``tests/test_bench_core.py`` checks that they compute the same losses and weights.
"""

from __future__ import annotations

import copy
import math
import os
import statistics
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..core.experiment import Experiment
from ..core.lessons import LESSONS, by_key

#: the targets of the issue: core >= 0.7 x fused everywhere; core >= 2 x torch for the
#: MLP lessons and >= 1 x torch for the CNN lesson
FUSED_TARGET = 0.7
TORCH_TARGET = {"gradient-descent": 2.0, "weight-init": 2.0, "cnn": 1.0}
HISTORY = 2048  # the fused loops record their metrics in rings this long


def _check_defaults(exp: Experiment) -> None:
    defaults = {h.name: h.default for h in exp.hyperparams}
    if exp.values != defaults:
        raise ValueError(f"the fused {exp.info.key} loop implements the default hyperparameters only")


class _Ring:
    """The minimal metric history: one preallocated ring of float64 per metric."""

    def __init__(self, *names: str) -> None:
        self.data = {n: np.zeros(HISTORY) for n in names}
        self.i = 0


# --------------------------------------------------------------------------------------
# gradient-descent: plain GD on the "ravine" quadratic, J(p) = ½ pᵀHp
# --------------------------------------------------------------------------------------
class FusedGradientDescent:
    """One step: p ← p − α·g (in place); then at the new p the loss, the gradient H·p,
    |g|, the divergence and convergence checks, the trajectory point (the same
    thinning rule as the lesson) and the two metrics (loss, grad_norm) recorded."""

    key = "gradient-descent"

    def __init__(self, exp: Experiment) -> None:
        from ..core.lessons import gradient_descent as gd

        _check_defaults(exp)
        self.gd = gd
        H = exp.surface.hessian
        self.h = (float(H[0, 0]), float(H[0, 1]), float(H[1, 1]))
        self.lr = float(exp.values["learning_rate"])
        self.p = exp.params["p"].copy()  # (2,) float64: the model, as in the lesson
        self.g = exp._grad.copy()  # (2,) the gradient at p
        self.tmp = np.empty(2)
        self.min_move = exp._min_move
        self.trail = np.empty((gd.TRAIL_CAPACITY, 2))
        self.trail_len = exp._trail_len
        self.trail[: self.trail_len] = exp._trail[: self.trail_len]
        self.last = self.trail[self.trail_len - 1].tolist() if self.trail_len else None
        self.stride, self.skipped = exp._trail_stride, exp._trail_skipped
        self.hist = _Ring("loss", "grad_norm")
        self.converged = self.diverged = False
        self.loss = self.grad_norm = float("nan")

    def step(self, n: int = 1) -> None:
        gd = self.gd
        p, g, tmp, lr = self.p, self.g, self.tmp, self.lr
        hxx, hxy, hyy = self.h
        losses, norms = self.hist.data["loss"], self.hist.data["grad_norm"]
        i = self.hist.i
        for _ in range(n):
            if self.diverged:
                break
            np.multiply(g, lr, out=tmp)
            np.subtract(p, tmp, out=p)
            x, y = p.tolist()
            loss = 0.5 * (hxx * x * x + 2.0 * hxy * x * y + hyy * y * y)
            if not (abs(x) < gd.POINT_LIMIT and abs(y) < gd.POINT_LIMIT and abs(loss) < gd.LOSS_LIMIT):
                self.diverged = True
                break
            gx, gy = hxx * x + hxy * y, hxy * x + hyy * y
            g[0], g[1] = gx, gy
            gn = math.hypot(gx, gy)
            self.converged = gn < gd.GRAD_TOL
            last = self.last
            if last is None or math.hypot(x - last[0], y - last[1]) >= self.min_move:
                self._record(x, y)
            losses[i & (HISTORY - 1)] = loss
            norms[i & (HISTORY - 1)] = gn
            i += 1
            self.loss, self.grad_norm = loss, gn
        self.hist.i = i

    def _record(self, x: float, y: float) -> None:
        self.skipped += 1
        if self.skipped < self.stride:
            return
        self.skipped = 0
        n = self.trail_len
        if n == len(self.trail):
            n //= 2
            self.trail[:n] = self.trail[::2]
            self.stride *= 2
        self.trail[n] = x, y
        self.trail_len = n + 1
        self.last = (x, y)

    def params(self) -> dict[str, np.ndarray]:
        return {"p": self.p}

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, "grad_norm": self.grad_norm}


# --------------------------------------------------------------------------------------
# weight-init: 8 x [Dense(64) + tanh] + Dense(3), softmax CE, SGD, batch 64, float32
# --------------------------------------------------------------------------------------
class FusedWeightInit:
    """One step: draw 64 rows, forward through every layer, softmax cross-entropy,
    accuracy, backward (no gradient for the input), the L2 norm of every dW, and one
    SGD update of all the parameters at once (they live in one flat buffer)."""

    key = "weight-init"

    def __init__(self, exp: Experiment) -> None:
        from ..core.lessons import weight_init as wi

        _check_defaults(exp)
        if exp.values["activation"] != "tanh":
            raise ValueError("the fused weight-init loop is written for tanh")
        self.X = np.ascontiguousarray(exp.data.x_train, dtype=np.float32)
        self.y = exp.data.y_train.astype(np.intp)
        self.rng = copy.deepcopy(exp.batch_rng)
        self.lr = float(exp.values["learning_rate"])
        self.B = B = wi.BATCH
        shapes = [d.params["W"].shape for d in exp.dense]
        sizes = [a * b + b for a, b in shapes]
        dt = exp.dense[0].params["W"].dtype
        self.flat = np.empty(sum(sizes), dtype=dt)  # every W and b, in layer order
        self.gflat = np.empty_like(self.flat)
        self.tmp = np.empty_like(self.flat)
        self.W, self.b, self.gW, self.gb = [], [], [], []
        o = 0
        for d, (a, c) in zip(exp.dense, shapes):
            for store, gstore, name, shape in ((self.W, self.gW, "W", (a, c)), (self.b, self.gb, "b", (c,))):
                size = int(np.prod(shape))
                view = self.flat[o : o + size].reshape(shape)
                view[...] = d.params[name]
                store.append(view)
                gstore.append(self.gflat[o : o + size].reshape(shape))
                o += size
        L = len(shapes)
        self.xb = np.empty((B, self.X.shape[1]), dtype=dt)
        self.yb = np.empty(B, dtype=np.intp)
        self.acts = [np.empty((B, c), dtype=dt) for _, c in shapes]  # tanh outputs; the last: logits
        self.da = [np.empty((B, c), dtype=dt) for _, c in shapes]
        self.t = [np.empty((B, c), dtype=dt) for _, c in shapes]
        k = shapes[-1][1]
        self.m = np.empty((B, 1), dtype=dt)
        self.s = np.empty((B, 1), dtype=dt)
        self.e = np.empty((B, k), dtype=dt)
        self.rows = np.arange(B)
        self.grad_norms = np.zeros(L, dtype=np.float32)
        self.hist = _Ring("loss", "accuracy")
        self.loss = self.accuracy = float("nan")
        self.epoch = 0.0
        self.n = len(self.X)

    def step(self, n: int = 1) -> None:
        W, b, gW, gb, acts, da, t = self.W, self.b, self.gW, self.gb, self.acts, self.da, self.t
        xb, yb, e, m, s, rows, B = self.xb, self.yb, self.e, self.m, self.s, self.rows, self.B
        L = len(W)
        losses, accs = self.hist.data["loss"], self.hist.data["accuracy"]
        i = self.hist.i
        inv_b = np.float32(1.0 / B)
        for _ in range(n):
            idx = self.rng.integers(0, self.n, B)
            np.take(self.X, idx, axis=0, out=xb)
            np.take(self.y, idx, out=yb)
            h = xb
            for j in range(L):
                z = acts[j]
                np.matmul(h, W[j], out=z)
                z += b[j]
                if j < L - 1:
                    np.tanh(z, out=z)
                h = z
            logits = h
            # softmax cross-entropy (log-sum-exp) and its gradient (p - onehot) / B
            np.max(logits, axis=1, keepdims=True, out=m)
            np.subtract(logits, m, out=e)
            acc = float(np.count_nonzero(logits.argmax(axis=1) == yb)) / B
            sh_y = e[rows, yb]
            np.exp(e, out=e)
            np.sum(e, axis=1, keepdims=True, out=s)
            loss = float(np.log(s).sum() - sh_y.sum()) / B
            d = da[L - 1]
            np.divide(e, s, out=d)
            d[rows, yb] -= 1.0
            d *= inv_b
            for j in range(L - 1, -1, -1):
                h = acts[j - 1] if j else xb
                np.matmul(h.T, d, out=gW[j])
                np.sum(d, axis=0, out=gb[j])
                if j:
                    dh = da[j - 1]
                    np.matmul(d, W[j].T, out=dh)
                    tt = t[j - 1]
                    np.multiply(h, h, out=tt)  # tanh' = 1 - a²
                    np.subtract(1.0, tt, out=tt)
                    dh *= tt
                    d = dh
            for j in range(L):
                g = gW[j].ravel()
                self.grad_norms[j] = math.sqrt(float(np.dot(g, g)))
            np.multiply(self.gflat, self.lr, out=self.tmp)
            self.flat -= self.tmp
            self.epoch += B / self.n
            losses[i & (HISTORY - 1)] = loss
            accs[i & (HISTORY - 1)] = acc
            i += 1
            self.loss, self.accuracy = loss, acc
        self.hist.i = i

    def params(self) -> dict[str, np.ndarray]:
        out = {}
        for j, (W, b) in enumerate(zip(self.W, self.b)):
            out[f"{2 * j}.W"], out[f"{2 * j}.b"] = W, b
        return out

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, "accuracy": self.accuracy}


# --------------------------------------------------------------------------------------
# cnn: Conv2D(1→8, 3×3, same) → ReLU → MaxPool 2 → Flatten → Dense(128 → 10), Adam
# --------------------------------------------------------------------------------------
class FusedCNN:
    """One step: draw 32 images and gather their im2col matrix straight from the padded
    training images with one precomputed index array, rows ordered (window position,
    image, pooled row, pooled column) so that the 2×2 max-pool is three maximums of
    contiguous blocks and the bias rides in the matmul as a column of ones; then ReLU,
    dense, softmax cross-entropy, backward (the first max of each window gets the
    gradient, as in the core; no gradient for the input), and one Adam update of all
    the parameters at once (one flat buffer). Every quarter epoch, test, validation and
    train accuracy as in the lesson, from the im2col matrix of the fixed evaluation images
    built once."""

    key = "cnn"

    def __init__(self, exp: Experiment) -> None:
        from ..core.lessons import cnn

        _check_defaults(exp)
        self.cnn = cnn
        data = exp.data
        F, k = exp.conv.params["W"].shape[0], exp.conv.k
        S, s = data.x_train.shape[-1], cnn.POOL
        So, p = S // s, k // 2
        P, K = S + 2 * p, k * k
        self.F, self.k, self.So = F, k, So
        dt = exp.conv.params["W"].dtype
        self.dt = dt
        self.y_train = data.y_train.astype(np.intp)
        self.n_train = len(self.y_train)
        self.rng = copy.deepcopy(exp.batch_rng)
        padded = np.zeros((self.n_train, P, P), dtype=dt)
        padded[:, p : p + S, p : p + S] = data.x_train[:, 0]
        self.x_flat = padded.reshape(-1)  # every padded training image, one after another
        # OFF[c, r, q, t]: where, in one padded image, kernel tap t of pooled cell (r, q)'s
        # window position c reads
        di, dj, r, q, i, j = np.ix_(range(s), range(s), range(So), range(So), range(k), range(k))
        self.OFF = ((s * r + di + i) * P + (s * q + dj + j)).reshape(s * s, 1, So * So, K)
        self.B = B = exp.values["batch_size"]
        C = exp.dense.params["W"].shape[1]
        Din = F * So * So
        sizes = [(K + 1) * F, Din * C, C]
        o = np.cumsum([0] + sizes)
        self.flat = np.zeros(o[-1], dtype=dt)
        self.gflat = np.zeros_like(self.flat)
        self.Wc = self.flat[o[0] : o[1]].reshape(K + 1, F)  # kernel taps, then the bias row
        self.Wd = self.flat[o[1] : o[2]].reshape(So * So * F, C)  # rows in (r, q, f) order
        self.bd = self.flat[o[2] : o[3]]
        self.gWc = self.gflat[o[0] : o[1]].reshape(K + 1, F)
        self.gWd = self.gflat[o[1] : o[2]].reshape(So * So * F, C)
        self.gbd = self.gflat[o[2] : o[3]]
        self.Wc[:K] = exp.conv.params["W"].reshape(F, K).T
        self.Wc[K] = exp.conv.params["b"]
        self.Wd[...] = exp.dense.params["W"].reshape(F, So, So, C).transpose(1, 2, 0, 3).reshape(-1, C)
        self.bd[...] = exp.dense.params["b"]
        # Adam over the flat buffer
        self.lr = float(exp.values["learning_rate"])
        self.b1, self.b2, self.eps = exp.optimizer.beta1, exp.optimizer.beta2, exp.optimizer.eps
        self.t = exp.optimizer.t
        self.m1, self.v = np.zeros_like(self.flat), np.zeros_like(self.flat)
        self.u1, self.u2 = np.empty_like(self.flat), np.empty_like(self.flat)
        # training buffers
        M = s * s * B * So * So
        self.I = np.empty((s * s, B, So * So, K), dtype=np.intp)
        self.cols = np.ones((M, K + 1), dtype=dt)  # the last column stays 1 (the bias)
        self.Z = np.empty((s * s, B * So * So, F), dtype=dt)
        self.Pm = np.empty((B * So * So, F), dtype=dt)
        self.H = np.empty((B, Din), dtype=dt)
        self.mask = np.empty((B, Din), dtype=bool)
        self.hit = np.empty((B * So * So, F), dtype=bool)
        self.taken = np.empty((B * So * So, F), dtype=bool)
        self.logits = np.empty((B, C), dtype=dt)
        self.e = np.empty((B, C), dtype=dt)
        self.d = np.empty((B, C), dtype=dt)
        self.m = np.empty((B, 1), dtype=dt)
        self.ssum = np.empty((B, 1), dtype=dt)
        self.dH = np.empty((B, Din), dtype=dt)
        self.dZ = np.empty((s * s, B * So * So, F), dtype=dt)
        self.rows = np.arange(B)
        self.yb = np.empty(B, dtype=np.intp)
        # evaluation: test images, validation images, then every TRAIN_EVAL_STRIDE-th training image
        xe = np.concatenate([data.x_test[:, 0], data.x_val[:, 0], data.x_train[:: cnn.TRAIN_EVAL_STRIDE, 0]])
        E = len(xe)
        self.n_test, self.n_val = len(data.y_test), len(data.y_val)
        self.y_eval = np.concatenate([data.y_test, data.y_val, data.y_train[:: cnn.TRAIN_EVAL_STRIDE]]).astype(np.intp)
        xepad = np.zeros((E, P, P), dtype=dt)
        xepad[:, p : p + S, p : p + S] = xe
        Ie = self.OFF + (np.arange(E) * P * P)[None, :, None, None]
        self.cols_eval = np.ones((s * s * E * So * So, K + 1), dtype=dt)
        self.cols_eval[:, :K] = xepad.reshape(-1)[Ie].reshape(-1, K)
        self.Ze = np.empty((s * s, E * So * So, F), dtype=dt)
        self.Pe = np.empty((E * So * So, F), dtype=dt)
        self.le = np.empty((E, C), dtype=dt)
        self.samples_seen = exp.samples_seen
        self.eval_every = cnn.EVAL_EVERY_EPOCHS * self.n_train
        self.next_eval = exp._next_eval
        self.hist = _Ring("loss")
        self.acc_hist = _Ring("test_accuracy", "val_accuracy", "train_accuracy")
        self.loss = float("nan")
        # the untrained net's
        self.test_accuracy, self.val_accuracy, self.train_accuracy = (
            exp.test_accuracy, exp.val_accuracy, exp.train_accuracy,
        )
        self.converged = exp.converged

    def _evaluate(self) -> None:
        Ze, Pe = self.Ze, self.Pe
        np.matmul(self.cols_eval, self.Wc, out=Ze.reshape(-1, self.F))
        np.maximum(Ze[0], Ze[1], out=Pe)
        for c in range(2, len(Ze)):
            np.maximum(Pe, Ze[c], out=Pe)
        np.maximum(Pe, 0, out=Pe)
        np.matmul(Pe.reshape(len(self.le), -1), self.Wd, out=self.le)
        self.le += self.bd
        hit = self.le.argmax(axis=1) == self.y_eval
        nt, nv = self.n_test, self.n_test + self.n_val
        self.test_accuracy = float(np.count_nonzero(hit[:nt])) / nt
        self.val_accuracy = float(np.count_nonzero(hit[nt:nv])) / (nv - nt)
        self.train_accuracy = float(np.count_nonzero(hit[nv:])) / (len(hit) - nv)
        self.converged = self.val_accuracy >= self.cnn.VAL_TARGET  # judged on validation only
        i = self.acc_hist.i
        self.acc_hist.data["test_accuracy"][i & (HISTORY - 1)] = self.test_accuracy
        self.acc_hist.data["val_accuracy"][i & (HISTORY - 1)] = self.val_accuracy
        self.acc_hist.data["train_accuracy"][i & (HISTORY - 1)] = self.train_accuracy
        self.acc_hist.i = i + 1

    def step(self, n: int = 1) -> None:
        B, F = self.B, self.F
        K = self.k * self.k
        I, cols, Z, Pm, H, mask, hit, taken = self.I, self.cols, self.Z, self.Pm, self.H, self.mask, self.hit, self.taken
        logits, e, d, m, ssum, dH, dZ, rows, yb = (
            self.logits, self.e, self.d, self.m, self.ssum, self.dH, self.dZ, self.rows, self.yb,
        )
        Z2, dZ2, cols_x, Pm_flat = Z.reshape(-1, F), dZ.reshape(-1, F), cols[:, :K], Pm.reshape(B, -1)
        I2 = I.reshape(-1, K)
        nc = len(Z)
        inv_b = self.dt.type(1.0 / B)
        lr, b1, b2, eps = self.lr, self.b1, self.b2, self.eps
        flat, gflat, m1, v, u1, u2 = self.flat, self.gflat, self.m1, self.v, self.u1, self.u2
        losses = self.hist.data["loss"]
        stride = self.x_flat.shape[0] // self.n_train
        i = self.hist.i
        for _ in range(n):
            idx = self.rng.integers(0, self.n_train, size=B)
            np.take(self.y_train, idx, out=yb)
            np.add(self.OFF, (idx * stride)[None, :, None, None], out=I)
            np.take(self.x_flat, I2, out=cols_x, mode="clip")  # im2col of the batch, in one gather
            # conv (+ bias) -> 2x2 max-pool -> ReLU -> dense
            np.matmul(cols, self.Wc, out=Z2)
            np.maximum(Z[0], Z[1], out=Pm)
            for c in range(2, nc):
                np.maximum(Pm, Z[c], out=Pm)
            np.maximum(Pm_flat, 0, out=H)
            np.matmul(H, self.Wd, out=logits)
            logits += self.bd
            # softmax cross-entropy and its gradient
            np.max(logits, axis=1, keepdims=True, out=m)
            np.subtract(logits, m, out=e)
            sh_y = e[rows, yb]
            np.exp(e, out=e)
            np.sum(e, axis=1, keepdims=True, out=ssum)
            loss = float(np.log(ssum).sum() - sh_y.sum()) / B
            np.divide(e, ssum, out=d)
            d[rows, yb] -= 1.0
            d *= inv_b
            # backward
            np.matmul(H.T, d, out=self.gWd)
            np.sum(d, axis=0, out=self.gbd)
            np.matmul(d, self.Wd.T, out=dH)
            np.greater(H, 0, out=mask)
            dH *= mask  # ReLU
            dP = dH.reshape(Pm.shape)
            for c in range(nc):  # the first max of each window gets the gradient
                np.equal(Z[c], Pm, out=hit)
                if c:
                    np.logical_not(taken, out=mask.reshape(Pm.shape))
                    hit &= mask.reshape(Pm.shape)
                    taken |= hit
                else:
                    taken[...] = hit
                np.multiply(hit, dP, out=dZ[c])
            np.matmul(cols.T, dZ2, out=self.gWc)
            # Adam over every parameter at once
            self.t += 1
            t = self.t
            m1 *= b1
            np.multiply(gflat, 1 - b1, out=u1)
            m1 += u1
            v *= b2
            np.multiply(gflat, 1 - b2, out=u1)  # (1 - b2) * g * g, in the core's order
            u1 *= gflat
            v += u1
            np.multiply(v, 1.0 / (1 - b2**t), out=u2)
            np.sqrt(u2, out=u2)
            u2 += eps
            np.multiply(m1, 1.0 / (1 - b1**t), out=u1)
            u1 *= lr
            u1 /= u2
            flat -= u1
            losses[i & (HISTORY - 1)] = loss
            i += 1
            self.loss = loss
            self.samples_seen += B
            if self.samples_seen >= self.next_eval:
                while self.next_eval <= self.samples_seen:
                    self.next_eval += self.eval_every
                self._evaluate()
        self.hist.i = i

    def params(self) -> dict[str, np.ndarray]:
        F, k, So = self.F, self.k, self.So
        C = self.bd.shape[0]
        return {
            "0.W": self.Wc[: k * k].T.reshape(F, 1, k, k),
            "0.b": self.Wc[k * k],
            "4.W": self.Wd.reshape(So, So, F, C).transpose(2, 0, 1, 3).reshape(F * So * So, C),
            "4.b": self.bd,
        }

    def metrics(self) -> dict[str, float]:
        return {
            "loss": self.loss, "test_accuracy": self.test_accuracy,
            "val_accuracy": self.val_accuracy, "train_accuracy": self.train_accuracy,
        }


FUSED: dict[str, Callable[[Experiment], Any]] = {
    FusedGradientDescent.key: FusedGradientDescent,
    FusedWeightInit.key: FusedWeightInit,
    FusedCNN.key: FusedCNN,
}


# --------------------------------------------------------------------------------------
# PyTorch: the same models, the same initial weights and the same minibatches
# --------------------------------------------------------------------------------------
def _torch_version() -> str:
    import torch

    return torch.__version__


def torch_status() -> str | None:
    """None when torch can be used, otherwise why not (e.g. "torch not installed")."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return "torch not installed"
    except Exception as exc:  # a broken install must not break the benchmark
        return f"torch unusable: {exc}"
    return None


def _torch():
    import torch

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set (it may be set once per process)
    return torch


class TorchGradientDescent:
    """p: (2,) float64 leaf; J = ½(hxx x² + 2hxy xy + hyy y²); backward; SGD step; |g|."""

    key = "gradient-descent"

    def __init__(self, exp: Experiment) -> None:
        torch = self.torch = _torch()
        _check_defaults(exp)
        H = exp.surface.hessian
        self.h = (float(H[0, 0]), float(H[0, 1]), float(H[1, 1]))
        self.p = torch.tensor(exp.params["p"], dtype=torch.float64, requires_grad=True)
        self.opt = torch.optim.SGD([self.p], lr=float(exp.values["learning_rate"]))
        self.loss = self.grad_norm = float("nan")

    def step(self, n: int = 1) -> None:
        torch, p, opt = self.torch, self.p, self.opt
        hxx, hxy, hyy = self.h
        for _ in range(n):
            opt.zero_grad()
            x, y = p[0], p[1]
            loss = 0.5 * (hxx * x * x + 2.0 * hxy * x * y + hyy * y * y)
            loss.backward()
            self.loss = loss.item()
            self.grad_norm = torch.linalg.vector_norm(p.grad).item()
            opt.step()

    def params(self) -> dict[str, np.ndarray]:
        return {"p": self.p.detach().numpy()}


class TorchWeightInit:
    """nn.Sequential of Linear+Tanh x depth + Linear, cross-entropy, SGD; each step also
    the accuracy and the norm of every weight gradient, as the lesson records."""

    key = "weight-init"

    def __init__(self, exp: Experiment) -> None:
        torch = self.torch = _torch()
        from ..core.lessons import weight_init as wi

        _check_defaults(exp)
        dt = torch.float32
        layers = []
        for i, dense in enumerate(exp.dense):
            lin = torch.nn.Linear(*dense.params["W"].shape, dtype=dt)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(dense.params["W"].T.copy()))
                lin.bias.copy_(torch.from_numpy(dense.params["b"].copy()))
            layers.append(lin)
            if i < len(exp.dense) - 1:
                layers.append(torch.nn.Tanh())
        self.model = torch.nn.Sequential(*layers)
        self.linears = [m for m in layers if isinstance(m, torch.nn.Linear)]
        self.opt = torch.optim.SGD(self.model.parameters(), lr=float(exp.values["learning_rate"]))
        self.X = torch.from_numpy(np.ascontiguousarray(exp.data.x_train, dtype=np.float32))
        self.y = torch.from_numpy(exp.data.y_train.astype(np.int64))
        self.rng = copy.deepcopy(exp.batch_rng)
        self.B, self.n = wi.BATCH, len(exp.data.x_train)
        self.loss = self.accuracy = float("nan")

    def step(self, n: int = 1) -> None:
        torch, model, opt = self.torch, self.model, self.opt
        F = torch.nn.functional
        for _ in range(n):
            idx = torch.from_numpy(self.rng.integers(0, self.n, self.B))
            xb, yb = self.X[idx], self.y[idx]
            opt.zero_grad()
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            with torch.no_grad():
                self.grad_norms = torch.stack([torch.linalg.vector_norm(m.weight.grad) for m in self.linears]).numpy()
                self.accuracy = (logits.argmax(dim=1) == yb).float().mean().item()
            self.loss = loss.item()
            opt.step()

    def params(self) -> dict[str, np.ndarray]:
        out = {}
        for j, lin in enumerate(self.linears):
            out[f"{2 * j}.W"] = lin.weight.detach().numpy().T
            out[f"{2 * j}.b"] = lin.bias.detach().numpy()
        return out


class TorchCNN:
    """Conv2d(1, F, k, padding=k//2) → ReLU → MaxPool2d(2) → Flatten → Linear, Adam,
    float32; test, validation and train accuracy every quarter epoch under no_grad, as the lesson."""

    key = "cnn"

    def __init__(self, exp: Experiment) -> None:
        torch = self.torch = _torch()
        from ..core.lessons import cnn

        _check_defaults(exp)
        self.cnn = cnn
        nn = torch.nn
        Wc = exp.conv.params["W"]
        F, k = Wc.shape[0], Wc.shape[-1]
        conv = nn.Conv2d(1, F, k, padding=k // 2, dtype=torch.float32)
        lin = nn.Linear(*exp.dense.params["W"].shape, dtype=torch.float32)
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(Wc.copy()))
            conv.bias.copy_(torch.from_numpy(exp.conv.params["b"].copy()))
            lin.weight.copy_(torch.from_numpy(exp.dense.params["W"].T.copy()))
            lin.bias.copy_(torch.from_numpy(exp.dense.params["b"].copy()))
        self.conv, self.lin = conv, lin
        self.model = nn.Sequential(conv, nn.ReLU(), nn.MaxPool2d(cnn.POOL), nn.Flatten(), lin)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=float(exp.values["learning_rate"]))
        data = exp.data
        self.x_train = torch.from_numpy(np.array(data.x_train))
        self.y_train = torch.from_numpy(data.y_train.astype(np.int64))
        self.x_test = torch.from_numpy(np.array(data.x_test))
        self.y_test = torch.from_numpy(data.y_test.astype(np.int64))
        self.x_val = torch.from_numpy(np.array(data.x_val))
        self.y_val = torch.from_numpy(data.y_val.astype(np.int64))
        self.x_tre = torch.from_numpy(np.array(data.x_train[:: cnn.TRAIN_EVAL_STRIDE]))
        self.y_tre = torch.from_numpy(data.y_train[:: cnn.TRAIN_EVAL_STRIDE].astype(np.int64))
        self.n_train = len(data.y_train)
        self.rng = copy.deepcopy(exp.batch_rng)
        self.B = exp.values["batch_size"]
        self.samples_seen = exp.samples_seen
        self.eval_every = cnn.EVAL_EVERY_EPOCHS * self.n_train
        self.next_eval = exp._next_eval
        self.loss = float("nan")
        self.test_accuracy, self.train_accuracy = exp.test_accuracy, exp.train_accuracy
        self.val_accuracy = exp.val_accuracy

    def _accuracy(self, x, y) -> float:
        return (self.model(x).argmax(dim=1) == y).float().mean().item()

    def step(self, n: int = 1) -> None:
        torch, model, opt = self.torch, self.model, self.opt
        F = torch.nn.functional
        for _ in range(n):
            idx = torch.from_numpy(self.rng.integers(0, self.n_train, size=self.B))
            opt.zero_grad()
            loss = F.cross_entropy(model(self.x_train[idx]), self.y_train[idx])
            loss.backward()
            opt.step()
            self.loss = loss.item()
            self.samples_seen += self.B
            if self.samples_seen >= self.next_eval:
                while self.next_eval <= self.samples_seen:
                    self.next_eval += self.eval_every
                with torch.no_grad():
                    self.test_accuracy = self._accuracy(self.x_test, self.y_test)
                    self.val_accuracy = self._accuracy(self.x_val, self.y_val)
                    self.train_accuracy = self._accuracy(self.x_tre, self.y_tre)

    def params(self) -> dict[str, np.ndarray]:
        return {
            "0.W": self.conv.weight.detach().numpy(),
            "0.b": self.conv.bias.detach().numpy(),
            "4.W": self.lin.weight.detach().numpy().T,
            "4.b": self.lin.bias.detach().numpy(),
        }


TORCH: dict[str, Callable[[Experiment], Any]] = {
    TorchGradientDescent.key: TorchGradientDescent,
    TorchWeightInit.key: TorchWeightInit,
    TorchCNN.key: TorchCNN,
}


# --------------------------------------------------------------------------------------
# measuring
# --------------------------------------------------------------------------------------
class _Core:
    """The lesson's own Experiment, stepped headless as the runner does."""

    def __init__(self, exp: Experiment) -> None:
        self.exp = exp

    def step(self, n: int) -> None:
        self.exp.step(n)


@dataclass
class _Contender:
    name: str
    runner: Any
    rates: list[float]
    chunk: int = 1


CHUNK_SECONDS = 0.005  # each contender steps in chunks of about this long (the app's runner: 10 ms)


def _calibrate(runner: Any, seconds: float = CHUNK_SECONDS) -> int:
    """Warm ``runner`` up and return how many steps take about ``seconds``."""
    runner.step(1)  # the first step may build caches or (torch) initialise lazily
    runner.step(1)
    n = 1
    while True:
        t0 = time.perf_counter()
        runner.step(n)
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds / 4 or n >= 1 << 16:
            return max(1, int(n * seconds / max(elapsed, 1e-9)))
        n *= 2


def _time_slot(runner: Any, chunk: int, seconds: float) -> float:
    """Steps per second of ``runner.step(chunk)`` repeated for about ``seconds``."""
    steps = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        runner.step(chunk)
        steps += chunk
        now = time.perf_counter()
        if now >= deadline:
            return steps / (now - start)


def _openblas():
    """NumPy's own OpenBLAS library (ctypes), or None."""
    import ctypes

    libdirs = [os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")]
    try:
        libdirs.append(np.show_config(mode="dicts")["Build Dependencies"]["blas"].get("lib directory", ""))
    except Exception:
        pass
    for libdir in libdirs:
        if not libdir or not os.path.isdir(libdir):
            continue
        for name in sorted(os.listdir(libdir)):
            if "openblas" in name and ".so" in name:
                try:
                    return ctypes.CDLL(os.path.join(libdir, name))  # already loaded by NumPy: the same copy
                except OSError:
                    continue
    return None


def _blas_call(names: tuple[str, ...], restype):
    try:
        lib = _openblas()
        for sym in names:
            fn = getattr(lib, sym, None) if lib is not None else None
            if fn is not None:
                fn.restype = restype
                return fn()
    except Exception:
        pass
    return None


def blas_kernel() -> str:
    """The OpenBLAS kernel NumPy runs (e.g. "Haswell", "SkylakeX"), or "unknown"."""
    import ctypes

    name = _blas_call(
        ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename64_", "openblas_get_corename"),
        ctypes.c_char_p,
    )
    return name.decode() if name else "unknown"


def blas_threads() -> int | None:
    """How many threads NumPy's OpenBLAS uses (nndojo pins 1 when imported before NumPy)."""
    import ctypes

    return _blas_call(
        ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads", "openblas_get_num_threads64_", "openblas_get_num_threads"),
        ctypes.c_int,
    )


def measure_lesson(key: str, seconds: float, *, use_torch: bool = True, round_seconds: float = 0.2) -> dict:
    """One lesson's row: core, fused and (if available) torch steps/s, interleaved.

    Each contender is built from its own freshly built Experiment (``cls(seed=0)``, the
    default hyperparameters), warmed up, and steps in chunks of about 5 ms (``step(n)``,
    as the app's runner does). Then rounds of ``round_seconds`` per contender (fewer
    seconds when the budget is small) alternate, in a rotating order, until ``seconds``
    is spent; each contender's rate is its best round (noise only ever slows a round
    down; the medians are in the row too).
    """
    cls = by_key(key)
    contenders = [_Contender("core", _Core(cls(seed=0)), []), _Contender("fused", FUSED[key](cls(seed=0)), [])]
    torch_note = torch_status() if use_torch else "not asked"
    if torch_note is None:
        contenders.append(_Contender("torch", TORCH[key](cls(seed=0)), []))
    for c in contenders:
        c.chunk = _calibrate(c.runner)
    slot = min(round_seconds, seconds / (3 * len(contenders)))
    rounds = max(3, int(seconds / (slot * len(contenders))))
    for r in range(rounds):
        order = contenders[r % len(contenders) :] + contenders[: r % len(contenders)]
        for c in order:
            c.rates.append(_time_slot(c.runner, c.chunk, slot))
    rates = {c.name: max(c.rates) for c in contenders}
    medians = {c.name: statistics.median(c.rates) for c in contenders}
    row: dict[str, Any] = {
        "lesson": key,
        "core": rates["core"],
        "fused": rates["fused"],
        "torch": rates.get("torch"),
        "core_median": medians["core"],
        "fused_median": medians["fused"],
        "torch_median": medians.get("torch"),
        "rounds": rounds,
        "chunks": {c.name: c.chunk for c in contenders},
        "core_fused": rates["core"] / rates["fused"],
        "fused_target": FUSED_TARGET,
        "torch_target": TORCH_TARGET.get(key),
        "torch_note": torch_note or "",
    }
    row["core_torch"] = rates["core"] / rates["torch"] if "torch" in rates else None
    row["fused_pass"] = row["core_fused"] >= FUSED_TARGET
    row["torch_pass"] = None if row["core_torch"] is None else row["core_torch"] >= row["torch_target"]
    row["pass"] = row["fused_pass"] and row["torch_pass"] is not False
    return row


def measure_core(seconds: float = 30.0, *, use_torch: bool = True, lessons: list[str] | None = None) -> list[dict]:
    """Every lesson's row (see ``measure_lesson``); ``seconds`` is the total budget,
    shared equally by the lessons. Returns a list of dicts with keys: lesson, core,
    fused, torch (steps/s; torch None without torch), core_fused, core_torch (ratios),
    fused_target, torch_target, fused_pass, torch_pass (None without torch), pass,
    torch_note ("" or why torch is missing), and the medians, rounds and chunks (steps
    per ``step(n)`` call of each contender)."""
    keys = lessons or [cls.info.key for cls in LESSONS]
    return [measure_lesson(k, seconds / len(keys), use_torch=use_torch) for k in keys]


def _rate(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def format_core(rows: list[dict]) -> str:
    """A Markdown table of ``measure_core``'s rows."""
    lines = [
        "| lesson | core steps/s | fused steps/s | core/fused (>= 0.7) | torch steps/s | core/torch (target) | pass |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        if r["core_torch"] is None:
            vs_torch = r["torch_note"] or "-"
        else:
            mark = "ok" if r["torch_pass"] else "BELOW"
            vs_torch = f"{r['core_torch']:.2f}x (>= {r['torch_target']:g}x) {mark}"
        mark = "ok" if r["fused_pass"] else "BELOW"
        lines.append(
            f"| {r['lesson']} | {_rate(r['core'])} | {_rate(r['fused'])} | {r['core_fused']:.2f} {mark} | "
            f"{_rate(r['torch'])} | {vs_torch} | {'yes' if r['pass'] else 'NO'} |"
        )
    notes = []
    if rows:
        notes.append(
            f"best of {rows[0]['rounds']} interleaved rounds per contender; "
            f"NumPy {np.__version__}, OpenBLAS kernel {blas_kernel()}, {blas_threads() or '?'} BLAS thread(s)"
            + (f", OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']}" if os.environ.get("OPENBLAS_CORETYPE") else "")
            + (f"; torch {_torch_version()} on 1 thread" if any(r["torch"] is not None for r in rows) else "")
        )
    return "\n".join(lines + [""] + notes)


if __name__ == "__main__":  # a quick look: python -m nndojo.bench.core [seconds]
    import sys

    print(format_core(measure_core(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0)))
