"""The app in terminals as they are: too small, hung up, resized.

The hang-up tests run the real ``nndojo`` in a pseudo-terminal (as an SSH session
would) and drop the connection; every process it started must be gone promptly.
"""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from textual.widgets import Static

from nndojo.bench.pty import Term, nndojo_argv
from nndojo.screens.too_small import MIN_SIZE, TooSmall
from nndojo.tui.app import NNDojoApp

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


@pytest.mark.parametrize("size", [(59, 24), (80, 19), (20, 5), (1, 1)])
async def test_below_the_smallest_size_one_line_asks_for_more(size) -> None:
    app = NNDojoApp("cnn")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)
        text = str(app.screen.query_one("#too-small", Static).render())
        assert f"{size[0]}x{size[1]}" in text and f"{MIN_SIZE[0]}x{MIN_SIZE[1]}" in text
        await pilot.resize_terminal(*MIN_SIZE)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmall)
        assert app.screen is app.lesson_screens["cnn"]


async def test_shrinking_and_growing_again_keeps_the_run() -> None:
    app = NNDojoApp("gradient-descent")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.lesson_screens["gradient-descent"]
        await pilot.press("n", "n", "n")
        await pilot.resize_terminal(40, 10)
        assert isinstance(app.screen, TooSmall)
        await pilot.press("space", "tab", "question_mark", "escape", "h")  # nothing happens underneath
        assert app.current_mode == "gradient-descent" and not screen.runner.playing
        await pilot.resize_terminal(100, 30)
        assert app.screen is screen and screen.experiment.step_count == 3
        await pilot.press("q")


async def test_too_small_over_a_dialog_returns_to_the_dialog() -> None:
    app = NNDojoApp("cnn")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        dialog = app.screen
        await pilot.resize_terminal(50, 15)
        assert isinstance(app.screen, TooSmall)
        await pilot.resize_terminal(80, 24)
        assert app.screen is dialog


def _gone(pid: int) -> bool:
    try:
        os.killpg(pid, 0)  # the child leads its own session and process group
    except ProcessLookupError:
        return True
    return False


def _reaped(term: Term, timeout: float = 5.0) -> float | None:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        done, _ = os.waitpid(term.pid, os.WNOHANG)
        if done:
            return time.perf_counter() - t0
        time.sleep(0.02)
    return None


@pytest.mark.slow
@pytest.mark.parametrize("how", ["close the terminal", "SIGHUP", "close the terminal, under nohup"])
def test_a_hang_up_ends_the_app_and_its_workers(how: str) -> None:
    previous = signal.getsignal(signal.SIGHUP)
    if "nohup" in how:  # the child inherits an ignored SIGHUP, as under nohup or some CI runners
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        term = Term(nndojo_argv("--lesson", "cnn", "--play", "--speed", "max"), 100, 30)
    finally:
        signal.signal(signal.SIGHUP, previous)
    try:
        assert term.wait_for("step", timeout=30.0) is not None, "the app drew nothing"
        term.drain(1.0)  # training is under way
        if how == "SIGHUP":
            os.kill(term.pid, signal.SIGHUP)
        else:  # the SSH connection drops
            os.close(term.fd)  # the kernel hangs up the session
            term.fd = os.open(os.devnull, os.O_RDONLY)  # so Term.close has an fd to close
        waited = _reaped(term)
        assert waited is not None, "the app is still running 5 s after the hang-up"
        assert _gone(term.pid), "a process of the app's group outlived it"
    finally:
        if not _gone(term.pid):
            os.killpg(term.pid, signal.SIGKILL)
        term.exit_code = -1
        os.close(term.fd)
        term.stats_path.unlink(missing_ok=True)


@pytest.mark.slow
def test_a_blow_up_shows_diverged_and_no_warning() -> None:
    """In a real terminal: training at 20 steps/s, the learning rate typed up to its
    maximum; "DIVERGED" comes on screen, nothing NumPy printed, r recovers. (How soon it
    shows is the benchmark's to measure, not a test's to time.)"""
    term = Term(nndojo_argv("--lesson", "gradient-descent", "--play"), 120, 40)
    try:
        assert term.wait_for("step", timeout=30.0) is not None
        term.drain(0.5)
        term.press("\r")  # type a value for the selected control: the learning rate
        assert term.wait_for("learning rate", timeout=5.0) is not None
        term.press("\x7f" * 12 + "10")
        term.drain(0.3)
        start = term.total
        term.press("\r")
        waited = term.wait_for("DIVERGED", timeout=5.0)
        assert waited is not None, "no DIVERGED on screen"
        term.drain(0.5)
        assert b"Warning" not in term.tail and b"overflow" not in term.tail
        assert term.total > start
        term.press("\x1b[D" * 25 + "r")  # learning rate down, reset
        term.drain(1.0)
        stats = term.stats()
        assert stats["step"] == 0  # a fresh run
        # what keeps keys quick in a real terminal: the objects loaded at start out of
        # the collector's full passes, and frames written when drawn (not by a thread)
        assert stats["gc_frozen"] > 10_000 and stats["writer"] == "DirectWriter"
        term.press(" ")  # and it trains
        term.drain(1.0)
        assert term.stats()["step"] > 0, "the reset run does not train"
        assert term.close() == 0
    finally:
        if term.exit_code is None:
            term.close()
