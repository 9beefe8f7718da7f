"""PyTorch loops, one per model family: the same model, initial weights and minibatches
as a lesson's ``step()``, in PyTorch on the CPU with one thread. Built, like the fused
loops, from a freshly built Experiment's declared parts, so they run any lesson of their
family (and refuse what ``fused`` refuses). Torch is never a dependency."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ..core.experiment import Experiment
from .fused import Schedule, Unsupported, cnn_layers, eval_sets, mlp_layers, supervised_arm


def torch_version() -> str:
    import torch

    return str(torch.__version__)


def torch_status() -> str | None:
    """None when torch can be used, otherwise why not (e.g. "torch not installed")."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return "torch not installed"
    except Exception as exc:  # a broken install must not break the benchmark
        return f"torch unusable: {exc}"
    return None


def _torch() -> Any:
    import torch

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set (it may be set once per process)
    return torch


def _optimizer(torch: Any, opt: Any, params: Any) -> Any:
    """The torch optimiser doing what the core's ``opt`` does."""
    lr = float(opt.learning_rate)
    if opt.name == "gd":
        return torch.optim.SGD(params, lr=lr)
    if opt.name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=opt.beta)  # v ← βv + g; p ← p − αv
    if opt.name == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(opt.beta1, opt.beta2), eps=opt.eps)
    raise Unsupported(f"no torch optimiser for {opt.name}")


class _Supervised:
    """What the mlp and cnn torch loops share: batches, the step, the schedule."""

    def _setup(self, exp: Any, arm: Any, model: Any) -> None:
        torch = self.torch
        self.model = model
        self.opt = _optimizer(torch, arm.optimizer, model.parameters())
        data = exp.data
        self.x_train = torch.from_numpy(np.array(data.x_train))
        self.y_train = torch.from_numpy(data.y_train.astype(np.int64))
        self.n_train = len(data.y_train)
        self.rng = copy.deepcopy(exp.batch_rng)
        self.B = int(exp.batch_size)
        self.record_accuracy = exp.record_batch_accuracy
        self.schedule = Schedule(exp)
        self.measures = exp.eval_measures
        self.sets = [
            (name, torch.from_numpy(np.array(x)), torch.from_numpy(y.astype(np.int64))) for name, x, y in eval_sets(exp)
        ] if self.schedule.every else []
        self.images, self.steps = exp.samples_seen, exp.step_count
        self.last_eval: dict[str, float] = dict(exp.last_eval)
        self.loss = self.accuracy = float("nan")

    def step(self, n: int = 1) -> None:
        torch, model, opt = self.torch, self.model, self.opt
        F = torch.nn.functional
        for _ in range(n):
            idx = torch.from_numpy(self.rng.integers(0, self.n_train, size=self.B))
            yb = self.y_train[idx]
            opt.zero_grad()
            logits = model(self.x_train[idx])
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            opt.step()
            self.loss = loss.item()
            if self.record_accuracy:
                self.accuracy = (logits.argmax(dim=1) == yb).float().mean().item()
            self.images += self.B
            self.steps += 1
            if self.schedule.due(self.images, self.steps):
                with torch.no_grad():
                    for name, x, y in self.sets:
                        out = model(x)
                        if "accuracy" in self.measures:
                            self.last_eval[f"{name}_accuracy"] = (out.argmax(dim=1) == y).float().mean().item()
                        if "loss" in self.measures:
                            self.last_eval[f"{name}_loss"] = F.cross_entropy(out, y).item()


class TorchSurface:
    """p: (2,) float64 leaf; J = ½(hxx x² + 2hxy xy + hyy y²); backward; SGD step; |g|."""

    family = "surface"
    does = "p: a float64 leaf tensor; torch.optim.SGD step, then J(p) built, backward, the loss and |∇J| as Python floats"

    def __init__(self, exp: Experiment) -> None:
        from .fused import FusedSurface

        FusedSurface(exp)  # the same checks: what the fused loop implements
        torch = self.torch = _torch()
        H = exp.surface.hessian  # type: ignore[attr-defined]
        self.h = (float(H[0, 0]), float(H[0, 1]), float(H[1, 1]))
        self.p = torch.tensor(exp.params["p"], dtype=torch.float64, requires_grad=True)  # type: ignore[attr-defined]
        self.opt = torch.optim.SGD([self.p], lr=float(exp.optimizer.learning_rate))  # type: ignore[attr-defined]
        self._evaluate()  # the loss and gradient at the start, as the lesson has them

    def _evaluate(self) -> None:
        """J and ∇J at the current p (the lesson records them after each update)."""
        p, (hxx, hxy, hyy) = self.p, self.h
        self.opt.zero_grad()
        x, y = p[0], p[1]
        loss = 0.5 * (hxx * x * x + 2.0 * hxy * x * y + hyy * y * y)
        loss.backward()
        self.loss = loss.item()
        self.grad_norm = self.torch.linalg.vector_norm(p.grad).item()

    def step(self, n: int = 1) -> None:
        opt, evaluate = self.opt, self._evaluate
        for _ in range(n):
            opt.step()  # p <- p - lr * grad at p
            evaluate()

    def params(self) -> dict[str, np.ndarray]:
        return {"p": self.p.detach().numpy()}


