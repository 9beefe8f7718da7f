"""Key press to screen, in a real pseudo-terminal, while a lesson trains at full speed.

    python benchmarks/key_latency.py [presses]

Starts `nndojo --lesson L --play` in a 120x40 pty, then presses space (pause / play) and
l (English / 한국어) repeatedly, timing each press until the bytes that show its effect
(the ⏸/▶ of the status line, the lesson title in the other language) arrive.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import struct
import sys
import termios
import time


def drain(fd: int, seconds: float) -> bytes:
    end, buf = time.time() + seconds, b""
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                break
    return buf


def measure(lesson: str, key: bytes, markers: tuple[str, str], presses: int) -> list[float]:
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        exe = shutil.which("nndojo") or os.path.join(os.path.dirname(sys.executable), "nndojo")
        os.execv(exe, ["nndojo", "--lesson", lesson, "--play"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    drain(fd, 4.0)
    latencies = []
    for i in range(presses):
        target = markers[i % 2].encode()
        t0 = time.perf_counter()
        os.write(fd, key)
        buf = b""
        while time.perf_counter() - t0 < 2.0:
            ready, _, _ = select.select([fd], [], [], 0.001)
            if ready:
                buf += os.read(fd, 65536)
                if target in buf:
                    break
        latencies.append((time.perf_counter() - t0) * 1000)
        drain(fd, 0.3)
    os.write(fd, b"q")
    drain(fd, 1.0)
    os.waitpid(pid, 0)
    return sorted(latencies)


def main() -> None:
    presses = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    cases = [
        ("cnn", b" ", ("⏸", "▶"), "space"),
        ("weight-init", b" ", ("⏸", "▶"), "space"),
        ("cnn", b"l", ("합성곱 신경망", "Convolutional networks"), "l"),
        ("weight-init", b"l", ("가중치 초기화", "Weight initialization"), "l"),
    ]
    print(f"{'lesson':<14}{'key':<7}{'median ms':>10}{'p95 ms':>8}{'max ms':>8}")
    for lesson, key, markers, name in cases:
        lat = measure(lesson, key, markers, presses)
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        print(f"{lesson:<14}{name:<7}{lat[len(lat) // 2]:>10.0f}{p95:>8.0f}{lat[-1]:>8.0f}")


if __name__ == "__main__":
    main()
