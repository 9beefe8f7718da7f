"""The learner's progress (answers to the lessons' questions), kept per user. No Textual.

One small JSON file in the platform's data directory (``data_dir``)::

    {"format": "nndojo-progress", "version": 1,
     "answers": {"<lesson key>": {"<question key>": {"predicted": 1, "shown": 0,
                                                   "at": "2026-12-01T12:00:00+00:00"}}}}

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
from typing import Any, Mapping

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
        return json.dumps({"format": FORMAT, "version": VERSION, "answers": answers}, ensure_ascii=False, indent=1)

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
        return progress


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


def load(path: str | os.PathLike[str]) -> tuple[Progress, str | None]:
    """The progress saved at ``path`` and, if the file could not be used, one line saying
    what happened to it (it is renamed aside, never deleted). A missing file is a fresh
    start with no message."""
    path = Path(path)
    if not path.exists():
        return Progress(), None
    try:
        if path.is_dir():
            raise ValueError("a directory is in its place")
        if path.stat().st_size > MAX_BYTES:
            raise ValueError("too large to be a progress file")
        return Progress.from_json(path.read_text(encoding="utf-8")), None
    except (ValueError, UnicodeDecodeError, OSError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        aside = _set_aside(path)
        kept = f"kept as {aside.name}" if aside is not None else "left where it is"
        return Progress(), f"{path}: {reason}; {kept}, starting a fresh record"


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
