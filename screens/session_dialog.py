"""LoadSession: pick a saved session (o on a lesson) and resume it."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from nndojo.core import session
from nndojo.core.texts._ui import ui
from nndojo.tui.textual_patches import PromptScreen
from nndojo.tui.textual_patches import OrderedInput

#: At most this many saved sessions are listed (the newest first).
LISTED = 8


def saved_sessions(directory: Path) -> list[tuple[Path, dict]]:
    """The session files in ``directory`` (newest first) with their metadata; files
    that are not sessions are left out."""
    try:
        files = sorted(directory.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return []
    found = []
    for path in files[: 4 * LISTED]:
        try:
            found.append((path, session.peek(path)))
        except (session.SessionError, OSError):
            continue
        if len(found) == LISTED:
            break
    return found


class LoadSession(PromptScreen, ModalScreen[Path | None]):
    """A path to type, and the sessions saved in the working directory to choose from.
    Dismisses with the chosen path (the app loads it and says what went wrong, if
    anything), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    LoadSession { align: center middle; }
    LoadSession > Vertical {
        width: 84; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    LoadSession OptionList { height: auto; max-height: 10; min-width: 12; }
    LoadSession #error { color: $error; height: auto; }
    """

    def __init__(self, directory: Path, lang: str = "en") -> None:
        super().__init__()
        self.directory = directory
        self.lang = lang
        self.found = saved_sessions(directory)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(ui("load.title", self.lang))
            first = str(self.found[0][0]) if self.found else ""
            yield OrderedInput(value=first, placeholder="path/to/nndojo-LESSON-stepN.npz", id="path")
            if self.found:
                yield Label(ui("load.saved_in", self.lang, directory=self.directory), classes="dim", markup=False)
                yield OptionList(*(self._option(p, meta) for p, meta in self.found), id="found")
            else:
                yield Label(ui("load.none_in", self.lang, directory=self.directory), classes="dim", markup=False)
            yield Label("", id="error")
            yield Label(ui("load.keys", self.lang), classes="dim")

    def _option(self, path: Path, meta: dict) -> Option:
        t = Text()
        t.append(path.name, style="bold")
        step = meta.get("step", "?")
        title = meta.get("title", meta.get("lesson", "?"))
        if self.lang != "en":  # the lesson's title in the dialog's language, if it is in the menu
            from nndojo.core.texts import infos

            title = next((i.title.get(self.lang) or title for i in infos() if i.key == meta.get("lesson")), title)
        saved_at = str(meta.get("saved_at", ""))[:16].replace("T", " ")
        t.append(ui("load.option", self.lang, title=title, step=f"{step:,}" if isinstance(step, int) else step, saved_at=saved_at), style="dim")
        return Option(t, id=str(path))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not self.is_active:  # keys typed ahead: already dismissed
            return
        text = event.value.strip()
        if not text:
            self.query_one("#error", Label).update(ui("load.type_path", self.lang))
            return
        self.dismiss(Path(text).expanduser())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.is_active and event.option.id is not None:
            self.dismiss(Path(event.option.id))

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(None)
