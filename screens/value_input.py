"""ValueInput: type an exact hyperparameter value (enter on the controls)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from nndojo.core.experiment import HyperParam, HyperParamError
from nndojo.core.info import LessonInfo
from nndojo.core.texts._controls import control_text
from nndojo.core.texts._ui import ui
from nndojo.tui.textual_patches import PromptScreen
from nndojo.tui.textual_patches import OrderedInput


class ValueInput(PromptScreen, ModalScreen[Any]):
    """A one-line prompt under the control's label and help (in ``lang``). Dismisses with
    the validated value (the Experiment checks it again), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    ValueInput { align: center middle; }
    ValueInput > Vertical {
        width: 60; max-width: 95%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ValueInput #error { color: $error; height: auto; }
    ValueInput #help { height: auto; }
    """

    def __init__(self, param: HyperParam, value: Any, *, lang: str = "en", info: LessonInfo | None = None) -> None:
        super().__init__()
        self.param = param
        self.value = value
        self.lang = lang
        self.label, self.help = control_text(info, param.name, lang, param.label, param.help)

    def compose(self) -> ComposeResult:
        p = self.param
        with Vertical():
            yield Label(f"{self.label}  ({p.describe_range()})", id="label", markup=False)
            if self.help:
                yield Label(self.help, id="help", classes="dim", markup=False)
            yield OrderedInput(value=p.format(self.value), id="value")
            yield Label("", id="error")
            yield Label(ui("value.keys", self.lang), classes="dim")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not self.is_active:  # enter typed ahead: already dismissed
            return
        text = event.value.strip()
        candidate: Any = text
        if self.param.kind == "choice":
            candidate = next((c for c in self.param.choices if str(c) == text), text)
        try:
            value = self.param.validate(candidate)
        except HyperParamError as exc:
            # the Experiment's reason is in English; other languages say what fits
            reason = str(exc) if self.lang == "en" else ui("value.bad", self.lang, label=self.label, range=self.param.describe_range())
            self.query_one("#error", Label).update(reason)
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(None)
