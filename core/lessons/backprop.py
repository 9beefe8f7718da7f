"""Lesson 4, backpropagation: a 2-2-1 network worked through one stage at a time
(forward node by node, the loss, backward from the output side, the update), every
gradient checked against central differences."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..compare import T, final
from ..experiment import Experiment, HyperParam
from ..questions import Question
from ..texts.backprop import INFO

#: The nine parameters, in the order of ``theta``: w_jk (hidden j from input k), the
#: hidden biases b_j, the output weights v_j and the output bias c.
PARAM_NAMES = ("w11", "w12", "w21", "w22", "b1", "b2", "v1", "v2", "c")
#: XOR on ±1 inputs: the target is 1 where the two inputs differ.
INPUTS = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
TARGETS = np.array([0.0, 1.0, 1.0, 0.0])
#: The stages of one pass, in order (the screen names them).
STAGES = ("h1", "h2", "yhat", "loss", "out", "out_weights", "hidden", "in_weights", "update")
UPDATE = len(STAGES) - 1
#: The stage at which each parameter's gradient is known.
GRAD_STAGE = {"w11": 7, "w12": 7, "w21": 7, "w22": 7, "b1": 7, "b2": 7, "v1": 5, "v2": 5, "c": 5}
FD_EPS = 1e-5  # central-difference step (float64): small gradients late in training stay well resolved
SAMPLE_CHOICES: tuple[Any, ...] = ("cycle", 1, 2, 3, 4)


def sigmoid(z: float) -> float:
    """1 / (1 + e^-z), without overflow for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def forward(theta: np.ndarray | list[float], x1: float, x2: float, y: float) -> dict[str, float]:
    """Every node's value: pre-activations a_j, hidden h_j = tanh(a_j), z = v·h + c,
    ŷ = σ(z) and the loss L = ½(ŷ − y)²."""
    w11, w12, w21, w22, b1, b2, v1, v2, c = (float(t) for t in theta)
    a1 = w11 * x1 + w12 * x2 + b1
    a2 = w21 * x1 + w22 * x2 + b2
    h1, h2 = math.tanh(a1), math.tanh(a2)
    z = v1 * h1 + v2 * h2 + c
    yhat = sigmoid(z)
    return {"a1": a1, "h1": h1, "a2": a2, "h2": h2, "z": z, "yhat": yhat, "loss": 0.5 * (yhat - y) ** 2}


def backward(theta: np.ndarray | list[float], x1: float, x2: float, y: float,
             f: dict[str, float]) -> tuple[dict[str, float], np.ndarray]:
    """The chain rule from the output back: each node's gradient ∂L/∂(node) and the
    gradient of every parameter, (9,) in ``PARAM_NAMES`` order."""
    _, _, _, _, _, _, v1, v2, _ = (float(t) for t in theta)
    dyhat = f["yhat"] - y  # ∂L/∂ŷ for L = ½(ŷ − y)²
    dyhat_dz = f["yhat"] * (1.0 - f["yhat"])  # σ'(z)
    dz = dyhat * dyhat_dz
    dh1, dh2 = dz * v1, dz * v2
    dtanh1, dtanh2 = 1.0 - f["h1"] ** 2, 1.0 - f["h2"] ** 2
    da1, da2 = dh1 * dtanh1, dh2 * dtanh2
    nodes = {"yhat": dyhat, "dyhat_dz": dyhat_dz, "z": dz, "h1": dh1, "h2": dh2,
             "dtanh1": dtanh1, "dtanh2": dtanh2, "a1": da1, "a2": da2}
    grads = np.array([da1 * x1, da1 * x2, da2 * x1, da2 * x2, da1, da2, dz * f["h1"], dz * f["h2"], dz])
    return nodes, grads


def loss_at(theta: np.ndarray, sample: int) -> float:
    x1, x2 = INPUTS[sample].tolist()
    return forward(theta, x1, x2, float(TARGETS[sample]))["loss"]


def analytic_grad(theta: np.ndarray, sample: int) -> np.ndarray:
    """∂L/∂θ on one sample by backpropagation, (9,) float64."""
    x1, x2 = INPUTS[sample].tolist()
    y = float(TARGETS[sample])
    return backward(theta, x1, x2, y, forward(theta, x1, x2, y))[1]


def numeric_grad(theta: np.ndarray, sample: int, eps: float = FD_EPS) -> np.ndarray:
    """∂L/∂θ on one sample by central differences, (9,) float64."""
    t = [float(v) for v in theta]
    x1, x2 = INPUTS[sample].tolist()
    y = float(TARGETS[sample])
    out = np.empty(len(t))
    for i, old in enumerate(t):
        t[i] = old + eps
        plus = forward(t, x1, x2, y)["loss"]
        t[i] = old - eps
        minus = forward(t, x1, x2, y)["loss"]
        t[i] = old
        out[i] = (plus - minus) / (2 * eps)
    return out


