"""80x24 is a first-class size: every lesson, in English and Korean, shows its claim's
numbers on the status line, every panel's title whole (a page of panels at a time, v
turns the page), every layer's gradient bar (weight-init), the kernel block (CNN) and
the help key on the key bar. The text checked is what the compositor draws."""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from rich.text import Text

from nndojo.core.experiment import Snapshot
from nndojo.screens import LessonScreen, menu_infos
from nndojo.tui.app import NNDojoApp
from nndojo.tui.widgets.status import KeyBar, StatusLine, fit_line, format_metric

from test_contract_keys import quick_idle  # noqa: F401 (a fixture)

LESSONS = [info.key for info in menu_infos()]
SMALL = (80, 24)


def screen_lines(app: NNDojoApp) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def opened_at(lesson: str, lang: str, size: tuple[int, int] = SMALL) -> Any:
    app = NNDojoApp(lesson, lang=lang)
    return app, app.run_test(size=size)


async def step_and_read(pilot: Any, app: NNDojoApp) -> tuple[LessonScreen, list[str]]:
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    for _ in range(3):
        await pilot.press("n")
    await pilot.pause()
    screen.redraw(heavy=True)
    await pilot.pause()
    await pilot.pause()
    return screen, screen_lines(app)


def status_values(screen: LessonScreen, snap: Snapshot, lang: str) -> list[str]:
    return [format_metric(name, snap.last[name], lang) for name in screen.status_metrics if name in snap.last]


async def reads_whole_at_80x24(pilot: Any, app: NNDojoApp, lang: str) -> None:
    """Three steps, then at 80x24: the status line shows the lesson's metrics, the key
    bar ?, and every panel's title is whole on some page (v turns the pages). Run on every
    lesson in one app with the other checks of its language: in English by the screen
    contract (test_contract_keys.py), in Korean by test_korean.py."""
    assert app.size == SMALL
    screen, lines = await step_and_read(pilot, app)
    snap = screen.runner.snapshot(64)
    status = lines[-2]
    values = status_values(screen, snap, lang)
    assert values, "the lesson's status metrics have no value after 3 steps"
    for value in values:
        assert value in status, f"{value!r} not on the status line {status!r}"
    assert "?" in lines[-1].split(), f"no ? on the key bar {lines[-1]!r}"
    view = screen.panels_view
    assert view is not None
    pages = len(view.layout.pages) if view.paged else 1
    seen: set[str] = set()
    for _ in range(pages):
        text = "\n".join(screen_lines(app))
        for panel, widget in view.visible():
            title = str(widget.border_title or "")
            assert title, f"{widget.id} has no title"
            assert title in text, f"{widget.id}'s title {title!r} is cut on screen"
            seen.add(str(widget.id))
        await pilot.press("v")
        await pilot.pause()
        screen.redraw(heavy=True)
        await pilot.pause()
        await pilot.pause()
    assert seen == {w.id for _, w in view.widgets}, "a panel is on no page"
    screen.runner.pause()


