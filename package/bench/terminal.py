"""The app as a learner runs it: in a real pseudo-terminal, measured from outside.

Each function here starts ``nndojo`` (or a bare Textual hello-world) on a pty with
``Term`` and measures one promise of the issue side by side with its baseline in the
same run: training steps/s in the app vs the same Experiment headless, key press to
screen, bytes per second to the terminal, launch to first frame, and a long run.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time

from .pty import Term, nndojo_argv

HELLO_MARKER = "hello-nndojo-bench"
HELLO_WORLD = f"""
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("{HELLO_MARKER}")

Hello().run()
"""


def home_marker() -> str:
    """Text the home screen shows once its first frame is complete: the first word of
    a menu lesson's English title low in the list (the tenth: the list scrolls, and at
    120x40 it shows sixteen; the last lesson's title was off screen once the menu grew,
    and the start-up row waited 30 s for it)."""
    from nndojo.screens import menu_infos

    infos = menu_infos()
    return infos[min(9, len(infos) - 1)].title["en"].split()[0]


def bench_values(key: str) -> dict:
    """The values the benchmark trains ``key`` with (its Experiment's ``bench_values``:
    the largest network and data its controls allow; none: its defaults), headless and in
    the app alike."""
    from nndojo.core.lessons import by_key

    return dict(getattr(by_key(key), "bench_values", {}))


def bench_env(key: str) -> dict[str, str]:
    """The environment that starts the app on ``key`` at ``bench_values(key)``."""
    values = bench_values(key)
    return {"NNDOJO_BENCH_VALUES": json.dumps({key: values})} if values else {}


def setups_note(keys: list[str]) -> str:
    """A line naming the lessons measured at a setup of their own, and the setup."""
    parts = [f"{key}: " + ", ".join(f"{k}={v}" for k, v in bench_values(key).items()) for key in keys if bench_values(key)]
    return ("\n\nMeasured at a setup of their own (the lesson's bench_values, headless and in the app alike): "
            + "; ".join(parts) + ".") if parts else ""


def headless_rate(key: str, seconds: float) -> float:
    """Steps/s of the lesson's Experiment trained by a Runner at full speed, nothing drawn."""
    from nndojo.core.lessons import by_key
    from nndojo.tui.runner import Runner

    experiment = by_key(key)(seed=0, **bench_values(key))
    experiment.stops_when_converged = False  # steady training, not a finished run
    runner = Runner(experiment)
    runner.start()
    runner.play()
    time.sleep(min(0.3, seconds / 3))
    s0, t0 = experiment.step_count, time.perf_counter()
    time.sleep(seconds)
    s1, t1 = experiment.step_count, time.perf_counter()
    runner.stop()
    return (s1 - s0) / (t1 - t0)


def _open_playing(key: str, cols: int, rows: int, extra: tuple[str, ...] = ()) -> Term:
    """The app on ``key``, training at full speed, past its first frames."""
    term = Term(nndojo_argv("--lesson", key, "--play", "--speed", "max", *extra), cols, rows, env=bench_env(key))
    if term.wait_for("step", timeout=20.0) is None:
        term.close()
        raise RuntimeError(f"nndojo --lesson {key} drew nothing within 20 s")
    term.drain(1.5)
    return term


def app_rate(key: str, cols: int, rows: int, seconds: float, extra: tuple[str, ...] = ()) -> dict:
    """Steps/s, frames/s and bytes/s of the app training ``key`` in a real terminal."""
    with _open_playing(key, cols, rows, extra) as term:
        a, b0 = term.stats(), term.total
        term.drain(seconds)
        b, b1 = term.stats(), term.total
        term.close()
    dt = b["t"] - a["t"]
    return {
        "steps_per_s": (b["step"] - a["step"]) / dt,
        "frames_per_s": (b["frames"] - a["frames"]) / dt,
        "bytes_per_s": (b1 - b0) / dt,
        "unfiltered_bytes_per_s": (b.get("bytes_in", 0) - a.get("bytes_in", 0)) / dt,
    }


def training_in_app(keys: list[str], sizes: list[tuple[int, int]], seconds: float) -> list[dict]:
    """In the app vs headless, interleaved: headless, app, headless; the ratio is to
    the mean of the two headless runs around it."""
    rows = []
    for key in keys:
        for cols, lines in sizes:
            h1 = headless_rate(key, seconds)
            app = app_rate(key, cols, lines, seconds)
            h2 = headless_rate(key, seconds)
            base = (h1 + h2) / 2
            rows.append({"lesson": key, "size": f"{cols}x{lines}", "headless": base, **app, "ratio": app["steps_per_s"] / base})
    return rows


