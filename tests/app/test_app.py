"""Pilot tests of the whole app that are not per lesson: navigation between lessons,
the home screen, the command palette, the options, errors; and, at 120x40, a few of
the per-lesson key tests whose every lesson runs at 80x24 in test_contract_keys.py.

``opened`` (from test_contract_keys.py) is the one way a test starts the app; on the
way out it checks that the app is still running, that no runner is left playing and
that no lesson step raised.
"""

from __future__ import annotations

import random

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import OptionList

from nndojo.screens import LessonScreen
from nndojo.screens.home import HomeScreen
from nndojo.screens.inspector import Inspector
from nndojo.screens.value_input import ValueInput
from nndojo.tui.widgets.status import PAUSED
from nndojo.tui.app import MENU, resolve_digits
from test_contract_keys import (  # the screen contract's helpers (tests/app/)
    SIZE,
    Dojo,
    WIDE,
    home_numbers,
    opened,
    quick_idle,  # noqa: F401  (an autouse fixture: pilot.press samples the CPU every 4 ms)
    up_down_left_right_change_every_hyperparameter_in_the_experiment,
    w_inspector_question_mark_help_and_l_language,
)

KEYS = [cls.info.key for cls in MENU]
SIZES = [SIZE, WIDE]
SIZE_IDS = ["80x24", "120x40"]

pytestmark = pytest.mark.skipif(not MENU, reason="no lesson in the menu")


# -- at the other size: the wide sidebar ----------------------------------------------


async def test_every_hyperparameter_changes_at_120x40() -> None:
    async with opened(KEYS[0], WIDE) as d:
        await up_down_left_right_change_every_hyperparameter_in_the_experiment(d)


async def test_inspector_help_and_language_at_120x40() -> None:
    async with opened(KEYS[-1], WIDE) as d:
        await w_inspector_question_mark_help_and_l_language(d)


@pytest.mark.skipif("cnn" not in KEYS, reason="the CNN lesson is not in the menu")
async def test_a_value_the_experiment_rejects_changes_nothing() -> None:
    """The range of one control can depend on another (the filter shown must be below the
    number of filters): the dialog and the arrows both use the range in force now."""
    async with opened("cnn") as d:
        await d.select("filters")
        await d.press("enter")
        await d.type_value("4")
        assert d.exp.values["filters"] == 4
        await d.press("n")
        await d.select("filter")
        assert "0 .. 3" in str(d.lesson.hyperpanel.render())
        await d.press("enter")
        await d.type_value("6")
        assert isinstance(d.screen, ValueInput), "the dialog accepted a filter that does not exist"
        assert "out of range" in str(d.screen.query_one("#error").render())
        await d.press("escape")
        assert d.screen is d.lesson
        assert d.exp.values["filter"] == 0
        assert d.steps == 1
        for _ in range(6):
            await d.press("right")
        assert d.exp.values["filter"] == 3, "right went past the last filter"


async def test_language_reaches_lessons_opened_later() -> None:
    async with opened() as d:
        await d.press("l")
        assert d.app.home_screen.lang == "ko"
        await d.press("tab")
        assert d.lesson.lang == "ko"
        assert d.lesson.lesson_text.lang == "ko"


async def test_lang_flag_starts_in_korean() -> None:
    async with opened(KEYS[0], lang="ko") as d:
        assert d.lesson.lesson_text.lang == "ko"
        await d.press("l")
        assert d.lesson.lesson_text.lang == "en"


# -- navigation ---------------------------------------------------------------------


async def tab_and_shift_tab_walk_the_lessons(d: Dojo) -> None:
    await d.press("tab")
    assert d.app.current_mode == KEYS[0]
    for key in KEYS[1:] + KEYS[:1]:
        await d.press("tab")
        assert d.app.current_mode == key
        assert isinstance(d.screen, LessonScreen)
        assert d.screen.experiment.info.key == key
    for key in KEYS[::-1]:
        await d.press("shift+tab")
        assert d.app.current_mode == key
    await d.press("h", "shift+tab")
    assert d.app.current_mode == KEYS[-1]


