"""Save and resume a lesson's run; export its metric history as CSV. No Textual.

A session file is one uncompressed NumPy ``.npz`` archive (read with
``allow_pickle=False``; nothing in it is ever unpickled) holding

- ``meta``: UTF-8 JSON as a uint8 vector::

      {"format": "nndojo-session", "version": 1, "nndojo": "0.1.0",
       "saved_at": "2025-01-01T12:00:00+00:00", "lesson": "cnn", "title": "...",
       "step": 120, "epoch": 2.1, "seed": 0, "values": {...},
       "diverged": false, "converged": false, "message": "",
       "arrays": 17, "state": <Experiment.state_dict() with every array replaced by
                               {"$array": "a<i>"} and every NumPy scalar by {"$scalar": "a<i>"}>,
       "pins": <the pinned runs (core/compare.py to_state), encoded the same way>}

  (a file without "pins", from before runs could be pinned, loads with none);

- ``a0`` ... ``a<n-1>``: the arrays of the state (parameters, gradients, optimiser slots,
  history points, lesson arrays), in their own dtypes;
- ``sha256``: 32 bytes, the SHA-256 of the ``meta`` bytes followed by, for each array in
  order, its name, dtype, shape and bytes.

Writes are atomic (a temporary file in the same directory, flushed and fsynced, then
``os.replace``): a crash never leaves a broken file in place of a good one. Every way a
file can fail to load (missing, unreadable, empty, truncated, corrupted, not a session,
a newer format, an unknown lesson, an invalid saved value) raises ``SessionError`` with
a one-line message, and ``load`` builds a new Experiment, so whatever was running is
untouched. Call ``capture`` (or ``save``) between steps, under the runner's lock;
``capture`` copies everything, so the slow write can happen outside the lock.

The CSV export (``export_csv``) is in long format, one row per stored history point::

    metric,step,value,points
    loss,0,2.3025850929940455,1
    loss,1,2.2871,1

``step`` is the (last) step of the point, ``value`` the mean of the ``points`` raw values
it stands for (the history halves its resolution when full; a last, partly filled bucket
has fewer points). Values are written with ``repr`` so they parse back exactly. With
pinned runs (compare.py) a fifth column ``run`` says whose row it is: ``current``, or
``pin 1 (lr 0.3)`` for the first pinned run (its points are reduced to at most
``compare.PIN_POINTS``, each the mean of ``points`` raw values)::

    metric,step,value,points,run
    loss,0,2.3025850929940455,1,current
    loss,0,2.3025850929940455,1,pin 1 (lr 0.3)
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence
from weakref import WeakKeyDictionary

import numpy as np

from . import compare
from .compare import PinnedRun
from .experiment import Experiment, HyperParamError, StateError
from .lessons import LESSONS, by_key

FORMAT = "nndojo-session"
VERSION = 1
SUFFIX = ".npz"
MAX_BYTES = 256 * 2**20  # larger files are not sessions (the biggest lesson saves < 1 MB)
_ZIP_MAGIC = b"PK\x03\x04"

try:
    from .. import __version__ as NNDOJO_VERSION
except ImportError:  # core used on its own
    NNDOJO_VERSION = "unknown"

_UMASK = os.umask(0)
os.umask(_UMASK)


class SessionError(ValueError):
    """A session that cannot be saved or loaded; the message is one line for the user."""


# -- saving ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Capture:
    """A run's complete state, encoded and detached from the experiment: take it under
    the runner's lock (cheap copies), write it with ``save`` outside the lock."""

    lesson: str
    step: int
    members: Mapping[str, np.ndarray]  # what goes into the archive


