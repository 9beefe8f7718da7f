"""OrderedInput: a one-line Input that keeps the order of keys typed ahead."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    """Textual 8's Input inserts a printable key the moment it arrives, but runs its
    editing keys (backspace, delete, arrows, home/end, ctrl+u...) as bindings, after
    the key has bubbled up the DOM. Keys typed ahead of the app — a fast typist, or a
    burst over a slow SSH link — then run out of order: "⌫⌫10" inserts "10" first and
    deletes it after, leaving nothing. Here the editing keys act at once, in order."""

    async def _on_key(self, event: events.Key) -> None:
        bindings = self._bindings.key_to_bindings.get(event.key)
        # enter (submit) keeps its usual path: it comes after the edits either way.
        if bindings and not event.is_printable and bindings[0].action != "submit":
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
            return
        await super()._on_key(event)
