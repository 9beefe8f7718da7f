"""The playground's network view: the whole model as a graph where it fits (a column of
thumbnails per layer, each neuron's output over the plane, and the weights between them
as edges), else a neuron at a time (its map large, its incoming weights listed, and every
neuron of the network on a strip with the cursor on it). [ and ] move the cursor."""

from __future__ import annotations

import functools
from typing import Any, Hashable, Sequence

import numpy as np
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from nndojo.core.experiment import Snapshot
from nndojo.core.playground_graph import edge_cells, edge_kinds, graph_layout, layer_index
from nndojo.tui.widgets.colors import Colormap, quantize, resample_nearest
from nndojo.tui.widgets.frame import ChartWidget, color_rows

POSITIVE, NEGATIVE = "#5f87ff", "#ff8700"  # Playground's blue and orange (xterm 69, 208)
#: Orange (negative) - white - blue (positive), as Playground colours its maps; xterm-256
#: colours 130, 172, 215, 223, 231, 153, 75, 33, 25.
PLAYGROUND_MAP = Colormap(
    name="playground",
    level_rgb=((175, 95, 0), (215, 135, 0), (255, 175, 95), (255, 215, 175), (255, 255, 255), (175, 215, 255),
               (95, 175, 255), (0, 135, 255), (0, 95, 175)),
    nan_rgb=(88, 88, 88), path_rgb=(0, 215, 0), point_rgb=(255, 255, 0), centered=True)
#: A weight's bar in the neuron view: solid for +, dashed for − (as the graph's edges).
BAR = {1: "━", -1: "╍"}


@functools.lru_cache(maxsize=32)
def edge_style(kind: int, no_color: bool) -> Style:
    """The style of an edge cell of ``kind`` (sign x size class)."""
    if no_color:
        return Style(bold=abs(kind) == 3)
    color = POSITIVE if kind > 0 else NEGATIVE
    return Style(color=color, dim=abs(kind) == 1, bold=abs(kind) == 3)


def words(lang: str) -> dict[str, str]:
    ko = lang == "ko"
    return {
        "keys": "[ ] 뉴런 이동" if ko else "[ ] moves",
        "legend": "━ + ╍ −  굵게: |w| ≥ ½ 최대" if ko else "━ + ╍ −  thick: |w| ≥ ½ max",
        "bias": "편향" if ko else "bias",
        "none": "은닉층이 없습니다: 출력은 특성의 선형 결합입니다" if ko else
                "no hidden layer: the output is a linear map of the features",
        "of": "/",
        "out": "출력" if ko else "out",
    }


