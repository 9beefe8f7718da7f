"""Screens from declarations (screens/layout.py): a lesson's LAYOUT builds its screen,
titles and control labels follow the language, and a bad declaration is refused clearly."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from nndojo import screens
from nndojo.core.experiment import Snapshot
from nndojo.core.lessons import by_key
from nndojo.core.texts import info as lesson_info
from nndojo.core.texts._controls import COMMON, control_text
from nndojo.screens import LessonScreen, build_screen, menu_infos, screen_class
from nndojo.screens.layout import (
    HeatmapPanel,
    Layout,
    LayoutError,
    LayoutView,
    Panel,
    PlotPanel,
    Row,
    T,
    TextPanel,
    WidgetPanel,
    in_lang,
)
from nndojo.screens.value_input import ValueInput


def shown_title(panel, lang: str) -> str:
    """A fixed title as shown: a plot's gets " (log)" from its log axes (screens/layout.py LOG_NOTES)."""
    from nndojo.screens.layout import LOG_NOTES, PlotPanel

    note = LOG_NOTES.get((panel.log_y, panel.log_x)) if isinstance(panel, PlotPanel) else None
    return in_lang(panel.title, lang) + (in_lang(note, lang) if note else "")
from nndojo.tui.app import NNDojoApp
from nndojo.tui.widgets import FilterGrid, Heatmap, Histogram, LinePlot

KEYS = [info.key for info in menu_infos()]
SIZE = (120, 40)
WIDGETS = {"plot": LinePlot, "heatmap": Heatmap, "filtergrid": FilterGrid, "histogram": Histogram, "text": Static,
           "widget": Widget}  # a WidgetPanel: the lesson's own widget class


def layout_of(key: str) -> Layout:
    layout = screen_class(key).panel_layout
    assert layout is not None, f"{key}: no layout"
    return layout


# -- every lesson's screen is its declaration ----------------------------------------------


async def titles_and_control_labels_switch_language_with_l(pilot: Any, app: NNDojoApp, lesson: str) -> None:
    """On the lesson as it opened (no step yet): l switches the panels' titles and the
    controls' labels to Korean and back."""
    layout = layout_of(lesson)
    info = lesson_info(lesson)
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    assert screen.experiment.step_count == 0 and app.lang == "en"
    fixed = [(i, p) for i, p in layout.panels() if not callable(p.title)]
    dynamic = [i for i, p in layout.panels() if callable(p.title)]
    before = {i: screen.query_one(f"#{i}").border_title for i in dynamic}
    first = screen.hyperpanel.params[0]
    for lang in ("ko", "en"):
        await pilot.press("l")
        await pilot.pause()
        for panel_id, panel in fixed:
            assert screen.query_one(f"#{panel_id}").border_title == shown_title(panel, lang)
        rendered = screen.hyperpanel.render().plain
        label = control_text(info, first.name, lang, first.label)[0]
        assert label in rendered
        assert (first.label in rendered) == (lang == "en" or label == first.label)
    if dynamic:  # written from the snapshot: Korean after one switch, English after two
        await pilot.press("l")
        await pilot.pause()
        assert all(screen.query_one(f"#{i}").border_title != before[i] for i in dynamic)
        await pilot.press("l")
        await pilot.pause()
        assert all(screen.query_one(f"#{i}").border_title == before[i] for i in dynamic)


async def the_screen_has_the_panels_its_layout_declares(pilot: Any, app: NNDojoApp, lesson: str) -> None:
    """After two steps (from step 0): the panels, rows, widgets and titles the layout
    declares, every plot drawn, everything the layout reads in the snapshot."""
    layout = layout_of(lesson)
    cls = screen_class(lesson)
    assert cls.experiment_class is by_key(lesson)
    assert cls.status_metrics == layout.status
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    assert screen.experiment.step_count == 0 and app.lang == "en"
    await pilot.press("n", "n")
    await pilot.pause()
    assert screen.experiment.step_count == 2
    rows = list(screen.query_one("#panels").query_children(Horizontal))
    assert [len(r.children) for r in rows] == [len(row.panels) for row in layout.rows]
    for (panel_id, panel), widget in zip(layout.panels(), [w for r in rows for w in r.children]):
        assert widget.id == panel_id
        assert isinstance(widget, WIDGETS[panel.kind]), (panel_id, type(widget))
        assert widget.has_class("panel")
        if not callable(panel.title):
            assert widget.border_title == shown_title(panel, "en")
        else:  # written from the snapshot once drawn
            assert widget.border_title
    for plot in screen.query(LinePlot):
        assert plot._series, f"{plot.id} drew nothing"
    # Everything the layout reads is in the lesson's snapshot once it has trained.
    assert layout.missing(screen.runner.snapshot(64), metrics=True) == []


