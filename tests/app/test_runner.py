"""Headless tests of the Runner: the background thread that trains an Experiment.

No Textual here. Everything that waits on the worker thread polls with a timeout
(``wait_until``) instead of sleeping a fixed time, so the tests stay fast on an idle
machine and do not flake on a loaded one.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import numpy as np
import pytest

from nndojo.core.experiment import Experiment, HyperParam, HyperParamError, LessonInfo
from nndojo.core.lessons.cnn import CNN
from nndojo.core.lessons.gradient_descent import GradientDescent
from nndojo.core.lessons.weight_init import WeightInit
from nndojo.tui.runner import DEFAULT_SPEED, SPEEDS, Runner

TIMEOUT = 10.0


def wait_until(predicate: Callable[[], bool], timeout: float = TIMEOUT, interval: float = 0.005) -> bool:
    """Poll ``predicate`` until it is true; False if ``timeout`` passed first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def steps(runner: Runner) -> int:
    """The step count, read under the runner's lock (so never mid-chunk)."""
    return runner.call(lambda e: e.step_count)


def settle(runner: Runner, quiet: float = 0.15) -> int:
    """After a pause the worker may finish the chunk it had started: wait until the
    count stops moving for ``quiet`` seconds, and return it."""
    deadline = time.monotonic() + TIMEOUT
    last = steps(runner)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = steps(runner)
        if now == last:
            return now
        last = now
    raise AssertionError("the runner kept stepping after pause()")


class Toy(Experiment):
    """A tiny experiment whose steps can be told to diverge or to raise."""

    info = LessonInfo(key="toy", number=99, title={"en": "Toy"}, question={"en": "?"}, text={"en": ""})
    hyperparams = (
        HyperParam("rate", "rate", "float", 0.5, low=0.0, high=2.0),
        HyperParam("size", "size", "int", 3, low=1, high=10, needs_reset=True),
        HyperParam("mode", "mode", "choice", "a", choices=("a", "b")),
    )

    def __init__(self, seed: int = 0, **values: Any) -> None:
        self.fail_from: int | None = None  # raise in every step from this step count on
        self.diverge_at: int | None = None  # report an infinite loss at this step count
        self.applied: list[tuple[str, Any]] = []
        super().__init__(seed, **values)

    def _build(self) -> None:
        self.w = self.rng.normal(size=self.values["size"])

    def _train_step(self) -> dict[str, float]:
        if self.fail_from is not None and self.step_count >= self.fail_from:
            raise RuntimeError("a bug in the lesson")
        self.w = self.w * (1.0 - 0.1 * self.values["rate"])
        loss = float(np.sum(self.w**2))
        if self.diverge_at is not None and self.step_count + 1 >= self.diverge_at:
            loss = float("inf")
        return {"loss": loss}

    def _apply(self, name: str, value: Any) -> None:
        self.applied.append((name, value))


@pytest.fixture
def make_runner():
    """Build started runners; every one is stopped (and its thread joined) afterwards."""
    runners: list[Runner] = []

    def make(experiment: Experiment, speed: int = DEFAULT_SPEED, start: bool = True) -> Runner:
        runner = Runner(experiment, speed=speed)
        if start:
            runner.start()
        runners.append(runner)
        return runner

    yield make
    for runner in runners:
        runner.stop()
        assert not runner.alive


# -- play, pause, step -------------------------------------------------------------


def test_a_new_runner_is_paused(make_runner) -> None:
    runner = make_runner(Toy())
    assert runner.alive
    assert not runner.playing
    assert runner.speed_index == DEFAULT_SPEED
    assert runner.steps_per_second == 0.0
    time.sleep(0.05)
    assert steps(runner) == 0


@pytest.mark.parametrize("lesson", [GradientDescent, WeightInit, CNN], ids=lambda c: c.info.key)
def test_play_steps_in_the_background_and_pause_stops_it(make_runner, lesson) -> None:
    experiment = lesson(seed=0)
    experiment.stops_when_converged = False  # at full speed gradient descent converges in a few ms
    runner = make_runner(experiment)
    runner.play()
    assert runner.playing
    assert wait_until(lambda: steps(runner) >= 5), "the worker did not step"
    assert wait_until(lambda: runner.steps_per_second > 0), "no measured rate while playing"
    runner.pause()
    assert not runner.playing
    stopped_at = settle(runner)
    assert stopped_at >= 5
    time.sleep(0.1)
    assert steps(runner) == stopped_at
    assert runner.steps_per_second == 0.0
    assert runner.error is None


