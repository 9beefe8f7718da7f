"""Every place nndojo reaches into Textual's internals, in one module.

Each patch below says what Textual does that nndojo cannot live with and which Textual
versions it was checked on. They rely on private names, so importing this module checks
that the installed Textual is one they were written for (``SUPPORTED_TEXTUAL``, the
range pyproject.toml asks for) and raises ``UnsupportedTextual`` if it is not; set
``NNDOJO_ANY_TEXTUAL=1`` to get a warning instead and try anyway (then run
``pytest tests/app/test_textual_patches.py``: it names each internal that moved).

The one Textual internal used elsewhere is the benchmark's (``nndojo.bench.terminal``
reads ``Screen._compositor``, not at run time); tests/app/test_textual_patches.py
checks it too.
"""

from __future__ import annotations

import os
import re
import threading
import warnings
from typing import TYPE_CHECKING, Any, Callable

from textual import events
from textual.app import App
from textual.driver import Driver
from textual.drivers._writer_thread import WriterThread
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList

from nndojo.tui.update_timer import PromptUpdates

__all__ = [
    "CHECKED_ON",
    "SUPPORTED_TEXTUAL",
    "UnsupportedTextual",
    "check_textual_version",
    "page_keys_before_layout",
    "on_driver_message",
    "wrap_driver_write",
    "DirectWriter",
    "direct_write_driver",
    "writer_name",
    "PromptScreen",
    "after_next_update",
    "OrderedInput",
]

#: The Textual versions the patches were written for: at least the first, below the second.
SUPPORTED_TEXTUAL = ((8, 2), (9,))
#: The Textual versions the patches were checked on.
CHECKED_ON = ("8.2.8",)


class UnsupportedTextual(RuntimeError):
    """The installed Textual is outside ``SUPPORTED_TEXTUAL``."""


def check_textual_version(version: str) -> None:
    """Raise ``UnsupportedTextual`` unless ``version`` is within ``SUPPORTED_TEXTUAL``."""
    match = re.match(r"(\d+)\.(\d+)", version)
    low, high = SUPPORTED_TEXTUAL
    if match is None or not low <= (int(match[1]), int(match[2])) < high:
        raise UnsupportedTextual(
            f"nndojo patches Textual internals written for textual>={'.'.join(map(str, low))},"
            f"<{'.'.join(map(str, high))} (checked on {', '.join(CHECKED_ON)}); "
            f"textual {version} is installed. Install a supported one: "
            f"pip install 'textual>={'.'.join(map(str, low))},<{'.'.join(map(str, high))}' "
            "(or set NNDOJO_ANY_TEXTUAL=1 to try this one anyway)."
        )


def installed_textual_version() -> str:
    """The installed Textual's version, read from its dist-info folder's name next to the
    package (importlib.metadata would cost the first frame about 18 ms of imports)."""
    import textual

    site = os.path.dirname(os.path.dirname(textual.__file__ or ""))
    try:
        for name in os.listdir(site):
            match = re.fullmatch(r"textual-([0-9][^-]*)\.dist-info", name)
            if match:
                return match.group(1)
    except OSError:
        pass
    from importlib.metadata import version  # elsewhere (an egg, a zip): the slow way

    return version("textual")


def _check_installed_textual() -> None:
    try:
        check_textual_version(installed_textual_version())
    except UnsupportedTextual as unsupported:
        if os.environ.get("NNDOJO_ANY_TEXTUAL") != "1":
            raise
        warnings.warn(str(unsupported), RuntimeWarning, stacklevel=3)


_check_installed_textual()


