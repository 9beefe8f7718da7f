"""The Textual internals nndojo relies on (tui/textual_patches.py, and the two uses
outside it) are still there, in the shape the patches expect.

A new Textual that moves or renames one of them fails here, by name, rather than as a
slow key, a garbled frame or a crash in some other test. To see what a new Textual
breaks: ``NNDOJO_ANY_TEXTUAL=1 pytest tests/app/test_textual_patches.py``.
"""

from __future__ import annotations

import inspect
import io
import re
import tomllib
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
import textual.screen
from textual import events
from textual._compositor import Compositor
from textual.app import App
from textual.driver import Driver
from textual.drivers._writer_thread import WriterThread
from textual.drivers.headless_driver import HeadlessDriver
from textual.drivers.linux_driver import LinuxDriver
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static

from nndojo.screens.base import LessonScreen
from nndojo.tui import textual_patches
from nndojo.tui.app import NNDojoApp
from nndojo.tui.textual_patches import (
    DirectWriter,
    PromptScreen,
    UnsupportedTextual,
    check_textual_version,
    direct_write_driver,
    on_driver_message,
    page_keys_before_layout,
    wrap_driver_write,
)
from nndojo.tui.update_timer import PromptUpdates


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


# -- the version check --------------------------------------------------------------------
def test_the_installed_textual_is_one_the_patches_were_written_for() -> None:
    check_textual_version(installed_version("textual"))


def test_the_quick_version_read_agrees_with_the_package_metadata() -> None:
    assert textual_patches.installed_textual_version() == installed_version("textual")


def test_the_supported_range_is_the_one_pyproject_asks_for() -> None:
    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
    (textual,) = [d for d in project["dependencies"] if d.startswith("textual")]
    low, high = textual_patches.SUPPORTED_TEXTUAL
    assert textual == f"textual>={'.'.join(map(str, low))},<{'.'.join(map(str, high))}"


@pytest.mark.parametrize("version", ["8.2.0", "8.2.8", "8.10.1"])
def test_versions_in_the_range_pass(version: str) -> None:
    check_textual_version(version)


@pytest.mark.parametrize("version", ["8.1.9", "9.0.0", "10.2.1", "7", "dev"])
def test_versions_outside_the_range_are_refused_with_what_to_install(version: str) -> None:
    with pytest.raises(UnsupportedTextual, match=r"textual>=8\.2,<9"):
        check_textual_version(version)


def test_importing_with_an_unsupported_textual_raises_unless_told_to_try(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textual_patches, "installed_textual_version", lambda: "9.1.0")
    monkeypatch.delenv("NNDOJO_ANY_TEXTUAL", raising=False)
    with pytest.raises(UnsupportedTextual, match="9.1.0"):
        textual_patches._check_installed_textual()
    monkeypatch.setenv("NNDOJO_ANY_TEXTUAL", "1")
    with pytest.warns(RuntimeWarning, match="9.1.0"):
        textual_patches._check_installed_textual()


# -- OptionList page keys -------------------------------------------------------------------
def test_option_list_page_actions_are_patched_and_still_take_no_arguments() -> None:
    for name in ("action_page_down", "action_page_up"):
        patched = getattr(OptionList, name)
        assert getattr(patched, "_nndojo_patch", False), f"OptionList.{name} is not patched"
        assert parameters(patched._nndojo_original) == ["self"], f"OptionList.{name} changed its signature"
    for name in ("action_cursor_down", "action_cursor_up"):
        assert parameters(getattr(OptionList, name)) == ["self"], f"OptionList.{name} changed"


def test_a_page_key_that_raises_key_error_moves_one_option_instead() -> None:
    class Broken(OptionList):
        def action_page_down(self) -> None:
            raise KeyError(0)

        def action_page_up(self) -> None:
            raise KeyError(0)

    moved: list[str] = []
    Broken.action_cursor_down = lambda self: moved.append("down")  # type: ignore[method-assign]
    Broken.action_cursor_up = lambda self: moved.append("up")  # type: ignore[method-assign]
    page_keys_before_layout(Broken)
    page_keys_before_layout(Broken)  # twice: still one wrapper
    broken = Broken()
    broken.action_page_down()
    broken.action_page_up()
    assert moved == ["down", "up"]


# -- the driver -------------------------------------------------------------------------------
def test_the_app_keeps_its_driver_where_the_patches_look() -> None:
    assert App()._driver is None  # set when the app runs


def test_the_driver_methods_the_patches_wrap_keep_their_signatures() -> None:
    assert parameters(Driver.process_message) == ["self", "message"]
    assert parameters(Driver.write) == ["self", "data"]


def test_the_input_thread_hands_messages_to_the_driver_s_process_message() -> None:
    source = inspect.getsource(LinuxDriver.run_input_thread)
    assert "self.process_message(" in source, "the Linux driver's input thread no longer calls self.process_message"


def test_frames_are_written_through_the_driver_s_write() -> None:
    source = inspect.getsource(App._display)
    assert re.search(r"self\._driver\.write\b", source), "App._display no longer writes through self._driver.write"


async def test_the_driver_wrappers_see_messages_and_writes() -> None:
    app = App[None]()
    seen: list[object] = []
    written: list[str] = []
    async with app.run_test():
        assert app._driver is not None
        assert on_driver_message(app, seen.append)
        assert wrap_driver_write(app, lambda write: lambda data: (written.append(data), write(data)) and None)
        key = events.Key("a", "a")
        app._driver.process_message(key)
        app._driver.write("frame")
    assert seen == [key] and written == ["frame"]


