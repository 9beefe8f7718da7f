"""Training speed headless vs inside the app, and frames drawn per second.

    python benchmarks/foundation.py [seconds-per-measurement]

Headless: a Runner trains each lesson at full speed with nothing drawing (a lesson that
pauses at convergence is told not to, so the rate is steady training). In the
app: the same lesson plays at full speed in NNDojoApp (Textual's headless driver, which still
builds every frame) at 120x40 and 80x24, with every panel live. Issue 3 turns this
into `python -m nndojo.bench`.
"""

from __future__ import annotations

import asyncio
import sys
import time

from nndojo.tui.app import MENU, NNDojoApp
from nndojo.tui.runner import SPEEDS, Runner


def headless(cls, seconds: float) -> float:
    experiment = cls(seed=0)
    experiment.stops_when_converged = False  # measure steady training, not a finished run
    runner = Runner(experiment)
    runner.start()
    runner.play()
    time.sleep(0.3)
    s0, t0 = runner.experiment.step_count, time.perf_counter()
    time.sleep(seconds)
    s1, t1 = runner.experiment.step_count, time.perf_counter()
    runner.stop()
    return (s1 - s0) / (t1 - t0)


async def in_app(key: str, size: tuple[int, int], seconds: float) -> tuple[float, float]:
    app = NNDojoApp(key)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        screen = app.lesson_screens[key]
        frames = 0
        original = screen.update_panels

        def counting(snap, heavy):
            nonlocal frames
            frames += 1
            original(snap, heavy)

        screen.update_panels = counting
        screen.experiment.stops_when_converged = False
        screen.runner.speed_index = len(SPEEDS) - 1  # as fast as possible
        screen.runner.play()
        await asyncio.sleep(0.3)
        s0, f0, t0 = screen.experiment.step_count, frames, time.perf_counter()
        await asyncio.sleep(seconds)
        s1, f1, t1 = screen.experiment.step_count, frames, time.perf_counter()
        screen.runner.pause()
    return (s1 - s0) / (t1 - t0), (f1 - f0) / (t1 - t0)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    print(f"{'lesson':<18} {'headless steps/s':>17} {'size':>7} {'app steps/s':>12} {'ratio':>6} {'frames/s':>9}")
    for cls in MENU:
        key = cls.info.key
        base = headless(cls, seconds)
        for size in ((120, 40), (80, 24)):
            rate, fps = asyncio.run(in_app(key, size, seconds))
            print(f"{key:<18} {base:>17,.0f} {size[0]:>3}x{size[1]:<3} {rate:>12,.0f} {rate / base:>6.2f} {fps:>9.1f}")


if __name__ == "__main__":
    main()
