"""Hand-fused NumPy loops, one per model family: the practical limit of NumPy.

Each loop is built from a freshly built Experiment of its family and reads everything
from the Experiment's declared parts (its model's layers and initial weights, its loss,
optimiser, data splits, a copy of its minibatch RNG, its batch size, learning rate and
evaluation schedule), so it runs ANY lesson of that family: from the same start it
takes the same minibatches and computes the same losses and weights as the lesson's
``step()``. It does the same useful work per step (the update, the metrics the engine
records, the scheduled evaluation), with every layer written inline on preallocated
buffers and every parameter in one flat buffer. What a family's loop does not implement
it refuses with a ValueError (``Unsupported``) when it is built.

A lesson's own per-step hook (``SupervisedExperiment._after_backward``, e.g.
weight-init's gradient norms) is not part of a fused loop: the core does that work on
top, so core/fused understates the core, never flatters it.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np

from ..core.experiment import Experiment

HISTORY = 2048  # the fused loops record their metrics in rings this long
FUSED_ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu", "linear")


class Unsupported(ValueError):
    """A lesson's settings are outside what a family's fused (or torch) loop implements."""


class _Ring:
    """The minimal metric history: one preallocated ring of float64 per metric."""

    def __init__(self, *names: str) -> None:
        self.data = {n: np.zeros(HISTORY) for n in names}
        self.i = 0

    def record(self, **values: float) -> None:
        j = self.i & (HISTORY - 1)
        for name, v in values.items():
            self.data[name][j] = v
        self.i += 1


def _fresh(exp: Experiment, family: str) -> None:
    if exp.step_count:
        raise Unsupported(f"the {family} loops start from a freshly built experiment (this one is at step {exp.step_count})")


def supervised_arm(exp: Experiment, family: str) -> Any:
    """The one arm of a supervised lesson (its model, loss, optimiser), or Unsupported."""
    from ..core.engine import SupervisedExperiment

    if not isinstance(exp, SupervisedExperiment):
        raise Unsupported(f"the {family} family's loops run supervised lessons (SupervisedExperiment); {type(exp).__name__} is not one")
    _fresh(exp, family)
    if len(exp.arms) != 1:
        raise Unsupported(f"the {family} family's loops train one model; this lesson trains {len(exp.arms)} arms")
    arm = exp.arms[0]
    from ..core.losses import SoftmaxCrossEntropy

    if type(arm.loss) is not SoftmaxCrossEntropy or exp.data.y_train.ndim != 1:
        raise Unsupported(f"the {family} family's loops implement softmax cross-entropy on integer labels; this lesson uses {arm.loss.name}")
    refusal = getattr(exp, "fused_refusal", None)  # what else a lesson's step does (e.g. a weight penalty)
    reason = refusal() if callable(refusal) else None
    if reason:
        raise Unsupported(f"the {family} family's loops do not implement {reason}")
    if arm.optimizer.name not in ("gd", "momentum", "adam"):
        raise Unsupported(f"the {family} family's loops implement gd, momentum and adam; this lesson uses {arm.optimizer.name}")
    return arm


class FlatOptimizer:
    """The core optimiser's flat update (gd, momentum or adam, the same arithmetic in
    the same order), over one flat parameter buffer and its gradient buffer."""

    def __init__(self, opt: Any, flat: np.ndarray) -> None:
        self.kind = opt.name
        self.lr = float(opt.learning_rate)
        self.t = opt.t
        self.beta = getattr(opt, "beta", 0.0)
        self.b1, self.b2, self.eps = (getattr(opt, n, 0.0) for n in ("beta1", "beta2", "eps"))
        self.m, self.v = np.zeros_like(flat), np.zeros_like(flat)
        self.u, self.w = np.empty_like(flat), np.empty_like(flat)

    def step(self, P: np.ndarray, G: np.ndarray) -> None:
        self.t += 1
        u = self.u
        if self.kind == "gd":
            np.multiply(G, self.lr, out=u)
            P -= u
        elif self.kind == "momentum":
            v = self.v
            v *= self.beta
            v += G
            np.multiply(v, self.lr, out=u)
            P -= u
        else:  # adam
            m, v, w, b1, b2, t = self.m, self.v, self.w, self.b1, self.b2, self.t
            m *= b1
            np.multiply(G, 1 - b1, out=u)
            m += u
            v *= b2
            np.multiply(G, 1 - b2, out=u)  # (1 - b2) * g * g, in the core's order
            u *= G
            v += u
            np.multiply(v, 1.0 / (1 - b2**t), out=w)
            np.sqrt(w, out=w)
            w += self.eps
            np.multiply(m, 1.0 / (1 - b1**t), out=u)
            u *= self.lr
            u /= w
            P -= u


class Schedule:
    """The engine's evaluation schedule (every so many images, or steps), from where a
    fresh experiment stands."""

    def __init__(self, exp: Any) -> None:
        self.every, self.next = exp._eval_every, exp._next_eval
        self.by_images = exp.eval_every_epochs is not None

    def due(self, images: int, steps: int) -> bool:
        if self.every is None:
            return False
        clock = images if self.by_images else steps
        if clock < self.next:
            return False
        while self.next <= clock:
            self.next += self.every
        return True


def eval_sets(exp: Any) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """The splits the engine evaluates: strided train, validation, test (those present)."""
    sets = [("train", exp.x_train_eval, exp.y_train_eval)]
    for name in ("val", "test"):
        found = exp.data.split(name)
        if found is not None:
            sets.append((name, *found))
    return sets


def softmax_ce(logits: np.ndarray, y: np.ndarray, e: np.ndarray, m: np.ndarray, s: np.ndarray, rows: np.ndarray) -> float:
    """Mean softmax cross-entropy of ``logits`` at labels ``y``; leaves exp(z - max) in
    ``e`` and its row sums in ``s`` (for the gradient)."""
    np.max(logits, axis=1, keepdims=True, out=m)
    np.subtract(logits, m, out=e)
    sh_y = e[rows, y]
    np.exp(e, out=e)
    np.sum(e, axis=1, keepdims=True, out=s)
    return float(np.log(s).sum() - sh_y.sum()) / len(y)


# --------------------------------------------------------------------------------------
# surface: a point on a 2-parameter loss surface, plain gradient descent
# --------------------------------------------------------------------------------------
class FusedSurface:
    """Lessons built on ``GradientDescent`` (core/lessons/gradient_descent.py) on a
    quadratic surface (bowl, ravine: J = ½ pᵀHp) with plain gradient descent; other
    surfaces and optimisers are refused. One step: p ← p − α·g; then at the new p the
    loss, the gradient H·p, |g|, the divergence and convergence checks, the trajectory
    point (the lesson's thinning rule) and the two metrics (loss, grad_norm) recorded."""

    family = "surface"
    does = "p ← p − α·∇J on a quadratic J(p) = ½pᵀHp in float64 Python scalars; loss, |∇J|, the divergence/convergence checks and the thinned trajectory, every step"

    def __init__(self, exp: Experiment) -> None:
        from ..core.lessons import gradient_descent as gd

        if not isinstance(exp, gd.GradientDescent):
            raise Unsupported(f"the surface family's loops run lessons built on GradientDescent; {type(exp).__name__} is not one")
        _fresh(exp, "surface")
        if not isinstance(exp.surface, gd.Quadratic):
            raise Unsupported(f"the surface family's loops implement quadratic surfaces (bowl, ravine); this run's is {type(exp.surface).__name__}")
        if exp.optimizer.name != "gd":
            raise Unsupported(f"the surface family's loops implement plain gradient descent; this run uses {exp.optimizer.name}")
        self.gd = gd
        H = exp.surface.hessian
        self.h = (float(H[0, 0]), float(H[0, 1]), float(H[1, 1]))
        self.lr = float(exp.optimizer.learning_rate)
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
# mlp: Dense layers, each followed by at most one activation; softmax cross-entropy
# --------------------------------------------------------------------------------------
def mlp_layers(model: Any, family: str = "mlp") -> list[tuple[int, Any, str | None]]:
    """(index in the model, Dense, activation kind or None) for a Sequential of Dense
    layers each followed by at most one element-wise activation; else Unsupported."""
    from ..core.layers import Activation, Dense

    layers, out, i = model.layers, [], 0
    while i < len(layers):
        layer = layers[i]
        if type(layer) is not Dense:
            raise Unsupported(
                f"the {family} family's loops implement Dense layers each followed by at most one activation; "
                f"layer {i} is {layer!r}"
            )
        act = None
        if i + 1 < len(layers) and type(layers[i + 1]) is Activation:
            act = layers[i + 1].kind
            if act not in FUSED_ACTIVATIONS:
                raise Unsupported(f"the {family} family's loops implement the activations {', '.join(FUSED_ACTIVATIONS)}; layer {i + 1} is {act}")
        out.append((i, layer, act))
        i += 2 if act is not None else 1
    if not out:
        raise Unsupported(f"the {family} family needs at least one Dense layer")
    return out


class FusedMLP:
    """Any lesson whose model is a Sequential of Dense layers, each followed by at most
    one activation (tanh, relu, sigmoid, leaky_relu, linear), trained with softmax
    cross-entropy on integer labels by gd, momentum or Adam (one arm). One step: draw
    the batch, forward through every layer, softmax cross-entropy (and the batch
    accuracy when the lesson records it), backward (no gradient for the input), one
    update of all the parameters at once (one flat buffer); on the lesson's schedule,
    its evaluation (accuracy and / or loss on each split)."""

    family = "mlp"
    does = "the batch through every Dense+activation inline on preallocated buffers, softmax CE (+ batch accuracy if recorded), backward, one flat optimiser update; scheduled evaluation as the lesson's"

    def __new__(cls, exp: Experiment) -> "FusedMLP":
        """A lesson that goes through its data in epochs (it has ``epoch_order()``) gets
        ``FusedMLPEpochs``, which follows that order."""
        if cls is FusedMLP and callable(getattr(exp, "epoch_order", None)):
            return super().__new__(FusedMLPEpochs)
        return super().__new__(cls)

    def __init__(self, exp: Experiment) -> None:
        arm = supervised_arm(exp, "mlp")
        spec = mlp_layers(arm.model)
        dt = spec[0][1].params["W"].dtype
        data = exp.data  # type: ignore[attr-defined]
        if any(d.params["W"].dtype != dt for _, d, _ in spec) or data.x_train.dtype != dt or data.x_train.ndim != 2:
            raise Unsupported("the mlp family's loops need (n, features) inputs and every parameter of one dtype")
        self.exp_cls = type(exp)
        self.X, self.y = data.x_train, data.y_train.astype(np.intp)
        self.n = len(self.y)
        self.rng = copy.deepcopy(exp.batch_rng)
        self.B = B = int(exp.batch_size)  # type: ignore[attr-defined]
        self.record_accuracy = exp.record_batch_accuracy  # type: ignore[attr-defined]
        self.index = [i for i, _, _ in spec]
        self.kinds = [k for _, _, k in spec]
        shapes = [d.params["W"].shape for _, d, _ in spec]
        self.flat = np.zeros(sum(a * c + c for a, c in shapes), dtype=dt)  # every W and b, in layer order
        self.gflat = np.zeros_like(self.flat)
        self.W: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        self.gW: list[np.ndarray] = []
        self.gb: list[np.ndarray] = []
        o = 0
        for (_, d, _), (a, c) in zip(spec, shapes):
            for store, gstore, name, shape in ((self.W, self.gW, "W", (a, c)), (self.b, self.gb, "b", (c,))):
                size = int(np.prod(shape))
                view = self.flat[o : o + size].reshape(shape)
                view[...] = d.params[name]
                store.append(view)
                gstore.append(self.gflat[o : o + size].reshape(shape))
                o += size
        self.opt = FlatOptimizer(arm.optimizer, self.flat)
        self.dt = dt
        self.xb = np.empty((B, self.X.shape[1]), dtype=dt)
        self.yb = np.empty(B, dtype=np.intp)
        self.acts = [np.empty((B, c), dtype=dt) for _, c in shapes]  # each layer's output (after its activation)
        self.da = [np.empty((B, c), dtype=dt) for _, c in shapes]
        self.t = [np.empty((B, c), dtype=dt) for _, c in shapes]
        self.masks = [np.empty((B, c), dtype=bool) for _, c in shapes]
        k = shapes[-1][1]
        self.m, self.s = np.empty((B, 1), dtype=dt), np.empty((B, 1), dtype=dt)
        self.e = np.empty((B, k), dtype=dt)
        self.rows = np.arange(B)
        self.schedule = Schedule(exp)
        self.measures = exp.eval_measures  # type: ignore[attr-defined]
        self.sets = [(name, x, y.astype(np.intp)) for name, x, y in eval_sets(exp)] if self.schedule.every else []
        self.target = exp.target_accuracy  # type: ignore[attr-defined]
        self.hist = _Ring("loss", "accuracy")
        self.eval_hist = _Ring(*(f"{s}_{m}" for s, _, _ in self.sets for m in self.measures))
        self.images, self.steps = exp.samples_seen, exp.step_count  # type: ignore[attr-defined]
        self.last_eval: dict[str, float] = dict(exp.last_eval)  # type: ignore[attr-defined]
        self.converged = exp.converged
        self.loss = self.accuracy = float("nan")

    def _activate(self, z: np.ndarray, kind: str | None, t: np.ndarray, mask: np.ndarray) -> None:
        """z ← act(z) in place (the core's arithmetic)."""
        if kind == "tanh":
            np.tanh(z, out=z)
        elif kind == "relu":
            np.maximum(z, 0, out=z)
        elif kind == "leaky_relu":
            np.multiply(z, 0.01, out=t)
            np.maximum(z, t, out=z)  # = where(z > 0, z, 0.01·z)
        elif kind == "sigmoid":
            np.greater_equal(z, 0, out=mask)
            np.abs(z, out=t)
            np.negative(t, out=t)
            np.exp(t, out=t)  # e^-|z|
            np.add(t, 1.0, out=z)
            np.divide(t, z, out=t)  # e^-|z| / (1 + e^-|z|): the z < 0 branch
            np.divide(1.0, z, out=z, where=mask)  # 1 / (1 + e^-z): the z >= 0 branch
            np.logical_not(mask, out=mask)
            np.copyto(z, t, where=mask)

    def _activation_grad(self, d: np.ndarray, a: np.ndarray, kind: str | None, t: np.ndarray, mask: np.ndarray) -> None:
        """d ← d · act'(z), from the layer's output a = act(z)."""
        if kind == "tanh":
            np.multiply(a, a, out=t)
            np.subtract(1.0, t, out=t)
            d *= t
        elif kind == "relu":
            np.greater(a, 0, out=mask)
            d *= mask
        elif kind == "leaky_relu":
            np.less_equal(a, 0, out=mask)
            np.multiply(d, self.dt.type(0.01), out=d, where=mask)
        elif kind == "sigmoid":
            np.subtract(1.0, a, out=t)
            t *= a
            d *= t

    def _forward(self, x: np.ndarray, outs: list[np.ndarray], ts: list[np.ndarray], masks: list[np.ndarray]) -> np.ndarray:
        h = x
        for j, (W, b, kind) in enumerate(zip(self.W, self.b, self.kinds)):
            z = outs[j]
            np.matmul(h, W, out=z)
            z += b
            self._activate(z, kind, ts[j], masks[j])
            h = z
        return h

    def step(self, n: int = 1) -> None:
        W, gW, gb, acts, da, t, masks, kinds = self.W, self.gW, self.gb, self.acts, self.da, self.t, self.masks, self.kinds
        xb, yb, e, m, s, rows, B = self.xb, self.yb, self.e, self.m, self.s, self.rows, self.B
        L = len(W)
        inv_b = self.dt.type(1.0 / B)
        for _ in range(n):
            idx = self.rng.integers(0, self.n, B)
            np.take(self.X, idx, axis=0, out=xb)
            np.take(self.y, idx, out=yb)
            logits = self._forward(xb, acts, t, masks)
            if self.record_accuracy:
                self.accuracy = float(np.count_nonzero(logits.argmax(axis=1) == yb)) / B
            loss = softmax_ce(logits, yb, e, m, s, rows)
            d = da[L - 1]
            np.divide(e, s, out=d)
            d[rows, yb] -= 1.0
            d *= inv_b
            for j in range(L - 1, -1, -1):
                self._activation_grad(d, acts[j], kinds[j], t[j], masks[j])
                h = acts[j - 1] if j else xb
                np.matmul(h.T, d, out=gW[j])
                np.sum(d, axis=0, out=gb[j])
                if j:
                    np.matmul(d, W[j].T, out=da[j - 1])
                    d = da[j - 1]
            self.opt.step(self.flat, self.gflat)
            self.loss = loss
            self.hist.record(loss=loss, accuracy=self.accuracy)
            self.images += B
            self.steps += 1
            if self.schedule.due(self.images, self.steps):
                self._evaluate()

    def _evaluate(self) -> None:
        out = {}
        for name, x, y in self.sets:
            E, h = len(y), x
            for W, b, kind in zip(self.W, self.b, self.kinds):
                h = h @ W
                h += b
                self._activate(h, kind, np.empty_like(h), np.empty(h.shape, dtype=bool))
            if "accuracy" in self.measures:
                out[f"{name}_accuracy"] = float(np.count_nonzero(h.argmax(axis=1) == y)) / E
            if "loss" in self.measures:
                k = h.shape[1]
                out[f"{name}_loss"] = softmax_ce(h, y, np.empty((E, k), self.dt), np.empty((E, 1), self.dt), np.empty((E, 1), self.dt), np.arange(E))
        self.last_eval = out
        self.eval_hist.record(**out)
        if self.target is not None:
            self.converged = out.get("val_accuracy", float("nan")) >= self.target

    def params(self) -> dict[str, np.ndarray]:
        out = {}
        for i, W, b in zip(self.index, self.W, self.b):
            out[f"{i}.W"], out[f"{i}.b"] = W, b
        return out

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, "accuracy": self.accuracy, **self.last_eval}


