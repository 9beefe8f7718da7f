"""Compare runs on a lesson screen: c pins the run (a ghost on the plot, a row in the
table), C clears, s / o keep the pins, x exports them. Training stays paused: the run
advances with n."""

from __future__ import annotations

import csv

from textual.widgets import Input

from nndojo.core import session
from nndojo.screens import LessonScreen
from nndojo.tui.app import NNDojoApp
from nndojo.tui.widgets import LinePlot


def loss_plot(screen: LessonScreen) -> LinePlot:
    return screen.query_one("#loss-plot", LinePlot)


def table_text(screen: LessonScreen) -> str:
    return "\n".join(screen.compare_view.render_line(y).text for y in range(screen.compare_view.size.height))


async def test_c_pins_the_run_and_capital_c_clears_it(tmp_path) -> None:
    app = NNDojoApp("gradient-descent", save_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        assert not screen.compare_view.display
        await pilot.press("c")  # nothing to pin at step 0
        assert screen.pins == [] and "nothing to pin" in screen.status.remark
        await pilot.press(*"n" * 6, "c")
        assert len(screen.pins) == 1 and screen.pins[0].step == 6
        await pilot.press("right", *"n" * 3)  # learning rate up one notch: 0.18 -> 0.225
        await pilot.pause()
        plot = loss_plot(screen)
        assert "#1 lr 0.18" in plot._series and "#1 lr 0.18" in plot._ghosts
        assert "#1 lr 0.18" in plot.frame_text()[0]  # in the legend
        assert screen.compare_view.display
        text = table_text(screen)
        assert "now" in text and "#1 lr 0.18" in text and "steps" in text
        pinned_loss = screen.pins[0].figures["loss"]
        assert f"{pinned_loss:.3g}" in text  # the pinned run's figure, in numbers
        current = screen.runner.call(lambda e: e.history["loss"].last)
        assert f"{current:.3g}" in text
        await pilot.press("l")
        await pilot.pause()
        assert "#1 학습률 0.18" in plot._series and "현재" in table_text(screen)
        await pilot.press("l", "C")
        await pilot.pause()
        assert screen.pins == [] and not screen.compare_view.display
        assert "cleared" in screen.status.remark
        assert not plot._ghosts and list(plot._series) == ["loss"]


async def test_pins_are_capped() -> None:
    app = NNDojoApp("gradient-descent")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        for _ in range(5):
            await pilot.press("n", "c")
        assert len(screen.pins) == 4 and "C clears" in screen.status.remark


async def test_pins_are_saved_resumed_and_exported(tmp_path) -> None:
    app = NNDojoApp("gradient-descent", save_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await pilot.press(*"n" * 5, "c", "right", *"n" * 4, "s", "x")
        (saved,) = tmp_path.glob("*.npz")
        (exported,) = tmp_path.glob("*.csv")
        rows = list(csv.DictReader(exported.open()))
        assert {r["run"] for r in rows} == {"current", "pin 1 (lr 0.18)"}
        resumed = session.load(saved)
        assert [p.step for p in session.pins_loaded_with(resumed)] == [5]
        await pilot.press("C")
        assert screen.pins == []
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(saved)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.lesson_screens["gradient-descent"]
        assert [p.step for p in screen.pins] == [5] and screen.compare_view.display
        await pilot.pause()
        assert any(name.startswith("#1") for name in loss_plot(screen)._series)


async def test_y_and_g_retitle_the_plot() -> None:
    app = NNDojoApp("gradient-descent")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await pilot.press("n")
        plot = loss_plot(screen)
        assert plot.border_title == "loss (log)"
        await pilot.press("y")
        await pilot.pause()
        assert plot.border_title == "loss" and not plot.log_y
        await pilot.press("g")
        await pilot.pause()
        assert plot.border_title == "loss (log x)" and plot.log_x
        await pilot.press("y", "l")
        await pilot.pause()
        assert plot.border_title == "손실 (로그-로그)"


async def test_pin_messages_and_labels_in_korean_name_no_seed_on_a_deterministic_lesson() -> None:
    """The pin messages come from core/texts/_ui.py in the screen's language; a pin on
    gradient descent (its seed changes nothing) keeps a label without a seed after R."""
    from nndojo.core.texts._ui import ui

    app = NNDojoApp("gradient-descent", lang="ko")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await pilot.press("c")
        assert screen.status.remark == ui("remark.pin_nothing", "ko")
        await pilot.press(*"n" * 4, "c")
        assert screen.status.remark == ui("remark.pinned", "ko", n=1)
        await pilot.press("c")
        assert screen.status.remark == ui("remark.pin_again", "ko")
        await pilot.press("R", *"n" * 4)  # a new seed: the same run
        await pilot.pause()
        names = list(loss_plot(screen)._series)
        assert "#1" in names and not any("시드" in n or "seed" in n for n in names), names
        assert "시드" not in table_text(screen)
        await pilot.press("C")
        assert screen.status.remark == ui("remark.pins_cleared", "ko")
        await pilot.press("C")
        assert screen.status.remark == ui("remark.no_pins", "ko")