class TorchMLP(_Supervised):
    """nn.Sequential of Linear (+ its activation) per Dense, cross-entropy, the lesson's
    optimiser; the batch accuracy when the lesson records it; its scheduled evaluation
    under no_grad."""

    family = "mlp"
    does = "nn.Sequential of Linear+activation, F.cross_entropy, backward, the torch optimiser (+ batch accuracy if recorded); scheduled evaluation under no_grad"

    def __new__(cls, exp: Experiment) -> "TorchMLP":
        """A lesson that goes through its data in epochs (it has ``epoch_order()``) gets
        ``TorchMLPEpochs``, which follows that order."""
        if cls is TorchMLP and callable(getattr(exp, "epoch_order", None)):
            return super().__new__(TorchMLPEpochs)
        return super().__new__(cls)

    def __init__(self, exp: Experiment) -> None:
        arm = supervised_arm(exp, "mlp")
        spec = mlp_layers(arm.model)
        torch = self.torch = _torch()
        nn = torch.nn
        acts = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid, "leaky_relu": lambda: nn.LeakyReLU(0.01)}
        layers: list[Any] = []
        self.linears: list[tuple[int, Any]] = []
        for i, dense, kind in spec:
            lin = nn.Linear(*dense.params["W"].shape, dtype=torch.float32)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(dense.params["W"].T.copy()))
                lin.bias.copy_(torch.from_numpy(dense.params["b"].copy()))
            layers.append(lin)
            self.linears.append((i, lin))
            if kind in acts:
                layers.append(acts[kind]())
        self._setup(exp, arm, nn.Sequential(*layers))

    def params(self) -> dict[str, np.ndarray]:
        out = {}
        for i, lin in self.linears:
            out[f"{i}.W"] = lin.weight.detach().numpy().T
            out[f"{i}.b"] = lin.bias.detach().numpy()
        return out


class TorchMLPEpochs(TorchMLP):
    """TorchMLP for a lesson that goes through its data in epochs: each epoch a
    permutation drawn from the batch stream, cut into ⌈N/B⌉ minibatches (the last one
    smaller), and the whole training set's loss under no_grad at each epoch's end."""

    does = TorchMLP.does + "; for a lesson in epochs: shuffled minibatches (the last one smaller) and the training set's loss at each epoch's end"

    def __init__(self, exp: Experiment) -> None:
        super().__init__(exp)
        perm, pos = exp.epoch_order()  # type: ignore[attr-defined]
        self.perm, self.pos = np.array(perm, dtype=np.int64), int(pos)
        history = exp.history
        self.train_loss = float(history["train_loss"].last) if "train_loss" in history else float("nan")

    def step(self, n: int = 1) -> None:
        torch, model, opt = self.torch, self.model, self.opt
        F = torch.nn.functional
        for _ in range(n):
            end = min(self.pos + self.B, self.n_train)
            idx = torch.from_numpy(self.perm[self.pos : end])
            yb = self.y_train[idx]
            opt.zero_grad()
            logits = model(self.x_train[idx])
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            opt.step()
            self.loss = loss.item()
            if self.record_accuracy:
                self.accuracy = (logits.argmax(dim=1) == yb).float().mean().item()
            self.images += end - self.pos
            self.steps += 1
            self.pos = end
            if end >= self.n_train:
                self.pos = 0
                self.perm = self.rng.permutation(self.n_train).astype(np.int64)
                with torch.no_grad():
                    self.train_loss = F.cross_entropy(model(self.x_train), self.y_train).item()

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, "train_loss": self.train_loss}


class TorchCNN(_Supervised):
    """Conv2d(1, F, k, padding) → ReLU → MaxPool2d → Flatten → Linear, cross-entropy,
    the lesson's optimiser, float32; its scheduled accuracy under no_grad."""

    family = "cnn"
    does = "nn.Sequential(Conv2d, ReLU, MaxPool2d, Flatten, Linear), F.cross_entropy, backward, the torch optimiser; the scheduled accuracy of each split under no_grad"

    def __init__(self, exp: Experiment) -> None:
        arm = supervised_arm(exp, "cnn")
        conv, s, dense = cnn_layers(arm.model)
        torch = self.torch = _torch()
        nn = torch.nn
        Wc = conv.params["W"]
        tconv = nn.Conv2d(conv.c_in, conv.c_out, conv.k, padding=conv.pad, dtype=torch.float32)
        lin = nn.Linear(*dense.params["W"].shape, dtype=torch.float32)
        with torch.no_grad():
            tconv.weight.copy_(torch.from_numpy(Wc.copy()))
            tconv.bias.copy_(torch.from_numpy(conv.params["b"].copy()))
            lin.weight.copy_(torch.from_numpy(dense.params["W"].T.copy()))
            lin.bias.copy_(torch.from_numpy(dense.params["b"].copy()))
        self.conv, self.lin = tconv, lin
        self.index = (arm.model.layers.index(conv), arm.model.layers.index(dense))
        self._setup(exp, arm, nn.Sequential(tconv, nn.ReLU(), nn.MaxPool2d(s), nn.Flatten(), lin))

    def params(self) -> dict[str, np.ndarray]:
        ci, di = self.index
        return {
            f"{ci}.W": self.conv.weight.detach().numpy(),
            f"{ci}.b": self.conv.bias.detach().numpy(),
            f"{di}.W": self.lin.weight.detach().numpy().T,
            f"{di}.b": self.lin.bias.detach().numpy(),
        }


