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

    def set_values(self, values: Mapping[str, Any], params: Sequence[HyperParam] | None = None) -> None:
        """Show these values (and, if given, the declarations with today's ranges)."""
        values = dict(values)
        params = self.params if params is None else tuple(params)
        if values != self._values or params != self.params:
            self._values = values
            self.params = params
            self.refresh(layout=True)

    def value(self, name: str) -> Any:
        return self._values[name]

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        width = self.size.width or 40
        values = [p.format(self._values.get(p.name)) for p in self.params]
        value_width = max((len(v) for v in values), default=0) + 4
        label_width = max(min(max((len(p.label) for p in self.params), default=0), width - value_width - 3), 4)
        for i, (p, v) in enumerate(zip(self.params, values)):
            chosen = i == self.selected
            label = p.label if len(p.label) <= label_width else p.label[: label_width - 1] + "…"
            if i:
                text.append("\n")
            text.append("▸" if chosen else " ", style="bold cyan" if chosen else "")
            text.append("↻" if p.needs_reset else " ", style="dim")
            text.append(label.ljust(label_width), style="bold" if chosen else "")
            text.append(" ")
            text.append(f"◂ {v} ▸" if chosen else f"  {v}", style="reverse" if chosen else "")
        if self.params:
            p = self.current
            text.append("\n")
            text.append(p.describe_range() + ("  ↻ resets the run" if p.needs_reset else "  live"), style="dim")
        return text