def capture(experiment: Experiment, pins: Sequence[PinnedRun] = ()) -> Capture:
    """Copy ``experiment``'s complete state (and the runs pinned beside it) into a
    Capture (no file I/O)."""
    state = experiment.state_dict()
    arrays: list[np.ndarray] = []
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "nndojo": NNDOJO_VERSION,
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "lesson": experiment.info.key,
        "title": experiment.info.title.get("en", experiment.info.key),
        "step": experiment.step_count,
        "epoch": experiment.epoch,
        "seed": experiment.seed,
        "values": dict(experiment.values),
        "diverged": experiment.diverged,
        "converged": experiment.converged,
        "message": experiment.message,
        "state": _flatten(state, arrays),
    }
    if pins:
        meta["pins"] = _flatten(compare.to_state(pins), arrays)
    meta["arrays"] = len(arrays)
    meta_bytes = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    members = {"meta": np.frombuffer(meta_bytes, dtype=np.uint8)}
    members.update((f"a{i}", a) for i, a in enumerate(arrays))
    members["sha256"] = np.frombuffer(_digest(meta_bytes, arrays), dtype=np.uint8)
    return Capture(experiment.info.key, experiment.step_count, members)


def save(experiment: Experiment | Capture, path: str | os.PathLike) -> Path:
    """Write the run (or a Capture of it) to ``path`` atomically; returns the path.
    Raises SessionError (leaving any previous file at ``path`` as it was) if it cannot."""
    cap = experiment if isinstance(experiment, Capture) else capture(experiment)
    path = Path(path).expanduser()
    atomic_write(path, lambda f: np.savez(f, **cap.members))  # type: ignore[arg-type]  # (the stub lets a ** mapping meet allow_pickle: bool)
    return path


def export_csv(experiment: Experiment | str, path: str | os.PathLike) -> Path:
    """Write the metric history as CSV (long format: metric,step,value,points; see the
    module docstring), atomically; returns the path. Raises SessionError if it cannot.
    ``experiment`` may also be the text of ``history_csv`` (taken under the runner's
    lock), so the write happens outside it."""
    text = experiment if isinstance(experiment, str) else history_csv(experiment)
    path = Path(path).expanduser()
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))
    return path