class TorchRNN:
    """Leaf tensors for both nets (the lesson's initial values); per step the same batch,
    the RNN unrolled step by step and the window MLP, masked BCE-with-logits, backward
    (autograd's BPTT), torch Adam over both; accuracies on the lesson's schedule under no_grad."""

    family = "rnn"
    does = "leaf tensors, the RNN unrolled in a Python loop of torch ops and the window MLP, F.binary_cross_entropy_with_logits (masked), backward, torch.optim.Adam; accuracies every EVAL_EVERY steps under no_grad"

    def __init__(self, exp: Experiment) -> None:
        from ..core import rnn
        from ..core.lessons import recurrent
        from .fused import FusedRNN

        FusedRNN(exp)  # the same checks
        torch = self.torch = _torch()
        self.rnn, self.lesson = rnn, recurrent
        self.p = {k: torch.tensor(np.array(v), requires_grad=True) for k, v in exp.params.items()}  # type: ignore[attr-defined]
        self.opt = _optimizer(torch, exp.rnn_opt, list(self.p.values()))  # type: ignore[attr-defined]
        self.rng = copy.deepcopy(exp.batch_rng)
        self.k, self.length, self.window = exp.values["k"], exp.values["length"], exp.values["window"]
        self.val = [torch.from_numpy(np.array(a)) for a in (exp.x_val, exp.xw_val, exp.y_val, exp.mask_val)]  # type: ignore[attr-defined]
        self.long = [torch.from_numpy(np.array(a)) for a in (exp.x_long, exp.y_long, exp.mask_long)]  # type: ignore[attr-defined]
        self.step_count = 0
        self.loss = self.mlp_loss = float("nan")
        self.last_eval: dict[str, float] = {}

    def _rnn(self, x: Any) -> Any:
        torch, p = self.torch, self.p
        xin = x @ p["rnn.Wx"] + p["rnn.b"]  # (B, T, H)
        h = torch.zeros(x.shape[0], p["rnn.Wh"].shape[0], dtype=xin.dtype)
        outs = []
        for t in range(x.shape[1]):
            h = torch.tanh(xin[:, t] + h @ p["rnn.Wh"])
            outs.append(h)
        return torch.stack(outs, dim=1) @ p["rnn.v"] + p["rnn.c"][0]

    def _forward(self, x: Any, xw: Any) -> tuple[Any, Any]:
        torch, p = self.torch, self.p
        logits = self._rnn(x)
        mlogits = torch.tanh(xw @ p["mlp.W1"] + p["mlp.b1"]) @ p["mlp.v"] + p["mlp.c"][0]
        return logits, mlogits

    def _bce(self, logits: Any, y: Any, mask: Any) -> Any:
        F = self.torch.nn.functional
        return (F.binary_cross_entropy_with_logits(logits, y, reduction="none") * mask).sum() / mask.sum().clamp(min=1.0)

    def step(self, n: int = 1) -> None:
        torch, lesson = self.torch, self.lesson
        for _ in range(n):
            x, y, mask = lesson.recall_task(self.rng, lesson.BATCH, self.length, self.k)
            xw = torch.from_numpy(np.ascontiguousarray(self.rnn.windows(x, self.window)))
            xt, yt, mt = (torch.from_numpy(a) for a in (x[:, :, None], y, mask))
            self.opt.zero_grad()
            logits, mlogits = self._forward(xt, xw)
            loss, mlp_loss = self._bce(logits, yt, mt), self._bce(mlogits, yt, mt)
            (loss + mlp_loss).backward()
            self.opt.step()
            self.loss, self.mlp_loss = loss.item(), mlp_loss.item()
            self.step_count += 1
            if self.step_count % lesson.EVAL_EVERY == 0:
                with torch.no_grad():
                    x_val, xw_val, y_val, m_val = self.val
                    logits, mlogits = self._forward(x_val, xw_val)
                    x_long, y_long, m_long = self.long
                    long_logits = self._rnn(x_long)
                    self.last_eval = {
                        name: (((out > 0) == (y > 0.5)).float() * m).sum().item() / max(m.sum().item(), 1.0)
                        for name, out, y, m in (("rnn_accuracy", logits, y_val, m_val), ("mlp_accuracy", mlogits, y_val, m_val),
                                                ("rnn_long_accuracy", long_logits, y_long, m_long))
                    }

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, "mlp_loss": self.mlp_loss, **self.last_eval}

    def params(self) -> dict[str, np.ndarray]:
        return {k: v.detach().numpy() for k, v in self.p.items()}