def test_toggle_returns_the_new_state(make_runner) -> None:
    runner = make_runner(Toy())
    assert runner.toggle() is True
    assert runner.playing
    assert runner.toggle() is False
    assert not runner.playing


def test_step_once_advances_exactly_n_while_paused(make_runner) -> None:
    runner = make_runner(GradientDescent(seed=0))
    runner.step_once()
    assert steps(runner) == 1
    runner.step_once(3)
    assert steps(runner) == 4
    assert not runner.playing
    time.sleep(0.05)
    assert steps(runner) == 4  # the worker did not add any


def test_step_once_pauses_a_playing_runner(make_runner) -> None:
    runner = make_runner(Toy())
    runner.play()
    assert wait_until(lambda: steps(runner) > 0)
    runner.step_once(2)
    assert not runner.playing
    before = settle(runner)
    runner.step_once(2)
    assert steps(runner) == before + 2
    assert not runner.playing


def test_step_once_works_without_the_thread(make_runner) -> None:
    runner = make_runner(Toy(), start=False)
    runner.step_once(5)
    assert steps(runner) == 5
    assert not runner.alive


def test_same_seed_gives_the_same_run_through_the_runner(make_runner) -> None:
    runner = make_runner(GradientDescent(seed=3))
    runner.step_once(7)
    first = runner.snapshot().metrics["loss"]
    runner.reset()
    assert steps(runner) == 0
    runner.step_once(7)
    again = runner.snapshot().metrics["loss"]
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    runner.reset(seed=4)
    assert runner.experiment.seed == 4
    assert steps(runner) == 0


# -- hyperparameters ---------------------------------------------------------------


def test_set_between_steps_is_validated(make_runner) -> None:
    runner = make_runner(Toy())
    runner.step_once(3)
    before = dict(runner.experiment.values)
    for name, bad in [("rate", "fast"), ("rate", 5.0), ("rate", float("nan")), ("size", 2.5), ("mode", "c"), ("nope", 1)]:
        with pytest.raises(HyperParamError):
            runner.set(name, bad)
        assert runner.experiment.values == before, f"{name}={bad!r} changed the values"
        assert steps(runner) == 3, f"{name}={bad!r} reset the run"
    assert runner.experiment.applied == []


def test_a_live_change_keeps_the_run_and_a_reset_change_restarts_it(make_runner) -> None:
    runner = make_runner(Toy())
    runner.step_once(3)
    assert runner.set("rate", 1.5) is False
    assert runner.experiment.values["rate"] == 1.5
    assert runner.experiment.applied == [("rate", 1.5)]
    assert steps(runner) == 3
    assert runner.set("size", 5) is True
    assert runner.experiment.values["size"] == 5
    assert steps(runner) == 0
    assert runner.experiment.w.shape == (5,)


def test_set_while_playing_lands_between_steps(make_runner) -> None:
    experiment = GradientDescent(seed=0)
    experiment.stops_when_converged = False  # keeps playing, however fast it converges
    runner = make_runner(experiment)
    runner.play()
    assert wait_until(lambda: steps(runner) > 0)
    for lr in (0.1, 0.05, 0.01):
        assert runner.set("learning_rate", lr) is False
        assert runner.call(lambda e: (e.values["learning_rate"], e.optimizer.learning_rate)) == (lr, lr)
        assert runner.playing
    with pytest.raises(HyperParamError):
        runner.set("learning_rate", -1)
    assert runner.experiment.values["learning_rate"] == 0.01
    runner.pause()
    assert runner.error is None


# -- divergence, errors, stop ------------------------------------------------------


