"""The learner's progress (answers to the lessons' questions), kept per user. No Textual.

One small JSON file in the platform's data directory (``data_dir``)::

    {"format": "nndojo-progress", "version": 1,
     "answers": {"<lesson key>": {"<question key>": {"predicted": 1, "shown": 0,
                                                   "at": "2026-12-01T12:00:00+00:00"}}},
     "drill": {"seed": 3, "order": ["<lesson key>/<question key>", ...],
               "answers": {"<lesson key>/<question key>": {...an answer...}},
               "finished": false}}

``drill`` is the latest drill (absent before the first): its questions in the order
asked and the answers given in it, so that a drill left midway resumes where it was.

``shown`` is the choice the run showed (the run is the answer: the file never holds a
right answer of its own). Writes are atomic (see ``session``), so a crash mid-write
leaves the old file. ``load`` never raises for a bad file: a corrupt file, a file of a
newer version or a directory in its place is kept aside (renamed, never deleted) where
possible, the learner is told in one line, and a fresh record starts. ``save`` raises
``ProgressError`` with one line (e.g. a read-only data directory): the app then says it
cannot save and runs on. Call ``save`` off the UI thread.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
import threading
from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

FORMAT = "nndojo-progress"
VERSION = 1
FILE_NAME = "progress.json"
MAX_BYTES = 4 * 2**20  # a record of every question ever answered is a few KB


class ProgressError(OSError):
    """The progress file cannot be written; the message is one line for the learner."""


def data_dir(override: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Where nndojo keeps per-user data: ``override`` (``--data-dir``) if given, else
    $XDG_DATA_HOME/nndojo or ~/.local/share/nndojo on Linux and other Unix systems,
    ~/Library/Application Support/nndojo on macOS, %APPDATA%\\nndojo on Windows."""
    if override is not None:
        return Path(override).expanduser()
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME") or Path.home())
    if sys.platform == "win32":
        return Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "nndojo"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "nndojo"
    xdg = env.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share") / "nndojo"


@dataclass(frozen=True)
class Answer:
    """One answered question: the choice predicted and the choice the run showed."""

    predicted: int
    shown: int
    at: str

    @property
    def right(self) -> bool:
        return self.predicted == self.shown


@dataclass
class Progress:
    """Every answer, by lesson key and question key (the latest answer of each)."""

    answers: dict[str, dict[str, Answer]] = field(default_factory=dict)
    drill: "Drill | None" = None

    def record(self, lesson: str, question: str, predicted: int, shown: int, at: datetime | None = None) -> Answer:
        when = (at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        answer = Answer(int(predicted), int(shown), when)
        self.answers.setdefault(lesson, {})[question] = answer
        return answer

    def score(self, lesson: str) -> tuple[int, int]:
        """(right, answered) for one lesson."""
        answered = self.answers.get(lesson, {})
        return sum(a.right for a in answered.values()), len(answered)

    def to_json(self) -> str:
        answers = {
            lesson: {q: {"predicted": a.predicted, "shown": a.shown, "at": a.at} for q, a in sorted(qs.items())}
            for lesson, qs in sorted(self.answers.items())
        }
        doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "answers": answers}
        if self.drill is not None:
            doc["drill"] = self.drill.to_doc()
        return json.dumps(doc, ensure_ascii=False, indent=1)

    def copy(self) -> "Progress":
        """A copy that later records do not change (answers are immutable)."""
        drill = None if self.drill is None else self.drill.copy()
        return Progress({lesson: dict(qs) for lesson, qs in self.answers.items()}, drill)

    @classmethod
    def from_json(cls, text: str) -> "Progress":
        """Parse a progress file; ValueError (one line) if it is not one this nndojo reads."""
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(f"not JSON ({e.msg} at line {e.lineno})") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ValueError("not an nndojo progress file")
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError("no version")
        if version > VERSION:
            raise ValueError(f"written by a newer nndojo (version {version}; this one reads {VERSION})")
        answers = doc.get("answers")
        if not isinstance(answers, dict):
            raise ValueError("no answers")
        progress = cls()
        for lesson, questions in answers.items():
            if not isinstance(questions, dict):
                raise ValueError(f"lesson {lesson!r}: not a table of answers")
            for question, entry in questions.items():
                progress.answers.setdefault(str(lesson), {})[str(question)] = _answer(entry, f"{lesson}/{question}")
        if doc.get("drill") is not None:
            progress.drill = Drill.from_doc(doc["drill"])
        return progress


