"""Lesson 16, feedforward vs recurrent: recall the bit seen k steps back. A feedforward
net that sees a fixed window of the latest inputs and an RNN trained by
backpropagation through time learn it side by side."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import optim, rnn
from ..compare import T, final
from ..experiment import Experiment, HyperParam
from ..questions import Question
from ..texts.recurrent import INFO

HIDDEN = 16
BATCH = 32
N_VAL = 64  # fixed validation sequences (accuracy is measured on them)
EVAL_EVERY = 5  # steps between accuracy measurements
LONG = 3  # the RNN is also measured on sequences this many times the training length
SHOWN = 0  # the validation sequence the panels draw
DTYPE = np.float32


def recall_task(rng: np.random.Generator, n: int, length: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n random bit sequences: inputs x: (n, length) as ±1, targets y: (n, length) the bit
    k steps back (0/1), mask: (n, length) 1 where there is a bit k steps back."""
    bits = rng.integers(0, 2, (n, length)).astype(DTYPE)
    y = np.zeros((n, length), dtype=DTYPE)
    mask = np.zeros((n, length), dtype=DTYPE)
    if k < length:
        y[:, k:] = bits[:, :-k]
        mask[:, k:] = 1.0
    return 2.0 * bits - 1.0, y, mask


def accuracy(logits: np.ndarray, y: np.ndarray, mask: np.ndarray) -> float:
    return float((((logits > 0) == (y > 0.5)) * mask).sum() / max(mask.sum(), 1.0))


# -- questions -----------------------------------------------------------------------------
def mlp_at_chance(exp: Experiment) -> int:
    """0: the window net stays near chance (below 60%); 1: it learns the task (above 95%); 2: between."""
    acc = exp.history["mlp_accuracy"].last
    return 0 if acc < 0.6 else 1 if acc > 0.95 else 2


def rnn_solves_longer(exp: Experiment) -> int:
    """0: the RNN passes 95% on the longer sequences; 1: it does not."""
    return 0 if exp.history["rnn_accuracy"].last > 0.95 else 1


QUESTIONS = (
    Question(
        key="window-equals-k",
        text={"en": "k = 3 and the feedforward net's window is 4 (it sees x_t .. x_{t−3}). After 100 steps its "
                    "accuracy is…",
              "ko": "k = 3이고 순방향 신경망의 창이 4이면(x_t .. x_{t−3}을 봄), 100 스텝 뒤 정확도는…"},
        choices=({"en": "near chance, 50%", "ko": "찍는 수준, 50% 근처"},
                 {"en": "above 95%: the bit it needs is in its window", "ko": "95% 이상: 필요한 비트가 창 안에 있다"},
                 {"en": "in between", "ko": "그 중간"}),
        explanation={"en": "x_{t−3} is inside a window of 4, so the net only has to learn to copy one of its "
                           "inputs: a fixed window is enough whenever the dependency is no longer than the window.",
                     "ko": "창이 4이면 x_{t−3}이 창 안에 있으므로, 신경망은 입력 하나를 그대로 옮기는 법만 배우면 "
                           "됩니다. 의존 거리가 창보다 길지 않으면 고정된 창으로도 충분합니다."},
        outcome=mlp_at_chance, explains=1,
        setup={"window": 4, "k": 3}, steps=100),
    Question(
        key="longer-sequences",
        text={"en": "Sequences of 40 steps instead of 20 (k = 3): after 60 steps, does the RNN, with the same "
                    "number of parameters, pass 95%?",
              "ko": "시퀀스 길이를 20 대신 40으로 하면(k = 3), 파라미터 수가 같은 RNN이 60 스텝 뒤 95%를 넘을까?"},
        choices=({"en": "yes", "ko": "그렇다"}, {"en": "no: it would need more parameters", "ko": "아니다: 파라미터가 더 필요하다"}),
        explanation={"en": "The RNN applies the same weights at every step: the length only sets how many times "
                           "they are applied. Remembering 3 steps back needs the same machinery whether the "
                           "sequence has 20 steps or 40.",
                     "ko": "RNN은 매 스텝 같은 가중치를 씁니다. 길이는 그 가중치를 몇 번 적용하는지만 정합니다. 3 "
                           "스텝 전을 기억하는 데 필요한 장치는 시퀀스가 20 스텝이든 40 스텝이든 같습니다."},
        outcome=rnn_solves_longer, explains=0,
        setup={"length": 40}, steps=60),
)