class TorchAutoencoder:
    """nn.Sequential of Linear (+ Tanh) as the lesson's layers, MSE against the input,
    backward, torch Adam; the test loss on the lesson's schedule under no_grad."""

    family = "autoencoder"
    does = "nn.Sequential of Linear(+Tanh), F.mse_loss against the input, backward, torch.optim.Adam; test loss every EVAL_EVERY steps under no_grad"

    def __init__(self, exp: Experiment) -> None:
        from ..core.layers import Dense
        from ..core.lessons import autoencoder
        from .fused import FusedAutoencoder

        FusedAutoencoder(exp)  # the same checks
        torch = self.torch = _torch()
        nn = torch.nn
        self.lesson = autoencoder
        modules, self.names = [], []
        for i, layer in enumerate(exp.model.layers):  # type: ignore[attr-defined]
            if isinstance(layer, Dense):
                lin = nn.Linear(layer.n_in, layer.n_out)
                with torch.no_grad():
                    lin.weight.copy_(torch.from_numpy(np.array(layer.params["W"].T)))
                    lin.bias.copy_(torch.from_numpy(np.array(layer.params["b"])))
                modules.append(lin)
                self.names.append(i)
            else:
                modules.append(nn.Tanh())
        self.model = nn.Sequential(*modules)
        self.opt = _optimizer(torch, exp.optimizer, self.model.parameters())  # type: ignore[attr-defined]
        self.rng = copy.deepcopy(exp.batch_rng)
        self.x_train = torch.from_numpy(np.array(exp.x_train))  # type: ignore[attr-defined]
        self.x_test = torch.from_numpy(np.array(exp.x_test))  # type: ignore[attr-defined]
        self.n = len(exp.x_train)  # type: ignore[attr-defined]
        self.step_count = 0
        self.loss = float("nan")
        self.last_eval: dict[str, float] = {}

    def step(self, n: int = 1) -> None:
        torch, F = self.torch, self.torch.nn.functional
        for _ in range(n):
            xb = self.x_train[torch.from_numpy(self.rng.integers(0, self.n, self.lesson.BATCH))]
            self.opt.zero_grad()
            loss = F.mse_loss(self.model(xb), xb)
            loss.backward()
            self.opt.step()
            self.loss = loss.item()
            self.step_count += 1
            if self.step_count % self.lesson.EVAL_EVERY == 0:
                with torch.no_grad():
                    self.last_eval = {"test_loss": F.mse_loss(self.model(self.x_test), self.x_test).item()}

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, **self.last_eval}

    def params(self) -> dict[str, np.ndarray]:
        out = {}
        for i, module in zip(self.names, (m for m in self.model if hasattr(m, "weight"))):
            out[f"{i}.W"] = module.weight.detach().numpy().T
            out[f"{i}.b"] = module.bias.detach().numpy()
        return out


