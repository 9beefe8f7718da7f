"""The playground's network graph in text cells (core/playground_graph.py): every node
placed, edges whose sign and size read without colour, and the views it draws from."""

from __future__ import annotations

import numpy as np
import pytest

from nndojo.core.lessons.playground import GRID, THUMB, Playground
from nndojo.core.playground_graph import (BRAILLE, MIN_GAP, edge_cells, edge_kinds, graph_layout, layer_index)


def dots(codes: np.ndarray) -> int:
    """How many Braille dots the cells hold."""
    return sum(bin(int(c) - BRAILLE).count("1") for c in codes.ravel() if c)


@pytest.mark.parametrize("counts, width, height", [([2, 4, 2, 2], 46, 22), ([7, 8, 8, 2], 60, 36), ([2, 1, 2], 26, 8)])
def test_every_node_has_a_place_inside_and_none_overlap(counts: list[int], width: int, height: int) -> None:
    g = graph_layout(counts, width, height, label_width=3)
    assert g is not None
    assert [len(ys) for ys in g.y] == counts  # no node left out
    assert g.gap >= MIN_GAP and g.x[0] >= 3 and g.x[-1] + g.thumb_w <= width
    for ys in g.y:
        assert min(ys) >= 1 and max(ys) + g.thumb_h <= height  # below the names' row, inside
        assert all(b - a > g.thumb_h for a, b in zip(ys, ys[1:]))  # a blank row between two nodes
    assert all(b - a == g.thumb_w + g.gap for a, b in zip(g.x, g.x[1:]))


def test_a_graph_too_big_for_the_area_is_refused_not_cut() -> None:
    big = [2] + [8] * 6 + [2]
    assert graph_layout(big, 29, 16, label_width=3) is None  # 80x24: a neuron at a time
    assert graph_layout(big, 78, 34, label_width=3) is not None  # the whole panel area of 120x40
    assert graph_layout([2, 4, 2, 2], 46, 22, label_width=3) is not None  # the default net beside the map


def test_edge_kinds_are_sign_times_size_class() -> None:
    w = np.array([[1.0, -1.0, 0.3, -0.3, 0.05, -0.05, 0.0, np.nan]])
    assert edge_kinds(w).tolist() == [[3, -3, 2, -2, 1, -1, 0, 0]]
    assert edge_kinds(np.zeros((2, 2))).tolist() == [[0, 0], [0, 0]]


def test_a_negative_edge_is_dashed_and_a_large_one_thick() -> None:
    gap, rows = 6, 3

    def one(w: float, other: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        # the edge of interest from node 0 to node 0 (a level line on row 1), a reference
        # edge far below it sets the scale
        return edge_cells([1.0, 9.0], [1.0, 9.0], np.array([[w, 0.0], [0.0, other]]), gap, rows)

    solid, kinds = one(0.4)
    dashed, kinds_neg = one(-0.4)
    thick, kinds_big = one(1.0)
    assert dots(solid) == 2 * gap  # a dot in every column of dots: unbroken
    assert 0 < dots(dashed) <= gap + 1  # two on, two off
    assert dots(thick) == 2 * dots(solid)  # two dots thick
    assert set(kinds[kinds != 0].tolist()) == {2}
    assert set(kinds_neg[kinds_neg != 0].tolist()) == {-2}
    assert set(kinds_big[kinds_big != 0].tolist()) == {3}


def test_where_edges_cross_the_larger_one_colours_the_cell() -> None:
    # two lines that cross, and a reference edge of |w| 1 off the area (it sets the scale)
    rows_in, rows_out = [0.0, 4.0, 30.0], [4.0, 0.0, 30.0]

    def drawn(big: float, small: float) -> tuple[np.ndarray, np.ndarray]:
        return edge_cells(rows_in, rows_out, np.diag([big, small, 1.0]), 8, 5)

    big_alone, _ = drawn(-1.0, 0.0)
    small_alone, _ = drawn(0.0, 0.2)
    codes, kinds = drawn(-1.0, 0.2)
    both = (big_alone != 0) & (small_alone != 0)
    assert both.any()  # the lines cross
    assert (kinds[both] == -3).all() and (kinds[(small_alone != 0) & (big_alone == 0)] == 2).all()
    assert (kinds[codes == 0] == 0).all() and (kinds[codes != 0] != 0).all()


def test_layer_index_counts_layer_by_layer() -> None:
    names = ["h1.1", "h1.2", "h1.3", "h2.1", "h2.2"]
    assert [layer_index(names, k) for k in (1, 3, 4, 5)] == [(0, 0), (0, 2), (1, 0), (1, 1)]


def test_the_views_hold_each_layer_and_the_neuron_under_the_cursor() -> None:
    exp = Playground(seed=1, layers=2, width1=3, width2=2, use_x1x2=True, neuron=4)
    exp.step(20)
    v = exp.snapshot().views
    assert [W.shape for W in v["layer_weights"]] == [(3, 3), (3, 2), (2, 2)]
    assert [b.shape for b in v["layer_biases"]] == [(3,), (2,), (2,)]
    assert v["input_maps"].shape == (3, THUMB, THUMB) and v["output_maps"].shape == (2, THUMB, THUMB)
    step = GRID // THUMB
    assert np.allclose(v["neuron_map"][::step, ::step], v["neurons"][3], rtol=1e-6, atol=1e-7)  # h2.1
    u = exp.grid(GRID)
    assert np.allclose(v["input_maps"][2], (u[:, 0] * u[:, 1] / 9).reshape(GRID, GRID)[::step, ::step], rtol=1e-5)