def test_the_linux_driver_writes_through_its_writer_thread_which_direct_write_replaces() -> None:
    """DirectWriteDriver swaps the driver's writer thread for a DirectWriter once
    application mode has started (Textual starts the thread there, writes through it
    and stops it on the way out)."""
    assert re.search(r"self\._writer_thread\.write\(data\)", inspect.getsource(LinuxDriver.write))
    assert re.search(r"self\._writer_thread = WriterThread\(self\._file\)", inspect.getsource(LinuxDriver.start_application_mode))
    assert re.search(r"self\._writer_thread\.stop\(\)", inspect.getsource(LinuxDriver.close))
    assert parameters(WriterThread.stop) == ["self"] and parameters(WriterThread.write) == ["self", "text"]
    driver = direct_write_driver(LinuxDriver)
    assert issubclass(driver, LinuxDriver) and driver is not LinuxDriver
    assert direct_write_driver(HeadlessDriver) is HeadlessDriver  # only the terminal's driver
    assert NNDojoApp().get_driver_class().__name__ == "DirectWriteLinuxDriver"


def test_a_direct_writer_writes_each_text_at_once_and_outlives_a_closed_terminal() -> None:
    out = io.StringIO()
    writer = DirectWriter(out)
    writer.write("\x1b[?2026h")
    writer.write("frame")
    assert out.getvalue() == "\x1b[?2026hframe"  # no thread, no queue: written when write returns
    out.close()
    writer.write("after the terminal went away")  # ignored, as the thread would have died quietly
    writer.stop()


async def test_a_widget_repainted_for_the_next_update_is_in_it_even_if_that_update_is_already_due() -> None:
    """PromptScreen.repaint_in_next_update puts the widget in the screen's dirty widgets
    at once (Textual's own path is a message the widget posts when its queue is idle)."""

    class Shown(PromptScreen, Screen[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("one", id="one")
            hidden = Static("two", id="two")
            hidden.display = False
            yield hidden

    app = App[None]()
    async with app.run_test(size=(40, 10)) as pilot:
        screen = Shown()
        await app.push_screen(screen)
        await pilot.pause()
        one, two = screen.query_one("#one", Static), screen.query_one("#two", Static)
        screen._dirty_widgets.clear()
        screen.repaint_in_next_update(one)
        assert one in screen._dirty_widgets
        screen.repaint_in_next_update(two)  # hidden: it would only make the compositor map everything again
        assert two not in screen._dirty_widgets
        assert one in screen._compositor.visible_widgets


# -- the screen's update timer ------------------------------------------------------------------
def test_screen_draws_from_a_private_update_timer_property() -> None:
    assert isinstance(Screen.__dict__.get("_update_timer"), property), "Screen._update_timer is no longer a property"
    assert parameters(Screen._on_timer_update) == ["self"], "Screen._on_timer_update changed"
    assert parameters(App._handle_exception) == ["self", "error"], "App._handle_exception changed"


def test_textual_calls_only_resume_and_pause_on_the_update_timer() -> None:
    source = inspect.getsource(textual.screen)
    used = set(re.findall(r"\b_update_timer\.(\w+)", source))
    assert used and used <= {"resume", "pause"}, f"Screen now calls {sorted(used)} on its update timer; PromptUpdates has resume and pause"


def test_a_prompt_screen_keeps_the_css_of_the_screen_it_is_mixed_into() -> None:
    class Dialog(PromptScreen, ModalScreen[None]):
        pass

    # Textual gathers CSS types (and DEFAULT_CSS) along each class's first DOM base
    assert {"Dialog", "ModalScreen", "Screen"} <= Dialog._css_type_names


async def test_every_screen_of_the_app_uses_prompt_updates() -> None:
    app = NNDojoApp("cnn", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and isinstance(screen, PromptScreen)
        assert isinstance(screen._update_timer, PromptUpdates)
        before = screen._update_timer.updates
        await pilot.press("l")
        await pilot.pause()
        assert screen._update_timer.updates > before
        assert screen._Screen__update_timer is None  # type: ignore[attr-defined]  # Textual's timer was never made
        for key in ("question_mark", "escape", "w", "escape", "enter", "escape", "o", "escape"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, PromptScreen), f"{type(app.screen).__name__} after {key}"
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)


def test_input_internals_that_ordered_input_uses() -> None:
    """OrderedInput runs Input's editing keys from its own ``_on_key``."""
    assert inspect.iscoroutinefunction(Input._on_key) and parameters(Input._on_key) == ["self", "event"]
    bindings = Input()._bindings.key_to_bindings
    assert bindings.get("backspace") and bindings["backspace"][0].action


# -- internals used outside textual_patches ----------------------------------------------------
def test_compositor_internals_that_the_terminal_benchmark_uses() -> None:
    """nndojo.bench.terminal renders a whole frame with ``screen._compositor``."""
    assert isinstance(Screen()._compositor, Compositor)
    assert parameters(Compositor.render_full_update)[:1] == ["self"], "Compositor.render_full_update changed"
    assert hasattr(Compositor.render_full_update(Compositor()), "render_segments")
