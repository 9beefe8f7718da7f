"""LessonText: a lesson's question and explanation, in English or Korean."""

from __future__ import annotations

from rich.console import Group
from rich.markdown import Markdown
from rich.text import Text
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from nndojo.core.experiment import LessonInfo


class LessonText(VerticalScroll, can_focus=False):
    """The question in bold, then the explanation (Markdown); ``lang`` switches both."""

    DEFAULT_CSS = """
    LessonText {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    LessonText > Static {
        width: 1fr;
    }
    """

    lang: reactive[str] = reactive("en")
    """"en" or "ko"."""

    def __init__(self, info: LessonInfo, lang: str = "en", *, name=None, id=None, classes=None, disabled=False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.info = info
        self._body = Static()
        self.set_reactive(LessonText.lang, lang)

    def compose(self):
        yield self._body

    def on_mount(self) -> None:
        self._update()

    def watch_lang(self) -> None:
        self._update()

    def _pick(self, texts) -> str:
        return texts.get(self.lang) or texts.get("en", "")

    def _update(self) -> None:
        question = Text(self._pick(self.info.question), style="bold")
        parts = [question, Text(""), Markdown(self._pick(self.info.text))]
        claim = self._pick(self.info.claim) if self.info.claim else ""
        if claim:
            label = "이 화면이 보여 주는 것: " if self.lang == "ko" else "What this screen shows: "
            parts += [Text(""), Text.assemble((label, "bold italic"), (claim, "italic"))]
        self._body.update(Group(*parts))
