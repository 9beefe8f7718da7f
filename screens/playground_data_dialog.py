"""DataDialog: load a CSV file of one's own into the playground (d)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from nndojo.core.playground_data import MAX_ROWS, DataError, Table, read_csv
from nndojo.tui.textual_patches import OrderedInput, PromptScreen

TEXTS = {
    "title": {"en": "Train on a CSV file of your own", "ko": "직접 만든 CSV 파일로 학습"},
    "what": {"en": f"A header row, 2+ numeric feature columns and a label column; at most {MAX_ROWS} rows.",
             "ko": f"첫 줄은 열 이름, 숫자 특성 열 2개 이상과 레이블 열 하나. 최대 {MAX_ROWS}행."},
    "label": {"en": "label column: a name or a position (empty: the last column)",
              "ko": "레이블 열: 이름이나 위치 (비우면 마지막 열)"},
    "keys": {"en": "enter loads · tab next field · esc cancels (nothing changes)",
             "ko": "enter 불러오기 · tab 다음 칸 · esc 취소 (아무것도 바뀌지 않음)"},
    "type_path": {"en": "type the path of a CSV file", "ko": "CSV 파일 경로를 입력하세요"},
}


def t(key: str, lang: str) -> str:
    return TEXTS[key].get(lang) or TEXTS[key]["en"]


def load_table(path: str, label: str) -> Table:
    """Read ``path`` with the label column ``label`` (a name, a 1-based position, or ""
    for the last column); DataError with one line if the file cannot be used."""
    return read_csv(path, label.strip() or None)


class DataDialog(PromptScreen, ModalScreen[Table | None]):
    """A path and a label column to type. Dismisses with the table read, or None when
    cancelled; a bad file is told in one line and the dialog stays (nothing changed)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    DataDialog { align: center middle; }
    DataDialog > Vertical {
        width: 84; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    DataDialog #error { color: $error; height: auto; }
    """

    def __init__(self, lang: str = "en", path: str = "", label: str = "") -> None:
        super().__init__()
        self.lang = lang
        self.path, self.label = path, label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(t("title", self.lang))
            yield Label(t("what", self.lang), classes="dim")
            yield OrderedInput(value=self.path, placeholder="path/to/data.csv", id="path")
            yield Label(t("label", self.lang), classes="dim")
            yield OrderedInput(value=self.label, placeholder="species | 5 | -1", id="label")
            yield Label("", id="error", markup=False)
            yield Label(t("keys", self.lang), classes="dim")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not self.is_active:
            return
        path = self.query_one("#path", Input).value.strip()
        label = self.query_one("#label", Input).value
        error = self.query_one("#error", Label)
        if not path:
            error.update(t("type_path", self.lang))
            return
        try:
            table = load_table(path, label)
        except DataError as exc:
            error.update(str(exc))
            return
        self.dismiss(table)

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(None)
