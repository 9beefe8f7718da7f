"""The playground's network drawn as a graph in text cells: where the columns of neuron
thumbnails go (``graph_layout``), and the edges between two columns as Braille dots
(``edge_cells``), each edge's sign and size kept in a cell's ``kind``.

An edge's kind is sign x size class: +1 / -1 faint (under FAINT of the layer's largest
|w|), +2 / -2 medium, +3 / -3 large (at least LARGE of it); 0 no edge. A negative edge is
dashed and a large one two dots thick, so sign and size read without colour too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

FAINT = 0.15
LARGE = 0.5
#: Braille dot bits by (row 0-3, column 0-1) within a cell.
DOT_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.int32)
BRAILLE = 0x2800
MIN_GAP = 4  # cells between two columns (8 dots): less and the edges cannot be told apart
MAX_GAP = 14
MIN_THUMB_ROWS = 2


@dataclass(frozen=True)
class GraphLayout:
    """Where the graph goes in a (width, height) area: ``label_width`` cells of input
    names, then the columns: column c starts at cell ``x[c]`` and is ``thumb_w`` wide;
    its node n starts at row ``y[c][n]`` and is ``thumb_h`` rows tall; ``gap`` cells
    between columns; row 0 is the columns' names."""

    label_width: int
    thumb_w: int
    thumb_h: int
    gap: int
    x: tuple[int, ...]
    y: tuple[tuple[int, ...], ...]
    height: int


def graph_layout(counts: Sequence[int], width: int, height: int, label_width: int = 0) -> GraphLayout | None:
    """The largest graph of columns of ``counts`` nodes (inputs, hidden layers, outputs)
    that fits ``width`` x ``height`` cells with every node shown, or None when even the
    smallest does not (thumbnails MIN_THUMB_ROWS tall, MIN_GAP cells between columns)."""
    columns = len(counts)
    most = max(counts) if counts else 0
    if columns < 2 or most < 1:
        return None
    body = height - 1  # a row for the columns' names
    for thumb_h in range(min(4, (body + 1) // most - 1), MIN_THUMB_ROWS - 1, -1):
        thumb_w = 2 * thumb_h  # square pixels: a cell is one pixel wide and two (half blocks) tall
        free = width - label_width - columns * thumb_w
        gap = min(free // (columns - 1), MAX_GAP)
        if gap < MIN_GAP:
            continue
        used = label_width + columns * thumb_w + (columns - 1) * gap
        left = label_width + (width - used) // 2
        xs = tuple(left + c * (thumb_w + gap) for c in range(columns))
        pitch = max(thumb_h + 1, min((body + 1) // most, 2 * thumb_h + 1))  # rows from node to node
        tall = most * pitch - (pitch - thumb_h)
        ys = []
        for n in counts:  # each column centred on the tallest
            top = 1 + (tall - (n * pitch - (pitch - thumb_h))) // 2
            ys.append(tuple(top + i * pitch for i in range(n)))
        return GraphLayout(label_width, thumb_w, thumb_h, gap, xs, tuple(ys), 1 + tall)
    return None


def edge_kinds(weights: np.ndarray) -> np.ndarray:
    """Each weight's kind (sign x size class against the largest |w| of ``weights``):
    ±1 faint, ±2 medium, ±3 large; 0 (no edge) for a weight of 0 or not finite."""
    w = np.asarray(weights, dtype=np.float64)
    finite = np.isfinite(w)
    big = float(np.max(np.abs(w[finite]))) if finite.any() else 0.0
    if big <= 0:
        return np.zeros(w.shape, dtype=np.int8)
    size = np.where(finite, np.abs(w) / big, 0.0)
    cls = np.where(size >= LARGE, 3, np.where(size >= FAINT, 2, 1))
    return (np.where(w < 0, -cls, cls) * (finite & (w != 0))).astype(np.int8)


def edge_cells(src_rows: Sequence[float], dst_rows: Sequence[float], weights: np.ndarray,
               gap: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The edges from nodes at text rows ``src_rows`` (the left column) to ``dst_rows``
    (the right), ``weights`` (len(src), len(dst)), drawn across ``gap`` cells x ``rows``
    rows: (codes, kinds), each (rows, gap); a code is a Braille character's code point
    (0: empty cell) and a kind the kind of the largest edge through the cell.

    Each edge is a straight line of dots; a negative one dashed (two dots on, two off),
    a large one two dots thick. Where edges cross, the larger one's kind colours the cell."""
    w = np.asarray(weights)
    kinds = edge_kinds(w)
    dots_w, dots_h = 2 * gap, 4 * rows
    strength = np.zeros((dots_h, dots_w), dtype=np.float64)  # |kind| + size, the largest wins
    kind_at = np.zeros((dots_h, dots_w), dtype=np.int8)
    finite = np.isfinite(w)
    big = float(np.max(np.abs(w[finite]))) if finite.any() else 0.0
    order = sorted(((abs(float(w[i, j])) if finite[i, j] else 0.0, i, j)
                    for i in range(w.shape[0]) for j in range(w.shape[1])))
    for size, i, j in order:
        k = int(kinds[i, j])
        if k == 0:
            continue
        y0, y1 = 4 * src_rows[i] + 1.5, 4 * dst_rows[j] + 1.5  # the node's middle, in dots
        n = int(max(dots_w - 1, abs(y1 - y0))) + 1  # a dot per step along the longer axis: unbroken
        t = np.linspace(0.0, 1.0, n)
        line_x = np.rint(t * (dots_w - 1)).astype(np.intp)
        line_y = np.rint(y0 + t * (y1 - y0)).astype(np.intp)
        keep = np.ones(len(line_x), dtype=bool)
        if k < 0:
            keep = (np.arange(len(line_x)) // 2) % 2 == 0  # dashed
        px, py = line_x[keep], line_y[keep]
        if abs(k) == 3:  # thick: a second dot under each
            px, py = np.concatenate([px, px]), np.concatenate([py, py + 1])
        inside = (py >= 0) & (py < dots_h)
        px, py = px[inside], py[inside]
        s = abs(k) + (size / big if big > 0 else 0.0)
        stronger = s >= strength[py, px]
        strength[py[stronger], px[stronger]] = s
        kind_at[py[stronger], px[stronger]] = k
    on = strength > 0
    bits = (on.reshape(rows, 4, gap, 2) * DOT_BITS[None, :, None, :]).sum(axis=(1, 3))
    codes = np.where(bits > 0, BRAILLE + bits, 0).astype(np.int32)
    cell_strength = strength.reshape(rows, 4, gap, 2).transpose(0, 2, 1, 3).reshape(rows, gap, 8)
    cell_kind = kind_at.reshape(rows, 4, gap, 2).transpose(0, 2, 1, 3).reshape(rows, gap, 8)
    pick = cell_strength.argmax(axis=2)
    kind = np.take_along_axis(cell_kind, pick[..., None], axis=2)[..., 0]
    return codes, np.where(bits > 0, kind, 0).astype(np.int8)


def layer_index(names: Sequence[str], neuron: int) -> tuple[int, int]:
    """(hidden layer, unit) of hidden neuron number ``neuron`` (1-based, layer by layer)
    among ``names`` ("h1.1", ...): both 0-based."""
    k = min(max(neuron, 1), len(names)) - 1
    layer, unit = names[k][1:].split(".")
    return int(layer) - 1, int(unit) - 1