def bandwidth(key: str, cols: int, rows: int, seconds: float) -> list[dict]:
    """Bytes/s to the terminal in steady state: by default and with --low-bandwidth."""
    out = []
    for label, extra in (("default", ()), ("--low-bandwidth", ("--low-bandwidth",))):
        r = app_rate(key, cols, rows, seconds, extra)
        out.append({"setting": label, "lesson": key, "size": f"{cols}x{rows}", **r})
    return out


def key_latency(key: str, presses: int, cols: int = 120, rows: int = 40) -> list[dict]:
    """Key press to the bytes that show its effect, while ``key`` trains at full speed.

    space toggles the pause and play marks in the status line; l switches the lesson
    text between English and Korean (its first line is the lesson's question; the title,
    controls and status line follow in the next frame); R (new seed) rebuilds the run and shows "seed N"
    in the status line, or "new seed: N" in the message that may cover that end of it;
    on a lesson whose run draws no random number R restarts it and says so in a remark
    (an untimed e before each such R puts another remark there, so that R's is new)."""
    from nndojo.core.lessons import by_key
    from nndojo.core.texts._ui import ui
    from nndojo.tui.widgets.status import PAUSED, PLAYING

    cls = by_key(key)
    question = {lang: text[:12] for lang, text in cls.info.question.items()}
    seeded = cls(seed=0).uses_seed()
    if seeded:
        def r_marks(i: int, playing: bool) -> tuple[str, ...]:
            return (f"seed {i + 1} ", f"seed: {i + 1} ", f"seed {i + 1}\x1b", f"seed: {i + 1}\x1b")
    else:
        restarts = ui("remark.no_seed", "en").split(":")[-1].strip()[:12]  # "R restarts i"

        def r_marks(i: int, playing: bool) -> tuple[str, ...]:
            return (restarts,)
    cases = [
        # space: the mark of the state it switches to (asked of the app, not assumed)
        ("space", lambda i, playing: " ", lambda i, playing: (PAUSED,) if playing else (PLAYING,)),
        ("l", lambda i, playing: "l", lambda i, playing: (question["ko"],) if i % 2 == 0 else (question["en"],)),
        ("R", lambda i, playing: "R", r_marks),
    ]
    results = []
    rng = random.Random(0)
    with _open_playing(key, cols, rows) as term:
        for name, key_of, marker_of in cases:
            waits = []
            for i in range(presses):
                playing = term.stats()["playing"]
                if name != "space" and not playing:
                    term.press(" ")  # keys are timed while training runs
                    term.drain(0.3)
                    playing = True
                if name == "R" and not seeded:
                    term.press("e")  # another remark first (untimed)
                    term.drain(0.2)
                term.press(key_of(i, playing))
                waited = term.wait_for(*marker_of(i, playing), timeout=2.0)
                waits.append(2000.0 if waited is None else waited * 1000)
                # A random pause, so keys land at every phase of the frame timer (as a
                # person's do), not always at the same point of a frame.
                term.drain(rng.uniform(0.15, 0.4))
                if name == "space" and playing is False:
                    term.drain(0.2)  # let training get going again
            waits.sort()
            results.append(
                {
                    "lesson": key,
                    "key": name,
                    "median_ms": statistics.median(waits),
                    "p95_ms": waits[min(len(waits) - 1, round(0.95 * (len(waits) - 1)))],
                    "max_ms": waits[-1],
                    "missed": sum(w >= 2000.0 for w in waits),
                }
            )
        term.close()
    return results


