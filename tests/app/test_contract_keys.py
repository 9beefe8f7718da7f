"""The screen contract: every key on every lesson's screen, generated for every lesson in
the menu (``nndojo.screens.menu_infos()``; no list of lessons here), at one terminal
size (80x24: the smallest normal one, where the sidebar is narrow and the text
scrolls). The snapshot tests (test_snapshots.py) keep both sizes; test_app.py tests
what is not per lesson (navigation, home, dialogs, errors) and a few things at 120x40.

Each contract is an async function of the running app (a ``Dojo`` whose ``key`` is the
lesson; ``SCREEN_CONTRACTS``). ``keep_the_screen_contract`` runs them all on a lesson in
one app (a start of the app costs about as much as a contract): the command palette
opens the lesson from another one, then each contract finds the lesson as it opened
(``Dojo.restart`` puts it back and compares ``Dojo.state()``), and q quits last. A test
can hold a lesson added on the fly to the same contract (tests/lessons/test_new_lesson.py).

Training stays paused: a runner starts paused, and a test that plays first slows the
runner to its slowest speed (1 step/s) and pauses again before it ends, because
``pilot.press`` waits for the CPU to go idle. ``opened`` is the one way a test starts
the app; on the way out it checks that the app is still running, that no runner is
left playing and that no lesson step raised. Pilot re-raises any exception the app
raised, so a key that crashes the app fails its test.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

import numpy as np
import pytest
from rich.table import Table
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList, Static

from nndojo.core.experiment import Experiment, HyperParam, Snapshot
from nndojo.core.lessons import by_key
from nndojo.screens import LessonScreen, menu_infos
from nndojo.screens.help import HelpScreen
from nndojo.screens.home import HomeScreen
from nndojo.screens.inspector import Inspector, readable_names
from nndojo.screens.value_input import ValueInput
from nndojo.tui.widgets.status import PAUSED
from nndojo.tui.app import NNDojoApp
from nndojo.tui.runner import SPEEDS
from nndojo.tui.widgets import LinePlot

KEYS = [info.key for info in menu_infos()]
SIZE = (80, 24)
WIDE = (120, 40)


@pytest.fixture(autouse=True)
def quick_idle(monkeypatch):
    """``pilot.press`` waits for the process to look idle after every key, sampling the
    CPU clock every 20 ms: about 65 ms a key. Sampling every 4 ms gives the same answer
    (the actions are synchronous; ``Pilot`` still waits for every queued message) about
    four times sooner. Without this private knob the tests are only slower."""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.004, raising=False)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.0004, raising=False)




class Dojo:
    """The running app and its pilot, with the few helpers every test needs."""

    def __init__(self, app: NNDojoApp, pilot: Pilot, key: str | None = None) -> None:
        self.app = app
        self.pilot = pilot
        #: The lesson under test (the app may have opened elsewhere: see keep_the_screen_contract).
        self.key = key
        self.expect_exit = False
        self.autoplayed = False
        #: Checks to run once the app has exited (``opened`` runs them).
        self.after_exit: list[Callable[[], None]] = []
        #: The lesson's ``state()`` as it opened, that ``restart`` puts back (if known).
        self.as_opened: dict[str, Any] | None = None

    def check_opened(self) -> None:
        """The lesson is in view, on its screen, paused."""
        assert self.app.current_mode == self.key
        assert isinstance(self.app.screen, LessonScreen)
        assert not self.runner.playing, "a lesson must open paused"

    def check_healthy(self) -> None:
        """The app runs, no runner is left playing, no lesson step raised."""
        assert self.app.is_running
        for key, screen in self.app.lesson_screens.items():
            assert not screen.runner.playing, f"{key} was left playing"
            assert screen.runner.error is None, f"{key}: {screen.runner.error!r}"
            assert screen.runner.alive, f"{key}: the training thread died"

    def state(self) -> dict[str, Any]:
        """Everything of the lesson's screen a contract starts from (``restart`` puts it
        back as the lesson opened, and the two are compared)."""
        lesson = self.lesson
        panel = lesson.hyperpanel
        return {
            "mode": self.app.current_mode,
            "dialog": None if self.screen is lesson else type(self.screen).__name__,
            "focused": type(self.app.focused).__name__,
            "lang": (self.app.lang, lesson.lang, lesson.lesson_text.lang, panel.lang, self.app.home_screen.lang),
            "step": self.steps,
            "seed": self.exp.seed,
            "values": dict(self.exp.values),
            "diverged": self.exp.diverged,
            "playing": self.runner.playing,
            "speed": self.runner.speed_index,
            "panel": (panel.selected, [p.name for p in panel.params], [panel.value(p.name) for p in panel.params]),
            "scroll": lesson.lesson_text.scroll_y,
            "plots": [(p.smooth_enabled, p.log_y, p.log_x) for p in lesson.query(LinePlot)],
            "pages": (lesson.paged, lesson.panels_view.page if lesson.panels_view else None),
            "pins": len(lesson.pins),
            "notes": self.notes(),
            "remark": lesson.status.remark,
        }

    async def restart(self, seed: int = 0) -> None:
        """Put the lesson back as it opened (as ``as_opened`` says, and check it): a new
        run of ``seed`` through the app's own path for a loaded session, in English, at
        the first speed and control, the text at the top, the plots' switches, no messages."""
        opened = self.as_opened
        lesson = self.lesson
        assert self.app.current_mode == self.key and self.screen is lesson, "a dialog or another lesson was left open"
        if self.app.lang != "en":
            self.app.action_toggle_lang()
        self.runner.pause()
        lesson.load_experiment(type(lesson).experiment_class(seed=seed))
        lesson.hyperpanel.selected = 0
        lesson.lesson_text.scroll_home(animate=False, immediate=True)
        if opened is not None:
            self.runner.speed_index = opened["speed"]
            for plot, (smooth, log_y, log_x) in zip(lesson.query(LinePlot), opened["plots"]):
                plot.smooth_enabled, plot.log_y, plot.log_x = smooth, log_y, log_x
        self.app.clear_notifications()
        lesson.status.set_remark("", 0)
        lesson.redraw(heavy=True)
        await self.pilot.pause()
        # the controls and panels take a language switch in the frame after the key's (set_lang)
        await self.wait_for(lambda: lesson.hyperpanel.lang == self.app.lang)
        if opened is not None:
            assert self.state() == {**opened, "seed": seed}, "the lesson was not put back as it opened"

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)

    async def diverge(self) -> None:
        """A step, then NaN written into the parameters and one more step: a run that
        blew up, drawn whole (heavy panels too)."""
        await self.press("n")
        with self.runner.lock:
            poison(self.exp)
        await self.press("n")
        assert self.exp.diverged
        self.lesson.redraw(heavy=True)
        await self.pilot.pause()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for the app")
            await self.pilot.pause(0.02)

    @property
    def screen(self):
        return self.app.screen

    @property
    def lesson(self) -> LessonScreen:
        """The screen of the lesson whose mode is current (even under a dialog)."""
        return self.app.lesson_screens[self.app.current_mode]

    @property
    def exp(self):
        return self.lesson.experiment

    @property
    def runner(self):
        return self.lesson.runner

    @property
    def steps(self) -> int:
        return self.exp.step_count

    def status(self) -> str:
        return str(self.lesson.status.content)

    def notes(self) -> list[str]:
        return [str(n.message) for n in self.app._notifications]

    async def select(self, name: str) -> HyperParam:
        """Move the hyperparameter panel to ``name`` with up/down."""
        panel = self.lesson.hyperpanel
        for _ in range(len(panel.params)):
            if panel.current.name == name:
                return panel.current
            await self.press("down")
        assert panel.current.name == name, f"no hyperparameter {name}"
        return panel.current

    async def type_value(self, text: str) -> None:
        """In the ValueInput dialog: clear the line, type ``text``, press enter."""
        assert isinstance(self.screen, ValueInput)
        await self.press("end", "ctrl+u", *text, "enter")

    async def slowest(self) -> None:
        for _ in range(len(SPEEDS)):
            await self.press("minus")
        assert self.runner.speed_index == 0


