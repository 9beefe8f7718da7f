"""A seeded monkey drives the real app: random keys on every screen, resizes down to
tiny terminals, training running between bursts. A monkey starts on every third
lesson of the menu (its own seed; tab, numbers and h take it to the others), so the
cost stays bounded as lessons join.

Keys go to the app as the terminal driver sends them (a Key event each), without
``pilot.press``'s wait for the CPU to go idle after every key (with training running
that wait takes up to two seconds a key). A burst is a few hundred keys, the messages
they cause processed and the screen redrawn after each; between bursts the lesson in
view trains for a moment, then every runner is paused again.

At the end: no exception (``run_test`` re-raises any), no error notification from the
app's own safety nets ("drawing failed", "training stopped"), no plot that failed to
draw, every training thread alive and its lock free, and the app still answers: help,
home, a lesson that steps, and q quits. Sessions that s saves and x exports go to a
temporary directory.

Keys typed ahead (the next key sent before the app has handled the last, as a fast
typist or a bursty SSH link does) found crashes, each now fixed and kept by a test at
the end: a dialog dismissed twice (enter enter / enter escape in the value dialog), the
command palette's page keys before its list is laid out (a Textual bug), and the load
dialog's list narrower than its padding (a Rich bug).
"""

from __future__ import annotations

import asyncio
import inspect
import os
import random
import time
import unicodedata
from collections import deque
from typing import Any

import pytest
from textual import events
from textual.binding import Binding
from textual.command import CommandPalette
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.screen import ModalScreen
from textual.widgets import Input

from nndojo.screens import LessonScreen
from nndojo.screens.help import HelpScreen
from nndojo.screens.home import HomeScreen
from nndojo.screens.inspector import Inspector
from nndojo.screens.value_input import ValueInput
from nndojo.tui.app import MENU, NNDojoApp
from nndojo.tui.widgets import lineplot

pytestmark = pytest.mark.skipif(not MENU, reason="no lesson in the menu")

LESSONS = [cls.info.key for cls in MENU]
#: The lessons a monkey starts on: every third of the menu (six of seventeen), each monkey
#: reaching the others by tab, number keys and h, so the suite's cost stays bounded as
#: lessons join; every lesson's own keys are held by the screen contract
#: (test_contract_keys.py).
STARTS = LESSONS[::3]
BURSTS = 1
BURST_KEYS = 80  # per monkey, plus the scripted visits and the final checks
TRAIN_SECONDS = 0.2
#: Chance that the monkey lets the app process a key (and draw a frame) before the next.
#: Below 1 it types ahead, as a fast typist or a slow link does; that finds races in
#: Textual and in the dialogs (see the tests at the end and the module docstring).
SETTLE = 0.7
RESIZE = 0.01  # chance per key of a resize (a tiny one half the time)
PALETTE = 0.005  # chance per key of a scripted visit to the command palette
SIZES = [(60, 20), (80, 24), (100, 30), (120, 40), (160, 50), (240, 70)]
TINY = [(1, 1), (20, 5), (40, 12), (59, 19), (200, 12), (30, 60), (59, 60), (200, 19)]
END_SIZES = [(80, 24), (120, 40)]

#: Every key that means something somewhere, gathered from the bindings themselves.
NEVER = {"q", "ctrl+q", "ctrl+c", "ctrl+p"}  # quitting ends the run; the palette is scripted


def binding_keys(*classes: type) -> set[str]:
    keys: set[str] = set()
    for cls in classes:
        for b in getattr(cls, "BINDINGS", []):
            if isinstance(b, Binding):
                keys.update(k.strip() for k in b.key.split(","))
            else:
                keys.update(k.strip() for k in b[0].split(","))
    return keys


BOUND = sorted(
    (binding_keys(NNDojoApp, LessonScreen, HomeScreen, HelpScreen, Inspector, ValueInput)
     | {"space", "n", "r", "R", "up", "down", "left", "right", "enter", "plus", "minus", "w", "e", "y",
        "pageup", "pagedown", "tab", "shift+tab", *"123456789", "l", "question_mark", "h", "escape"})
    - NEVER
)
#: For the value dialog: digits, signs, letters (not q), punctuation, editing keys.
TYPING = [*"0123456789", ".", "-", "+", "e", "E", *"abcdfgijkmnoprstuvwxz", ",", "/", "*", "_", " ",
          "backspace", "delete", "home", "end", "ctrl+u", "left", "right"]


def in_dir(path) -> dict[str, Any]:
    """The app's keyword for where it saves sessions, if it has one."""
    return {"save_dir": path} if "save_dir" in inspect.signature(NNDojoApp).parameters else {}