class FusedMLPEpochs(FusedMLP):
    """The mlp loop for a lesson that goes through its data in epochs: each epoch a
    permutation drawn from the batch stream, cut into ⌈N/B⌉ minibatches (the last one
    smaller), and the whole training set's loss at each epoch's end, as the lesson does
    (``epoch_order()`` gives where a fresh experiment stands)."""

    does = FusedMLP.does + "; for a lesson in epochs: shuffled minibatches (the last one smaller) and the training set's loss at each epoch's end"

    def __init__(self, exp: Experiment) -> None:
        super().__init__(exp)
        perm, pos = exp.epoch_order()  # type: ignore[attr-defined]
        self.perm, self.pos = np.array(perm, dtype=np.intp), int(pos)
        history = exp.history
        self.train_loss = float(history["train_loss"].last) if "train_loss" in history else float("nan")
        self.sized: dict[int, tuple[Any, ...]] = {}

    def _buffers(self, b: int) -> tuple[Any, ...]:
        """(xb, yb, acts, da, t, masks, e, m, s, rows) for a minibatch of ``b`` rows."""
        if b == self.B:
            return self.xb, self.yb, self.acts, self.da, self.t, self.masks, self.e, self.m, self.s, self.rows
        if b not in self.sized:
            dt, widths = self.dt, [w.shape[1] for w in self.W]
            self.sized[b] = (
                np.empty((b, self.X.shape[1]), dtype=dt), np.empty(b, dtype=np.intp),
                [np.empty((b, c), dtype=dt) for c in widths], [np.empty((b, c), dtype=dt) for c in widths],
                [np.empty((b, c), dtype=dt) for c in widths], [np.empty((b, c), dtype=bool) for c in widths],
                np.empty((b, widths[-1]), dtype=dt), np.empty((b, 1), dtype=dt), np.empty((b, 1), dtype=dt), np.arange(b),
            )
        return self.sized[b]

    def step(self, n: int = 1) -> None:
        W, gW, gb, kinds = self.W, self.gW, self.gb, self.kinds
        L = len(W)
        for _ in range(n):
            end = min(self.pos + self.B, self.n)
            b = end - self.pos
            xb, yb, acts, da, t, masks, e, m, s, rows = self._buffers(b)
            idx = self.perm[self.pos : end]
            np.take(self.X, idx, axis=0, out=xb)
            np.take(self.y, idx, out=yb)
            logits = self._forward(xb, acts, t, masks)
            if self.record_accuracy:
                self.accuracy = float(np.count_nonzero(logits.argmax(axis=1) == yb)) / b
            loss = softmax_ce(logits, yb, e, m, s, rows)
            d = da[L - 1]
            np.divide(e, s, out=d)
            d[rows, yb] -= 1.0
            d *= self.dt.type(1.0 / b)
            for j in range(L - 1, -1, -1):
                self._activation_grad(d, acts[j], kinds[j], t[j], masks[j])
                h = acts[j - 1] if j else xb
                np.matmul(h.T, d, out=gW[j])
                np.sum(d, axis=0, out=gb[j])
                if j:
                    np.matmul(d, W[j].T, out=da[j - 1])
                    d = da[j - 1]
            self.opt.step(self.flat, self.gflat)
            self.loss = loss
            self.hist.record(loss=loss, accuracy=self.accuracy)
            self.images += b
            self.steps += 1
            self.pos = end
            if end >= self.n:
                self.pos = 0
                self.perm = self.rng.permutation(self.n)
                h = self.X
                for Wj, bj, kind in zip(self.W, self.b, self.kinds):
                    h = h @ Wj
                    h += bj
                    self._activate(h, kind, np.empty_like(h), np.empty(h.shape, dtype=bool))
                E, k = h.shape
                self.train_loss = softmax_ce(h, self.y, np.empty((E, k), self.dt), np.empty((E, 1), self.dt),
                                             np.empty((E, 1), self.dt), np.arange(E))
            if self.schedule.due(self.images, self.steps):
                self._evaluate()

    def metrics(self) -> dict[str, float]:
        return {**super().metrics(), "train_loss": self.train_loss}


# --------------------------------------------------------------------------------------
# cnn: Conv2D(1→F, k×k) → ReLU → MaxPool s×s → Flatten → Dense; softmax cross-entropy
# --------------------------------------------------------------------------------------
def cnn_layers(model: Any, family: str = "cnn") -> tuple[Any, int, Any]:
    """(Conv2D, pool size, Dense) of a Sequential Conv2D(1 → F) → ReLU → MaxPool2D →
    Flatten → Dense; else Unsupported."""
    from ..core.layers import Activation, Conv2D, Dense, Flatten, MaxPool2D

    layers = model.layers
    kinds = (Conv2D, Activation, MaxPool2D, Flatten, Dense)
    if len(layers) != 5 or any(type(l) is not k for l, k in zip(layers, kinds)) or layers[1].kind != "relu":
        raise Unsupported(
            f"the {family} family's loops implement Conv2D → ReLU → MaxPool2D → Flatten → Dense; this model is {model!r}"
        )
    if layers[0].c_in != 1:
        raise Unsupported(f"the {family} family's loops implement one input channel; this Conv2D has {layers[0].c_in}")
    return layers[0], layers[2].size, layers[4]


