"""``nndojo_app(node)``: the running NNDojoApp, typed, for screens and widgets.

Textual types ``node.app`` as a plain ``App``, so ``self.app.open_lesson(...)`` is an
error to a type checker. The cast is made here, once; this module imports nothing of
the app at run time, so screens can use it without an import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from nndojo.tui.app import NNDojoApp

__all__ = ["nndojo_app"]


def nndojo_app(node: MessagePump) -> NNDojoApp:
    """The app ``node`` (a screen or widget) runs in, as an NNDojoApp."""
    return cast("NNDojoApp", node.app)