def key_event(key: str) -> events.Key:
    """The Key event the terminal driver would send for ``key`` (as Pilot builds it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


class Monkey:
    def __init__(self, app: NNDojoApp, pilot: Any, seed: int) -> None:
        self.app = app
        self.pilot = pilot
        self.rng = random.Random(seed)
        self.seed = seed
        self.log: deque[str] = deque(maxlen=60)
        self.pressed = 0
        self.counts: dict[str, int] = {}
        self.in_dialog = 0

    def where(self) -> str:
        return f"seed {self.seed}, after {self.pressed} keys; last keys: {' '.join(self.log)}"

    def healthy(self) -> None:
        exc = getattr(self.app, "_exception", None)
        assert exc is None, f"the app raised {exc!r} ({self.where()})"
        assert self.app.is_running, f"the app stopped ({self.where()})"

    async def key(self, key: str, settle: bool = False) -> None:
        if getattr(self.app, "_exception", None) is not None:
            self.healthy()  # fail at once, with the keys that led there
        self.log.append(key)
        self.pressed += 1
        screen = type(self.app.screen).__name__
        self.counts[screen] = self.counts.get(screen, 0) + 1
        self.app.post_message(key_event(key))
        if settle or self.rng.random() < SETTLE:
            await self.pilot.pause(0)  # every message the keys caused, and a frame
        else:
            await asyncio.sleep(0)  # typed ahead, as fast fingers or a paste do

    def pick(self) -> str:
        screen = self.app.screen
        if isinstance(screen, ModalScreen) and not type(screen).__name__ == "TooSmall":
            # Dialogs close on few keys: leave them about as often as a user would.
            self.in_dialog += 1
            if self.rng.random() < self.in_dialog / 60:
                return "escape"
            if isinstance(self.app.focused, Input) and self.rng.random() < 0.6:
                return self.rng.choice(TYPING)
        else:
            self.in_dialog = 0
        return self.rng.choice(BOUND)

    async def palette(self) -> None:
        """ctrl+p, a few letters, then escape until the palette is gone (never enter:
        the palette also offers Quit and Save screenshot)."""
        keys = ["ctrl+p", *(self.rng.choice("lesonc12hmgrdi ") for _ in range(self.rng.randint(0, 4)))]
        if self.rng.random() < 0.5:
            keys.append(self.rng.choice(["down", "up"]))
        self.log.append("<palette>")
        await self.pilot.pause()
        for key in keys:
            await self.key(key, settle=True)
            await self.pilot.pause()
        for _ in range(4):
            if not isinstance(self.app.screen, CommandPalette):
                break
            await self.key("escape", settle=True)
            await self.pilot.pause()
        assert not isinstance(self.app.screen, CommandPalette), self.where()

    async def resize(self, size: tuple[int, int]) -> None:
        w, h = size
        self.log.append(f"<{w}x{h}>")
        await self.pilot.resize_terminal(w, h)

    async def tiny_visit(self) -> None:
        """Shrink to a tiny terminal, press a few keys there, grow back."""
        if type(self.app.screen).__name__ == "LoadSession":
            # Narrower than 10 columns its list crashes Rich (test_load_dialog_survives_a_tiny_terminal).
            return
        await self.resize(self.rng.choice(TINY))
        for _ in range(self.rng.randint(0, 12)):
            await self.key(self.rng.choice(BOUND))
        await self.resize(self.rng.choice(SIZES))

    async def burst(self, n: int) -> None:
        start = self.pressed
        while self.pressed - start < n:
            r = self.rng.random()
            if r < RESIZE / 2:
                await self.resize(self.rng.choice(SIZES))
            elif r < RESIZE:
                await self.tiny_visit()
            elif r < RESIZE + PALETTE:
                await self.palette()
            else:
                await self.key(self.pick())
        self.healthy()

    def runners(self):
        return [(key, screen.runner) for key, screen in self.app.lesson_screens.items()]

    def pause_all(self) -> None:
        for _, runner in self.runners():
            runner.pause()

    async def train(self, seconds: float) -> None:
        """Let the lesson in view (if any) train for a moment, with the frames it draws."""
        screen = self.app.lesson_screens.get(self.app.current_mode)
        if screen is not None:
            screen.runner.play()  # a diverged run refuses, as the space key does
            self.log.append("<train>")
        await self.pilot.pause(seconds)
        self.pause_all()
        await self.pilot.pause(0)
        self.healthy()

    async def close_dialogs(self) -> None:
        for _ in range(10):
            if not isinstance(self.app.screen, ModalScreen):
                return
            await self.pilot.press("escape")
        assert not isinstance(self.app.screen, ModalScreen), f"a dialog would not close: {self.app.screen!r}"


@pytest.fixture
def quick_idle(monkeypatch):
    """``pilot.press`` (used only for the final checks) samples the CPU every 4 ms."""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.004, raising=False)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.0004, raising=False)


@pytest.fixture
def quiet_crash(monkeypatch) -> None:
    """An app that crashes prints a traceback with every frame's code and locals, which
    takes seconds: the known crashes below print frame names only."""
    import rich.traceback

    class Traceback(rich.traceback.Traceback):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["show_locals"] = False
            kwargs["suppress"] = [os.path.abspath(os.sep)]  # no source for any frame
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(rich.traceback, "Traceback", Traceback)


@pytest.fixture
def plot_failures(monkeypatch) -> list[str]:
    """A LinePlot that fails to build shows "(plot failed)" instead of crashing: record it."""
    failures: list[str] = []
    original = lineplot.LinePlot._build_unsafe

    def build(self, width, height, theme):
        try:
            return original(self, width, height, theme)
        except Exception as exc:
            failures.append(f"{self.id} at {width}x{height}: {exc!r}")
            raise

    monkeypatch.setattr(lineplot.LinePlot, "_build_unsafe", build)
    return failures


@pytest.mark.slow
@pytest.mark.parametrize("lesson", STARTS)
async def test_monkey(lesson: str, quick_idle, plot_failures, monkeypatch, tmp_path) -> None:
    seed = LESSONS.index(lesson)
    monkeypatch.chdir(tmp_path)  # s saves and x exports into the working directory
    app = NNDojoApp(lesson, seed=seed, **in_dir(tmp_path))
    notes: list[tuple[str, str, str]] = []
    real_notify = app.notify

    def notify(message, *, title="", severity="information", **kwargs):
        notes.append((str(title), str(message), str(severity)))
        return real_notify(message, title=title, severity=severity, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    started = time.monotonic()
    async with app.run_test(size=(100, 30)) as pilot:
        monkey = Monkey(app, pilot, seed)
        await pilot.pause()
        for _ in range(BURSTS):
            monkey.pause_all()
            await monkey.burst(BURST_KEYS)
            await monkey.train(TRAIN_SECONDS)
        assert monkey.pressed >= BURSTS * BURST_KEYS

        # Nothing trains once paused, and no worker is stuck holding its lock.
        monkey.pause_all()
        await pilot.pause(0.15)
        for key, runner in monkey.runners():
            at = runner.experiment.step_count
            assert runner.lock.acquire(timeout=1), f"{key}: the training lock is stuck ({monkey.where()})"
            runner.lock.release()
            await pilot.pause(0.05)
            assert runner.experiment.step_count == at, f"{key} trains while paused"
            assert runner.alive, f"{key}: the training thread died"
            assert runner.error is None, f"{key}: {runner.error!r}"

        # The app's safety nets caught nothing.
        failed = [n for n in notes if n[1].startswith(("drawing failed", "training stopped"))]
        assert not failed, f"{failed} ({monkey.where()})"
        assert not plot_failures, plot_failures

        # It still answers: help, home, a lesson that steps, at a normal size.
        await monkey.resize(monkey.rng.choice(END_SIZES))
        await monkey.close_dialogs()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("h")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("tab")
        lesson = app.screen
        assert isinstance(lesson, LessonScreen)
        if lesson.runner.experiment.diverged:
            await pilot.press("r")
        at = lesson.runner.experiment.step_count
        await pilot.press("n")
        assert lesson.runner.experiment.step_count == at + 1
        assert not lesson.runner.playing
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value is None
    assert not app.is_running
    for key, runner in monkey.runners():
        assert not runner.alive, f"{key}: the training thread outlived the app"
    elapsed = time.monotonic() - started
    print(f"seed {seed}: {monkey.pressed} keys in {elapsed:.1f} s; keys per screen {monkey.counts}")


@pytest.mark.parametrize("keys", [["enter", "escape"], ["enter", "enter"]], ids=["enter-escape", "enter-enter"])
async def test_value_dialog_dismissed_once_when_keys_are_typed_ahead(keys: list[str], quick_idle, quiet_crash) -> None:
    app = NNDojoApp(MENU[0].info.key)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, ValueInput)
        for key in keys:  # as a terminal delivers a fast typist's keys: no wait between
            app.post_message(key_event(key))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("n")
        assert app.screen.runner.experiment.step_count == 1


async def test_load_dialog_survives_a_tiny_terminal(tmp_path, quick_idle, quiet_crash, monkeypatch) -> None:
    pytest.importorskip("nndojo.screens.session_dialog")
    if not in_dir(tmp_path):
        pytest.skip("the app saves no sessions")
    monkeypatch.chdir(tmp_path)
    app = NNDojoApp(MENU[0].info.key, **in_dir(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s", "o")  # save a session, open the load dialog: it lists it
        assert type(app.screen).__name__ == "LoadSession"
        await pilot.resize_terminal(8, 10)
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)


async def test_palette_page_keys_typed_ahead(quick_idle, quiet_crash) -> None:
    app = NNDojoApp(MENU[0].info.key)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in ["ctrl+p", "pagedown"]:
            app.post_message(key_event(key))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)