def question_key_latency(key: str, presses: int, cols: int = 120, rows: int = 40) -> list[dict]:
    """Key press to screen while a question's run plays: p, the first choice, then keys
    timed during the run (paced to last a few seconds; when one ends, p and a choice
    start the next question's, untimed).

    space toggles the pause and play marks in the status line; l switches the question's
    panel between English and Korean (its title line)."""
    import tempfile

    from nndojo.core.texts._ui import ui
    from nndojo.tui.widgets.status import PAUSED, PLAYING

    title = {lang: ui("predict.title", lang, n=1, total=1).split("·")[0].strip()[:9] for lang in ("en", "ko")}
    results = []
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as data:
        term = Term(nndojo_argv("--lesson", key, "--data-dir", data), cols, rows)
        with term:
            if term.wait_for("step", timeout=20.0) is None:
                raise RuntimeError(f"nndojo --lesson {key} drew nothing within 20 s")
            term.drain(1.0)
            lang = "en"

            def question_running() -> dict:
                for attempt in range(6):  # a loaded machine may take longer to open the dialog
                    s = term.stats()
                    if s.get("question_running"):
                        return s
                    term.press("p")  # the next question (its dialog), then its first choice
                    term.drain(0.4 + 0.2 * attempt)
                    term.press("1")
                    term.drain(0.6 + 0.2 * attempt)
                raise RuntimeError(f"{key}: no question's run to time keys over")

            for name in ("space", "l"):
                waits = []
                for i in range(presses):
                    s = question_running()
                    playing = s["playing"]
                    if name == "space":
                        term.press(" ")
                        marks: tuple[str, ...] = (PAUSED,) if playing else (PLAYING,)
                    else:
                        if not playing:
                            term.press(" ")  # keys are timed while the run plays
                            term.drain(0.3)
                        lang = "ko" if lang == "en" else "en"
                        term.press("l")
                        marks = (title[lang],)
                    waited = term.wait_for(*marks, timeout=2.0)
                    waits.append(2000.0 if waited is None else waited * 1000)
                    term.drain(rng.uniform(0.15, 0.4))
                waits.sort()
                results.append(
                    {
                        "lesson": key,
                        "key": f"{name} (question's run)",
                        "median_ms": statistics.median(waits),
                        "p95_ms": waits[min(len(waits) - 1, round(0.95 * (len(waits) - 1)))],
                        "max_ms": waits[-1],
                        "missed": sum(w >= 2000.0 for w in waits),
                    }
                )
            term.close()
    return results


def startup(repeats: int) -> dict:
    """Launch to first drawn frame: nndojo's home screen vs a bare Textual app, alternated."""
    ours, bare = [], []
    for _ in range(repeats):
        for argv, marker, into in (
            (nndojo_argv(), home_marker(), ours),
            ([sys.executable, "-c", HELLO_WORLD], HELLO_MARKER, bare),
        ):
            term = Term(argv, 120, 40)
            waited = term.wait_for(marker, timeout=30.0)
            into.append(time.perf_counter() - term.started if waited is not None else float("nan"))
            term.close("q" if argv[1] == "-m" else "\x03")
    o, b = statistics.median(ours), statistics.median(bare)
    return {"nndojo_s": o, "hello_s": b, "ratio": o / b}


LONG_RUN = """
import json, sys, asyncio
from nndojo.bench.terminal import long_run_probe
print(json.dumps(asyncio.run(long_run_probe(sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])))))
"""
#: The long run's settings per model family. A quadratic surface's run converges to
#: exactly (0, 0), where the point's coordinates end as subnormal floats (slow to compute
#: with: a numerical artefact, not growth); on the Rosenbrock valley it settles at (1, 1).
LONG_RUN_VALUES = {"surface": {"surface": "rosenbrock"}}


def long_run_values(key: str) -> dict:
    from nndojo.core.lessons import by_key

    return dict(LONG_RUN_VALUES.get(by_key(key).family or "", {}))


def rss_kb() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def long_run_probe(key: str, steps: int, values: dict | None = None) -> dict:
    """In this (fresh) process: train ``key`` for ``steps`` headless, then draw its screen
    at 120x40 and time one snapshot (the median of 200) and one full frame (of 20): every
    panel updated (heavy ones too) and the whole screen rendered to terminal bytes."""
    from nndojo.core.lessons import by_key
    from nndojo.tui.app import NNDojoApp

    experiment = by_key(key)(seed=0, **(values or {}))
    experiment.stops_when_converged = False
    chunk = 1000
    t0 = time.perf_counter()
    while experiment.step_count < steps:
        experiment.step(min(chunk, steps - experiment.step_count))
    train_s = time.perf_counter() - t0
    app = NNDojoApp(key)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.lesson_screens[key]
        screen.runner.experiment = screen.experiment = experiment  # the trained one
        await pilot.pause()
        points = screen.plot_points()
        snaps, frames = [], []
        for _ in range(200):  # a snapshot takes ~0.1 ms: many, for a steady median
            t = time.perf_counter()
            experiment.snapshot(points)
            snaps.append(time.perf_counter() - t)
        for _ in range(20):
            experiment.step(1)  # something new to draw, as while training
            t = time.perf_counter()
            screen._dirty = True
            screen._draw(True)
            screen._compositor.render_full_update().render_segments(app.console)
            frames.append(time.perf_counter() - t)
        rss = rss_kb()
    return {
        "steps": experiment.step_count,
        "train_s": train_s,
        "rss_kb": rss,
        "snapshot_ms": statistics.median(snaps) * 1000,
        "frame_ms": statistics.median(frames) * 1000,
        "diverged": experiment.diverged,
    }