@pytest.mark.parametrize("lesson", KEYS)
async def test_a_lessons_screen_has_its_layouts_panels_and_titles_in_both_languages(lesson: str) -> None:
    """Both checks in one app at 120x40 (one start of the app per lesson): l on the
    lesson as it opened, then two steps and the declared panels."""
    app = NNDojoApp(lesson, seed=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await titles_and_control_labels_switch_language_with_l(pilot, app, lesson)
        await the_screen_has_the_panels_its_layout_declares(pilot, app, lesson)


@pytest.mark.parametrize("lesson", KEYS)
def test_every_control_has_a_korean_label_and_help(lesson: str) -> None:
    info = lesson_info(lesson)
    for p in by_key(lesson).hyperparams:
        label, help_ = control_text(info, p.name, "ko", p.label, p.help)
        assert label != p.label or p.name in info.controls or p.name in COMMON, p.name
        assert any("\uac00" <= ch <= "\ud7a3" for ch in label + help_), f"{lesson}.{p.name}: no Korean"
        assert control_text(info, p.name, "en", p.label, p.help) == (p.label, p.help)


def test_control_text_prefers_the_lessons_own_then_the_shared_then_english() -> None:
    gd = lesson_info("gradient-descent") if "gradient-descent" in KEYS else None
    if gd is not None:
        assert control_text(gd, "learning_rate", "ko", "learning rate α")[0] == gd.controls["learning_rate"].label["ko"]
    assert control_text(None, "learning_rate", "ko", "learning rate")[0] == COMMON["learning_rate"].label["ko"]
    assert control_text(None, "no_such_control", "ko", "mystery", "what it does") == ("mystery", "what it does")
    assert control_text(None, "learning_rate", "fr", "learning rate", "h") == ("learning rate", "h")


async def test_value_dialog_shows_the_label_and_help_in_korean() -> None:
    lesson = KEYS[0]
    app = NNDojoApp(lesson, seed=0, lang="ko")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ValueInput)
        p = dialog.param
        label, help_ = control_text(lesson_info(lesson), p.name, "ko", p.label, p.help)
        assert label in str(dialog.query_one("#label").render())
        assert help_ and help_ in str(dialog.query_one("#help").render())
        await pilot.press("escape")


# -- a declaration that cannot work is refused, clearly --------------------------------------


def test_an_unknown_widget_kind_is_refused() -> None:
    plot = PlotPanel(T("loss", "손실"), metrics=("loss",))
    with pytest.raises(LayoutError, match="'sparkline' is not a panel"):
        Row(plot, "sparkline")  # type: ignore[arg-type]
    with pytest.raises(LayoutError, match="is not a panel"):
        Layout(Row(plot), object())  # type: ignore[arg-type]
    with pytest.raises(LayoutError, match="is not a panel"):
        Row(Panel(T("bare", "기본")))  # the base is no kind
    with pytest.raises(LayoutError, match="is not a panel"):
        Layout({"kind": "heatmap"})  # type: ignore[arg-type]


def test_titles_must_be_bilingual_and_ids_unique() -> None:
    with pytest.raises(LayoutError, match="no text in ko"):
        PlotPanel({"en": "loss"}, metrics=("loss",))
    with pytest.raises(LayoutError, match="non-empty list of metric names"):
        PlotPanel(T("loss", "손실"), metrics="loss")
    with pytest.raises(LayoutError, match="no text in ko"):
        PlotPanel(T("acc", "정확도"), metrics={"test_accuracy": {"en": "test"}})
    with pytest.raises(LayoutError, match="share the id 'loss-plot'"):
        Layout(Row(PlotPanel(T("a", "가"), metrics=("loss",)), PlotPanel(T("b", "나"), metrics=("loss", "x"))))


def snapshot(views: dict, metrics: dict | None = None) -> Snapshot:
    return Snapshot(step=0, epoch=0.0, diverged=False, converged=False, values={}, hyperparams=(),
                    metrics=metrics or {}, last={}, views=views, seed=0)


