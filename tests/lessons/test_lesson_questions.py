"""Every question of every lesson, run over seeds 0-4: the run shows the choice its
explanation is written for (a question whose run could show either answer fails)."""

from __future__ import annotations

import pytest

from nndojo.core import questions
from nndojo.core.lessons import all_lessons

CASES = [(cls, q) for cls in all_lessons() for q in cls.questions]


@pytest.mark.parametrize("cls, question", CASES, ids=[f"{cls.info.key}:{q.key}" for cls, q in CASES])
def test_the_run_shows_the_explained_choice_on_every_seed(cls, question) -> None:
    shown = [questions.run(cls, question, seed=seed) for seed in range(5)]
    assert shown == [question.explains] * 5, f"seeds 0-4 showed {shown}"


@pytest.mark.parametrize("cls", [cls for cls in all_lessons() if cls.questions], ids=lambda c: c.info.key)
def test_a_lesson_asks_two_to_four_questions_with_distinct_keys(cls) -> None:
    keys = [q.key for q in cls.questions]
    assert 2 <= len(keys) <= 4 and len(set(keys)) == len(keys)
