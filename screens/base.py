"""LessonScreen: the frame, keys, timers and runner every lesson screen shares.

A lesson's panels come from its ``panel_layout`` declaration (screens/layout.py): the screen
composes and draws them with no per-lesson code. A screen may still override
``compose_panels`` / ``update_panels``. It never calls the Experiment directly:
everything goes through the Runner.
"""

from __future__ import annotations

import time
from typing import ClassVar, TypeVar

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from nndojo.core import compare
from nndojo.core.experiment import Experiment, HyperParamError, Snapshot
from nndojo.core.texts._controls import control_text
from nndojo.core.texts._ui import UI, divergence_text, error_text, ui
from nndojo.tui.textual_patches import PromptScreen
from nndojo.tui.typed_app import nndojo_app
from nndojo.tui.runner import DEFAULT_SPEED, Runner
from nndojo.tui.widgets import LinePlot
from nndojo.tui.widgets.hyperpanel import HyperPanel
from nndojo.tui.widgets.lesson_text import LessonText
from nndojo.tui.widgets.status import KeyBar, StatusLine

from .layout import COMPARE_TITLE, Layout, LayoutView, compare_table, in_lang

#: Heavy panels (heatmaps, histograms) redraw at most once per HEAVY_EVERY frame periods.
HEAVY_EVERY = 3
#: Below this many columns the sidebar slims down.
NARROW_WIDTH = 110


W = TypeVar("W", bound=Widget)


def panel(widget: W, title: str) -> W:
    """Frame a widget as one of a lesson's panels, with ``title`` in its border."""
    widget.add_class("panel")
    widget.border_title = title
    return widget