class TorchArms:
    """Per arm its Linear layers (+ activation or softmax), each with its loss (F.mse_loss,
    F.cross_entropy or F.binary_cross_entropy_with_logits) and its torch optimiser; per
    step one shared batch (the engine's minibatch, or every row when the lesson's
    ``lockstep()`` says "full") and each arm's forward, loss, backward and update in turn;
    every arm's scheduled evaluation under no_grad. Dropout multiplies by masks drawn
    from copies of the lesson's NumPy streams (torch's own generator would draw other
    masks), so the run is the lesson's."""

    family = "arms"
    does = "one shared batch; per arm: Linear+activation (+ dropout masks drawn by NumPy), F.mse_loss, F.cross_entropy or F.binary_cross_entropy_with_logits, backward, the torch optimiser; scheduled evaluation of every arm under no_grad"

    def __new__(cls, exp: Experiment) -> Any:
        """``TorchArms(exp)``: the lesson's own loop when ``fused.lockstep_loop`` names one."""
        from .fused import FusedDropoutArms, FusedLossPair, lockstep_loop

        fused = lockstep_loop(exp) if cls is TorchArms else None
        loop = {FusedDropoutArms: TorchDropoutArms, FusedLossPair: TorchLossPair}.get(fused) if fused else None  # type: ignore[call-overload]
        if loop is None:
            return object.__new__(cls)
        if issubclass(loop, TorchArms):
            return object.__new__(loop)
        return loop(exp)  # not a TorchArms: built here (Python then skips TorchArms.__init__)

    def __init__(self, exp: Experiment) -> None:
        from .fused import FusedArms, arm_blocks, lockstep_spec

        FusedArms(exp)  # the same checks: what the fused loop implements
        spec = lockstep_spec(exp)
        torch = self.torch = _torch()
        F = torch.nn.functional
        acts = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid,
                "leaky_relu": lambda z: F.leaky_relu(z, 0.01), "softmax": lambda z: torch.softmax(z, dim=1)}
        data = exp.data  # type: ignore[attr-defined]
        arms = exp.arms  # type: ignore[attr-defined]
        inputs = spec.get("inputs", {})
        self.full = spec.get("batch") == "full"
        self.prefixes = [""] if len(arms) == 1 else [f"{arm.name}/" for arm in arms]
        drops = [p for arm in arms for _, _, _, p in arm_blocks(arm.model) if p is not None]
        streams = copy.deepcopy({"batch": exp.batch_rng, **{id(p): p.rng for p in drops}})  # type: ignore[attr-defined]
        losses = {"mse": F.mse_loss, "softmax_ce": F.cross_entropy, "bce": F.binary_cross_entropy_with_logits}
        self.blocks: list[list[tuple[Any, Any, Any]]] = []  # per arm: (linear, activation or None, (keep, rng) or None)
        self.opts, self.losses, self.index = [], [], []
        for arm in arms:
            blocks, params = [], []
            for i, dense, kind, drop in arm_blocks(arm.model):
                lin = torch.nn.Linear(*dense.params["W"].shape, dtype=torch.float32)
                with torch.no_grad():
                    lin.weight.copy_(torch.from_numpy(dense.params["W"].T.copy()))
                    lin.bias.copy_(torch.from_numpy(dense.params["b"].copy()))
                params += list(lin.parameters())
                dropout = (1.0 - drop.rate, streams[id(drop)]) if drop is not None and drop.rate > 0 else None
                blocks.append((lin, acts.get(kind) if kind else None, dropout))
            self.blocks.append(blocks)
            self.index.append([i for i, _, _, _ in arm_blocks(arm.model)])
            self.opts.append(_optimizer(torch, arm.optimizer, params))
            self.losses.append(losses[arm.loss.name])
        self.X = [torch.from_numpy(np.array(inputs.get(arm.name, data.x_train), order="C")) for arm in arms]
        y = data.y_train
        self.y = torch.from_numpy(y.astype(np.int64) if y.ndim == 1 else np.array(y))
        self.n = len(y)
        self.B = self.n if self.full else int(exp.batch_size)  # type: ignore[attr-defined]
        self.rng = streams["batch"]
        self.record_accuracy = exp.record_batch_accuracy  # type: ignore[attr-defined]
        self.schedule = Schedule(exp)
        self.measures = exp.eval_measures  # type: ignore[attr-defined]
        self.sets = [
            (name, torch.from_numpy(np.array(x)), torch.from_numpy(y.astype(np.int64) if y.ndim == 1 else np.array(y)))
            for name, x, y in eval_sets(exp)
        ] if self.schedule.every else []
        self.images, self.steps = exp.samples_seen, exp.step_count  # type: ignore[attr-defined]
        self.last_eval: dict[str, float] = dict(exp.last_eval)  # type: ignore[attr-defined]
        self.arm_loss = [float("nan")] * len(arms)
        self.arm_accuracy = [float("nan")] * len(arms)
        self.loss = float("nan")

    def _forward(self, blocks: list[tuple[Any, Any, Any]], x: Any, training: bool) -> Any:
        torch = self.torch
        h = x
        for lin, act, dropout in blocks:
            h = lin(h)
            if act is not None:
                h = act(h)
            if dropout is not None and training:
                keep, rng = dropout
                mask = torch.from_numpy((rng.random(tuple(h.shape)) < keep).astype(np.float32) / np.float32(keep))
                h = h * mask
        return h

    def step(self, n: int = 1) -> None:
        torch = self.torch
        for _ in range(n):
            if self.full:
                xs, yb = self.X, self.y
            else:
                idx = torch.from_numpy(self.rng.integers(0, self.n, size=self.B))
                xs, yb = [x[idx] for x in self.X], self.y[idx]
            for a, (blocks, opt, loss_fn, xb) in enumerate(zip(self.blocks, self.opts, self.losses, xs)):
                opt.zero_grad()
                out = self._forward(blocks, xb, True)
                loss = loss_fn(out, yb)
                loss.backward()
                opt.step()
                self.arm_loss[a] = loss.item()
                if self.record_accuracy:
                    self.arm_accuracy[a] = (out.argmax(dim=1) == yb).float().mean().item()
            self.images += self.B
            self.steps += 1
            if self.schedule.due(self.images, self.steps):
                with torch.no_grad():
                    for blocks, loss_fn, prefix in zip(self.blocks, self.losses, self.prefixes):
                        for name, x, y in self.sets:
                            out = self._forward(blocks, x, False)
                            if "accuracy" in self.measures:
                                self.last_eval[f"{prefix}{name}_accuracy"] = (out.argmax(dim=1) == y).float().mean().item()
                            if "loss" in self.measures:
                                self.last_eval[f"{prefix}{name}_loss"] = loss_fn(out, y).item()
        self.loss = self.arm_loss[0]

    def params(self) -> dict[str, np.ndarray]:
        out = {}
        for blocks, index, prefix in zip(self.blocks, self.index, self.prefixes):
            for i, (lin, _, _) in zip(index, blocks):
                out[f"{prefix}{i}.W"] = lin.weight.detach().numpy().T
                out[f"{prefix}{i}.b"] = lin.bias.detach().numpy()
        return out

    def metrics(self) -> dict[str, float]:
        out = {}
        for a, prefix in enumerate(self.prefixes):
            out[prefix + "loss"] = self.arm_loss[a]
            if self.record_accuracy:
                out[prefix + "accuracy"] = self.arm_accuracy[a]
        return {**out, **self.last_eval}


