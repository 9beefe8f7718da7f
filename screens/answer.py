"""The model answer (key a): the lesson's interview question answered as one would in an
interview, in English or Korean."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from nndojo.core.info import LessonInfo
from nndojo.core.texts._ui import ui

from .help import ReadingDialog


class AnswerScreen(ReadingDialog):
    BINDINGS = [Binding("escape,a,q", "close", "Close")]

    DEFAULT_CSS = """
    AnswerScreen > VerticalScroll { width: 80; }
    """

    def __init__(self, info: LessonInfo, lang: str = "en") -> None:
        super().__init__()
        self.info = info
        self.lang = lang

    def compose(self) -> ComposeResult:
        question = self.info.question.get(self.lang) or self.info.question["en"]
        answer = self.info.answer.get(self.lang) or self.info.answer.get("en") or ui("answer.none", self.lang)
        with VerticalScroll():
            yield Static(Text(ui("answer.title", self.lang), style="bold"))
            yield Static(Text(question, style="bold cyan"))
            yield Static(Text(" ".join(answer.split())))  # the text's own line breaks are for the source
            yield Static(Text(ui("answer.close", self.lang), style="dim"))
