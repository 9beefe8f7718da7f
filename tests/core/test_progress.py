"""The learner's progress file (core/progress.py): never lost, never a crash."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from nndojo.core import progress
from nndojo.core.progress import Progress, ProgressError


AT = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def sample() -> Progress:
    p = Progress()
    p.record("gradient-descent", "lr-above-bound", predicted=0, shown=1, at=AT)
    p.record("gradient-descent", "momentum", predicted=1, shown=1, at=AT)
    p.record("cnn", "one-filter", predicted=2, shown=2, at=AT)
    return p


def test_it_round_trips_and_scores(tmp_path: Path) -> None:
    path = progress.save(sample(), progress.path_in(tmp_path / "data"))
    loaded, message = progress.load(path)
    assert message is None
    assert loaded.answers == sample().answers
    assert loaded.score("gradient-descent") == (1, 2) and loaded.score("cnn") == (1, 1) and loaded.score("x") == (0, 0)


def test_a_missing_file_is_a_fresh_start_without_a_message(tmp_path: Path) -> None:
    loaded, message = progress.load(tmp_path / "progress.json")
    assert loaded.answers == {} and message is None


@pytest.mark.parametrize(
    "content, reason",
    [
        (b'{"format": "nndojo-progress", "version": 1, "answers": {"cnn": {"q": {"pred', "not JSON"),  # truncated
        (b"\xff\xfe garbage", "codec"),
        (b"[1, 2, 3]", "not an nndojo progress file"),
        (json.dumps({"format": "nndojo-progress", "version": 99, "answers": {}}).encode(), "newer nndojo"),
        (json.dumps({"format": "nndojo-progress", "version": 1, "answers": {"cnn": {"q": {"predicted": 9, "shown": 0, "at": ""}}}}).encode(), "bad predicted"),
    ],
)
def test_a_bad_file_is_kept_aside_and_a_fresh_record_starts(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    loaded, message = progress.load(path)
    assert loaded.answers == {}
    assert message is not None and reason in message and "\n" not in message
    kept = list(tmp_path.glob("progress.json.bad-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content  # renamed, not deleted
    assert not path.exists()
    progress.save(sample(), path)  # and the fresh record saves in its place
    assert progress.load(path)[0].answers == sample().answers


def test_a_directory_in_its_place_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    (path / "inside").mkdir(parents=True)
    loaded, message = progress.load(path)
    assert loaded.answers == {} and message is not None and "directory" in message
    assert [p.name.startswith("progress.json.bad-") for p in tmp_path.iterdir()] == [True]


def test_a_crash_mid_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = progress.save(sample(), tmp_path / "progress.json")
    before = path.read_bytes()

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    bigger = sample()
    bigger.record("weight-init", "zeros", predicted=0, shown=0)
    with pytest.raises(ProgressError, match="No space left") as e:
        progress.save(bigger, path)
    assert "\n" not in str(e.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]  # no temporary file left


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_data_directory_is_one_line(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(ProgressError, match="progress is not saved"):
            progress.save(sample(), tmp_path / "progress.json")
    finally:
        tmp_path.chmod(0o700)


def test_an_uncreatable_data_directory_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(ProgressError, match="cannot create it"):
        progress.save(sample(), blocker / "nndojo" / "progress.json")


@pytest.mark.parametrize(
    "platform, environ, expected",
    [
        ("linux", {"HOME": "/home/a"}, "/home/a/.local/share/nndojo"),
        ("linux", {"HOME": "/home/a", "XDG_DATA_HOME": "/data"}, "/data/nndojo"),
        ("linux", {"HOME": "/home/a", "XDG_DATA_HOME": "relative"}, "/home/a/.local/share/nndojo"),
        ("darwin", {"HOME": "/Users/a"}, "/Users/a/Library/Application Support/nndojo"),
    ],
)
def test_the_data_directory_follows_the_platform(monkeypatch: pytest.MonkeyPatch, platform: str, environ: dict, expected: str) -> None:
    monkeypatch.setattr(progress.sys, "platform", platform)
    assert progress.data_dir(environ=environ) == Path(expected)
    assert progress.data_dir("~/elsewhere", environ=environ) == Path("~/elsewhere").expanduser()


# -- the drill in the file -------------------------------------------------------------


def test_the_drill_round_trips_with_its_order_and_answers(tmp_path: Path) -> None:
    p = sample()
    p.drill = progress.new_drill(["cnn/a", "cnn/b", "gradient-descent/c"], seed=3)
    p.drill.answers["cnn/b"] = progress.Answer(1, 0, "t")
    loaded, message = progress.load(progress.save(p, tmp_path / "progress.json"))
    assert message is None and loaded.drill == p.drill
    assert loaded.drill.score() == (0, 1) and loaded.drill.missed() == ["cnn/b"]
    assert loaded.drill.next_question() == next(q for q in p.drill.order if q != "cnn/b")


@pytest.mark.parametrize(
    "drill",
    [
        {"seed": -1, "order": [], "answers": {}, "finished": False},
        {"seed": 1, "order": ["a/b", "a/b"], "answers": {}, "finished": False},
        {"seed": 1, "order": ["a/b"], "answers": {"x/y": {"predicted": 0, "shown": 0, "at": ""}}, "finished": False},
        {"seed": 1, "order": ["a/b"], "answers": {}, "finished": "no"},
    ],
)
def test_a_bad_drill_is_a_bad_file(tmp_path: Path, drill: dict) -> None:
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({"format": "nndojo-progress", "version": 1, "answers": {}, "drill": drill}))
    loaded, message = progress.load(path)
    assert loaded.drill is None and message is not None and "drill" in message


# -- the store: off the UI thread, told once -------------------------------------------


class Told:
    def __init__(self) -> None:
        self.asides: list[progress.SetAside] = []
        self.cannot: list[str] = []

    def store(self, path: Path | None) -> progress.ProgressStore:
        return progress.ProgressStore(path, on_set_aside=self.asides.append, on_cannot_save=self.cannot.append)


def test_the_store_loads_and_saves_on_its_own_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    path = progress.save(sample(), tmp_path / "progress.json")
    threads: set[str] = set()
    real_save = progress.save

    def save(p: Progress, where: Path) -> Path:
        threads.add(threading.current_thread().name)
        return real_save(p, where)

    monkeypatch.setattr(progress, "save", save)
    told = Told()
    store = told.store(path)
    store.start()
    store.record("cnn", "too-high-rate", 0, 1)
    store.flush()
    assert store.loaded.is_set() and store.saves == 1
    assert threads and threading.current_thread().name not in threads
    loaded, _ = progress.load(path)
    assert loaded.answers["cnn"]["too-high-rate"].shown == 1
    assert loaded.answers["gradient-descent"] == sample().answers["gradient-descent"]  # kept from the file
    store.close()
    assert told.asides == [] and told.cannot == []


@pytest.mark.parametrize("content, kind", [(b'{"format": "nndojo-pro', "corrupt"), (json.dumps({"format": "nndojo-progress", "version": 2, "answers": {}}).encode(), "newer"), (None, "directory")])
def test_the_store_sets_a_bad_file_aside_tells_once_and_starts_fresh(tmp_path: Path, content: bytes | None, kind: str) -> None:
    path = tmp_path / "progress.json"
    if content is None:
        (path / "x").mkdir(parents=True)
    else:
        path.write_bytes(content)
    told = Told()
    store = told.store(path)
    store.start()
    store.record("cnn", "one-filter", 1, 1)
    store.flush()
    store.close()
    assert [a.kind for a in told.asides] == [kind]
    assert told.asides[0].aside is not None and told.asides[0].aside.name.startswith("progress.json.bad-")
    assert progress.load(path)[0].answers == {"cnn": {"one-filter": store.progress.answers["cnn"]["one-filter"]}}
    kept = told.asides[0].aside
    assert kept.is_dir() if content is None else kept.read_bytes() == content


def test_a_store_that_cannot_save_says_so_once_and_keeps_the_answers(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data directory should be")
    told = Told()
    store = told.store(blocker / "progress.json")
    store.start()
    for i in range(3):
        store.record("cnn", f"q{i}", 0, 0)
    store.flush()
    store.close()
    assert len(told.cannot) == 1 and "\n" not in told.cannot[0]
    assert len(store.progress.answers["cnn"]) == 3  # in memory, the session goes on


def test_a_bad_file_that_cannot_be_moved_aside_is_never_written_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "progress.json"
    path.write_bytes(b"not json")

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(progress.os, "replace", refuse)
    told = Told()
    store = told.store(path)
    store.start()
    store.record("cnn", "one-filter", 0, 0)
    store.flush()
    store.close()
    assert told.asides and told.asides[0].aside is None and store.blocked
    assert path.read_bytes() == b"not json" and store.saves == 0


def test_a_crash_mid_write_in_the_store_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = progress.save(sample(), tmp_path / "progress.json")
    before = path.read_bytes()
    told = Told()
    store = told.store(path)
    store.start()
    store.flush()

    def crash(fd: int) -> None:  # the process dies between writing and renaming
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", crash)
    store.record("cnn", "one-filter", 0, 0)
    store.flush()
    store.close()
    assert path.read_bytes() == before and len(told.cannot) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]


def test_a_process_killed_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = progress.save(sample(), tmp_path / "progress.json")
    before = path.read_bytes()
    child = f"""
import os
from nndojo.core import progress
p, _ = progress.load({str(path)!r})
p.record("cnn", "one-filter", 0, 0)
os.fsync = lambda fd: os._exit(9)  # dies with the new file written but not yet renamed
progress.save(p, {str(path)!r})
"""
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=60)
    assert result.returncode == 9
    assert path.read_bytes() == before
    loaded, message = progress.load(path)
    assert message is None and loaded.answers == sample().answers