# --------------------------------------------------------------------------------------
# arms, lesson by lesson (see fused.lockstep_loop): dropout's evaluation, cross-entropy's losses
# --------------------------------------------------------------------------------------
class TorchDropoutArms(TorchArms):
    """Lesson 14 (dropout): the torch arms loop, and at each scheduled evaluation each
    arm's test-minus-train loss gap and the dropout net's distance to the average of
    SUBNETS sampled subnetworks (masks drawn by NumPy from the lesson's per-evaluation
    stream, as the lesson draws them), under no_grad."""

    does = "the torch arms loop, and at each evaluation each arm's loss gap and the dropout net's average of sampled subnetworks under no_grad"

    def __init__(self, exp: Experiment) -> None:
        from ..core.lessons import dropout

        super().__init__(exp)
        self.seed = int(exp.seed)
        self.arm_names = [arm.name for arm in exp.arms]  # type: ignore[attr-defined]
        self.samples = dropout.SUBNETS if exp.values["rate"] > 0 else 0
        x_test = exp.data.x_test  # type: ignore[attr-defined]
        self.x_ens = self.torch.from_numpy(np.array(x_test[: dropout.ENSEMBLE_POINTS]))
        self.ens_blocks = self.blocks[self.arm_names.index("dropout")]

    def step(self, n: int = 1) -> None:
        for _ in range(n):
            due = self.schedule.next
            super().step(1)
            if self.schedule.next != due:  # it evaluated
                self._evaluate_more()

    def _evaluate_more(self) -> None:
        torch, out = self.torch, self.last_eval
        for name in self.arm_names:
            out[f"{name}/gap"] = out[f"{name}/test_loss"] - out[f"{name}/train_loss"]
        if not self.samples:
            return
        blocks, x = self.ens_blocks, self.x_ens
        first = next((j for j, (_, _, d) in enumerate(blocks) if d is not None), len(blocks))
        rng = np.random.default_rng([self.seed, self.steps - 1])  # the lesson's step_count during its step
        with torch.no_grad():
            base = x
            for lin, act, _ in blocks[: first + 1]:
                base = lin(base)
                if act is not None:
                    base = act(base)
            total = torch.zeros((len(x), blocks[-1][0].out_features), dtype=torch.float64)
            for _ in range(self.samples):
                h = base
                for j in range(first, len(blocks)):
                    lin, act, drop = blocks[j]
                    if j > first:
                        h = lin(h)
                        if act is not None:
                            h = act(h)
                    if drop is not None:
                        keep = drop[0]
                        h = h * torch.from_numpy((rng.random(tuple(h.shape)) < keep).astype(np.float32) / np.float32(keep))
                total += torch.softmax(h.double(), dim=1)
            avg = total / self.samples
            p = torch.softmax(self._forward(blocks, x, False).double(), dim=1)
            out["dropout/ensemble_gap"] = (p - avg).abs().mean().item()


