"""The playground's exports: the trained model as a standalone Python script that needs
only NumPy, and the data set as CSV."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

from .playground_data import write_csv

if TYPE_CHECKING:
    from .lessons.playground import Playground

SCRIPT = '''\
"""A network trained in the nndojo playground ({title}), exported at step {step}.

Needs only NumPy. Run it as it is to print the model's predictions at the points
below, or give it a CSV file with a header and the input columns first ({columns})
to predict on those rows (the data exported with D is one):  python {name} points.csv
"""

import sys

import numpy as np

ACTIVATION = {activation!r}
FEATURES = {features!r}  # of the coordinates u: x1 = u1 / 3, x1_sq = (u1 / 3)**2, sin_x1 = sin(u1), ...
CLASSES = {classes!r}  # empty: a regression; the output is then the predicted value
COLUMN_MEAN = np.array({mean!r}, dtype=np.float32)  # raw column -> coordinate u = (raw - mean) / std * scale
COLUMN_STD = np.array({std!r}, dtype=np.float32)
COLUMN_SCALE = {scale!r}
TARGET_MEAN, TARGET_SCALE = {y_mean!r}, {y_scale!r}  # a regression's value in its own units
LAYERS = [  # (W: (inputs, outputs), b: (outputs,)), input side first
{layers}
]
POINTS = {points!r}  # raw input rows predicted when no CSV is given


def activation(z):
    if ACTIVATION == "relu":
        return np.maximum(z, 0)
    if ACTIVATION == "leaky_relu":
        return np.where(z > 0, z, np.float32(0.01) * z)
    if ACTIVATION == "tanh":
        return np.tanh(z)
    if ACTIVATION == "sigmoid":
        out = np.empty_like(z)
        pos = z >= 0
        out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
        ez = np.exp(z[~pos])
        out[~pos] = ez / (1.0 + ez)
        return out
    return z


def features(raw):
    """raw: (n, columns) input rows -> (n, inputs) the network's inputs."""
    u = ((raw - COLUMN_MEAN) / COLUMN_STD * np.float32(COLUMN_SCALE)).astype(np.float32)
    c = u / np.float32(3.0)
    table = {{"x1": c[:, 0], "x2": c[:, 1], "x1_sq": c[:, 0] * c[:, 0], "x2_sq": c[:, 1] * c[:, 1],
             "x1x2": c[:, 0] * c[:, 1], "sin_x1": np.sin(u[:, 0]), "sin_x2": np.sin(u[:, 1])}}
    cols = [table[name] for name in FEATURES] + [c[:, j] for j in range(2, u.shape[1])]
    if not cols:
        return np.zeros((len(u), 1), dtype=np.float32)
    return np.stack(cols, axis=1).astype(np.float32)


def predict(raw):
    """Class probabilities (n, classes), or values (n,) for a regression."""
    x = features(np.asarray(raw, dtype=np.float32))
    for i, (W, b) in enumerate(LAYERS):
        x = x @ np.array(W, dtype=np.float32) + np.array(b, dtype=np.float32)
        if i < len(LAYERS) - 1:
            x = activation(x)
    if not CLASSES:
        return x[:, 0].astype(np.float64) * TARGET_SCALE + TARGET_MEAN
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main(argv):
    if len(argv) > 1:
        columns = range(len(COLUMN_MEAN))  # the input columns come first; any after them are left out
        raw = np.loadtxt(argv[1], delimiter=",", skiprows=1, dtype=np.float32, ndmin=2, usecols=columns)
    else:
        raw = np.array(POINTS, dtype=np.float32)
    out = predict(raw)
    for row, p in zip(raw.tolist(), out.tolist()):
        inputs = ",".join(f"{{v:.9g}}" for v in row)
        if CLASSES:
            print(inputs, CLASSES[int(np.argmax(p))], " ".join(f"{{q:.9g}}" for q in p), sep="\\t")
        else:
            print(inputs, f"{{p:.9g}}", sep="\\t")


if __name__ == "__main__":
    main(sys.argv)
'''


def _floats(a: np.ndarray) -> list:
    """An array as nested lists of Python floats that read back to the same float32."""
    return np.asarray(a, dtype=np.float32).astype(np.float64).tolist()


def raw_points(exp: "Playground") -> np.ndarray:
    """The test points in the data's own columns (what the script takes as input)."""
    u = exp.u_test
    if exp.values["dataset"] == "csv" and exp.table is not None:
        return (u / np.float32(2.0) * exp.table.std + exp.table.mean).astype(np.float32)
    return u.astype(np.float32)


def model_script(exp: "Playground", name: str = "model.py") -> str:
    """The standalone script of ``exp``'s model (take it under the runner's lock)."""
    table = exp.table if exp.values["dataset"] == "csv" else None
    f = exp.u_train.shape[1]
    if table is not None:
        mean, std, scale = table.mean, table.std, 2.0
        columns = list(table.columns)
        y_mean, y_scale = table.y_mean, table.y_scale
    else:
        mean, std, scale = np.zeros(f, np.float32), np.ones(f, np.float32), 1.0
        columns = ["x1", "x2"]
        y_mean, y_scale = 0.0, 1.0
    layers = ",\n".join(f"    ({_floats(d.params['W'])!r}, {_floats(d.params['b'])!r})" for d in exp.dense)
    return SCRIPT.format(
        title=exp.values["dataset"], step=exp.step_count, name=name, columns=", ".join(columns),
        activation=exp.values["activation"], features=exp.feature_names(), classes=exp.class_names(),
        mean=_floats(mean), std=_floats(std), scale=scale, y_mean=y_mean, y_scale=y_scale, layers=layers,
        points=_floats(raw_points(exp)[:20]),
    )


def export_model(exp: "Playground", path: str | os.PathLike) -> None:
    """Write ``model_script(exp)`` to ``path``."""
    with open(path, "w") as f:
        f.write(model_script(exp, os.path.basename(path)))


def export_data(exp: "Playground", path: str | os.PathLike) -> None:
    """Write the run's points (plane coordinates of the first two columns), labels or
    targets and split as CSV."""
    u = np.concatenate([exp.u_train[:, :2], exp.u_test[:, :2]])
    y = np.concatenate([np.asarray(exp.data.y_train).reshape(-1), np.asarray(exp.data.y_test).reshape(-1)])
    split = np.array(["train"] * len(exp.u_train) + ["test"] * len(exp.u_test))
    write_csv(path, u, y, split)