class FusedCNN:
    """Any lesson whose model is Conv2D(1 → F, k×k, same or valid) → ReLU → MaxPool
    s×s → Flatten → Dense, softmax cross-entropy on integer labels, gd / momentum /
    Adam, one arm, accuracy as its evaluation measure. One step: draw the batch and
    gather its im2col matrix straight from the padded training images with one
    precomputed index array, rows ordered (window position, image, pooled row, pooled
    column) so that the max-pool is s·s−1 maximums of contiguous blocks and the bias
    rides in the matmul as a column of ones; then ReLU, dense, softmax cross-entropy,
    backward (the first max of each window gets the gradient, as in the core; no
    gradient for the input), one update of all the parameters at once (one flat buffer).
    On the lesson's schedule, the accuracy of every split it evaluates, from im2col
    matrices of the fixed evaluation images built once."""

    family = "cnn"
    does = "im2col of the batch in one gather, conv+bias as one matmul, max-pool as block maximums, ReLU, dense, softmax CE, backward, one flat optimiser update; the scheduled accuracy of each split as the lesson's"

    def __init__(self, exp: Experiment) -> None:
        arm = supervised_arm(exp, "cnn")
        conv, s, dense = cnn_layers(arm.model)
        if tuple(exp.eval_measures) != ("accuracy",) and exp._eval_every is not None:  # type: ignore[attr-defined]
            raise Unsupported("the cnn family's loops evaluate accuracy only")
        data = exp.data  # type: ignore[attr-defined]
        dt = conv.params["W"].dtype
        if data.x_train.dtype != dt or dense.params["W"].dtype != dt:
            raise Unsupported("the cnn family's loops need the images and every parameter of one dtype")
        F, k, p = conv.c_out, conv.k, conv.pad
        Hi, Wi = data.x_train.shape[-2:]
        Pr, Pc = Hi + 2 * p, Wi + 2 * p  # the padded image
        Sr, Sc = (Pr - k + 1) // s, (Pc - k + 1) // s  # the pooled map
        K, C, Din = k * k, dense.params["W"].shape[1], F * Sr * Sc
        if dense.params["W"].shape[0] != Din:
            raise Unsupported("the Dense layer does not take the pooled maps")
        self.F, self.k, self.Sr, self.Sc, self.dt = F, k, Sr, Sc, dt
        self.y_train = data.y_train.astype(np.intp)
        self.n_train = len(self.y_train)
        self.rng = copy.deepcopy(exp.batch_rng)

        def padded(x: np.ndarray) -> np.ndarray:
            out = np.zeros((len(x), Pr, Pc), dtype=dt)
            out[:, p : p + Hi, p : p + Wi] = x[:, 0]
            return out

        self.x_flat = padded(data.x_train).reshape(-1)  # every padded training image, one after another
        self.stride = Pr * Pc
        # OFF[c, 0, (r, q), t]: where, in one padded image, kernel tap t of pooled cell (r, q)'s
        # window position c reads
        di, dj, r, q, i, j = np.ix_(range(s), range(s), range(Sr), range(Sc), range(k), range(k))
        self.OFF = ((s * r + di + i) * Pc + (s * q + dj + j)).reshape(s * s, 1, Sr * Sc, K)
        self.B = B = int(exp.batch_size)  # type: ignore[attr-defined]
        sizes = [(K + 1) * F, Din * C, C]
        o = np.cumsum([0] + sizes)
        self.flat = np.zeros(o[-1], dtype=dt)
        self.gflat = np.zeros_like(self.flat)
        self.Wc = self.flat[o[0] : o[1]].reshape(K + 1, F)  # kernel taps, then the bias row
        self.Wd = self.flat[o[1] : o[2]].reshape(Sr * Sc * F, C)  # rows in (r, q, f) order
        self.bd = self.flat[o[2] : o[3]]
        self.gWc = self.gflat[o[0] : o[1]].reshape(K + 1, F)
        self.gWd = self.gflat[o[1] : o[2]].reshape(Sr * Sc * F, C)
        self.gbd = self.gflat[o[2] : o[3]]
        self.Wc[:K] = conv.params["W"].reshape(F, K).T
        self.Wc[K] = conv.params["b"]
        self.Wd[...] = dense.params["W"].reshape(F, Sr, Sc, C).transpose(1, 2, 0, 3).reshape(-1, C)
        self.bd[...] = dense.params["b"]
        self.index = (arm.model.layers.index(conv), arm.model.layers.index(dense))
        self.opt = FlatOptimizer(arm.optimizer, self.flat)
        # training buffers
        M = s * s * B * Sr * Sc
        self.I = np.empty((s * s, B, Sr * Sc, K), dtype=np.intp)
        self.cols = np.ones((M, K + 1), dtype=dt)  # the last column stays 1 (the bias)
        self.Z = np.empty((s * s, B * Sr * Sc, F), dtype=dt)
        self.Pm = np.empty((B * Sr * Sc, F), dtype=dt)
        self.H = np.empty((B, Din), dtype=dt)
        self.mask = np.empty((B, Din), dtype=bool)
        self.hit = np.empty((B * Sr * Sc, F), dtype=bool)
        self.taken = np.empty((B * Sr * Sc, F), dtype=bool)
        self.logits = np.empty((B, C), dtype=dt)
        self.e = np.empty((B, C), dtype=dt)
        self.d = np.empty((B, C), dtype=dt)
        self.m = np.empty((B, 1), dtype=dt)
        self.ssum = np.empty((B, 1), dtype=dt)
        self.dH = np.empty((B, Din), dtype=dt)
        self.dZ = np.empty((s * s, B * Sr * Sc, F), dtype=dt)
        self.rows = np.arange(B)
        self.yb = np.empty(B, dtype=np.intp)
        # evaluation: every split's images in one im2col matrix, built once
        self.schedule = Schedule(exp)
        sets = eval_sets(exp) if self.schedule.every else []
        self.names = [name for name, _, _ in sets]
        self.bounds = np.cumsum([0] + [len(y) for _, _, y in sets])
        E = int(self.bounds[-1])
        self.y_eval = np.concatenate([y for _, _, y in sets]).astype(np.intp) if sets else np.empty(0, np.intp)
        if E:
            xe = padded(np.concatenate([x for _, x, _ in sets]))
            Ie = self.OFF + (np.arange(E) * self.stride)[None, :, None, None]
            self.cols_eval = np.ones((s * s * E * Sr * Sc, K + 1), dtype=dt)
            self.cols_eval[:, :K] = xe.reshape(-1)[Ie].reshape(-1, K)
            self.Ze = np.empty((s * s, E * Sr * Sc, F), dtype=dt)
            self.Pe = np.empty((E * Sr * Sc, F), dtype=dt)
            self.le = np.empty((E, C), dtype=dt)
        self.target = exp.target_accuracy  # type: ignore[attr-defined]
        self.images, self.steps = exp.samples_seen, exp.step_count  # type: ignore[attr-defined]
        self.hist = _Ring("loss")
        self.acc_hist = _Ring(*(f"{name}_accuracy" for name in self.names))
        self.last_eval: dict[str, float] = dict(exp.last_eval)  # type: ignore[attr-defined]
        self.converged = exp.converged
        self.loss = float("nan")

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
        out = {}
        for name, a, b in zip(self.names, self.bounds[:-1], self.bounds[1:]):
            out[f"{name}_accuracy"] = float(np.count_nonzero(hit[a:b])) / (b - a)
        self.last_eval = out
        self.acc_hist.record(**out)
        if self.target is not None:
            self.converged = out.get("val_accuracy", float("nan")) >= self.target  # judged on validation only

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
        losses = self.hist.data["loss"]
        i = self.hist.i
        for _ in range(n):
            idx = self.rng.integers(0, self.n_train, size=B)
            np.take(self.y_train, idx, out=yb)
            np.add(self.OFF, (idx * self.stride)[None, :, None, None], out=I)
            np.take(self.x_flat, I2, out=cols_x, mode="clip")  # im2col of the batch, in one gather
            # conv (+ bias) -> max-pool -> ReLU -> dense
            np.matmul(cols, self.Wc, out=Z2)
            np.maximum(Z[0], Z[1], out=Pm)
            for c in range(2, nc):
                np.maximum(Pm, Z[c], out=Pm)
            np.maximum(Pm_flat, 0, out=H)
            np.matmul(H, self.Wd, out=logits)
            logits += self.bd
            loss = softmax_ce(logits, yb, e, m, ssum, rows)
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
            self.opt.step(self.flat, self.gflat)
            losses[i & (HISTORY - 1)] = loss
            i += 1
            self.loss = loss
            self.images += B
            self.steps += 1
            if self.schedule.due(self.images, self.steps):
                self._evaluate()
        self.hist.i = i

    def params(self) -> dict[str, np.ndarray]:
        F, k, Sr, Sc = self.F, self.k, self.Sr, self.Sc
        C = self.bd.shape[0]
        ci, di = self.index
        return {
            f"{ci}.W": self.Wc[: k * k].T.reshape(F, 1, k, k),
            f"{ci}.b": self.Wc[k * k],
            f"{di}.W": self.Wd.reshape(Sr, Sc, F, C).transpose(2, 0, 1, 3).reshape(F * Sr * Sc, C),
            f"{di}.b": self.bd,
        }

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, **self.last_eval}


