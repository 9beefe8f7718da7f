"""Compare runs: a pinned copy of a run (its values, bounded metric curves and figures of
merit) that stays on the plots while the learner changes a control and runs again. No
Textual.

A lesson declares its figures of merit on its Experiment::

    figures = (steps_until("grad_norm", below=GRAD_TOL, key="steps", name=T(...)),
               final("loss", key="loss", name=T(...)))

``pin(experiment)`` copies a run (take it under the runner's lock: ``runner.call(pin)``);
it costs a few bounded array copies, never a pass over the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Literal, Mapping, Sequence

import numpy as np

if TYPE_CHECKING:
    from .experiment import Experiment
    from .history import History

#: At most this many runs are pinned at once.
MAX_PINS = 4
#: At most this many points are kept per pinned series (a plot draws two per column).
PIN_POINTS = 1024

Unit = Literal["steps", "value", "percent"]
Threshold = float | Callable[["Experiment"], float | None]


def T(en: str, ko: str) -> dict[str, str]:  # noqa: N802 - reads as a literal in a declaration
    """A text in English and Korean."""
    return {"en": en, "ko": ko}


@dataclass(frozen=True)
class Figure:
    """One figure of merit of a run: ``measure(experiment)`` gives it (None: not reached
    yet, e.g. a run that has not converged). ``key`` names it in saved files; ``name`` is
    its short table header in every language; ``unit`` says how it is written."""

    key: str
    name: Mapping[str, str]
    measure: Callable[["Experiment"], float | None]
    unit: Unit = "value"

    def format(self, value: float | None) -> str:
        """``value`` as the table writes it ("—" for none)."""
        if value is None or not math.isfinite(value):
            return "—"
        if self.unit == "steps":
            return f"{int(value):,}"
        if self.unit == "percent":
            return f"{100 * value:.1f}%"
        return f"{value:.3g}" if 1e-3 <= abs(value) < 1e4 or value == 0 else f"{value:.2e}"

    def label(self, lang: str) -> str:
        return self.name.get(lang) or self.name["en"]


def _threshold(value: Threshold, experiment: "Experiment") -> float | None:
    return value(experiment) if callable(value) else value


def _first_step(history: "History", below: float | None, above: float | None) -> float | None:
    """The step of the first stored point past the threshold (None: none)."""
    x, y, _ = history.points()
    hit = y < below if below is not None else y >= above
    index = np.flatnonzero(hit)
    return float(x[index[0]]) if index.size else None


def steps_until(metric: str, *, key: str, name: Mapping[str, str], below: Threshold | None = None,
                above: Threshold | None = None) -> Figure:
    """The first step at which ``metric`` is below ``below`` (or at least ``above``);
    None until it gets there. Exact while the history keeps every step (its first
    ``history_capacity`` steps), to the history's resolution after."""

    def measure(experiment: "Experiment") -> float | None:
        if metric not in experiment.history:
            return None
        lo = _threshold(below, experiment) if below is not None else None
        hi = _threshold(above, experiment) if above is not None else None
        if lo is None and hi is None:
            return None
        return _first_step(experiment.history[metric], lo, hi)

    return Figure(key, name, measure, "steps")


def value_when(metric: str, when: str, *, key: str, name: Mapping[str, str], below: Threshold | None = None,
               above: Threshold | None = None, unit: Unit = "value") -> Figure:
    """``metric`` at the first step at which ``when`` is below ``below`` (or at least
    ``above``); None until then (e.g. test accuracy when validation accuracy passed its target)."""
    first = steps_until(when, key=key, name=name, below=below, above=above)

    def measure(experiment: "Experiment") -> float | None:
        step = first.measure(experiment)
        if step is None or metric not in experiment.history:
            return None
        x, y, _ = experiment.history[metric].points()
        index = np.flatnonzero(x >= step)
        return float(y[index[0]]) if index.size else None

    return Figure(key, name, measure, unit)


def final(metric: str, *, key: str, name: Mapping[str, str], window: int = 1, unit: Unit = "value") -> Figure:
    """The latest value of ``metric``, or its mean over the last ``window`` steps (a noisy
    minibatch metric)."""

    def measure(experiment: "Experiment") -> float | None:
        if metric not in experiment.history:
            return None
        h = experiment.history[metric]
        if window <= 1:
            return float(h.last) if math.isfinite(h.last) else None
        x, y, n = h.points()
        if not x.size:
            return None
        keep = x > x[-1] - window
        return float(np.sum(y[keep] * n[keep]) / np.sum(n[keep]))

    return Figure(key, name, measure, unit)


