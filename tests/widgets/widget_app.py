"""The app the widget tests show one widget in."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widget import Widget


class WidgetApp(App[None]):
    """An app showing one widget, full screen; `no_color` overrides the NO_COLOR setting."""

    def __init__(self, widget: Widget, no_color: bool | None = None) -> None:
        super().__init__()
        self.widget = widget
        if no_color is not None:
            self.no_color = no_color  # type: ignore[misc]

    def compose(self) -> ComposeResult:
        yield self.widget
