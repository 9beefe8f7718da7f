"""Predict, then run: a lesson's interview questions, answered by running them. No Textual.

A lesson declares 2-4 ``Question``s on its Experiment (``questions``). Each has its text
and 2-4 choices in English and Korean, the setup it runs (hyperparameter values and a
step budget) and an ``outcome``: a function of the finished Experiment that says which
choice the run showed. The app never stores a right answer: it runs the setup and
reads the outcome. ``explains`` is the choice the question's explanation is written for;
only the tests read it, asserting over several seeds that the run shows that choice (a
question whose run could show either answer fails them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .experiment import Experiment

Texts = Mapping[str, str]
LANGS = ("en", "ko")


class QuestionError(ValueError):
    """A question declared wrongly (found when the lesson's contracts run)."""


@dataclass(frozen=True)
class Question:
    """One interview question whose answer is what a run does.

    key: stable within the lesson (progress is kept under it); text, choices and
    explanation: {"en": ..., "ko": ...}; setup: hyperparameter values the run uses
    (others keep their defaults); steps: the step budget; seed: the run's seed (the
    tests also try others); outcome(experiment) -> index into choices; explains: the
    choice ``explanation`` is written for (for the tests, never shown as "the answer")."""

    key: str
    text: Texts
    choices: tuple[Texts, ...]
    explanation: Texts
    outcome: Callable[["Experiment"], int]
    explains: int
    setup: Mapping[str, Any] = field(default_factory=dict)
    steps: int = 200
    seed: int = 0

    def __post_init__(self) -> None:
        if not 2 <= len(self.choices) <= 4:
            raise QuestionError(f"question {self.key!r}: 2 to 4 choices, not {len(self.choices)}")
        for what, texts in (("text", self.text), ("explanation", self.explanation), *(("a choice", c) for c in self.choices)):
            if any(not texts.get(lang) for lang in LANGS):
                raise QuestionError(f"question {self.key!r}: {what} needs English and Korean")
        if not 0 <= self.explains < len(self.choices):
            raise QuestionError(f"question {self.key!r}: explains choice {self.explains}, which does not exist")
        if self.steps < 1:
            raise QuestionError(f"question {self.key!r}: a step budget of at least 1")


def build(cls: type["Experiment"], question: Question, seed: int | None = None) -> "Experiment":
    """A fresh run of ``question``'s setup (HyperParamError if the setup is not valid)."""
    return cls(seed=question.seed if seed is None else seed, **dict(question.setup))


def shown(question: Question, experiment: "Experiment") -> int:
    """The choice the finished run showed, checked to be one of the choices."""
    choice = question.outcome(experiment)
    if not isinstance(choice, int) or isinstance(choice, bool) or not 0 <= choice < len(question.choices):
        raise QuestionError(f"question {question.key!r}: outcome {choice!r} is not a choice")
    return choice


def run(cls: type["Experiment"], question: Question, seed: int | None = None, chunk: int = 50) -> int:
    """Run ``question``'s setup for its step budget (a diverged run stops early: that is an
    outcome too) and return the choice it showed."""
    experiment = build(cls, question, seed)
    left = question.steps
    while left > 0 and not experiment.diverged:
        n = min(chunk, left)
        experiment.step(n)
        left -= n
    return shown(question, experiment)
