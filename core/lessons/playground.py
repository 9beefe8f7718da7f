"""Lesson 0, the playground: TensorFlow Playground's data sets, input features and
network controls on the engine, plus tables of one's own from CSV files."""

from __future__ import annotations

from typing import Any, ClassVar, Mapping

import numpy as np

from ..compare import T, final
from ..engine import Arm, Splits, SupervisedExperiment
from ..experiment import Experiment, HyperParam, HyperParamError, StateError
from ..init import INITIALIZERS
from ..layers import Activation, Dense, Dropout
from ..losses import LOSSES, Loss
from ..model import Sequential
from ..optim import OPTIMIZERS
from ..playground_data import DATASETS, EXTENT, FEATURE_LABELS, FEATURES, Table, feature_columns
from ..data import grid_points
from ..questions import Question
from ..texts.playground import INFO

MAX_LAYERS = 6
MAX_WIDTH = 8
GRID = 40  # the decision map's points per side
THUMB = 8  # a neuron thumbnail's points per side
EVAL_EVERY = 10  # steps between two evaluations of the whole train and test sets
CLASSIFICATION_LOSSES = {"cross_entropy": "softmax_ce", "mse": "softmax_mse", "huber": "softmax_huber"}
REGRESSION_LOSSES = {"mse": "mse", "huber": "huber"}
DEFAULT_WIDTHS = (4, 2, 4, 4, 4, 4)
#: the regularisation choices: none, or a kind and its rate (Playground's rates)
RATES = ("0.0001", "0.001", "0.003", "0.01", "0.03", "0.1")
REGULARIZATIONS = ("none", *(f"{kind} {rate}" for kind in ("L1", "L2") for rate in RATES))


def regularization(choice: str) -> tuple[str, float]:
    """("l1" / "l2" / "none", rate) of a regularisation choice ("L2 0.001")."""
    if choice == "none":
        return "none", 0.0
    kind, rate = choice.split()
    return kind.lower(), float(rate)


def penalty(weights: list[np.ndarray], kind: str, rate: float) -> float:
    """The regularisation term: rate·Σ|W| (L1) or rate·½Σ W² (L2) over the weight
    matrices (biases are not regularised); 0 for "none"."""
    if kind == "l1":
        return rate * float(sum(np.abs(W).sum() for W in weights))
    if kind == "l2":
        return rate * 0.5 * float(sum((W.astype(np.float64) ** 2).sum() for W in weights))
    return 0.0


def add_penalty_grad(weights: list[np.ndarray], grads: list[np.ndarray], kind: str, rate: float) -> None:
    """Add the gradient of ``penalty`` to each weight matrix's gradient (in place)."""
    if kind == "none" or rate == 0:
        return
    r = np.float32(rate) if weights and weights[0].dtype == np.float32 else rate
    for W, G in zip(weights, grads):
        G += r * (np.sign(W) if kind == "l1" else W)


# -- questions ---------------------------------------------------------------------------------
def fits(exp: Experiment) -> int:
    """0: the run fits its data (test accuracy at least 90%); 1: it does not."""
    return 0 if exp.history["test_accuracy"].last >= 0.9 else 1


ONLY_X = {f"use_{name}": name in ("x1", "x2") for name, _ in FEATURES}
FITS = ({"en": "yes, above 90% test accuracy", "ko": "그렇다, 테스트 정확도 90% 이상"},
        {"en": "no, it stays far from that", "ko": "아니다, 거기에 한참 못 미친다"})

