"""The drill (``nndojo drill``, d on the home screen): every question of every lesson in
the menu, in an order shuffled by the seed, each run live on its own lesson's screen
(through p's flow, screens/predict.py), then a score screen with the lessons to revisit.

A drill left midway (escape, q, a lost terminal) resumes: its order and the answers
given in it are kept in the progress file after every answer, and starting a drill
again (with no --seed, or the same one) goes on at the first question not answered.
Its score counts the answers given in it, before and after the break. A finished
drill, or another --seed, starts a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from nndojo.core.progress import Drill, new_drill, question_id, split_id
from nndojo.core.texts._ui import ui
from nndojo.tui.textual_patches import PromptScreen
from nndojo.tui.typed_app import nndojo_app

from . import predict

if TYPE_CHECKING:
    from nndojo.tui.app import NNDojoApp


#: How many times (0.05 s apart) the drill looks for its question's lesson screen in view.
ASK_TRIES = 200


def all_questions() -> list[str]:
    """Every question id ("<lesson>/<question>") of the lessons in the menu."""
    from nndojo.core.lessons import by_key
    from nndojo.screens import menu_infos

    return [question_id(info.key, q.key) for info in menu_infos() for q in by_key(info.key).questions]


def choose_drill(saved: Drill | None, questions: list[str], seed: int | None) -> tuple[Drill, bool]:
    """The drill to run and whether it resumes ``saved``: an unfinished saved drill of the
    same questions resumes unless another seed is asked for; otherwise a new drill, with
    ``seed`` (or the seed after the last drill's, 0 the first time)."""
    if saved is not None and not saved.finished and sorted(saved.order) == sorted(questions) and seed in (None, saved.seed):
        return saved.copy(), True
    if seed is None:
        seed = saved.seed + 1 if saved is not None else 0
    return new_drill(questions, seed), False


class DrillRun:
    """A drill in progress: asks its next question on that question's lesson screen."""

    def __init__(self, app: "NNDojoApp", drill: Drill) -> None:
        self.app = app
        self.drill = drill
        self.asked: str | None = None

    # -- what the question panel asks of a drill (predict.DrillStep) -------------------------
    def title(self, lang: str) -> str:
        from nndojo.screens import menu_infos

        lesson = split_id(self.asked or "")[0]
        number = next((i.number for i in menu_infos() if i.key == lesson), 0)
        return ui("drill.title", lang, n=self.drill.order.index(self.asked) + 1 if self.asked else 0, total=len(self.drill.order), number=number)

    def answered(self, lesson: str, question: str, predicted: int, shown: int) -> None:
        answer = self.app.progress.record(lesson, question, predicted, shown)
        self.drill.answers[question_id(lesson, question)] = answer
        self.app.progress.set_drill(self.drill)

    def next_key_text(self, lang: str) -> str:
        return ui("drill.last" if self.drill.next_question() is None else "drill.next", lang)

    def advance(self) -> None:
        """p after a verdict: the learner's run back on this lesson, then the next question."""
        self.ask_next()

    def _put_back(self) -> None:
        """The learner's own runs back on every lesson where this drill asked a question."""
        for screen in list(self.app.lesson_screens.values()):
            state = predict.asking(screen)
            if state is not None and state.drill is self:
                state.drill = None  # leaving a drill's question is not leaving the drill
                predict.leave(screen)

    def leave(self) -> None:
        """Escape: the drill stops here (kept: it resumes), home."""
        if self.app.drill is self:
            self.app.drill = None
        right, answered = self.drill.score()
        self.app.action_home()
        self.app.notify(ui("drill.left", self.app.lang, answered=answered, total=len(self.drill.order)), timeout=8)

    # -- the flow ---------------------------------------------------------------------------------
    def ask_next(self) -> None:
        from nndojo.core.lessons import by_key

        self._put_back()
        qid = self.drill.next_question()
        if qid is None:
            self.finish()
            return
        self.asked = qid
        lesson, key = split_id(qid)
        index = next(i for i, q in enumerate(by_key(lesson).questions) if q.key == key)
        app = self.app
        app.open_lesson(lesson)

        def ask(tries: int = 0) -> None:
            # once the lesson's screen is the one in view (its mode may take a frame or two)
            if app.drill is not self:
                return
            screen = app.lesson_screens.get(lesson)
            if screen is not None and app.screen is screen and screen.is_mounted:
                predict.ask(screen, index, drill=self)
            elif tries < ASK_TRIES:
                app.set_timer(0.05, lambda: ask(tries + 1))

        app.call_after_refresh(ask)

    def finish(self) -> None:
        self.drill.finished = True
        self.app.progress.set_drill(self.drill)
        if self.app.drill is self:
            self.app.drill = None
        self.app.action_home()
        self.app.push_screen(DrillScore(self.drill, self.app.lang))


class DrillScore(PromptScreen, Screen[None]):
    """The drill's score and the lessons to revisit (those with a missed prediction)."""

    BINDINGS = [
        Binding("escape", "close", "Home", show=False),
        Binding("d", "new_drill", "New drill", show=False),
    ]

    DEFAULT_CSS = """
    DrillScore #score { height: auto; padding: 1 2 0 2; }
    DrillScore #revisit { height: 1fr; margin: 1 2; border: round $primary; }
    DrillScore #drill-keys { height: 1; background: $panel; }
    """

    def __init__(self, drill: Drill, lang: str = "en") -> None:
        super().__init__()
        self.drill = drill
        self.lang = lang

    def compose(self) -> ComposeResult:
        from nndojo.core.lessons import by_key
        from nndojo.screens import menu_infos

        lang = self.lang
        right, answered = self.drill.score()
        yield Static(ui("drill.score_title", lang, seed=self.drill.seed), id="title")
        score = Text(ui("drill.score", lang, right=right, total=len(self.drill.order)), style="bold")
        missed = self.drill.missed()
        score.append("\n" + ui("drill.revisit" if missed else "drill.all_right", lang), style="" if missed else "green")
        yield Static(score, id="score")
        options = []
        for info in menu_infos():
            qs = {q.key: q for q in by_key(info.key).questions}
            lost = [split_id(m)[1] for m in missed if split_id(m)[0] == info.key]
            if not lost:
                continue
            t = Text(predict.t(info.title, lang), style="bold")
            for key in lost:
                if key in qs:
                    t.append("\n" + ui("drill.missed", lang, question=predict.t(qs[key].text, lang)), style="dim")
            grid = Table.grid(padding=(0, 1), expand=True)  # a missed question wraps under the title
            grid.add_column(width=3, justify="right", no_wrap=True)
            grid.add_column(ratio=1)
            grid.add_row(Text(str(info.number), style="bold cyan"), t)
            options.append(Option(grid, id=info.key))
        revisit = OptionList(*options, id="revisit")
        revisit.display = bool(options)
        yield revisit
        yield Static(Text(" " + ui("drill.keys", lang), no_wrap=True, overflow="ellipsis"), id="drill-keys")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.is_active and event.option.id is not None:
            key = event.option.id
            self.dismiss(None)
            nndojo_app(self).open_lesson(key)

    def action_close(self) -> None:
        if self.is_active:
            self.dismiss(None)

    def action_new_drill(self) -> None:
        if self.is_active:
            app = nndojo_app(self)
            self.dismiss(None)
            app.start_drill(None)
