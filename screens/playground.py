"""The playground: the decision map (or regression surface) with train and test points,
every hidden neuron's output as a small map, the weights into one neuron, a readout and
the train / test loss."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from nndojo.core.experiment import Snapshot
from nndojo.core.lessons.playground import Playground
from nndojo.tui.widgets import DecisionMap
from nndojo.tui.widgets.status import update_in_place

from .base import LessonScreen
from .layout import FilterGridPanel, Layout, PlotPanel, Row, T, TextPanel, WidgetPanel, in_lang

POSITIVE, NEGATIVE = "#5f87ff", "#ff8700"  # Playground's blue and orange
BAR = "▏▎▍▌▋▊▉█"


class PlaneMap(DecisionMap):
    """The decision map or regression surface of the playground's snapshot."""

    def draw(self, snap: Snapshot, lang: str) -> None:
        v = snap.views
        words = ("학습", "테스트") if lang == "ko" else ("train", "test")
        if words != self.point_words:
            self.point_words = words
            self._inputs = None  # draw the legend again even if the data has not changed
        train = (v["train_points"], v["train_labels"])
        test = (v["test_points"], v["test_labels"])
        if v["task"] == "regression":
            self.set_data(v["map"], values=True, vmin=-1.0, vmax=1.0, extent=v["extent"], train=train, test=test,
                          title="")
        else:
            self.set_data(v["map"], extent=v["extent"], train=train, test=test, class_names=list(v["class_names"]),
                          title="")


def map_title(snap: Snapshot, lang: str) -> str:
    x, y = snap.views["axis_names"]
    if snap.views["task"] == "regression":
        return f"{'예측값' if lang == 'ko' else 'prediction'} ({x}, {y})"
    return f"{'결정 경계' if lang == 'ko' else 'decision map'} ({x}, {y})"


def neuron_labels(snap: Snapshot, lang: str) -> list[str]:
    """Each thumbnail's caption; the neuron whose weights are listed is marked ▸."""
    names = list(snap.views["neuron_names"])
    shown = snap.views["neuron"] - 1
    return [("▸" if i == shown else "") + name for i, name in enumerate(names)]