class TorchLossPair:
    """Lesson 15 (cross-entropy): per arm the weights and bias as float32 leaf tensors,
    the logits cast to float64, the squared or absolute error of torch.sigmoid / softmax
    probabilities or F.binary_cross_entropy_with_logits / F.cross_entropy, backward
    (the gradient cast back to float32), torch.optim.SGD; the batch accuracy and mean
    probability of the true class; the scheduled accuracies under no_grad."""

    family = "arms"
    does = ("one shared batch; per arm: logits, float64 losses (torch.sigmoid/softmax + squared or absolute error, "
            "or F.binary_cross_entropy_with_logits / F.cross_entropy), backward, torch.optim.SGD; scheduled accuracies")

    def __init__(self, exp: Experiment) -> None:
        from .fused import FusedLossPair

        ref = FusedLossPair(exp)  # the same checks and the same reading of the lesson
        torch = self.torch = _torch()
        self.names, self.kinds, self.k = ref.names, ref.losses, ref.k
        self.W = [torch.from_numpy(W.copy()).requires_grad_() for W in ref.W]
        self.b = [torch.from_numpy(b.copy()).requires_grad_() for b in ref.b]
        self.opts = [_optimizer(torch, arm.optimizer, [W, b]) for arm, W, b in zip(exp.arms, self.W, self.b)]  # type: ignore[attr-defined]
        self.X = torch.from_numpy(np.array(ref.X))
        self.y = torch.from_numpy(ref.y.astype(np.int64))
        self.n, self.B, self.rng, self.schedule = ref.n, ref.B, ref.rng, ref.schedule
        self.sets = [(name, torch.from_numpy(np.array(x)), torch.from_numpy(y.astype(np.int64))) for name, x, y in ref.sets]
        self.images, self.steps = ref.images, ref.steps
        self.last_eval: dict[str, float] = dict(ref.last_eval)
        self.arm_metrics = dict(ref.arm_metrics)
        self.loss = float("nan")

    def _loss(self, kind: str, z: Any, y: Any) -> tuple[Any, Any]:
        """(the loss of float64 logits z at labels y, the class probabilities for the metrics)."""
        torch = self.torch
        F = torch.nn.functional
        B = len(y)
        if self.k == 1:
            yv = y.double().unsqueeze(1)
            p = torch.sigmoid(z)
            if kind == "ce":
                return F.binary_cross_entropy_with_logits(z, yv), p
            d = p - yv
        else:
            if kind == "ce":
                return F.cross_entropy(z, y), torch.softmax(z.detach(), dim=1)
            p = torch.softmax(z, dim=1)
            d = p - F.one_hot(y, self.k).double()
        return ((d * d) if kind == "mse" else d.abs()).sum() / B, p

    def step(self, n: int = 1) -> None:
        torch = self.torch
        for _ in range(n):
            idx = torch.from_numpy(self.rng.integers(0, self.n, size=self.B))
            xb, yb = self.X[idx], self.y[idx]
            for name, kind, W, b, opt in zip(self.names, self.kinds, self.W, self.b, self.opts):
                opt.zero_grad()
                z = (xb @ W + b).double()
                loss, p = self._loss(kind, z, yb)
                loss.backward()
                opt.step()
                with torch.no_grad():
                    if self.k == 1:
                        p1 = p[:, 0]
                        predicted = (p1 > 1.0 - p1).long()
                        true = torch.where(yb == 1, p1, 1.0 - p1)
                    else:
                        predicted = p.argmax(dim=1)
                        true = p[torch.arange(len(yb)), yb]
                    self.arm_metrics[f"{name}/loss"] = loss.item()
                    self.arm_metrics[f"{name}/accuracy"] = (predicted == yb).double().mean().item()
                    self.arm_metrics[f"{name}/p_true"] = true.mean().item()
            self.images += self.B
            self.steps += 1
            if self.schedule.due(self.images, self.steps):
                with torch.no_grad():
                    for name, W, b in zip(self.names, self.W, self.b):
                        for split, x, y in self.sets:
                            z = x @ W + b
                            predicted = (z[:, 0] > 0).long() if self.k == 1 else z.argmax(dim=1)
                            self.last_eval[f"{name}/{split}_accuracy"] = (predicted == y).double().mean().item()
        self.loss = self.arm_metrics[f"{self.names[0]}/loss"]

    def params(self) -> dict[str, np.ndarray]:
        out = {}
        for name, W, b in zip(self.names, self.W, self.b):
            out[f"{name}/0.W"], out[f"{name}/0.b"] = W.detach().numpy(), b.detach().numpy()
        return out

    def metrics(self) -> dict[str, float]:
        return {**self.arm_metrics, **self.last_eval}
class TorchLinear:
    """The linear family (cost functions, batch size, normalisation) in torch: the two
    weights a float64 leaf tensor per copy, the lesson's loss built from the data (or, for
    normalisation, its quadratic form), backward, torch.optim.SGD; refuses what
    ``FusedLinear`` refuses."""

    family = "linear"
    does = "(w, b) a float64 leaf per copy; the loss built on the data tensors (normalisation: its quadratic form), backward, torch.optim.SGD; losses as Python floats"

    def __new__(cls, exp: Experiment) -> "TorchLinear":
        from .fused import FusedBatchArms, FusedCostFit, FusedLinear, FusedNormalized

        loop = type(FusedLinear(exp))  # the same checks
        if cls is not TorchLinear:
            return super().__new__(cls)
        return super().__new__({FusedCostFit: TorchCostFit, FusedBatchArms: TorchBatchArms, FusedNormalized: TorchNormalized}[loop])

    def params(self) -> dict[str, np.ndarray]:
        return {"p": self.p.detach().numpy()}


