"""a: the model answer to the lesson's interview question, in the app's language."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from nndojo.screens import menu_infos
from nndojo.screens.answer import AnswerScreen
from nndojo.tui.app import NNDojoApp


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("info", menu_infos(), ids=lambda i: i.key)
async def test_a_shows_the_model_answer_and_escape_closes_it(info, lang: str) -> None:
    app = NNDojoApp(info.key, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lesson = app.screen
        await pilot.press("a")
        assert isinstance(app.screen, AnswerScreen)
        shown = " ".join(str(s.content) for s in app.screen.query(Static))
        assert " ".join(info.answer[lang].split())[:40] in shown
        assert info.question[lang] in shown
        await pilot.press("escape")
        assert app.screen is lesson
        await pilot.press("a", "a")  # a closes it too
        assert app.screen is lesson