# -- OptionList ---------------------------------------------------------------------------
def page_keys_before_layout(option_list: type[OptionList] = OptionList) -> None:
    """Textual 8.2 (checked on 8.2.8): an OptionList's page up/down before the list is
    laid out (a terminal too small to show it, or keys typed ahead into the command
    palette) look up a line that does not exist yet and raise KeyError. Patched, they
    move one option instead there. Applying it twice changes nothing."""
    if getattr(option_list.action_page_down, "_nndojo_patch", False):
        return
    down, up = option_list.action_page_down, option_list.action_page_up

    def safe_down(self: OptionList) -> None:
        try:
            down(self)
        except KeyError:
            self.action_cursor_down()

    def safe_up(self: OptionList) -> None:
        try:
            up(self)
        except KeyError:
            self.action_cursor_up()

    for safe, original in ((safe_down, down), (safe_up, up)):
        safe._nndojo_patch = True  # type: ignore[attr-defined]
        safe._nndojo_original = original  # type: ignore[attr-defined]  # (for the tests)
    option_list.action_page_down = safe_down  # type: ignore[method-assign]
    option_list.action_page_up = safe_up  # type: ignore[method-assign]


# -- the driver ---------------------------------------------------------------------------
def on_driver_message(app: App[Any], callback: Callable[[Message], None]) -> bool:
    """Call ``callback`` with every message (keys, mouse, resize) in the terminal's input
    thread, before Textual queues it for the UI thread; False if ``app`` has no driver.

    Textual offers no hook there: a key is seen only once the UI thread gets to it,
    which may be after a whole frame. Wraps ``app._driver.process_message``, which the
    Linux driver's input thread calls for every message (Textual 8.2.8)."""
    driver = app._driver
    if driver is None:
        return False
    process = driver.process_message

    def process_message(message: Message) -> None:
        callback(message)
        process(message)

    driver.process_message = process_message  # type: ignore[method-assign]
    return True


def wrap_driver_write(app: App[Any], wrap: Callable[[Callable[[str], None]], Callable[[str], None]]) -> bool:
    """Send everything Textual writes to the terminal through ``wrap(write)`` instead of
    ``write``; False if ``app`` has no driver.

    Textual offers no output hook: it writes each frame whole (Textual 8.2.8). Replaces
    ``app._driver.write``, through which every frame and escape sequence goes."""
    driver = app._driver
    if driver is None:
        return False
    driver.write = wrap(driver.write)  # type: ignore[method-assign,assignment]
    return True


class DirectWriter:
    """Stands in for Textual's ``WriterThread``: writes in the caller's thread, at once.

    Textual's Linux driver hands every write to a thread of its own, which then needs
    the GIL to write; the UI thread goes straight on to the next frame and training
    runs beside it, so a key's frame sat in that queue until the next frame was built
    (a key's effect reached the terminal tens of milliseconds late, once in a while
    over a hundred). Written here, it goes out when ``App._display`` writes it. A
    terminal that has gone away is ignored, as the thread would have died quietly."""

    def __init__(self, file: Any) -> None:
        self._file = file
        self._lock = threading.Lock()  # the input thread writes too (mode switches)

    def write(self, text: str) -> None:
        with self._lock:
            try:
                self._file.write(text)
                self._file.flush()
            except (OSError, ValueError):  # the terminal closed (an SSH session dropped)
                pass

    def flush(self) -> None:
        pass  # every write is flushed

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return int(self._file.fileno())

    def stop(self) -> None:
        pass


def writer_name(app: App[Any]) -> str:
    """The class that writes ``app``'s frames ("DirectWriter", Textual's "WriterThread",
    or "NoneType" without a terminal): for the benchmark's counters."""
    return type(getattr(app._driver, "_writer_thread", None)).__name__


def direct_write_driver(driver_class: type[Driver]) -> type[Driver]:
    """``driver_class``, or for Textual's Linux driver a subclass whose writes go out at
    once through a ``DirectWriter`` (Textual 8.2.8: ``LinuxDriver.write`` calls
    ``self._writer_thread.write``; ``start_application_mode`` starts that thread and
    ``stop_application_mode``/``close`` stop it)."""
    try:
        from textual.drivers.linux_driver import LinuxDriver
    except ImportError:  # no termios (Windows): its driver writes as Textual has it
        return driver_class
    if not issubclass(driver_class, LinuxDriver):
        return driver_class

    class DirectWriteDriver(driver_class):  # type: ignore[valid-type,misc]
        def start_application_mode(self) -> None:
            super().start_application_mode()
            thread = getattr(self, "_writer_thread", None)
            if isinstance(thread, WriterThread):
                thread.stop()  # writes what Textual queued while starting, then ends
                setattr(self, "_writer_thread", DirectWriter(getattr(self, "_file")))

    DirectWriteDriver.__name__ = DirectWriteDriver.__qualname__ = f"DirectWrite{driver_class.__name__}"
    return DirectWriteDriver