@asynccontextmanager
async def opened(
    lesson: str | None = None, size: tuple[int, int] = SIZE, *, notifications: bool = False, **kwargs: Any
) -> AsyncIterator[Dojo]:
    """Run the app (on ``lesson``, else home) at ``size``; check it is healthy after.
    ``notifications``: show its messages (run_test hides them)."""
    app = NNDojoApp(lesson, **kwargs)
    async with app.run_test(size=size, notifications=notifications) as pilot:
        dojo = Dojo(app, pilot, lesson)
        if kwargs.get("autoplay"):  # pause at once: pilot waits for the CPU to go idle
            dojo.autoplayed = dojo.runner.playing
            dojo.runner.pause()
        await pilot.pause()
        if lesson:
            dojo.check_opened()
        else:
            assert isinstance(app.screen, HomeScreen)
        yield dojo
        if not dojo.expect_exit:
            await pilot.pause()
            dojo.check_healthy()
    for check in dojo.after_exit:
        check()


def fresh(lesson: str, seed: int = 0, steps: int = 0) -> Snapshot:
    """The same lesson built outside the app, stepped ``steps`` times."""
    exp = by_key(lesson)(seed=seed)
    exp.step(steps)
    return exp.snapshot()


def assert_same_run(a: Snapshot, b: Snapshot) -> None:
    assert a.step == b.step
    assert set(a.metrics) == set(b.metrics)
    for name in a.metrics:
        for xa, xb in zip(a.metrics[name], b.metrics[name]):
            np.testing.assert_array_equal(xa, xb, err_msg=name)