def test_a_diverging_lesson_pauses_the_runner(make_runner) -> None:
    runner = make_runner(GradientDescent(seed=0))
    runner.set("learning_rate", GradientDescent.hyperparams[0].high)
    runner.play()
    assert wait_until(lambda: not runner.playing), "the runner kept playing a diverged run"
    snap = runner.snapshot()
    assert snap.diverged
    assert "diverged" in snap.message
    assert runner.error is None
    at = steps(runner)
    runner.play()  # a diverged run does not play again...
    assert not runner.playing
    assert steps(runner) == at
    runner.reset()  # ...until it is reset
    assert not runner.snapshot().diverged
    assert steps(runner) == 0


def test_a_lesson_that_stops_when_converged_pauses_there_and_can_go_on(make_runner) -> None:
    runner = make_runner(GradientDescent(seed=0, surface="bowl"))
    runner.play()
    assert wait_until(lambda: not runner.playing), "the runner kept playing a converged run"
    assert runner.snapshot().converged
    at = steps(runner)
    assert at < 1000, "it should stop at convergence, not run on"
    runner.set("learning_rate", 0.5)
    runner.play()  # playing again after convergence is the learner's choice: it runs
    assert wait_until(lambda: steps(runner) > at)
    runner.pause()


def test_a_change_whose_rebuild_fails_changes_nothing(make_runner) -> None:
    class Fragile(Toy):
        def _build(self) -> None:
            if self.values["size"] == 7:
                raise RuntimeError("cannot build size 7")
            super()._build()

    runner = make_runner(Fragile(seed=0))
    with pytest.raises(RuntimeError):
        runner.set("size", 7)
    assert runner.experiment.values["size"] == 3
    runner.step_once(2)
    assert steps(runner) == 2


def test_a_diverging_toy_pauses_at_the_step_it_diverged(make_runner) -> None:
    exp = Toy()
    exp.diverge_at = 50
    runner = make_runner(exp)
    runner.play()
    assert wait_until(lambda: not runner.playing)
    assert steps(runner) == 50
    assert runner.snapshot().diverged


def test_an_exception_in_a_step_is_captured_and_the_thread_keeps_answering(make_runner) -> None:
    exp = Toy()
    exp.fail_from = 10
    runner = make_runner(exp)
    runner.play()
    assert wait_until(lambda: runner.error is not None), "the error was not captured"
    assert isinstance(runner.error, RuntimeError)
    assert not runner.playing
    assert runner.alive
    assert steps(runner) == 10
    # The thread still answers: snapshots, settings, resets and playing again.
    assert runner.snapshot().step == 10
    runner.set("rate", 1.0)
    runner.error = None
    exp.fail_from = None
    runner.reset()
    runner.play()
    assert wait_until(lambda: steps(runner) > 20)
    runner.pause()
    assert runner.error is None
    assert runner.alive


def test_stop_joins_the_thread(make_runner) -> None:
    runner = make_runner(Toy())
    runner.play()
    assert wait_until(lambda: steps(runner) > 0)
    runner.stop()  # returns once the thread has ended (a hang would hang the test)
    assert not runner.alive
    assert not runner.playing
    assert runner._thread is not None and not runner._thread.is_alive()
    at = steps(runner)
    time.sleep(0.05)
    assert steps(runner) == at


def test_stop_of_a_paused_runner_returns_at_once(make_runner) -> None:
    runner = make_runner(Toy())
    runner.stop()
    assert not runner.alive


def test_start_twice_keeps_one_thread_and_restarts_after_stop(make_runner) -> None:
    runner = make_runner(Toy())
    thread = runner._thread
    runner.start()
    assert runner._thread is thread
    runner.stop()
    runner.start()
    assert runner.alive
    runner.play()
    assert wait_until(lambda: steps(runner) > 0)
    runner.pause()


# -- snapshots and speed -----------------------------------------------------------


