"""HyperPanel: the controls of a lesson, generated from its Experiment's declaration."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from nndojo.core.experiment import HyperParam
from nndojo.core.info import LessonInfo
from nndojo.core.texts._controls import control_text
from nndojo.core.texts._ui import choice_text, ui

#: The note after a control's range: (live, resets the run) by language.
CHANGE_NOTES = {"en": ("  live", "  ↻ resets the run"), "ko": ("  바로 적용", "  ↻ 바꾸면 처음부터")}
#: An on/off control's values by language (English: as HyperParam.format writes them).
ON_OFF = {"ko": {"on": "켬", "off": "끔", "on | off": "켬 | 끔"}}


class HyperPanel(Widget):
    """One row per declared hyperparameter: ↑/↓ choose a row, ←/→ change its value.

    The panel only shows and chooses; the screen applies a change through the runner
    (so validation happens in one place, the Experiment). Labels and help are in
    ``lang`` (see core/texts/_controls.py); the chosen control's help is the tooltip.
    """

    DEFAULT_CSS = """
    HyperPanel {
        height: auto;
        max-height: 65%;
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
        info: LessonInfo | None = None,
        lang: str = "en",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.params = tuple(params)
        self._values: dict[str, Any] = dict(values)
        self.info = info
        self.lang = lang
        self._show_help()

    @property
    def current(self) -> HyperParam:
        return self.params[self.selected]

    def text_of(self, param: HyperParam) -> tuple[str, str]:
        """``param``'s label and help in the panel's language."""
        return control_text(self.info, param.name, self.lang, param.label, param.help)

    def value_text(self, param: HyperParam, value: Any) -> str:
        """``value`` of ``param`` as the panel shows it (a choice's word in the panel's language)."""
        if param.kind == "choice":
            return choice_text(value, self.lang)
        shown = param.format(value)
        return ON_OFF.get(self.lang, {}).get(shown, shown) if param.kind == "bool" else shown

    def set_lang(self, lang: str) -> None:
        """Show the labels and help in ``lang`` (a repaint: the panel keeps its size)."""
        if lang != self.lang:
            self.lang = lang
            self._show_help()
            self._refresh_for_note()

    def watch_selected(self) -> None:
        self._show_help()
        self._refresh_for_note()

    def _refresh_for_note(self) -> None:
        """A repaint; a layout too when the note's number of lines (so the panel's natural
        height) changed."""
        lines = self._note_lines(self.size.width)
        self.refresh(layout=lines != getattr(self, "_laid_note_lines", lines))
        self._laid_note_lines = lines

    def _show_help(self) -> None:
        if self.params:
            self.tooltip = self.text_of(self.current)[1] or None

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

    def _note(self) -> Text:
        """The chosen control's range and whether a change is live or resets the run."""
        p = self.current
        live, resets = CHANGE_NOTES.get(self.lang, CHANGE_NOTES["en"])
        if p.kind == "choice":
            shown_range = " | ".join(choice_text(c, self.lang) for c in p.choices)
        else:
            shown_range = p.describe_range()
            shown_range = ON_OFF.get(self.lang, {}).get(shown_range, shown_range) if p.kind == "bool" else shown_range
        return Text(shown_range + (resets if p.needs_reset else live), style="dim")

    def _note_lines(self, width: int) -> int:
        if not self.params or width <= 0:
            return 0
        try:
            console = self.app.console
        except Exception:  # not mounted in an app: a plain estimate
            return max(1, -(-cell_len(self._note().plain) // width))
        return max(1, len(self._note().wrap(console, width)))

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        """Every row and the note: the panel's natural height (its CSS may allow less;
        then `render` shows a window of rows around the chosen one)."""
        self._laid_note_lines = self._note_lines(width)
        return len(self.params) + self._laid_note_lines

    def window(self, room: int) -> tuple[int, int]:
        """The rows shown in ``room`` lines: (first, end), with a line for "N more"
        above when first > 0 and below when end < the number of rows."""
        n, chosen = len(self.params), self.selected
        if n <= room:
            return 0, n
        if room < 3:
            return chosen, chosen + 1
        if chosen < room - 1:
            return 0, room - 1
        if chosen >= n - (room - 1):
            return n - (room - 1), n
        rows = room - 2
        first = min(max(1, chosen - (rows - 1) // 2), n - rows - 1)
        return first, first + rows

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        width = self.size.width or 40
        note_lines = self._note_lines(width)
        first, end = self.window((self.size.height or len(self.params) + note_lines) - note_lines)
        values = [self.value_text(p, self._values.get(p.name)) for p in self.params]
        labels = [self.text_of(p)[0] for p in self.params]
        # The labels' column is as wide as the longest label where most values fit beside
        # it (the median value, with its ◂ ▸); a row whose value is longer (a loss named
        # "cross_entropy", a file name) shortens only its own label, so one long value
        # does not cut every label ("learning r…").
        typical = sorted(cell_len(v) for v in values)[len(values) // 2] + 4 if values else 4
        label_width = max(min(max((cell_len(label) for label in labels), default=0), width - typical - 3), 4)
        if first > 0:
            text.append("  ▴ " + ui("chart.more", self.lang, n=first) + "\n", style="dim")
        for i, (p, v, label) in enumerate(zip(self.params, values, labels)):
            if not first <= i < end:
                continue
            chosen = i == self.selected
            room = min(label_width, max(width - cell_len(v) - 7, 4))  # 7: ▸↻, a space, ◂ and ▸ with theirs
            if cell_len(label) > room:
                label = set_cell_size(label, room - 1) + "…"
            if i > first:
                text.append("\n")
            text.append("▸" if chosen else " ", style="bold cyan" if chosen else "")
            text.append("↻" if p.needs_reset else " ", style="dim")
            text.append(set_cell_size(label, room), style="bold" if chosen else "")
            text.append(" ")
            text.append(f"◂ {v} ▸" if chosen else f"  {v}", style="reverse" if chosen else "")
        if end < len(self.params):
            text.append("\n  ▾ " + ui("chart.more", self.lang, n=len(self.params) - end), style="dim")
        if self.params:
            text.append("\n")
            text.append(self._note())
        return text
