"""``python -m nndojo.bench``: every real-time promise, measured side by side.

    python -m nndojo.bench                 # everything (about 5 minutes on 2 cores)
    python -m nndojo.bench --only keys     # one section (repeat --only for more)
    python -m nndojo.bench --quick         # a fast pass with short measurements
    python -m nndojo.bench --only core --family arms   # core: one family's lessons
    python -m nndojo.bench --only core --core-lesson one-hot --core-lesson deep-vs-shallow
    python -m nndojo.bench --only core --cpu-time   # core on CPU time: steadier on a loaded machine

Sections: core (each lesson's step vs its model family's hand-fused NumPy loop, and vs
PyTorch when installed),
app (training in the app vs headless, in a real pty), keys (key press to screen),
ssh (bytes/s to the terminal), startup (vs a bare Textual app), long (1,000,000 steps
vs 1,000), frames (one frame with runs pinned to compare vs without). app and keys
measure each row also with runs pinned (ghosts on the plots, the compare table).
Each prints a Markdown table with its ratio and the target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

import nndojo  # noqa: F401  (one BLAS thread, set before NumPy loads)

SECTIONS = ("core", "app", "keys", "ssh", "startup", "long", "frames")


def question_lessons() -> list[str]:
    """Lessons with a question whose run lasts long enough to time keys over (100 steps
    or more; see question_key_latency)."""
    from nndojo.core.lessons import by_key
    from nndojo.screens import menu_infos

    return [i.key for i in menu_infos() if any(q.steps >= 100 for q in by_key(i.key).questions)]


def verdict(ok: bool) -> str:
    return "ok" if ok else "**MISS**"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def section_core(args) -> tuple[str, list]:
    from .core import format_core, measure_core

    from .core import compared_lessons, one_per_family

    if args.core_lessons:
        chosen = list(args.core_lessons)
    elif args.one_per_family:
        chosen = one_per_family()
    else:
        chosen = compared_lessons(args.families)
    clock = "cpu" if args.cpu_time else "wall"
    rows = measure_core(args.seconds * 3, lessons=chosen, use_torch=not args.no_torch, clock=clock) if chosen else []
    return format_core(rows), rows


def section_app(args) -> tuple[str, list]:
    from .terminal import training_in_app

    from .terminal import training_in_app_pinned

    sizes = [(120, 40)] if args.quick else [(120, 40), (80, 24)]  # a smoke run: one size
    rows = training_in_app(args.lessons, sizes, args.seconds)
    pinned = training_in_app_pinned(args.lessons, sizes, args.seconds)
    rows = [r for pair in zip(rows, pinned) for r in pair]  # each beside its pinned twin
    text = table(
        ["lesson", "size", "pinned runs", "headless steps/s", "in app steps/s", "ratio", "frames/s", "target"],
        [
            [r["lesson"], r["size"], str(r.get("pins", 0)), f"{r['headless']:,.0f}", f"{r['steps_per_s']:,.0f}", f"{r['ratio']:.2f}", f"{r['frames_per_s']:.1f}", f">= 0.6 {verdict(r['ratio'] >= 0.6)}"]
            for r in rows
        ],
    )
    from .terminal import setups_note

    return text + "\n\npinned runs: runs pinned with c (each a restart with r) before measuring: ghosts on the plots, the compare table." + setups_note(args.lessons), rows


def section_keys(args) -> tuple[str, list]:
    from .terminal import key_latency, question_key_latency

    from .terminal import with_pins

    rows = []
    for key in args.lessons:
        plain, pinned = key_latency(key, args.presses), with_pins(key_latency, key, args.presses)
        rows += [r for pair in zip(plain, pinned) for r in pair]  # each beside its pinned twin
    # while a question's run plays (p): lessons whose questions run for more than a step
    rows += [r for key in args.lessons if key in question_lessons() for r in question_key_latency(key, args.presses)]
    # while a lesson's sweep fills in (capacity's U-curve, the LR range test), at the lesson's own speed
    from .terminal import sweep_key_latency, sweep_lessons

    rows += [r for key in sweep_lessons(args.lessons) for r in sweep_key_latency(key, args.presses)]
    text = table(
        ["lesson", "key", "pinned runs", "median ms", "p95 ms", "max ms", "missed", "target"],
        [
            [r["lesson"], r["key"], str(r.get("pins", 0)), f"{r['median_ms']:.0f}", f"{r['p95_ms']:.0f}", f"{r['max_ms']:.0f}", str(r["missed"]), f"p95 <= 50 {verdict(r['p95_ms'] <= 50 and not r['missed'])}"]
            for r in rows
        ],
    )
    return text + (
        "\n\nspace: pause/play; l: English/한국어; R: new seed (rebuilds the run). Training at full speed, 120x40."
        " pinned runs: runs pinned with c before measuring."
        " (question's run): after p and a choice, while the question's own run plays at its pace."
        " (sweep running): while the lesson's sweep fills in, at the lesson's own speed (asked of the app before"
        " each press; R, untimed, starts the sweep again once it has ended)."
    ) + _setups_note(args.lessons), rows


def section_ssh(args) -> tuple[str, list]:
    from .terminal import bandwidth

    rows = [r for key in args.lessons for r in bandwidth(key, 120, 40, args.seconds * 2)]
    targets = {"default": 100_000, "--low-bandwidth": 25_000}
    text = table(
        ["setting", "lesson", "size", "KB/s to the terminal", "KB/s before the output filter", "frames/s", "target"],
        [
            [r["setting"], r["lesson"], r["size"], f"{r['bytes_per_s'] / 1000:.1f}", f"{r['unfiltered_bytes_per_s'] / 1000:.1f}", f"{r['frames_per_s']:.1f}",
             f"<= {targets[r['setting']] // 1000} {verdict(r['bytes_per_s'] <= targets[r['setting']])}"]
            for r in rows
        ],
    )
    return text + _setups_note(args.lessons), rows


def _setups_note(keys: list[str]) -> str:
    from .terminal import setups_note

    return setups_note(keys)


def section_startup(args) -> tuple[str, list]:
    from .terminal import startup

    r = startup(args.repeats)
    text = table(
        ["nndojo: launch to first frame", "bare Textual hello-world", "ratio", "target"],
        [[f"{r['nndojo_s'] * 1000:.0f} ms", f"{r['hello_s'] * 1000:.0f} ms", f"{r['ratio']:.2f}", f"<= 1.5 {verdict(r['ratio'] <= 1.5)}"]],
    )
    return text + f"\n\nMedian of {args.repeats} launches each, alternated, in a 120x40 pty.", [r]


def section_long(args) -> tuple[str, list]:
    from .terminal import long_run

    rows = [long_run(key, 1_000, args.long_steps) for key in args.long_lessons]
    out = []
    for r in rows:
        a, b = r["short"], r["long"]
        for what, unit, ka, ratio in (("resident memory", "MB", "rss_kb", "rss_ratio"), ("one snapshot", "ms", "snapshot_ms", "snapshot_ratio"), ("one frame (120x40)", "ms", "frame_ms", "frame_ratio")):
            scale = 1 / 1024 if unit == "MB" else 1
            out.append([r["lesson"] + "".join(f" ({k}={v})" for k, v in r["values"].items()), what, f"{a[ka] * scale:.2f} {unit}", f"{b[ka] * scale:.2f} {unit}", f"{r[ratio]:.3f}", f"<= 1.10 {verdict(r[ratio] <= 1.10)}"])
    text = table(["lesson", "what", f"after {1_000:,} steps", f"after {args.long_steps:,} steps", "ratio", "target"], out)
    return text + (
        "\n\nEach in a fresh process; a snapshot is the median of 200, a frame of 20. The target is no growth:"
        " a long run may draw faster (a converged, flat curve has fewer dots to plot), never slower."
    ), rows


def section_frames(args) -> tuple[str, list]:
    from .terminal import PINS, frame_cost

    rows = [frame_cost(key, PINS) for key in args.lessons]
    text = table(
        ["lesson", "one frame (120x40), no pins", f"with {PINS} pinned runs", "ratio", "target"],
        [[r["lesson"], f"{r['plain_ms']:.1f} ms", f"{r['pinned_ms']:.1f} ms ({r['pins']} pinned)", f"{r['ratio']:.2f}", f"<= 1.5 {verdict(r['ratio'] <= 1.5)}"] for r in rows],
    )
    return text + "\n\nEach in a fresh process after 300 steps (and a restart of 300 per pin); the median of 20 full frames: every panel updated, the screen rendered to terminal bytes.", rows


def lessons_to_measure() -> list[str]:
    """The lessons of the in-app, key, bandwidth and start-up sections: every lesson in
    the menu, found by discovery."""
    from nndojo.screens import menu_infos

    return [info.key for info in menu_infos()]


def main(argv: list[str] | None = None) -> int:
    from nndojo.core.lessons import by_key

    keys = lessons_to_measure()
    # the long run's default: the lessons of the cheapest family (1,000,000 steps of an
    # MLP or CNN lesson take most of an hour), else the first lesson
    cheap = [key for key in keys if by_key(key).family == "surface"] or keys[:1]
    parser = argparse.ArgumentParser(prog="python -m nndojo.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run only this section (repeatable)")
    parser.add_argument("--quick", action="store_true", help="short measurements (app: 120x40 only): a smoke run, not numbers to quote")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one measurement (default 3)")
    parser.add_argument("--presses", type=int, default=20, help="presses per key in the keys section (default 20)")
    parser.add_argument("--repeats", type=int, default=5, help="launches each in the startup section (default 5)")
    parser.add_argument("--lesson", action="append", choices=keys, dest="lessons", help="lessons for app, keys and ssh (default: every menu lesson)")
    parser.add_argument("--long-steps", type=int, default=1_000_000, help="steps of the long run (default 1,000,000)")
    parser.add_argument(
        "--long-lesson", action="append", choices=keys, dest="long_lessons",
        help="lessons for the long run (default: those of the surface family; 1,000,000 CNN steps take about 40 minutes)",
    )
    from .core import FAMILIES, compared_lessons

    parser.add_argument("--family", action="append", choices=list(FAMILIES), dest="families",
                        help="core: only the lessons of this model family (repeatable; default: every family)")
    parser.add_argument("--core-lesson", action="append", choices=[c.info.key for c in compared_lessons()], dest="core_lessons",
                        help="core: only this lesson (repeatable; any lesson with a family, finished or not)")
    parser.add_argument("--one-per-family", action="store_true",
                        help="core: only the first lesson of each family (a smoke run)")
    parser.add_argument("--no-torch", action="store_true", help="core: leave PyTorch out even when it is installed")
    parser.add_argument("--cpu-time", action="store_true",
                        help="core: time each contender by the CPU time of the measuring thread, not the wall clock "
                             "(steadier on a machine loaded by other jobs)")
    parser.add_argument("--json", metavar="FILE", help="also write every number to FILE as JSON")
    args = parser.parse_args(argv)
    args.lessons = args.lessons or keys
    args.long_lessons = args.long_lessons or cheap
    if args.quick:
        args.seconds, args.presses, args.repeats = 0.5, 4, 2
        args.long_steps = min(args.long_steps, 20_000)
    sections = args.only or list(SECTIONS)

    import numpy as np

    print(f"# nndojo benchmark — {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} cores, {platform.machine()}\n")
    results = {}
    for name in sections:
        t0 = time.perf_counter()
        print(f"## {name}\n", flush=True)
        text, rows = globals()[f"section_{name}"](args)
        results[name] = rows
        print(text)
        print(f"\n({time.perf_counter() - t0:.0f} s)\n", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