QUESTIONS = (
    Question(
        key="xor-no-hidden",
        text={"en": "XOR with no hidden layer and only x1, x2 as inputs: can the network fit it?",
              "ko": "은닉층 없이 입력이 x1, x2뿐인 신경망이 XOR을 맞출 수 있을까?"},
        choices=FITS,
        explanation={"en": "With no hidden layer the network is a linear classifier of its inputs: one straight "
                           "line cannot put the two diagonal quadrants on one side.",
                     "ko": "은닉층이 없으면 입력에 대한 선형 분류기라서, 직선 하나로는 대각선의 두 사분면을 "
                           "같은 쪽에 둘 수 없습니다."},
        outcome=fits, explains=1,
        setup={"dataset": "xor", "layers": 0, **ONLY_X}, steps=400),
    Question(
        key="xor-product-feature",
        text={"en": "The same net with no hidden layer, but x1·x2 switched on as an input: can it fit XOR now?",
              "ko": "같은 은닉층 없는 신경망에 입력 x1·x2를 켜면 이제 XOR을 맞출 수 있을까?"},
        choices=FITS,
        explanation={"en": "XOR's class is the sign of x1·x2: with that product as an input, a linear classifier "
                           "only needs its weight. A good feature can replace a hidden layer.",
                     "ko": "XOR의 클래스는 x1·x2의 부호입니다. 이 곱을 입력으로 주면 선형 분류기는 그 가중치만 "
                           "정하면 됩니다. 좋은 특성은 은닉층을 대신할 수 있습니다."},
        outcome=fits, explains=0,
        setup={"dataset": "xor", "layers": 0, **ONLY_X, "use_x1x2": True}, steps=400),
    Question(
        key="linear-activation-circle",
        text={"en": "Circle, only x1, x2, three hidden layers of 8 units with the linear activation: does it fit?",
              "ko": "원 데이터, 입력 x1, x2만, 유닛 8개짜리 은닉층 셋에 linear 활성화: 맞출 수 있을까?"},
        choices=FITS,
        explanation={"en": "Linear layers compose to one linear map, however many there are: the net still draws "
                           "a straight line, and a circle needs a curve.",
                     "ko": "선형 층은 몇 개를 쌓아도 하나의 선형 변환이 됩니다. 여전히 직선만 그을 수 있는데 "
                           "원은 곡선이 필요합니다."},
        outcome=fits, explains=1,
        setup={"dataset": "circle", "layers": 3, "width1": 8, "width2": 8, "width3": 8,
               "activation": "linear", **ONLY_X}, steps=400),
)


def _feature_params() -> tuple[HyperParam, ...]:
    return tuple(
        HyperParam(f"use_{name}", label, "bool", name in ("x1", "x2"), needs_reset=True,
                   help=f"input feature {label} on or off")
        for name, label in FEATURES
    )


def _width_params() -> tuple[HyperParam, ...]:
    return tuple(
        HyperParam(f"width{k}", f"width {k}", "int", DEFAULT_WIDTHS[k - 1], low=1, high=MAX_WIDTH,
                   needs_reset=True, help=f"units in hidden layer {k} (used when there are at least {k} layers)")
        for k in range(1, MAX_LAYERS + 1)
    )


