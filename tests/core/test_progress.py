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
