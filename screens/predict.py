"""p on a lesson: predict, then run.

The lesson's next question opens in a dialog; the learner picks a choice (1-4, or ↑↓
and enter). The lesson then trains the question's own run (its setup, seed and step
budget) in place of the learner's, paced to show its effect in a few seconds, and the
sidebar says "you predicted X, the run shows Y" with the explanation. The run stays to
explore. Escape puts back the learner's own run exactly as it was before p: the very
Experiment object (hyperparameters, model, history), its speed and play/pause. The
question's run is a separate Experiment; the learner's is never touched.

The drill (screens/drill.py) asks its questions through the same flow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from nndojo.core import questions
from nndojo.core.experiment import Experiment, HyperParamError
from nndojo.core.questions import Question, QuestionError
from nndojo.core.texts._ui import ui
from nndojo.tui.runner import SPEEDS
from nndojo.tui.textual_patches import PromptScreen

if TYPE_CHECKING:
    from .base import LessonScreen

#: A question's run is paced to last about this long (a lesson whose steps are slower
#: than that pace goes as fast as it can).
PLAY_SECONDS = 3.0
#: How often the sidebar looks whether the question's run has reached its verdict.
POLL_SECONDS = 0.1
#: Keys that would change the question's run before its verdict (afterwards it is the
#: learner's to explore).
BLOCKED_BEFORE_VERDICT = frozenset({"change", "edit_value", "reset", "reset_new_seed", "step_once", "load"})


class DrillStep(Protocol):
    """What a drill (screens/drill.py) hears from the question it asked."""

    def title(self, lang: str) -> str: ...
    def answered(self, lesson: str, question: str, predicted: int, shown: int) -> None: ...
    def next_key_text(self, lang: str) -> str: ...
    def advance(self) -> None: ...
    def leave(self) -> None: ...


def t(texts: Any, lang: str) -> str:
    """A {"en", "ko"} text in ``lang`` (English if missing)."""
    return texts.get(lang) or texts["en"]


def pace(steps: int) -> float:
    """Steps per second that show a budget of ``steps`` in about PLAY_SECONDS."""
    return max(steps / PLAY_SECONDS, 1.0) if PLAY_SECONDS > 0 else 0.0


@dataclass
class Saved:
    """The learner's own run as it was before p."""

    experiment: Experiment
    speed_index: int
    pace: float | None
    playing: bool
    diverged_told: bool


@dataclass
class Asking:
    """The question in progress on one lesson screen."""

    saved: Saved
    index: int = -1  # into the Experiment class's questions
    question: Question | None = None
    predicted: int | None = None
    experiment: Experiment | None = None  # the question's own run
    shown: int | None = None  # the verdict: the choice the run showed
    failed: str = ""
    drill: DrillStep | None = None
    timer: Timer | None = None
    panel: "QuestionPanel | None" = None
    last_text: str = field(default="", repr=False)
    #: Lines the panel's text takes (the taller language's) at the width it was laid out for.
    last_height: int = field(default=0, repr=False)

    @property
    def running(self) -> bool:
        """The question's run is on and its verdict not yet given."""
        return self.experiment is not None and self.shown is None and not self.failed


def asking(screen: "LessonScreen") -> Asking | None:
    value: Asking | None = getattr(screen, "asking", None)
    return value


def lesson_questions(screen: "LessonScreen") -> tuple[Question, ...]:
    return screen.experiment_class.questions


# -- the dialog --------------------------------------------------------------------------
class QuestionDialog(PromptScreen, ModalScreen["int | None"]):
    """The question and its choices. Dismisses with the chosen index, None on escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        *[Binding(str(i + 1), f"pick({i})", show=False) for i in range(4)],
    ]

    DEFAULT_CSS = """
    QuestionDialog { align: center middle; background: $background 30%; }
    QuestionDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    QuestionDialog #q-title { color: $text-accent; text-style: bold; }
    QuestionDialog #q-text { height: auto; margin: 1 0; }
    QuestionDialog OptionList { height: auto; max-height: 10; border: none; padding: 0; }
    QuestionDialog #q-keys { height: auto; color: $text-muted; }
    """

    def __init__(self, question: Question, title: str, lang: str = "en") -> None:
        super().__init__()
        self.question = question
        self.title_text = title
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(Text(self.title_text), id="q-title")
            yield Static(Text(t(self.question.text, lang)), id="q-text")
            yield OptionList(*[Option(Text(f"{i + 1}  {t(c, lang)}"), id=str(i)) for i, c in enumerate(self.question.choices)], id="choices")
            yield Static(Text(ui("predict.pick", lang, n=len(self.question.choices))), id="q-keys")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = 0
        choices.focus()

    def action_pick(self, index: int) -> None:
        if self.is_active and 0 <= index < len(self.question.choices):
            self.dismiss(index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.is_active and event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(None)


# -- the panel in the sidebar -----------------------------------------------------------------
class QuestionPanel(VerticalScroll):
    """The question, the prediction, the run's progress and then its verdict, in the
    sidebar where the lesson text is (the lesson text comes back on escape)."""

    DEFAULT_CSS = """
    QuestionPanel { height: 1fr; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="question")
        self.body = Static(id="question-body")

    def compose(self) -> ComposeResult:
        yield self.body