class Playground(SupervisedExperiment):
    """A small MLP on a 2-D data set (or a CSV table), everything TensorFlow Playground
    lets one change.

    Points u: (n, 2) on the plane [-6, 6]² (a CSV: (n, f) standardised columns), split
    into train and test by ``test_percent``; the inputs are the chosen features of u
    (core/playground_data.feature_columns). The model is ``layers`` x [Dense(width_k),
    activation, Dropout] and a Dense output: one logit per class (classification) or
    one value (regression). Every EVAL_EVERY steps the whole train and test sets are
    measured: "train_loss", "test_loss" and "train_accuracy", "test_accuracy"
    (classification) or "test_rmse", "test_r2" (regression).
    """

    info = INFO
    family = "mlp"
    questions = QUESTIONS
    figures = (final("test_loss", key="test_loss", name=T("test loss", "테스트 손실"), window=1),)
    eval_every_steps = EVAL_EVERY
    eval_measures = ("accuracy", "loss")
    #: The benchmark's setup (python -m nndojo.bench): the largest network and data.
    bench_values: ClassVar[Mapping[str, Any]] = {
        "layers": MAX_LAYERS, **{f"width{k}": MAX_WIDTH for k in range(1, MAX_LAYERS + 1)}, "points": 1000}

    hyperparams = (
        HyperParam("dataset", "data", "choice", "circle", choices=tuple(DATASETS), needs_reset=True,
                   help="the data set (classification: circle .. checkerboard; regression: plane, multi_gaussian)"),
        HyperParam("noise", "noise", "int", 0, low=0, high=50, step=5, needs_reset=True,
                   help="noise in percent of the data set's scale"),
        HyperParam("points", "points", "int", 500, low=50, high=1000, step=50, needs_reset=True,
                   help="number of points, train and test together"),
        HyperParam("test_percent", "test %", "int", 50, low=10, high=90, step=10, needs_reset=True,
                   help="percent of the points held out as the test set"),
        HyperParam("data_seed", "new data", "int", 0, low=0, high=999, needs_reset=True,
                   help="which draw of the data set (N draws new data)"),
        *_feature_params(),
        HyperParam("layers", "layers", "int", 2, low=0, high=MAX_LAYERS, needs_reset=True,
                   help="number of hidden layers (0: a linear model of the features)"),
        *_width_params(),
        HyperParam("activation", "activation", "choice", "tanh",
                   choices=("relu", "tanh", "sigmoid", "linear", "leaky_relu"), needs_reset=True,
                   help="non-linearity after each hidden layer"),
        HyperParam("init", "init", "choice", "xavier", choices=INITIALIZERS.names("xavier", "he", "normal(0.01)",
                                                                                   "normal(1)", "zeros"),
                   needs_reset=True, help="how the weights start (biases start at 0)"),
        HyperParam("loss", "loss", "choice", "cross_entropy", choices=("cross_entropy", "mse", "huber"),
                   needs_reset=True,
                   help="cross-entropy on softmax, or MSE / Huber (on the softmax probabilities for classes)"),
        HyperParam("optimizer", "optimiser", "choice", "adam", choices=OPTIMIZERS.names("gd", "momentum", "adam"),
                   needs_reset=True, help="gd: plain SGD; momentum (β 0.9); adam"),
        HyperParam("learning_rate", "learning rate", "float", 0.03, low=1e-4, high=3.0, log=True,
                   help="step size; changes live"),
        HyperParam("batch_size", "batch size", "int", 10, low=1, high=100, help="points per step; changes live"),
        HyperParam("regularization", "regularisation", "choice", "none", choices=REGULARIZATIONS,
                   help="penalty on the weights and its rate: L1 rate·Σ|W|, L2 rate·½ΣW²; changes live"),
        HyperParam("dropout", "dropout", "float", 0.0, low=0.0, high=0.8, step=0.1, needs_reset=True,
                   help="probability of dropping each hidden unit in training"),
        HyperParam("neuron", "neuron", "int", 1, low=1, high=MAX_LAYERS * MAX_WIDTH,
                   help="which hidden neuron's incoming weights the weights panel lists"),
    )

    def __init__(self, seed: int = 0, table: Table | None = None, **values: Any) -> None:
        self.table = table
        on_table = table is not None and values.get("dataset", "csv") == "csv"
        if on_table:
            values.pop("dataset", None)
        dataset = values.get("dataset")
        if isinstance(dataset, str) and DATASETS.get(dataset, ("",))[0] == "regression":
            values.setdefault("loss", "mse")  # the default, cross-entropy, needs classes
        super().__init__(seed, **values)
        if on_table:
            assert table is not None
            self.values["dataset"] = "csv"
            if table.task == "regression" and self.values["loss"] not in REGRESSION_LOSSES:
                self.values["loss"] = "mse"
            self.reset()

    # -- ranges that depend on the other values --------------------------------------------
    @property
    def task(self) -> str:
        if self.values.get("dataset") == "csv" and self.table is not None:
            return self.table.task
        return DATASETS[self.values["dataset"]][0] if self.values.get("dataset") in DATASETS else "classification"

    def hyperparam(self, name: str) -> HyperParam:
        decl = super().hyperparam(name)
        if name == "dataset" and getattr(self, "table", None) is not None:
            return _with(decl, choices=decl.choices + ("csv",))
        if name == "loss" and self._task_of(self.values.get("dataset")) == "regression":
            return _with(decl, choices=tuple(REGRESSION_LOSSES), default="mse",
                         help="MSE or Huber (cross-entropy needs classes)")
        if name == "neuron":
            return _with(decl, high=max(1, self.neuron_count()))
        return decl

    def _task_of(self, dataset: Any) -> str:
        if dataset == "csv" and getattr(self, "table", None) is not None:
            assert self.table is not None
            return self.table.task
        return DATASETS[dataset][0] if dataset in DATASETS else "classification"

    def neuron_count(self) -> int:
        v = getattr(self, "values", {})
        return sum(v.get(f"width{k}", DEFAULT_WIDTHS[k - 1]) for k in range(1, v.get("layers", 0) + 1))

    def set(self, name: str, value: Any) -> bool:
        """As Experiment.set; a data set of the other task keeps a loss it allows (MSE
        for a regression set when the loss was cross-entropy), and the neuron shown stays
        within the network."""
        if not isinstance(name, str):
            return super().set(name, value)  # refused there, with the names it has
        if name == "dataset":
            value = self._check(name, value)
            if self._task_of(value) == "regression" and self.values["loss"] not in REGRESSION_LOSSES:
                old = self.values["loss"]
                self.values["loss"] = "mse"
                try:
                    return super().set(name, value)
                except Exception:
                    self.values["loss"] = old
                    raise
        if name.startswith("width") or name == "layers":
            old_neuron = self.values["neuron"]
            value = self._check(name, value)
            previous = self.values[name]
            self.values[name] = value
            count = self.neuron_count()
            self.values[name] = previous
            if old_neuron > max(1, count):
                self.values["neuron"] = max(1, count)
            try:
                return super().set(name, value)
            except Exception:
                self.values["neuron"] = old_neuron
                raise
        return super().set(name, value)

    def load_table(self, table: Table) -> None:
        """Train on ``table`` from now on (a reset, same seed)."""
        old_table, old_values = self.table, dict(self.values)
        self.table = table
        self.values["dataset"] = "csv"
        if table.task == "regression" and self.values["loss"] not in REGRESSION_LOSSES:
            self.values["loss"] = "mse"
        try:
            self.reset()
        except Exception:
            self.table, self.values = old_table, old_values
            self.reset()
            raise

    # -- save / resume: a CSV table travels with the run ------------------------------------------
    def _extra_state(self) -> dict[str, Any]:
        extra = super()._extra_state()
        t = self.table
        extra["table"] = {} if t is None else {
            "path": t.path, "u": t.u.copy(), "y": t.y.copy(), "columns": list(t.columns), "target": t.target,
            "classes": list(t.classes), "mean": t.mean.copy(), "std": t.std.copy(), "y_mean": t.y_mean,
            "y_scale": t.y_scale}
        return extra

    def _load_extra_state(self, extra: Mapping[str, Any]) -> None:
        rest = dict(extra)
        rest.pop("table", None)  # read by from_state_dict, which built this run on it
        super()._load_extra_state(rest)

    @classmethod
    def from_state_dict(cls, state: Mapping[str, Any]) -> "Experiment":
        """As Experiment.from_state_dict, on the saved CSV table if the run had one."""
        extra = state.get("extra") if isinstance(state, Mapping) else None
        saved = extra.get("table") if isinstance(extra, Mapping) else None
        if not saved:
            return super().from_state_dict(state)
        try:
            table = Table(str(saved["path"]), np.asarray(saved["u"], dtype=np.float32), np.asarray(saved["y"]),
                          tuple(map(str, saved["columns"])), str(saved["target"]), tuple(map(str, saved["classes"])),
                          np.asarray(saved["mean"], dtype=np.float32), np.asarray(saved["std"], dtype=np.float32),
                          float(saved["y_mean"]), float(saved["y_scale"]))
            seed, values = int(state["seed"]), dict(state["values"])
        except (KeyError, TypeError, ValueError) as e:
            raise StateError(f"the saved CSV table does not fit: {e}") from e
        exp = cls(seed=seed, table=table, **values)
        exp.load_state_dict(state)
        return exp

    # -- building ------------------------------------------------------------------------------
    def feature_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in FEATURES if self.values[f"use_{name}"])

    def input_labels(self) -> list[str]:
        """The network's inputs by name: the chosen features, then a CSV's extra columns."""
        labels = [FEATURE_LABELS[n] for n in self.feature_names()]
        if self.values["dataset"] == "csv" and self.table is not None:
            labels += list(self.table.columns[2:])
        return labels

    def _points(self) -> tuple[np.ndarray, np.ndarray]:
        """All points u: (n, f) and their labels or targets y: (n,)."""
        v = self.values
        if v["dataset"] == "csv":
            if self.table is None:
                raise HyperParamError("data: no CSV loaded (d loads one)")
            return self.table.u, self.table.y
        task, make = DATASETS[v["dataset"]]
        rng = np.random.default_rng([self.seed, v["data_seed"]])
        return make(v["points"], v["noise"] / 100, rng)

    def _data(self) -> Splits:
        u, y = self._points()
        rng = np.random.default_rng([self.seed, self.values["data_seed"], 1])
        order = rng.permutation(len(y))
        n_test = max(1, min(len(y) - 1, int(round(len(y) * self.values["test_percent"] / 100))))
        test, train = order[:n_test], order[n_test:]
        self.u_train, self.u_test = u[train].copy(), u[test].copy()
        self.n_inputs = len(self.feature_names()) + u.shape[1] - 2
        x = feature_columns(u, self.feature_names())
        if self.n_inputs == 0:  # no feature at all: a constant input, so the net still has a shape
            x = np.zeros((len(y), 1), dtype=np.float32)
        if self.task == "regression":
            y = y.reshape(-1, 1).astype(np.float32)
        parts = [x[train], y[train], x[test], y[test]]
        for a in parts:
            a.setflags(write=False)
        return Splits(parts[0], parts[1], x_test=parts[2], y_test=parts[3])

    def widths(self) -> list[int]:
        return [self.values[f"width{k}"] for k in range(1, self.values["layers"] + 1)]

    def classes(self) -> int:
        if self.task == "regression":
            return 1
        if self.values["dataset"] == "csv" and self.table is not None:
            return len(self.table.classes)
        return 2

    def _model(self) -> Sequential:
        v = self.values
        n_in = max(1, self.n_inputs)
        layers: list = []
        dropout_rng = np.random.default_rng(self.init_rng.integers(2**63))
        for width in self.widths():
            layers += [Dense(n_in, width, init=v["init"], rng=self.init_rng), Activation(v["activation"])]
            if v["dropout"] > 0:  # none at 0: the model stays a plain Dense/activation stack
                layers.append(Dropout(v["dropout"], rng=dropout_rng))
            n_in = width
        layers.append(Dense(n_in, self.classes(), init=v["init"], rng=self.init_rng))
        model = Sequential(layers)
        self.dense = [layer for layer in layers if isinstance(layer, Dense)]
        self.dropouts = [layer for layer in layers if isinstance(layer, Dropout)]
        return model

    def loss_registry_name(self) -> str:
        table = REGRESSION_LOSSES if self.task == "regression" else CLASSIFICATION_LOSSES
        return table[self.values["loss"]]

    def _arms(self) -> list[Arm]:
        return [self.make_arm("", self._model(), loss=self.loss_registry_name())]

    # -- live values -------------------------------------------------------------------------
    def _after_backward(self, arm: Arm) -> None:
        if self.values["regularization"] == "none":
            return
        kind, rate = regularization(self.values["regularization"])
        add_penalty_grad([d.params["W"] for d in self.dense], [d.grads["W"] for d in self.dense], kind, rate)

    def fused_refusal(self) -> str | None:
        """What the benchmark's fused loops do not implement in this run (None: nothing)."""
        if self.values["regularization"] != "none":
            return f"a weight penalty ({self.values['regularization']})"
        return None

    # -- evaluation ---------------------------------------------------------------------------
    def _evaluate(self) -> dict[str, float]:
        out: dict[str, float] = {}
        model, loss = self.model, self.loss
        for split, x, y in (("train", self.data.x_train, self.data.y_train),
                            ("test", self.data.x_test, self.data.y_test)):
            assert x is not None and y is not None
            pred = model.forward(x, training=False)
            out[f"{split}_loss"] = type(loss)().forward(pred, y)
            if self.task == "classification":
                out[f"{split}_accuracy"] = float(np.mean(pred.argmax(axis=1) == y))
            else:
                scale = self.table.y_scale if (self.values["dataset"] == "csv" and self.table is not None) else 1.0
                err = (pred - y).astype(np.float64)
                out[f"{split}_rmse"] = float(np.sqrt(np.mean(err**2))) * scale
                if split == "test":
                    var = float(np.var(y.astype(np.float64)))
                    out["test_r2"] = 1.0 - float(np.mean(err**2)) / var if var > 0 else float("nan")
        return out

    def predict(self, u: np.ndarray) -> np.ndarray:
        """The model's output (evaluation mode) at points u: (n, f): class probabilities
        (n, C) or values (n,)."""
        x = feature_columns(u, self.feature_names())
        if self.n_inputs == 0:
            x = np.zeros((len(u), 1), dtype=np.float32)
        z = self.model.forward(x, training=False)
        if self.task == "regression":
            return z[:, 0]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    # -- views ----------------------------------------------------------------------------------
    def grid(self, size: int) -> np.ndarray:
        """(size*size, f) points on the plane, row-major from the lowest y; a CSV's extra
        columns at their mean (0)."""
        u = np.zeros((size * size, self.u_train.shape[1]), dtype=np.float32)
        u[:, :2] = grid_points((-EXTENT, EXTENT, -EXTENT, EXTENT), size)
        return u

    def _views(self) -> dict[str, Any]:
        """map: (GRID, GRID, C) class probabilities or (GRID, GRID) predicted values, row 0
        the lowest; extent: (xmin, xmax, ymin, ymax); train_points, test_points: (n, 2);
        train_labels, test_labels: (n,) classes or values; task: "classification" /
        "regression"; class_names; neurons: (K, THUMB, THUMB) every hidden neuron's
        output over the plane (K = all hidden units, layer by layer; (1, THUMB, THUMB)
        of zeros with no hidden layer); neuron_names: ["h1.1", ...]; layer_inputs: each
        layer's input names; neuron_map: (GRID, GRID) output of the
        neuron ``neuron`` (1-based, layer by layer); input_maps: (inputs, THUMB, THUMB)
        each input over the plane; output_maps: (outputs, THUMB, THUMB) each output unit
        (logits, or the value); layer_weights: each Dense layer's (inputs, units) W,
        layer_biases its b; confusion: (C, C) test counts, row = true
        class (classification); importance is left to the readout."""
        task = self.task
        u = self.grid(GRID)
        x = feature_columns(u, self.feature_names())
        if self.n_inputs == 0:
            x = np.zeros((len(u), 1), dtype=np.float32)
        z, outs = self.model.forward(x, training=False, keep=True)
        if task == "regression":
            surface = z[:, 0].reshape(GRID, GRID).copy()
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            surface = (e / e.sum(axis=1, keepdims=True)).reshape(GRID, GRID, -1)
        step = GRID // THUMB
        hidden = [out for layer, out in zip(self.model.layers, outs) if isinstance(layer, Activation)]
        names = [f"h{i + 1}.{j + 1}" for i, h in enumerate(hidden) for j in range(h.shape[1])]
        if hidden:
            maps = np.concatenate([h.T.reshape(-1, GRID, GRID)[:, ::step, ::step] for h in hidden]).copy()
        else:
            maps = np.zeros((1, THUMB, THUMB), dtype=np.float32)
        keep = self.values["neuron"] - 1
        big = np.zeros((GRID, GRID), dtype=np.float32)
        seen = 0
        for h in hidden:  # the neuron the cursor is on, at the decision map's resolution
            if keep < seen + h.shape[1]:
                big = h[:, keep - seen].reshape(GRID, GRID).copy()
                break
            seen += h.shape[1]
        thumbs = x.T.reshape(-1, GRID, GRID)[:, ::step, ::step].copy()  # the inputs over the plane
        outputs = z.T.reshape(-1, GRID, GRID)[:, ::step, ::step].copy()
        inputs = self.input_labels() or ["1"]
        layer_inputs = [inputs] + [[f"h{i + 1}.{j + 1}" for j in range(w)] for i, w in enumerate(self.widths())]
        views: dict[str, Any] = {
            "map": surface,
            "extent": (-EXTENT, EXTENT, -EXTENT, EXTENT),
            "train_points": self.u_train[:, :2].copy(),
            "test_points": self.u_test[:, :2].copy(),
            "train_labels": np.asarray(self.data.y_train).reshape(-1).copy(),
            "test_labels": np.asarray(self.data.y_test).reshape(-1).copy(),
            "task": task,
            "class_names": self.class_names(),
            "neurons": maps,
            "neuron_names": names or ["—"],
            "layer_inputs": layer_inputs,
            "neuron": self.values["neuron"],
            "neuron_map": big,
            "input_maps": thumbs,
            "output_maps": outputs,
            "layer_weights": [d.params["W"].copy() for d in self.dense],
            "layer_biases": [d.params["b"].copy() for d in self.dense],
            "axis_names": self.axis_names(),
        }
        if task == "classification":
            assert self.data.x_test is not None and self.data.y_test is not None
            pred = self.model.forward(self.data.x_test, training=False).argmax(axis=1)
            c = self.classes()
            confusion = np.zeros((c, c), dtype=np.int64)
            np.add.at(confusion, (np.asarray(self.data.y_test), pred), 1)
            views["confusion"] = confusion
        else:
            views["confusion"] = np.zeros((0, 0), dtype=np.int64)
        return views

    def class_names(self) -> list[str]:
        if self.task == "regression":
            return []
        if self.values["dataset"] == "csv" and self.table is not None:
            return list(self.table.classes)
        return ["0", "1"]

    def axis_names(self) -> tuple[str, str]:
        if self.values["dataset"] == "csv" and self.table is not None:
            return self.table.columns[0], self.table.columns[1]
        return "x1", "x2"


def _with(decl: HyperParam, **changes: Any) -> HyperParam:
    from dataclasses import replace

    return replace(decl, **changes)