class LessonScreen(PromptScreen, Screen):
    """The common frame: title bar, the lesson's panels, the sidebar (controls and
    text), the status line and the footer."""

    DEFAULT_CSS = """
    LessonScreen .panel {
        border: round $primary-darken-2;
        border-title-color: $text-accent;
        height: 1fr;
        width: 1fr;
    }
    LessonScreen .row {
        height: 1fr;
    }
    LessonScreen #pages {
        height: 1;
        display: none;
    }
    LessonScreen.-paged #pages {
        display: block;
    }
    LessonScreen #compare {
        height: auto;
        border-bottom: hkey $primary;
    }
    """

    experiment_class: ClassVar[type[Experiment]]
    #: The lesson's panels, declared (None: the screen composes and draws its own).
    panel_layout: ClassVar[Layout | None] = None
    status_metrics: ClassVar[tuple[str, ...]] = ("loss",)
    #: Index into runner.SPEEDS the lesson starts at (max unless it is best watched slowly).
    default_speed: ClassVar[int] = DEFAULT_SPEED

    BINDINGS = [
        Binding("space", "toggle_play", "Play/Pause"),
        Binding("n", "step_once", "Step"),
        Binding("r", "reset", "Reset"),
        Binding("R,shift+r", "reset_new_seed", "New seed", show=False),
        Binding("up", "choose(-1)", "Choose", show=False),
        Binding("down", "choose(1)", "Choose", show=False),
        Binding("left", "change(-1)", "Change", show=False),
        Binding("right", "change(1)", "Change", show=False),
        Binding("enter", "edit_value", "Type value", show=False),
        Binding("plus,equals_sign", "faster", "Faster", show=False),
        Binding("minus,underscore", "slower", "Slower", show=False),
        Binding("v", "turn_page", "Panels"),
        Binding("w", "inspect", "Weights"),
        Binding("a", "answer", "Answer", show=False),
        Binding("p", "predict", "Predict"),
        Binding("escape", "leave_question", "Back", show=False),
        Binding("s", "save", "Save"),
        Binding("o", "load", "Load", show=False),
        Binding("x", "export_csv", "Export CSV", show=False),
        Binding("e", "toggle_plots('smooth_enabled', 'smoothing')", "Smoothing", show=False),
        Binding("y", "toggle_plots('log_y', 'log y')", "Log y", show=False),
        Binding("g", "toggle_plots('log_x', 'log x')", "Log x", show=False),
        Binding("c", "pin_run", "Pin run", show=False),
        Binding("C,shift+c", "clear_pins", "Clear pins", show=False),
        Binding("pageup", "scroll_text(-1)", "Scroll text", show=False),
        Binding("pagedown", "scroll_text(1)", "Scroll text", show=False),
    ]

    def __init__(
        self,
        experiment: Experiment,
        *,
        fps: float = 10.0,
        lang: str = "en",
        heavy_hz: float | None = None,
        speed: int | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.experiment = experiment
        self.runner = Runner(experiment, speed=self.default_speed if speed is None else speed)
        self.fps = fps
        #: Seconds between redraws of the heavy panels (heatmaps, histograms).
        self.heavy_period = 1.0 / heavy_hz if heavy_hz else HEAVY_EVERY / fps
        self.lang = lang
        self._last_heavy = 0.0
        self._dirty = True
        self._last_step = -1
        self._last_playing = False
        self._diverged_told = False
        self._compare_dirty = True
        self.frames = 0  # panel redraws, for the benchmark
        info = experiment.info
        self.panels_view = LayoutView(self.panel_layout, lang) if self.panel_layout is not None else None
        self.hyperpanel = HyperPanel(experiment.hyperparams, experiment.values, info=info, lang=lang, id="hyperpanel")
        self.lesson_text = LessonText(info, lang, id="lesson-text")
        self.status = StatusLine(id="status")
        from nndojo.core import session

        #: Runs pinned to compare with (key c), oldest first; a resumed session brings its own.
        self.pins: list[compare.PinnedRun] = session.pins_loaded_with(experiment)
        self.compare_view = Static(id="compare", classes="-compare")
        self._compare_shape: tuple[int, str, int] | None = None  # what the table's height depends on
        self.compare_view.display = bool(self.pins)

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self._title_text(), id="title")
        with Horizontal(id="body"):
            with Vertical(id="panels"):
                if self.panels_view is not None:
                    yield Static(id="pages")
                yield from self.compose_panels()
            with Vertical(id="sidebar"):
                yield self.hyperpanel
                yield self.compare_view
                yield self.lesson_text
        yield self.status
        app_bindings = [b for b in self.app.BINDINGS if isinstance(b, Binding)]
        keybar = KeyBar([*(b for b in self.BINDINGS if isinstance(b, Binding)), *app_bindings], self.lang, id="key-bar")
        keybar.hidden = {"turn_page"}
        yield keybar

    def _title_text(self) -> str:
        info = self.experiment.info
        return f" nndojo · {info.number}. {info.title.get(self.lang) or info.title['en']}"

    def compose_panels(self) -> ComposeResult:
        """The lesson's panels (by default those its layout declares)."""
        if self.panels_view is not None:
            yield from self.panels_view.compose()

    def update_panels(self, snap: Snapshot, heavy: bool) -> None:
        """Draw ``snap``. ``heavy`` is True at the slower rate for heatmaps/histograms."""
        if self.panels_view is not None:
            self.panels_view.pins = self.pins
            self.panels_view.draw(snap, heavy)
            view = self.panels_view
            if heavy and not view.paged and len(view.layout.pages) > 1 and view.overflowing():
                self.set_paged(True)  # the panels do not fit all at once: a page at a time
                self.call_after_refresh(self.redraw, True)

    def plot_points(self) -> int:
        """How many points per series to ask for: at most four per terminal column (the
        history hands back between half that and that; see History.series)."""
        return max(4 * self.size.width, 64)

    # -- life -------------------------------------------------------------------------
    def _set_chart_lang(self) -> None:
        """The charts' legend words (path, now, range, ema, ...) in the screen's language."""
        from nndojo.tui.widgets.frame import FrameWidget

        for chart in self.query(FrameWidget):
            chart.set_lang(self.lang)

    def on_mount(self) -> None:
        self._set_chart_lang()
        self.runner.start()
        self._timer = self.set_interval(1.0 / self.fps, self.tick)
        self.call_after_refresh(self.redraw, True)

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        self.set_paged(False)  # all rows, until a heavy draw finds a panel that does not fit
        self.call_after_refresh(self.redraw, True)

    @property
    def paged(self) -> bool:
        """Whether the panels show a page of rows at a time (a small screen)."""
        return self.panels_view is not None and self.panels_view.paged

    def set_paged(self, paged: bool) -> None:
        """Show the layout's rows a page at a time (v turns the page), or all at once.
        A layout of one page is never paged."""
        view = self.panels_view
        if view is None:
            return
        paged = paged and len(view.layout.pages) > 1
        if paged != view.paged:
            view.set_paged(paged)
        self.set_class(paged, "-paged")
        self.query_one(KeyBar).set_hidden(set() if paged else {"turn_page"})
        self._draw_page_tabs()

    def _draw_page_tabs(self) -> None:
        if self.panels_view is not None and self.is_mounted:
            self.query_one("#pages", Static).update(self.panels_view.page_tabs(self.lang), layout=False)

    def action_turn_page(self) -> None:
        """The next page of panels (on a small screen; elsewhere every panel is shown)."""
        if not self.paged:
            return
        assert self.panels_view is not None
        self.panels_view.turn_page()
        self._draw_page_tabs()
        self.redraw(heavy=True)

    def on_screen_suspend(self) -> None:
        # Training goes on under a dialog (help, inspector, value input); leaving the
        # lesson for another one pauses it.
        if not isinstance(self.app.screen, ModalScreen):
            self.runner.pause()
        self._timer.pause()

    def on_screen_resume(self) -> None:
        if self.lesson_text.lang != self.lang:
            self.set_lang(self.lang)
        self._timer.resume()
        self.redraw(heavy=True)

    def on_unmount(self) -> None:
        self.runner.stop()

    def set_lang(self, lang: str, now: bool = True) -> None:
        """Switch the texts' language; with ``now=False`` only when next shown.

        The lesson text switches in the key's own frame; the title, key bar, controls,
        status line and panels in the next one. Textual repaints the box around
        everything that changed in a frame, and the title (top) with the status line
        (bottom) would make that box the whole screen."""
        self.lang = lang
        if now:
            self.lesson_text.lang = lang
            asking = getattr(self, "asking", None)
            if asking is not None:  # a question's panel too, in this frame
                from .predict import poll

                poll(self)
            if not self.is_mounted:
                self._retitle()
                return
            self.repaint_in_next_update(self.lesson_text)  # in the key's own frame
            if asking is not None and asking.panel is not None:
                self.repaint_in_next_update(asking.panel.body)
            self.after_next_update(self._retitle)

    def _retitle(self) -> None:
        """Everything but the lesson text in the screen's language: the title, key bar,
        controls, the panels' titles and legends, the compare table, the status line."""
        self.hyperpanel.set_lang(self.lang)
        self._set_chart_lang()
        if self.panels_view is not None:
            self.panels_view.set_lang(self.lang)
        self._compare_dirty = True
        if self.is_mounted:
            self.query_one(KeyBar).set_lang(self.lang)
            self._draw_page_tabs()
            self.query_one("#title", Static).update(self._title_text(), layout=False)  # one line
            self.redraw()  # light panels now; heavy ones (their captions) at their own rate

    def redraw(self, heavy: bool = False) -> None:
        """After a key: the status line and controls at once, in a frame of their own, so
        the key's effect shows without waiting for the plots; the panels right after
        (heavy ones too when ``heavy`` or paused, otherwise at their own rate)."""
        self._dirty = True
        try:
            self._draw(heavy, panels=False)
        except Exception:
            pass  # tick() reports it
        self.call_after_refresh(self.tick, heavy)

    def tick(self, force_heavy: bool = False) -> None:
        """The frame timer: pull one snapshot, draw what changed."""
        runner = self.runner
        playing = runner.playing
        if self.status.remark_expired:
            self._dirty = True
        if not (playing or self._dirty or playing != self._last_playing or runner.experiment.step_count != self._last_step):
            return
        if playing:
            # Training holds off while the frame is built and written: the two would
            # share the GIL and each take twice as long; this way the frame is quick
            # (and a key pressed meanwhile waits less) and training loses no more.
            runner.yield_to_ui()
            self.after_next_update(runner.release)
        try:
            self._draw(force_heavy)
        except Exception as exc:  # a bug in a lesson's views: say so, keep the app alive
            runner.pause()
            self._dirty = False
            self.notify(ui("msg.drawing_failed", self.lang, error=repr(exc)), severity="error", timeout=8)

    def _draw(self, force_heavy: bool, panels: bool = True) -> None:
        runner = self.runner
        snap = runner.snapshot(self.plot_points())
        playing = runner.playing  # the worker may have stopped itself (diverged) meanwhile
        self.status.show(
            snap, playing=playing, speed=runner.speed_label, rate=runner.steps_per_second, metrics=self.status_metrics,
            lang=self.lang, seeded=self._seeded,
        )
        self.hyperpanel.set_values(snap.values, snap.hyperparams)
        if not panels:
            return
        self._last_playing = playing
        changed = snap.step != self._last_step or self._dirty
        self._last_step = snap.step
        if changed:
            # Heavy panels (heatmaps, histograms) at about a third of the frame rate.
            now = time.monotonic()
            # A key press while training (dirty) does not force them: the key's own
            # effect shows at once and the heavy panels follow at their own pace.
            heavy = force_heavy or not playing or now - self._last_heavy >= self.heavy_period
            if heavy:
                self._last_heavy = now
            self.update_panels(snap, heavy)
            if self.pins and (heavy or self._compare_dirty):
                self.draw_compare(snap)
            self.frames += 1
        self._dirty = False
        if snap.diverged and not self._diverged_told:
            self.notify(divergence_text(snap.message, self.lang), title=ui("msg.diverged_title", self.lang), severity="error", timeout=6)
        self._diverged_told = snap.diverged  # once per diverged run; a reset clears it
        if runner.error is not None:
            err, runner.error = runner.error, None
            self.notify(ui("msg.training_stopped", self.lang, error=repr(err)), severity="error", timeout=8)

    def say(self, message: str) -> None:
        """A passing remark, at the front of the status line for a few seconds (the
        caller redraws)."""
        self.status.set_remark(message)
        self._dirty = True

    # -- actions ----------------------------------------------------------------------
    def action_toggle_play(self) -> None:
        if self.runner.experiment.diverged:
            self.notify(ui("msg.run_diverged", self.lang), severity="warning")
            return
        self.runner.toggle()
        self.redraw()

    def action_step_once(self) -> None:
        self.runner.step_once()
        self.redraw()

    def action_reset(self) -> None:
        self.runner.reset()
        self.redraw()

    def action_reset_new_seed(self) -> None:
        """A new seed; where the seed changes nothing, a reset that says so."""
        self.runner.reset(self.runner.experiment.seed + 1)
        if self._seeded:
            self.say(ui("remark.new_seed", self.lang, seed=self.runner.experiment.seed))
        else:
            self.say(ui("remark.no_seed", self.lang))
        self.redraw()

    @property
    def _seeded(self) -> bool:
        """Whether the seed changes the run in view (see Experiment.uses_seed)."""
        return self.runner.experiment.uses_seed()

    def action_choose(self, delta: int) -> None:
        self.hyperpanel.move(delta)

    def action_change(self, direction: int) -> None:
        p = self.hyperpanel.current
        self.apply_value(p.name, p.nudge(self.hyperpanel.value(p.name), direction))

    def apply_value(self, name: str, value) -> bool:
        """Send one value to the Experiment; a bad one gets a message and changes nothing."""
        try:
            reset = self.runner.set(name, value)
        except HyperParamError as exc:
            labels = {p.label: control_text(self.experiment.info, p.name, self.lang, p.label)[0] for p in self.experiment.hyperparams}
            self.notify(error_text(exc, self.lang, labels), title=ui("msg.not_changed", self.lang), severity="error", timeout=5)
            return False
        if reset:
            p = self.experiment.hyperparam(name)
            label = control_text(self.experiment.info, name, self.lang, p.label)[0]
            self.say(ui("remark.changed_reset", self.lang, label=label))
        self.redraw()
        return True

    def action_edit_value(self) -> None:
        from .value_input import ValueInput

        p = self.hyperpanel.current

        def done(value) -> None:
            if value is not None:
                self.apply_value(p.name, value)

        value = ValueInput(p, self.hyperpanel.value(p.name), lang=self.lang, info=self.experiment.info)
        self.app.push_screen(value, done)

    def action_faster(self) -> None:
        self.runner.faster()
        self.redraw()

    def action_slower(self) -> None:
        self.runner.slower()
        self.redraw()

    def action_answer(self) -> None:
        """The model answer to the lesson's interview question (a dialog; training goes on)."""
        from .answer import AnswerScreen

        self.app.push_screen(AnswerScreen(self.experiment.info, self.lang))

    def action_predict(self) -> None:
        """Predict, then run: the lesson's next question (screens/predict.py)."""
        from .predict import on_p

        on_p(self)

    def action_leave_question(self) -> None:
        """Escape: back to the learner's own run if a question is on, else home."""
        from .predict import leave

        if not leave(self):
            nndojo_app(self).action_home()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # a question's run is not changed before its verdict (screens/predict.py)
        from .predict import allowed

        return allowed(self, action)

    def action_inspect(self) -> None:
        from .inspector import Inspector

        self.app.push_screen(Inspector(self.runner, lang=self.lang))

    def load_experiment(self, experiment: Experiment) -> None:
        """Show and train ``experiment`` (a resumed session) instead; paused."""
        self.runner.replace(experiment)
        self.experiment = experiment
        from nndojo.core import session

        self.set_pins(session.pins_loaded_with(experiment))
        self._diverged_told = experiment.diverged  # a saved diverged run was told when it happened
        self.redraw(heavy=True)

    def action_save(self) -> None:
        """Save the run (everything needed to continue it exactly) in the working directory."""
        from nndojo.core import session

        try:
            pins = tuple(self.pins)
            cap = self.runner.call(lambda e: session.capture(e, pins))  # between steps; training goes on
            path = session.save(cap, session.default_path(cap, nndojo_app(self).save_dir))
        except (session.SessionError, OSError) as exc:
            self.notify(error_text(exc, self.lang), title=ui("msg.not_saved", self.lang), severity="error", timeout=8)
            return
        self.notify(
            f"{path}\n{ui('msg.resume_with', self.lang, name=path.name)}", title=ui("msg.saved_step", self.lang, step=cap.step), timeout=6
        )

    def action_export_csv(self) -> None:
        """Write the metric history as CSV (metric,step,value,points) in the working directory."""
        from nndojo.core import session

        try:
            pins = tuple(self.pins)
            text = self.runner.call(lambda e: session.history_csv(e, pins))  # between steps; written outside the lock
            path = session.export_csv(text, session.default_path(self.runner.experiment, nndojo_app(self).save_dir, ext="csv"))
        except (session.SessionError, OSError) as exc:
            self.notify(error_text(exc, self.lang), title=ui("msg.not_exported", self.lang), severity="error", timeout=8)
            return
        self.notify(str(path), title=ui("msg.exported", self.lang), timeout=5)

    def action_load(self) -> None:
        from .session_dialog import LoadSession

        def done(path) -> None:
            if path is not None:
                nndojo_app(self).load_session(path)

        self.app.push_screen(LoadSession(nndojo_app(self).save_dir, lang=self.lang), done)

    def action_toggle_plots(self, attribute: str, label: str) -> None:
        """Flip one switch (smoothing, log y) on every plot of the screen together."""
        plots = list(self.query(LinePlot))
        on = not all(getattr(p, attribute) for p in plots)
        for plot in plots:
            setattr(plot, attribute, on)
        key = f"remark.{label.replace(' ', '_')}_{'on' if on else 'off'}"
        self.say(ui(key, self.lang) if key in UI else f"{label} {'on' if on else 'off'}")
        self.redraw()

    def action_scroll_text(self, direction: int) -> None:
        questions = self.query("#question")  # a question's panel in the text's place (p)
        target = questions.first() if questions else self.lesson_text
        if direction > 0:
            target.scroll_page_down()
        else:
            target.scroll_page_up()

    # -- compare runs (c pins the run, C clears) -------------------------------------------
    def action_pin_run(self) -> None:
        """Pin the current run: its curves stay on the plots as a ghost, its figures in the table."""
        if len(self.pins) >= compare.MAX_PINS:
            self.say(ui("remark.pins_full", self.lang, n=compare.MAX_PINS))
            return self.redraw()
        points = min(self.plot_points(), compare.PIN_POINTS)
        run = self.runner.call(lambda e: compare.pin(e, points))  # bounded copies, between steps
        if run.step == 0:
            self.say(ui("remark.pin_nothing", self.lang))
            return self.redraw()
        if self.pins and (self.pins[-1].values, self.pins[-1].seed, self.pins[-1].step) == (run.values, run.seed, run.step):
            self.say(ui("remark.pin_again", self.lang))
            return self.redraw()
        self.set_pins([*self.pins, run])
        self.say(ui("remark.pinned", self.lang, n=len(self.pins)))
        self.redraw()

    def action_clear_pins(self) -> None:
        if not self.pins:
            self.say(ui("remark.no_pins", self.lang))
        else:
            self.set_pins([])
            self.say(ui("remark.pins_cleared", self.lang))
        self.redraw()

    def set_pins(self, pins: list[compare.PinnedRun]) -> None:
        """Compare with ``pins``: the plots' ghosts and the table (shown only with pins)."""
        self.pins = list(pins)
        self._compare_dirty = True
        self.compare_view.display = bool(self.pins)

    def draw_compare(self, snap: Snapshot) -> None:
        """The table of figures of merit: the current run's (measured now) and each pinned run's."""
        self._compare_dirty = False
        current = self.runner.call(compare.measure_figures)
        figures = compare.figures_of(self.runner.experiment)
        title = Text(in_lang(COMPARE_TITLE, self.lang), style="bold")
        # A row per run, none wrapped: the table keeps its height while the pins, the
        # language and the width stay, and new figures need only a repaint (a layout
        # of the whole screen costs 20-30 ms, and this table changes a few times a second).
        shape = (len(self.pins), self.lang, self.compare_view.size.width)
        self.compare_view.update(Group(title, compare_table(figures, current, self.pins, snap, self.lang)),
                                 layout=shape != self._compare_shape)
        self._compare_shape = shape
