"""The playground: the decision map (or regression surface) with train and test points,
the network (a graph of every neuron's output and the weights between them, or a neuron
at a time where the graph does not fit; screens/playground_graph.py), a readout and the
train / test loss."""

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
from .playground_graph import NetworkView
from .layout import Layout, PlotPanel, Row, T, WidgetPanel



#: Seconds between two draws of the panels while training (LessonScreen's default is 0.3).
HEAVY_PERIOD = 0.5


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


LAYOUT = Layout(
    Row(WidgetPanel(map_title, id="plane-map", widget=PlaneMap, heavy=True,
                    reads=("map", "extent", "train_points", "test_points", "train_labels", "test_labels",
                           "task", "class_names", "axis_names"), width="2fr"),
        WidgetPanel(T("network", "신경망"), id="network", widget=NetworkView, heavy=True, width="3fr",
                    subtitle=T("each neuron's output, weights in", "뉴런별 출력과 들어오는 가중치"),
                    reads=("neurons", "neuron_names", "neuron", "neuron_map", "input_maps", "output_maps",
                           "layer_weights", "layer_biases", "layer_inputs", "class_names"))),
    Row(WidgetPanel(T("readout", "판독"), id="readout", widget=Readout, reads=("confusion", "task", "class_names"),
                    width=26, heavy=True),
        PlotPanel(T("loss", "손실"), id="loss-plot",
                  metrics={"train_loss": T("train", "학습"), "test_loss": T("test", "테스트")}, heavy=True),
        height=11),
    status=("test_accuracy",),  # a regression shows its test R² instead (PlaygroundScreen.status_metrics)
    css="#plane-map { min-width: 29; }",  # its title whole at 80x24 ("decision map (x1, x2)")
    speed=3,  # 100 steps/s: the default circle separates in a few seconds, the spiral in about half a minute
)


class PlaygroundScreen(LessonScreen):
    """The playground's screen: the declared panels, and keys for new data and data files."""

    experiment_class = Playground
    panel_layout = LAYOUT
    DEFAULT_CSS = LAYOUT.css  # a screen of its own: the layout's CSS is not added for it
    default_speed = LAYOUT.speed if LAYOUT.speed is not None else 3

    BINDINGS = [
        *LessonScreen.BINDINGS,
        Binding("N,shift+n", "new_data", "New data"),
        Binding("d", "load_data", "Data file"),
        Binding("E,shift+e", "export_model", "Export model", show=False),
        Binding("D,shift+d", "export_data", "Export data", show=False),
        Binding("S,shift+s", "save_setup", "Save setup", show=False),
        Binding("left_square_bracket", "neuron(-1)", "Previous neuron", show=False),
        Binding("right_square_bracket", "neuron(1)", "Next neuron", show=False),
    ]

    status_metrics = LAYOUT.status

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # every panel is heavy (a 40x40 map of up to 1,000 points, the network, the readout,
        # the loss): drawn twice a second while training, the status line every frame
        self.heavy_period = max(self.heavy_period, HEAVY_PERIOD)

    def update_panels(self, snap: Snapshot, heavy: bool) -> None:
        # the status line shows test accuracy, or test R² for a regression (from the next frame)
        # (an instance value over the class's declaration, which the layout checks)
        setattr(self, "status_metrics", ("test_r2",) if snap.views.get("task") == "regression" else LAYOUT.status)
        super().update_panels(snap, heavy)

    def action_turn_page(self) -> None:
        super().action_turn_page()
        # the sized texts lay themselves out for their panel: draw again once the page has its size
        self.call_after_refresh(lambda: self.call_after_refresh(self.redraw, True))

    def action_neuron(self, delta: int) -> None:
        """Move the network view's cursor to the next (``delta`` 1) or previous hidden
        neuron, round the whole network."""
        exp = self.runner.experiment
        count = exp.neuron_count() if isinstance(exp, Playground) else 0
        if count < 1:
            self.say("은닉 뉴런이 없습니다" if self.lang == "ko" else "no hidden neuron")
            return self.redraw()
        self.apply_value("neuron", (exp.values["neuron"] - 1 + delta) % count + 1)
        self.redraw(heavy=True)

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
