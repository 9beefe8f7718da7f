"""Fewer bytes to the terminal: what SSH carries while a lesson trains.

Textual repaints a widget's whole region when it refreshes, and writes every run of
text as ``ESC[<style>m text ESC[0m``: while a lesson trains, most of what it writes
is unchanged rows and repeated style codes (the README's ssh table has the numbers).
``OutputFilter`` sits between Textual and the terminal and rewrites each screen update:

* **unchanged spans are dropped.** An update is a series of ``ESC[row;colH`` + content
  spans. The filter remembers, per row, the spans it last sent; a span whose cells
  and content equal what the terminal already shows there is not sent again. A span
  that is sent replaces every remembered span it overlaps, so the memory always says
  exactly what is on the screen.
* **repeated style codes are merged.** ``ESC[0m`` followed by the style already in
  force is dropped with it; a reset before a style that sets both colours (and no
  attributes) over a pen with colours only is dropped too, and of the two colours
  only the one that changes is sent: the result is the same.

Anything else written to the terminal (mode switches, clears, the synchronised-update
brackets) passes through untouched; a write that could change cells other than by a
span (clear screen, the alternate screen, a reset) and a change of terminal size
forget everything, so the next update is sent whole.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_COLOURS_ONLY = re.compile(r"^(38;(?:5;\d+|2;\d+;\d+;\d+)|3\d|9\d);(48;(?:5;\d+|2;\d+;\d+;\d+)|4\d|10\d)$")
#: Sequences after which the terminal's cells are no longer what we remember.
_FORGET = ("\x1b[2J", "\x1b[?1049", "\x1bc", "\x1b[J", "\x1b[0J", "\x1b[1J", "\x1b[3J", "\x1b[?47")


class OutputFilter:
    """Rewrites Textual's screen updates into fewer bytes showing the same cells."""

    def __init__(self) -> None:
        self._rows: dict[int, list[tuple[int, int, str]]] = {}
        self.size: tuple[int, int] | None = None
        self.bytes_in = 0
        self.bytes_out = 0

    def forget(self) -> None:
        """Forget what the screen shows: the next update goes out whole."""
        self._rows.clear()

    def set_size(self, size: tuple[int, int]) -> None:
        if size != self.size:
            self.size = size
            self.forget()

    def __call__(self, data: str) -> str:
        self.bytes_in += len(data)
        if any(seq in data for seq in _FORGET):
            self.forget()
            out = data
        elif "\x1b[" not in data or not _MOVE.search(data):
            out = data
        else:
            out = merge_styles(self._drop_unchanged(data))
        self.bytes_out += len(out)
        return out

    def _drop_unchanged(self, data: str) -> str:
        parts = _MOVE.split(data)
        out = [parts[0]]
        rows = self._rows
        for i in range(1, len(parts), 3):
            row, col, content = int(parts[i]), int(parts[i + 1]), parts[i + 2]
            # Newlines between spans only move the cursor; every span starts with its
            # own absolute move, so they carry nothing.
            body = content.rstrip("\n")
            if not body:  # a bare move (where the cursor rests): always send it
                out.append(f"\x1b[{row};{col}H")
                continue
            if "\x1b" in _SGR.sub("", body) or "\n" in body or "\r" in body:
                # Something other than styled text: send it, and forget this row.
                rows.pop(row, None)
                out.append(f"\x1b[{row};{col}H{content}")
                continue
            width = cell_len(_SGR.sub("", body))
            spans = rows.get(row)
            if spans is not None and (col, width, body) in spans:
                continue  # the terminal already shows exactly this
            end = col + width
            kept = [s for s in spans if s[0] + s[1] <= col or s[0] >= end] if spans else []
            kept.append((col, width, body))
            rows[row] = kept
            out.append(f"\x1b[{row};{col}H{body}")
        return "".join(out)


def merge_styles(data: str) -> str:
    """Drop style codes that do not change the pen (see the module text)."""
    out: list[str] = []
    append = out.append
    pen = ""  # the SGR parameters in force since the last reset ("" = default)
    pending_reset = False
    pos = 0
    for m in _SGR.finditer(data):
        text = data[pos : m.start()]
        if text:
            if pending_reset:
                append("\x1b[0m")
                pen, pending_reset = "", False
            append(text)
        pos = m.end()
        code = m.group(1)
        if code in ("0", ""):
            pending_reset = True
            continue
        if pending_reset:
            pending_reset = False
            if code == pen:
                continue  # reset, then the same style again: nothing changes
            colours = _COLOURS_ONLY.match(code)
            if colours and pen == "":
                append(m.group(0))  # sets both colours over the default: the reset adds nothing
                pen = code
                continue
            if colours and (before := _COLOURS_ONLY.match(pen)):
                # Over a pen of colours only, the reset adds nothing either, and only
                # the colour that changes needs saying (a plot's lines change the
                # foreground over one background: 9 bytes instead of 19 per change).
                (fg, bg), (old_fg, old_bg) = colours.groups(), before.groups()
                if bg == old_bg:
                    append(f"\x1b[{fg}m")
                elif fg == old_fg:
                    append(f"\x1b[{bg}m")
                else:
                    append(m.group(0))
                pen = code
                continue
            append("\x1b[0m")
            pen = ""
        append(m.group(0))
        pen = f"{pen};{code}" if pen else code
    if pending_reset:
        append("\x1b[0m")
    append(data[pos:])
    return "".join(out)