class FusedRNN:
    """Lessons built on ``Recurrent`` (core/lessons/recurrent.py): per step the same
    fresh batch of sequences, the RNN forward (tanh, step by step into a preallocated
    state buffer) and BPTT, the window MLP forward and backward, one Adam update of both
    nets' parameters as one flat buffer; the accuracies on the lesson's schedule."""

    family = "rnn"
    does = "RNN forward/BPTT and window MLP forward/backward on preallocated buffers, masked sigmoid CE, one flat Adam update of both nets; accuracies every EVAL_EVERY steps"

    def __init__(self, exp: Experiment) -> None:
        from ..core import rnn
        from ..core.lessons import recurrent

        if not isinstance(exp, recurrent.Recurrent):
            raise Unsupported(f"the rnn family's loops run lessons built on Recurrent; {type(exp).__name__} is not one")
        _fresh(exp, "rnn")
        self.rnn, self.lesson = rnn, recurrent
        self.names = [f"rnn.{k}" for k in exp.rnn_params] + [f"mlp.{k}" for k in exp.mlp_params]
        arrays = [*exp.rnn_params.values(), *exp.mlp_params.values()]
        dt = arrays[0].dtype
        self.flat = np.concatenate([a.ravel() for a in arrays]).astype(dt)
        self.gflat = np.zeros_like(self.flat)
        self.p: dict[str, np.ndarray] = {}
        self.g: dict[str, np.ndarray] = {}
        o = 0
        for name, a in zip(self.names, arrays):
            self.p[name] = self.flat[o : o + a.size].reshape(a.shape)
            self.g[name] = self.gflat[o : o + a.size].reshape(a.shape)
            o += a.size
        self.opt = FlatOptimizer(exp.rnn_opt, self.flat)
        self.rng = copy.deepcopy(exp.batch_rng)
        self.k, self.length, self.window = exp.values["k"], exp.values["length"], exp.values["window"]
        B, T, H = recurrent.BATCH, self.length, recurrent.HIDDEN
        self.hs = np.empty((B, T, H), dtype=dt)
        self.xw = np.empty((B, T, H), dtype=dt)
        self.tmp = np.empty((B, H), dtype=dt)
        self.da = np.empty((B, T, H), dtype=dt)
        self.zero = np.zeros((B, H), dtype=dt)
        self.x_val, self.xw_val, self.y_val, self.mask_val = exp.x_val, exp.xw_val, exp.y_val, exp.mask_val
        self.x_long, self.y_long, self.mask_long = exp.x_long, exp.y_long, exp.mask_long
        self.hist = _Ring("loss", "mlp_loss")
        self.step_count = 0
        self.loss = float("nan")
        self.last_eval: dict[str, float] = {}

    def _rnn(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> float:
        p, g = self.p, self.g
        Wx, Wh, b, v, c = p["rnn.Wx"], p["rnn.Wh"], p["rnn.b"], p["rnn.v"], p["rnn.c"]
        hs, xw, tmp, da = self.hs, self.xw, self.tmp, self.da
        np.multiply(x[:, :, None], Wx[0], out=xw)
        xw += b
        h = self.zero
        for t in range(hs.shape[1]):
            np.matmul(h, Wh, out=tmp)
            tmp += xw[:, t]
            np.tanh(tmp, out=hs[:, t])
            h = hs[:, t]
        logits = hs @ v + c[0]
        loss, dl = self.rnn.bce_with_logits(logits, y, mask)
        np.einsum("bth,bt->h", hs, dl, out=g["rnn.v"])
        g["rnn.c"][0] = dl.sum()
        dh_out = dl[:, :, None] * v
        dh_next = self.zero
        WhT = Wh.T
        for t in range(hs.shape[1] - 1, -1, -1):
            d = da[:, t]
            np.add(dh_out[:, t], dh_next, out=d)
            np.multiply(hs[:, t], hs[:, t], out=tmp)
            np.subtract(1.0, tmp, out=tmp)
            d *= tmp
            dh_next = d @ WhT
        g["rnn.Wh"][...] = np.einsum("bti,btj->ij", hs[:, :-1], da[:, 1:])
        g["rnn.Wx"][...] = np.einsum("bti,btj->ij", x[:, :, None], da)
        np.sum(da, axis=(0, 1), out=g["rnn.b"])
        return loss

    def _mlp(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> float:
        p, g, rnn = self.p, self.g, self.rnn
        q = {k: p[f"mlp.{k}"] for k in ("W1", "b1", "v", "c")}
        xw = rnn.windows(x, self.window)
        h, logits = rnn.mlp_forward(q, xw)
        loss, dl = rnn.bce_with_logits(logits, y, mask)
        for k, grad in rnn.mlp_backward(q, xw, h, dl).items():
            g[f"mlp.{k}"][...] = grad
        return loss

    def step(self, n: int = 1) -> None:
        lesson = self.lesson
        for _ in range(n):
            x, y, mask = lesson.recall_task(self.rng, lesson.BATCH, self.length, self.k)
            self.loss = self._rnn(x, y, mask)
            self.mlp_loss = self._mlp(x, y, mask)
            self.opt.step(self.flat, self.gflat)
            self.hist.record(loss=self.loss, mlp_loss=self.mlp_loss)
            self.step_count += 1
            if self.step_count % lesson.EVAL_EVERY == 0:
                self._evaluate()

    def _evaluate(self) -> None:
        rnn, p, acc = self.rnn, self.p, self.lesson.accuracy
        net = {k[4:]: v for k, v in p.items() if k.startswith("rnn.")}
        _, logits = rnn.rnn_forward(net, self.x_val)
        _, mlogits = rnn.mlp_forward({k[4:]: v for k, v in p.items() if k.startswith("mlp.")}, self.xw_val)
        _, long_logits = rnn.rnn_forward(net, self.x_long)
        self.last_eval = {"rnn_accuracy": acc(logits, self.y_val, self.mask_val),
                          "mlp_accuracy": acc(mlogits, self.y_val, self.mask_val),
                          "rnn_long_accuracy": acc(long_logits, self.y_long, self.mask_long)}

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, "mlp_loss": self.mlp_loss, **self.last_eval}

    def params(self) -> dict[str, np.ndarray]:
        return dict(self.p)


class FusedAutoencoder:
    """Lessons built on ``Autoencoder`` (core/lessons/autoencoder.py): Dense layers, each
    followed by tanh or nothing, as one flat parameter buffer; per step the same batch,
    forward into preallocated buffers, MSE against the input, backward (no input
    gradient), one flat Adam update; the test loss on the lesson's schedule."""

    family = "autoencoder"
    does = "Dense(+tanh) layers inline on preallocated buffers, MSE against the input, backward, one flat Adam update; test loss every EVAL_EVERY steps"

    def __init__(self, exp: Experiment) -> None:
        from ..core.layers import Activation, Dense
        from ..core.lessons import autoencoder

        if not isinstance(exp, autoencoder.Autoencoder):
            raise Unsupported(f"the autoencoder family's loops run lessons built on Autoencoder; {type(exp).__name__} is not one")
        _fresh(exp, "autoencoder")
        self.lesson = autoencoder
        spec: list[tuple[int, Any, bool]] = []  # (layer index, Dense, followed by tanh)
        layers = exp.model.layers
        for i, layer in enumerate(layers):
            if isinstance(layer, Dense):
                nxt = layers[i + 1] if i + 1 < len(layers) else None
                spec.append((i, layer, isinstance(nxt, Activation) and nxt.kind == "tanh"))
            elif not (isinstance(layer, Activation) and layer.kind == "tanh"):
                raise Unsupported(f"the autoencoder family's loops implement Dense and tanh layers, not {layer.name}")
        dt = spec[0][1].params["W"].dtype
        shapes = [d.params["W"].shape for _, d, _ in spec]
        self.flat = np.zeros(sum(a * c + c for a, c in shapes), dtype=dt)
        self.gflat = np.zeros_like(self.flat)
        self.W, self.b, self.gW, self.gb, self.names = [], [], [], [], []
        o = 0
        for (i, d, _), (a, c) in zip(spec, shapes):
            for store, gstore, name, shape in ((self.W, self.gW, "W", (a, c)), (self.b, self.gb, "b", (c,))):
                size = a * c if name == "W" else c
                view = self.flat[o : o + size].reshape(shape)
                view[...] = d.params[name]
                store.append(view)
                gstore.append(self.gflat[o : o + size].reshape(shape))
                self.names.append(f"{i}.{name}")
                o += size
        self.tanh = [t for _, _, t in spec]
        self.opt = FlatOptimizer(exp.optimizer, self.flat)
        self.rng = copy.deepcopy(exp.batch_rng)
        self.x_train, self.x_test = exp.x_train, exp.x_test
        B = autoencoder.BATCH
        self.acts = [np.empty((B, c), dtype=dt) for _, c in shapes]
        self.da = [np.empty((B, c), dtype=dt) for _, c in shapes]
        self.tmp = [np.empty((B, c), dtype=dt) for _, c in shapes]
        self.diff = np.empty((B, shapes[-1][1]), dtype=dt)
        self.hist = _Ring("loss")
        self.step_count = 0
        self.loss = float("nan")
        self.last_eval: dict[str, float] = {}

    def step(self, n: int = 1) -> None:
        W, b, gW, gb, acts, da, tmp, tanh = self.W, self.b, self.gW, self.gb, self.acts, self.da, self.tmp, self.tanh
        L = len(W)
        for _ in range(n):
            xb = self.x_train[self.rng.integers(0, len(self.x_train), self.lesson.BATCH)]
            h = xb
            for j in range(L):
                np.matmul(h, W[j], out=acts[j])
                acts[j] += b[j]
                if tanh[j]:
                    np.tanh(acts[j], out=acts[j])
                h = acts[j]
            diff = self.diff
            np.subtract(h, xb, out=diff)
            self.loss = float(np.mean(diff * diff))
            g = da[L - 1]
            np.multiply(diff, 2.0 / diff.size, out=g)
            for j in range(L - 1, -1, -1):
                if tanh[j]:
                    np.multiply(acts[j], acts[j], out=tmp[j])
                    np.subtract(1.0, tmp[j], out=tmp[j])
                    g *= tmp[j]
                inp = acts[j - 1] if j else xb
                np.matmul(inp.T, g, out=gW[j])
                np.sum(g, axis=0, out=gb[j])
                if j:
                    np.matmul(g, W[j].T, out=da[j - 1])
                    g = da[j - 1]
            self.opt.step(self.flat, self.gflat)
            self.hist.record(loss=self.loss)
            self.step_count += 1
            if self.step_count % self.lesson.EVAL_EVERY == 0:
                h = self.x_test
                for j in range(L):
                    h = h @ W[j] + b[j]
                    if tanh[j]:
                        h = np.tanh(h)
                self.last_eval = {"test_loss": float(np.mean((h - self.x_test) ** 2))}

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, **self.last_eval}

    def params(self) -> dict[str, np.ndarray]:
        return dict(zip(self.names, (a for pair in zip(self.W, self.b) for a in pair)))


# --------------------------------------------------------------------------------------
# arms: several MLPs trained in lockstep on the same batches (engine Arms)
# --------------------------------------------------------------------------------------
ARMS_LOSSES = ("mse", "softmax_ce", "bce")


def lockstep_spec(exp: Any) -> dict[str, Any]:
    """What a lesson of the arms family declares beyond its arms (``lockstep()``, optional):
    "batch": "full" when every step trains on every training row in order (default: the
    engine's minibatch of ``batch_size`` rows drawn from ``batch_rng``); "inputs": {arm
    name: the training inputs that arm reads} when arms read different columns (default:
    ``data.x_train``). A lesson that replaces the engine's ``_train_step`` must declare it
    (an empty dict says the engine's batches are kept). A lesson of one arm is refused:
    a single model is the mlp family's."""
    from ..core.engine import SupervisedExperiment

    if not isinstance(exp, SupervisedExperiment):
        raise Unsupported(f"the arms family's loops run supervised lessons (SupervisedExperiment); {type(exp).__name__} is not one")
    if len(exp.arms) < 2:
        raise Unsupported(
            f"the arms family's loops implement several arms trained in lockstep; {type(exp).__name__} trains one model "
            "(a single model's lesson is the mlp family's)"
        )
    declared = getattr(exp, "lockstep", None)
    if callable(declared):
        spec = dict(declared())
        unknown = set(spec) - {"batch", "inputs"}
        if unknown or spec.get("batch", "engine") not in ("engine", "full"):
            raise Unsupported(f"the arms family's loops implement lockstep() keys batch ('engine' or 'full') and inputs; got {spec}")
        return spec
    if type(exp)._train_step is not SupervisedExperiment._train_step:
        raise Unsupported(
            f"the arms family's loops implement the engine's lockstep step; {type(exp).__name__} replaces _train_step "
            "without declaring lockstep() (its batches and each arm's inputs)"
        )
    return {}