def bar(size: float, width: int) -> str:
    """A bar of ``size`` (0..1) of ``width`` cells, in eighths."""
    eighths = int(round(max(0.0, min(1.0, size)) * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (BAR[part - 1] if part else "")


def weights_text(snap: Snapshot, lang: str, width: int, height: int) -> Text:
    """The incoming weights of the neuron shown: a line per input with its sign (+ blue,
    − orange) and a bar as long as its size against the largest; then its bias."""
    v = snap.views
    t = Text(no_wrap=True, overflow="ellipsis")
    names = list(v["neuron_names"])
    if names == ["—"]:
        t.append("은닉층이 없습니다: 출력이 특성의 선형 결합" if lang == "ko" else
                 "no hidden layer: the output is a linear map of the features")
        return t
    k = min(v["neuron"], len(names)) - 1
    W, b = v["weights_in"][k]
    layer = int(names[k][1:].split(".")[0]) - 1
    inputs = list(v["layer_inputs"][layer])
    big = float(np.max(np.abs(W))) if np.size(W) and np.all(np.isfinite(W)) else 0.0
    t.append(f"{names[k]} ← ", style="bold")
    t.append(f"{'편향' if lang == 'ko' else 'bias'} {b:+.2f}\n")
    rows = max(height - 1, 1)
    label_w = max((len(n) for n in inputs), default=2)
    bar_w = max(width - label_w - 9, 3)
    for i, (name, w) in enumerate(zip(inputs, np.asarray(W).tolist())):
        if i >= rows:
            break
        if i == rows - 1 and len(inputs) > rows:
            t.append(f"… +{len(inputs) - i}\n", style="dim")
            break
        color = POSITIVE if w >= 0 else NEGATIVE
        t.append(f"{name:>{label_w}} ")
        t.append(f"{w:+6.2f} ", style=color)
        t.append(bar(abs(w) / big if big > 0 else 0.0, bar_w), style=color)
        t.append("\n")
    return t


def weight_glyph(w: float, big: float) -> tuple[str, str]:
    """A weight as one character, readable without colour: its sign (+ / −) and size
    (· small, + − medium, ✚ ━ large against the layer's largest), and its colour."""
    if not np.isfinite(w):
        return "×", ""
    size = abs(w) / big if big > 0 else 0.0
    color = POSITIVE if w >= 0 else NEGATIVE
    if size < 0.2:
        return "·", color
    if size < 0.6:
        return ("+" if w >= 0 else "−"), color
    return ("✚" if w >= 0 else "━"), color


def network_text(snap: Snapshot, lang: str, width: int, height: int) -> Text:
    """The whole network's weights, a block per layer side by side: a row per neuron of
    the layer, a column per input (the previous layer's neurons, or the features)."""
    v = snap.views
    inputs_of = list(v["layer_inputs"])
    names = [f"h{i + 1}" for i in range(len(inputs_of) - 1)] + ["out"]
    start = 0
    layers: list[tuple[str, np.ndarray]] = []
    for i, name in enumerate(names):
        # a hidden layer has as many neurons as the next layer has inputs; the output the rest
        count = len(inputs_of[i + 1]) if i + 1 < len(inputs_of) else len(v["weights_in"]) - start
        rows = [W for W, _ in v["weights_in"][start:start + count]]
        start += count
        layers.append((name, np.array(rows)))
    t = Text(no_wrap=True, overflow="ellipsis")
    shown = layers
    used = sum(max(m.shape[1] if m.size else 1, len(n)) + 2 for n, m in layers)
    if used > width:  # too wide: the layers nearest the output
        while shown and sum(max(m.shape[1] if m.size else 1, len(n)) + 2 for n, m in shown) > width - 2:
            shown = shown[1:]
        t.append("… ")
    lines = max((m.shape[0] for _, m in shown), default=0)
    for name, m in shown:
        w = max(m.shape[1] if m.size else 1, len(name))
        t.append(f"{name:<{w}}  ", style="bold")
    for r in range(min(lines, max(height - 1, 1))):
        t.append("\n")
        if used > width:
            t.append("  ")
        for name, m in shown:
            w = max(m.shape[1] if m.size else 1, len(name))
            big = float(np.max(np.abs(m))) if m.size and np.all(np.isfinite(m)) else 0.0
            if r < m.shape[0]:
                for x in m[r].tolist():
                    glyph, color = weight_glyph(x, big)
                    t.append(glyph, style=color)
                t.append(" " * (w - m.shape[1] + 2))
            else:
                t.append(" " * (w + 2))
    return t


def network_rows(snap: Snapshot) -> int:
    """The weights row's height: the taller of the neuron's inputs and the widest layer."""
    v = snap.views
    tallest = max([len(inputs) for inputs in v["layer_inputs"][1:]] + [1])
    return min(max(weights_rows(snap), tallest + 3), 12)


class Readout(Static):
    """Accuracy and test confusion counts (classification) or RMSE and R² (regression),
    the epoch and the training time seen on this screen."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._step = -1
        self._seconds = 0.0
        self._last = time.monotonic()

    def draw(self, snap: Snapshot, lang: str) -> None:
        now = time.monotonic()
        if snap.step < self._step or snap.step == 0:
            self._seconds = 0.0
        elif snap.step > self._step and self._step >= 0 and self._playing():
            self._seconds += min(now - self._last, 1.0)  # training time: steps taken one by one (n) add none
        self._step, self._last = snap.step, now
        update_in_place(self, readout_text(snap, lang, self._seconds))

    def _playing(self) -> bool:
        runner = getattr(self.screen, "runner", None) if self.is_attached else None
        return bool(getattr(runner, "playing", False))


def _fmt(x: float | None, percent: bool = False) -> str:
    if x is None or not np.isfinite(x):
        return "—"
    return f"{x:.1%}" if percent else f"{x:.3f}"


def readout_text(snap: Snapshot, lang: str, seconds: float) -> Text:
    last, v = snap.last, snap.views
    ko = lang == "ko"
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(("학습 / 테스트" if ko else "train / test") + "\n", style="dim")
    if v["task"] == "classification":
        t.append(f"{'정확도' if ko else 'accuracy'} ", style="bold")
        t.append(f"{_fmt(last.get('train_accuracy'), True)} / {_fmt(last.get('test_accuracy'), True)}\n")
        confusion = np.asarray(v["confusion"])
        names = list(v["class_names"])
        t.append(("테스트: 행 정답, 열 예측" if ko else "test: row true, col pred") + "\n", style="dim")
        for i, row in enumerate(confusion.tolist()):
            t.append(f"{names[i][:8]:>8} " + " ".join(f"{c:>4}" for c in row) + "\n")
    else:
        t.append("RMSE ", style="bold")
        t.append(f"{_fmt(last.get('train_rmse'))} / {_fmt(last.get('test_rmse'))}\n")
        t.append("R² ", style="bold")
        t.append(f"{'테스트' if ko else 'test'} {_fmt(last.get('test_r2'))}\n")
    t.append(f"{'손실' if ko else 'loss'} {_fmt(last.get('train_loss'))} / {_fmt(last.get('test_loss'))}\n")
    t.append(f"{'에포크' if ko else 'epoch'} {snap.epoch:.1f}   {'시간' if ko else 'time'} {seconds:.1f}{'초' if ko else ' s'}")
    return t


def weights_title(snap: Snapshot, lang: str) -> str:
    return "들어오는 가중치" if lang == "ko" else "weights in"


def weights_rows(snap: Snapshot) -> int:
    """The weights row's height: a line per input of the neuron shown, its bias and the border."""
    v = snap.views
    names = list(v["neuron_names"])
    if names == ["—"]:
        return 3
    k = min(v["neuron"], len(names)) - 1
    return min(len(v["weights_in"][k][0]), 9) + 3


LAYOUT = Layout(
    Row(WidgetPanel(map_title, id="plane-map", widget=PlaneMap, heavy=True,
                    reads=("map", "extent", "train_points", "test_points", "train_labels", "test_labels",
                           "task", "class_names", "axis_names"), width="3fr"),
        FilterGridPanel(T("hidden neurons", "은닉 뉴런"), id="neurons", view="neurons", labels=neuron_labels,
                        reads=("neuron_names", "neuron"), width="2fr",
                        subtitle=T("each unit's output", "유닛별 출력"))),
    Row(WidgetPanel(T("readout", "판독"), id="readout", widget=Readout, reads=("confusion", "task", "class_names"),
                    width=26),
        PlotPanel(T("loss", "손실"), id="loss-plot",
                  metrics={"train_loss": T("train", "학습"), "test_loss": T("test", "테스트")}),
        height=11),
    Row(TextPanel(weights_title, id="weights-in", text=weights_text, sized=True, heavy=True,
                  subtitle=T("+ blue, − orange", "+ 파랑, − 주황"),  # the neuron control's help says what it picks
                  reads=("weights_in", "layer_inputs", "neuron", "neuron_names")),
        TextPanel(T("all weights", "전체 가중치"), id="network", text=network_text, sized=True,
                  heavy=True, subtitle=T("row neuron, col input", "행 뉴런, 열 입력"),
                  reads=("weights_in", "layer_inputs")),
        height=5, fit=network_rows),
    status=("test_accuracy",),  # a regression shows its test R² instead (PlaygroundScreen.status_metrics)
    speed=3,  # 100 steps/s: the default circle separates in a few seconds, the spiral in about half a minute
)


class PlaygroundScreen(LessonScreen):
    """The playground's screen: the declared panels, and keys for new data and data files."""

    experiment_class = Playground
    panel_layout = LAYOUT
    default_speed = LAYOUT.speed if LAYOUT.speed is not None else 3

    BINDINGS = [
        *LessonScreen.BINDINGS,
        Binding("N,shift+n", "new_data", "New data"),
        Binding("d", "load_data", "Data file"),
        Binding("E,shift+e", "export_model", "Export model", show=False),
        Binding("D,shift+d", "export_data", "Export data", show=False),
        Binding("S,shift+s", "save_setup", "Save setup", show=False),
    ]

    status_metrics = LAYOUT.status

    def update_panels(self, snap: Snapshot, heavy: bool) -> None:
        # the status line shows test accuracy, or test R² for a regression (from the next frame)
        # (an instance value over the class's declaration, which the layout checks)
        setattr(self, "status_metrics", ("test_r2",) if snap.views.get("task") == "regression" else LAYOUT.status)
        super().update_panels(snap, heavy)

    def action_turn_page(self) -> None:
        super().action_turn_page()
        # the sized texts lay themselves out for their panel: draw again once the page has its size
        self.call_after_refresh(lambda: self.call_after_refresh(self.redraw, True))

    def action_save_setup(self) -> None:
        """The whole setup (data, features, network, hyperparameters, seed) as a TOML file."""
        from nndojo.core.playground_setup import write_setup

        self._export("setup", write_setup)

    def _export(self, what: str, write: Any) -> None:
        """Write an export next to the saved sessions and say where (or why not)."""
        from nndojo.tui.typed_app import nndojo_app

        exp = self.runner.experiment
        suffix = {"model": ".py", "data": "-data.csv", "setup": "-setup.toml"}[what]
        path = nndojo_app(self).save_dir / f"nndojo-playground-step{exp.step_count}{suffix}"
        ko = self.lang == "ko"
        try:
            self.runner.call(lambda e: write(e, path))
        except OSError as exc:
            self.notify(str(exc), title="내보내지 못함" if ko else "not exported", severity="error", timeout=8)
            return
        titles = {"model": ("model script (NumPy only)", "모델 스크립트 (NumPy만 필요)"),
                  "data": ("data CSV", "데이터 CSV"),
                  "setup": ("setup: nndojo --setup FILE opens it", "설정: nndojo --setup FILE로 열기")}
        self.notify(str(path), title=titles[what][1 if ko else 0], timeout=6)

    def action_export_model(self) -> None:
        """The trained model as a standalone Python script that needs only NumPy."""
        from nndojo.core.playground_export import export_model

        self._export("model", export_model)

    def action_export_data(self) -> None:
        """The run's points, labels and train/test split as CSV."""
        from nndojo.core.playground_export import export_data

        self._export("data", export_data)

    def action_new_data(self) -> None:
        """Draw the data set again (the next ``data_seed``)."""
        exp = self.runner.experiment
        if exp.values.get("dataset") == "csv":
            self.say("CSV 데이터는 다시 뽑을 수 없습니다" if self.lang == "ko" else "a CSV table cannot be drawn again")
            return self.redraw()
        seed = (exp.values["data_seed"] + 1) % 1000
        if self.apply_value("data_seed", seed):
            self.say(f"새 데이터 #{seed}" if self.lang == "ko" else f"new data #{seed}")
            self.redraw()

    def action_load_data(self) -> None:
        from .playground_data_dialog import DataDialog

        def done(table: Any) -> None:
            if table is None:
                return
            self.runner.call(lambda e: e.load_table(table) if isinstance(e, Playground) else None)
            self.say(f"{table.path}: {len(table.y)}행" if self.lang == "ko" else f"{table.path}: {len(table.y)} rows")
            self.redraw(heavy=True)

        self.app.push_screen(DataDialog(lang=self.lang), done)
