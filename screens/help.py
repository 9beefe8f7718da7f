"""Help (key ?): every key, in English or Korean."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nndojo.core.texts._ui import ui
from nndojo.tui.textual_patches import PromptScreen

#: (keys, English, Korean) — the one list of keys, shown here and in the README.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("space", "play / pause training", "학습 시작 / 일시정지"),
    ("n", "one step (training pauses)", "한 스텝만 진행 (일시정지됨)"),
    ("r", "reset with the same seed", "같은 시드로 처음부터"),
    ("R", "reset with a new seed (where the run has randomness)", "새 시드로 처음부터 (무작위성이 있는 학습에서)"),
    ("↑ ↓", "choose a hyperparameter", "하이퍼파라미터 선택"),
    ("← →", "change it (↻ marks a change that resets)", "값 변경 (↻ 표시는 초기화됨)"),
    ("enter", "type an exact value", "값 직접 입력"),
    ("+ -", "speed: 1/s, 5/s, 20/s, 100/s, max", "속도: 1/s, 5/s, 20/s, 100/s, 최대"),
    ("e", "plots: smoothing (EMA) on / off", "그래프: 평활(EMA) 켜기 / 끄기"),
    ("y", "plots: log y axis on / off", "그래프: y축 로그 스케일 켜기 / 끄기"),
    ("g", "plots: log step axis on / off", "그래프: x축(스텝) 로그 스케일 켜기 / 끄기"),
    ("c", "pin this run to compare (up to 4)", "이 실행을 고정해 비교 (최대 4개)"),
    ("C", "clear the pinned runs", "고정한 실행 지우기"),
    ("v", "small screens: next page of panels", "작은 화면: 다음 패널 페이지"),
    ("a", "the model answer to the lesson's interview question", "이 레슨 면접 질문의 모범 답안"),
    ("p", "predict, then run: the lesson's next question (esc puts your run back)", "예측하고 돌려 보기: 이 레슨의 다음 질문 (esc: 원래 학습으로)"),
    ("w", "weights inspector: histograms of every parameter", "가중치 보기: 모든 파라미터의 히스토그램"),
    ("s", "save the run to a file (weights, optimiser, history)", "지금까지의 학습을 파일로 저장 (가중치, 옵티마이저, 기록)"),
    ("o", "load a saved run and continue it", "저장한 학습을 불러와 이어서 하기"),
    ("x", "export the metric history as CSV", "지표 기록을 CSV로 내보내기"),
    ("l", "English / 한국어", "English / 한국어"),
    ("pgup pgdn", "scroll the lesson text", "설명 스크롤"),
    ("tab, shift+tab", "next / previous lesson", "다음 / 이전 레슨"),
    ("1 … 99", "jump to the lesson with that number (1 2 for 12)", "그 번호의 레슨으로 바로 이동 (12는 1 2)"),
    ("ctrl+p", "command palette: every lesson by name", "명령 팔레트: 이름으로 레슨 찾기"),
    ("h, esc", "home: the list of lessons (esc first leaves a question)", "홈: 레슨 목록 (질문 중이면 esc는 먼저 질문을 닫음)"),
    ("d", "on the home screen: the drill (every lesson's questions, then a score)", "홈 화면에서: 모의 면접 (모든 레슨의 질문, 마지막에 점수)"),
    ("?", "this help", "이 도움말"),
    ("q", "quit", "종료"),
)


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
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        ko = self.lang == "ko"
        table = Table(box=None, padding=(0, 1), show_header=False)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for keys, en, kr in KEYS:
            table.add_row(keys, kr if ko else en)
        box = VerticalScroll()
        box.border_title = ui("help.title", self.lang)
        box.border_subtitle = ui("help.close", self.lang)  # in the frame: seen even when the keys scroll
        with box:
            yield Static(table)