def learning_rate(lesson: str) -> HyperParam | None:
    cls = by_key(lesson)
    return next((p for p in cls.hyperparams if p.name == "learning_rate"), None)


def home_numbers(app: NNDojoApp) -> dict[str, int]:
    """The number the home screen shows in front of each lesson."""
    ol = app.home_screen.query_one(OptionList)
    numbers = {}
    for i in range(ol.option_count):
        option = ol.get_option_at_index(i)
        numbers[option.id] = int(str(option.prompt).split()[0])
    return numbers


def inspector_rows(inspector: Inspector) -> list[str]:
    """The parameter names in the inspector's statistics table."""
    content = inspector.query_one("#stats", Static).content
    if isinstance(content, Table):
        return [str(cell) for cell in content.columns[0].cells]
    return []

# -- play, step, reset -----------------------------------------------------------------


async def space_n_plus_minus(d: Dojo) -> None:
    """space toggles play, n steps exactly once and pauses, + and - change the speed."""
    lesson = d.key
    assert d.steps == 0
    await d.press("n")
    assert d.steps == 1
    assert not d.runner.playing
    await d.press("n", "n")
    assert d.steps == 3
    assert not d.runner.playing
    assert "step 3" in d.status()
    assert_same_run(d.runner.snapshot(), fresh(lesson, steps=3))

    top = len(SPEEDS) - 1
    assert d.runner.speed_index == type(d.screen).default_speed
    for _ in range(top):
        await d.press("plus")
    assert d.runner.speed_index == top
    await d.press("plus")
    assert d.runner.speed_index == top, "+ went past the fastest speed"
    await d.press("minus")
    assert d.runner.speed_index == top - 1
    await d.slowest()
    await d.press("minus")
    assert d.runner.speed_index == 0, "- went below the slowest speed"
    assert SPEEDS[0][0] in d.status()
    await d.press("equals_sign")  # the other spellings of + and -
    assert d.runner.speed_index == 1
    await d.press("underscore")
    assert d.runner.speed_index == 0

    await d.press("space")
    assert d.runner.playing
    assert "▶" in d.status()
    await d.press("space")
    assert not d.runner.playing
    assert PAUSED in d.status()
    at = d.steps
    await d.pilot.pause(0.15)  # a few frames: nothing trains on its own
    assert d.steps == at

    await d.press("space")
    assert d.runner.playing
    await d.press("n")
    assert not d.runner.playing, "n while playing must pause"
    assert d.steps >= at + 1