def render(state: Asking, lang: str) -> Text:
    """What the panel says about ``state``."""
    q = state.question
    assert q is not None and state.predicted is not None
    out = Text()
    title = state.drill.title(lang) if state.drill is not None else ui("predict.title", lang, n=state.index + 1, total=max(len(lesson_questions_of(state)), 1))
    out.append(title + "\n", style="bold")
    if state.shown is not None:
        # the verdict first: on a small screen it is what must be seen without scrolling
        predicted, shown = t(q.choices[state.predicted], lang), t(q.choices[state.shown], lang)
        right = state.predicted == state.shown
        out.append(ui("predict.verdict", lang, predicted=predicted, shown=shown) + " ", style="bold")
        out.append(ui("predict.right" if right else "predict.wrong", lang) + "\n", style="bold green" if right else "bold yellow")
        out.append(state.drill.next_key_text(lang) if state.drill is not None else ui("predict.keys_done", lang), style="dim")
        out.append("\n")
        if state.shown != q.explains:
            out.append(ui("predict.unexpected", lang) + "\n", style="yellow")
        out.append(t(q.explanation, lang) + "\n")
        out.append(ui("predict.explore", lang) + "\n\n", style="dim")
    out.append(t(q.text, lang) + "\n", style="bold cyan")
    for i, choice in enumerate(q.choices):
        mark = "▶" if i == state.predicted else " "
        style = "bold" if i == state.predicted else ""
        if state.shown is not None and i == state.shown:
            style += " green" if state.shown == state.predicted else " yellow"
        out.append(f"{mark} {i + 1} {t(choice, lang)}\n", style=style.strip())
    if state.failed:
        out.append("\n" + ui("predict.failed", lang, error=state.failed) + "\n", style="red")
        out.append(ui("predict.keys_failed", lang), style="dim")
    elif state.shown is None:
        # no live step count here: the status line has it, and the panel stays still
        # while the run plays (no extra frames competing with keys)
        out.append("\n" + ui("predict.running", lang, steps=q.steps) + "\n")
        out.append(ui("predict.keys_running", lang), style="dim")
    return out


def lesson_questions_of(state: Asking) -> tuple[Question, ...]:
    return type(state.saved.experiment).questions


# -- the flow -----------------------------------------------------------------------------
def next_index(screen: "LessonScreen") -> int:
    """The question p asks next: after the last one asked (cycling); the first time, the
    first one not answered yet (the first one if all are)."""
    qs = lesson_questions(screen)
    last: int | None = getattr(screen, "last_question", None)
    if last is not None:
        return (last + 1) % len(qs)
    answered = set()
    store = getattr(screen.app, "progress", None)
    if store is not None:
        answered = set(store.progress.answers.get(screen.runner.experiment.info.key, {}))
    return next((i for i, q in enumerate(qs) if q.key not in answered), 0)


def on_p(screen: "LessonScreen") -> None:
    """Key p: the next question (in a drill: the next drill question, once this one is answered)."""
    state = asking(screen)
    if state is not None and state.drill is not None:
        if state.shown is not None or state.failed:
            state.drill.advance()
        else:
            screen.say(ui("predict.drill_wait", screen.lang))
            screen.redraw()
        return
    if not lesson_questions(screen):
        screen.notify(ui("predict.none", screen.lang), timeout=4)
        return
    ask(screen, next_index(screen))


def ask(screen: "LessonScreen", index: int, drill: DrillStep | None = None) -> None:
    """Open question ``index`` of the lesson; once a choice is picked, run it."""
    qs = lesson_questions(screen)
    question = qs[index]
    state = asking(screen)
    runner = screen.runner
    fresh = state is None
    if state is None:
        # the learner's run as it is now; it waits, paused, while the dialog is open
        saved = Saved(runner.experiment, runner.speed_index, runner.pace, runner.playing, screen._diverged_told)
        state = Asking(saved)
        runner.pause()
    elif state.running:
        runner.pause()  # the question in view waits (esc in the dialog lets it go on)
    screen.last_question = index  # type: ignore[attr-defined]
    if drill is not None:
        title = drill.title(screen.lang)
    else:
        title = ui("predict.title", screen.lang, n=index + 1, total=len(qs))
    was_running = state.running

    def picked(choice: int | None) -> None:
        if choice is None:
            if drill is not None:  # escape in a drill's question leaves the drill
                if fresh:
                    _resume_saved(screen, state.saved)
                else:
                    state.drill = None
                    leave(screen)
                drill.leave()
            elif fresh:
                _resume_saved(screen, state.saved)
            elif was_running:
                runner.play()
            return
        screen.asking = state  # type: ignore[attr-defined]
        start(screen, state, index, question, choice, drill)

    screen.app.push_screen(QuestionDialog(question, title, screen.lang), picked)


