"""NNDojoApp: the home screen, one mode per lesson, language, help and navigation."""

from __future__ import annotations

import functools
import gc
import json
import os
from pathlib import Path
import signal
import sys
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING, Any, Callable, Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from nndojo.core.texts._ui import error_text, ui
from nndojo.screens import menu_infos, screen_class
from nndojo.screens.home import HomeScreen
from nndojo.screens.too_small import MIN_SIZE, TooSmall
from nndojo.tui.cli import LOW_BANDWIDTH_HEAVY_HZ
from nndojo.tui.output import OutputFilter
from nndojo.tui.textual_patches import after_next_update, direct_write_driver, on_driver_message, page_keys_before_layout, wrap_driver_write, writer_name

if TYPE_CHECKING:
    from nndojo.core.experiment import Experiment
    from nndojo.core.progress import SetAside
    from nndojo.screens.drill import DrillRun
    from nndojo.screens.base import LessonScreen
    from nndojo.tui.runner import Runner

page_keys_before_layout()

LANGS = ("en", "ko")
#: The lessons' modules load in the background after the first frame (their imports
#: hold the GIL, and must not delay it), or at the latest this many seconds after mount.
PRELOAD_AFTER = 1.0
#: Longest a key holds training off (a key whose effect is drawn releases it sooner).
KEY_HOLD_SECONDS = 0.1
#: After a digit that begins a longer lesson number (1 of 12), how long the app waits
#: for the next digit before opening the lesson of the one digit.
DIGIT_WAIT = 0.6


def resolve_digits(typed: str, numbers: Iterable[int]) -> tuple[bool, int]:
    """The lesson number the digits ``typed`` so far ask for, and whether it is final
    (False: a longer lesson number begins with them, so wait for another digit)."""
    longer = any(len(str(n)) > len(typed) and str(n).startswith(typed) for n in numbers)
    return not longer, int(typed)


def __getattr__(name: str) -> Any:
    if name == "MENU_INFOS":  # the menu's lessons' texts (see screens.menu_infos)
        return list(menu_infos())
    if name == "MENU":  # the menu's Experiment classes (loads every lesson)
        from nndojo.core.lessons import by_key

        return [by_key(info.key) for info in menu_infos()]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ProgressLoaded(Message):
    """The progress file has been read (on its worker thread)."""


class LessonsLoaded(Message):
    """Every lesson's module has loaded (in the background)."""


class ProgressSetAside(Message):
    """The progress file could not be used and was set aside."""

    def __init__(self, aside: "SetAside") -> None:
        super().__init__()
        self.aside = aside