def arm_blocks(model: Any) -> list[tuple[int, Any, str | None, Any]]:
    """(index in the model, Dense, activation kind / "softmax" / None, Dropout or None)
    for a Sequential of Dense layers, each followed by at most one activation (or a
    Softmax) and at most one Dropout; else Unsupported."""
    from ..core.layers import Activation, Dense, Dropout, Softmax

    layers, out, i = model.layers, [], 0
    while i < len(layers):
        dense = layers[i]
        if type(dense) is not Dense:
            raise Unsupported(
                "the arms family's loops implement Dense layers, each followed by at most one activation "
                f"(or Softmax) and one Dropout; layer {i} is {dense!r}"
            )
        i += 1
        act = None
        if i < len(layers) and type(layers[i]) is Activation:
            act = layers[i].kind
            if act not in FUSED_ACTIVATIONS:
                raise Unsupported(f"the arms family's loops implement the activations {', '.join(FUSED_ACTIVATIONS)}; layer {i} is {act}")
            i += 1
        elif i < len(layers) and type(layers[i]) is Softmax:
            act, i = "softmax", i + 1
        drop = None
        if i < len(layers) and type(layers[i]) is Dropout:
            drop, i = layers[i], i + 1
        out.append((i, dense, act, drop))
    return [(model.layers.index(d), d, a, p) for _, d, a, p in out]


class _ArmLoop:
    """One arm of a lockstep lesson, fused: its Dense (+ activation or softmax, + dropout)
    blocks on preallocated buffers for a batch of B rows, every parameter in one flat
    buffer, its loss (MSE; softmax cross-entropy on integer labels or one-hot rows; binary
    cross-entropy on logits) and its flat optimiser. Dropout masks are drawn from
    ``rngs`` (copies of the layers' own streams), as the core's Dropout draws them."""

    _activate = FusedMLP._activate
    _activation_grad = FusedMLP._activation_grad

    def __init__(self, arm: Any, B: int, y: np.ndarray, rngs: dict[int, np.random.Generator]) -> None:
        spec = arm_blocks(arm.model)
        if arm.loss.name not in ARMS_LOSSES:
            raise Unsupported(f"the arms family's loops implement the losses {', '.join(ARMS_LOSSES)}; arm {arm.name!r} uses {arm.loss.name}")
        if arm.optimizer.name not in ("gd", "momentum", "adam"):
            raise Unsupported(f"the arms family's loops implement gd, momentum and adam; arm {arm.name!r} uses {arm.optimizer.name}")
        self.name, self.loss_kind = arm.name, arm.loss.name
        if self.loss_kind in ("mse", "bce") and y.ndim != 2:
            raise Unsupported(f"the arms family's loops implement {self.loss_kind} on (n, outputs) targets")
        self.dt = dt = spec[0][1].params["W"].dtype
        self.index = [i for i, _, _, _ in spec]
        self.kinds = [k for _, _, k, _ in spec]
        self.drops = [(p.rate, rngs[id(p)]) if p is not None and p.rate > 0 else None for _, _, _, p in spec]
        shapes = [d.params["W"].shape for _, d, _, _ in spec]
        self.flat = np.zeros(sum(a * c + c for a, c in shapes), dtype=dt)
        self.gflat = np.zeros_like(self.flat)
        self.W, self.b, self.gW, self.gb = [], [], [], []
        o = 0
        for (_, d, _, _), (a, c) in zip(spec, shapes):
            for store, gstore, name, shape in ((self.W, self.gW, "W", (a, c)), (self.b, self.gb, "b", (c,))):
                size = a * c if name == "W" else c
                view = self.flat[o : o + size].reshape(shape)
                view[...] = d.params[name]
                store.append(view)
                gstore.append(self.gflat[o : o + size].reshape(shape))
                o += size
        self.opt = FlatOptimizer(arm.optimizer, self.flat)
        self.acts = [np.empty((B, c), dtype=dt) for _, c in shapes]  # each block's activation output
        self.outs = [np.empty((B, c), dtype=dt) if p else a for (_, c), p, a in zip(shapes, self.drops, self.acts)]  # after dropout
        self.keep = [np.empty((B, c), dtype=bool) if p else None for (_, c), p in zip(shapes, self.drops)]
        self.mask = [np.empty((B, c), dtype=dt) if p else None for (_, c), p in zip(shapes, self.drops)]
        self.da = [np.empty((B, c), dtype=dt) for _, c in shapes]
        self.t = [np.empty((B, c), dtype=dt) for _, c in shapes]
        self.masks = [np.empty((B, c), dtype=bool) for _, c in shapes]
        self.red = [np.empty((B, 1), dtype=dt) for _ in shapes]
        k = shapes[-1][1]
        self.diff_dt = np.result_type(dt, y.dtype)  # MSE: pred − target in the core's dtype
        self.e = np.empty((B, k), dtype=dt)
        self.sq = np.empty((B, k), dtype=self.diff_dt)
        self.m, self.s = np.empty((B, 1), dtype=dt), np.empty((B, 1), dtype=dt)
        self.rows = np.arange(B)
        self.onehot = y.ndim == 2  # softmax CE against one-hot rows
        self.loss = self.accuracy = float("nan")

    def _softmax(self, z: np.ndarray, m: np.ndarray) -> None:
        """z ← softmax(z) over its rows, in place (the core's arithmetic)."""
        np.max(z, axis=1, keepdims=True, out=m)
        z -= m
        np.exp(z, out=z)
        np.sum(z, axis=1, keepdims=True, out=m)
        z /= m

    def _forward(self, x: np.ndarray) -> np.ndarray:
        h = x
        for j, (W, b, kind, drop) in enumerate(zip(self.W, self.b, self.kinds, self.drops)):
            z = self.acts[j]
            np.matmul(h, W, out=z)
            z += b
            if kind == "softmax":
                self._softmax(z, self.red[j])
            else:
                self._activate(z, kind, self.t[j], self.masks[j])
            if drop is not None:
                rate, rng = drop
                keep, mask = self.keep[j], self.mask[j]
                np.less(rng.random(z.shape), 1.0 - rate, out=keep)
                np.copyto(mask, keep)
                mask /= self.dt.type(1.0 - rate)
                np.multiply(z, mask, out=self.outs[j])
                z = self.outs[j]
            h = z
        return h

    def _loss_grad(self, out: np.ndarray, yb: np.ndarray, d: np.ndarray) -> float:
        """The loss of ``out`` at the targets ``yb``; its gradient in ``d``."""
        if self.loss_kind == "mse":
            if self.diff_dt == self.dt:
                np.subtract(out, yb, out=d)
                np.multiply(d, d, out=self.sq)
                loss = float(np.add.reduce(self.sq, axis=None)) / d.size  # np.mean's sum, then the division
                d *= 2.0 / d.size
                return loss
            diff = out - yb
            d[...] = (2.0 / diff.size) * diff
            return float(np.mean(diff**2))
        if self.loss_kind == "bce":
            a = np.abs(out)
            loss = float(np.mean(np.maximum(out, 0) - out * yb + np.log1p(np.exp(-a))))
            np.copyto(d, out)
            self._activate(d, "sigmoid", self.e, self.masks[-1])  # d ← sigmoid(z)
            d -= yb
            d /= out.size
            return loss
        e, m, s, n = self.e, self.m, self.s, len(yb)
        if self.onehot:
            np.max(out, axis=1, keepdims=True, out=m)
            np.subtract(out, m, out=e)
            np.exp(e, out=d)
            np.sum(d, axis=1, keepdims=True, out=s)
            np.log(s, out=s)
            e -= s  # log p
            loss = float(-(yb.astype(self.dt) * e).sum() / n)
            np.exp(e, out=d)
            d -= yb
            d /= n
            return loss
        loss = softmax_ce(out, yb, e, m, s, self.rows)
        np.divide(e, s, out=d)
        d[self.rows, yb] -= 1.0
        d *= self.dt.type(1.0 / n)
        return loss

    def train(self, xb: np.ndarray, yb: np.ndarray, record_accuracy: bool) -> None:
        """Forward, loss, backward and one update on the batch (xb, yb)."""
        W, gW, gb, acts, outs, da, t, masks, kinds = self.W, self.gW, self.gb, self.acts, self.outs, self.da, self.t, self.masks, self.kinds
        L = len(W)
        out = self._forward(xb)
        if record_accuracy:
            self.accuracy = float(np.mean(out.argmax(axis=1) == yb))
        d = da[L - 1]
        self.loss = self._loss_grad(out, yb, d)
        for j in range(L - 1, -1, -1):
            if self.drops[j] is not None:
                d *= self.mask[j]
            if kinds[j] == "softmax":
                y, r = acts[j], self.red[j]
                np.multiply(d, y, out=t[j])
                np.sum(t[j], axis=1, keepdims=True, out=r)
                d -= r
                d *= y
            else:
                self._activation_grad(d, acts[j], kinds[j], t[j], masks[j])
            h = outs[j - 1] if j else xb
            np.matmul(h.T, d, out=gW[j])
            np.add.reduce(d, axis=0, out=gb[j])  # np.sum's reduction, without its Python wrapper
            if j:
                self._input_grad(j, d, da[j - 1])
                d = da[j - 1]
        self.opt.step(self.flat, self.gflat)

    def _input_grad(self, j: int, d: np.ndarray, out: np.ndarray) -> None:
        """The gradient into layer j's input: d·W[j]ᵀ into ``out``."""
        np.matmul(d, self.W[j].T, out=out)

    def evaluate(self, x: np.ndarray, y: np.ndarray, measures: tuple[str, ...]) -> dict[str, float]:
        """The engine's evaluation measures of this arm on (x, y) (no dropout)."""
        h = x
        for W, b, kind in zip(self.W, self.b, self.kinds):
            h = h @ W
            h += b
            if kind == "softmax":
                self._softmax(h, np.empty((len(h), 1), dtype=h.dtype))
            else:
                self._activate(h, kind, np.empty_like(h), np.empty(h.shape, dtype=bool))
        out: dict[str, float] = {}
        if "accuracy" in measures:
            out["accuracy"] = float(np.mean(h.argmax(axis=1) == y))
        if "loss" in measures:
            if self.loss_kind == "mse":
                out["loss"] = float(np.mean((h - y) ** 2))
            elif self.loss_kind == "bce":
                out["loss"] = float(np.mean(np.maximum(h, 0) - h * y + np.log1p(np.exp(-np.abs(h)))))
            else:
                E, k = h.shape
                if y.ndim == 2:
                    z = h - h.max(axis=1, keepdims=True)
                    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
                    out["loss"] = float(-(y.astype(h.dtype) * logp).sum() / E)
                else:
                    out["loss"] = softmax_ce(h, y.astype(np.intp), np.empty((E, k), self.dt), np.empty((E, 1), self.dt),
                                             np.empty((E, 1), self.dt), np.arange(E))
        return out


