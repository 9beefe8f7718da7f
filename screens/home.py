"""HomeScreen: every lesson with its question and the learner's answers to its
questions (✓ right, ✗ missed, · not yet); enter opens one, d starts the drill. The list
scrolls (any number of lessons fits 80x24); a question wraps under its own title."""

from __future__ import annotations

import sys

from rich.table import Table
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
    BINDINGS = [Binding("enter", "open", "Open", show=False), Binding("d", "drill", "Drill", show=False)]

    DEFAULT_CSS = """
    HomeScreen #legend { height: 1; }
    """

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang
        self._shown_lang = lang  # the language the list was last drawn in

    def compose(self) -> ComposeResult:
        yield Static(ui("home.title", self.lang), id="title")
        yield Static(self._intro(), id="intro")
        yield OptionList(*self._options(), id="lessons")
        yield Static(self._legend(), id="legend")
        yield Static(self._keys(), id="home-keys")

    def _intro(self) -> Text:
        return Text(ui("home.intro", self.lang), style="dim")

    def _legend(self) -> Text:
        return Text(" " + ui("home.legend", self.lang), style="dim", no_wrap=True, overflow="ellipsis")

    def _keys(self, width: int | None = None) -> Text:
        """The keys of this screen in one line: a Footer's worth, without its dozen widgets
        (the home screen is the first frame; it comes sooner this way). Keys drop, the
        palette first, when the line is wider than ``width``."""
        keys = [
            ("↑↓", "key.choose"),
            ("enter", "key.open"),
            ("d", "key.drill"),
            ("tab", "key.next_lesson"),
            ("l", "key.toggle_lang"),
            ("^p", "key.palette"),
            ("?", "key.help"),
            ("q", "key.quit"),
        ]
        for drop in (None, "key.palette", "key.next_lesson", "key.choose"):
            keys = [k for k in keys if k[1] != drop]
            t = Text(" ", no_wrap=True, overflow="ellipsis")
            for key, what in keys:
                t.append(key, style="bold")
                t.append(f" {ui(what, self.lang)}  ")
            if not width or t.cell_len - 2 <= width:
                break
        return t

    def on_resize(self) -> None:
        self.query_one("#home-keys", Static).update(self._keys(self.size.width))

    def _options(self) -> list[Option]:
        from nndojo.screens import menu_infos

        store = getattr(self.app, "progress", None) if self.is_attached else None
        answers = store.progress.answers if store is not None and store.loaded.is_set() else {}
        options = []
        for info in menu_infos():
            # number | title and question (wrapping under the title) | progress marks
            grid = LessonRow(box=None, padding=(0, 1), collapse_padding=True, show_header=False, show_edge=False, pad_edge=False, expand=True)  # Table.grid
            grid.add_column(width=3, justify="right", no_wrap=True)
            grid.add_column(ratio=1)
            grid.add_column(justify="right", no_wrap=True)
            t = Text()
            t.append(info.title.get(self.lang) or info.title["en"], style="bold")
            t.append("\n")
            t.append(info.question.get(self.lang) or info.question["en"], style="dim")
            grid.add_row(Text(f"{info.number}", style="bold cyan"), t, marks(info.key, answers.get(info.key, {})))
            grid.plain = f"{info.number:>2}  {t.plain}"
            options.append(Option(grid, id=info.key))
        return options

    def show_progress(self) -> None:
        """Redraw the list with the learner's answers as they stand."""
        lists = self.query(OptionList) if self.is_mounted else None
        if not lists:  # not composed yet (or being torn down): it shows the answers when it is
            return
        ol = lists.first()
        highlighted = ol.highlighted
        ol.clear_options()
        ol.add_options(self._options())
        ol.highlighted = highlighted

    def action_drill(self) -> None:
        nndojo_app(self).start_drill(None)

    def set_lang(self, lang: str, now: bool = True) -> None:
        """Switch the texts' language; with ``now=False`` only when next shown."""
        self.lang = lang
        if now:
            self._shown_lang = lang
        if not now or not self.is_mounted:
            return
        self.query_one("#title", Static).update(ui("home.title", lang))
        self.query_one("#intro", Static).update(self._intro())
        self.query_one("#home-keys", Static).update(self._keys(self.size.width))
        self.query_one("#legend", Static).update(self._legend())
        self.show_progress()

    def on_screen_resume(self) -> None:
        if self._shown_lang != self.lang:
            self.set_lang(self.lang)
        else:
            self.show_progress()  # answers given on the lessons meanwhile

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


class LessonRow(Table):
    """One lesson on the home list (number, title over question, marks) whose str() is
    its text, as a Text prompt's would be."""

    plain = ""

    def __str__(self) -> str:
        return self.plain


def marks(lesson: str, answered: dict) -> Text:
    """One mark per question of ``lesson``: ✓ predicted right, ✗ missed, · not answered
    (the unanswered ones once the lesson's module has loaded: the home screen's first
    frame does not wait for NumPy)."""
    from nndojo.core.info import module_name

    module = sys.modules.get(f"nndojo.core.lessons.{module_name(lesson)}")
    keys = list(answered)
    if module is not None:
        from nndojo.core.lessons import by_key

        declared = [q.key for q in by_key(lesson).questions]
        keys = declared + [k for k in keys if k not in declared]
    t = Text(no_wrap=True)
    for key in keys:
        a = answered.get(key)
        if a is None:
            t.append("·", style="dim")
        elif a.right:
            t.append("✓", style="bold green")
        else:
            t.append("✗", style="bold red")
    if answered:
        right = sum(a.right for a in answered.values())
        t.append(f" {right}/{len(keys)}", style="bold")
    return t
