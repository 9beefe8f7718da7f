"""The playground's network view in the app: the graph where it fits, a neuron at a
time where it does not (80x24, the largest network), [ and ] moving the cursor round
every hidden neuron, none left out."""

from __future__ import annotations

from nndojo.core.lessons.playground import Playground
from nndojo.screens.playground_graph import NetworkView
from nndojo.tui.app import NNDojoApp

BIGGEST = dict(Playground.bench_values)


def marks(view: NetworkView) -> str:
    """The neuron strip's marks in the view's frame (○ each neuron, ● the cursor's)."""
    return "".join(ch for line in view.frame_text() for ch in line if ch in "○●")


async def test_the_default_network_is_a_graph_at_120x40() -> None:
    app = NNDojoApp("playground")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.redraw(heavy=True)
        await pilot.pause()
        view = screen.query_one(NetworkView)
        assert view.mode == "graph" and view.fits()
        g = view.layout_for(*view.size)
        assert [len(ys) for ys in g.y] == [2, 4, 2, 2]  # x1 x2, h1, h2, the two outputs: every node
        text = "\n".join(view.frame_text())
        assert "h1" in text and "h2" in text and "▲h1.1" in text and "━ +" in text and "╍ −" in text
        assert not screen.paged


async def test_the_largest_network_at_80x24_is_a_neuron_at_a_time_and_the_cursor_goes_round() -> None:
    exp = Playground(seed=0, **BIGGEST)
    app = NNDojoApp("playground", resume=exp)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.redraw(heavy=True)
        await pilot.pause()
        await pilot.pause()
        view = screen.query_one(NetworkView)
        assert view.mode == "neuron"
        assert marks(view) == "●" + "○" * 47  # all 48 neurons on the strip, the cursor on h1.1
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert exp.values["neuron"] == 3 and exp.step_count == 0  # a live value: no reset
        assert view.frame_text()[0].startswith("h1.3  3/48")
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert exp.values["neuron"] == 48  # round from the first to the last
        text = view.frame_text()
        assert text[0].startswith("h6.8  48/48")
        assert marks(view) == "○" * 47 + "●"
        assert sum("h5." in line for line in text) == 8  # its eight inputs listed, none cut
        # it fits: the rows show a page at a time (v), the network on the first with room for its list
        assert screen.paged and "network" not in screen.panels_view.overflowing() and view.fits()


async def test_korean_and_no_hidden_layer() -> None:
    exp = Playground(seed=0, layers=0)
    app = NNDojoApp("playground", resume=exp, lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.redraw(heavy=True)
        await pilot.pause()
        view = app.screen.query_one(NetworkView)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert exp.values["neuron"] == 1
        text = "\n".join(view.frame_text())
        assert ("은닉층" in text or "출력" in text) and "moves" not in text