def relative_errors(analytic: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    """|a − n| / max(|a| + |n|, 1e-12) per parameter: 0 when equal, about 1 when unrelated."""
    with np.errstate(all="ignore"):
        return np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), 1e-12)


# -- questions -----------------------------------------------------------------------------
def big_step_outcome(exp: Experiment) -> int:
    """0: the update lowered both the sample's loss and the mean over the four points;
    1: the sample's fell but the mean rose; 2: the sample's own loss rose."""
    v = exp.snapshot().views
    if v["sample_loss_after"] >= v["forward"]["loss"]:
        return 2
    _, losses = exp.history["loss"].series()
    return 0 if losses[-1] < losses[0] else 1


def first_gradients(exp: Experiment) -> int:
    """After six stages from the start: 0: the output weights' gradients are known and
    the input weights' are not; 1: the other way round; 2: both; 3: neither."""
    stage = exp.stage  # type: ignore[attr-defined]
    v_known, w_known = stage >= GRAD_STAGE["v1"], stage >= GRAD_STAGE["w11"]
    return {(True, False): 0, (False, True): 1, (True, True): 2, (False, False): 3}[(v_known, w_known)]


QUESTIONS = (
    Question(
        key="big-step",
        text={"en": "Learning rate 30 (60× the default), one whole pass on the point (−1, −1): after the update…",
              "ko": "학습률 30(기본값의 60배)으로 점 (−1, −1)에 한 번 전체 과정을 돌리면, 갱신 뒤에…"},
        choices=({"en": "the loss on that point and the mean over all four both fall",
                  "ko": "그 점의 손실도, 네 점의 평균 손실도 내려간다"},
                 {"en": "the loss on that point falls, but the mean over the four rises",
                  "ko": "그 점의 손실은 내려가지만, 네 점의 평균 손실은 올라간다"},
                 {"en": "even the loss on that point rises", "ko": "그 점의 손실마저 올라간다"}),
        explanation={"en": "The gradient of one point's loss says how to fit that point. A huge step along it pushes "
                           "the output weights far towards that point's target: its own loss (squashed by the "
                           "sigmoid) goes to almost 0, but the other three points are now pushed towards the same "
                           "output, and two of them want the opposite one: the mean loss rises.",
                     "ko": "한 점의 손실에 대한 gradient는 그 점을 맞추는 방향을 알려 줍니다. 그 방향으로 아주 크게 "
                           "움직이면 출력 가중치가 그 점의 정답 쪽으로 한참 밀려, 그 점의 손실은(sigmoid가 눌러 "
                           "주므로) 거의 0이 됩니다. 하지만 나머지 세 점도 같은 출력 쪽으로 밀리고, 그중 두 점은 "
                           "반대 출력이 정답이라 평균 손실은 올라갑니다."},
        outcome=big_step_outcome, explains=1,
        setup={"learning_rate": 30.0, "step_by": "update", "sample": 1}, steps=1),
    Question(
        key="output-side-first",
        text={"en": "Press n six times from the start (four forward and loss stages, then two backward ones): "
                    "whose gradients are known by then?",
              "ko": "처음부터 n을 여섯 번 누르면(순전파와 손실 네 단계, 역전파 두 단계), 그때까지 어느 gradient를 "
                    "알고 있을까?"},
        choices=({"en": "the output weights' v, not yet the input weights' w",
                  "ko": "출력 가중치 v의 것. 입력 가중치 w의 것은 아직"},
                 {"en": "the input weights' w, not yet the output weights' v",
                  "ko": "입력 가중치 w의 것. 출력 가중치 v의 것은 아직"},
                 {"en": "all of them at once", "ko": "한꺼번에 전부"},
                 {"en": "none until the update", "ko": "갱신 전까지는 하나도"}),
        explanation={"en": "The backward pass starts at the loss: ∂L/∂ŷ, then ∂L/∂z, and the output weights' "
                           "gradients need nothing more (∂L/∂vⱼ = ∂L/∂z · hⱼ). The input weights' need ∂L/∂hⱼ "
                           "and ∂L/∂aⱼ first, which are built from ∂L/∂z: they come two stages later.",
                     "ko": "역전파는 손실에서 시작합니다. ∂L/∂ŷ, 다음 ∂L/∂z를 구하면 출력 가중치의 gradient는 더 "
                           "필요한 것이 없습니다(∂L/∂vⱼ = ∂L/∂z · hⱼ). 입력 가중치의 gradient는 ∂L/∂z로부터 "
                           "만드는 ∂L/∂hⱼ와 ∂L/∂aⱼ가 먼저 있어야 해서 두 단계 뒤에 나옵니다."},
        outcome=first_gradients, explains=0,
        setup={"step_by": "stage"}, steps=6),
)


