"""LessonText: a lesson's question and explanation, in English or Korean."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from rich.style import Style
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from nndojo.core.info import LessonInfo


class LessonText(ScrollView, can_focus=False):
    """The question in bold, then the explanation (Markdown); ``lang`` switches both.

    The text is laid out once per language and width into lines, kept, and drawn a
    line at a time: switching language (l) or scrolling shows lines already made,
    instead of rendering the Markdown again (tens of milliseconds for a long text)."""

    DEFAULT_CSS = """
    LessonText {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    """

    lang: reactive[str] = reactive("en")
    """"en" or "ko"."""

    def __init__(self, info: LessonInfo, lang: str = "en", *, name=None, id=None, classes=None, disabled=False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.info = info
        self._lines: dict[tuple[str, int], list[Strip]] = {}
        self.set_reactive(LessonText.lang, lang)
        self._line_args: tuple[list[Strip], int, int, Style] | None = None

    def renderable(self, lang: str) -> Group:
        """The whole text in ``lang``, as Rich renders it."""

        def pick(texts: Mapping[str, str]) -> str:
            return texts.get(lang) or texts.get("en", "")

        parts: list[RenderableType] = [Text(pick(self.info.question), style="bold"), Text(""), Markdown(pick(self.info.text))]
        claim = pick(self.info.claim) if self.info.claim else ""
        if claim:
            label = "이 화면이 보여 주는 것: " if lang == "ko" else "What this screen shows: "
            parts += [Text(""), Text.assemble((label, "bold italic"), (claim, "italic"))]
        return Group(*parts)

    def lines(self) -> list[Strip]:
        """The text in the current language laid out at the current width.

        Every language is laid out at once and padded to the same number of lines, so
        that switching language changes no size: it repaints this panel instead of
        laying out the whole screen again."""
        width = max(self.scrollable_content_region.width, 1)
        key = (self.lang, width)
        if key not in self._lines:
            console = self.app.console
            options = console.options.update(width=width, min_width=width, max_width=width, height=None, highlight=False)
            langs = dict.fromkeys([self.lang, *self.info.question, *self.info.text])
            laid_out = {lang: [Strip(line) for line in console.render_lines(self.renderable(lang), options, pad=False)] for lang in langs}
            height = max(len(lines) for lines in laid_out.values())
            for lang, lines in laid_out.items():
                self._lines[(lang, width)] = lines + [Strip([])] * (height - len(lines))
        return self._lines[key]

    def _update_size(self) -> None:
        lines = self.lines()
        self.virtual_size = Size(self.scrollable_content_region.width, len(lines))
        self.refresh()

    def on_resize(self) -> None:
        self._update_size()

    def on_show(self) -> None:
        self._update_size()  # the language may have changed while hidden

    def watch_lang(self) -> None:
        if self.is_mounted:
            self.scroll_home(animate=False)
            # Hidden (a question's panel in its place), its width is not the one it will
            # have: laying the text out for it would cost tens of ms for nothing.
            if self.display:
                self._update_size()

    def _line_context(self) -> tuple[list[Strip], int, int, Style]:
        """The lines, the first shown, the width and the style every line is drawn with."""
        return self.lines(), self.scroll_offset.y, self.scrollable_content_region.width, self.rich_style

    def render_lines(self, crop: Region) -> list[Strip]:
        # Worked out once for the lines drawn together (Textual's rich_style walks the
        # ancestors on every call).
        self._line_args = self._line_context()
        try:
            return super().render_lines(crop)
        finally:
            self._line_args = None

    def render_line(self, y: int) -> Strip:
        lines, top, width, style = self._line_args or self._line_context()
        index = top + y
        if index >= len(lines):
            return Strip.blank(width, style)
        return lines[index].extend_cell_length(width).apply_style(style)
