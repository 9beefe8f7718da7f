"""a: the model answer to the lesson's interview question, in the app's language.

Checked for every lesson in the app that runs its other checks in that language: in
English by the screen contract (test_contract_keys.py), in Korean by test_korean.py
(one start of the app per lesson and language, not one more per check)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from nndojo.core.info import LessonInfo
from nndojo.screens.answer import AnswerScreen
from nndojo.tui.app import NNDojoApp


async def model_answer_shows(pilot: Any, app: NNDojoApp, info: LessonInfo, lang: str) -> None:
    """a opens the model answer (and the question) in ``lang``; escape closes it, a too."""
    lesson = app.screen
    assert app.lang == lang
    await pilot.press("a")
    assert isinstance(app.screen, AnswerScreen)
    shown = " ".join(str(s.content) for s in app.screen.query(Static))
    assert " ".join(info.answer[lang].split())[:40] in shown
    assert info.question[lang] in shown
    await pilot.press("escape")
    assert app.screen is lesson
    await pilot.press("a", "a")  # a closes it too
    assert app.screen is lesson
