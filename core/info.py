"""Who a lesson is, without NumPy: the home screen and `nndojo --list` read lessons'
texts (core/texts/) before any lesson's math loads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class LessonInfo:
    """Who a lesson is: its key (for --lesson), its TOPICS.md number and its texts.

    ``title``, ``question`` and ``text`` map a language code ("en", "ko") to text;
    ``text`` is Markdown.
    """

    key: str
    number: int
    title: Mapping[str, str]
    question: Mapping[str, str]
    text: Mapping[str, str]
    claim: Mapping[str, str] = field(default_factory=dict)