async def page_with(pilot: Any, app: NNDojoApp, panel_id: str) -> tuple[Any, str]:
    """After a few steps, turn pages (v) to the one showing panel ``panel_id``, draw it
    whole and return the screen and its text."""
    screen, _ = await step_and_read(pilot, app)
    view = screen.panels_view
    assert view is not None
    screen.redraw(heavy=True)  # the first heavy draw chooses paging: before looking for the page
    await pilot.pause()
    await pilot.pause()
    for _ in range(len(view.layout.pages)):
        if any(w.id == panel_id for _, w in view.visible()):
            break
        await pilot.press("v")
        await pilot.pause()
    screen.redraw(heavy=True)
    await pilot.pause()
    await pilot.pause()
    return screen, "\n".join(screen_lines(app))


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_weight_init_shows_every_layers_gradient_bar(lang: str) -> None:
    app = NNDojoApp("weight-init", lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen, text = await page_with(pilot, app, "grad-norms")
        names = list(screen.runner.snapshot(64).views["grad_names"])
        assert len(names) == 9  # 8 hidden layers (the default) and the output
        for name in names:
            assert f" {name} " in text, f"{name}'s bar is not on screen"
        screen.runner.pause()


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_cnn_dot_product_shows_the_kernel_and_products(lang: str) -> None:
    from nndojo.screens.cnn import BLOCK_NAMES

    app = NNDojoApp("cnn", lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen, text = await page_with(pilot, app, "dot")
        for name in BLOCK_NAMES[lang]:
            assert name in text, f"the {name} block is not on screen"
        screen.runner.pause()


def test_status_line_drops_rate_and_epoch_first_never_the_metrics() -> None:
    fields: list[tuple[Text, int | None]] = [
        (Text("|| 20/s"), None), (Text("step 3"), 4), (Text("epoch 0.08"), 1),
        (Text("│ loss 2.438"), None), (Text("│ test accuracy 10.6%"), None),
        (Text("│ 20 steps/s"), 0), (Text("│ seed 0"), 2),
    ]
    whole = fit_line(fields, 0).plain
    assert "steps/s" in whole and "epoch" in whole
    narrow = fit_line(fields, 60).plain
    assert len(narrow) <= 60
    assert "steps/s" not in narrow and "epoch" not in narrow
    assert "test accuracy 10.6%" in narrow and "loss 2.438" in narrow
    tiny = fit_line(fields, 30, remark="a remark that is long").plain
    assert "test accuracy 10.6%" in tiny


def status_line_fits_whole_at_100x30(app: NNDojoApp) -> None:
    """In Korean at 100x30 (after 3 steps, drawn): the status line holds every field
    whole (the epoch too), the key bar ? and quit (run by ``pages_exactly_when_they_do_not_fit``
    at that size)."""
    screen = app.screen
    assert isinstance(screen, LessonScreen) and app.size == (100, 30) and screen.lang == "ko"
    status = screen_lines(app)[-2].rstrip()
    assert "…" not in status, status
    assert screen.query_one(StatusLine).render_line(0).cell_length <= 100
    snap = screen.runner.snapshot(64)
    for value in status_values(screen, snap, "ko"):
        assert value in status
    assert "에포크" in status or not snap.epoch, status
    bar = screen.query_one(KeyBar).line().plain
    assert "?" in bar and "종료" in bar, bar


# -- paging chosen by whether the panels fit ---------------------------------------------

PAGING_SIZES = [(80, 24), (100, 30), (120, 40), (160, 50)]


async def pages_exactly_when_they_do_not_fit(pilot: Any, app: NNDojoApp, lesson: str) -> None:
    """Issue #10: the screen pages its rows (v) when a panel shown with all the others
    would not show what it holds (items left out, a legend or text cut, a plot too low),
    whatever the terminal's size; all rows show at once when they fit. The app (in
    Korean, 3 steps taken, at 80x24) is resized from size to size, as a learner resizes a
    terminal; at 100x30 the status line is checked too. Run for every lesson in its
    Korean app (test_korean.py)."""
    screen = app.screen
    assert isinstance(screen, LessonScreen) and app.size == PAGING_SIZES[0] and screen.experiment.step_count >= 3
    view = screen.panels_view
    assert view is not None
    screen.runner.pause()
    for size in PAGING_SIZES:
        await pilot.resize_terminal(*size)
        await pilot.pause()
        screen.redraw(heavy=True)  # the first heavy draw at this size chooses paging
        await pilot.pause()
        await pilot.pause()
        if size == (100, 30):
            status_line_fits_whole_at_100x30(app)
        chosen = view.paged
        screen.set_paged(False)  # every row at once: does everything fit?
        await pilot.pause()
        view.draw(screen.runner.snapshot(64), heavy=True)
        await pilot.pause()
        over = view.overflowing()
        can_page = len(view.layout.pages) > 1
        assert chosen == (bool(over) and can_page), (size, chosen, over)
        if chosen:
            screen.set_paged(True)
            for page in range(len(view.layout.pages)):
                screen.redraw(heavy=True)
                await pilot.pause()
                await pilot.pause()
                cut = set(view.overflowing())
                assert not cut, f"{size}, page {page + 1}: {sorted(cut)} do not fit even on their page"
                await pilot.press("v")
    assert (100, 30) in PAGING_SIZES


async def test_a_panel_that_stops_fitting_turns_on_paging() -> None:
    """Paging follows the content too: a panel that grows past its room (here 16
    feature maps where 8 fit) turns paging on at the next heavy draw."""
    lesson = "cnn" if "cnn" in LESSONS else None
    if lesson is None:
        pytest.skip("no cnn lesson")
    app = NNDojoApp(lesson)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen, _ = await step_and_read(pilot, app)
        view = screen.panels_view
        assert view is not None and not view.paged
        assert screen.apply_value("filters", 16)  # 16 feature maps: more than the panel holds
        await pilot.press("n")
        screen.redraw(heavy=True)
        await pilot.pause()
        await pilot.pause()
        assert view.paged
        screen.runner.pause()


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_gradient_descents_step_size_lines_do_not_wrap_at_80x24(lang: str) -> None:
    """Each line of the step-size panel (α, the optimiser's bound, the ratio, λmax, the
    point w1,w2, the gradient) fits the panel's width at 80x24, for every optimiser on
    the ravine and on Rosenbrock (a local bound)."""
    if "gradient-descent" not in LESSONS:
        pytest.skip("no gradient-descent lesson")
    from nndojo.screens.gradient_descent import step_info

    app = NNDojoApp("gradient-descent", lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen, _ = await step_and_read(pilot, app)
        panel = screen.query_one("#gd-info")
        width, height = panel.content_size
        for surface in ("ravine", "rosenbrock"):
            for optimizer in ("gd", "momentum", "adam"):
                screen.apply_value("surface", surface)
                screen.apply_value("optimizer", optimizer)
                screen.runner.call(lambda e: e.step(5))
                text = step_info(screen.runner.snapshot(64), lang, width)
                lines = text.plain.rstrip("\n").split("\n")
                assert len(lines) <= height, (surface, optimizer, lines)
                for line in lines:
                    assert cell_len(line) <= width, f"{surface}/{optimizer}: {line!r} wraps at {width} cells"
        screen.runner.pause()


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_help_fits_at_80x24_without_scrolling(lang: str) -> None:
    """The help screen (?) shows every key at 80x24 in two columns, in both languages:
    nothing to scroll, the first and last keys' texts on screen."""
    from textual.containers import VerticalScroll

    from nndojo.screens.help import KEYS, HelpScreen

    app = NNDojoApp(LESSONS[0], lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.screen.runner.pause()  # type: ignore[attr-defined]
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one(VerticalScroll)
        assert box.max_scroll_y == 0, f"the help scrolls by {box.max_scroll_y} lines at 80x24"
        text = "\n".join(screen_lines(app))
        for keys, en, ko in (KEYS[0], KEYS[-1]):
            assert (ko if lang == "ko" else en) in text