class FusedArms:
    """Lessons that train several MLPs in lockstep (``SupervisedExperiment`` with several
    ``Arm``s, e.g. deep vs shallow, integer vs one-hot): every arm a Sequential of Dense
    layers each followed by at most one activation, trained by MSE or softmax
    cross-entropy with gd, momentum or Adam (each arm its own). One step: one batch (the
    engine's minibatch from the lesson's batch stream, or every row when the lesson's
    ``lockstep()`` says "full"), and for each arm in order: forward inline on its
    preallocated buffers, its loss, backward (no input gradient), one flat update; on the
    lesson's schedule, every arm's evaluation on every split."""

    family = "arms"
    does = "one shared batch; per arm: Dense+activation inline on preallocated buffers, MSE or softmax CE, backward, one flat optimiser update; scheduled evaluation of every arm as the lesson's"

    def __new__(cls, exp: Experiment) -> Any:
        """``FusedArms(exp)``: the lesson's own loop when ``lockstep_loop`` names one."""
        loop = lockstep_loop(exp) if cls is FusedArms else None
        if loop is None:
            return object.__new__(cls)
        if issubclass(loop, FusedArms):
            return object.__new__(loop)
        return loop(exp)  # not a FusedArms: built here (Python then skips FusedArms.__init__)

    def __init__(self, exp: Experiment) -> None:
        spec = lockstep_spec(exp)
        _fresh(exp, "arms")
        if callable(getattr(exp, "epoch_order", None)):
            raise Unsupported("the arms family's loops implement the engine's minibatches or full batches, not epochs")
        data = exp.data  # type: ignore[attr-defined]
        arms = exp.arms  # type: ignore[attr-defined]
        self.full = spec.get("batch") == "full"
        inputs = spec.get("inputs", {})
        self.schedule = Schedule(exp)
        if inputs and self.schedule.every:
            raise Unsupported("the arms family's loops evaluate arms that read the same inputs")
        self.n = n = len(data.y_train)
        self.B = B = n if self.full else int(exp.batch_size)  # type: ignore[attr-defined]
        self.y = data.y_train.astype(np.intp) if data.y_train.ndim == 1 else data.y_train
        # the batch stream and every Dropout's stream, copied at once (streams shared stay shared)
        drops = [p for arm in arms for _, _, _, p in arm_blocks(arm.model) if p is not None]
        streams = copy.deepcopy({"batch": exp.batch_rng, **{id(p): p.rng for p in drops}})  # type: ignore[attr-defined]
        self.arms = [_ArmLoop(arm, B, self.y, streams) for arm in arms]
        self.X = [np.ascontiguousarray(inputs.get(arm.name, data.x_train)) for arm in arms]
        for x, loop in zip(self.X, self.arms):
            if x.ndim != 2 or x.dtype != loop.dt:
                raise Unsupported("the arms family's loops need (n, features) inputs of the parameters' dtype")
        self.xb = [np.empty((B, x.shape[1]), dtype=x.dtype) for x in self.X]
        self.yb = np.empty((B, *self.y.shape[1:]), dtype=self.y.dtype)
        self.rng = streams["batch"]
        self.prefixes = [""] if len(arms) == 1 else [f"{arm.name}/" for arm in arms]
        self.record_accuracy = exp.record_batch_accuracy  # type: ignore[attr-defined]
        self.measures = exp.eval_measures  # type: ignore[attr-defined]
        self.sets = [(name, x, y.astype(np.intp) if y.ndim == 1 else y) for name, x, y in eval_sets(exp)] if self.schedule.every else []
        self.target = exp.target_accuracy  # type: ignore[attr-defined]
        self.hist = _Ring(*(p + "loss" for p in self.prefixes))
        self.images, self.steps = exp.samples_seen, exp.step_count  # type: ignore[attr-defined]
        self.last_eval: dict[str, float] = dict(exp.last_eval)  # type: ignore[attr-defined]
        self.converged = exp.converged
        self.loss = float("nan")

    def step(self, n: int = 1) -> None:
        arms, X, xbs, yb, B = self.arms, self.X, self.xb, self.yb, self.B
        keys = [p + "loss" for p in self.prefixes]
        rings = [self.hist.data[k] for k in keys]
        record_accuracy = self.record_accuracy
        for _ in range(n):
            if self.full:
                batch_x, batch_y = X, self.y
            else:
                idx = self.rng.integers(0, self.n, size=B)
                for x, xb in zip(X, xbs):
                    np.take(x, idx, axis=0, out=xb)
                np.take(self.y, idx, axis=0, out=yb)
                batch_x, batch_y = xbs, yb
            j = self.hist.i & (HISTORY - 1)
            for loop, xb, ring in zip(arms, batch_x, rings):
                loop.train(xb, batch_y, record_accuracy)
                ring[j] = loop.loss
            self.hist.i += 1
            self.images += B
            self.steps += 1
            if self.schedule.due(self.images, self.steps):
                self._evaluate()
        self.loss = arms[0].loss

    def _evaluate(self) -> None:
        out: dict[str, float] = {}
        for loop, prefix in zip(self.arms, self.prefixes):
            for name, x, y in self.sets:
                for measure, value in loop.evaluate(x, y, self.measures).items():
                    out[f"{prefix}{name}_{measure}"] = value
        self.last_eval = out
        if self.target is not None:
            self.converged = all(out.get(f"{p}val_accuracy", float("nan")) >= self.target for p in self.prefixes)

    def params(self) -> dict[str, np.ndarray]:
        out = {}
        for loop, prefix in zip(self.arms, self.prefixes):
            for i, W, b in zip(loop.index, loop.W, loop.b):
                out[f"{prefix}{i}.W"], out[f"{prefix}{i}.b"] = W, b
        return out

    def metrics(self) -> dict[str, float]:
        out = {}
        for loop, prefix in zip(self.arms, self.prefixes):
            out[prefix + "loss"] = loop.loss
            if self.record_accuracy:
                out[prefix + "accuracy"] = loop.accuracy
        return {**out, **self.last_eval}


# --------------------------------------------------------------------------------------
# arms, lesson by lesson: lockstep lessons whose step does more than the engine's arms
# (dropout: its own evaluation; cross-entropy: its own losses on the probabilities)
# --------------------------------------------------------------------------------------
def lockstep_loop(exp: Experiment) -> type | None:
    """The arms family's loop of a lockstep lesson with its own evaluation or losses
    (``FusedDropoutArms``, ``FusedLossPair``), or None: the generic ``FusedArms``."""
    from ..core.lessons.cross_entropy import CrossEntropyLesson
    from ..core.lessons.dropout import DropoutLesson

    if isinstance(exp, DropoutLesson):
        return FusedDropoutArms
    if isinstance(exp, CrossEntropyLesson):
        return FusedLossPair
    return None


class _CoreOrderArmLoop(_ArmLoop):
    """An arm loop whose softmax cross-entropy (on integer labels) and input gradients
    take the core's very operations: p = exp(z − max − log Σ exp(z − max)), and the
    backward product with a contiguous copy of Wᵀ (``Dense.backward``). An Adam-trained
    arm with many near-zero gradients (dead ReLU units, dropped units) divides them by
    their own size: differences in the last bit of a gradient then become visible in
    the weights, so this arm must round as the core does."""

    def __init__(self, arm: Any, B: int, y: np.ndarray, rngs: dict[int, np.random.Generator]) -> None:
        super().__init__(arm, B, y, rngs)
        self.WT = [np.empty(W.shape[::-1], dtype=self.dt) for W in self.W]

    def _loss_grad(self, out: np.ndarray, yb: np.ndarray, d: np.ndarray) -> float:
        if self.loss_kind != "softmax_ce" or self.onehot:
            return super()._loss_grad(out, yb, d)
        e, m, s, rows, n = self.e, self.m, self.s, self.rows, len(yb)
        np.max(out, axis=1, keepdims=True, out=m)
        np.subtract(out, m, out=e)
        np.exp(e, out=d)
        np.sum(d, axis=1, keepdims=True, out=s)
        np.log(s, out=s)
        e -= s  # log p
        loss = float(-e[rows, yb].sum() / n)
        np.exp(e, out=d)
        d[rows, yb] -= 1.0
        d /= n
        return loss

    def _input_grad(self, j: int, d: np.ndarray, out: np.ndarray) -> None:
        np.copyto(self.WT[j], self.W[j].T)  # Dense.backward's contiguous copy of Wᵀ
        np.matmul(d, self.WT[j], out=out)


class FusedDropoutArms(FusedArms):
    """Lesson 14 (dropout): the arms loop (the plain and the dropout net on the same
    minibatches, masks drawn from a copy of the lesson's mask stream), and at each
    scheduled evaluation also what the lesson evaluates beyond the engine: each arm's
    test-minus-train loss gap, and the dropout net's distance to the average of SUBNETS
    sampled subnetworks on the first ENSEMBLE_POINTS test points (masks from the
    lesson's per-evaluation stream, sample after sample, on preallocated buffers; the
    layers before the first dropout run once)."""

    does = ("the arms loop (softmax CE and the input gradients in the core's order of operations), and at each evaluation "
            "each arm's loss gap and the dropout net's average of sampled subnetworks, on preallocated buffers")

    def __init__(self, exp: Experiment) -> None:
        from ..core.lessons import dropout

        super().__init__(exp)
        # the arms again, rounding as the core does, on the same (copied) mask streams
        arms = exp.arms  # type: ignore[attr-defined]
        streams = {id(p): drop[1] for arm, loop in zip(arms, self.arms)
                   for (_, _, _, p), drop in zip(arm_blocks(arm.model), loop.drops) if drop is not None}
        self.arms = [_CoreOrderArmLoop(arm, self.B, self.y, streams) for arm in arms]
        self.seed = int(exp.seed)
        self.arm_names = [arm.name for arm in exp.arms]  # type: ignore[attr-defined]
        self.samples = dropout.SUBNETS if exp.values["rate"] > 0 else 0
        x_test = exp.data.x_test  # type: ignore[attr-defined]
        self.x_ens = np.ascontiguousarray(x_test[: dropout.ENSEMBLE_POINTS])
        loop = self.arms[self.arm_names.index("dropout")]
        self.ens_loop = loop
        n = len(self.x_ens)
        widths = [W.shape[1] for W in loop.W]
        self.first = next((j for j, d in enumerate(loop.drops) if d is not None), len(widths))
        dt = loop.dt
        self.ens_z = [np.empty((n, c), dtype=dt) for c in widths]
        self.ens_out = [np.empty((n, c), dtype=dt) for c in widths]
        self.ens_keep = [np.empty((n, c), dtype=bool) for c in widths]
        self.ens_mask = [np.empty((n, c), dtype=dt) for c in widths]
        self.ens_t = [np.empty((n, c), dtype=dt) for c in widths]
        self.ens_b = [np.empty((n, c), dtype=bool) for c in widths]
        k = widths[-1]
        self.ens_p = np.empty((n, k))
        self.ens_total = np.empty((n, k))
        self.ens_m = np.empty((n, 1))

    def _softmax64(self, z: np.ndarray, out: np.ndarray) -> np.ndarray:
        """out ← softmax(float64(z)) over rows (core.activations.softmax's arithmetic)."""
        m = self.ens_m
        np.copyto(out, z)
        np.max(out, axis=1, keepdims=True, out=m)
        out -= m
        np.exp(out, out=out)
        np.sum(out, axis=1, keepdims=True, out=m)
        out /= m
        return out

    def _ensemble_gap(self) -> float:
        """mean |p_eval − p_avg| of the dropout net on the ensemble points (the lesson's
        ``ensemble_gap`` with its stream for this evaluation)."""
        loop, x, L, first = self.ens_loop, self.x_ens, len(self.ens_loop.W), self.first
        W, b, kinds, drops = loop.W, loop.b, loop.kinds, loop.drops
        zs, outs, ts, bs = self.ens_z, self.ens_out, self.ens_t, self.ens_b
        rng = np.random.default_rng([self.seed, self.steps - 1])  # the lesson's step_count during its step
        h = x
        for j in range(min(first + 1, L)):  # up to the first dropout: the same in every subnetwork
            np.matmul(h, W[j], out=zs[j])
            zs[j] += b[j]
            loop._activate(zs[j], kinds[j], ts[j], bs[j])
            h = zs[j]
        total, p = self.ens_total, self.ens_p
        total.fill(0.0)
        for _ in range(self.samples):
            h = zs[first]
            for j in range(first, L):
                z = zs[j]
                if j > first:
                    np.matmul(h, W[j], out=z)
                    z += b[j]
                    loop._activate(z, kinds[j], ts[j], bs[j])
                drop = drops[j]
                if drop is not None:
                    keep, mask = self.ens_keep[j], self.ens_mask[j]
                    np.less(rng.random(z.shape), 1.0 - drop[0], out=keep)
                    np.copyto(mask, keep)
                    mask /= loop.dt.type(1.0 - drop[0])
                    np.multiply(z, mask, out=outs[j])
                    z = outs[j]
                h = z
            total += self._softmax64(h, p)
        total /= self.samples
        h = x
        for j in range(L):  # the net as evaluated
            np.matmul(h, W[j], out=zs[j])
            zs[j] += b[j]
            loop._activate(zs[j], kinds[j], ts[j], bs[j])
            h = zs[j]
        self._softmax64(h, p)
        p -= total
        np.abs(p, out=p)
        return float(np.mean(p))

    def _evaluate(self) -> None:
        super()._evaluate()
        out = self.last_eval
        for name in self.arm_names:
            out[f"{name}/gap"] = out[f"{name}/test_loss"] - out[f"{name}/train_loss"]
        if self.samples:
            out["dropout/ensemble_gap"] = self._ensemble_gap()