async def r_resets_to_the_same_run_and_R_picks_a_new_seed(d: Dojo) -> None:
    lesson = d.key
    await d.restart(seed=3)
    await d.press("n", "n", "n")
    before = d.runner.snapshot()
    await d.press("r")
    assert d.steps == 0
    assert d.exp.seed == 3
    assert not d.runner.playing
    assert_same_run(d.runner.snapshot(), fresh(lesson, seed=3))
    await d.press("n", "n", "n")
    assert_same_run(d.runner.snapshot(), before)
    seeded = d.exp.uses_seed()
    # a run without randomness says so instead of announcing a seed that changes nothing
    assert ("seed 3" in d.status()) == seeded and ("no randomness" in d.status()) != seeded

    await d.press("R")
    seed = d.exp.seed
    assert seed != 3
    assert d.steps == 0
    if seeded:
        assert f"new seed: {seed}" in d.status()  # the passing remark (at 80 columns the seed field,
        # which says the same, may give way to it: the status line drops its lowest fields first)
    else:
        assert "R restarts it" in d.status()
    assert_same_run(d.runner.snapshot(), fresh(lesson, seed=seed))
    await d.press("n", "shift+r")
    assert d.exp.seed not in (3, seed)
    assert d.steps == 0


# -- hyperparameters -----------------------------------------------------------------



async def up_down_left_right_change_every_hyperparameter_in_the_experiment(d: Dojo) -> None:
    panel = d.lesson.hyperpanel
    count = len(panel.params)
    assert [p.name for p in panel.params] == [p.name for p in d.exp.hyperparams]
    assert panel.selected == 0
    await d.press("up")
    assert panel.selected == count - 1, "up from the first row wraps to the last"
    await d.press("down")
    assert panel.selected == 0, "down from the last row wraps to the first"
    for i, p in enumerate(panel.params):
        assert panel.selected == i
        await d.press("n")
        for key, direction in (("right", 1), ("left", -1)):
            before, at = d.exp.values[p.name], d.steps
            expected = p.nudge(before, direction)
            await d.press(key)
            value = d.exp.values[p.name]
            assert value == expected, f"{key} on {p.name}: {before!r} -> {value!r}, expected {expected!r}"
            assert type(value) is type(expected)
            assert panel.value(p.name) == value, "the panel does not show the experiment's value"
            assert d.runner.snapshot().values[p.name] == value
            if expected != before and p.needs_reset:
                assert d.steps == 0, f"{p.name} needs a reset but the run went on"
            else:
                assert d.steps == at, f"{p.name} is live but the run was reset"
            if p.name == "learning_rate" and hasattr(d.exp, "optimizer"):
                assert d.exp.optimizer.learning_rate == value, "the optimiser kept its old rate"
        await d.press("down")
    assert panel.selected == 0
    assert not any("Not changed" in n for n in d.notes())


async def enter_types_a_value(d: Dojo) -> None:
    lesson = d.key
    p = d.lesson.hyperpanel.current
    choice = next((q for q in d.exp.hyperparams if q.kind == "choice"), None)
    number = learning_rate(lesson) or next((q for q in d.exp.hyperparams if q.kind in ("float", "int")), None)
    await d.press("n")
    values = dict(d.exp.values)

    # The dialog shows the current value; escape cancels.
    await d.press("enter")
    assert isinstance(d.screen, ValueInput)
    assert d.screen.param == p
    assert isinstance(d.app.focused, Input)
    assert d.app.focused.value == p.format(values[p.name])
    await d.press("escape")
    assert d.screen is d.lesson
    assert dict(d.exp.values) == values

    if number is not None:
        await d.select(number.name)
        await d.press("enter")
        for bad in ("x", number.format(number.high * 10) if number.high else "-1e9", ""):
            await d.type_value(bad)
            assert isinstance(d.screen, ValueInput), f"{bad!r} was accepted"
            error = str(d.screen.query_one("#error", Label).content)
            assert number.label in error, error
            assert dict(d.exp.values) == values
        good = number.validate(number.format(number.low * 10 if number.low else 1))
        assert good != values[number.name]
        await d.type_value(number.format(good))
        assert d.screen is d.lesson
        assert d.exp.values[number.name] == good
        values[number.name] = good
        assert d.steps == (0 if number.needs_reset else 1)
        if number.name == "learning_rate" and hasattr(d.exp, "optimizer"):
            assert d.exp.optimizer.learning_rate == good, "the optimiser kept its old rate"

    if choice is not None:
        await d.select(choice.name)
        await d.press("enter")
        await d.type_value("zz")
        assert isinstance(d.screen, ValueInput)
        assert "not one of" in str(d.screen.query_one("#error", Label).content)
        target = choice.choices[-1] if values[choice.name] != choice.choices[-1] else choice.choices[0]
        await d.type_value(str(target))
        assert d.screen is d.lesson
        assert d.exp.values[choice.name] == target
        assert type(d.exp.values[choice.name]) is type(target), "a choice came back as a string"
    assert not any("Not changed" in n for n in d.notes())


