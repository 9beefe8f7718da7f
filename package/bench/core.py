"""Core training speed: every lesson's ``step()`` against its model family's practical limit.

A lesson declares its model family (``Experiment.family``: "surface", "mlp", "cnn", "rnn",
"autoencoder", or "arms" for several MLPs trained in lockstep); each
family has a hand-fused NumPy loop and a PyTorch loop (``fused``, ``torch_loops``) built
from the Experiment's declared parts, so they run any lesson of the family. For every
discovered lesson with a family, three contenders run the *same* training at the
lesson's default settings, interleaved in short alternating rounds in one process so
that machine noise hits them all alike:

- **core**: the lesson's own ``Experiment.step(n)``, headless;
- **fused**: the family's hand-fused NumPy loop (the practical limit of NumPy);
- **torch**: the family's PyTorch loop on the CPU with one thread (only when torch is
  installed; it is never a dependency).

Each is built from its own freshly built Experiment (initial weights, data and a copy of
its minibatch RNG), so from the same start all take the same batches;
``tests/core/test_bench_core.py`` checks that they compute the same losses and weights.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..core.experiment import Experiment
from ..core import lessons as lesson_modules
from ..core.lessons import by_key
from .fused import FusedArms, FusedAutoencoder, FusedCNN, FusedMLP, FusedRNN, FusedSurface, Unsupported
from .torch_loops import TorchArms, TorchAutoencoder, TorchCNN, TorchMLP, TorchRNN, TorchSurface, torch_status, torch_version
from .fused import FusedLinear
from .torch_loops import TorchLinear

#: the targets of the issue: core >= 0.7 x fused everywhere; core >= 2 x torch for the
#: surface, MLP and arms (MLP-size) families and >= 1 x torch for the CNN, RNN and
#: autoencoder families. A lesson with no family may say why in ``bench_note``.
FUSED_TARGET = 0.7


@dataclass(frozen=True)
class Family:
    """A model family's contenders: its fused and torch loops (each built from a fresh
    Experiment of the family) and the core/torch target."""

    name: str
    fused: Callable[[Experiment], Any]
    torch: Callable[[Experiment], Any]
    torch_target: float


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("surface", FusedSurface, TorchSurface, 2.0),
        Family("mlp", FusedMLP, TorchMLP, 2.0),
        Family("cnn", FusedCNN, TorchCNN, 1.0),
        Family("rnn", FusedRNN, TorchRNN, 1.0),
        Family("autoencoder", FusedAutoencoder, TorchAutoencoder, 1.0),
        Family("arms", FusedArms, TorchArms, 2.0),
        Family("linear", FusedLinear, TorchLinear, 2.0),
    )
}


def family_of(cls: type[Experiment]) -> Family:
    """The family a lesson declares; ValueError if it declares none or an unknown one."""
    if cls.family is None:
        raise Unsupported(f"lesson {cls.info.key!r} declares no model family: not compared ({not_compared_reason(cls)})")
    if cls.family not in FAMILIES:
        raise Unsupported(f"lesson {cls.info.key!r} declares family {cls.family!r}; the benchmark has {', '.join(FAMILIES)}")
    return FAMILIES[cls.family]


def compared_lessons(families: list[str] | None = None) -> list[type[Experiment]]:
    """Every discovered lesson that declares a family the benchmark has (of ``families``
    when given), in lesson order."""
    return [cls for cls in lesson_modules.all_lessons() if cls.family in FAMILIES and (families is None or cls.family in families)]


def one_per_family() -> list[type[Experiment]]:
    """The first compared lesson of each family: a smoke run that stays as long as lessons join."""
    first: dict[str, type[Experiment]] = {}
    for cls in compared_lessons():
        first.setdefault(str(cls.family), cls)
    return list(first.values())


def not_compared_reason(cls: type[Experiment]) -> str:
    """Why a lesson is not compared: its ``bench_note`` (a short English sentence a lesson
    without a fused counterpart declares), else that it declares no model family."""
    note = getattr(cls, "bench_note", None)
    if note:
        return str(note)
    if cls.family is not None and cls.family not in FAMILIES:
        return f"family {cls.family!r} has no loops in the benchmark"
    return "no model family declared"


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

#: the clocks a measurement can run on: wall time (the default), or the CPU time of the
#: measuring thread (``--cpu-time``: time other jobs take from this process is not
#: counted, so a machine loaded by other work changes the numbers less)
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.thread_time}


def _calibrate(runner: Any, seconds: float = CHUNK_SECONDS, clock: Callable[[], float] = time.perf_counter) -> int:
    """Warm ``runner`` up and return how many steps take about ``seconds``."""
    runner.step(1)  # the first step may build caches or (torch) initialise lazily
    runner.step(1)
    n = 1
    while True:
        t0 = clock()
        runner.step(n)
        elapsed = clock() - t0
        if elapsed >= seconds / 4 or n >= 1 << 16:
            return max(1, int(n * seconds / max(elapsed, 1e-9)))
        n *= 2


def _time_slot(runner: Any, chunk: int, seconds: float, clock: Callable[[], float] = time.perf_counter) -> float:
    """Steps per second of ``runner.step(chunk)`` repeated for about ``seconds`` (of ``clock``)."""
    steps = 0
    start = clock()
    deadline = start + seconds
    while True:
        runner.step(chunk)
        steps += chunk
        now = clock()
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


def measure_lesson(
    lesson: str | type[Experiment], seconds: float, *, use_torch: bool = True, round_seconds: float = 0.2, clock: str = "wall"
) -> dict:
    """One lesson's row (a key or an Experiment class): core, its family's fused and (if
    available) torch steps/s, interleaved.

    Each contender is built from its own freshly built Experiment (``cls(seed=0)``, the
    default hyperparameters), warmed up, and steps in chunks of about 5 ms (``step(n)``,
    as the app's runner does). Then rounds of ``round_seconds`` per contender (fewer
    seconds when the budget is small) alternate, in a rotating order, until ``seconds``
    is spent; each contender's rate is its best round (noise only ever slows a round
    down; the medians are in the row too). ``clock``: "wall" or "cpu" (see ``CLOCKS``).
    """
    tick = CLOCKS[clock]
    cls = by_key(lesson) if isinstance(lesson, str) else lesson
    family = family_of(cls)
    contenders = [_Contender("core", _Core(cls(seed=0)), []), _Contender("fused", family.fused(cls(seed=0)), [])]
    torch_note = torch_status() if use_torch else "not asked"
    if torch_note is None:
        contenders.append(_Contender("torch", family.torch(cls(seed=0)), []))
    for c in contenders:
        c.chunk = _calibrate(c.runner, clock=tick)
    slot = min(round_seconds, seconds / (3 * len(contenders)))
    rounds = max(3, int(seconds / (slot * len(contenders))))
    for r in range(rounds):
        order = contenders[r % len(contenders) :] + contenders[: r % len(contenders)]
        for c in order:
            c.rates.append(_time_slot(c.runner, c.chunk, slot, tick))
    rates = {c.name: max(c.rates) for c in contenders}
    medians = {c.name: statistics.median(c.rates) for c in contenders}
    row: dict[str, Any] = {
        "lesson": cls.info.key,
        "family": family.name,
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
        "torch_target": family.torch_target,
        "torch_note": torch_note or "",
        "clock": clock,
    }
    # a lesson with its own loops within its family (e.g. the arms family's dropout): what they do
    row["does"] = {c.name: str(getattr(type(c.runner), "does", "")) for c in contenders if c.name != "core"}
    row["core_torch"] = rates["core"] / rates["torch"] if "torch" in rates else None
    row["fused_pass"] = row["core_fused"] >= FUSED_TARGET
    row["torch_pass"] = None if row["core_torch"] is None else row["core_torch"] >= row["torch_target"]
    row["pass"] = row["fused_pass"] and row["torch_pass"] is not False
    return row


def measure_core(
    seconds: float = 30.0, *, use_torch: bool = True, lessons: list[str | type[Experiment]] | None = None, clock: str = "wall"
) -> list[dict]:
    """The row of every lesson with a family (see ``measure_lesson``; default: every
    discovered one); ``seconds`` is the total budget, shared equally by the lessons.
    Returns a list of dicts with keys: lesson, family, core,
    fused, torch (steps/s; torch None without torch), core_fused, core_torch (ratios),
    fused_target, torch_target, fused_pass, torch_pass (None without torch), pass,
    torch_note ("" or why torch is missing), and the medians, rounds and chunks (steps
    per ``step(n)`` call of each contender) and the clock ("wall" or "cpu")."""
    chosen = lessons or list(compared_lessons())
    return [measure_lesson(k, seconds / len(chosen), use_torch=use_torch, clock=clock) for k in chosen]


def _rate(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def format_core(rows: list[dict]) -> str:
    """A Markdown table of ``measure_core``'s rows, then what each contender does."""
    lines = [
        "| family | lesson | core steps/s | fused steps/s | core/fused (>= 0.7) | torch steps/s | core/torch (target) | pass |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        if r["core_torch"] is None:
            vs_torch = r["torch_note"] or "-"
        else:
            mark = "ok" if r["torch_pass"] else "BELOW"
            vs_torch = f"{r['core_torch']:.2f}x (>= {r['torch_target']:g}x) {mark}"
        mark = "ok" if r["fused_pass"] else "BELOW"
        lines.append(
            f"| {r['family']} | {r['lesson']} | {_rate(r['core'])} | {_rate(r['fused'])} | {r['core_fused']:.2f} {mark} | "
            f"{_rate(r['torch'])} | {vs_torch} | {'yes' if r['pass'] else 'NO'} |"
        )
    notes = []
    if rows:
        notes.append(
            f"best of {rows[0]['rounds']} interleaved rounds per contender; "
            f"NumPy {np.__version__}, OpenBLAS kernel {blas_kernel()}, {blas_threads() or '?'} BLAS thread(s)"
            + (f", OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']}" if os.environ.get("OPENBLAS_CORETYPE") else "")
            + (f"; torch {torch_version()} on 1 thread" if any(r["torch"] is not None for r in rows) else "")
            + ("; steps per second of CPU time of the measuring thread (--cpu-time)" if rows[0].get("clock") == "cpu" else "")
        )
        notes.append("\ncore: the lesson's own step(n) (with any per-step hook of the lesson, e.g. gradient norms for a view). Per family:")
        for name in dict.fromkeys(r["family"] for r in rows):
            family = FAMILIES[name]
            notes.append(f"- {name}: fused = {getattr(family.fused, 'does', '')}; torch = {getattr(family.torch, 'does', '')}")
        for r in rows:
            does, family = r.get("does", {}), FAMILIES[r["family"]]
            if does.get("fused", "") not in ("", getattr(family.fused, "does", "")):
                notes.append(f"- {r['lesson']} ({r['family']}): fused = {does['fused']}"
                             + (f"; torch = {does['torch']}" if does.get("torch") else ""))
    skipped = [cls for cls in lesson_modules.all_lessons() if cls.family not in FAMILIES]
    if skipped:
        notes.append("\nnot compared:")
        notes += [f"- {cls.info.key}: {not_compared_reason(cls)}" for cls in skipped]
    return "\n".join(lines + [""] + notes)


if __name__ == "__main__":  # a quick look: python -m nndojo.bench.core [seconds]
    import sys

    print(format_core(measure_core(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0)))