def test_a_view_the_snapshot_lacks_is_named_at_the_first_draw() -> None:
    layout = Layout(HeatmapPanel(T("map", "지도"), view="surfac"), PlotPanel(T("loss", "손실"), metrics=("loss",)))
    snap = snapshot({"surface": [[0.0]]})
    assert layout.missing(snap) == ["view 'surfac'"]
    assert layout.missing(snap, metrics=True) == ["view 'surfac'", "metric 'loss'"]
    with pytest.raises(LayoutError, match=r"reads view 'surfac'.*views: surface"):
        layout.check(snap)
    # A lesson's own view declares what its function reads: checked before any drawing.
    own = Layout(TextPanel(T("dot", "내적"), text=lines, reads=("dot",)))
    with pytest.raises(LayoutError, match="reads view 'dot'"):
        LayoutView(own, "en").draw(snap, heavy=False)


async def test_a_screen_whose_layout_reads_a_missing_view_says_so(monkeypatch) -> None:
    lesson = KEYS[0]
    bad = Layout(HeatmapPanel(T("map", "지도"), id="surface", view="no_such_view"))
    monkeypatch.setattr("nndojo.tui.app.screen_class", lambda key: build_screen(key, bad, LessonScreen))
    app = NNDojoApp(lesson, seed=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any("no_such_view" in n and "LayoutError" in n for n in notes), notes
        assert app.is_running


# -- a lesson's own view ----------------------------------------------------------------------


class StepCounter(Static):
    """A lesson's own widget: draws the step."""

    def draw(self, snap: Snapshot, lang: str) -> None:
        self.update(f"{'스텝' if lang == 'ko' else 'step'} {snap.step}", layout=False)


def lines(snap: Snapshot, lang: str, width: int) -> Text:
    return Text(f"{snap.step} @ {width}")


async def test_own_views_heavy_and_light_and_a_custom_screen_base(monkeypatch) -> None:
    lesson = KEYS[0]

    class Tinted(LessonScreen):
        """A lesson's own screen class: the layout still draws."""

    layout = Layout(
        Row(WidgetPanel(T("counter", "카운터"), id="counter", widget=StepCounter),
            TextPanel(T("slow", "느림"), id="slow", text=lines, heavy=True), height=5),
        status=("loss",),
        css="#counter { width: 2fr; }",
    )
    cls = build_screen(lesson, layout, Tinted)
    assert issubclass(cls, Tinted) and cls.panel_layout is layout
    monkeypatch.setattr("nndojo.tui.app.screen_class", lambda key: cls)
    app = NNDojoApp(lesson, seed=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Tinted)
        counter, slow = screen.query_one("#counter", StepCounter), screen.query_one("#slow", Static)
        assert str(counter.render()) == "step 1"
        assert str(slow.render()).startswith("1 @ ")
        assert counter.size.width > slow.size.width  # the layout's own CSS
        assert counter.parent is not None and counter.parent.size.height == 5
        screen.runner.step_once()
        snap = screen.runner.snapshot(64)
        assert screen.panels_view is not None
        screen.panels_view.draw(snap, heavy=False)  # light only: the heavy panel keeps step 1
        assert str(counter.render()) == "step 2" and str(slow.render()).startswith("1 @ ")
        screen.panels_view.draw(snap, heavy=True)
        assert str(slow.render()).startswith("2 @ ")
        await pilot.press("l")
        await pilot.pause()
        assert str(counter.render()) == "스텝 2" and counter.border_title == "카운터"


def test_a_widget_that_cannot_draw_is_refused() -> None:
    panel = WidgetPanel(T("x", "엑스"), widget=Static)
    with pytest.raises(LayoutError, match="has no draw"):
        panel.make()


def test_a_screen_module_without_layout_or_screen_is_refused(monkeypatch) -> None:
    import types

    module = types.ModuleType("nndojo.screens.fake")
    monkeypatch.setattr("nndojo.screens.import_module", lambda name: module)
    monkeypatch.setattr("nndojo.screens.has_screen", lambda key: True)
    screens.screen_class.cache_clear()
    try:
        with pytest.raises(KeyError, match="defines no LAYOUT"):
            screen_class(KEYS[0])
        module.LAYOUT = "rows"  # type: ignore[attr-defined]
        with pytest.raises(TypeError, match="LAYOUT must be a Layout"):
            screen_class(KEYS[0])
    finally:
        screens.screen_class.cache_clear()
