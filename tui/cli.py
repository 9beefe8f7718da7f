"""The `nndojo` command line."""

from __future__ import annotations

import argparse
import difflib
import sys
from typing import Any

from nndojo import __version__
from nndojo.tui.runner import SPEEDS

#: --low-bandwidth: frames per second (unless --fps says otherwise), heavy panels' rate.
LOW_BANDWIDTH_FPS = 4.0
LOW_BANDWIDTH_HEAVY_HZ = 1.0


def resolve_lesson(value: str) -> str:
    """A lesson key, or its number (as on the home screen); raises ArgumentTypeError."""
    from nndojo.screens import menu_infos

    keys = [info.key for info in menu_infos()]
    v = value.strip().lower()
    if v in keys:
        return v
    for info in menu_infos():
        if v.isdigit() and int(v) == info.number:
            return info.key
    hint = difflib.get_close_matches(v, keys, n=1)
    maybe = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise argparse.ArgumentTypeError(f"unknown lesson {value!r}{maybe}; choose one of: {', '.join(keys)}")


def _fps(value: str) -> float:
    try:
        fps = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--fps needs a number, got {value!r}") from None
    if not 1 <= fps <= 30:
        raise argparse.ArgumentTypeError(f"--fps must be between 1 and 30, got {value}")
    return fps


def _seed(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed needs a whole number, got {value!r}") from None
    if not 0 <= seed < 2**32:
        raise argparse.ArgumentTypeError(f"--seed must be between 0 and {2**32 - 1}")
    return seed


class _SeedGiven(argparse.Action):
    """--seed, remembering that it was given (a drill resumes unless another seed is asked for)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        namespace.seed_given = True


#: Options that take a value: a word after one of them is its value, not a command.
_TAKES_VALUE = ("--lesson", "--seed", "--lang", "--fps", "--speed", "--resume", "--data-dir", "--data", "--setup")


def split_command(argv: list[str]) -> tuple[str | None, list[str]]:
    """The command word (``drill``) wherever it stands, and the other arguments."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "drill" and (i == 0 or argv[i - 1] not in _TAKES_VALUE):
            return arg, argv[:i] + argv[i + 1:]
    return None, argv


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nndojo",
        description="Learn deep learning by training small NumPy networks live in your terminal.",
        epilog="Keys inside the app: space play/pause, n step, r reset, ←→ change, p predict, ? help, q quit.",
    )
    parser.add_argument_group(
        "commands",
        "nndojo drill [--seed N]: every lesson's questions in an order shuffled by the seed, each run "
        "live, then a score and the lessons to revisit; a drill left midway resumes (d on the home screen too)",
    )
    parser.add_argument("--lesson", type=resolve_lesson, metavar="NAME", help="open one lesson directly (name or number); see --list")
    parser.add_argument("--list", action="store_true", help="list the lessons and exit")
    parser.add_argument(
        "--seed", type=_seed, default=0, action=_SeedGiven,
        help="random seed for every lesson (default 0); in a drill, the order of its questions "
        "(default: resume the drill left midway, else the seed after the last drill's)",
    )
    parser.add_argument("--lang", choices=("en", "ko"), default="en", help="language of everything on screen: en or ko (l switches inside the app; default en)")
    parser.add_argument("--fps", type=_fps, default=None, help="screen refreshes per second, 1-30 (default 10; 4 with --low-bandwidth)")
    parser.add_argument(
        "--low-bandwidth",
        action="store_true",
        help=f"for slow links: {LOW_BANDWIDTH_FPS:g} frames/s and heatmaps once a second (about a fifth of the bytes)",
    )
    parser.add_argument("--play", action="store_true", help="start training the opened lesson at once")
    parser.add_argument(
        "--speed",
        choices=[label.removesuffix("/s") for label, _ in SPEEDS],
        help="training speed to start at, in steps/s (default: each lesson's own; + and - change it)",
    )
    parser.add_argument("--resume", metavar="FILE", help="continue a session saved with s (a .npz file); opens its lesson, paused")
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help="where your progress (answers, the drill) is kept (default: $XDG_DATA_HOME/nndojo or ~/.local/share/nndojo)",
    )
    parser.add_argument(
        "--data", metavar="FILE[:LABEL]",
        help="open the playground on a CSV file of your own (a header row, 2+ numeric columns and a label "
             "column: the last, or LABEL by name or position)",
    )
    parser.add_argument("--setup", metavar="FILE", help="open the playground on a setup file (TOML) saved with S")
    parser.add_argument("--version", action="version", version=f"nndojo {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    command, rest = split_command(list(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(rest)
    if args.list:
        from nndojo.screens import menu_infos

        for info in menu_infos():
            print(f"{info.number:>2}  {info.key:<18} {info.question.get(args.lang) or info.question['en']}")
        return 0
    from nndojo.tui.app import NNDojoApp

    resume = None
    if args.resume is not None:
        from nndojo.core import session

        try:
            resume = session.load(args.resume)
        except session.SessionError as exc:
            parser.error(f"--resume: {exc}")
        if args.lesson is not None and args.lesson != resume.info.key:
            parser.error(f"--resume: {args.resume} is a {resume.info.key!r} session, not {args.lesson!r}; drop --lesson")
    if args.data is not None or args.setup is not None:
        resume = _playground_on(args, parser)
    fps = args.fps if args.fps is not None else (LOW_BANDWIDTH_FPS if args.low_bandwidth else 10.0)
    speed = None if args.speed is None else [label.removesuffix("/s") for label, _ in SPEEDS].index(args.speed)
    from nndojo.core.progress import data_dir

    drill = command == "drill"
    if drill and (args.lesson is not None or args.resume is not None):
        parser.error("drill asks every lesson's questions: drop --lesson and --resume")
    app = NNDojoApp(
        args.lesson,
        seed=0 if args.seed is None else args.seed,
        data_dir=data_dir(args.data_dir),
        drill=drill,
        drill_seed=args.seed if drill and getattr(args, "seed_given", False) else None,
        lang=args.lang,
        fps=fps,
        autoplay=args.play,
        speed=speed,
        low_bandwidth=args.low_bandwidth,
        resume=resume,
    )
    app.run()
    return 0


def _playground_on(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Any:
    """--data / --setup: the playground's run on the CSV file or setup file named
    (parser.error with one line if it is bad)."""
    from nndojo.core.playground_data import DataError, read_csv, split_label

    flag = "--setup" if args.setup is not None else "--data"
    if args.data is not None and args.setup is not None:
        parser.error("--data and --setup: a setup names its own data; use one of them")
    if args.resume is not None:
        parser.error(f"{flag}: a resumed run brings its own data; drop {flag} or --resume")
    if args.lesson not in (None, "playground"):
        parser.error(f"{flag} opens the playground, not {args.lesson!r}; drop --lesson")
    if args.setup is not None:
        from nndojo.core.playground_setup import SetupError, playground_from_setup

        try:
            return playground_from_setup(args.setup)
        except SetupError as exc:
            parser.error(f"--setup: {exc}")
    try:
        table = read_csv(*split_label(args.data))
    except DataError as exc:
        parser.error(f"--data: {exc}")
    from nndojo.core.lessons.playground import Playground

    return Playground(seed=0 if args.seed is None else args.seed, table=table)


if __name__ == "__main__":
    sys.exit(main())
