"""The output filter sends fewer bytes and the terminal shows exactly the same cells.

A small terminal model (cursor moves, SGR colours and attributes, wide characters)
replays Textual-shaped updates twice: as written, and through OutputFilter. After every
write both screens must be equal, cell for cell, style for style.
"""

from __future__ import annotations

import random
import re

import pytest
from rich.cells import cell_len

from nndojo.tui.output import OutputFilter, merge_styles

TOKEN = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[([0-9;]*)m|\x1b\[[?0-9;]*[A-Za-z]|\n|[^\x1b\n]")


class Screen:
    """Just enough of a terminal: cells of (character, fg, bg, attributes)."""

    def __init__(self, cols: int = 40, rows: int = 8) -> None:
        self.cols, self.rows = cols, rows
        self.clear()

    def clear(self) -> None:
        self.cells = [[(" ", None, None, frozenset())] * self.cols for _ in range(self.rows)]
        self.x = self.y = 0
        self.pen = (None, None, frozenset())

    def sgr(self, params: str) -> None:
        fg, bg, attrs = self.pen
        codes = [int(c) for c in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                fg, bg, attrs = None, None, frozenset()
            elif 1 <= c <= 9:
                attrs = attrs | {c}
            elif 21 <= c <= 29:
                attrs = attrs - {c - 20}
            elif c in (38, 48):
                if codes[i + 1] == 5:
                    value, i = ("256", codes[i + 2]), i + 2
                else:
                    value, i = ("rgb", tuple(codes[i + 2 : i + 5])), i + 4
                fg, bg = (value, bg) if c == 38 else (fg, value)
            elif 30 <= c <= 37 or 90 <= c <= 97:
                fg = ("16", c)
            elif 40 <= c <= 47 or 100 <= c <= 107:
                bg = ("16", c)
            elif c == 39:
                fg = None
            elif c == 49:
                bg = None
            i += 1
        self.pen = (fg, bg, attrs)

    def feed(self, data: str) -> None:
        for m in TOKEN.finditer(data):
            text = m.group(0)
            if m.group(1):
                self.y, self.x = int(m.group(1)) - 1, int(m.group(2)) - 1
            elif m.group(3) is not None:
                self.sgr(m.group(3))
            elif text == "\n":
                self.y = min(self.y + 1, self.rows - 1)
            elif text.startswith("\x1b"):
                if text == "\x1b[2J":
                    self.clear()
            else:
                width = cell_len(text)
                if self.x < self.cols:
                    self.cells[self.y][self.x] = (text, *self.pen)
                    if width == 2 and self.x + 1 < self.cols:
                        self.cells[self.y][self.x + 1] = ("", *self.pen)
                self.x += width


STYLES = ["38;5;253;48;5;234", "38;5;25;48;5;233", "1;38;5;231", "38;2;10;20;30;48;2;200;100;0", "4", "38;5;9", "2;38;5;240;48;5;234"]
TEXTS = ["a", "ab", "▀▀", "⠁⡇", "한", "  ", "x y", "━"]


def styled_run(rng: random.Random, width: int) -> tuple[str, int]:
    """Textual's shape: ESC[style m text ESC[0m, repeated."""
    out, used = [], 0
    while used < width:
        text = rng.choice(TEXTS)
        w = cell_len(text)
        if used + w > width:
            text, w = " " * (width - used), width - used
        style = rng.choice(STYLES + [""])
        out.append(f"\x1b[{style}m{text}\x1b[0m" if style else text)
        used += w
    return "".join(out), used


def random_update(rng: random.Random, screen: Screen, previous: list[str]) -> str:
    """A Textual-like update: spans at absolute positions, newline-separated, ending
    with a bare move for the cursor; often a repeat of an earlier span."""
    parts = []
    for _ in range(rng.randint(1, 6)):
        if previous and rng.random() < 0.5:
            parts.append(rng.choice(previous))
            continue
        y, x = rng.randrange(screen.rows), rng.randrange(screen.cols - 1)
        body, _ = styled_run(rng, rng.randint(1, min(12, screen.cols - x)))
        span = f"\x1b[{y + 1};{x + 1}H{body}"
        previous.append(span)
        parts.append(span)
    return "\n".join(parts) + f"\x1b[{screen.rows};1H"


@pytest.mark.parametrize("seed", range(20))
def test_filtered_output_shows_the_same_cells(seed: int) -> None:
    rng = random.Random(seed)
    raw, filtered = Screen(), Screen()
    filt = OutputFilter()
    previous: list[str] = []
    for _ in range(300):
        if rng.random() < 0.03:
            data = "\x1b[2J"  # a clear: the filter must forget
        elif rng.random() < 0.05:
            data = "\x1b[?2026h"  # sync bracket: passes through
        else:
            data = random_update(rng, raw, previous)
        raw.feed(data)
        filtered.feed(filt(data))
        assert filtered.cells == raw.cells
    assert filt.bytes_out < filt.bytes_in  # and it did save something


def test_repeated_spans_are_not_sent_again() -> None:
    filt = OutputFilter()
    update = "\x1b[3;5H\x1b[38;5;25;48;5;233m▀▀\x1b[0m\x1b[38;5;25;48;5;233m▀▀\x1b[0m\x1b[40;1H"
    first = filt(update)
    assert "▀▀▀▀" in first  # the repeated style merged into one run
    assert filt(update) == "\x1b[40;1H"  # the same cells again: only the cursor move
    filt.set_size((80, 24))
    assert "▀▀▀▀" in filt(update)  # a new terminal size forgets what was shown


def test_a_span_that_overlaps_forgets_what_it_covered() -> None:
    filt = OutputFilter()
    a = "\x1b[1;1Hhello"
    b = "\x1b[1;3HXY"
    screen = Screen()
    for data in (a, b, a):  # the third write must go out: b changed those cells
        screen.feed(filt(data))
    assert "".join(c[0] for c in screen.cells[0][:5]) == "hello"


def test_merge_keeps_attributes_apart() -> None:
    # bold then colours: the reset between them must stay, or the colours turn bold
    data = "\x1b[1mA\x1b[0m\x1b[38;5;1;48;5;2mB\x1b[0m"
    raw, merged = Screen(), Screen()
    raw.feed(data)
    merged.feed(merge_styles(data))
    assert raw.cells == merged.cells


def test_only_the_colour_that_changes_is_sent() -> None:
    # a plot row: lines of different colours over one background
    data = "\x1b[38;5;24;48;5;233m⠈⠊\x1b[0m\x1b[38;5;39;48;5;233m⠉⠲\x1b[0m\x1b[38;5;39;48;5;234m⣀\x1b[0m\x1b[38;5;24;48;5;17mx\x1b[0m"
    merged = merge_styles(data)
    assert "\x1b[38;5;39m⠉⠲" in merged  # same background: the foreground alone
    assert "\x1b[48;5;234m⣀" in merged  # same foreground: the background alone
    assert "\x1b[38;5;24;48;5;17mx" in merged  # both change: both
    raw, out = Screen(), Screen()
    raw.feed(data)
    out.feed(merged)
    assert raw.cells == out.cells
    assert len(merged) < len(data) - 25