# -- dialogs, language -----------------------------------------------------------------



async def w_inspector_question_mark_help_and_l_language(d: Dojo) -> None:
    lesson = d.key
    screen = d.lesson
    info = d.exp.info
    # w: the inspector lists every parameter array; escape, w and q close it.
    for close in ("escape", "w", "q"):
        await d.press("w")
        assert isinstance(d.screen, Inspector)
        assert inspector_rows(d.screen) == readable_names([name for name, _ in d.exp.inspect()], "en")
        await d.press(close)
        assert d.screen is screen, f"{close} did not close the inspector"
    assert d.app.is_running, "q in the inspector quit the app"

    # ?: help. Navigation keys do nothing under it; escape, ? and q close it.
    await d.press("question_mark")
    assert isinstance(d.screen, HelpScreen)
    assert d.screen.lang == "en"
    await d.press("tab", "1", "h", "l", "space", "n")
    assert isinstance(d.screen, HelpScreen)
    assert d.app.current_mode == lesson
    assert d.app.lang == "en"
    await d.press("escape")
    assert d.screen is screen
    assert d.steps == 0 and not d.runner.playing

    # l: English <-> Korean, everywhere.
    await d.press("l")
    assert d.app.lang == "ko"
    assert screen.lang == "ko"
    assert screen.lesson_text.lang == "ko"
    assert d.app.home_screen.lang == "ko"
    # the title follows the lesson text in the next frame
    ko_title = info.title.get("ko") or info.title["en"]
    await d.wait_for(lambda: ko_title in str(screen.query_one("#title", Static).content))
    await d.press("question_mark")
    assert isinstance(d.screen, HelpScreen) and d.screen.lang == "ko"
    await d.press("question_mark")
    assert d.screen is screen, "? did not close help"
    await d.press("l")
    assert d.app.lang == "en"
    assert screen.lesson_text.lang == "en"
    await d.wait_for(lambda: info.title["en"] in str(screen.query_one("#title", Static).content))
    await d.press("question_mark", "q")
    assert d.screen is screen, "q did not close help"
    assert d.app.is_running


async def e_y_toggle_the_plots_and_pageup_pagedown_scroll_the_text(d: Dojo) -> None:
    plots = list(d.lesson.query(LinePlot))
    text = d.lesson.lesson_text
    if plots:
        smooth = all(p.smooth_enabled for p in plots)
        await d.press("e")
        assert all(p.smooth_enabled == (not smooth) for p in plots)
        await d.press("e")
        assert all(p.smooth_enabled == smooth for p in plots)
        log = all(p.log_y for p in plots)
        await d.press("y")
        assert all(p.log_y == (not log) for p in plots)
        await d.press("y")
        assert all(p.log_y == log for p in plots)
    assert text.scroll_y == 0
    await d.press("pagedown")
    if text.max_scroll_y > 0:  # a text longer than its panel (every real lesson's at 80x24)
        await d.wait_for(lambda: text.scroll_y > 0)
    await d.press("pageup")
    await d.wait_for(lambda: text.scroll_y == 0)
    assert d.steps == 0