async def number_keys_jump_to_the_lesson_with_that_number(d: Dojo) -> None:
    numbers = home_numbers(d.app)
    assert sorted(numbers) == sorted(KEYS)
    d.app.digit_wait = 3600.0  # the test says when the wait for a second digit is over
    for key, number in numbers.items():
        await d.press(*str(number))
        if not resolve_digits(str(number), numbers.values())[0]:  # 1 while 12 is in the menu: the wait ends it
            d.app.digits_done()
            await d.pilot.pause()
        assert d.app.current_mode == key, f"{number} did not open {key}"
    start = d.app.current_mode
    for digit in (str(n) for n in range(1, 10) if n not in numbers.values()):
        await d.press(digit)
        d.app.digits_done()  # no second digit
        await d.pilot.pause()
        assert d.app.current_mode == start, f"{digit} opened a lesson that is not {digit}"


async def h_and_escape_go_home_and_keep_the_lesson(d: Dojo) -> None:
    for lesson in KEYS:
        d.app.open_lesson(lesson)
        await d.pilot.pause()
        screen = d.lesson
        await d.press("n")
        for key in ("h", "escape"):
            await d.press(key)
            assert d.app.current_mode == "home"
            assert isinstance(d.screen, HomeScreen)
            await d.press(key)  # again, at home: nothing happens
            assert isinstance(d.screen, HomeScreen)
            d.app.open_lesson(lesson)
            await d.pilot.pause()
            assert d.screen is screen
            assert d.steps == 1


async def test_tab_numbers_h_and_escape_walk_every_lesson() -> None:
    """Three walks over every lesson in one app: tab and shift+tab, the number keys, h
    and escape home and back. Each lesson's screen is made once, by the first walk (three
    apps making all seventeen were the suite's longest tests after the screen contracts);
    a failing walk is named by its function in the traceback."""
    async with opened() as d:
        await tab_and_shift_tab_walk_the_lessons(d)
        await number_keys_jump_to_the_lesson_with_that_number(d)
        await h_and_escape_go_home_and_keep_the_lesson(d)


async def test_switching_lessons_pauses_the_one_you_leave_and_keeps_its_run() -> None:
    async with opened(KEYS[0]) as d:
        first = d.lesson
        await d.press("n", "n")
        await d.slowest()
        await d.press("space")
        assert first.runner.playing
        await d.press("tab" if len(KEYS) > 1 else "h")
        assert d.app.current_mode != KEYS[0]
        assert not first.runner.playing, "the lesson left behind is still training"
        at = first.experiment.step_count
        assert at >= 2
        await d.pilot.pause(0.3)
        assert first.experiment.step_count == at
        await d.press("shift+tab" if len(KEYS) > 1 else "tab")
        assert d.screen is first
        assert first.experiment.step_count == at
        assert not first.runner.playing, "coming back must not resume training"
        assert f"step {at}" in d.status()


async def test_command_palette_lists_every_lesson_and_escape_closes_it() -> None:
    async with opened(KEYS[0]) as d:
        await d.press("ctrl+p")
        await d.press(*"Lesson")
        results = d.screen.query_one(CommandList)
        await d.wait_for(lambda: results.option_count >= len(KEYS))
        listed = " ".join(str(results.get_option_at_index(i).prompt) for i in range(results.option_count))
        for cls in MENU:
            assert cls.info.title["en"] in listed
        await d.press("escape")
        assert d.screen is d.lesson


async def test_q_quits_from_home() -> None:
    async with opened() as d:
        d.expect_exit = True
        await d.press("q")
        await d.wait_for(lambda: not d.app.is_running)
    assert d.app.return_code == 0