def long_run(key: str, short: int = 1_000, long: int = 1_000_000) -> dict:
    """After ``long`` steps vs after ``short``, each in a fresh process."""
    results = {}
    for n in (short, long):
        values = json.dumps(long_run_values(key))
        out = subprocess.run([sys.executable, "-c", LONG_RUN, key, str(n), values], capture_output=True, text=True, check=True)
        results[n] = json.loads(out.stdout.strip().splitlines()[-1])
    a, b = results[short], results[long]
    return {
        "lesson": key,
        "values": long_run_values(key),
        "short": a,
        "long": b,
        "rss_ratio": b["rss_kb"] / a["rss_kb"],
        "snapshot_ratio": b["snapshot_ms"] / a["snapshot_ms"],
        "frame_ratio": b["frame_ms"] / a["frame_ms"],
    }


# -- the same measurements with runs pinned to compare (issue #10) -------------------------

#: Runs pinned before a "pinned" measurement: their curves are ghosts on every plot and
#: their figures a table, as after a learner's comparison.
PINS = 3


def pin_runs(term: Term, count: int = PINS, train_s: float = 0.8) -> int:
    """Pin ``count`` runs in the app on ``term`` (training at full speed): c pins the
    run, r starts it again (same seed: the key rows that follow count seeds from 0),
    which trains ``train_s`` before the next pin. Returns the pins made."""
    made = 0
    for i in range(count):
        if i:
            term.press("r")
            term.drain(train_s)
        term.press("c")
        if term.wait_for(f"pinned as #{i + 1}", timeout=3.0) is not None:
            made += 1
        term.drain(0.3)
    return made


def with_pins(measure, *args, pins: int = PINS, **kwargs):
    """``measure(*args, **kwargs)`` (app_rate, key_latency, ...) with ``pins`` runs pinned
    in the app right after it opens; each row says how many pins were made."""
    global _open_playing
    plain = _open_playing
    made: list[int] = []

    def opened(key: str, cols: int, rows: int, extra: tuple[str, ...] = ()) -> Term:
        term = plain(key, cols, rows, extra)
        made.append(pin_runs(term, pins))
        return term

    _open_playing = opened
    try:
        result = measure(*args, **kwargs)
    finally:
        _open_playing = plain
    for row in result if isinstance(result, list) else [result]:
        row["pins"] = min(made) if made else 0
    return result


def training_in_app_pinned(keys: list[str], sizes: list[tuple[int, int]], seconds: float, pins: int = PINS) -> list[dict]:
    """``training_in_app`` with ``pins`` runs pinned on the plots."""
    rows = []
    for key in keys:
        for cols, lines in sizes:
            h1 = headless_rate(key, seconds)
            app = with_pins(app_rate, key, cols, lines, seconds, pins=pins)
            h2 = headless_rate(key, seconds)
            base = (h1 + h2) / 2
            rows.append({"lesson": key, "size": f"{cols}x{lines}", "headless": base, **app, "ratio": app["steps_per_s"] / base})
    return rows


FRAME_COST = """
import json, sys, asyncio
from nndojo.bench.terminal import frame_cost_probe
print(json.dumps(asyncio.run(frame_cost_probe(sys.argv[1], int(sys.argv[2])))))
"""


async def frame_cost_probe(key: str, pins: int, steps: int = 300) -> dict:
    """In this (fresh) process: ``key`` at 120x40 after ``steps`` steps, with ``pins``
    runs pinned (each a restart trained as long), then the median of 20 full frames
    (every panel updated, the whole screen rendered to terminal bytes)."""
    from nndojo.tui.app import NNDojoApp

    app = NNDojoApp(key)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.lesson_screens[key]
        await pilot.pause()
        for i in range(pins + 1):
            if i:
                await pilot.press("c")
                await pilot.press("R")
            screen.runner.call(lambda e: e.step(steps))
            await pilot.pause()
        frames = []
        experiment = screen.runner.experiment
        for _ in range(20):
            screen.runner.call(lambda e: e.step(1))  # something new to draw, as while training
            t = time.perf_counter()
            screen._dirty = True
            screen._draw(True)
            screen._compositor.render_full_update().render_segments(app.console)
            frames.append(time.perf_counter() - t)
        made = len(screen.pins)
        screen.runner.stop()
    return {"lesson": key, "pins": made, "frame_ms": statistics.median(frames) * 1000, "steps": experiment.step_count}