async def switching_language_repaints_the_text_without_a_new_layout(d: Dojo) -> None:
    """Both languages are laid out to the same height: l changes no size, so it costs
    a repaint of the text panel, not a layout of the whole screen."""
    text = d.lesson.lesson_text
    size = text.virtual_size
    layouts = 0
    original = d.lesson._refresh_layout

    def counting(*args, **kwargs):
        nonlocal layouts
        layouts += 1
        return original(*args, **kwargs)

    d.lesson._refresh_layout = counting  # type: ignore[method-assign]
    # The screen settles first: its first heavy draw (after mount) may page the panels,
    # a layout that lands a frame or two later on a busy machine.
    quiet = 0
    for _ in range(20):
        layouts = 0
        await d.pilot.pause()
        quiet = quiet + 1 if layouts == 0 else 0
        if quiet == 2:
            break
    layouts = 0
    for lang in ("ko", "en", "ko"):
        await d.press("l")
        assert text.lang == lang and text.virtual_size == size
    assert layouts == 0
    question = d.lesson.experiment.info.question["ko"]
    assert question[:10] in "".join(strip.text for strip in text.lines())


async def q_quits(d: Dojo) -> None:
    """q quits the app (the last contract: the app is gone after it)."""
    if d.key:
        await d.press("n")
    d.expect_exit = True
    await d.press("q")
    await d.wait_for(lambda: not d.app.is_running)

    def stopped() -> None:
        assert d.app.return_code == 0
        for screen in d.app.lesson_screens.values():
            assert not screen.runner.alive, "quitting left a training thread running"

    d.after_exit.append(stopped)


def palette_start(target: str) -> str | None:
    """Where the command palette contract starts: another lesson (home if there is none)."""
    return next((i.key for i in menu_infos() if i.key != target), None)


async def command_palette_opens_the_lesson_by_name(d: Dojo) -> None:
    """From another lesson (the app opened at ``palette_start``), ctrl+p and the lesson's
    name open it."""
    target = d.key
    assert d.app.current_mode == (palette_start(target) or "home")
    await d.press("ctrl+p")
    assert isinstance(d.screen, CommandPalette)
    info = by_key(target).info
    await d.press(*info.title["en"].split()[0])
    results = d.screen.query_one(CommandList)
    await d.wait_for(lambda: results.option_count > 0)
    assert info.title["en"] in str(results.get_option_at_index(0).prompt)
    await d.press("enter")
    await d.wait_for(lambda: d.app.current_mode == target)
    assert isinstance(d.screen, LessonScreen)
    assert d.screen.experiment.info.key == target


# -- a blow-up ----------------------------------------------------------------------------


def poison(exp: Experiment) -> None:
    """NaN in every parameter (of the saved models, else of the lesson's own saved state),
    through the public save/restore seam."""
    state = exp.state_dict()
    arrays: list[np.ndarray] = []

    def collect(tree: Any) -> None:
        if isinstance(tree, np.ndarray) and tree.dtype.kind == "f":
            arrays.append(tree)
        elif isinstance(tree, dict):
            for v in tree.values():
                collect(v)
        elif isinstance(tree, list):
            for v in tree:
                collect(v)

    for group in state["models"].values():
        for layer in group:
            collect(layer["params"])
    if not arrays:
        collect(state["extra"])
    for a in arrays:
        a[...] = np.nan
    exp.load_state_dict(state)


async def a_blow_up_shows_diverged_and_r_recovers(d: Dojo) -> None:
    """NaN in the parameters: the next step shows DIVERGED (every panel drawn from a NaN
    run without a "drawing failed"), space and n refuse, r recovers."""
    await d.diverge()
    assert "DIVERGED" in d.status()
    assert any("r to reset" in n for n in d.notes())
    assert not any("drawing failed" in n for n in d.notes()), d.notes()
    await d.press("space")
    assert not d.runner.playing, "a diverged run started playing"
    at = d.steps
    await d.press("n")
    assert d.steps == at
    await d.press("r")
    assert not d.exp.diverged and d.steps == 0
    assert "DIVERGED" not in d.status()
    await d.press("n", "n")
    assert d.steps == 2 and not d.exp.diverged


