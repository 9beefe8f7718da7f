"""HyperPanel: the controls of a lesson, generated from its Experiment's declaration."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from nndojo.core.experiment import HyperParam


class HyperPanel(Widget):
    """One row per declared hyperparameter: ↑/↓ choose a row, ←/→ change its value.

    The panel only shows and chooses; the screen applies a change through the runner
    (so validation happens in one place, the Experiment).
    """

    DEFAULT_CSS = """
    HyperPanel {
        height: auto;
        padding: 0 1;
    }
    """

    selected: reactive[int] = reactive(0)
    """Index of the highlighted row."""

    def __init__(
        self,
        params: Sequence[HyperParam],
        values: Mapping[str, Any],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.params = tuple(params)
        self._values: dict[str, Any] = dict(values)

    @property
    def current(self) -> HyperParam:
        return self.params[self.selected]

    def move(self, delta: int) -> None:
        if self.params:
            self.selected = (self.selected + delta) % len(self.params)

    def select(self, name: str) -> None:
        for i, p in enumerate(self.params):
            if p.name == name:
                self.selected = i

    def set_values(self, values: Mapping[str, Any]) -> None:
        values = dict(values)
        if values != self._values:
            self._values = values
            self.refresh(layout=True)

    def value(self, name: str) -> Any:
        return self._values[name]

    def render(self) -> Text:
        text = Text()
        width = max((len(p.label) for p in self.params), default=0)
        for i, p in enumerate(self.params):
            chosen = i == self.selected
            row = Text()
            row.append("▸ " if chosen else "  ", style="bold cyan" if chosen else "")
            row.append(p.label.ljust(width), style="bold" if chosen else "")
            row.append("  ")
            v = p.format(self._values.get(p.name))
            row.append(f"◂ {v} ▸" if chosen else f"  {v}  ", style="reverse" if chosen else "")
            if p.needs_reset:
                row.append(" ↻", style="dim")
            if i:
                text.append("\n")
            text.append_text(row)
        if self.params:
            p = self.current
            hint = p.describe_range() + ("  (↻ resets)" if p.needs_reset else "")
            text.append("\n")
            text.append(hint, style="dim")
        return text