class ProgressCannotSave(Message):
    """The first save of the progress failed (told once)."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.text = message


class NNDojoApp(App[None]):
    """Each lesson lives in its own mode, so leaving and coming back keeps its run."""

    CSS_PATH = "app.tcss"
    #: The app starts in the home mode directly (not in a blank default screen that it
    #: then leaves): one screen composed and laid out before the first frame, not two.
    DEFAULT_MODE = "home"
    TITLE = "nndojo"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("tab", "next_lesson(1)", "Next lesson", priority=True),
        Binding("shift+tab", "next_lesson(-1)", "Previous lesson", priority=True, show=False),
        *[Binding(str(i), f"digit({i})", f"Lesson {i}", show=False) for i in range(10)],
        Binding("l", "toggle_lang", "한국어/English"),
        Binding("question_mark", "help", "Help"),
        Binding("h,escape", "home", "Home", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        lesson: str | None = None,
        *,
        seed: int = 0,
        lang: str = "en",
        fps: float = 10.0,
        autoplay: bool = False,
        speed: int | None = None,
        low_bandwidth: bool = False,
        diff_output: bool = True,
        resume: Experiment | None = None,
        save_dir: Path | None = None,
        data_dir: Path | None = None,
        drill: bool = False,
        drill_seed: int | None = None,
    ) -> None:
        super().__init__()
        from nndojo.core.progress import ProgressStore, path_in

        #: The learner's progress (answers, the drill), in ``data_dir`` (None: kept in
        #: memory only, as in the tests); read and written on a thread of its own.
        self.progress = ProgressStore(
            None if data_dir is None else path_in(data_dir),
            on_loaded=lambda: self.post_message(ProgressLoaded()),
            on_set_aside=lambda aside: self.post_message(ProgressSetAside(aside)),
            on_cannot_save=lambda message: self.post_message(ProgressCannotSave(message)),
        )
        #: The drill in progress (screens/drill.py), if any.
        self.drill: DrillRun | None = None
        #: ``nndojo drill``: start (or resume) a drill once the progress is read.
        self._drill_on_load: tuple[bool, int | None] = (drill, drill_seed)
        #: Where s saves sessions and x exports CSV, and where o looks for them.
        self.save_dir = Path.cwd() if save_dir is None else save_dir
        #: Experiments waiting for their lesson's screen to be made (--resume, o).
        self._resumed: dict[str, Experiment] = {}
        if resume is not None:
            self._resumed[resume.info.key] = resume
            lesson = resume.info.key
        self.output_filter = OutputFilter() if diff_output else None
        if lang not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}")
        self.start_lesson = lesson
        self.seed = seed
        self.lang = lang
        self.fps = fps
        self.autoplay = autoplay
        self.speed = speed
        #: On a slow link heatmaps and histograms redraw once a second.
        self.heavy_hz = LOW_BANDWIDTH_HEAVY_HZ if low_bandwidth else None
        self.lesson_screens: dict[str, LessonScreen] = {}
        self._preloaded = False
        self._held_for: events.Key | None = None  # the key training last held off for
        self._digits = ""  # lesson-number digits typed so far (see action_digit)
        self._digit_timer: Timer | None = None
        self.digit_wait = DIGIT_WAIT
        self.home_screen = HomeScreen(lang)
        self.add_mode("home", lambda: self.home_screen)

    # -- modes --------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.call_after_refresh(self.progress.start)  # read once the first frame is drawn
        self._filter_output()
        self._hold_on_keys()
        if hasattr(signal, "SIGHUP") and not self.is_headless:
            # Installed, not inherited: under nohup (or a CI runner) SIGHUP arrives
            # ignored, and a TUI whose terminal is gone would run on for nobody.
            signal.signal(signal.SIGHUP, self._hang_up)
        if os.environ.get("NNDOJO_BENCH_STATS"):
            signal.signal(signal.SIGUSR1, self._report_stats)
        for info in menu_infos():
            self.add_mode(info.key, self._factory(info.key))
        self.call_after_refresh(self.check_size)
        # The lessons load in the background once the first frame is out (see
        # _filter_output); headless, or if the filter is off, after a short while.
        self.set_timer(PRELOAD_AFTER, self._preload)
        if self.start_lesson:
            self.open_lesson(self.start_lesson)
            if self.autoplay:
                self.lesson_screens[self.start_lesson].runner.play()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event is not self._held_for:
            # Keys come first: training holds off until the key's effect has been
            # drawn and written (a key reaches on_event twice: on its way to the
            # focused widget and bubbling back; the first must not release early).
            runner = self._training_runner()
            if runner is not None:
                self._held_for = event
                runner.yield_to_ui(KEY_HOLD_SECONDS, "key")  # again: see _hold_on_keys
                after_next_update(self.screen, functools.partial(runner.release, "key"))
        await super().on_event(event)
        if isinstance(event, events.Resize):  # App handles it privately and stops it
            self.call_later(self.check_size)

    def check_size(self) -> None:
        """Below MIN_SIZE show one line asking for a larger terminal; remove it once the
        terminal is large enough again."""
        width, height = self.size
        small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        showing = isinstance(self.screen, TooSmall)
        if small and not showing:
            self.push_screen(TooSmall(self.lang))
        elif not small and showing:
            self.pop_screen()

    def _factory(self, key: str) -> Callable[[], Screen[Any]]:
        def make() -> Screen[Any]:
            cls = screen_class(key)
            experiment = self._resumed.pop(key, None) or cls.experiment_class(seed=self.seed, **bench_values(key))
            if os.environ.get("NNDOJO_BENCH_STATS"):
                # Measured as the benchmark's headless run is: training that goes on
                # past convergence (the lessons that pause there would measure nothing).
                experiment.stops_when_converged = False
            screen = cls(experiment, fps=self.fps, lang=self.lang, heavy_hz=self.heavy_hz, speed=self.speed)
            self.lesson_screens[key] = screen
            return screen

        return make

    def load_session(self, path: Path) -> bool:
        """Resume the session saved at ``path`` in its lesson (the lesson in view is
        untouched if the file cannot be loaded: the message says why)."""
        from nndojo.core import session

        try:
            experiment = session.load(path)
        except session.SessionError as exc:
            self.notify(error_text(exc, self.lang), title=ui("msg.not_loaded", self.lang), severity="error", timeout=8)
            return False
        key = experiment.info.key
        if key not in self.lesson_keys:
            self.notify(ui("msg.not_in_menu", self.lang, path=path, key=key), title=ui("msg.not_loaded", self.lang), severity="error", timeout=8)
            return False
        screen = self.lesson_screens.get(key)
        if screen is None:
            self._resumed[key] = experiment  # the screen is made with it
        else:
            screen.load_experiment(experiment)
        self.open_lesson(key)
        self.notify(
            ui("msg.loaded_paused", self.lang, name=path.name, step=experiment.step_count), title=ui("msg.session_loaded", self.lang), timeout=5
        )
        return True

    def open_lesson(self, key: str) -> None:
        if self.current_mode != key:
            self.switch_mode(key)

    @property
    def lesson_keys(self) -> list[str]:
        return [info.key for info in menu_infos()]

    # -- actions ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Navigation must not fire underneath a dialog (help, inspector, value input).
        if isinstance(self.screen, ModalScreen) and action in ("next_lesson", "jump", "digit", "home", "toggle_lang", "help"):
            return False
        return True

    def action_next_lesson(self, delta: int) -> None:
        keys = self.lesson_keys
        if not keys:
            return
        if self.current_mode in keys:
            i = (keys.index(self.current_mode) + delta) % len(keys)
        else:
            i = 0 if delta > 0 else len(keys) - 1
        self.open_lesson(keys[i])

    def action_digit(self, digit: int) -> None:
        """A digit of a lesson number: 3 opens lesson 3 at once; 1 waits a moment for
        a 2 (lesson 12) if a lesson's number begins with 1."""
        if self._digit_timer is not None:
            self._digit_timer.stop()
            self._digit_timer = None
        self._digits += str(digit)
        final, number = resolve_digits(self._digits, (i.number for i in menu_infos()))
        if final:
            self._digits = ""
            self.action_jump(number)
        else:
            self._digit_timer = self.set_timer(self.digit_wait, self.digits_done)

    def digits_done(self) -> None:
        """No further digit came: open the lesson of the digits typed."""
        self._digit_timer = None
        typed, self._digits = self._digits, ""
        if typed:
            self.action_jump(int(typed))

    def action_jump(self, number: int) -> None:
        """Open the lesson with this number (the numbering of the Q&A, as on the home screen)."""
        for info in menu_infos():
            if info.number == number:
                self.open_lesson(info.key)
                return
        numbers = ", ".join(str(i.number) for i in menu_infos())
        self.notify(ui("msg.no_lesson", self.lang, number=number, numbers=numbers), timeout=3)

    def action_home(self) -> None:
        if self.current_mode != "home":
            self.switch_mode("home")

    def action_toggle_lang(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]
        # Only the screen in view redraws now; the others catch up when shown again.
        screens: list[HomeScreen | LessonScreen] = [self.home_screen, *self.lesson_screens.values()]
        for screen in screens:
            screen.set_lang(self.lang, now=screen is self.screen)

    def action_help(self) -> None:
        from nndojo.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.lang))

    def on_unmount(self) -> None:
        for screen in self.lesson_screens.values():
            screen.runner.stop()
        self.progress.close()  # the answers' last saves

    # -- progress and the drill -------------------------------------------------------------
    def on_progress_loaded(self, message: "ProgressLoaded") -> None:
        self.home_screen.show_progress()
        start, seed = self._drill_on_load
        if start:
            self._drill_on_load = (False, None)
            self.start_drill(seed)

    def on_lessons_loaded(self, message: LessonsLoaded) -> None:
        self.home_screen.show_progress()
        if not self.is_headless:
            # Everything loaded so far lives as long as the app: out of the collector's
            # sight, a full collection scans only what came after (it took 60-70 ms,
            # every several seconds while a lesson trains, and a key landing in one
            # waited that long).
            gc.freeze()

    def on_progress_set_aside(self, message: "ProgressSetAside") -> None:
        aside, lang = message.aside, self.lang
        why = ui(f"progress.aside.{aside.kind}", lang)
        if aside.aside is not None:
            text = ui("progress.set_aside", lang, path=aside.path, why=why, aside=aside.aside.name)
        else:
            text = ui("progress.left_in_place", lang, path=aside.path, why=why)
        self.notify(text, severity="warning", timeout=12)

    def on_progress_cannot_save(self, message: "ProgressCannotSave") -> None:
        path = self.progress.path
        self.notify(ui("progress.cannot_save", self.lang, directory=path.parent if path else "-"), severity="warning", timeout=10)

    def start_drill(self, seed: int | None = None) -> None:
        """Start a drill, or resume the one left midway (see screens/drill.py)."""
        from nndojo.screens.drill import DrillRun, all_questions, choose_drill

        if not self.progress.loaded.is_set():
            self._drill_on_load = (True, seed)  # once the progress is read
            return
        if self.drill is not None and seed in (None, self.drill.drill.seed):
            self.drill.ask_next()  # the drill in progress (left for home with h): its question again
            return
        questions = all_questions()
        if not questions:
            self.notify(ui("drill.empty", self.lang), timeout=5)
            return
        drill, resumed = choose_drill(self.progress.progress.drill, questions, seed)
        if not resumed:
            self.progress.set_drill(drill)
        elif drill.position:
            self.notify(ui("drill.resumed", self.lang, answered=drill.position, total=len(drill.order), seed=drill.seed), timeout=5)
        self.drill = DrillRun(self, drill)
        self.drill.ask_next()

    def _hang_up(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """The terminal is gone (SSH dropped): stop every worker and leave at once. A
        graceful exit would try to restore a terminal that no longer exists."""
        for screen in self.lesson_screens.values():
            screen.runner._stop.set()
        try:  # if the terminal is still there after all (kill -HUP), leave it usable
            if sys.__stderr__ is not None:
                os.write(sys.__stderr__.fileno(), b"\x1b[?1000l\x1b[?1003l\x1b[?1006l\x1b[?25h\x1b[?1049l")
        except (OSError, AttributeError, ValueError):
            pass
        os._exit(128 + signal.SIGHUP)

    def _preload(self) -> None:
        """After the first frame, load the lessons' math and screens in the background,
        so the first lesson opens at once."""
        if self._preloaded:
            return
        self._preloaded = True

        def load() -> None:
            from nndojo.core import lessons  # noqa: F401
            from nndojo.screens import load_all

            load_all()
            self.post_message(LessonsLoaded())  # the home screen marks every question

        threading.Thread(target=load, name="nndojo-preload", daemon=True).start()

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this platform, writing each frame at once (see
        textual_patches.DirectWriter)."""
        return direct_write_driver(super().get_driver_class())

    def _training_runner(self) -> Runner | None:
        """The runner of the lesson in view, if it is training (a key holds it off)."""
        screen = self.lesson_screens.get(self.current_mode)
        return screen.runner if screen is not None and screen.runner.playing else None

    def _hold_on_keys(self) -> None:
        """Hold training off the moment a key arrives, in the terminal's input thread.

        The UI thread may be busy with a frame when a key comes in; the hold set
        there, when it gets to the key, came after the frame had let training go on,
        and the key's effect was drawn while training competed for the GIL."""
        if self.is_headless:
            return

        def hold(message: Message) -> None:
            if isinstance(message, events.Key) and (runner := self._training_runner()) is not None:
                runner.yield_to_ui(KEY_HOLD_SECONDS, "key")

        on_driver_message(self, hold)

    def _filter_output(self) -> None:
        """Send the terminal only what changed (see tui/output.py)."""
        filt = self.output_filter
        if filt is None or self.is_headless:
            return
        first_frame_out = False

        def filtered(write: Callable[[str], None]) -> Callable[[str], None]:
            def filtered_write(data: str) -> None:
                nonlocal first_frame_out
                filt.set_size(self.size)
                write(filt(data))
                if not first_frame_out and "\x1b[" in data and len(data) > 1000:  # the first frame
                    first_frame_out = True
                    self.set_timer(0.05, self._preload)

            return filtered_write

        wrap_driver_write(self, filtered)

    def _report_stats(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """For ``python -m nndojo.bench``: append the training counters of the lesson in
        view to the file named in NNDOJO_BENCH_STATS (one JSON line per SIGUSR1)."""
        screen = self.lesson_screens.get(self.current_mode)
        line = {"t": time.monotonic(), "mode": self.current_mode, "gc_frozen": gc.get_freeze_count(),
                "writer": writer_name(self)}
        if self.output_filter is not None:
            line.update(bytes_in=self.output_filter.bytes_in, bytes_out=self.output_filter.bytes_out)
        if screen is not None:
            line.update(step=screen.runner.experiment.step_count, frames=screen.frames, playing=screen.runner.playing)
            from nndojo.screens.predict import asking

            state = asking(screen)
            line.update(question_running=state is not None and state.running)
            from nndojo.core.sweep import Sweep

            sweep = getattr(screen.runner.experiment, "sweep", None)  # a lesson's sweep (capacity, the LR range test)
            if isinstance(sweep, Sweep):
                line.update(sweep_running=not sweep.done, sweep_points=sweep.finished_points)
        with open(os.environ["NNDOJO_BENCH_STATS"], "a") as f:
            f.write(json.dumps(line) + "\n")

    # -- command palette ----------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The lessons in number order, home, help, language and quit, in the app's
        language (Textual's own commands are in English only, so they are left out)."""
        lang = self.lang
        for info in sorted(menu_infos(), key=lambda i: i.number):
            yield SystemCommand(
                ui("cmd.lesson", lang, number=info.number, title=info.title.get(lang) or info.title["en"]),
                info.question.get(lang) or info.question["en"],
                lambda key=info.key: self.open_lesson(key),
            )
        yield SystemCommand(ui("cmd.home", lang), ui("cmd.home_help", lang), self.action_home)
        yield SystemCommand(ui("cmd.help", lang), ui("cmd.help_help", lang), self.action_help)
        yield SystemCommand(ui("cmd.lang", lang), ui("cmd.lang_help", lang), self.action_toggle_lang)
        yield SystemCommand(ui("cmd.theme", lang), ui("cmd.theme_help", lang), self.action_change_theme)
        yield SystemCommand(ui("cmd.screenshot", lang), ui("cmd.screenshot_help", lang), lambda: self.set_timer(0.1, self.deliver_screenshot))
        yield SystemCommand(ui("cmd.quit", lang), ui("cmd.quit_help", lang), self.action_quit)

    def action_command_palette(self) -> None:
        """Textual's command palette, its prompt in the app's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=ui("cmd.search", self.lang), id="--command-palette"))


def bench_values(key: str) -> dict[str, Any]:
    """For ``python -m nndojo.bench``: the values a lesson's run starts with, from the JSON
    in NNDOJO_BENCH_VALUES ({lesson key: {name: value}}; nothing when it is not set)."""
    text = os.environ.get("NNDOJO_BENCH_VALUES") if os.environ.get("NNDOJO_BENCH_STATS") else None
    if not text:
        return {}
    return dict(json.loads(text).get(key, {}))
