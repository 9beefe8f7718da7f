"""Every lesson's texts (both languages): a reference to another lesson names one the
learner can open from the menu."""

import re
from collections.abc import Mapping

import pytest

from nndojo.core.info import LessonInfo
from nndojo.core.texts import infos
from nndojo.screens import menu_infos

# "lesson 9", "Lesson 12", "lessons 3 and 8"; "9번 레슨", "레슨 9", "9강"
REFERENCE = re.compile(r"\blessons? (\d+)(?:\s*(?:,|and|or)\s*(\d+))*|(\d+)\s*번\s*레슨|레슨\s*(\d+)|(\d+)\s*강\b", re.IGNORECASE)


def lesson_numbers(text: str) -> set[int]:
    """Every lesson number a text refers to."""
    found = set()
    for match in REFERENCE.finditer(text):
        found |= {int(n) for n in re.findall(r"\d+", match.group(0))}
    return found


def all_texts(info: LessonInfo) -> list[str]:
    """Every string of a lesson's texts module, in every language."""
    out = [*info.title.values(), *info.question.values(), *info.text.values(), *info.claim.values(), *info.answer.values()]
    for control in info.controls.values():
        for part in vars(control).values():
            if isinstance(part, Mapping):
                out += [v for v in part.values() if isinstance(v, str)]
    return out


def test_the_reference_pattern_finds_lesson_numbers_in_both_languages():
    assert lesson_numbers("slowly even with Xavier (lesson 9).") == {9}
    assert lesson_numbers("see lessons 3 and 12") == {3, 12}
    assert lesson_numbers("느리게 배웁니다(9번 레슨).") == {9}
    assert lesson_numbers("레슨 12에서") == {12}
    assert lesson_numbers("depth 8, 64 units, 300 steps") == set()


@pytest.mark.parametrize("info", infos(), ids=lambda i: i.key)
def test_every_lesson_reference_names_a_lesson_in_the_menu(info):
    in_menu = {i.number for i in menu_infos()}
    for text in all_texts(info):
        missing = lesson_numbers(text) - in_menu
        assert not missing, f"{info.key} refers to lesson(s) {sorted(missing)}, not in the menu {sorted(in_menu)}: {text[:80]!r}"


@pytest.mark.parametrize("info", menu_infos(), ids=lambda i: i.key)
def test_a_lesson_in_the_menu_has_a_model_answer_in_both_languages(info: LessonInfo) -> None:
    """The interview answer ``a`` shows: a few sentences, in English and Korean."""
    for lang in ("en", "ko"):
        answer = info.answer.get(lang, "")
        sentences = [s for s in re.split(r"(?<=[.!?다])\s+", answer.strip()) if s]
        assert 3 <= len(sentences) <= 8, f"{lang}: {len(sentences)} sentences"