class TorchCostFit(TorchLinear):
    """Cost functions: SGD step with the gradient at p, then the mean cost (MSE, MAE or
    F.huber_loss) at the new p and its backward (the next step's gradient)."""

    def __init__(self, exp: Experiment) -> None:
        torch = self.torch = _torch()
        self.x = torch.from_numpy(exp.x.copy())  # type: ignore[attr-defined]
        self.y = torch.from_numpy(exp.y.copy())  # type: ignore[attr-defined]
        self.kind, self.delta = exp.values["loss"], float(exp.values["delta"])
        self.p = torch.tensor(exp.params["p"], dtype=torch.float64, requires_grad=True)  # type: ignore[attr-defined]
        self.opt = torch.optim.SGD([self.p], lr=float(exp.values["learning_rate"]))
        self.minimum = exp.minimum.copy()  # type: ignore[attr-defined]
        self._evaluate()

    def _evaluate(self) -> None:
        torch, p = self.torch, self.p
        self.opt.zero_grad()
        r = p[0] * self.x + p[1] - self.y
        if self.kind == "mse":
            loss = (r * r).mean()
        elif self.kind == "mae":
            loss = r.abs().mean()
        else:
            loss = torch.nn.functional.huber_loss(r, torch.zeros_like(r), delta=self.delta)
        loss.backward()
        self.loss = loss.item()
        w, b = p.detach().tolist()
        self.distance = float(np.hypot(w - self.minimum[0], b - self.minimum[1]))

    def step(self, n: int = 1) -> None:
        for _ in range(n):
            self.opt.step()
            self._evaluate()

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, "distance": self.distance}


class TorchBatchArms(TorchLinear):
    """Batch size (the line): per copy its next points in the lesson's order, the batch MSE,
    backward and an SGD step; then every copy's loss on all the points under no_grad."""

    def __init__(self, exp: Experiment) -> None:
        torch = self.torch = _torch()
        self.x = torch.from_numpy(exp.x.copy())  # type: ignore[attr-defined]
        self.y = torch.from_numpy(exp.y.copy())  # type: ignore[attr-defined]
        self.N, self.batches, self.order = len(exp.x), exp.batches, exp.order  # type: ignore[attr-defined]
        self.arms = [torch.tensor(row, dtype=torch.float64, requires_grad=True) for row in exp.params["p"]]  # type: ignore[attr-defined]
        self.opts = [torch.optim.SGD([a], lr=float(exp.values["learning_rate"])) for a in self.arms]
        self.cursor = [[int(e), int(a)] for e, a in exp._cursor]  # type: ignore[attr-defined]
        self.orders = [torch.from_numpy(o.copy()) for o in exp._orders]  # type: ignore[attr-defined]
        self.losses = [float("nan")] * 3

    def step(self, n: int = 1) -> None:
        torch = self.torch
        for _ in range(n):
            for arm, size in enumerate(self.batches):
                epoch, at = self.cursor[arm]
                idx = self.orders[arm][at: at + size]
                p, opt = self.arms[arm], self.opts[arm]
                opt.zero_grad()
                r = p[0] * self.x[idx] + p[1] - self.y[idx]
                (r * r).mean().backward()
                opt.step()
                at += len(idx)
                if at >= self.N:
                    epoch, at = epoch + 1, 0
                    if size < self.N:
                        self.orders[arm] = torch.from_numpy(self.order(epoch))
                self.cursor[arm] = [epoch, at]
            with torch.no_grad():
                for arm, p in enumerate(self.arms):
                    r = p[0] * self.x + p[1] - self.y
                    self.losses[arm] = (r @ r).item() / self.N

    @property
    def loss(self) -> float:
        return self.losses[1]

    def params(self) -> dict[str, np.ndarray]:
        return {"p": np.stack([a.detach().numpy() for a in self.arms])}

    def metrics(self) -> dict[str, float]:
        return {"loss": self.losses[1], "loss_sgd": self.losses[0], "loss_full": self.losses[2]}


class TorchNormalized(TorchLinear):
    """Normalisation: p a float64 leaf; J(p) = ½pᵀHp − gᵀp + c built, backward, SGD step."""

    def __init__(self, exp: Experiment) -> None:
        torch = self.torch = _torch()
        pr = exp.problem  # type: ignore[attr-defined]
        (self.hxx, self.hxy), (_, self.hyy) = pr.hessian.tolist()
        self.ga, self.gb = pr.linear.tolist()
        self.c, self.loss_min, self.start = pr.constant, pr.loss_min, exp._start_excess  # type: ignore[attr-defined]
        self.p = torch.tensor(exp.params["p"], dtype=torch.float64, requires_grad=True)  # type: ignore[attr-defined]
        self.opt = torch.optim.SGD([self.p], lr=float(exp.learning_rate))  # type: ignore[attr-defined]
        self._evaluate()

    def _evaluate(self) -> None:
        self.opt.zero_grad()
        a, b = self.p[0], self.p[1]
        loss = 0.5 * (self.hxx * a * a + 2.0 * self.hxy * a * b + self.hyy * b * b) - self.ga * a - self.gb * b + self.c
        loss.backward()
        self.loss = loss.item()
        self.excess = max(self.loss - self.loss_min, 0.0) / self.start

    def step(self, n: int = 1) -> None:
        for _ in range(n):
            self.opt.step()
            self._evaluate()

    def metrics(self) -> dict[str, float]:
        return {"loss": self.loss, "excess": self.excess}