@dataclass
class Drill:
    """One drill: every question of the menu's lessons in a seeded order
    ("<lesson>/<question>" ids), the answers given in it, and whether it ended."""

    seed: int
    order: list[str]
    answers: dict[str, Answer] = field(default_factory=dict)
    finished: bool = False

    @property
    def position(self) -> int:
        """How many of its questions have been answered."""
        return sum(q in self.answers for q in self.order)

    def next_question(self) -> str | None:
        """The first question not answered yet (None: every one is)."""
        return next((q for q in self.order if q not in self.answers), None)

    def score(self) -> tuple[int, int]:
        """(right, answered) over the drill's own answers."""
        given = [self.answers[q] for q in self.order if q in self.answers]
        return sum(a.right for a in given), len(given)

    def missed(self) -> list[str]:
        """The questions answered wrongly, in the order asked."""
        return [q for q in self.order if q in self.answers and not self.answers[q].right]

    def copy(self) -> "Drill":
        return Drill(self.seed, list(self.order), dict(self.answers), self.finished)

    def to_doc(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "order": list(self.order),
            "answers": {q: {"predicted": a.predicted, "shown": a.shown, "at": a.at} for q, a in self.answers.items()},
            "finished": self.finished,
        }

    @classmethod
    def from_doc(cls, doc: Any) -> "Drill":
        if not isinstance(doc, dict):
            raise ValueError("drill: not a table")
        seed, order, answers, finished = doc.get("seed"), doc.get("order"), doc.get("answers"), doc.get("finished")
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"drill: bad seed {seed!r}")
        if not isinstance(order, list) or not all(isinstance(q, str) for q in order) or len(set(order)) != len(order):
            raise ValueError("drill: bad order")
        if not isinstance(answers, dict) or not set(answers) <= set(order):
            raise ValueError("drill: bad answers")
        if not isinstance(finished, bool):
            raise ValueError("drill: bad finished")
        return cls(seed, list(order), {q: _answer(a, f"drill/{q}") for q, a in answers.items()}, finished)


def question_id(lesson: str, question: str) -> str:
    """The id of one lesson's question in a drill: "<lesson>/<question>"."""
    return f"{lesson}/{question}"


def split_id(qid: str) -> tuple[str, str]:
    lesson, _, question = qid.partition("/")
    return lesson, question


def new_drill(questions: list[str], seed: int) -> Drill:
    """A drill of ``questions`` (ids) shuffled by ``seed`` (the same seed, the same order)."""
    import random

    order = sorted(questions)
    random.Random(seed).shuffle(order)
    return Drill(seed, order)


