"""HomeScreen: every lesson with its question; enter opens one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from nndojo.core.texts._ui import ui
from nndojo.tui.textual_patches import PromptScreen
from nndojo.tui.typed_app import nndojo_app


class HomeScreen(PromptScreen, Screen):
    BINDINGS = [Binding("enter", "open", "Open", show=False)]

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang
        self._shown_lang = lang  # the language the list was last drawn in

    def compose(self) -> ComposeResult:
        yield Static(ui("home.title", self.lang), id="title")
        yield Static(self._intro(), id="intro")
        yield OptionList(*self._options(), id="lessons")
        yield Static(self._keys(), id="home-keys")

    def _intro(self) -> Text:
        return Text(ui("home.intro", self.lang), style="dim")

    def _keys(self) -> Text:
        """The keys of this screen in one line: a Footer's worth, without its dozen widgets
        (the home screen is the first frame; it comes sooner this way)."""
        keys = (
            ("↑↓", "key.choose"),
            ("enter", "key.open"),
            ("tab", "key.next_lesson"),
            ("l", "key.toggle_lang"),
            ("^p", "key.palette"),
            ("?", "key.help"),
            ("q", "key.quit"),
        )
        t = Text(" ", no_wrap=True, overflow="ellipsis")
        for key, what in keys:
            t.append(key, style="bold")
            t.append(f" {ui(what, self.lang)}  ")
        return t

    def _options(self) -> list[Option]:
        from nndojo.screens import menu_infos

        options = []
        for info in menu_infos():
            t = Text()
            t.append(f"{info.number:>2}  ", style="bold cyan")
            t.append(info.title.get(self.lang) or info.title["en"], style="bold")
            t.append("\n    ")
            t.append(info.question.get(self.lang) or info.question["en"], style="dim")
            options.append(Option(t, id=info.key))
        return options

    def set_lang(self, lang: str, now: bool = True) -> None:
        """Switch the texts' language; with ``now=False`` only when next shown."""
        self.lang = lang
        if now:
            self._shown_lang = lang
        if not now or not self.is_mounted:
            return
        self.query_one("#title", Static).update(ui("home.title", lang))
        self.query_one("#intro", Static).update(self._intro())
        self.query_one("#home-keys", Static).update(self._keys())
        ol = self.query_one(OptionList)
        highlighted = ol.highlighted
        ol.clear_options()
        ol.add_options(self._options())
        ol.highlighted = highlighted

    def on_screen_resume(self) -> None:
        if self._shown_lang != self.lang:
            self.set_lang(self.lang)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # The selection arrives as a message: a key typed right after enter (ctrl+p, ?)
        # may have put a dialog on top meanwhile. Switching lessons under it would leave
        # the dialog on the home screen (the command palette even raises IndexError).
        if not self.is_active:
            return
        if event.option.id is not None:
            nndojo_app(self).open_lesson(event.option.id)

    def action_open(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None and (key := ol.get_option_at_index(ol.highlighted).id) is not None:
            nndojo_app(self).open_lesson(key)
