"""The controls panel where the sidebar has no room for every control: a window of rows
around the chosen one, with how many are hidden above and below."""

from __future__ import annotations

from nndojo.tui.app import NNDojoApp
from nndojo.tui.widgets.hyperpanel import HyperPanel


def test_window_keeps_the_chosen_row_and_fills_the_room() -> None:
    panel = HyperPanel([], {})
    for n in (5, 12, 30):
        for room in (3, 4, 7, 12):
            for chosen in range(n):
                panel.params = tuple(range(n))  # only the count matters to window()
                panel.set_reactive(HyperPanel.selected, chosen)
                first, end = panel.window(room)
                assert first <= chosen < end
                markers = (first > 0) + (end < n)
                assert (end - first) + markers == min(n, room), (n, room, chosen, first, end)


async def test_the_chosen_control_stays_on_screen_at_80x24() -> None:
    app = NNDojoApp("playground", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(HyperPanel)
        n = len(panel.params)
        assert panel.size.height < n, "the playground's controls no longer overflow 80x24"
        for _ in range(n - 1):  # to the last control, one row at a time
            await pilot.press("down")
            await pilot.pause()
            shown = str(panel.render())
            label = panel.text_of(panel.current)[0]
            assert f"◂ {panel.value_text(panel.current, panel.value(panel.current.name))} ▸" in shown
            assert label[:6] in shown
        assert "▴" in shown and "more" in shown
        assert panel.region.bottom <= app.screen.query_one("#sidebar").region.bottom


async def test_one_long_value_cuts_only_its_own_label() -> None:
    """The playground's loss reads "cross_entropy": the other controls keep their whole
    labels at 80x24 ("learning rate", not "learning r…"), in both languages."""
    for lang in ("en", "ko"):
        app = NNDojoApp("playground", lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            panel = app.screen.query_one(HyperPanel)
            names = [p.name for p in panel.params]
            values = [panel.value_text(p, panel._values.get(p.name)) for p in panel.params]
            assert "cross_entropy" in values
            panel.selected = names.index("learning_rate")
            await pilot.pause()
            rows = [line for line in panel.render().plain.splitlines() if line[:1] in (" ", "▸") and line[1:2] in (" ", "↻") and "▴" not in line and "▾" not in line]
            first, end = panel.window(panel.size.height - panel._note_lines(panel.size.width))
            shown = panel.params[first:end]
            assert len(rows) == len(shown) and len(shown) >= 5
            for p, row in zip(shown, rows):
                label = panel.text_of(p)[0]
                if "cross_entropy" not in row:
                    assert row[2:].startswith(label), f"{lang}: {label!r} cut in {row!r}"
