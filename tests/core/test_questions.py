"""Questions are answered by running them (core/questions.py), on a toy Experiment."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nndojo.core import questions
from nndojo.core.experiment import Experiment, HyperParam, HyperParamError
from nndojo.core.info import LessonInfo
from nndojo.core.questions import Question, QuestionError

TEXT = {"en": "x", "ko": "엑스"}


class Bowl(Experiment):
    """Gradient descent on J(w) = ½·λ·w², λ = 4: it converges for α < 2/λ = 0.5."""

    info = LessonInfo(key="toy-bowl", number=97, title=TEXT, question=TEXT, text=TEXT, finished=False)
    hyperparams = (HyperParam("learning_rate", "learning rate", "float", 0.1, low=1e-3, high=2.0, log=True),)

    def _build(self) -> None:
        self.w = np.array([1.0 + self.data_rng.uniform(0, 0.1)])

    def _train_step(self) -> dict[str, float]:
        self.w -= self.values["learning_rate"] * 4.0 * self.w
        return {"loss": float(2.0 * self.w[0] ** 2)}

    def converged_or_diverged(self) -> int:
        return 1 if self.diverged or not math.isfinite(self.history["loss"].last) or self.history["loss"].last > 1.0 else 0


CHOICES = ({"en": "it converges", "ko": "수렴한다"}, {"en": "it diverges", "ko": "발산한다"})


def question(learning_rate: float, explains: int) -> Question:
    return Question(
        key=f"lr-{learning_rate}",
        text={"en": f"With α = {learning_rate}, what does GD do?", "ko": f"α = {learning_rate}이면 경사 하강법은?"},
        choices=CHOICES,
        explanation={"en": "each step multiplies w by 1 - 4α", "ko": "한 스텝마다 w에 1 - 4α를 곱합니다"},
        outcome=Bowl.converged_or_diverged,
        explains=explains,
        setup={"learning_rate": learning_rate},
        steps=400,
    )


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("learning_rate, shows", [(0.1, 0), (0.45, 0), (0.55, 1), (1.5, 1)])
def test_the_run_is_the_answer(learning_rate: float, shows: int, seed: int) -> None:
    assert questions.run(Bowl, question(learning_rate, shows), seed=seed) == shows


def test_a_diverging_run_stops_early_and_still_answers() -> None:
    q = question(1.5, 1)
    exp = questions.build(Bowl, q)
    exp.step(q.steps)
    assert exp.diverged and exp.step_count < q.steps
    assert questions.shown(q, exp) == 1


def test_the_setup_is_validated_like_any_value() -> None:
    with pytest.raises(HyperParamError):
        questions.build(Bowl, question(5.0, 1))  # above the declared range


@pytest.mark.parametrize(
    "change, message",
    [
        ({"choices": CHOICES[:1]}, "2 to 4 choices"),
        ({"choices": CHOICES * 3}, "2 to 4 choices"),
        ({"text": {"en": "only English"}}, "English and Korean"),
        ({"choices": (CHOICES[0], {"en": "no Korean", "ko": ""})}, "English and Korean"),
        ({"explains": 2}, "does not exist"),
        ({"steps": 0}, "at least 1"),
    ],
)
def test_a_badly_declared_question_is_refused(change: dict, message: str) -> None:
    fields = {**question(0.1, 0).__dict__, **change}
    with pytest.raises(QuestionError, match=message):
        Question(**fields)


def test_an_outcome_that_is_not_a_choice_is_refused() -> None:
    q = Question(**{**question(0.1, 0).__dict__, "outcome": lambda exp: 7})
    with pytest.raises(QuestionError, match="not a choice"):
        questions.run(Bowl, q)
