"""A lesson screen declared, not coded: rows of panels, each a widget kind, its title in
English and Korean, the snapshot fields it draws and whether it is heavy.

    LAYOUT = Layout(
        Row(HeatmapPanel(T("loss surface", "손실 곡면"), view="log_surface", cmap="sequential")),
        Row(PlotPanel(T("loss", "손실"), metrics=("loss",), log_y=True),
            TextPanel(T("step size", "스텝 크기"), text=step_info)),
        status=("loss", "grad_norm"),
    )

``LessonScreen`` composes and draws a layout with no per-lesson code (screens/base.py);
``screens.screen_class`` builds a lesson's screen from its module's ``LAYOUT``. A view no
kind covers is a ``TextPanel`` (a function snapshot -> rich Text) or a ``WidgetPanel``
(a small widget class with ``draw(snap, lang)``).

Heavy panels (maps, grids, histograms) redraw at the screen's slower rate; light ones
(plots, texts) every frame. A title or a Text panel must keep its number of lines across
languages: the language switch repaints, it does not lay the screen out again.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any, Callable, ClassVar, Literal, Mapping, Protocol, Sequence, TypeAlias, Union

import numpy as np
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from nndojo.core.compare import Figure, PinnedRun, pin_label
from nndojo.core.experiment import Snapshot
from nndojo.tui.widgets import FilterGrid, Heatmap, Histogram, LinePlot
from nndojo.tui.widgets.xyplot import GHOST_COLORS
from nndojo.tui.widgets.status import update_in_place

LANGS = ("en", "ko")

#: A text in every language: {"en": ..., "ko": ...}.
Texts: TypeAlias = Mapping[str, str]
#: A panel title: fixed texts, or written from the snapshot in a language.
Title: TypeAlias = Union[Texts, Callable[[Snapshot, str], str]]
#: A CSS size: cells (int) or "1fr", "2fr", "50%", "auto".
Size: TypeAlias = Union[int, str]

#: Legend names of common metrics in Korean (a plot's own labels take precedence).
METRIC_NAMES: dict[str, Texts] = {
    "loss": {"en": "loss", "ko": "손실"},
    "accuracy": {"en": "accuracy", "ko": "정확도"},
    "train_accuracy": {"en": "train accuracy", "ko": "학습 정확도"},
    "test_accuracy": {"en": "test accuracy", "ko": "테스트 정확도"},
    "grad_norm": {"en": "grad norm", "ko": "기울기 크기"},
}


class LayoutError(ValueError):
    """A layout declaration that cannot be built, or a snapshot it cannot draw."""


def T(en: str, ko: str) -> Texts:  # noqa: N802 - reads as a literal in a declaration
    """A text in English and Korean."""
    return {"en": en, "ko": ko}


def in_lang(texts: Texts, lang: str) -> str:
    """``texts`` in ``lang``, or in English when it has none in ``lang``."""
    return texts.get(lang) or texts["en"]


def _check_texts(texts: Texts, what: str) -> None:
    if not isinstance(texts, Mapping):
        raise LayoutError(f"{what} must be {{'en': ..., 'ko': ...}} (or a function of the snapshot), got {texts!r}")
    missing = [lang for lang in LANGS if not texts.get(lang)]
    if missing:
        raise LayoutError(f"{what} {texts!r} has no text in {', '.join(missing)}")


def view(snap: Snapshot, name: str) -> Any:
    """``snap.views[name]``, or a LayoutError that names what the snapshot has."""
    try:
        return snap.views[name]
    except KeyError:
        raise LayoutError(f"the snapshot has no view {name!r} (it has: {', '.join(sorted(snap.views))})") from None


# -- panels ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """One framed panel: a widget, its title, what it reads, heavy or light.

    ``subtitle`` is written in the bottom border; a callable title or subtitle is written
    from the snapshot when the panel draws. ``reads`` names further views the panel's
    functions read (so a missing one is found before drawing). ``width`` is its share of
    the row.
    """

    title: Title
    _: KW_ONLY
    id: str | None = None
    subtitle: Title | None = None
    width: Size = "1fr"
    heavy: bool = False
    reads: tuple[str, ...] = ()

    kind: ClassVar[str] = "panel"

    def __post_init__(self) -> None:
        for what, texts in (("title", self.title), ("subtitle", self.subtitle)):
            if texts is not None and not callable(texts):
                _check_texts(texts, f"{type(self).__name__} {what}")

    def views_read(self) -> tuple[str, ...]:
        """The snapshot views this panel reads."""
        return self.reads

    def metrics_read(self) -> tuple[str, ...]:
        """The metric histories this panel reads."""
        return ()

    def default_id(self) -> str | None:
        names = self.views_read() or self.metrics_read()
        return names[0].replace("_", "-") if names else None

    def make(self) -> Widget:
        """A new widget for this panel (without its title)."""
        raise NotImplementedError

    def draw(self, widget: Any, snap: Snapshot, lang: str) -> None:
        """Draw ``snap`` (called every frame for light panels, at the slower rate for heavy)."""

    def draw_light(self, widget: Any, snap: Snapshot, lang: str) -> None:
        """The light part of a heavy panel, drawn every frame (a heatmap's overlay)."""

    def set_titles(self, widget: Widget, snap: Snapshot | None, lang: str) -> None:
        """Write the title and subtitle (fixed ones always, callable ones given ``snap``)."""
        for attribute, title in (("border_title", self.title), ("border_subtitle", self.subtitle)):
            if title is None:
                continue
            if callable(title):
                if snap is None:
                    continue
                text = title(snap, lang)
            else:
                text = in_lang(title, lang)
            if getattr(widget, attribute) != text:
                setattr(widget, attribute, text)


#: What a plot's title says of its log axes (y, x): the title itself never says it, so it
#: stays true when y (log y) or g (log x) turns one off.
LOG_NOTES: dict[tuple[bool, bool], Texts] = {
    (True, False): {"en": " (log)", "ko": " (로그)"},
    (False, True): {"en": " (log x)", "ko": " (로그 x)"},
    (True, True): {"en": " (log-log)", "ko": " (로그-로그)"},
}


@dataclass(frozen=True, kw_only=True)
class PlotPanel(Panel):
    """Metric histories as lines (LinePlot). ``metrics`` lists metric names, or maps
    each to its legend name ({"en", "ko"}); ``log_y`` starts with a log y axis, ``log_x``
    with a log step axis (the claim of a fast start shows in the first steps). The title
    gets " (log)" from the plot's state, so a title must not say it.

    Pinned runs (compare runs, key c) are drawn as ghosts of the metrics the status line
    shows (of the first metric if the plot shows none of those), labelled with what
    differs from the current run."""

    metrics: Sequence[str] | Mapping[str, Texts]
    log_y: bool = False
    log_x: bool = False

    kind: ClassVar[str] = "plot"

    def __post_init__(self) -> None:
        super().__post_init__()
        metrics = self.metrics
        if isinstance(metrics, str) or not metrics:
            raise LayoutError(f"PlotPanel metrics must be a non-empty list of metric names, got {metrics!r}")
        if isinstance(metrics, Mapping):
            for name, texts in metrics.items():
                _check_texts(texts, f"PlotPanel legend name of {name!r}")
            shown = dict(metrics)
        else:
            shown = {m: METRIC_NAMES.get(m, {"en": m}) for m in metrics}
        object.__setattr__(self, "metrics", shown)

    def metrics_read(self) -> tuple[str, ...]:
        return tuple(self.metrics)

    def default_id(self) -> str:
        return self.metrics_read()[0].replace("_", "-") + "-plot"

    def make(self) -> LinePlot:
        plot = LinePlot()
        plot.log_y = self.log_y
        plot.log_x = self.log_x
        return plot

    def ghosted(self, status: Sequence[str]) -> tuple[str, ...]:
        """The metrics a pinned run shows as ghosts here."""
        return tuple(m for m in self.metrics if m in status) or self.metrics_read()[:1]

    def draw(self, widget: LinePlot, snap: Snapshot, lang: str, pins: Sequence[PinnedRun] = (),
             status: Sequence[str] = ()) -> None:
        m = snap.metrics
        shown = self.metrics
        assert isinstance(shown, Mapping)
        series = {in_lang(shown[name], lang): m[name] for name in shown if name in m}
        if not series:  # none before the first record
            return
        colors: dict[str, int | str] = {}
        ghosted = self.ghosted(status) if pins else ()
        for i, run in enumerate(pins):
            label = pin_label(i, run, snap.values, snap.seed, lang)
            for name in ghosted:
                curve = run.curve(name)
                if curve is not None:
                    key = f"{in_lang(shown[name], lang)} {label}" if len(shown) > 1 else label
                    series[key] = curve
                    colors[key] = GHOST_COLORS[i % len(GHOST_COLORS)]
        widget.set_series(series, colors=colors, ghosts=colors.keys())

    def set_titles(self, widget: Widget, snap: Snapshot | None, lang: str) -> None:
        super().set_titles(widget, snap, lang)
        note = LOG_NOTES.get((bool(getattr(widget, "log_y", False)), bool(getattr(widget, "log_x", False))))
        if note is None or callable(self.title):
            return
        text = in_lang(self.title, lang) + in_lang(note, lang)
        if widget.border_title != text:
            widget.border_title = text


@dataclass(frozen=True)
class Overlay:
    """A heatmap's path and current point, from three views: (k, 2) points, (2,) point,
    (xmin, xmax, ymin, ymax) extent."""

    path: str
    point: str
    extent: str


@dataclass(frozen=True, kw_only=True)
class HeatmapPanel(Panel):
    """A 2-D view as colours (Heatmap); its ``overlay`` is drawn every frame."""

    view: str
    cmap: Literal["diverging", "sequential"] = "diverging"
    origin: Literal["lower", "upper"] = "lower"
    legend: str | None = None
    legend_format: Callable[[float], str] | None = None
    overlay: Overlay | None = None
    heavy: bool = True

    kind: ClassVar[str] = "heatmap"

    def views_read(self) -> tuple[str, ...]:
        extra = (self.overlay.path, self.overlay.point, self.overlay.extent) if self.overlay else ()
        return (self.view, *extra, *self.reads)

    def make(self) -> Heatmap:
        return Heatmap()

    def draw(self, widget: Heatmap, snap: Snapshot, lang: str) -> None:
        widget.set_data(np.asarray(view(snap, self.view)), cmap=self.cmap, title=self.legend, origin=self.origin,
                        legend_format=self.legend_format)

    def draw_light(self, widget: Heatmap, snap: Snapshot, lang: str) -> None:
        o = self.overlay
        if o is not None:
            widget.set_overlay(view(snap, o.path), view(snap, o.point), extent=view(snap, o.extent))


@dataclass(frozen=True, kw_only=True)
class FilterGridPanel(Panel):
    """A stack of small 2-D maps (FilterGrid): kernels, feature maps, an image.
    ``labels`` writes a caption per item (default f0, f1, ...)."""

    view: str
    cmap: Literal["diverging", "sequential"] = "diverging"
    labels: Callable[[Snapshot, str], Sequence[str]] | None = None
    heavy: bool = True

    kind: ClassVar[str] = "filtergrid"

    def views_read(self) -> tuple[str, ...]:
        return (self.view, *self.reads)

    def make(self) -> FilterGrid:
        return FilterGrid()

    def draw(self, widget: FilterGrid, snap: Snapshot, lang: str) -> None:
        stack = np.asarray(view(snap, self.view))
        labels = None if self.labels is None else list(self.labels(snap, lang))
        widget.set_data(stack, labels=labels, cmap=self.cmap)


@dataclass(frozen=True, kw_only=True)
class HistogramPanel(Panel):
    """One histogram per group (Histogram): ``view`` holds the groups' values,
    ``labels_view`` their names; ``value_range`` is fixed or read from the snapshot (None: the
    data's)."""

    view: str
    labels_view: str | None = None
    value_range: tuple[float, float] | Callable[[Snapshot], tuple[float, float] | None] | None = None
    heavy: bool = True

    kind: ClassVar[str] = "histogram"

    def views_read(self) -> tuple[str, ...]:
        return (self.view, *((self.labels_view,) if self.labels_view else ()), *self.reads)

    def make(self) -> Histogram:
        return Histogram()

    def draw(self, widget: Histogram, snap: Snapshot, lang: str) -> None:
        groups = view(snap, self.view)
        names = list(view(snap, self.labels_view)) if self.labels_view else [str(i) for i in range(len(groups))]
        value_range = self.value_range(snap) if callable(self.value_range) else self.value_range
        widget.set_data(list(zip(names, groups)), range=value_range)


@dataclass(frozen=True, kw_only=True)
class TextPanel(Panel):
    """A lesson's own view as text: ``text(snap, lang, width)`` -> rich Text, ``width``
    the panel's inner width. It must write as many lines in every language."""

    text: Callable[..., Text]
    #: Call ``text(snap, lang, width, height)``: the text may lay itself out for the
    #: panel's inner height too (a narrow panel stacking what a wide one puts side by side).
    sized: bool = False

    kind: ClassVar[str] = "text"

    def make(self) -> Static:
        return Static()

    def draw(self, widget: Static, snap: Snapshot, lang: str) -> None:
        size = widget.size
        text = self.text(snap, lang, size.width, size.height) if self.sized else self.text(snap, lang, size.width)
        update_in_place(widget, text)


class DrawnWidget(Protocol):
    """A lesson's own widget class for a WidgetPanel."""

    def draw(self, snap: Snapshot, lang: str) -> None: ...


@dataclass(frozen=True, kw_only=True)
class WidgetPanel(Panel):
    """A lesson's own widget: ``widget()`` makes it, its ``draw(snap, lang)`` draws."""

    widget: Callable[[], Widget]

    kind: ClassVar[str] = "widget"

    def make(self) -> Widget:
        made = self.widget()
        if not callable(getattr(made, "draw", None)):
            raise LayoutError(f"{type(made).__name__} has no draw(snap, lang): a WidgetPanel's widget must draw itself")
        return made

    def draw(self, widget: Any, snap: Snapshot, lang: str) -> None:
        widget.draw(snap, lang)


PANEL_KINDS = (PlotPanel, HeatmapPanel, FilterGridPanel, HistogramPanel, TextPanel, WidgetPanel)


def _refuse(item: object, where: str) -> LayoutError:
    kinds = ", ".join(k.__name__ for k in PANEL_KINDS)
    return LayoutError(f"{where}: {item!r} is not a panel (a panel is one of {kinds})")


# -- rows and the layout ----------------------------------------------------------------------


@dataclass(frozen=True, init=False)
class Row:
    """Panels side by side. ``height`` is the row's share of the screen (CSS size);
    ``fit(snap)`` (optional) sets it in cells from the snapshot at the heavy rate."""

    panels: tuple[Panel, ...]
    height: Size = "1fr"
    fit: Callable[[Snapshot], int] | None = None
    id: str | None = None

    def __init__(self, *panels: Panel, height: Size = "1fr", fit: Callable[[Snapshot], int] | None = None,
                 id: str | None = None) -> None:  # noqa: A002
        for item in panels:
            if not isinstance(item, Panel) or type(item) is Panel:
                raise _refuse(item, "Row")
        if not panels:
            raise LayoutError("a Row needs at least one panel")
        object.__setattr__(self, "panels", tuple(panels))
        object.__setattr__(self, "height", height)
        object.__setattr__(self, "fit", fit)
        object.__setattr__(self, "id", id)


@dataclass(frozen=True, init=False)
class Layout:
    """A lesson screen: its rows of panels (top to bottom), the metrics on the status
    line, the speed it starts at (an index into runner.SPEEDS; None: the fastest) and
    any CSS of its own (scoped to the screen).

    ``pages`` groups the rows shown together when the panels do not all fit at once
    (a panel would leave items out, cut its legend or text, or draw a plot too low to
    read: ``LayoutView.overflowing``), whatever the terminal's size; the rows are then
    shown a page at a time and a key (v) turns the page: row indices, e.g.
    ``pages=((0, 1), (2,))``; by default each row is a page of its own. A page of one row
    gives it the whole height."""

    rows: tuple[Row, ...]
    status: tuple[str, ...] = ("loss",)
    speed: int | None = None
    css: str = ""
    pages: tuple[tuple[int, ...], ...] = ()

    def __init__(self, *rows: Row | Panel, status: Sequence[str] = ("loss",), speed: int | None = None,
                 css: str = "", pages: Sequence[Sequence[int]] | None = None) -> None:
        built: list[Row] = []
        for item in rows:
            if isinstance(item, Row):
                built.append(item)
            elif isinstance(item, Panel) and type(item) is not Panel:
                built.append(Row(item))  # a panel alone is a row of one
            else:
                raise _refuse(item, "Layout")
        if not built:
            raise LayoutError("a Layout needs at least one row")
        object.__setattr__(self, "rows", tuple(built))
        object.__setattr__(self, "status", tuple(status))
        object.__setattr__(self, "speed", speed)
        object.__setattr__(self, "css", css)
        n = len(built)
        grouped = tuple(tuple(page) for page in pages) if pages else tuple((i,) for i in range(n))
        flat = [i for page in grouped for i in page]
        if sorted(flat) != list(range(n)) or any(not page for page in grouped):
            raise LayoutError(f"pages {grouped!r} must list every row index 0..{n - 1} once, in non-empty pages")
        object.__setattr__(self, "pages", grouped)
        ids = [i for i, _ in self.panels()]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise LayoutError(f"two panels share the id {sorted(dup)[0]!r}: give one an id=")

    def panels(self) -> list[tuple[str, Panel]]:
        """Every panel with its widget id, row by row."""
        out = []
        for r, row in enumerate(self.rows):
            for c, panel in enumerate(row.panels):
                out.append((panel.id or panel.default_id() or f"panel-{r}-{c}", panel))
        return out

    def views(self) -> set[str]:
        """Every snapshot view the layout reads."""
        return {name for _, p in self.panels() for name in p.views_read()}

    def metrics(self) -> set[str]:
        """Every metric history the layout's panels read."""
        return {name for _, p in self.panels() for name in p.metrics_read()}

    def missing(self, snap: Snapshot, metrics: bool = False) -> list[str]:
        """What the layout reads that ``snap`` lacks: views (and, with ``metrics``,
        metric histories, which exist only after the first record)."""
        out = [f"view {v!r}" for v in sorted(self.views()) if v not in snap.views]
        if metrics:
            out += [f"metric {m!r}" for m in sorted(self.metrics() | set(self.status)) if m not in snap.metrics]
        return out

    def check(self, snap: Snapshot, metrics: bool = False, where: str = "layout") -> None:
        """Raise a LayoutError naming everything the layout reads that ``snap`` lacks."""
        missing = self.missing(snap, metrics)
        if missing:
            raise LayoutError(f"{where} reads {', '.join(missing)}, which the snapshot lacks "
                              f"(views: {', '.join(sorted(snap.views))}; metrics: {', '.join(sorted(snap.metrics))})")


class LayoutView:
    """A layout's widgets on one screen: composes them, draws snapshots, switches language."""

    def __init__(self, layout: Layout, lang: str) -> None:
        self.layout = layout
        self.lang = lang
        self.widgets: list[tuple[Panel, Widget]] = []
        self.rows: list[tuple[Row, Horizontal]] = []
        self.checked = False
        self.last: Snapshot | None = None
        #: Runs pinned to compare with (the screen sets them); plots draw them as ghosts.
        self.pins: Sequence[PinnedRun] = ()
        #: On a small screen the rows show a page at a time (Layout.pages); ``page`` is the one shown.
        self.paged = False
        self.page = 0

    def compose(self) -> ComposeResult:
        self.widgets, self.rows = [], []
        ids = {id(p): i for i, p in self.layout.panels()}
        for row in self.layout.rows:
            box = Horizontal(classes="row", id=row.id)
            if row.height != "1fr":
                box.styles.height = row.height
            self.rows.append((row, box))
            with box:
                for panel in row.panels:
                    yield self.make(panel, ids[id(panel)])

    def set_paged(self, paged: bool) -> None:
        """Show the rows a page at a time (a small screen) or all at once."""
        self.paged = paged
        self.show_page()

    def turn_page(self, delta: int = 1) -> None:
        """Show the next (``delta`` 1) or previous page."""
        self.page = (self.page + delta) % len(self.layout.pages)
        self.show_page()

    def page_rows(self) -> tuple[int, ...]:
        """The indices of the rows on screen."""
        return self.layout.pages[self.page] if self.paged else tuple(range(len(self.rows)))

    def visible(self) -> list[tuple[Panel, Widget]]:
        """The panels on screen (all but those on other pages)."""
        shown = {id(self.rows[i][1]) for i in self.page_rows()}
        return [(p, w) for p, w in self.widgets if w.parent is None or id(w.parent) in shown]

    def show_page(self) -> None:
        """Display the current page's rows (all rows when not paged); a page of one row
        takes the whole height, others keep their declared heights."""
        shown = self.page_rows()
        alone = self.paged and len(shown) == 1
        for i, (row, box) in enumerate(self.rows):
            box.display = i in shown
            if alone:
                box.styles.height = "1fr"
            elif row.height != "1fr" or row.fit is not None:
                box.styles.height = row.height
                self._fit(row, box)

    def overflowing(self) -> list[str]:
        """The ids of the panels on screen that do not show all they hold at their size
        (items left out, a legend or text cut, a plot with no room): where the rows must
        show a page at a time."""
        return [str(widget.id) for panel, widget in self.visible() if widget.display and not panel_fits(widget)]

    def page_tabs(self, lang: str) -> Text:
        """The page strip: each page by number (the current one marked) and the key."""
        t = Text(no_wrap=True, overflow="ellipsis")
        for i, page in enumerate(self.layout.pages):
            label = f" {i + 1} "
            t.append(label, style="bold reverse" if i == self.page else "dim")
            t.append(" ")
        t.append(f" v {in_lang(PAGE_KEY, lang)}", style="bold")
        return t

    def _fit(self, row: Row, box: Horizontal) -> None:
        if row.fit is not None and self.last is not None:
            height = row.fit(self.last)
            if box.styles.height is None or box.styles.height.value != height:
                box.styles.height = height

    def make(self, panel: Panel, widget_id: str) -> Widget:
        widget = panel.make()
        widget.id = widget_id
        widget.add_class("panel")
        if panel.width != "1fr":
            widget.styles.width = panel.width
        panel.set_titles(widget, None, self.lang)
        set_widget_lang(widget, self.lang)
        self.widgets.append((panel, widget))
        return widget

    def draw(self, snap: Snapshot, heavy: bool) -> None:
        """Draw ``snap``: light panels always, heavy ones when ``heavy``."""
        if not self.checked:
            self.layout.check(snap)
            self.checked = True
        self.last = snap
        lang = self.lang
        for panel, widget in self.visible():
            if heavy or not panel.heavy:
                if isinstance(panel, PlotPanel):
                    panel.draw(widget, snap, lang, self.pins, self.layout.status)  # type: ignore[arg-type]
                else:
                    panel.draw(widget, snap, lang)
                panel.set_titles(widget, snap, lang)
            panel.draw_light(widget, snap, lang)
        if heavy:
            shown = self.page_rows()
            if not (self.paged and len(shown) == 1):
                for i in shown:
                    self._fit(*self.rows[i])

    def set_lang(self, lang: str) -> None:
        """Retitle every panel in ``lang`` (a repaint each; the screen redraws the rest)."""
        self.lang = lang
        for panel, widget in self.widgets:
            panel.set_titles(widget, self.last, lang)
            set_widget_lang(widget, lang)


def panel_fits(widget: Widget) -> bool:
    """Whether a panel's widget shows all it holds at its size: a chart says so itself
    (``fits``), a text panel fits when its text's lines do."""
    width, height = widget.content_size
    if width <= 0 or height <= 0:
        return False
    fits = getattr(widget, "fits", None)
    if callable(fits):
        return bool(fits())
    if isinstance(widget, Static):
        return text_fits(widget, width, height)
    return True


def text_fits(widget: Static, width: int, height: int) -> bool:
    """Whether a text panel's text fits ``width`` x ``height`` as drawn: its lines,
    wrapped (blank lines at the end aside), fill no more rows, and none is cut."""
    content = getattr(widget, "content", None)
    if isinstance(content, str):
        content = Text(content)
    if not isinstance(content, Text):
        return True
    lines = content.wrap(widget.app.console, width)
    shown = [line for line in lines]
    while shown and not shown[-1].plain.strip():
        shown.pop()
    return len(shown) <= height and all(line.cell_len <= width for line in shown)


def set_widget_lang(widget: Widget, lang: str) -> None:
    """Tell a chart widget (it has ``set_lang``) the language of its legend's words."""
    set_lang = getattr(widget, "set_lang", None)
    if callable(set_lang):
        set_lang(lang)


#: The page key's name on the page strip (a small screen shows the rows a page at a time).
PAGE_KEY = T("next panels", "다음 패널")


# -- compare runs ------------------------------------------------------------------------------
COMPARE_TITLE = T("compare  (C clears)", "비교  (C: 지우기)")


def compare_table(figures: Sequence[Figure], current: Mapping[str, float | None], pins: Sequence[PinnedRun],
                  snap: Snapshot, lang: str) -> Table:
    """Each pinned run's figures of merit and the current run's, as a table: a row per
    run, labelled as in the plots' legends ("#1 lr 0.3"), the current run first."""
    table = Table(box=None, pad_edge=False, padding=(0, 1), show_edge=False, expand=False)
    table.add_column(in_lang(T("run", "실행"), lang), no_wrap=True, overflow="ellipsis", ratio=None, max_width=18)
    for figure in figures:
        table.add_column(figure.label(lang), justify="right", no_wrap=True)
    table.add_row(in_lang(T("now", "현재"), lang), *(f.format(current.get(f.key)) for f in figures), style="bold")
    for i, run in enumerate(pins):
        label = pin_label(i, run, snap.values, snap.seed, lang)
        table.add_row(Text(label, style=f"color({GHOST_COLORS[i % len(GHOST_COLORS)]})"),
                      *(f.format(run.figures.get(f.key)) for f in figures))
    return table