def history_csv(experiment: Experiment, pins: Sequence[PinnedRun] = ()) -> str:
    """The CSV text ``export_csv`` writes (with a ``run`` column if runs are pinned)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["metric", "step", "value", "points"] + (["run"] if pins else []))
    runs: list[tuple[list[str], Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]]]] = [
        (["current"] if pins else [], {name: experiment.history[name].points() for name in experiment.history.names()})
    ]
    for i, run in enumerate(pins):
        diff = compare.differences(run, experiment.values, experiment.seed, "en")
        runs.append(([f"pin {i + 1} ({diff})" if diff else f"pin {i + 1}"], run.series))
    for label, series in runs:
        for name, (xs, ys, ns) in series.items():
            for x, y, n in zip(xs.tolist(), ys.tolist(), ns.tolist()):
                step = int(x) if float(x).is_integer() else repr(x)
                writer.writerow([name, step, repr(float(y)), n, *label])
    return out.getvalue()


def default_path(experiment: Experiment | Capture, directory: str | os.PathLike = ".", ext: str = "npz") -> Path:
    """``<directory>/nndojo-<lesson>-step<N>.<ext>`` (ext "npz" for a session, "csv" for
    the history export)."""
    if isinstance(experiment, Capture):
        lesson, step = experiment.lesson, experiment.step
    else:
        lesson, step = experiment.info.key, experiment.step_count
    return Path(directory).expanduser() / f"nndojo-{lesson}-step{step}.{ext.lstrip('.')}"


def atomic_write(path: Path, write: Callable[[Any], Any]) -> None:
    """Write ``path`` through ``write(file)`` atomically: a temporary file in the same
    folder, flushed and fsynced, then renamed over it. SessionError (one line) if it
    cannot be written; the old file is then untouched."""
    if path.is_dir():
        raise SessionError(f"{path}: is a directory; choose a file name")
    directory = path.parent
    tmp = None
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False) as f:
            tmp = f.name
            write(f)
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = path.stat().st_mode & 0o777  # keep an existing file's permissions
        except OSError:
            mode = 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except BaseException as e:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(e, OSError):
            raise SessionError(f"{path}: cannot write it ({e.strerror or e})") from e
        if isinstance(e, Exception) and not isinstance(e, SessionError):
            raise SessionError(f"{path}: cannot write it ({_one_line(e)})") from e
        raise
    try:  # make the rename itself durable; not possible everywhere
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


# -- loading --------------------------------------------------------------------------
#: The pinned runs each loaded Experiment came with (see ``pins_loaded_with``).
_LOADED_PINS: "WeakKeyDictionary[Experiment, list[PinnedRun]]" = WeakKeyDictionary()


def pins_loaded_with(experiment: Experiment) -> list[PinnedRun]:
    """The runs pinned in the session file ``experiment`` was loaded from (none for an
    experiment not loaded, or a file from before pins)."""
    return list(_LOADED_PINS.get(experiment, ()))


def load(path: str | os.PathLike, expected_lesson: str | None = None) -> Experiment:
    """A new Experiment that continues the saved run exactly. Raises SessionError with a
    one-line message if the file is missing, unreadable, truncated, corrupted, not a
    session, from a newer nndojo, of an unknown lesson (or not ``expected_lesson``), or
    holds values this nndojo rejects. Nothing else is touched."""
    path = Path(path).expanduser()
    meta, arrays = _read(path)
    lesson = meta["lesson"]
    try:
        cls = by_key(lesson)
    except KeyError:
        have = ", ".join(c.info.key for c in LESSONS)
        raise SessionError(f"{path}: a session of lesson {lesson!r}, which this nndojo does not have (it has {have})") from None
    if expected_lesson is not None and lesson != expected_lesson:
        raise SessionError(f"{path}: a session of lesson {lesson!r}, not {expected_lesson!r}")
    try:
        pins = compare.from_state(_unflatten(meta.get("pins", []), arrays))
    except Exception as e:
        raise SessionError(f"{path}: the session's pinned runs are corrupted: {_one_line(e)}") from e
    try:
        state = _unflatten(meta["state"], arrays)
        experiment = cls.from_state_dict(state)
        _LOADED_PINS[experiment] = pins
        return experiment
    except HyperParamError as e:
        raise SessionError(f"{path}: the saved hyperparameters are invalid here: {_one_line(e)}") from e
    except StateError as e:
        raise SessionError(f"{path}: the session file is corrupted or from an incompatible nndojo: {_one_line(e)}") from e
    except Exception as e:  # never let a bad file surface as anything else
        raise SessionError(f"{path}: the session file is corrupted ({type(e).__name__}: {_one_line(e)})") from e


def peek(path: str | os.PathLike) -> dict[str, Any]:
    """The metadata of a session file without building it (for a load dialog): lesson,
    title, step, epoch, seed, values, diverged, converged, message, saved_at, nndojo
    (the version that wrote it), path. The file is fully checked; errors as ``load``."""
    path = Path(path).expanduser()
    meta, _ = _read(path)
    keys = ("lesson", "title", "step", "epoch", "seed", "values", "diverged", "converged", "message", "saved_at", "nndojo")
    info = {k: meta.get(k) for k in keys}
    info["pins"] = len(meta["pins"]) if isinstance(meta.get("pins"), list) else 0
    info["path"] = path
    return info


def _read(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read and check a session file: (meta, arrays by name), or SessionError."""
    try:
        if path.is_dir():
            raise SessionError(f"{path}: is a directory, not a session file")
        if path.exists() and not path.is_file():
            raise SessionError(f"{path}: not a regular file, not a session file")
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except SessionError:
        raise
    except FileNotFoundError:
        raise SessionError(f"{path}: no such file") from None
    except PermissionError:
        raise SessionError(f"{path}: cannot read it (permission denied)") from None
    except OSError as e:
        raise SessionError(f"{path}: cannot read it ({e.strerror or e})") from None
    if not data:
        raise SessionError(f"{path}: the file is empty (truncated: a save that never finished?)")
    if len(data) > MAX_BYTES:
        raise SessionError(f"{path}: not an nndojo session file (far too large)")
    if not data.startswith(_ZIP_MAGIC):
        raise SessionError(f"{path}: not an nndojo session file ({_describe(data)})")

    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            names = set(npz.files)
            if "meta" not in names:
                raise SessionError(f"{path}: not an nndojo session file (a NumPy archive without nndojo metadata)")
            raw = npz["meta"]
            if raw.dtype != np.uint8 or raw.ndim != 1:
                raise SessionError(f"{path}: not an nndojo session file (unknown metadata)")
            meta_bytes = raw.tobytes()
            try:
                meta = json.loads(meta_bytes.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                raise SessionError(f"{path}: the session file is corrupted (unreadable metadata)") from None
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                raise SessionError(f"{path}: not an nndojo session file (foreign metadata)")
            version = meta.get("version")
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                raise SessionError(f"{path}: the session file is corrupted (bad format version {version!r})")
            if version > VERSION:
                raise SessionError(
                    f"{path}: saved by a newer nndojo ({meta.get('nndojo', '?')}, session format {version}); "
                    f"this nndojo {NNDOJO_VERSION} reads format {VERSION}: update nndojo to open it"
                )
            count = meta.get("arrays")
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise SessionError(f"{path}: the session file is corrupted (bad array count)")
            wanted = [f"a{i}" for i in range(count)]
            missing = [n for n in wanted + ["sha256"] if n not in names]
            if missing:
                raise SessionError(f"{path}: the session file is corrupted (missing {', '.join(missing[:3])})")
            arrays = {n: npz[n] for n in wanted}
            checksum = npz["sha256"].tobytes()
    except SessionError:
        raise
    except Exception as e:  # BadZipFile, zlib.error, EOFError, ValueError, OSError, ...
        kind = "truncated or corrupted"
        raise SessionError(f"{path}: the session file is {kind} (the archive cannot be read: {_one_line(e)})") from None

    if checksum != _digest(meta_bytes, [arrays[n] for n in wanted]):
        raise SessionError(f"{path}: the session file is corrupted (checksum mismatch)")
    lesson = meta.get("lesson")
    if not isinstance(lesson, str) or not isinstance(meta.get("state"), dict):
        raise SessionError(f"{path}: the session file is corrupted (no lesson or state)")
    return meta, arrays


def _describe(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "it is a PNG image"
    if data.startswith(b"\x93NUMPY"):
        return "it is a single NumPy array, not a session archive"
    head = data[:4096]
    try:
        head.decode("utf-8")
        is_text = b"\x00" not in head
    except UnicodeDecodeError as e:  # a cut multi-byte character at the end is still text
        is_text = e.start >= len(head) - 3 and b"\x00" not in head
    return "it is a text file" if is_text else "it is not a NumPy .npz archive"


# -- encoding -------------------------------------------------------------------------
def _flatten(value: Any, arrays: list[np.ndarray]) -> Any:
    """JSON-able form of a state tree; arrays (and NumPy scalars) go into ``arrays``."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc":
            raise TypeError(f"cannot save an array of dtype {value.dtype}")
        arrays.append(np.ascontiguousarray(value))
        return {"$array": f"a{len(arrays) - 1}"}
    if isinstance(value, np.generic):
        arrays.append(np.asarray(value))
        return {"$scalar": f"a{len(arrays) - 1}"}
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str) or k.startswith("$"):
                raise TypeError(f"cannot save the key {k!r}")
            out[k] = _flatten(v, arrays)
        return out
    if isinstance(value, (list, tuple)):
        return [_flatten(v, arrays) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value  # NaN and ±inf are written as JSON's NaN / Infinity and read back
    raise TypeError(f"cannot save a {type(value).__name__}")


def _unflatten(value: Any, arrays: Mapping[str, np.ndarray]) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "$array" in value:
            return arrays[value["$array"]]
        if len(value) == 1 and "$scalar" in value:
            a = arrays[value["$scalar"]]
            if a.ndim != 0:
                raise StateError("a saved scalar is not 0-d")
            return a[()]
        return {k: _unflatten(v, arrays) for k, v in value.items()}
    if isinstance(value, list):
        return [_unflatten(v, arrays) for v in value]
    return value


def _digest(meta_bytes: bytes, arrays: list[np.ndarray]) -> bytes:
    h = hashlib.sha256(meta_bytes)
    for i, a in enumerate(arrays):
        a = np.ascontiguousarray(a)
        h.update(f"\0a{i}\0{a.dtype.str}\0{a.shape}\0".encode())
        h.update(a.tobytes())
    return h.digest()


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text[:300] if text else type(e).__name__


__all__ = [
    "Capture",
    "SessionError",
    "capture",
    "default_path",
    "export_csv",
    "history_csv",
    "load",
    "peek",
    "pins_loaded_with",
    "save",
]