class FusedLossPair:
    """Lesson 15 (cross-entropy): two linear classifiers (one logit and a sigmoid, or
    three and a softmax) from the same confidently wrong weights, trained by gradient
    descent on the same minibatches, one by the squared (or absolute) error of the
    probabilities and one by cross-entropy, both on integer labels, the losses in
    float64 on the float32 logits as the lesson's. One step: the batch, and per arm its
    logits, the probabilities once (for the loss, its logit gradient, the batch accuracy
    and mean probability of the true class), the parameter gradient, one flat update; on
    the lesson's schedule, each arm's training and test accuracy."""

    family = "arms"
    does = ("one shared batch; per arm: logits, the probabilities once (float64), the squared / absolute "
            "error or cross-entropy and its logit gradient, batch accuracy and p(true), one flat update; scheduled accuracies")

    def __init__(self, exp: Experiment) -> None:
        from ..core.layers import Dense
        from ..core.lessons import cross_entropy as ce

        if not isinstance(exp, ce.CrossEntropyLesson):
            raise Unsupported(f"the arms family's loss-pair loop runs the cross-entropy lesson; {type(exp).__name__} is not one")
        _fresh(exp, "arms")
        kinds = {ce.SquaredError: "mse", ce.AbsoluteError: "mae", ce.CrossEntropy: "ce"}
        self.names, self.losses, self.opts = [], [], []
        self.W, self.b, self.gW, self.gb, self.flat, self.gflat = [], [], [], [], [], []
        for arm in exp.arms:
            layers = arm.model.layers
            if len(layers) != 1 or type(layers[0]) is not Dense or type(arm.loss) not in kinds or arm.optimizer.name != "gd":
                raise Unsupported("the arms family's loss-pair loop implements one Dense layer per arm, gd, and the lesson's losses")
            d = layers[0]
            a, k = d.params["W"].shape
            flat = np.zeros(a * k + k, dtype=d.params["W"].dtype)
            gflat = np.zeros_like(flat)
            W, b = flat[: a * k].reshape(a, k), flat[a * k :]
            W[...], b[...] = d.params["W"], d.params["b"]
            self.W.append(W)
            self.b.append(b)
            self.gW.append(gflat[: a * k].reshape(a, k))
            self.gb.append(gflat[a * k :])
            self.flat.append(flat)
            self.gflat.append(gflat)
            self.opts.append(FlatOptimizer(arm.optimizer, flat))
            self.names.append(arm.name)
            self.losses.append(kinds[type(arm.loss)])
        data = exp.data  # type: ignore[attr-defined]
        self.dt = dt = self.W[0].dtype
        self.X, self.y = data.x_train, data.y_train.astype(np.intp)
        self.n = len(self.y)
        self.B = B = int(exp.batch_size)  # type: ignore[attr-defined]
        self.k = k = self.W[0].shape[1]
        self.rng = copy.deepcopy(exp.batch_rng)  # type: ignore[attr-defined]
        self.xb = np.empty((B, self.X.shape[1]), dtype=dt)
        self.yb = np.empty(B, dtype=np.intp)
        self.rows = np.arange(B)
        self.z = np.empty((B, k), dtype=dt)
        self.g32 = np.empty((B, k), dtype=dt)
        self.p, self.d, self.e = np.empty((B, k)), np.empty((B, k)), np.empty((B, k))
        self.m = np.empty((B, 1))
        self.mask = np.empty((B, k), dtype=bool)
        self.onehot = np.zeros((B, k))
        self.yf = np.empty((B, 1))
        self.correct = np.empty(B, dtype=bool)
        self.pt = np.empty(B)
        self.schedule = Schedule(exp)
        self.sets = [("train", data.x_train, data.y_train), ("test", data.x_test, data.y_test)] if self.schedule.every else []
        self.hist = _Ring(*(f"{a}/{m}" for a in self.names for m in ("loss", "accuracy", "p_true")))
        self.images, self.steps = exp.samples_seen, exp.step_count  # type: ignore[attr-defined]
        self.last_eval: dict[str, float] = dict(exp.last_eval)  # type: ignore[attr-defined]
        self.arm_metrics = {f"{a}/{m}": float("nan") for a in self.names for m in ("loss", "accuracy", "p_true")}
        self.loss = float("nan")

    def _sigmoid64(self, z: np.ndarray, out: np.ndarray) -> None:
        """out ← sigmoid(float64(z)) (core.activations.sigmoid's arithmetic, branch by sign)."""
        t, mask = self.e, self.mask
        np.copyto(out, z)
        np.greater_equal(out, 0, out=mask)
        np.abs(out, out=t)
        np.negative(t, out=t)
        np.exp(t, out=t)  # e^-|z|
        np.add(t, 1.0, out=out)
        np.divide(t, out, out=t)  # e^z / (1 + e^z): the z < 0 branch
        np.divide(1.0, out, out=out, where=mask)  # 1 / (1 + e^-z): the z >= 0 branch
        np.logical_not(mask, out=mask)
        np.copyto(out, t, where=mask)

    def _arm(self, a: int) -> None:
        """Forward, loss, gradient and one update of arm ``a`` on the current batch."""
        xb, yb, z, p, d, e, B = self.xb, self.yb, self.z, self.p, self.d, self.e, self.B
        kind = self.losses[a]
        np.matmul(xb, self.W[a], out=z)
        z += self.b[a]
        yf = self.yf
        if self.k == 1:
            self._sigmoid64(z, p)
            np.copyto(yf[:, 0], yb)
            if kind == "ce":
                np.copyto(e, z)  # max(z, 0) − z·y + log(1 + e^−|z|)
                np.abs(e, out=d)
                np.negative(d, out=d)
                np.exp(d, out=d)
                np.log1p(d, out=d)
                np.multiply(e, yf, out=self.onehot)
                np.maximum(e, 0, out=e)
                e -= self.onehot
                e += d
                loss = float(e.sum() / B)
                np.subtract(p, yf, out=d)
                d /= B
            else:
                np.subtract(p, yf, out=d)  # p − y
                loss = self._on_probabilities(kind, d, e)
                d *= p  # g·p·(1 − p): through the sigmoid
                np.subtract(1.0, p, out=e)
                d *= e
            pt, p1 = self.pt, p[:, 0]
            np.subtract(1.0, p1, out=pt)
            np.greater(p1, pt, out=self.correct)  # the argmax of (1 − p, p) is 1 iff p > 1 − p
            accuracy = float(np.count_nonzero(self.correct == yb)) / B
            np.copyto(pt, p1, where=yb == 1)  # the probability of the true class
            p_true = float(np.mean(pt))
        else:
            onehot, rows = self.onehot, self.rows
            onehot.fill(0.0)
            onehot[rows, yb] = 1.0
            m = self.m
            np.copyto(p, z)
            np.max(p, axis=1, keepdims=True, out=m)
            p -= m  # shifted
            if kind == "ce":
                np.exp(p, out=e)
                np.sum(e, axis=1, keepdims=True, out=m)
                np.log(m, out=m)
                p -= m  # log p
                np.multiply(onehot, p, out=e)
                loss = float(-e.sum() / B)
                np.exp(p, out=p)
                np.subtract(p, onehot, out=d)
                d /= B
            else:
                np.exp(p, out=p)
                np.sum(p, axis=1, keepdims=True, out=m)
                p /= m
                np.subtract(p, onehot, out=d)
                loss = self._on_probabilities(kind, d, e)
                np.multiply(d, p, out=e)  # p·(g − Σ g·p): through the softmax
                np.sum(e, axis=1, keepdims=True, out=m)
                d -= m
                d *= p
            accuracy = float(np.count_nonzero(p.argmax(axis=1) == yb)) / B
            p_true = float(np.mean(p[rows, yb]))
        np.copyto(self.g32, d)
        np.matmul(xb.T, self.g32, out=self.gW[a])
        np.add.reduce(self.g32, axis=0, out=self.gb[a])
        self.opts[a].step(self.flat[a], self.gflat[a])
        name = self.names[a]
        self.arm_metrics[f"{name}/loss"], self.arm_metrics[f"{name}/accuracy"], self.arm_metrics[f"{name}/p_true"] = loss, accuracy, p_true

    def _on_probabilities(self, kind: str, d: np.ndarray, e: np.ndarray) -> float:
        """The squared or absolute error of d = p − y, summed over classes, mean over the
        batch; d becomes its gradient with respect to p."""
        B = self.B
        if kind == "mse":
            np.multiply(d, d, out=e)
            loss = float(e.sum() / B)
            d *= 2.0
            d /= B
        else:
            np.abs(d, out=e)
            loss = float(e.sum() / B)
            np.sign(d, out=d)
            d /= B
        return loss

    def step(self, n: int = 1) -> None:
        ring = self.hist
        for _ in range(n):
            idx = self.rng.integers(0, self.n, size=self.B)
            np.take(self.X, idx, axis=0, out=self.xb)
            np.take(self.y, idx, out=self.yb)
            for a in range(len(self.W)):
                self._arm(a)
            ring.record(**self.arm_metrics)
            self.images += self.B
            self.steps += 1
            if self.schedule.due(self.images, self.steps):
                self._evaluate()
        self.loss = self.arm_metrics[f"{self.names[0]}/loss"]

    def _evaluate(self) -> None:
        out: dict[str, float] = {}
        for a, name in enumerate(self.names):
            for split, x, y in self.sets:
                z = x @ self.W[a]
                z += self.b[a]
                pred = (z[:, 0] > 0) if self.k == 1 else z.argmax(axis=1)  # the probabilities' argmax
                out[f"{name}/{split}_accuracy"] = float(np.count_nonzero(pred == y)) / len(y)
        self.last_eval = out

    def params(self) -> dict[str, np.ndarray]:
        return {f"{name}/0.{p}": v for name, W, b in zip(self.names, self.W, self.b) for p, v in (("W", W), ("b", b))}

    def metrics(self) -> dict[str, float]:
        return {**self.arm_metrics, **self.last_eval}