@pytest.mark.parametrize("lesson", [GradientDescent, WeightInit, CNN], ids=lambda c: c.info.key)
def test_snapshot_while_playing(make_runner, lesson) -> None:
    runner = make_runner(lesson(seed=0))
    runner.play()
    seen: list[int] = []
    deadline = time.monotonic() + TIMEOUT
    while len(seen) < 10 and time.monotonic() < deadline:
        snap = runner.snapshot(64)
        seen.append(snap.step)
        for name, (x, y) in snap.metrics.items():
            assert len(x) == len(y) <= 2 * 64 + 2, name
            assert np.all(np.diff(x) >= 0), f"{name}: x not sorted"
        assert set(snap.metrics) == set(snap.last)
        time.sleep(0.01)
    runner.pause()
    assert len(seen) == 10
    assert seen == sorted(seen)
    assert seen[-1] > seen[0] or steps(runner) > seen[0]
    assert runner.error is None


def test_speed_levels_stay_in_bounds(make_runner) -> None:
    runner = make_runner(Toy())
    assert runner.speed_label == SPEEDS[DEFAULT_SPEED][0]
    runner.faster()
    assert runner.speed_index == len(SPEEDS) - 1
    labels = []
    for _ in range(len(SPEEDS) + 2):
        runner.slower()
        labels.append(runner.speed_label)
    assert runner.speed_index == 0
    assert labels[: len(SPEEDS) - 1] == [label for label, _ in SPEEDS[-2::-1]]
    for _ in range(len(SPEEDS) + 2):
        runner.faster()
    assert runner.speed_index == len(SPEEDS) - 1


@pytest.mark.parametrize("index", [i for i, (_, rate) in enumerate(SPEEDS) if rate is not None and rate >= 20])
def test_a_rate_limited_speed_does_not_exceed_its_rate(make_runner, index: int) -> None:
    rate = SPEEDS[index][1]
    runner = make_runner(Toy(), speed=index)
    t0 = time.monotonic()
    runner.play()
    assert wait_until(lambda: steps(runner) >= 3)
    time.sleep(0.2)
    runner.pause()
    elapsed = time.monotonic() - t0
    n = settle(runner, quiet=0.05)
    assert n <= rate * elapsed + 2, f"{n} steps in {elapsed:.2f}s at {rate}/s"


def test_full_speed_is_faster_than_the_slowest(make_runner) -> None:
    slow = make_runner(Toy(), speed=0)
    fast = make_runner(Toy(), speed=len(SPEEDS) - 1)
    slow.play()
    fast.play()
    assert wait_until(lambda: steps(fast) > 1000)
    slow.pause()
    fast.pause()
    assert settle(slow, quiet=0.05) <= 3


def test_the_lock_serialises_calls_from_many_threads(make_runner) -> None:
    """UI-side calls from several threads while the worker trains: no errors, no torn state."""
    runner = make_runner(GradientDescent(seed=0))
    runner.play()
    errors: list[BaseException] = []

    def poke(k: int) -> None:
        try:
            for i in range(20):
                runner.snapshot(32)
                runner.set("learning_rate", [0.01, 0.02, 0.05][(i + k) % 3])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=poke, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    runner.pause()
    assert errors == []
    assert runner.error is None
    assert runner.call(lambda e: e.optimizer.learning_rate == e.values["learning_rate"])


# -- holding training off for the UI ----------------------------------------------------


def test_holds_for_a_key_and_a_frame_are_released_separately(make_runner) -> None:
    runner = make_runner(Toy())
    runner.yield_to_ui(30.0, "key")
    runner.yield_to_ui(30.0, "frame")
    runner.play()
    time.sleep(0.1)
    assert steps(runner) == 0, "training ran while held"
    runner.release("frame")  # a frame that ends must not let training run over the key
    time.sleep(0.1)
    assert steps(runner) == 0, "releasing the frame's hold released the key's"
    runner.release("key")
    assert wait_until(lambda: steps(runner) > 0), "training did not go on after both holds ended"


def test_a_hold_ends_by_itself(make_runner) -> None:
    runner = make_runner(Toy())
    runner.yield_to_ui(0.05, "key")
    runner.play()
    assert wait_until(lambda: steps(runner) > 0, timeout=5.0)


def test_an_unknown_hold_is_refused() -> None:
    runner = Runner(Toy())
    with pytest.raises(ValueError, match="frame, key"):
        runner.yield_to_ui(1.0, "mouse")
    runner.release("mouse")  # nothing to release: no error, nothing added
    assert set(runner._hold_until) == {"frame", "key"}
