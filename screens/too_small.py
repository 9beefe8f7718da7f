"""TooSmall: what the app shows in a terminal below the smallest usable size."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from nndojo.tui.textual_patches import PromptScreen

#: The smallest terminal every screen is laid out for (columns, rows).
MIN_SIZE = (60, 20)


def too_small_message(width: int, height: int) -> str:
    return f"Terminal {width}x{height} is too small: nndojo needs {MIN_SIZE[0]}x{MIN_SIZE[1]}. Enlarge the window (q quits)."


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

    def compose(self) -> ComposeResult:
        yield Static(too_small_message(*self.app.size), id="too-small")

    def on_resize(self) -> None:
        self.query_one("#too-small", Static).update(too_small_message(*self.app.size))
