"""A program in a real pseudo-terminal, as a learner's SSH session would run it.

``Term`` forks a child on a pty of a given size, reads everything it writes (counting
the bytes, as SSH would carry them) and lets the benchmark type keys and wait for
text to appear. The bench asks the app for its training counters through a file
named in ``NNDOJO_BENCH_STATS``: on SIGUSR1 the app appends one JSON line to it.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path


def nndojo_argv(*args: str) -> list[str]:
    """Run the app from this interpreter, so the benchmark measures this install."""
    return [sys.executable, "-m", "nndojo", *args]


class Term:
    """One child process on a pty of ``cols`` x ``rows``."""

    def __init__(self, argv: list[str], cols: int = 120, rows: int = 40, env: dict[str, str] | None = None) -> None:
        self.stats_path = Path(tempfile.mkstemp(prefix="nndojo-bench-", suffix=".jsonl")[1])
        child_env = dict(os.environ)
        child_env.update({"TERM": "xterm-256color", "NNDOJO_BENCH_STATS": str(self.stats_path)})
        child_env.pop("COLORTERM", None)  # as over SSH, unless the caller says otherwise
        child_env.pop("NO_COLOR", None)
        child_env.update(env or {})
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child
            try:
                os.execvpe(argv[0], argv, child_env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.total = 0  # bytes read since start
        self.tail = b""  # the last bytes read, to look for markers
        self.exit_code: int | None = None

    # -- reading ---------------------------------------------------------------------
    def _read_once(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # the child closed the terminal
            return b""
        self.total += len(data)
        self.tail = (self.tail + data)[-1 << 16 :]
        return data

    def drain(self, seconds: float) -> int:
        """Read for ``seconds``; returns the bytes read meanwhile."""
        start, end = self.total, time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            self._read_once(min(left, 0.02))
        return self.total - start

    def wait_for(self, *markers: str | bytes, timeout: float = 10.0) -> float | None:
        """Read until one of ``markers`` appears in new output; seconds waited, or None."""
        targets = [m.encode() if isinstance(m, str) else m for m in markers]
        keep = max(map(len, targets))
        seen = b""
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            data = self._read_once(0.002)
            if data:
                seen = seen[-keep:] + data
                if any(t in seen for t in targets):
                    return time.perf_counter() - t0
        return None

    # -- writing ---------------------------------------------------------------------
    def press(self, keys: str | bytes) -> None:
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)

    def resize(self, cols: int, rows: int) -> None:
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.kill(self.pid, signal.SIGWINCH)

    # -- the app's own counters ------------------------------------------------------
    def stats(self, timeout: float = 2.0) -> dict:
        """Ask the app (SIGUSR1) for its counters; the newest line it wrote."""
        before = self.stats_path.stat().st_size
        os.kill(self.pid, signal.SIGUSR1)
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            self._read_once(0.005)  # keep the pty flowing so the app never blocks on output
            if self.stats_path.stat().st_size > before:
                text = self.stats_path.read_text()
                if text.endswith("\n"):
                    return json.loads(text.splitlines()[-1])
        raise TimeoutError("the app did not report its counters")

    # -- ending ----------------------------------------------------------------------
    def close(self, key: str = "q", timeout: float = 5.0) -> int | None:
        try:
            if key:
                self.press(key)
            end = time.perf_counter() + timeout
            while time.perf_counter() < end:
                self._read_once(0.02)
                done, status = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    self.exit_code = os.waitstatus_to_exitcode(status)
                    break
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass
        finally:
            os.close(self.fd)
            self.stats_path.unlink(missing_ok=True)
        return self.exit_code

    def __enter__(self) -> "Term":
        return self

    def __exit__(self, *exc) -> None:
        if self.exit_code is None:
            self.close()
