"""The `nndojo` command line: every flag, every error. The app itself is never run
(``NNDojoApp.run`` is replaced where ``main`` would launch it)."""

from __future__ import annotations

import argparse

import pytest

from nndojo import __version__
from nndojo.tui import cli
from nndojo.tui.app import MENU, NNDojoApp
from nndojo.tui.cli import build_parser, main, resolve_lesson

KEYS = [cls.info.key for cls in MENU]


def fails(capsys, argv: list[str]) -> str:
    """Run ``main(argv)``, expect argparse's usage error (exit code 2); return stderr."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: nndojo")
    return err


@pytest.fixture
def launched(monkeypatch) -> list[NNDojoApp]:
    """Stand in for App.run: record the app main() built instead of running it."""
    apps: list[NNDojoApp] = []
    monkeypatch.setattr(NNDojoApp, "run", lambda self, *a, **k: apps.append(self))
    return apps


def test_menu_is_not_empty() -> None:
    assert KEYS, "no finished lesson in the menu"
    assert len(set(KEYS)) == len(KEYS)


# -- --version, --help, --list --------------------------------------------------------


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    out, _ = capsys.readouterr()
    assert out.strip() == f"nndojo {__version__}"


def test_help_lists_every_option(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out, _ = capsys.readouterr()
    assert out.startswith("usage: nndojo")
    for option in ("--lesson", "--list", "--seed", "--lang", "--fps", "--play", "--version", "--help"):
        assert option in out, option


def listed(capsys) -> list[tuple[str, str]]:
    """(number, key) of every line of ``nndojo --list``."""
    assert main(["--list"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    rows = []
    for line in out.strip().splitlines():
        number, key, *_ = line.split()
        rows.append((number, key))
    return rows


def test_list_prints_every_lesson_in_menu_order(capsys) -> None:
    assert main(["--list"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.strip().splitlines()
    assert len(lines) == len(MENU)
    for line, cls in zip(lines, MENU):
        number, key, *_ = line.split()
        assert number.isdigit()
        assert key == cls.info.key
        assert cls.info.question["en"] in line
    numbers = [line.split()[0] for line in lines]
    assert len(set(numbers)) == len(numbers), "two lessons share a number"


def test_list_in_korean(capsys) -> None:
    assert main(["--list", "--lang", "ko"]) == 0
    out, _ = capsys.readouterr()
    for cls in MENU:
        question = cls.info.question.get("ko") or cls.info.question["en"]
        assert question in out


def test_list_does_not_launch_the_app(capsys, launched) -> None:
    assert main(["--list", "--lesson", KEYS[0]]) == 0
    assert launched == []


# -- --lesson ---------------------------------------------------------------------


def test_lesson_by_the_number_that_list_shows(capsys) -> None:
    """``--lesson N`` opens the lesson that ``--list`` (and the home screen) numbers N."""
    for number, key in listed(capsys):
        assert build_parser().parse_args(["--lesson", number]).lesson == key
        assert resolve_lesson(f" {number} ") == key


@pytest.mark.parametrize("key", KEYS)
def test_lesson_by_name(key: str) -> None:
    assert build_parser().parse_args(["--lesson", key]).lesson == key
    assert resolve_lesson(f"  {key.upper()} ") == key


def test_no_lesson_opens_home() -> None:
    args = build_parser().parse_args([])
    assert args.lesson is None
    assert (args.seed, args.lang, args.fps, args.play, args.list) == (0, "en", None, False, False)  # fps: 10, or 4 with --low-bandwidth


def test_unknown_lesson_names_the_choices_and_a_close_match(capsys) -> None:
    key = KEYS[0]
    typo = key[:-1] + ("x" if key[-1] != "x" else "y")
    err = fails(capsys, ["--lesson", typo])
    assert "--lesson" in err
    assert f"unknown lesson {typo!r}" in err
    assert f"did you mean {key!r}?" in err
    for k in KEYS:
        assert k in err


def test_unknown_lesson_with_no_close_match(capsys) -> None:
    err = fails(capsys, ["--lesson", "zzzzzz"])
    assert "unknown lesson 'zzzzzz'" in err
    assert "did you mean" not in err
    assert "choose one of: " + ", ".join(KEYS) in err


def test_lesson_number_that_is_not_in_the_menu(capsys) -> None:
    taken = {number for number, _ in listed(capsys)}
    for number in ["-1", "99", *[str(n) for n in range(1, 10) if str(n) not in taken][:2]]:
        err = fails(capsys, ["--lesson", number])
        assert f"unknown lesson {number!r}" in err
        assert ", ".join(KEYS) in err


def test_resolve_lesson_raises_an_argparse_error() -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="choose one of"):
        resolve_lesson("no-such-lesson")


def test_lesson_needs_a_value(capsys) -> None:
    err = fails(capsys, ["--lesson"])
    assert "expected one argument" in err


# -- --seed, --fps, --lang ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "--seed needs a whole number, got 'abc'"),
        ("1.5", "--seed needs a whole number, got '1.5'"),
        ("-1", "--seed must be between 0 and"),
        (str(2**32), "--seed must be between 0 and"),
    ],
)
def test_bad_seed(capsys, value: str, message: str) -> None:
    err = fails(capsys, [f"--seed={value}"])
    assert message in err


@pytest.mark.parametrize("value", ["0", "42", str(2**32 - 1)])
def test_good_seed(value: str) -> None:
    assert build_parser().parse_args(["--seed", value]).seed == int(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("fast", "--fps needs a number, got 'fast'"),
        ("0", "--fps must be between 1 and 30"),
        ("0.5", "--fps must be between 1 and 30"),
        ("31", "--fps must be between 1 and 30"),
        ("-5", "--fps must be between 1 and 30"),
        ("nan", "--fps must be between 1 and 30"),
        ("inf", "--fps must be between 1 and 30"),
    ],
)
def test_bad_fps(capsys, value: str, message: str) -> None:
    err = fails(capsys, [f"--fps={value}"])
    assert message in err


@pytest.mark.parametrize("value", ["1", "2.5", "30"])
def test_good_fps(value: str) -> None:
    assert build_parser().parse_args(["--fps", value]).fps == float(value)


@pytest.mark.parametrize("value", ["fr", "EN", "korean", ""])
def test_bad_lang(capsys, value: str) -> None:
    err = fails(capsys, [f"--lang={value}"])
    assert "--lang" in err
    assert "invalid choice" in err
    assert "'en'" in err and "'ko'" in err


def test_unknown_option(capsys) -> None:
    err = fails(capsys, ["--turbo", "9"])
    assert "unrecognized arguments: --turbo 9" in err


@pytest.mark.parametrize("value", ["9", "fast", "max/s", ""])
def test_bad_speed(capsys, value: str) -> None:
    err = fails(capsys, [f"--speed={value}"])
    assert "--speed" in err and "invalid choice" in err and "'max'" in err


def test_speed_and_low_bandwidth_reach_the_app(launched) -> None:
    from nndojo.tui.runner import SPEEDS

    assert main(["--speed", "5", "--low-bandwidth"]) == 0
    (app,) = launched
    assert SPEEDS[app.speed][0] == "5/s"
    assert app.fps == cli.LOW_BANDWIDTH_FPS and app.heavy_hz == cli.LOW_BANDWIDTH_HEAVY_HZ


def test_fps_overrides_the_low_bandwidth_rate(launched) -> None:
    assert main(["--low-bandwidth", "--fps", "2"]) == 0
    assert launched[0].fps == 2.0 and launched[0].heavy_hz == cli.LOW_BANDWIDTH_HEAVY_HZ


# -- main() builds the app from the flags ------------------------------------------------


def test_main_passes_every_flag_to_the_app(launched) -> None:
    key = KEYS[-1]
    assert main(["--lesson", key, "--seed", "7", "--lang", "ko", "--fps", "5", "--play"]) == 0
    (app,) = launched
    assert (app.start_lesson, app.seed, app.lang, app.fps, app.autoplay) == (key, 7, "ko", 5.0, True)


def test_main_with_no_flags_opens_home(launched) -> None:
    assert main([]) == 0
    (app,) = launched
    assert (app.start_lesson, app.seed, app.lang, app.fps, app.autoplay) == (None, 0, "en", 10.0, False)
    assert app.speed is None and app.heavy_hz is None


def test_main_by_number(capsys, launched) -> None:
    number, key = listed(capsys)[0]
    assert main(["--lesson", number]) == 0
    assert launched[0].start_lesson == key


def test_the_console_script_points_at_main() -> None:
    from importlib.metadata import entry_points

    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "nndojo"]
    assert script.value == "nndojo.tui.cli:main"
    assert script.load() is cli.main


# -- drill, --data-dir ----------------------------------------------------------------


def test_drill_with_a_seed_and_a_data_dir(launched, tmp_path) -> None:
    assert main(["drill", "--seed", "3", "--data-dir", str(tmp_path), "--lang", "ko"]) == 0
    app = launched[-1]
    assert app._drill_on_load == (True, 3) and app.lang == "ko" and app.seed == 3
    assert app.progress.path == tmp_path / "progress.json"


def test_drill_anywhere_among_the_options_and_without_a_seed_resumes(launched, tmp_path) -> None:
    assert main(["--data-dir", str(tmp_path), "drill"]) == 0
    assert launched[-1]._drill_on_load == (True, None)  # no --seed: the drill left midway, if any


def test_without_drill_no_drill_starts_and_progress_is_kept_in_the_data_dir(launched, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["--seed", "3"]) == 0
    app = launched[-1]
    assert app._drill_on_load == (False, None)
    if cli.sys.platform.startswith("linux"):
        assert app.progress.path == tmp_path / "nndojo" / "progress.json"


def test_drill_refuses_a_lesson_and_a_lesson_named_drill_is_unknown(capsys) -> None:
    assert "drop --lesson" in fails(capsys, ["drill", "--lesson", KEYS[0]])
    assert "unknown lesson 'drill'" in fails(capsys, ["--lesson", "drill"])
