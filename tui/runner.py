"""Runs an Experiment in a background thread; the UI pulls snapshots on its own timer.

The worker never messages the UI. Every call into the Experiment (step, set, reset,
snapshot) holds one lock, so hyperparameter changes land between steps, never
mid-step. Speed is a control: paused (single steps with ``step_once``), a fixed
number of steps per second, or as fast as possible.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:  # the command line reads SPEEDS without loading NumPy
    from nndojo.core.experiment import Experiment, Snapshot

T = TypeVar("T")

#: (label, steps per second); None = as fast as possible.
SPEEDS: tuple[tuple[str, float | None], ...] = (
    ("1/s", 1.0),
    ("5/s", 5.0),
    ("20/s", 20.0),
    ("100/s", 100.0),
    ("max", None),
)
DEFAULT_SPEED = len(SPEEDS) - 1

#: At full speed the worker holds the lock for about this long per chunk of steps:
#: the longest a key's action (reset, a new value) or a frame's snapshot waits for it.
CHUNK_SECONDS = 0.004
#: Seconds the worker sleeps between chunks. 0 still releases the GIL: a UI thread
#: waiting for it takes it at once.
NAP = 0.0


class Runner:
    """Owns one Experiment and the thread that trains it."""

    def __init__(self, experiment: Experiment, speed: int = DEFAULT_SPEED) -> None:
        if not 0 <= speed < len(SPEEDS):
            raise ValueError(f"speed must index SPEEDS (0..{len(SPEEDS) - 1}), got {speed}")
        self.experiment = experiment
        self.lock = threading.Lock()
        self.speed_index = speed
        self._playing = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rate_window: deque[tuple[float, int]] = deque(maxlen=32)
        # One slot per reason; the worker reads the values while the UI and input
        # threads set them (never adding keys, so reading is safe without a lock).
        self._hold_until: dict[str, float] = {"frame": 0.0, "key": 0.0}
        self.error: BaseException | None = None
        #: Steps per second that override the speed table (a question's run, paced to
        #: show its effect in a few seconds) until + or - picks a speed again.
        self.pace: float | None = None
        #: Training pauses once the run reaches this step (a question's step budget).
        self.pause_at: int | None = None

    # -- lifecycle ------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name=f"nndojo-{self.experiment.info.key}", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._playing.set()  # wake the loop so it sees the stop flag
        if self._thread is not None:
            self._thread.join(timeout)
        self._playing.clear()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- controls -------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._playing.is_set() and not self._stop.is_set()

    def play(self) -> None:
        if self.experiment.diverged:
            return
        self._rate_window.clear()
        self._playing.set()

    def pause(self) -> None:
        self._playing.clear()

    def toggle(self) -> bool:
        """Play if paused, pause if playing; returns the new state."""
        if self.playing:
            self.pause()
        else:
            self.play()
        return self.playing

    def step_once(self, n: int = 1) -> None:
        """Pause, then advance exactly ``n`` steps. A failing step is kept in ``error``."""
        self.pause()
        with self.lock:
            try:
                self.experiment.step(n)
            except Exception as exc:
                self.error = exc

    def faster(self) -> None:
        self.pace = None
        self.speed_index = min(self.speed_index + 1, len(SPEEDS) - 1)
        self._rate_window.clear()

    def slower(self) -> None:
        self.pace = None
        self.speed_index = max(self.speed_index - 1, 0)
        self._rate_window.clear()

    def yield_to_ui(self, seconds: float = 0.25, why: str = "frame") -> None:
        """Keys and frames come first: training holds off for up to ``seconds`` (or
        until ``release(why)``) so the UI thread has the GIL to itself meanwhile.

        ``why`` is "frame" or "key": each hold is released on its own, so the end of
        a frame does not let training run over a key that arrived during it. Safe to
        call from any thread (the terminal's input thread holds for a key the moment
        it arrives)."""
        if why not in self._hold_until:
            raise ValueError(f"why must be one of {', '.join(self._hold_until)}, got {why!r}")
        self._hold_until[why] = time.perf_counter() + seconds

    def release(self, why: str = "frame") -> None:
        if why in self._hold_until:
            self._hold_until[why] = 0.0

    @property
    def speed_label(self) -> str:
        if self.pace is not None:
            return f"{self.pace:.0f}/s"
        return SPEEDS[self.speed_index][0]

    def set(self, name: str, value: Any) -> bool:
        """Validated hyperparameter change between steps; True if it reset the run.
        A bad value raises HyperParamError (and changes nothing)."""
        with self.lock:
            reset = self.experiment.set(name, value)
        if reset:
            self._rate_window.clear()
        return reset

    def reset(self, seed: int | None = None) -> None:
        with self.lock:
            self.experiment.reset(seed)
        self._rate_window.clear()

    def replace(self, experiment: Experiment) -> None:
        """Train ``experiment`` from now on (a resumed session); paused."""
        self.pause()
        with self.lock:
            self.experiment = experiment
            self.error = None
        self._rate_window.clear()

    def snapshot(self, points: int = 200) -> Snapshot:
        with self.lock:
            return self.experiment.snapshot(points)

    def call(self, fn: Callable[[Experiment], T]) -> T:
        """Run ``fn(experiment)`` under the lock (for views the snapshot does not carry)."""
        with self.lock:
            return fn(self.experiment)

    @property
    def steps_per_second(self) -> float:
        """Measured training rate over the last 32 chunks of steps (0 when paused)."""
        w = self._rate_window
        if not self.playing or len(w) < 2:
            return 0.0
        (t0, s0), (t1, s1) = w[0], w[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0

    # -- the worker -----------------------------------------------------------------
    def _loop(self) -> None:
        chunk = 1
        next_tick = time.perf_counter()
        while not self._stop.is_set():
            if not self._playing.wait(0.1):
                next_tick = time.perf_counter()
                continue
            if self._stop.is_set():
                break
            hold = max(self._hold_until.values()) - time.perf_counter()
            if hold > 0:
                self._stop.wait(min(hold, 0.005))
                continue
            exp = self.experiment  # a resumed session may have replaced it
            rate = SPEEDS[self.speed_index][1] if self.pace is None else self.pace
            pause_at = self.pause_at
            was_converged = exp.converged
            try:
                if rate is None:
                    t0 = time.perf_counter()
                    with self.lock:
                        if not self._playing.is_set():  # paused while we waited for the lock
                            continue
                        exp.step(chunk if pause_at is None else max(min(chunk, pause_at - exp.step_count), 0))
                    elapsed = time.perf_counter() - t0
                    # Size the next chunk so one holds the lock for about CHUNK_SECONDS.
                    if elapsed < CHUNK_SECONDS / 2:
                        chunk = min(chunk * 2, 100_000)
                    elif elapsed > CHUNK_SECONDS * 2 and chunk > 1:
                        chunk //= 2
                    time.sleep(NAP)  # let the UI thread take the GIL
                else:
                    with self.lock:
                        if not self._playing.is_set():
                            continue
                        # above 100 steps/s (a question's pace), a few steps per tick
                        n = max(1, int(rate // 100))
                        if pause_at is not None:
                            n = max(min(n, pause_at - exp.step_count), 0)
                        exp.step(n)
                    next_tick += max(n, 1) / rate
                    delay = next_tick - time.perf_counter()
                    if delay > 0:
                        self._stop.wait(delay)
                    else:
                        next_tick = time.perf_counter()
            except Exception as exc:  # a bug in a lesson: stop training, keep the UI alive
                self.error = exc
                self._playing.clear()
                continue
            self._rate_window.append((time.perf_counter(), exp.step_count))
            just_converged = exp.converged and not was_converged and exp.stops_when_converged
            at_budget = pause_at is not None and exp.step_count >= pause_at
            if exp.diverged or just_converged or at_budget:
                self._playing.clear()