class Backprop(Experiment):
    """A 2-2-1 network (tanh hidden units, sigmoid output, loss ½(ŷ − y)²) on the four
    XOR points; one step is one stage of a pass (or a whole pass: ``step_by``); the
    parameters are ``theta``: (9,) float64."""

    info = INFO
    family = None  # nine scalars: nothing for a fused loop to beat
    bench_note = "one step is one stage of a pass over nine scalars: no training loop for a fused one to beat"
    questions = QUESTIONS
    figures = (final("loss", key="loss", name=T("loss", "손실")),)
    state_attrs = ("theta", "before", "stage", "current", "passes")

    hyperparams = (
        HyperParam("step_by", "step by", "choice", "stage", choices=("stage", "update"),
                   help="n (and play) advances one stage, or one whole pass: forward, loss, backward, update"),
        HyperParam("sample", "sample", "choice", "cycle", choices=SAMPLE_CHOICES,
                   help="which XOR point the next pass uses; cycle takes them in turn"),
        HyperParam("learning_rate", "learning rate", "float", 0.5, low=1e-3, high=100.0, log=True,
                   help="the update's step size η: θ ← θ − η ∂L/∂θ; changes live"),
        HyperParam("weight", "weight", "choice", "w11", choices=PARAM_NAMES,
                   help="the parameter whose chain rule is written out"),
    )

    def _build(self) -> None:
        self.theta = self.init_rng.uniform(-1.0, 1.0, size=len(PARAM_NAMES))
        self.before = self.theta.copy()  # the parameters this pass computes with
        self.stage = -1  # the last stage done in this pass; -1: none yet
        sample = self.values["sample"]
        self.current = 0 if sample == "cycle" else int(sample) - 1
        self.passes = 0
        self._view_cache: tuple[tuple, dict[str, Any]] | None = None

    def _after_reset(self) -> None:
        for name, value in self._metrics().items():
            self.history.append(name, 0, value)

    def uses_seed(self) -> bool:
        return True

    def inspect(self) -> list[tuple[str, np.ndarray]]:
        return [("θ (" + ", ".join(PARAM_NAMES) + ")", self.theta.copy())]

    def _apply(self, name: str, value: Any) -> None:
        """A new sample starts a new pass on it (cycle: on the current one), from the
        parameters as they are."""
        if name == "sample":
            if value != "cycle":
                self.current = int(value) - 1
            self.before = self.theta.copy()
            self.stage = -1

    # -- stepping ------------------------------------------------------------------
    def _advance(self) -> None:
        """One stage; after the update a new pass begins on the next sample."""
        if self.stage == -1:
            self.stage = 0
            return
        if self.stage == UPDATE:
            sample = self.values["sample"]
            self.current = (self.current + 1) % len(TARGETS) if sample == "cycle" else int(sample) - 1
            self.before = self.theta.copy()
            self.stage = 0
            return
        self.stage += 1
        if self.stage == UPDATE:
            self.theta = self.before - self.values["learning_rate"] * analytic_grad(self.before, self.current)
            self.passes += 1

    def _train_step(self) -> dict[str, float]:
        self._advance()
        if self.values["step_by"] == "update":
            while self.stage != UPDATE:
                self._advance()
        return self._metrics()

    def _metrics(self) -> dict[str, float]:
        """The mean loss over the four points and the current sample's loss (at the
        current parameters), and the largest relative error of the analytic gradient."""
        losses = [loss_at(self.theta, i) for i in range(len(TARGETS))]
        errors = relative_errors(analytic_grad(self.before, self.current), numeric_grad(self.before, self.current))
        return {"loss": sum(losses) / len(losses), "sample_loss": losses[self.current],
                "max_rel_error": float(np.max(errors))}

    # -- drawing -------------------------------------------------------------------
    def _views(self) -> dict[str, Any]:
        """The pass in flight, computed from ``before`` (the parameters at its start):
        forward: every node's value; nodes: every node's gradient; grads, numeric,
        rel_errors: (9,) analytic and central-difference gradients and their relative
        errors; theta: (9,) the parameters now (after the update once stage is UPDATE);
        stage: the last stage done (-1: none); sample, x (2,), y; sample_loss_after: the
        sample's loss at theta; selected: the index of the chosen weight."""
        key = (self.step_count, self.stage, self.current, self.theta.tobytes(), self.before.tobytes(),
               self.values["weight"], self.values["learning_rate"])
        if self._view_cache is not None and self._view_cache[0] == key:
            return dict(self._view_cache[1])
        x1, x2 = INPUTS[self.current].tolist()
        y = float(TARGETS[self.current])
        f = forward(self.before, x1, x2, y)
        nodes, grads = backward(self.before, x1, x2, y, f)
        numeric = numeric_grad(self.before, self.current)
        views = {
            "forward": f,
            "nodes": nodes,
            "grads": grads,
            "numeric": numeric,
            "rel_errors": relative_errors(grads, numeric),
            "theta": self.theta.copy(),
            "before": self.before.copy(),
            "stage": self.stage,
            "sample": self.current,
            "x": INPUTS[self.current].copy(),
            "y": y,
            "sample_loss_after": loss_at(self.theta, self.current),
            "selected": PARAM_NAMES.index(self.values["weight"]),
            "learning_rate": self.values["learning_rate"],
        }
        self._view_cache = (key, views)
        return dict(views)