# -- the tests: every contract for every lesson in the menu ---------------------------------

#: In the order they run in one app: the command palette opens the lesson from another
#: one, so the lesson's screen is new when the next contract finds it; q quits last.
SCREEN_CONTRACTS: list[Callable[[Dojo], Awaitable[None]]] = [
    command_palette_opens_the_lesson_by_name,
    space_n_plus_minus,
    r_resets_to_the_same_run_and_R_picks_a_new_seed,
    up_down_left_right_change_every_hyperparameter_in_the_experiment,
    enter_types_a_value,
    w_inspector_question_mark_help_and_l_language,
    e_y_toggle_the_plots_and_pageup_pagedown_scroll_the_text,
    switching_language_repaints_the_text_without_a_new_layout,
    a_blow_up_shows_diverged_and_r_recovers,
    q_quits,
]


async def keep_the_screen_contract(lesson: str, contracts: list[Callable[[Dojo], Awaitable[None]]] = SCREEN_CONTRACTS) -> None:
    """Every contract of ``contracts`` on ``lesson``, one after another in one app (a start
    of the app costs more than most contracts). Between two contracts ``Dojo.restart``
    puts the lesson back as it opened and checks that it is so; after each, the app must
    be healthy. A failing contract is named (a note under its error) and the ones after
    it still run, in a new app; every failure is raised at the end."""
    failures: list[BaseException] = []
    todo = list(contracts)
    while todo:
        where: str | None = None  # what is running (None: opening or closing the app)
        done: str | None = None  # the last contract begun in this app
        try:
            first = todo[0] is command_palette_opens_the_lesson_by_name
            async with opened(palette_start(lesson) if first else lesson) as d:
                d.key = lesson
                while todo:
                    contract = todo.pop(0)
                    done = contract.__name__
                    if contract is not command_palette_opens_the_lesson_by_name:
                        if d.as_opened is None:  # the lesson's screen as it opened
                            where = f"the lesson as it opened (before {done})"
                            d.check_opened()
                            d.as_opened = d.state()
                        else:
                            where = f"putting the lesson back (before {done})"
                            await d.restart()
                    where = done
                    await contract(d)
                    if not d.expect_exit:
                        await d.pilot.pause()
                        d.check_healthy()
                    where = None
        except Exception as exc:
            if done is None:  # the app did not open: the next contract's failure
                where = f"opening the app (for {todo.pop(0).__name__})"
            exc.add_note(f"screen contract of {lesson!r}: {where or f'closing the app (after {done})'}")
            failures.append(exc)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise ExceptionGroup(f"{lesson}: {len(failures)} screen contracts failed", failures)  # type: ignore[type-var]


async def a_shows_the_model_answer(d: Dojo) -> None:
    """a and escape: the model answer in English (test_answer.py; a menu lesson has one)."""
    from test_answer import model_answer_shows  # tests/app/

    await model_answer_shows(d.pilot, d.app, d.exp.info, "en")


async def the_status_line_and_every_panel_title_read_whole_at_80x24(d: Dojo) -> None:
    """In English (test_small.py; in Korean test_korean.py runs it)."""
    from test_small import reads_whole_at_80x24  # tests/app/

    await reads_whole_at_80x24(d.pilot, d.app, "en")


#: The lessons in the menu: the screen contract and the other checks in English at 80x24
#: (q quits last).
MENU_CHECKS = [*SCREEN_CONTRACTS[:-1], a_shows_the_model_answer, the_status_line_and_every_panel_title_read_whole_at_80x24, q_quits]

pytestmark = pytest.mark.skipif(not KEYS, reason="no lesson in the menu")


@pytest.mark.parametrize("lesson", KEYS)
async def test_screen_contract(lesson: str) -> None:
    await keep_the_screen_contract(lesson, MENU_CHECKS)
