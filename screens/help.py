"""Help (key ?): every key, in English or Korean."""

from __future__ import annotations

import functools
import io
from typing import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nndojo.core.texts._ui import ui
from nndojo.tui.textual_patches import PromptScreen

#: (keys, English, Korean) — the one list of keys, shown here (short enough for two
#: columns at 80x24) and, in longer words, in the README.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("space", "play / pause training", "학습 시작 / 일시정지"),
    ("n", "one step (training pauses)", "한 스텝 (일시정지됨)"),
    ("r", "reset with the same seed", "같은 시드로 처음부터"),
    ("R", "reset with a new seed", "새 시드로 처음부터"),
    ("↑ ↓", "choose a hyperparameter", "하이퍼파라미터 선택"),
    ("← →", "change it (↻: resets the run)", "값 변경 (↻: 처음부터)"),
    ("enter", "type an exact value", "값 직접 입력"),
    ("+ -", "speed: 1/s … 100/s, max", "속도: 1/s … 100/s, 최대"),
    ("e", "plots: smoothing (EMA) on/off", "그래프 평활(EMA) 켜기/끄기"),
    ("y", "plots: log y axis on/off", "그래프 y축 로그 켜기/끄기"),
    ("g", "plots: log step axis on/off", "그래프 스텝축 로그 켜기/끄기"),
    ("c", "pin this run to compare (up to 4)", "이 실행을 고정해 비교 (최대 4개)"),
    ("C", "clear the pinned runs", "고정한 실행 지우기"),
    ("v", "next page of panels (small screens)", "다음 패널 페이지 (작은 화면)"),
    ("a", "the model answer", "모범 답안"),
    ("p", "predict, then run: a question (esc: back to your run)", "예측하고 돌려 보기: 질문 (esc: 원래 학습으로)"),
    ("w", "weights: each parameter's histogram", "가중치: 파라미터별 히스토그램"),
    ("s", "save the run (weights, optimiser, history)", "학습 저장 (가중치, 옵티마이저, 기록)"),
    ("o", "load a saved run and go on", "저장한 학습을 불러와 이어 하기"),
    ("x", "export the history as CSV", "기록을 CSV로 내보내기"),
    ("l", "English / 한국어", "English / 한국어"),
    ("pgup pgdn", "scroll the lesson text", "설명 스크롤"),
    ("tab, shift+tab", "next / previous lesson", "다음 / 이전 레슨"),
    ("1 … 99", "lesson by number (1 2: 12)", "번호로 레슨 이동 (1 2: 12번)"),
    ("ctrl+p", "find a lesson by name", "이름으로 레슨 찾기"),
    ("h, esc", "home: the lessons (esc first closes a question)", "홈: 레슨 목록 (질문 중이면 esc는 질문 닫기)"),
    ("d", "on home: the drill (all questions, then a score)", "홈에서: 모의 면접 (모든 질문, 끝에 점수)"),
    ("?", "this help", "이 도움말"),
    ("q", "quit", "종료"),
)

#: The narrowest text that takes the keys in two columns (below it: one).
TWO_COLUMNS = 60
#: The key column's width at most ("pgup pgdn"); longer keys wrap between words.
KEY_WIDTH = 9


def key_table(rows: Sequence[tuple[str, str]]) -> Table:
    """One column of keys: each key (bold) beside what it does."""
    table = Table(box=None, padding=(0, 1), pad_edge=False, show_header=False)
    table.add_column(style="bold cyan", max_width=KEY_WIDTH)  # "tab, shift+tab" on two lines
    table.add_column(overflow="fold")
    for keys, text in rows:
        table.add_row(keys, text)
    return table


def _height(rows: tuple[tuple[str, str], ...], width: int) -> int:
    """Lines the keys' table of ``rows`` takes at ``width`` cells."""
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    return len(console.render_lines(key_table(rows), console.options.update_width(width), pad=False))


@functools.lru_cache(maxsize=64)
def best_split(keys: tuple[tuple[str, str], ...], half: int) -> int:
    """Where to split ``keys`` into two columns of ``half`` cells: the split whose taller
    column is the shortest, the one nearest the middle of those.

    The left column only grows and the right only shrinks as the split moves right, so
    their crossing is found by bisection and the ties around it by walking out: about a
    dozen tables laid out instead of two per split (a quarter of a second), once per
    width and language."""
    n = len(keys)
    left = functools.cache(lambda k: _height(keys[:k], half))
    right = functools.cache(lambda k: _height(keys[k:], half))

    def taller(k: int) -> int:
        return max(left(k), right(k))

    lo, hi = 1, n - 1  # the first split where the left column is at least as tall
    while lo < hi:
        mid = (lo + hi) // 2
        if left(mid) >= right(mid):
            hi = mid
        else:
            lo = mid + 1
    best = min((k for k in (lo - 1, lo) if 1 <= k <= n - 1), key=taller)
    low = taller(best)
    first, last = best, best
    while first > 1 and taller(first - 1) == low:
        first -= 1
    while last < n - 1 and taller(last + 1) == low:
        last += 1
    return min(range(first, last + 1), key=lambda k: abs(2 * k - n))


class KeyTable:
    """The keys as a Rich renderable: two columns side by side where the width allows
    (split where the two are most nearly as tall), else one."""

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        self.keys = list(keys)

    def layout(self, console: Console, width: int) -> Table:
        """The table (one column) or a grid of two, for ``width`` cells."""
        if width < TWO_COLUMNS or len(self.keys) < 2:
            return key_table(self.keys)
        half = (width - 2) // 2
        best = best_split(tuple(self.keys), half)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(width=half)
        grid.add_column(width=width - 2 - half)
        grid.add_row(key_table(self.keys[:best]), key_table(self.keys[best:]))
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.layout(console, options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)


class ReadingDialog(PromptScreen, ModalScreen[None]):
    """A box of text to read over the lesson, which goes on training underneath (help,
    the model answer): a VerticalScroll centred on a lightly dimmed screen.

    Only a truecolor terminal dims: on 256 colours (or fewer) a dimmed colour lands on
    the palette's coarse steps, where neighbouring levels of a heatmap merge, so the
    screen underneath is shown as it is (the dialog's border and surface set it apart)."""

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def on_mount(self) -> None:
        self.set_class(self.app.console.color_system != "truecolor", "-no-dim")

    DEFAULT_CSS = """
    ReadingDialog { align: center middle; background: $background 30%; }
    ReadingDialog.-no-dim { background: $background 0%; }
    ReadingDialog > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
        border-title-style: bold; border-title-color: $text; border-subtitle-color: $text-muted;
    }
    """

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(ReadingDialog):
    """Every key, in two columns where the screen is wide enough (at 80x24 they fit
    without scrolling, in both languages)."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]
    DEFAULT_CSS = """
    HelpScreen > VerticalScroll { width: 100; }
    """

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        ko = self.lang == "ko"
        table = KeyTable([(keys, kr if ko else en) for keys, en, kr in KEYS])
        box = VerticalScroll()
        box.border_title = ui("help.title", self.lang)
        box.border_subtitle = ui("help.close", self.lang)  # in the frame: seen even when the keys scroll
        with box:
            yield Static(table)