class Recurrent(Experiment):
    """Recall the bit k steps back, at every step of random ±1 sequences. An RNN
    (tanh, 16 units, BPTT) and a window MLP (16 tanh units over the last ``window``
    inputs), both with a sigmoid readout per step, cross-entropy and Adam, trained on
    the same fresh minibatch each step; accuracy on fixed validation sequences (the
    RNN's also on sequences LONG times as long as it trains on)."""

    info = INFO
    family = "rnn"
    questions = QUESTIONS
    figures = (final("rnn_accuracy", key="rnn", name=T("RNN acc.", "RNN 정확도"), unit="percent"),
               final("mlp_accuracy", key="mlp", name=T("window acc.", "창 정확도"), unit="percent"))
    state_attrs = ("rnn_params", "mlp_params")

    hyperparams = (
        HyperParam("window", "window", "int", 2, low=1, high=8, needs_reset=True,
                   help="how many of the latest inputs the feedforward net sees"),
        HyperParam("k", "k", "int", 3, low=1, high=8, needs_reset=True,
                   help="the target is the input k steps back"),
        HyperParam("length", "length", "int", 20, low=10, high=60, step=10, needs_reset=True,
                   help="steps per sequence"),
        HyperParam("learning_rate", "learning rate", "float", 0.01, low=1e-4, high=1.0, log=True,
                   help="Adam step size of both nets; changes live"),
    )

    def _build(self) -> None:
        k, length, window = self.values["k"], self.values["length"], self.values["window"]
        x, self.y_val, self.mask_val = recall_task(self.data_rng, N_VAL, length, k)
        self.x_val = x[:, :, None]
        self.xw_val = rnn.windows(x, window)
        x_long, self.y_long, self.mask_long = recall_task(self.data_rng, N_VAL, LONG * length, k)
        self.x_long = x_long[:, :, None]
        self.rnn_params = rnn.init_rnn(1, HIDDEN, self.init_rng, DTYPE)
        self.mlp_params = rnn.init_mlp(window, HIDDEN, self.init_rng, DTYPE)
        # every parameter by one name (aliases of the two dicts): the benchmark reads them
        self.params = {**{f"rnn.{k}": v for k, v in self.rnn_params.items()},
                       **{f"mlp.{k}": v for k, v in self.mlp_params.items()}}
        lr = self.values["learning_rate"]
        self.rnn_opt = optim.make("adam", lr)
        self.mlp_opt = optim.make("adam", lr)
        self._view_cache: tuple[tuple, dict[str, Any]] | None = None

    def _after_reset(self) -> None:
        for name, value in self._evaluate().items():
            self.history.append(name, 0, value)

    def _optimizer_params(self, name: str) -> dict[str, np.ndarray] | None:
        return self.rnn_params if name == "rnn_opt" else self.mlp_params

    def _apply(self, name: str, value: Any) -> None:
        if name == "learning_rate":
            self.rnn_opt.learning_rate = value
            self.mlp_opt.learning_rate = value

    def inspect(self) -> list[tuple[str, np.ndarray]]:
        return [(f"rnn.{k}", v.copy()) for k, v in self.rnn_params.items()] + \
               [(f"mlp.{k}", v.copy()) for k, v in self.mlp_params.items()]

    def _train_step(self) -> dict[str, float]:
        x, y, mask = recall_task(self.batch_rng, BATCH, self.values["length"], self.values["k"])
        p = self.rnn_params
        hs, logits = rnn.rnn_forward(p, x[:, :, None])
        loss, dlogits = rnn.bce_with_logits(logits, y, mask)
        self.rnn_opt.step(p, rnn.rnn_backward(p, x[:, :, None], hs, dlogits))
        q = self.mlp_params
        xw = rnn.windows(x, self.values["window"])
        h, mlogits = rnn.mlp_forward(q, xw)
        mlp_loss, dm = rnn.bce_with_logits(mlogits, y, mask)
        self.mlp_opt.step(q, rnn.mlp_backward(q, xw, h, dm))
        metrics = {"loss": loss, "mlp_loss": mlp_loss}
        if (self.step_count + 1) % EVAL_EVERY == 0:
            metrics.update(self._evaluate())
        return metrics

    def _evaluate(self) -> dict[str, float]:
        """Both nets' accuracy on the validation sequences (and their losses at step 0)."""
        _, logits = rnn.rnn_forward(self.rnn_params, self.x_val)
        _, mlogits = rnn.mlp_forward(self.mlp_params, self.xw_val)
        _, long_logits = rnn.rnn_forward(self.rnn_params, self.x_long)
        out = {"rnn_accuracy": accuracy(logits, self.y_val, self.mask_val),
               "mlp_accuracy": accuracy(mlogits, self.y_val, self.mask_val),
               "rnn_long_accuracy": accuracy(long_logits, self.y_long, self.mask_long)}
        if self.step_count == 0:
            out = {"loss": rnn.bce_with_logits(logits, self.y_val, self.mask_val)[0],
                   "mlp_loss": rnn.bce_with_logits(mlogits, self.y_val, self.mask_val)[0], **out}
        return out

    def _views(self) -> dict[str, Any]:
        """hidden: (16, length) the RNN's hidden state along validation sequence 0 (rows =
        units, columns = steps); x, y, mask: that sequence's inputs (±1), targets and
        where a target exists; rnn_prob, mlp_prob: (length,) each net's P(bit = 1);
        rnn_params, mlp_params: the parameter counts; window, k, length."""
        key = (self.step_count, self.rnn_params["Wh"].tobytes(), self.mlp_params["W1"].tobytes())
        if self._view_cache is not None and self._view_cache[0] == key:
            return dict(self._view_cache[1])
        hs, logits = rnn.rnn_forward(self.rnn_params, self.x_val[SHOWN : SHOWN + 1])
        _, mlogits = rnn.mlp_forward(self.mlp_params, self.xw_val[SHOWN : SHOWN + 1])
        views = {
            "hidden": np.nan_to_num(hs[0].T.astype(np.float64)),
            "x": self.x_val[SHOWN, :, 0].copy(),
            "y": self.y_val[SHOWN].copy(),
            "mask": self.mask_val[SHOWN].copy(),
            "rnn_prob": np.nan_to_num(1.0 / (1.0 + np.exp(-logits[0].astype(np.float64)))),
            "mlp_prob": np.nan_to_num(1.0 / (1.0 + np.exp(-mlogits[0].astype(np.float64)))),
            "rnn_count": rnn.count(self.rnn_params),
            "mlp_count": rnn.count(self.mlp_params),
            "window": self.values["window"],
            "k": self.values["k"],
            "length": self.values["length"],
            "hidden_units": HIDDEN,
        }
        self._view_cache = (key, views)
        return dict(views)