def figures_of(experiment: "Experiment | type[Experiment]") -> tuple[Figure, ...]:
    """The lesson's declared figures, or its final loss if it declares none."""
    declared: tuple[Figure, ...] = getattr(experiment, "figures", ())
    return declared or (final("loss", key="loss", name=T("final loss", "최종 손실")),)


def measure_figures(experiment: "Experiment") -> dict[str, float | None]:
    """Every figure of ``experiment`` now, by key (call under the runner's lock)."""
    out: dict[str, float | None] = {}
    for figure in figures_of(experiment):
        try:
            value = figure.measure(experiment)
        except (ValueError, TypeError, KeyError, IndexError, ZeroDivisionError):
            value = None
        out[figure.key] = None if value is None or not math.isfinite(value) else float(value)
    return out


# -- a pinned run ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PinnedRun:
    """A copy of a run to compare with: its values and seed, the step it was pinned at,
    each metric as (step, value, raw points) reduced to at most PIN_POINTS points, its
    figures by key, and whether its seed changed it (False: a deterministic run, which
    its values alone tell apart)."""

    values: Mapping[str, Any]
    seed: int
    step: int
    series: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
    figures: Mapping[str, float | None] = field(default_factory=dict)
    seeded: bool = True

    def curve(self, metric: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(steps, values) of ``metric``, or None if the run did not record it."""
        s = self.series.get(metric)
        return None if s is None else (s[0], s[1])


def reduce_points(x: np.ndarray, y: np.ndarray, n: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """At most ``max_points`` points: groups of 2^k neighbours, each the group's last step,
    its mean value weighted by raw points, and its raw points (copies)."""
    count = x.shape[0]
    if count <= max_points:
        return x.copy(), y.copy(), n.copy()
    group = 1 << max(0, math.ceil(math.log2(count / max(int(max_points), 1))))
    edges = np.arange(0, count, group)
    ends = np.append(edges[1:], count) - 1
    points = np.add.reduceat(n, edges)
    means = np.add.reduceat(y * n, edges) / points
    return x[ends].copy(), means, points


def pin(experiment: "Experiment", max_points: int = PIN_POINTS) -> PinnedRun:
    """Copy ``experiment``'s run to compare with (under the runner's lock)."""
    series = {}
    for name in experiment.history.names():
        x, y, n = experiment.history[name].points()
        series[name] = reduce_points(x, y, n, max(int(max_points), 2))
    return PinnedRun(dict(experiment.values), int(experiment.seed), int(experiment.step_count), series,
                     measure_figures(experiment), bool(experiment.uses_seed()))


# -- labels ----------------------------------------------------------------------------------
#: Short names of common hyperparameters in a legend ({"en", "ko"}); others use their name.
SHORT_NAMES: dict[str, dict[str, str]] = {
    "learning_rate": T("lr", "학습률"),
    "optimizer": T("opt", "옵티마이저"),
    "batch_size": T("batch", "배치"),
    "kernel_size": T("kernel", "커널"),
    "filters": T("filters", "필터"),
    "init": T("init", "초기화"),
    "activation": T("act", "활성화"),
    "depth": T("depth", "층"),
    "surface": T("surface", "곡면"),
    "start": T("start", "시작"),
    "sample": T("sample", "샘플"),
    "filter": T("filter", "필터 번호"),
    # lessons 2, 5 and 7 (cost functions, batch size, normalisation)
    "batch": T("B", "B"),
    "loss": T("cost", "비용"),
    "delta": T("δ", "δ"),
    "outliers": T("outliers", "이상치"),
    "normalization": T("norm", "정규화"),
    "lr_fraction": T("α/(2/λmax)", "α/(2/λmax)"),
}
#: Hyperparameters that change what is shown, not the run (never listed as a difference).
VIEW_ONLY = frozenset({"sample", "filter", "x_axis"})


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def differences(run: PinnedRun, values: Mapping[str, Any], seed: int, lang: str) -> str:
    """What sets ``run`` apart from the current run (values, seed), shortly: "lr 0.3",
    "init he, act relu"; "seed 3" if only the seed differs and the seed changed the run
    (never for a deterministic run: the seed changes nothing there); "" if nothing does."""
    parts = []
    for name, value in run.values.items():
        if name in VIEW_ONLY or values.get(name) == value:
            continue
        short = SHORT_NAMES.get(name)
        label = (short.get(lang) or short["en"]) if short else name.replace("_", " ")
        parts.append(f"{label} {_value_text(value)}")
    if not parts and run.seed != seed and run.seeded:
        parts.append(("시드" if lang == "ko" else "seed") + f" {run.seed}")
    return ", ".join(parts)


def pin_label(index: int, run: PinnedRun, values: Mapping[str, Any], seed: int, lang: str) -> str:
    """The legend label of pinned run ``index`` (0-based): "#1 lr 0.3" ("#1" alone if it
    differs in nothing)."""
    diff = differences(run, values, seed, lang)
    return f"#{index + 1} {diff}" if diff else f"#{index + 1}"


# -- save / resume ---------------------------------------------------------------------------
def to_state(runs: Sequence[PinnedRun]) -> list[dict[str, Any]]:
    """Pinned runs as a tree of dicts, lists, plain scalars and arrays (for a session file)."""
    return [
        {
            "values": dict(run.values),
            "seed": run.seed,
            "step": run.step,
            "series": [{"name": name, "x": x, "y": y, "n": n} for name, (x, y, n) in run.series.items()],
            "figures": {k: (None if v is None else float(v)) for k, v in run.figures.items()},
            "seeded": bool(run.seeded),
        }
        for run in runs
    ]


def from_state(state: Any) -> list[PinnedRun]:
    """The pinned runs of ``to_state``; raises ValueError (one line) if they do not fit."""
    if not isinstance(state, list) or len(state) > MAX_PINS:
        raise ValueError("pinned runs: not a list of at most {MAX_PINS}".format(MAX_PINS=MAX_PINS))
    runs = []
    for i, item in enumerate(state):
        where = f"pinned run {i + 1}"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: not a record")
        values, seed, step, series, figures = (item.get(k) for k in ("values", "seed", "step", "series", "figures"))
        if not isinstance(values, dict) or not all(isinstance(k, str) for k in values):
            raise ValueError(f"{where}: bad values")
        for name, number in (("seed", seed), ("step", step)):
            if not isinstance(number, (int, np.integer)) or isinstance(number, bool) or number < 0:
                raise ValueError(f"{where}: bad {name}")
        if not isinstance(figures, dict) or not all(
            isinstance(k, str) and (v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)))
            for k, v in figures.items()
        ):
            raise ValueError(f"{where}: bad figures")
        if not isinstance(series, list):
            raise ValueError(f"{where}: bad series")
        seeded = item.get("seeded", True)  # files from before it was kept: as before
        if not isinstance(seeded, (bool, np.bool_)):
            raise ValueError(f"{where}: bad seeded")
        curves: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for s in series:
            if not isinstance(s, dict) or not isinstance(s.get("name"), str) or s["name"] in curves:
                raise ValueError(f"{where}: bad or repeated series name")
            x, y, n = s.get("x"), s.get("y"), s.get("n")
            arrays_ok = all(isinstance(a, np.ndarray) and a.ndim == 1 for a in (x, y, n))
            if not arrays_ok or not (x.shape == y.shape == n.shape) or x.shape[0] > PIN_POINTS:  # type: ignore[union-attr]
                raise ValueError(f"{where}: series {s['name']!r} is not three vectors of one length")
            assert isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and isinstance(n, np.ndarray)
            if x.dtype.kind not in "fiu" or y.dtype.kind != "f" or n.dtype.kind not in "iu":
                raise ValueError(f"{where}: series {s['name']!r} has the wrong dtypes")
            curves[s["name"]] = (x.astype(np.float64), y.astype(np.float64), n.astype(np.int64))
        runs.append(PinnedRun(dict(values), int(seed), int(step), curves,  # type: ignore[arg-type]
                              {k: (None if v is None else float(v)) for k, v in figures.items()}, bool(seeded)))
    return runs


__all__ = [
    "Figure",
    "MAX_PINS",
    "PIN_POINTS",
    "PinnedRun",
    "differences",
    "figures_of",
    "final",
    "from_state",
    "measure_figures",
    "pin",
    "pin_label",
    "reduce_points",
    "steps_until",
    "to_state",
    "value_when",
]