class NetworkView(ChartWidget):
    """The network: a graph of the whole model where it fits at this size, otherwise one
    neuron at a time; never a neuron left out (``fits`` says whether all is shown)."""

    PREFIX = "networkview"
    COMPONENT_CLASSES = {"networkview--caption", "networkview--legend"}
    DEFAULT_CSS = """
    NetworkView { width: 1fr; height: 1fr; }
    NetworkView > .networkview--caption { color: $text-muted; }
    NetworkView > .networkview--legend { color: $text-muted; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data: dict[str, Any] | None = None
        self._signature: Any = None
        #: "graph" or "neuron": what the last frame drew
        self.mode = ""

    # -- data ---------------------------------------------------------------------------
    def draw(self, snap: Snapshot, lang: str) -> None:
        v = snap.views
        names = list(v["neuron_names"])
        hidden = [] if names == ["—"] else names
        inputs = list(v["layer_inputs"][0])
        k = int(v["neuron"])
        view = (tuple(inputs), tuple(hidden), k, lang)
        columns = [np.asarray(v["input_maps"])]
        start = 0
        for w in [W.shape[1] for W in v["layer_weights"][:-1]]:
            columns.append(np.asarray(v["neurons"])[start:start + w])
            start += w
        columns.append(np.asarray(v["output_maps"]))
        data: dict[str, Any] = {
            "columns": columns,
            "levels": [self._levels(c) for c in columns],
            "weights": [np.asarray(W) for W in v["layer_weights"]],
            "biases": [np.asarray(b) for b in v["layer_biases"]],
            "kinds": [edge_kinds(np.asarray(W)) for W in v["layer_weights"]],
            "inputs": inputs,
            "hidden": hidden,
            "neuron": k,
            "neuron_map": np.asarray(v["neuron_map"]),
        }
        self.data = data
        # redrawn only when what is drawn changes: the maps' colour levels, the edges' kinds,
        # the weights' digits as listed
        listed: tuple[float, ...] = ()
        if hidden:
            layer, unit = layer_index(hidden, k)
            listed = tuple(np.round(data["weights"][layer][:, unit], 2).tolist()) + (
                round(float(data["biases"][layer][unit]), 2),)
        signature = (view, tuple(lv.tobytes() for lv in data["levels"]), tuple(kd.tobytes() for kd in data["kinds"]),
                     listed, self._levels(data["neuron_map"][None]).tobytes())
        if signature != self._signature:
            self._signature = signature
            self.lang = lang
            self._changed()

    @staticmethod
    def _levels(stack: np.ndarray) -> np.ndarray:
        big = float(np.max(np.abs(stack[np.isfinite(stack)]))) if np.isfinite(stack).any() else 0.0
        return quantize(stack, -big, big, PLAYGROUND_MAP.levels) if big > 0 else np.full(
            stack.shape, PLAYGROUND_MAP.mid_index, dtype=np.int16)

    def _frame_key(self) -> Hashable:
        return (super()._frame_key(), self._signature)

    def counts(self) -> list[int]:
        assert self.data is not None
        return [len(c) for c in self.data["columns"]]

    def layout_for(self, width: int, height: int) -> Any:
        """The graph's layout at this size (None: a neuron at a time)."""
        if self.data is None:
            return None
        label_w = min(max((cell_len(n) for n in self.data["inputs"]), default=1), 8) + 1
        return graph_layout(self.counts(), width, height - 2, label_w)

    # -- frames -------------------------------------------------------------------------
    def _build_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        self.shows_all = True
        if self.data is None:
            return self._empty_frame(width, height, [])
        layout = self.layout_for(width, height)
        if layout is not None:
            self.mode = "graph"
            return self._graph_frame(layout, width, height, no_color)
        self.mode = "neuron"
        return self._neuron_frame(width, height, no_color)

    def _graph_frame(self, g: Any, width: int, height: int, no_color: bool) -> list[Strip]:
        d = self.data
        assert d is not None
        base = self.rich_style
        caption = self._part_style("caption")
        rows = max(height - 2, 0)
        cells: list[list[tuple[str, Style | None]]] = [[(" ", None)] * width for _ in range(rows)]

        def put(y: int, x: int, text: str, style: Style | None) -> None:
            if 0 <= y < rows:
                for i, ch in enumerate(text):
                    if 0 <= x + i < width:
                        cells[y][x + i] = (ch, style)

        names = ["x"] + [f"h{i + 1}" for i in range(len(d["columns"]) - 2)] + [words(self.lang)["out"]]
        hidden = d["hidden"]
        cursor = layer_index(hidden, d["neuron"]) if hidden else None
        for c, name in enumerate(names):
            put(0, g.x[c] + max((g.thumb_w - cell_len(name)) // 2, 0), name[:g.thumb_w], caption)
        pixel_rows = g.thumb_h * (1 if no_color else 2)
        for c, column in enumerate(d["levels"]):
            for n in range(len(column)):
                grid = resample_nearest(column[n], pixel_rows, g.thumb_w, flip_rows=True)
                for r, segs in enumerate(color_rows(grid, PLAYGROUND_MAP, no_color, base)):
                    x = g.x[c]
                    for seg in segs:
                        for ch in seg.text:
                            put(g.y[c][n] + r, x, ch, seg.style)
                            x += 1
            if c == 0:
                for n, label in enumerate(d["inputs"]):
                    text = label[:g.label_width - 1]
                    put(g.y[0][n] + (g.thumb_h - 1) // 2, g.x[0] - 1 - cell_len(text), text, caption)
        for c in range(len(d["weights"])):
            mid = (g.thumb_h - 1) / 2
            src = [y + mid for y in g.y[c]]
            dst = [y + mid for y in g.y[c + 1]]
            codes, kinds = edge_cells(src, dst, d["weights"][c], g.gap, rows)
            x0 = g.x[c] + g.thumb_w
            for y, x in zip(*np.nonzero(codes)):
                put(int(y), x0 + int(x), chr(int(codes[y, x])), edge_style(int(kinds[y, x]), no_color))
        if cursor is not None:  # the cursor: its name under its thumbnail, marked
            layer, unit = cursor
            top = g.y[layer + 1][unit] + g.thumb_h
            label = "▲" + hidden[d["neuron"] - 1]
            put(top, g.x[layer + 1] + (g.thumb_w - cell_len(label)) // 2, label, Style(bold=True, reverse=True))
        lines = [Strip(_merge(row, base)).adjust_cell_length(width, base) for row in cells]
        legend = self._legend_lines(width, no_color)
        return self._close_lines(lines, legend, width, height)

    def _legend_lines(self, width: int, no_color: bool) -> list[list[Segment]]:
        d = self.data
        assert d is not None
        w = words(self.lang)
        style = self._part_style("legend")
        parts = [[Segment("━ +", style + Style(color=POSITIVE) if not no_color else style), Segment(" ", style),
                  Segment("╍ −", style + Style(color=NEGATIVE) if not no_color else style)],
                 [Segment("  " + w["legend"].split("  ", 1)[1], style)],
                 [Segment("  ", style), *self._swatch(no_color, style)],
                 [Segment("   " + w["keys"], style)]]
        first: list[Segment] = []
        for part in parts:  # what fits, in this order (the signs always)
            if not first or sum(x.cell_length for x in first + part) <= width:
                first += part
        second: list[Segment] = []
        if d["hidden"]:
            layer, unit = layer_index(d["hidden"], d["neuron"])
            W = d["weights"][layer][:, unit]
            text = f"{d['hidden'][d['neuron'] - 1]} ← " + " ".join(f"{x:+.2f}" for x in W.tolist()) + \
                f"  {w['bias']} {float(d['biases'][layer][unit]):+.2f}"
            if cell_len(text) > width:  # as many as fit, and how many more: nothing silently left out
                text = text[:max(width - 1, 0)] + "…"
            second = [Segment(text, style)]
        return [first, second]

    def _swatch(self, no_color: bool, style: Style) -> list[Segment]:
        """The maps' colours from − through 0 to +, as a small bar."""
        levels = range(0, PLAYGROUND_MAP.levels, 2)
        if no_color:
            bar = [Segment("".join(PLAYGROUND_MAP.glyph(i) for i in levels), style)]
        else:
            bar = [Segment("█", style + Style(color=PLAYGROUND_MAP.color(i))) for i in levels]
        return [Segment("−", style), *bar, Segment("+", style)]

    def _neuron_frame(self, width: int, height: int, no_color: bool) -> list[Strip]:
        d = self.data
        assert d is not None
        base = self.rich_style
        caption = self._part_style("caption")
        w = words(self.lang)
        hidden = d["hidden"]
        if not hidden:
            return self._message_frame(width, height, w["none"], caption)
        k = d["neuron"]
        layer, unit = layer_index(hidden, k)
        W = d["weights"][layer][:, unit]
        names_in = d["inputs"] if layer == 0 else [f"h{layer}.{j + 1}" for j in range(len(W))]
        head = [Segment(hidden[k - 1], base + Style(bold=True)), Segment(f"  {k}{w['of']}{len(hidden)}", caption)]
        keys = Segment(f"   {w['keys']}", caption)
        if sum(x.cell_length for x in head) + keys.cell_length <= width:
            head.append(keys)
        lines: list[Strip] = [Strip(head).adjust_cell_length(width, base)]
        strip_lines = self._strip(width, caption)
        body = max(height - 1 - len(strip_lines), 0)
        listed = len(W) + 1
        map_w = max(min(width // 3, 2 * body, 24), 4)
        map_h = max(min(body, -(-map_w // 2)), 1)
        list_w = width - map_w - 1
        big = float(np.max(np.abs(W))) if np.isfinite(W).all() and W.size else 0.0
        label_w = min(max(cell_len(n) for n in names_in + [w["bias"]]), 8)
        entries: list[list[Segment]] = []
        for name, x in zip(names_in, W.tolist()):
            sign = 1 if x >= 0 else -1
            bar_w = max(list_w - label_w - 8, 1)
            size = abs(x) / big if big > 0 else 0.0
            bar = BAR[sign] * max(int(round(size * bar_w)), 1 if x != 0 else 0)
            style = edge_style(sign * (3 if size >= 0.5 else 2 if size >= 0.15 else 1), no_color)
            entries.append([Segment(_right(name, label_w) + " ", caption), Segment(f"{x:+6.2f} ", base + style),
                            Segment(bar, base + style)])
        entries.append([Segment(_right(w["bias"], label_w) + " ", caption),
                        Segment(f"{float(d['biases'][layer][unit]):+6.2f}", base + Style(bold=True))])
        fan_in = max(len(W_) for W_ in d["weights"][:-1])
        if max(listed, fan_in + 1) > body:
            # the list is cut (or would be, on another neuron): the panel asks for more room
            self.shows_all = False
        pixel_rows = map_h * (1 if no_color else 2)
        big_map = self._levels(d["neuron_map"][None])[0]
        grid = resample_nearest(big_map, pixel_rows, map_w, flip_rows=True)
        map_rows = color_rows(grid, PLAYGROUND_MAP, no_color, base)
        for r in range(body):
            segs: list[Segment] = []
            segs += map_rows[r] if r < len(map_rows) else [Segment(" " * map_w, base)]
            segs.append(Segment(" ", base))
            if r < len(entries):
                segs += entries[r]
            lines.append(Strip(segs).adjust_cell_length(width, base))
        lines += [Strip(s).adjust_cell_length(width, base) for s in strip_lines]
        lines = lines[:height]
        lines += [Strip.blank(width, base)] * (height - len(lines))
        return lines

    def _strip(self, width: int, style: Style) -> list[list[Segment]]:
        """Every hidden neuron as one mark, a group per layer (the cursor's ●), packed
        on as few lines as the width allows."""
        d = self.data
        assert d is not None
        hidden = d["hidden"]
        layer_k, unit_k = layer_index(hidden, d["neuron"])
        groups: list[list[Segment]] = []
        for i, column in enumerate(d["columns"][1:-1]):
            marks = "".join("●" if (i, j) == (layer_k, unit_k) else "○" for j in range(len(column)))
            groups.append([Segment(f"h{i + 1} ", style), Segment(marks, style + Style(bold=True) if i == layer_k else style)])
        lines: list[list[Segment]] = []
        used = 0
        for group in groups:
            size = sum(s.cell_length for s in group)
            if lines and used + 2 + size <= width:
                lines[-1] += [Segment("  ", style), *group]
                used += 2 + size
            else:
                lines.append(list(group))
                used = size
            if size > width:
                self.shows_all = False
        return lines


def _right(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells and right-aligned in them."""
    text = set_cell_size(text, min(cell_len(text), width))
    return " " * (width - cell_len(text)) + text


def _merge(row: Sequence[tuple[str, Style | None]], base: Style) -> list[Segment]:
    """Segments of a row of (character, style) cells, runs of one style merged (a cell
    with no style of its own in ``base``, over which the others are drawn)."""
    out: list[Segment] = []
    text, style = "", base
    combined: dict[int, Style] = {}
    for ch, own in row:
        if own is None:
            s = base
        else:
            s = combined.get(id(own)) or combined.setdefault(id(own), base + own)
        if s is style:
            text += ch
        else:
            if text:
                out.append(Segment(text, style))
            text, style = ch, s
    if text:
        out.append(Segment(text, style))
    return out