# -- home ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_home_lists_every_lesson_with_its_question(size) -> None:
    async with opened(size=size) as d:
        ol = d.screen.query_one(OptionList)
        assert [ol.get_option_at_index(i).id for i in range(ol.option_count)] == KEYS
        for i, cls in enumerate(MENU):
            prompt = str(ol.get_option_at_index(i).prompt)
            assert cls.info.title["en"] in prompt
            assert cls.info.question["en"] in prompt
        await d.press("l")
        for i, cls in enumerate(MENU):
            prompt = str(ol.get_option_at_index(i).prompt)
            assert (cls.info.question.get("ko") or cls.info.question["en"]) in prompt


async def test_enter_on_the_home_list_opens_a_lesson() -> None:
    async with opened() as d:
        await d.press("enter")
        assert d.app.current_mode == KEYS[0]
        assert isinstance(d.screen, LessonScreen)
        if len(KEYS) > 1:
            await d.press("h", "down", "enter")
            assert d.app.current_mode == KEYS[1]
        await d.press("h", "up", "enter")
        assert d.app.current_mode == KEYS[0]


async def test_seed_and_autoplay_options() -> None:
    async with opened(KEYS[0], seed=11, autoplay=True) as d:
        assert d.autoplayed, "autoplay did not start training"
        assert d.exp.seed == 11
        await d.press("tab")
        assert d.exp.seed == 11, "the seed did not reach a lesson opened later"
        assert not d.runner.playing, "autoplay must only start the opened lesson"


# -- divergence and robustness ------------------------------------------------------------


KEY_POOL = [
    "n", "r", "R", "up", "down", "left", "right", "enter", "escape", "plus", "minus",
    "w", "l", "question_mark", "tab", "shift+tab", "h", "pageup", "pagedown", "e", "y",
    *"123456789", "0", "x", "backspace", "ctrl+u",
]  # fmt: skip


@pytest.mark.parametrize(("size", "seed"), [(SIZES[0], 1), (SIZES[1], 2)], ids=SIZE_IDS)
async def test_no_key_sequence_raises(size, seed: int) -> None:
    """A seeded random walk over every key but space and q, across every screen."""
    rng = random.Random(seed)
    async with opened(KEYS[0], size) as d:
        for _ in range(40):
            await d.press(rng.choice(KEY_POOL))
            assert d.app.is_running
        for _ in range(3):
            if not isinstance(d.screen, (LessonScreen, HomeScreen)):
                await d.press("escape")


# -- errors and regressions ------------------------------------------------------------


async def test_training_goes_on_under_the_inspector() -> None:
    async with opened(KEYS[0]) as d:
        await d.slowest()
        await d.press("space")
        try:
            await d.press("w")
            assert isinstance(d.screen, Inspector)
            assert d.runner.playing, "opening the inspector paused training"
            await d.press("escape")
            assert d.runner.playing, "closing the inspector left training paused"
        finally:
            d.runner.pause()


async def test_an_error_in_a_lesson_step_is_reported_and_the_status_shows_paused() -> None:
    """The worker stops itself on an error between two frames, with no new step: the
    frame timer must still notice (status back to paused, the error shown)."""
    async with opened(KEYS[0]) as d:
        exp = d.exp
        calls = []
        original = exp._train_step

        def flaky():
            calls.append(1)
            if len(calls) >= 3:
                raise RuntimeError("a bug in the lesson")
            return original()

        for _ in range(3):  # 5 steps/s: the third step comes ~0.4 s after play
            await d.press("minus")
        exp._train_step = flaky
        await d.press("space")
        await d.wait_for(lambda: not d.runner.playing)
        await d.pilot.pause(0.5)  # five frames
        exp._train_step = original
        d.runner.error = None  # so that `opened` does not fail on it
        assert PAUSED in d.status(), f"status still says playing: {d.status()}"
        assert any("a bug in the lesson" in n for n in d.notes()), "the error was never shown"