def frame_cost(key: str, pins: int = PINS) -> dict:
    """One full frame at 120x40 without pins and with ``pins``, each in a fresh process."""
    out = {}
    for n in (0, pins):
        run = subprocess.run([sys.executable, "-c", FRAME_COST, key, str(n)], capture_output=True, text=True, check=True)
        out[n] = json.loads(run.stdout.strip().splitlines()[-1])
    return {"lesson": key, "plain_ms": out[0]["frame_ms"], "pinned_ms": out[pins]["frame_ms"], "pins": out[pins]["pins"],
            "ratio": out[pins]["frame_ms"] / out[0]["frame_ms"]}


def sweep_lessons(keys: list[str]) -> list[str]:
    """Lessons of ``keys`` whose run has a sweep (a ``Sweep`` as ``sweep``: capacity's
    U-curve, the LR range test), found on a freshly built run of each."""
    from nndojo.core.lessons import by_key
    from nndojo.core.sweep import Sweep

    return [key for key in keys if isinstance(getattr(by_key(key)(seed=0), "sweep", None), Sweep)]


def sweep_key_latency(key: str, presses: int, cols: int = 120, rows: int = 40) -> list[dict]:
    """Key press to screen while the lesson's sweep runs, at the lesson's own speed (the
    pace at which a learner watches the sweep fill in; at full speed a sweep of a few
    dozen points ends within a frame or two). Before each timed press the app is asked
    whether its sweep is running; once it has ended, R (a new seed, untimed) starts it
    again. space toggles the pause and play marks (the sweep stays part way while
    paused); l switches the lesson text between English and Korean (its first line).
    Each row also says how many sweep points were finished during its presses."""
    import tempfile

    from nndojo.core.lessons import by_key
    from nndojo.tui.widgets.status import PAUSED, PLAYING

    question = {lang: text[:12] for lang, text in by_key(key).info.question.items()}
    results = []
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as data:
        term = Term(nndojo_argv("--lesson", key, "--play", "--data-dir", data), cols, rows)
        with term:
            if term.wait_for("step", timeout=20.0) is None:
                raise RuntimeError(f"nndojo --lesson {key} drew nothing within 20 s")
            term.drain(0.5)
            lang = "en"

            def sweep_running() -> dict:
                for _ in range(4):
                    s = term.stats()
                    if "sweep_running" not in s:
                        raise RuntimeError(f"{key}: the app reports no sweep")
                    if s["sweep_running"]:
                        return s
                    term.press("R")  # a new seed rebuilds the run: its sweep starts again
                    term.drain(0.4)
                raise RuntimeError(f"{key}: no running sweep to time keys over")

            for name in ("space", "l"):
                waits, points = [], 0
                for i in range(presses):
                    s = sweep_running()
                    playing, before = s["playing"], s["sweep_points"]
                    if name == "space":
                        term.press(" ")
                        marks: tuple[str, ...] = (PAUSED,) if playing else (PLAYING,)
                    else:
                        if not playing:
                            term.press(" ")  # keys are timed while the sweep advances
                            term.drain(0.3)
                        lang = "ko" if lang == "en" else "en"
                        term.press("l")
                        marks = (question[lang],)
                    waited = term.wait_for(*marks, timeout=2.0)
                    waits.append(2000.0 if waited is None else waited * 1000)
                    term.drain(rng.uniform(0.15, 0.4))
                    points += max(0, term.stats()["sweep_points"] - before)
                waits.sort()
                results.append(
                    {
                        "lesson": key,
                        "key": f"{name} (sweep running)",
                        "median_ms": statistics.median(waits),
                        "p95_ms": waits[min(len(waits) - 1, round(0.95 * (len(waits) - 1)))],
                        "max_ms": waits[-1],
                        "missed": sum(w >= 2000.0 for w in waits),
                        "sweep_points": points,
                    }
                )
            term.close()
    return results
