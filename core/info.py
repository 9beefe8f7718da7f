"""Who a lesson is, without NumPy: the home screen and `nndojo --list` read lessons'
texts (core/texts/) before any lesson's math loads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class ControlText:
    """A control's label and help in languages other than English ({"ko": ...}); the
    English ones are what its HyperParam declares."""

    label: Mapping[str, str]
    help: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LessonInfo:
    """Who a lesson is: its key (for --lesson), its TOPICS.md number and its texts.

    ``title``, ``question`` and ``text`` map a language code ("en", "ko") to text;
    ``text`` is Markdown. A lesson is found, not registered: its texts module in
    core/texts/ names it, by convention the same module name as its Experiment in
    core/lessons/ and its screen in screens/ (see ``module_name``).
    """

    key: str
    number: int
    title: Mapping[str, str]
    question: Mapping[str, str]
    text: Mapping[str, str]
    claim: Mapping[str, str] = field(default_factory=dict)
    #: The model answer: the lesson's interview question answered as one would in an
    #: interview (3-6 sentences), {"en": ..., "ko": ...}; ``a`` shows it.
    answer: Mapping[str, str] = field(default_factory=dict)
    #: False while a lesson is being built: it is found (and its contract tests run) but
    #: it stays out of the menu. Set in the lesson's own texts module.
    finished: bool = True
    #: This lesson's control texts by HyperParam name, over the shared table in
    #: core/texts/_controls.py (a label or help that differs from the common one).
    controls: Mapping[str, ControlText] = field(default_factory=dict)


def module_name(key: str) -> str:
    """The module a lesson's parts live in (core/lessons/, core/texts/, screens/):
    its key with its hyphens as underscores ("my-lesson" -> "my_lesson")."""
    return key.replace("-", "_")
