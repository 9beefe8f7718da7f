"""The playground's data: TensorFlow Playground's data sets (and two more), its input
features, and tables of one's own read from CSV files.

Points live on Playground's plane, about [-6, 6] on both axes. Classification labels
are 0/1 (int64); regression targets are in [-1, 1] (float32). A CSV table is read
whole and checked before anything uses it: a bad file raises ``DataError`` with one
line that says what is wrong and where.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

#: half the side of the plane the points live on (Playground's)
EXTENT = 6.0
#: rows a CSV may have to train live (more is refused) and at least
MAX_ROWS = 5000
MIN_ROWS = 10
#: classes a CSV label may have (the decision map has a colour for each)
MAX_CLASSES = 6
#: a numeric target with at most this many distinct whole values is a class label
CLASS_LIKE_VALUES = 6


class DataError(ValueError):
    """A data file that cannot be used; the message is one line."""


# -- the data sets -------------------------------------------------------------------------
Generator = Callable[[int, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]


def _labels(y: np.ndarray) -> np.ndarray:
    return y.astype(np.int64)


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 inside radius 2.5, class 0 on a ring from 3.5 to 5 (Playground's circle)."""
    half = n // 2
    r = np.r_[rng.uniform(0, 2.5, half), rng.uniform(3.5, 5.0, n - half)]
    t = rng.uniform(0, 2 * np.pi, n)
    X = np.c_[r * np.sin(t), r * np.cos(t)] + rng.uniform(-5, 5, (n, 2)) * noise
    return X.astype(np.float32), _labels(np.r_[np.ones(half), np.zeros(n - half)])


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform on the plane (kept off the axes); class 1 where x1·x2 > 0 (Playground's XOR)."""
    X = rng.uniform(-5, 5, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)  # a gap along the axes
    y = (X[:, 0] * X[:, 1] > 0)
    X = X + rng.uniform(-5, 5, (n, 2)) * noise
    return X.astype(np.float32), _labels(y)


def gaussians(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds at (2, 2) and (-2, -2); noise widens them."""
    half = n // 2
    std = 0.5 + 4.0 * noise
    X = np.r_[rng.normal(2, std, (half, 2)), rng.normal(-2, std, (n - half, 2))]
    return X.astype(np.float32), _labels(np.r_[np.ones(half), np.zeros(n - half)])


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms, 1.75 turns each, out to radius 5 (Playground's spiral)."""
    half = n // 2
    parts = []
    for k, m in enumerate((half, n - half)):
        i = np.arange(m)
        r = i / m * 5
        t = 1.75 * i / m * 2 * np.pi + k * np.pi
        parts.append(np.c_[r * np.sin(t), r * np.cos(t)] + rng.uniform(-1, 1, (m, 2)) * noise * 5)
    return np.concatenate(parts).astype(np.float32), _labels(np.r_[np.ones(half), np.zeros(n - half)])


def moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles (scikit-learn's moons), scaled to the plane."""
    half = n // 2
    t0, t1 = rng.uniform(0, np.pi, half), rng.uniform(0, np.pi, n - half)
    upper = np.c_[np.cos(t0), np.sin(t0)]
    lower = np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]
    X = (np.r_[upper, lower] - [0.5, 0.25]) * 3.0 + rng.normal(0, 1, (n, 2)) * noise * 3
    return X.astype(np.float32), _labels(np.r_[np.zeros(half), np.ones(n - half)])


def checkerboard(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform on the plane; the class alternates over a 4 x 4 board of 3 x 3 squares."""
    X = rng.uniform(-6, 6, (n, 2))
    cells = np.floor((X + 6) / 3).astype(int)
    y = (cells[:, 0] + cells[:, 1]) % 2
    X = X + rng.uniform(-3, 3, (n, 2)) * noise
    return X.astype(np.float32), _labels(y)


def plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Regression: target (x1 + x2) / 10 on the plane, noise added to the target."""
    X = rng.uniform(-6, 6, (n, 2))
    y = (X[:, 0] + X[:, 1]) / 12 + rng.uniform(-1, 1, n) * noise
    return X.astype(np.float32), y.astype(np.float32)


GAUSS_CENTRES = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def multi_gaussian(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Regression: six Gaussian bumps of height ±1 (Playground's "regress Gaussian")."""
    X = rng.uniform(-6, 6, (n, 2))
    y = np.zeros(n)
    for cx, cy, sign in GAUSS_CENTRES:
        bump = sign * np.exp(-((X[:, 0] - cx) ** 2 + (X[:, 1] - cy) ** 2) / 2.0)
        y = np.where(np.abs(bump) > np.abs(y), bump, y)
    y = y + rng.uniform(-1, 1, n) * noise
    return X.astype(np.float32), y.astype(np.float32)


#: name -> (task, generator); task is "classification" or "regression"
DATASETS: dict[str, tuple[str, Generator]] = {
    "circle": ("classification", circle),
    "xor": ("classification", xor),
    "gaussians": ("classification", gaussians),
    "spiral": ("classification", spiral),
    "moons": ("classification", moons),
    "checkerboard": ("classification", checkerboard),
    "plane": ("regression", plane),
    "multi_gaussian": ("regression", multi_gaussian),
}


# -- input features -------------------------------------------------------------------------
#: name, label; each is a function of the plane coordinates u (±6) through c = u / 3
FEATURES: tuple[tuple[str, str], ...] = (
    ("x1", "x1"), ("x2", "x2"), ("x1_sq", "x1²"), ("x2_sq", "x2²"),
    ("x1x2", "x1·x2"), ("sin_x1", "sin x1"), ("sin_x2", "sin x2"),
)
FEATURE_LABELS = dict(FEATURES)
SCALE = 3.0  # x1 = u1 / 3: about ±2 on the plane


def feature_columns(u: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """The chosen input features of points u: (n, k) on the plane (columns beyond the
    first two, from a CSV, follow as u / 3); returns (n, len(names) + k - 2) float32.
    x1 = u1/3, x1² = (u1/3)², x1·x2 = (u1/3)(u2/3), sin x1 = sin(u1)."""
    c = u / np.float32(SCALE)
    c1, c2 = c[:, 0], c[:, 1]
    table = {"x1": lambda: c1, "x2": lambda: c2, "x1_sq": lambda: c1 * c1, "x2_sq": lambda: c2 * c2,
             "x1x2": lambda: c1 * c2, "sin_x1": lambda: np.sin(u[:, 0]), "sin_x2": lambda: np.sin(u[:, 1])}
    cols = [table[name]() for name in names] + [c[:, j] for j in range(2, u.shape[1])]
    if not cols:
        return np.zeros((len(u), 0), dtype=np.float32)
    return np.stack(cols, axis=1).astype(np.float32)


# -- tables of one's own ------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """A CSV file read for the playground.

    u: (n, f) float32, the feature columns standardised and put on the plane (z-score
    times 2, so ±3 standard deviations span it); y: (n,) int64 classes or float32
    targets scaled to about [-1, 1]; columns: the feature names; target: the label
    column's name; classes: the class names (empty for regression); mean, std: each
    feature column's, and y_mean, y_scale the target's (raw = y * y_scale + y_mean)."""

    path: str
    u: np.ndarray
    y: np.ndarray
    columns: tuple[str, ...]
    target: str
    classes: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    y_mean: float = 0.0
    y_scale: float = 1.0

    @property
    def task(self) -> str:
        return "classification" if self.classes else "regression"


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _pick_column(header: list[str], label: str | int | None) -> int:
    if label is None:
        return len(header) - 1
    if isinstance(label, int) or (isinstance(label, str) and label.strip().lstrip("-").isdigit()):
        i = int(label)
        k = i - 1 if i > 0 else len(header) + i  # 1-based position, or from the end
        if not 0 <= k < len(header):
            raise DataError(f"label column {label}: the file has columns 1 to {len(header)}")
        return k
    names = [h.strip() for h in header]
    if label.strip() not in names:
        raise DataError(f"no column named {label!r}; the columns are {', '.join(names)}")
    return names.index(label.strip())


def read_csv(path: str | os.PathLike, label: str | int | None = None) -> Table:
    """Read a CSV with a header row, two or more numeric feature columns and a label
    column (by name, 1-based position or -1 for the last; default the last). A label
    column of text or of at most six whole numbers makes classes; other numbers make a
    regression target. Raises DataError with one line for every bad file."""
    p = Path(path).expanduser()
    if not p.exists():
        raise DataError(f"{p}: no such file")
    if not p.is_file():
        raise DataError(f"{p}: not a file")
    raw = p.read_bytes()
    if len(raw) > 20_000_000:
        raise DataError(f"{p}: {len(raw) // 1_000_000} MB is too big to train live (at most {MAX_ROWS} rows)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{p}: not a CSV file (not text)") from None
    if "\x00" in text:
        raise DataError(f"{p}: not a CSV file (not text)")
    try:
        rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    except csv.Error as exc:
        raise DataError(f"{p}: not a CSV file ({exc})") from None
    if not rows:
        raise DataError(f"{p}: the file is empty")
    header = rows[0]
    if len(header) < 3:
        raise DataError(f"{p}: not a CSV file with 2+ feature columns and a label: the first row has "
                        f"{len(header)} column{'s' if len(header) != 1 else ''}")
    body = rows[1:]
    if all(_number(c) is not None for c in header):
        raise DataError(f"{p}: the first row must name the columns (it is all numbers)")
    for i, r in enumerate(body):
        if len(r) != len(header):
            raise DataError(f"{p}: row {i + 2} has {len(r)} cells, the header {len(header)}: not a CSV table")
    if len(body) > MAX_ROWS:
        raise DataError(f"{p}: {len(body)} rows are too many to train live (at most {MAX_ROWS})")
    if len(body) < MIN_ROWS:
        raise DataError(f"{p}: {len(body)} rows are too few (at least {MIN_ROWS})")
    try:
        k = _pick_column(header, label)
    except DataError as exc:
        raise DataError(f"{p}: {exc}") from None
    feature_idx = [j for j in range(len(header)) if j != k]
    x = np.empty((len(body), len(feature_idx)), dtype=np.float64)
    for i, r in enumerate(body):
        for col, j in enumerate(feature_idx):
            cell = r[j].strip()
            value = _number(cell)
            if value is None and cell.lower() not in ("", "na", "n/a"):
                raise DataError(f"{p}: row {i + 2}, column {header[j].strip()!r}: {cell!r} is not a number")
            if value is None or not math.isfinite(value):
                raise DataError(f"{p}: row {i + 2}, column {header[j].strip()!r}: missing or NaN/inf value ({cell!r})")
            x[i, col] = value
    cells = [r[k].strip() for r in body]
    for i, cell in enumerate(cells):
        if cell.lower() in ("", "nan", "na", "n/a", "inf", "-inf"):
            raise DataError(f"{p}: row {i + 2}, label column {header[k].strip()!r}: missing or NaN value ({cell!r})")
    numbers = [_number(c) for c in cells]
    distinct = sorted(set(cells))
    numeric = all(v is not None for v in numbers)
    whole = numeric and all(float(v).is_integer() for v in numbers if v is not None)
    if not numeric or (whole and len(distinct) <= CLASS_LIKE_VALUES):
        if numeric:
            distinct = sorted(distinct, key=lambda c: float(c))
        if len(distinct) < 2:
            raise DataError(f"{p}: the label column {header[k].strip()!r} has one class only ({distinct[0]!r}): "
                            "nothing to tell apart")
        if len(distinct) > MAX_CLASSES:
            raise DataError(f"{p}: the label column {header[k].strip()!r} has {len(distinct)} classes "
                            f"(at most {MAX_CLASSES})")
        index = {c: i for i, c in enumerate(distinct)}
        y: np.ndarray = np.array([index[c] for c in cells], dtype=np.int64)
        classes = tuple(distinct)
        y_mean, y_scale = 0.0, 1.0
    else:
        t = np.array(numbers, dtype=np.float64)
        if np.ptp(t) == 0:
            raise DataError(f"{p}: the target column {header[k].strip()!r} is constant: nothing to fit")
        y_mean = float(t.mean())
        y_scale = float(np.abs(t - y_mean).max())
        y = ((t - y_mean) / y_scale).astype(np.float32)
        classes = ()
    mean, std = x.mean(axis=0), x.std(axis=0)
    constant = [header[j].strip() for j, s in zip(feature_idx, std) if s == 0]
    if constant:
        raise DataError(f"{p}: the feature column {constant[0]!r} is constant: it tells nothing")
    u = ((x - mean) / std * 2.0).astype(np.float32)
    return Table(str(p), u, y, tuple(header[j].strip() for j in feature_idx), header[k].strip(), classes,
                 mean.astype(np.float32), std.astype(np.float32), y_mean, y_scale)


def split_label(spec: str) -> tuple[str, str | None]:
    """"FILE" or "FILE:LABEL" (a path that exists as given is a path, colons and all)."""
    if os.path.exists(os.path.expanduser(spec)) or ":" not in spec:
        return spec, None
    path, label = spec.rsplit(":", 1)
    return path, label or None


def write_csv(path: str | os.PathLike, u: np.ndarray, y: np.ndarray, split: np.ndarray) -> None:
    """Write points u: (n, 2), labels or targets y: (n,) and each row's split ("train" /
    "test") as a CSV with a header (x1, x2, label, split)."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x1", "x2", "label", "split"])
        for (a, b), t, s in zip(u.tolist(), y.tolist(), split.tolist()):
            w.writerow([f"{a:.6g}", f"{b:.6g}", t if isinstance(t, int) else f"{t:.6g}", s])
