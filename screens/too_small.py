"""TooSmall: what the app shows in a terminal below the smallest usable size."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from nndojo.core.texts._ui import ui
from nndojo.tui.textual_patches import PromptScreen

#: The smallest terminal every screen is laid out for (columns, rows).
MIN_SIZE = (60, 20)


def too_small_message(width: int, height: int, lang: str = "en") -> str:
    return ui("too_small", lang, width=width, height=height, min_width=MIN_SIZE[0], min_height=MIN_SIZE[1])


class TooSmall(PromptScreen, ModalScreen[None]):
    """One line asking for a larger terminal. Training goes on underneath; the app
    removes this screen as soon as the terminal is large enough again."""

    DEFAULT_CSS = """
    TooSmall {
        background: $background;
        align: left top;
    }
    TooSmall > Static {
        width: 1fr;
        height: auto;
        color: $warning;
        text-style: bold;
    }
    """

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Static(too_small_message(*self.app.size, self.lang), id="too-small")

    def on_resize(self) -> None:
        self.query_one("#too-small", Static).update(too_small_message(*self.app.size, self.lang))
