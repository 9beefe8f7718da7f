"""Save and resume (core/session.py): the session file, on the Experiments alone (no
Textual). That every lesson's resumed run continues bit for bit is its contract
(tests/lessons/test_contract.py); here: a save must be atomic; every bad file must give one clear SessionError and touch nothing else; the
metric history must export to CSV losslessly.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile

import numpy as np
import pytest

from nndojo.core import session
from nndojo.core.experiment import StateError
from nndojo.core.history import Histories, History
from nndojo.core.lessons import LESSONS, by_key
from nndojo.core.optim import Adam, Momentum
from nndojo.core.session import SessionError
from test_contract import assert_same, assert_same_run  # bit-for-bit comparison (tests/lessons/)

LESSON_KEYS = [cls.info.key for cls in LESSONS]


# -- deep comparison ------------------------------------------------------------------
# (Bit-for-bit resume of every lesson, for scenarios generated from its declarations, is
# in tests/lessons/test_contract.py; here: the session file.)


def test_capture_is_detached_from_later_training(tmp_path):
    exp = by_key("cnn")(seed=0)
    exp.step(3)
    cap = session.capture(exp)
    expected = exp.state_dict()
    exp.step(4)  # training goes on after the capture (outside the lock, the write happens)
    resumed = session.load(session.save(cap, session.default_path(cap, tmp_path)))
    assert resumed.step_count == 3
    assert_same(expected, resumed.state_dict(), "state")


def test_reset_after_resume_is_the_same_as_reset(tmp_path):
    a = by_key("weight-init")(seed=4, depth=2)
    a.step(6)
    b = session.load(session.save(a, tmp_path / "s.npz"))
    a.reset()
    b.reset()
    a.step(3)
    b.step(3)
    assert_same_run(a, b)


def test_default_path(tmp_path):
    exp = by_key("gradient-descent")(seed=0)
    exp.step(12)
    assert session.default_path(exp, tmp_path) == tmp_path / "nndojo-gradient-descent-step12.npz"
    assert session.default_path(exp, tmp_path, "csv").name == "nndojo-gradient-descent-step12.csv"
    assert session.default_path(exp).parent == session.default_path(exp, ".").parent


def test_peek(tmp_path):
    exp = by_key("cnn")(seed=9, filters=3)
    exp.step(2)
    info = session.peek(session.save(exp, tmp_path / "s.npz"))
    assert info["lesson"] == "cnn" and info["step"] == 2 and info["seed"] == 9
    assert info["values"]["filters"] == 3 and info["saved_at"] and info["nndojo"]


def test_archive_holds_no_pickles(tmp_path):
    exp = by_key("weight-init")(seed=0, depth=2)
    exp.step(2)
    with np.load(session.save(exp, tmp_path / "s.npz"), allow_pickle=False) as npz:
        for name in npz.files:
            assert npz[name].dtype != object
        meta = json.loads(npz["meta"].tobytes())
    assert meta["format"] == "nndojo-session" and meta["version"] == 1 and meta["lesson"] == "weight-init"


# -- atomic writes --------------------------------------------------------------------
@pytest.fixture
def good_file(tmp_path):
    exp = by_key("gradient-descent")(seed=0)
    exp.step(5)
    path = session.save(exp, tmp_path / "good.npz")
    return path, path.read_bytes(), exp


def _assert_intact(path, data):
    assert path.read_bytes() == data
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp file left
    assert session.load(path).step_count == 5


def test_crash_inside_savez_keeps_the_old_file(good_file, monkeypatch):
    path, data, exp = good_file
    exp.step(3)

    def crashing_savez(f, **arrays):
        f.write(b"PK\x03\x04" + b"half a session" * 200)
        raise RuntimeError("power cut")

    monkeypatch.setattr(np, "savez", crashing_savez)
    with pytest.raises(SessionError, match="cannot write"):
        session.save(exp, path)
    _assert_intact(path, data)


@pytest.mark.parametrize("where", ["fsync", "replace", "chmod"])
def test_os_failure_keeps_the_old_file(good_file, monkeypatch, where):
    path, data, exp = good_file
    exp.step(3)

    def failing(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(session.os, where, failing)
    with pytest.raises(SessionError, match="cannot write it .Input/output error"):
        session.save(exp, path)
    monkeypatch.undo()
    _assert_intact(path, data)


def test_interrupt_mid_write_propagates_and_cleans_up(good_file, monkeypatch):
    path, data, exp = good_file

    def interrupted(f, **arrays):
        f.write(b"PK\x03\x04 partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        session.save(exp, path)
    _assert_intact(path, data)


def test_csv_export_failure_keeps_the_old_file(good_file, monkeypatch):
    path, _, exp = good_file
    csv_path = session.export_csv(exp, path.with_suffix(".csv"))
    before = csv_path.read_bytes()
    exp.step(2)
    monkeypatch.setattr(session.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(SessionError, match="No space left"):
        session.export_csv(exp, csv_path)
    assert csv_path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, csv_path.name])


def test_save_to_a_directory_or_a_missing_folder(tmp_path):
    exp = by_key("gradient-descent")(seed=0)
    with pytest.raises(SessionError, match="is a directory"):
        session.save(exp, tmp_path)
    with pytest.raises(SessionError, match="cannot write"):
        session.save(exp, tmp_path / "no" / "such" / "dir.npz")
    assert list(tmp_path.iterdir()) == []


def test_overwrite_keeps_permissions(good_file):
    path, _, exp = good_file
    os.chmod(path, 0o640)
    exp.step(1)
    session.save(exp, path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert session.load(path).step_count == 6


# -- bad files ------------------------------------------------------------------------
def _members(path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def _rewrite(src, dst, edit_meta=None, edit_members=None, resign=True):
    """Copy a real session with its metadata (dict) and/or members edited, re-signed so
    only the edit is wrong."""
    members = _members(src)
    meta = json.loads(members["meta"].tobytes())
    if edit_meta:
        edit_meta(meta)
    meta_bytes = json.dumps(meta).encode()
    members["meta"] = np.frombuffer(meta_bytes, dtype=np.uint8)
    if edit_members:
        edit_members(members)
    if resign:
        arrays = [members[f"a{i}"] for i in range(meta["arrays"]) if f"a{i}" in members]
        members["sha256"] = np.frombuffer(session._digest(meta_bytes, arrays), dtype=np.uint8)
    np.savez(dst, **members)
    return dst


def _error(path, **kwargs) -> str:
    with pytest.raises(SessionError) as info:
        session.load(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return message


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """One real session per lesson (module-wide; tests copy before editing)."""
    d = tmp_path_factory.mktemp("saved")
    out = {}
    for cls in LESSONS:
        exp = cls(seed=1)
        exp.step(4)
        out[cls.info.key] = session.save(exp, d / f"{cls.info.key}.npz")
    return out


def test_missing_file(tmp_path):
    assert "no such file" in _error(tmp_path / "nope.npz")


def test_directory(tmp_path):
    assert "is a directory" in _error(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_named_pipe_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    assert "not a regular file" in _error(tmp_path / "pipe")


def test_empty_file(tmp_path):
    (tmp_path / "e.npz").write_bytes(b"")
    assert "empty" in _error(tmp_path / "e.npz")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(saved, tmp_path):
    p = tmp_path / "locked.npz"
    p.write_bytes(saved["cnn"].read_bytes())
    p.chmod(0)
    try:
        assert "permission denied" in _error(p)
    finally:
        p.chmod(0o600)


@pytest.mark.parametrize("lesson", LESSON_KEYS)
def test_truncated_file(saved, tmp_path, lesson):
    data = saved[lesson].read_bytes()
    p = tmp_path / "cut.npz"
    p.write_bytes(data[: len(data) // 2])
    assert "truncated" in _error(p)
    for cut in np.linspace(1, len(data) - 1, 40).astype(int):  # any cut at all
        p.write_bytes(data[:cut])
        _error(p)


@pytest.mark.parametrize("lesson", LESSON_KEYS)
def test_flipped_bytes_in_the_middle(saved, tmp_path, lesson):
    """Four bytes flipped in the middle of the largest array's data. (A flip in a zip
    header field no reader uses can be harmless: see the next test.)"""
    data = bytearray(saved[lesson].read_bytes())
    with zipfile.ZipFile(saved[lesson]) as z:
        big = max(z.infolist(), key=lambda i: i.compress_size)
    start = big.header_offset + 30 + len(big.filename.encode()) + len(big.extra)
    mid = start + big.compress_size // 2
    data[mid : mid + 4] = bytes(b ^ 0xFF for b in data[mid : mid + 4])
    p = tmp_path / "flipped.npz"
    p.write_bytes(bytes(data))
    assert "corrupted" in _error(p)


def test_any_flipped_byte_is_an_error_or_harmless(saved, tmp_path):
    """Flip one byte at hundreds of places, headers included: each load either raises
    SessionError or (a byte no reader looks at, e.g. a zip timestamp) gives the very
    same run, never another exception and never a silently different state."""
    data = saved["gradient-descent"].read_bytes()
    reference = session.load(saved["gradient-descent"]).state_dict()
    p = tmp_path / "flip.npz"
    harmless = 0
    positions = sorted(set(np.linspace(0, len(data) - 1, 400).astype(int)) | set(range(64)) | set(range(len(data) - 64, len(data))))
    for i in positions:
        flipped = bytearray(data)
        flipped[i] ^= 0x5A
        p.write_bytes(bytes(flipped))
        try:
            exp = session.load(p)
        except SessionError as e:
            assert "\n" not in str(e)
            continue
        harmless += 1
        assert_same(reference, exp.state_dict(), f"flip at {i}")
    assert harmless < len(positions) // 4


def test_random_npz_without_metadata(tmp_path):
    p = tmp_path / "random.npz"
    np.savez(p, W=np.ones((3, 3)), b=np.zeros(3))
    assert "not an nndojo session" in _error(p)


def test_npz_with_foreign_metadata(tmp_path):
    p = tmp_path / "other.npz"
    np.savez(p, meta=np.frombuffer(json.dumps({"format": "something-else"}).encode(), dtype=np.uint8))
    assert "not an nndojo session" in _error(p)
    np.savez(p, meta=np.arange(5.0))
    assert "not an nndojo session" in _error(p)


def test_npz_with_pickled_objects_is_refused_without_unpickling(tmp_path):
    p = tmp_path / "pickle.npz"
    np.savez(p, meta=np.array([{"format": "nndojo-session"}], dtype=object))
    assert "cannot be read" in _error(p)


def test_text_file(tmp_path):
    p = tmp_path / "notes.npz"
    p.write_text("step,loss\n1,0.5\n")
    message = _error(p)
    assert "not an nndojo session" in message and "text" in message


def test_png_and_npy_files(tmp_path):
    p = tmp_path / "picture.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "PNG" in _error(p)
    q = tmp_path / "array.npy"
    np.save(q, np.arange(4))
    assert "not an nndojo session" in _error(q)


def test_other_zip_file(tmp_path):
    p = tmp_path / "archive.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    assert "not an nndojo session" in _error(p)


def test_unknown_lesson(saved, tmp_path):
    def edit(meta):
        meta["lesson"] = meta["state"]["lesson"] = "time-travel"

    message = _error(_rewrite(saved["cnn"], tmp_path / "u.npz", edit))
    assert "'time-travel'" in message and "does not have" in message


def test_expected_lesson_mismatch(saved):
    assert "not 'cnn'" in _error(saved["weight-init"], expected_lesson="cnn")


def test_out_of_range_value(saved, tmp_path):
    def edit(meta):
        meta["values"]["learning_rate"] = meta["state"]["values"]["learning_rate"] = 100.0

    message = _error(_rewrite(saved["gradient-descent"], tmp_path / "r.npz", edit))
    assert "invalid" in message and "learning rate" in message and "out of range" in message


def test_unknown_hyperparameter(saved, tmp_path):
    def edit(meta):
        meta["state"]["values"]["warp_speed"] = 9

    assert "no hyperparameter 'warp_speed'" in _error(_rewrite(saved["cnn"], tmp_path / "h.npz", edit))


def test_future_version(saved, tmp_path):
    def edit(meta):
        meta["version"] = 2

    message = _error(_rewrite(saved["cnn"], tmp_path / "v.npz", edit))
    assert "newer nndojo" in message and "format 2" in message


def test_bad_checksum(saved, tmp_path):
    def edit(meta):
        meta["state"]["step_count"] += 1

    assert "checksum" in _error(_rewrite(saved["cnn"], tmp_path / "c.npz", edit, resign=False))


def test_bad_json(saved, tmp_path):
    def edit(members):
        members["meta"] = np.frombuffer(b"{not json", dtype=np.uint8)

    p = _rewrite(saved["cnn"], tmp_path / "j.npz", edit_members=edit, resign=False)
    assert "corrupted" in _error(p)


def test_missing_array(saved, tmp_path):
    def edit(members):
        del members["a0"]

    assert "missing a0" in _error(_rewrite(saved["cnn"], tmp_path / "m.npz", edit_members=edit))


@pytest.mark.parametrize("lesson", LESSON_KEYS)
def test_wrong_shape_or_dtype(saved, tmp_path, lesson):
    for i, change in enumerate((lambda a: np.append(a, a.flat[:1]), lambda a: a.astype(np.float16))):
        def edit(members, change=change):
            for k in members:  # every array of the state, so each kind of state is hit
                if k.startswith("a") and members[k].ndim:
                    members[k] = change(members[k])

        message = _error(_rewrite(saved[lesson], tmp_path / f"s{i}.npz", edit_members=edit))
        assert "corrupted or from an incompatible nndojo" in message, message


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m["state"].pop("rngs"),
        lambda m: m["state"]["rngs"].popitem(),
        lambda m: m["state"]["rngs"].update({k: {"bit_generator": "MT19937"} for k in m["state"]["rngs"]}),
        lambda m: m["state"]["rngs"].update({k: {"bit_generator": "PCG64", "state": 3} for k in m["state"]["rngs"]}),
        lambda m: m["state"].update(step_count="many"),
        lambda m: m["state"].update(step_count=-4),
        lambda m: m["state"].update(seed=-1),
        lambda m: m["state"].update(seed="0"),
        lambda m: m["state"].update(values=[]),
        lambda m: m["state"]["history"].update(capacity=3),
        lambda m: m["state"]["history"]["series"][0].update(stride=3),
        lambda m: m["state"]["history"]["series"][0].update(acc_n=-1),
        lambda m: m["state"]["optimizers"]["optimizer"].update(name="momentum"),
        lambda m: m["state"]["optimizers"]["optimizer"].update(t=-1),
        lambda m: m["state"]["extra"].pop(next(iter(m["state"]["extra"]))),
        lambda m: m["state"]["extra"].update({next(iter(m["state"]["extra"])): "text"}),
        lambda m: m["state"]["models"].update(ghost=[]),
        lambda m: m["state"].update(models={}),
        lambda m: m["state"].update(lesson="gradient-descent"),
        lambda m: m.update(state=[]),
        lambda m: m.update(state={"$array": "a999"}),
        lambda m: m.update(arrays=-1),
        lambda m: m.pop("lesson"),
    ],
)
def test_inconsistent_state(saved, tmp_path, edit):
    for lesson in ("weight-init", "cnn"):
        message = _error(_rewrite(saved[lesson], tmp_path / "x.npz", edit))
        assert "corrupted" in message or "invalid" in message or "not" in message


def test_lesson_state_version_mismatch(saved, tmp_path):
    def edit(meta):
        meta["state"]["lesson_state_version"] = 0

    message = _error(_rewrite(saved["cnn"], tmp_path / "old.npz", edit))
    assert "incompatible" in message and "version 0 of lesson 'cnn'" in message


def test_a_hyperparameter_added_since_the_save_keeps_its_default(saved, tmp_path):
    def edit(meta):  # as if "sample" (saved at its default, 0) had not existed then
        del meta["values"]["sample"], meta["state"]["values"]["sample"]

    exp = session.load(_rewrite(saved["cnn"], tmp_path / "older.npz", edit))
    assert exp.values["sample"] == 0
    assert_same(session.load(saved["cnn"]).state_dict(), exp.state_dict(), "state")


def test_a_failed_load_leaves_the_running_session_alone(saved, tmp_path):
    running = by_key("cnn")(seed=5)
    running.step(3)
    before = running.state_dict()
    bad = tmp_path / "bad.npz"
    bad.write_bytes(saved["cnn"].read_bytes()[:500])
    for p in (bad, tmp_path / "missing.npz", saved["weight-init"]):
        with pytest.raises(SessionError):
            session.load(p, expected_lesson="cnn")
    assert_same(before, running.state_dict(), "state")
    running.step(1)  # and it still trains


def test_state_error_is_a_value_error():
    exp = by_key("gradient-descent")(seed=0)
    state = exp.state_dict()
    state["extra"]["_grad"] = np.zeros(3)
    with pytest.raises(StateError, match="_grad"):
        by_key("gradient-descent").from_state_dict(state)
    assert issubclass(SessionError, ValueError) and issubclass(StateError, ValueError)


# -- CSV ------------------------------------------------------------------------------
@pytest.mark.parametrize("lesson", LESSON_KEYS)
def test_csv_round_trip(tmp_path, monkeypatch, lesson):
    cls = by_key(lesson)
    monkeypatch.setattr(cls, "history_capacity", 16)  # so the history has decimated
    exp = cls(seed=2)
    exp.step(45)
    path = session.export_csv(exp, session.default_path(exp, tmp_path, "csv"))
    assert path.name == f"nndojo-{lesson}-step45.csv"
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["metric", "step", "value", "points"]
        rows = list(reader)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert session.export_csv(session.history_csv(exp), tmp_path / "t.csv").read_bytes() == path.read_bytes()
    by_metric: dict[str, list[dict]] = {}
    for row in rows:
        by_metric.setdefault(row["metric"], []).append(row)
    assert list(by_metric) == exp.history.names()
    for name, got in by_metric.items():
        h = exp.history[name]
        x, y = h.series()
        assert [int(r["step"]) for r in got] == x.astype(int).tolist() and np.array_equal(x, x.astype(int))
        assert np.array_equal(np.array([float(r["value"]) for r in got]), y)  # exact
        assert sum(int(r["points"]) for r in got) == h.count  # every raw point is in one row
        assert int(got[-1]["step"]) == exp.step_count or name != "loss"


def test_csv_keeps_nan_and_diverged_runs(tmp_path):
    exp = by_key("gradient-descent")(seed=0, learning_rate=5.0)
    exp.step(20)
    assert exp.diverged
    rows = list(csv.reader(io.StringIO(session.history_csv(exp))))
    assert rows[0] == ["metric", "step", "value", "points"] and len(rows) > 1


# -- the parts ------------------------------------------------------------------------
def test_history_state_round_trip_continues_identically():
    rng = np.random.default_rng(0)
    values = rng.standard_normal(500).tolist()
    for split in (0, 1, 7, 8, 9, 33, 250, 499):
        a, b = History(8), History(8)
        for i, v in enumerate(values[:split]):
            a.append(i, v)
        c = History(8)
        c.load_state_dict(a.state_dict())
        for i, v in enumerate(values):
            b.append(i, v)
        for i, v in enumerate(values[split:], start=split):
            a.append(i, v)
            c.append(i, v)
        assert_same(a.state_dict(), c.state_dict(), f"split {split}")
        assert_same(b.state_dict(), c.state_dict(), f"split {split}")
        assert_same(a.series(5), c.series(5))


def test_history_load_rejects_bad_states():
    h = Histories(capacity=8)
    h.append("loss", 0, 1.0)
    good = h.state_dict()
    for edit in (
        lambda s: s.update(capacity=16),
        lambda s: s["series"][0].update(x=np.zeros(9)),
        lambda s: s["series"][0].update(y=np.zeros(3)),
        lambda s: s["series"][0].update(x=np.zeros(1, np.float32)),
        lambda s: s["series"][0].update(stride=0),
        lambda s: s["series"][0].update(count=True),
        lambda s: s["series"][0].update(last="x"),
        lambda s: s["series"].append(dict(s["series"][0])),
        lambda s: s["series"][0].pop("acc_y"),
    ):
        state = {"capacity": good["capacity"], "series": [dict(x) for x in good["series"]]}
        edit(state)
        target = Histories(capacity=8)
        target.append("keep", 0, 2.0)
        with pytest.raises(ValueError):
            target.load_state_dict(state)
        assert target.names() == ["keep"]  # unchanged


@pytest.mark.parametrize("cls", [Momentum, Adam])
def test_optimizer_state_round_trip(cls):
    params = {"w": np.ones(3, np.float32)}
    opt = cls(0.1)
    for _ in range(3):
        opt.step(params, {"w": np.full(3, 0.5, np.float32)})
    state = opt.state_dict()
    other = cls(0.5)
    other.load_state_dict(state, params)
    assert other.t == 3 and other.learning_rate == 0.1
    assert_same(opt.state_dict(), other.state_dict())
    with pytest.raises(ValueError, match="does not fit"):
        cls(0.1).load_state_dict(state, {"w": np.ones(4, np.float32)})
    with pytest.raises(ValueError, match="unknown parameter"):
        cls(0.1).load_state_dict(state, {"v": np.ones(3, np.float32)})


# -- pinned runs (compare runs) ---------------------------------------------------------
def _with_pins(tmp_path):
    from nndojo.core import compare

    exp = by_key("gradient-descent")(seed=0)
    exp.step(8)
    first = compare.pin(exp)
    exp.set("learning_rate", 0.3)
    exp.reset()
    exp.step(5)
    return exp, [first]


def test_pins_survive_save_and_load(tmp_path):
    exp, pins = _with_pins(tmp_path)
    path = session.save(session.capture(exp, pins), tmp_path / "s.npz")
    resumed = session.load(path)
    (back,) = session.pins_loaded_with(resumed)
    assert back.values == pins[0].values and back.step == 8 and back.figures == pins[0].figures
    assert np.array_equal(back.series["loss"][1], pins[0].series["loss"][1])
    assert session.peek(path)["pins"] == 1
    assert session.pins_loaded_with(exp) == []  # an experiment not loaded from a file has none


def test_a_file_from_before_pins_loads_with_none(tmp_path):
    exp, _ = _with_pins(tmp_path)
    path = session.save(exp, tmp_path / "old.npz")  # no pins: no "pins" entry, as before
    with np.load(path) as npz:
        assert "pins" not in json.loads(npz["meta"].tobytes())
    resumed = session.load(path)
    assert resumed.step_count == 5 and session.pins_loaded_with(resumed) == []


def test_a_corrupt_pins_entry_gets_one_clear_line(tmp_path):
    exp, pins = _with_pins(tmp_path)
    cap = session.capture(exp, pins)
    meta = json.loads(cap.members["meta"].tobytes())
    meta["pins"][0]["seed"] = "zero"
    meta_bytes = json.dumps(meta).encode()
    arrays = [cap.members[f"a{i}"] for i in range(meta["arrays"])]
    members = dict(cap.members, meta=np.frombuffer(meta_bytes, dtype=np.uint8),
                   sha256=np.frombuffer(session._digest(meta_bytes, arrays), dtype=np.uint8))
    path = session.save(session.Capture(cap.lesson, cap.step, members), tmp_path / "bad.npz")
    with pytest.raises(SessionError) as info:
        session.load(path)
    assert "pinned runs are corrupted" in str(info.value) and "\n" not in str(info.value)


def test_csv_says_which_run_each_row_is(tmp_path):
    exp, pins = _with_pins(tmp_path)
    rows = list(csv.DictReader(io.StringIO(session.history_csv(exp, pins))))
    assert set(rows[0]) == {"metric", "step", "value", "points", "run"}
    runs = {r["run"] for r in rows}
    assert runs == {"current", "pin 1 (lr 0.18)"}
    pinned = [r for r in rows if r["run"] == "pin 1 (lr 0.18)" and r["metric"] == "loss"]
    assert [int(r["step"]) for r in pinned] == pins[0].series["loss"][0].astype(int).tolist()
    assert sum(int(r["points"]) for r in pinned) == 9  # steps 0..8
    assert list(csv.reader(io.StringIO(session.history_csv(exp))))[0] == ["metric", "step", "value", "points"]