def _answer(entry: Any, where: str) -> Answer:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: not an answer")
    predicted, shown, at = entry.get("predicted"), entry.get("shown"), entry.get("at")
    for name, value in (("predicted", predicted), ("shown", shown)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 8:
            raise ValueError(f"{where}: bad {name} {value!r}")
    if not isinstance(at, str):
        raise ValueError(f"{where}: bad time")
    return Answer(predicted, shown, at)  # type: ignore[arg-type]  # checked just above


def path_in(directory: str | os.PathLike[str]) -> Path:
    return Path(directory) / FILE_NAME


@dataclass(frozen=True)
class SetAside:
    """A progress file that could not be used: why (``kind``: "directory", "newer",
    "corrupt" or "unreadable"; ``reason`` in English) and where it went (None: it could
    not be renamed and is left where it is)."""

    path: Path
    kind: str
    reason: str
    aside: Path | None

    def message(self) -> str:
        kept = f"kept as {self.aside.name}" if self.aside is not None else "left where it is"
        return f"{self.path}: {self.reason}; {kept}, starting a fresh record"


def load(path: str | os.PathLike[str]) -> tuple[Progress, str | None]:
    """The progress saved at ``path`` and, if the file could not be used, one line saying
    what happened to it (it is renamed aside, never deleted). A missing file is a fresh
    start with no message."""
    loaded, aside = load_checked(path)
    return loaded, None if aside is None else aside.message()


def load_checked(path: str | os.PathLike[str]) -> tuple[Progress, SetAside | None]:
    """``load``, saying what happened to a bad file as a ``SetAside`` (for a message in
    the learner's language)."""
    path = Path(path)
    if not path.exists():
        return Progress(), None
    kind = "corrupt"
    try:
        if path.is_dir():
            kind = "directory"
            raise ValueError("a directory is in its place")
        if path.stat().st_size > MAX_BYTES:
            raise ValueError("too large to be a progress file")
        return Progress.from_json(path.read_text(encoding="utf-8")), None
    except (ValueError, UnicodeDecodeError, OSError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        if "newer nndojo" in reason:
            kind = "newer"
        elif isinstance(e, OSError):
            kind = "unreadable"
        return Progress(), SetAside(path, kind, reason, _set_aside(path))


def _set_aside(path: Path) -> Path | None:
    """Rename a bad file next to itself (``progress.json.bad-<time>``); None if it cannot be."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    for i in range(100):
        aside = path.with_name(f"{path.name}.bad-{stamp}" + (f"-{i}" if i else ""))
        if aside.exists():
            continue
        try:
            os.replace(path, aside)
            return aside
        except OSError:
            return None
    return None


def save(progress: Progress, path: str | os.PathLike[str]) -> Path:
    """Write ``progress`` atomically (creating the data directory). ProgressError (one
    line) if it cannot be written; the old file is then untouched."""
    from .session import SessionError, atomic_write  # one way to write a file safely

    path = Path(path)
    data = progress.to_json().encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ProgressError(f"{path.parent}: cannot create it ({e.strerror or e}); progress is not saved") from e
    try:
        atomic_write(path, lambda f: f.write(data))
    except SessionError as e:
        raise ProgressError(f"{e}; progress is not saved") from e
    return path


class ProgressStore:
    """The learner's progress in memory, read and written on a worker thread of its own
    (never on the UI thread): ``start`` loads it, every change is saved in the
    background, in order, atomically.

    ``on_set_aside(SetAside)`` is called once if the file had to be set aside,
    ``on_cannot_save(message)`` once when the first save fails (later ones are tried
    quietly), ``on_loaded()`` once the file has been read; all from the worker thread
    (the app passes them on to its own). ``path=None`` keeps progress in memory only."""

    def __init__(
        self,
        path: Path | None,
        on_loaded: Callable[[], object] | None = None,
        on_set_aside: Callable[[SetAside], object] | None = None,
        on_cannot_save: Callable[[str], object] | None = None,
    ) -> None:
        self.path = path
        self._progress = Progress()
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None  # made on first use (after the first frame)
        self.loaded = threading.Event()
        self.cannot_save: str | None = None  # the first failure, told once
        self.saves = 0  # files written (for the tests)
        #: A bad file that could not be moved aside: never written over, nothing is saved.
        self.blocked = False
        self.on_loaded = on_loaded
        self.on_set_aside = on_set_aside
        self.on_cannot_save = on_cannot_save

    def _submit(self, job: Callable[[], None]) -> "Future[None]":
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nndojo-progress")
        return self._executor.submit(job)

    def start(self) -> None:
        self._submit(self._load)

    def _load(self) -> None:
        aside = None
        if self.path is not None:
            loaded, aside = load_checked(self.path)
            self.blocked = aside is not None and aside.aside is None
            with self._lock:
                # answers given before the file was read (a fast learner) stay
                for lesson, qs in self._progress.answers.items():
                    loaded.answers.setdefault(lesson, {}).update(qs)
                if self._progress.drill is not None:
                    loaded.drill = self._progress.drill
                self._progress = loaded
        self.loaded.set()
        if aside is not None and self.on_set_aside is not None:
            self.on_set_aside(aside)
        if self.on_loaded is not None:
            self.on_loaded()

    @property
    def progress(self) -> Progress:
        """A copy of the progress as it stands (safe to read on any thread)."""
        with self._lock:
            return self._progress.copy()

    def record(self, lesson: str, question: str, predicted: int, shown: int, in_drill: bool = False) -> Answer:
        """Keep one answer (also in the drill, with ``in_drill``) and save in the background."""
        with self._lock:
            answer = self._progress.record(lesson, question, predicted, shown)
            drill = self._progress.drill
            if in_drill and drill is not None and question_id(lesson, question) in drill.order:
                drill.answers[question_id(lesson, question)] = answer
        self._save_later()
        return answer

    def set_drill(self, drill: Drill | None) -> None:
        with self._lock:
            self._progress.drill = None if drill is None else drill.copy()
        self._save_later()

    def finish_drill(self) -> None:
        with self._lock:
            if self._progress.drill is not None:
                self._progress.drill.finished = True
        self._save_later()

    def _save_later(self) -> None:
        if self.path is None:
            return
        try:
            self._submit(self._save)
        except RuntimeError:  # shut down: the app is leaving
            self._save()

    def _save(self) -> None:
        assert self.path is not None
        if self.blocked:
            return
        snapshot = self.progress
        try:
            save(snapshot, self.path)
            self.saves += 1
        except ProgressError as e:
            first = self.cannot_save is None
            self.cannot_save = self.cannot_save or str(e)
            if first and self.on_cannot_save is not None:
                self.on_cannot_save(str(e))

    def flush(self, timeout: float | None = 5.0) -> None:
        """Wait for the saves asked for so far (the tests; the app on leaving)."""
        self._submit(lambda: None).result(timeout)

    def close(self) -> None:
        """Finish the pending saves and stop the worker."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