# -- the screen's update timer ---------------------------------------------------------------
if TYPE_CHECKING:  # a Screen to mypy (one override, checked here), a mixin at run time
    _ScreenMixin = Screen[Any]
else:
    _ScreenMixin = object


class PromptScreen(_ScreenMixin):
    """Mix into a Screen, before it, so that its updates go out as soon as the
    frame-rate cap allows: ``class Dialog(PromptScreen, ModalScreen[None])``.

    Textual's Screen draws from a private repeating Timer (``Screen._update_timer``)
    that, after a pause, waits for its next tick on a fixed grid and skips ticks it fell
    behind on, so a key's effect waits up to two frame periods. Here that property is a
    ``PromptUpdates`` instead; Textual calls only its ``resume`` and ``pause``, and
    ``Screen._on_timer_update`` draws (Textual 8.2.8).

    A mixin, not a Screen subclass: Textual gathers a screen's CSS types and
    DEFAULT_CSS along the first DOM base of each class, and a Screen subclass listed
    first would hide ModalScreen's."""

    @property
    def _update_timer(self) -> PromptUpdates:  # type: ignore[override]
        updates: PromptUpdates | None = self.__dict__.get("_prompt_updates")
        if updates is None:
            updates = self.__dict__["_prompt_updates"] = PromptUpdates(self._on_timer_update, self._report_update_error)
        return updates

    def _report_update_error(self, error: Exception) -> None:
        self.app._handle_exception(error)  # as Textual's Timer does with a failing callback

    def after_next_update(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` right after this screen's next update is written."""
        self._update_timer.after_next_update(callback)

    def repaint_in_next_update(self, widget: Any) -> None:
        """Repaint ``widget`` in this screen's next update, even one already due.

        Textual tells the screen of a widget's repaint by a message the widget posts
        once its own queue is idle (``Widget._check_refresh``); an update already
        scheduled when a key comes runs first and draws without it, so the key's
        effect waited a frame (and then came with everything the key changed after
        that frame: a frame the size of the screen). Here the widget joins the
        screen's dirty widgets at once (``Screen._dirty_widgets``, which
        ``Screen._on_timer_update`` draws and ``Screen._on_update`` fills; the
        compositor's ``visible_widgets``)."""
        widget.refresh()
        # Only a widget on screen: one that is not would make the compositor map the
        # whole screen again (a widget it does not know), and draws nothing anyway.
        if widget.display and widget in self._compositor.visible_widgets:
            self._dirty_widgets.add(widget)
            self._update_timer.resume()


def after_next_update(screen: Screen[Any], callback: Callable[[], object]) -> None:
    """Run ``callback`` once ``screen``'s next update is written (or after its next
    refresh, for a screen that is not a PromptScreen, such as the command palette)."""
    if isinstance(screen, PromptScreen):
        screen.after_next_update(callback)
    else:
        screen.call_after_refresh(callback)


class OrderedInput(Input):
    """A one-line Input that keeps the order of keys typed ahead.

    Textual 8's Input (checked on 8.2.8) inserts a printable key the moment it arrives,
    but runs its editing keys (backspace, delete, arrows, home/end, ctrl+u...) as
    bindings, after the key has bubbled up the DOM. Keys typed ahead of the app (a fast
    typist, or a burst over a slow SSH link) then run out of order: "⌫⌫10" inserts "10"
    first and deletes it after, leaving nothing. Here the editing keys act at once, in
    order, through the private ``Input._on_key`` and ``Input._bindings``."""

    async def _on_key(self, event: events.Key) -> None:
        bindings = self._bindings.key_to_bindings.get(event.key)
        # enter (submit) keeps its usual path: it comes after the edits either way.
        if bindings and not event.is_printable and bindings[0].action != "submit":
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
            return
        await super()._on_key(event)