# linear: a linear model of two weights fitted to data (lessons 2, 5 and 7)
# --------------------------------------------------------------------------------------
class _Paths:
    """core/surface.py's path buffers (every point counted, every stride-th stored, the
    buffer thinned to every other point when full), with the counters as Python ints."""

    def __init__(self, points: np.ndarray, meta: np.ndarray) -> None:
        self.points = points.copy()
        self.stored = [int(v) for v in meta[:, 0]]
        self.stride = [int(v) for v in meta[:, 1]]
        self.skipped = [int(v) for v in meta[:, 2]]

    def record(self, i: int, x: float, y: float) -> None:
        skipped = self.skipped[i] + 1
        if skipped < self.stride[i]:
            self.skipped[i] = skipped
            return
        self.skipped[i] = 0
        n = self.stored[i]
        pts = self.points[i]
        if n == len(pts):
            n //= 2
            pts[:n] = pts[::2]
            self.stride[i] *= 2
        pts[n, 0] = x
        pts[n, 1] = y
        self.stored[i] = n + 1


class FusedLinear:
    """The lessons whose model is a linear function of two weights fitted to data, over
    the loss surface of those weights: cost functions (a line under MSE, MAE or Huber, full
    batch), batch size (a line under MSE trained at batch 1, B and N in lockstep, each
    epoch in the lesson's order) and normalisation (two weights on raw, min-max or
    z-scored features under MSE). Built from a fresh Experiment of one of those lessons
    (others are refused): the subclass that does that lesson's step."""

    family = "linear"
    does = ("two weights per copy as Python floats, residuals on preallocated buffers (normalisation: the MSE's quadratic "
            "form): the update(s), the loss at the new point(s) (cost functions: with the next step's gradient), the "
            "path points and metrics the lesson records, every step")

    def __new__(cls, exp: Experiment) -> "FusedLinear":
        if cls is not FusedLinear:
            return super().__new__(cls)
        from ..core.lessons.batch_size import BatchSize
        from ..core.lessons.cost_functions import CostFunctions
        from ..core.lessons.normalization import Normalization

        for lesson, loop in ((CostFunctions, FusedCostFit), (BatchSize, FusedBatchArms), (Normalization, FusedNormalized)):
            if isinstance(exp, lesson):
                return super().__new__(loop)
        raise Unsupported(f"the linear family's loops run the cost-function, batch-size and normalisation lessons; "
                          f"{type(exp).__name__} is not one")

    diverged = False
    converged = False

    def params(self) -> dict[str, np.ndarray]:
        return {"p": self.p}


class FusedCostFit(FusedLinear):
    """Cost functions: (w, b) ← (w, b) − α·g in Python floats, then at the new point the
    residuals r = w·x + b − y once (on preallocated buffers), the mean cost and its
    (sub)gradient (the next step's), the distance to the exact minimum and the path point;
    loss and distance recorded."""

    def __init__(self, exp: Experiment) -> None:
        from ..core.lessons import cost_functions as cf

        _fresh(exp, "linear")
        assert isinstance(exp, cf.CostFunctions)
        self.limit = cf.POINT_LIMIT
        self.x, self.y = exp.x.copy(), exp.y.copy()
        self.n = n = len(self.x)
        self.kind, self.delta = str(exp.values["loss"]), float(exp.values["delta"])
        self.lr = float(exp.values["learning_rate"])
        self.p = exp.params["p"].copy()
        self.m0, self.m1 = (float(v) for v in exp.minimum)
        self.r, self.t, self.s, self.a = (np.empty(n) for _ in range(4))
        self.mask = np.empty(n, dtype=bool)
        self.paths = _Paths(exp._path_points, exp._path_meta)
        self.hist = _Ring("loss", "distance")
        self.loss = self.distance = float("nan")
        self.g = self._at(*self.p.tolist())[1]

    def _at(self, w: float, b: float) -> tuple[float, tuple[float, float]]:
        """The mean cost at (w, b) and the gradient there."""
        x, r, t, s, n, delta = self.x, self.r, self.t, self.s, self.n, self.delta
        np.multiply(x, w, out=r)
        r += b
        r -= self.y
        kind = self.kind
        if kind == "mse":
            np.multiply(r, r, out=t)
            np.multiply(r, 2.0, out=s)
        elif kind == "mae":
            np.abs(r, out=t)
            np.sign(r, out=s)
        else:  # huber: ½r² within δ, δ(|r| − ½δ) beyond
            a = self.a
            np.abs(r, out=a)
            np.less_equal(a, delta, out=self.mask)
            np.subtract(a, 0.5 * delta, out=t)
            t *= delta
            np.multiply(r, 0.5, out=a)
            a *= r
            np.copyto(t, a, where=self.mask)
            np.clip(r, -delta, delta, out=s)
        loss = float(np.add.reduce(t) / n)
        np.multiply(s, x, out=t)
        return loss, (float(np.add.reduce(t) / n), float(np.add.reduce(s) / n))

    def step(self, n: int = 1) -> None:
        lr, limit, at, record = self.lr, self.limit, self._at, self.paths.record
        losses, dists = self.hist.data["loss"], self.hist.data["distance"]
        i = self.hist.i
        w, b = self.p.tolist()
        gw, gb = self.g
        for _ in range(n):
            if self.diverged:
                break
            w, b = w - lr * gw, b - lr * gb
            if not (abs(w) < limit and abs(b) < limit):
                self.diverged = True
                break
            loss, (gw, gb) = at(w, b)
            record(0, w, b)
            dist = math.hypot(w - self.m0, b - self.m1)
            losses[i & (HISTORY - 1)] = loss
            dists[i & (HISTORY - 1)] = dist
            i += 1
            self.loss, self.distance = loss, dist
        self.p[0], self.p[1] = w, b
        self.g = gw, gb
        self.hist.i = i

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, "distance": self.distance}


class FusedBatchArms(FusedLinear):
    """Batch size (the line surface): three copies of (w, b) in lockstep at batch 1, B and
    N, each taking its next points from the lesson's order of the epoch (a new order per
    epoch, the lesson's), its MSE gradient on them and one update; then each copy's loss on
    all the points and its path point; the three losses recorded. The two-basin surface is
    refused."""

    def __init__(self, exp: Experiment) -> None:
        from ..core.lessons import batch_size as bs

        _fresh(exp, "linear")
        assert isinstance(exp, bs.BatchSize)
        if exp.basins:
            raise Unsupported("the linear family's loops implement the line fit of the batch-size lesson, not its two-basin surface")
        self.N, self.limit, self.order = bs.N_POINTS, bs.LOSS_LIMIT, exp.order
        self.x, self.y = exp.x.copy(), exp.y.copy()
        self.xs, self.ys = self.x.tolist(), self.y.tolist()
        self.batches = exp.batches
        self.lr = float(exp.values["learning_rate"])
        self.P = [row.tolist() for row in exp.params["p"]]  # per arm [w, b]
        self.cursor = [[int(e), int(a)] for e, a in exp._cursor]
        self.orders = exp._orders.copy()
        self.xb = [np.empty(size) for size in self.batches]
        self.yb = [np.empty(size) for size in self.batches]
        self.rb = [np.empty(size) for size in self.batches]
        self.r = np.empty(self.N)
        self.paths = _Paths(exp._path_points, exp._path_meta)
        self.hist = _Ring("loss_sgd", "loss", "loss_full")
        self.losses = [float("nan")] * 3

    def step(self, n: int = 1) -> None:
        P, cursor, orders, lr, N = self.P, self.cursor, self.orders, self.lr, self.N
        x, y, r, xs, ys = self.x, self.y, self.r, self.xs, self.ys
        rings = [self.hist.data[k] for k in ("loss_sgd", "loss", "loss_full")]
        record = self.paths.record
        i = self.hist.i
        for _ in range(n):
            if self.diverged:
                break
            for arm, size in enumerate(self.batches):
                epoch, at = cursor[arm]
                w, b = P[arm]
                if size == 1:
                    j = int(orders[arm, at])
                    xj = xs[j]
                    rj = w * xj + b - ys[j]
                    gw, gb = 2.0 * (rj * xj), 2.0 * rj
                else:
                    idx = orders[arm, at: at + size]
                    m = len(idx)
                    xb, rb = self.xb[arm][:m], self.rb[arm][:m]
                    np.take(x, idx, out=xb)
                    np.take(y, idx, out=self.yb[arm][:m])
                    np.multiply(xb, w, out=rb)
                    rb += b
                    rb -= self.yb[arm][:m]
                    gw, gb = 2.0 * float(rb @ xb) / m, 2.0 * float(np.add.reduce(rb)) / m
                    size = m
                P[arm] = [w - lr * gw, b - lr * gb]
                at += size
                if at >= N:
                    epoch, at = epoch + 1, 0
                    if self.batches[arm] < N:
                        orders[arm] = self.order(epoch)
                cursor[arm] = [epoch, at]
            k = i & (HISTORY - 1)
            for arm in range(3):
                w, b = P[arm]
                np.multiply(x, w, out=r)
                r += b
                r -= y
                loss = float(r @ r) / N
                if not (math.isfinite(loss) and loss < self.limit):
                    self.diverged = True
                    break
                record(arm, w, b)
                rings[arm][k] = loss
                self.losses[arm] = loss
            i += 1
        self.hist.i = i

    def params(self) -> dict[str, np.ndarray]:
        return {"p": np.array(self.P)}

    @property
    def loss(self) -> float:
        return self.losses[1]

    def metrics(self) -> dict[str, float]:
        return {"loss": self.losses[1], "loss_sgd": self.losses[0], "loss_full": self.losses[2]}


class FusedNormalized(FusedLinear):
    """Normalisation: J(p) = mean((X p − y)²) as its quadratic form (Hessian 2XᵀX/n, linear
    term 2Xᵀy/n, both of the chosen features); p ← p − α∇J in Python floats, then J, the
    excess over the minimum (relative to the start), the tolerance check and the path point;
    loss and excess recorded."""

    def __init__(self, exp: Experiment) -> None:
        from ..core.lessons import normalization as nz

        _fresh(exp, "linear")
        assert isinstance(exp, nz.Normalization)
        pr = exp.problem
        (self.hxx, self.hxy), (_, self.hyy) = pr.hessian.tolist()
        self.ga, self.gb = pr.linear.tolist()
        self.c, self.loss_min, self.start = pr.constant, pr.loss_min, exp._start_excess
        self.lr = float(exp.learning_rate)
        self.tol, self.limit = nz.TOLERANCE, nz.LOSS_LIMIT
        self.p = exp.params["p"].copy()
        self.converged_at = exp.converged_at
        self.steps = exp.step_count
        self.paths = _Paths(exp._path_points, exp._path_meta)
        self.hist = _Ring("loss", "excess")
        self.loss = self.excess = float("nan")

    def step(self, n: int = 1) -> None:
        hxx, hxy, hyy, ga, gb, c, lr = self.hxx, self.hxy, self.hyy, self.ga, self.gb, self.c, self.lr
        p, losses, excesses = self.p, self.hist.data["loss"], self.hist.data["excess"]
        i = self.hist.i
        a, b = p.tolist()
        for _ in range(n):
            if self.diverged:
                break
            a, b = a - lr * (hxx * a + hxy * b - ga), b - lr * (hxy * a + hyy * b - gb)
            loss = 0.5 * (hxx * a * a + 2.0 * hxy * a * b + hyy * b * b) - ga * a - gb * b + c
            if not (math.isfinite(loss) and abs(loss) < self.limit):
                self.diverged = True
                break
            self.steps += 1
            excess = max(loss - self.loss_min, 0.0) / self.start
            self.converged = excess < self.tol
            if self.converged and self.converged_at < 0:
                self.converged_at = self.steps
            self.paths.record(0, a, b)
            losses[i & (HISTORY - 1)] = loss
            excesses[i & (HISTORY - 1)] = excess
            i += 1
            self.loss, self.excess = loss, excess
        p[0], p[1] = a, b
        self.hist.i = i

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, "excess": self.excess}