def start(screen: "LessonScreen", state: Asking, index: int, question: Question, choice: int, drill: DrillStep | None) -> None:
    """Train question ``index``'s own run in place of the learner's, where it can be watched."""
    runner = screen.runner
    try:
        experiment = questions.build(type(state.saved.experiment), question)
    except (HyperParamError, QuestionError) as exc:
        screen.notify(str(exc), severity="error", timeout=8)
        return
    experiment.stops_when_converged = False  # the whole budget, as the tests run it
    state.index, state.question, state.predicted = index, question, choice
    state.experiment, state.shown, state.failed, state.drill = experiment, None, "", drill
    state.last_text = ""
    state.last_height = 0
    runner.replace(experiment)  # paused
    runner.pause_at = question.steps
    runner.pace = pace(question.steps) or None
    if runner.pace is None:
        runner.speed_index = len(SPEEDS) - 1  # unpaced: as fast as it goes
    runner.error = None
    screen.experiment = experiment
    screen._diverged_told = False
    _show_panel(screen, state)
    runner.play()
    if state.timer is None:
        state.timer = screen.set_interval(POLL_SECONDS, lambda: poll(screen))
    poll(screen)
    screen.redraw(heavy=True)


def _show_panel(screen: "LessonScreen", state: Asking) -> None:
    if state.panel is None:
        state.panel = QuestionPanel()
        screen.query_one("#sidebar").mount(state.panel, before=screen.lesson_text)
        screen.lesson_text.display = False


def poll(screen: "LessonScreen") -> None:
    """Follow the question's run: at its budget (or divergence), the verdict."""
    state = asking(screen)
    if state is None or state.experiment is None or state.question is None:
        return
    runner = screen.runner
    question = state.question
    if runner.experiment is not state.experiment:
        return
    done = runner.call(lambda e: e.step_count >= question.steps or e.diverged)
    if state.running and runner.error is not None and not runner.playing:
        state.failed = repr(runner.error)
    elif state.running and done:
        try:
            shown = runner.call(lambda e: questions.shown(question, e))
        except Exception as exc:  # a lesson's outcome that fails: say so, keep the app
            state.failed = repr(exc)
        else:
            state.shown = shown
            runner.pause_at = None  # from here on the run is the learner's to explore
            mark = ui("predict.right" if shown == state.predicted else "predict.wrong", screen.lang)
            screen.say(mark)  # on the status line too: the sidebar may be narrow
            screen.redraw()
            store = getattr(screen.app, "progress", None)
            lesson = state.saved.experiment.info.key
            assert state.predicted is not None
            if state.drill is not None:
                state.drill.answered(lesson, question.key, state.predicted, shown)
            elif store is not None:
                store.record(lesson, question.key, state.predicted, shown)  # saved off this thread
    if state.panel is not None:
        text = render(state, screen.lang)
        if text.plain != state.last_text:
            # a text of the same shape (digits changed) redraws without a new layout
            same_shape = re.sub(r"\d", "0", text.plain) == re.sub(r"\d", "0", state.last_text)
            state.last_text = text.plain
            body = state.panel.body
            height = state.last_height
            if not same_shape:
                # As tall in every language (blank lines under the shorter), so that l
                # repaints the panel instead of laying out the whole screen again.
                width = body.size.width
                texts = {lang: text if lang == screen.lang else render(state, lang) for lang in ("en", "ko")}
                lines = {lang: len(t.wrap(screen.app.console, width)) for lang, t in texts.items()} if width > 0 else {}
                height = max(lines.values()) if lines else 0
                text.append("\n" * (height - lines.get(screen.lang, height)))
            body.update(text, layout=not same_shape and (height != state.last_height or height == 0))
            state.last_height = height
            if state.shown is not None and not same_shape:
                state.panel.scroll_home(animate=False)


def leave(screen: "LessonScreen") -> bool:
    """Escape: the learner's own run back exactly as it was before p. False if no
    question is in progress (escape then goes home)."""
    state = asking(screen)
    if state is None:
        return False
    screen.asking = None  # type: ignore[attr-defined]
    if state.timer is not None:
        state.timer.stop()
    if state.panel is not None:
        state.panel.remove()
        screen.lesson_text.display = True
    _resume_saved(screen, state.saved)
    if state.drill is not None:
        state.drill.leave()
    return True


def _resume_saved(screen: "LessonScreen", saved: Saved) -> None:
    runner = screen.runner
    if runner.experiment is not saved.experiment:
        runner.replace(saved.experiment)
    runner.pause_at = None
    runner.pace = saved.pace
    runner.speed_index = saved.speed_index
    runner.error = None
    screen.experiment = saved.experiment
    screen._diverged_told = saved.diverged_told
    if saved.playing:
        runner.play()
    screen.redraw(heavy=True)


def allowed(screen: "LessonScreen", action: str) -> bool:
    """Whether a key's action may run now: not those that would change a question's run
    before its verdict."""
    state = asking(screen)
    return state is None or not state.running or action not in BLOCKED_BEFORE_VERDICT
