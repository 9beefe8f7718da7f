"""A throwaway fourth lesson, added in a test: its Experiment, its texts and its screen are
written into temporary directories appended to the packages' ``__path__``; nothing else
is touched. It must appear in the menu (``menu_infos()`` and the home screen's list) and
keep every generated contract (test_contract.py, test_contract_keys.py). Then the same
lesson, broken on purpose in one way at a time, must fail the contract that guards
against that fault: the contracts bite.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from textual.widgets import OptionList

import nndojo.core.lessons
import nndojo.core.texts
import nndojo.screens
from nndojo.core import session
from nndojo.core.experiment import Experiment
from nndojo.core.lessons import all_lessons, by_key
from nndojo.screens import menu_infos, rediscover, screen_class
from test_contract import (  # the generated contracts (tests/lessons/)
    CONTRACTS,
    blow_up_contract,
    every_contract,
    live_and_reset_contract,
    resume_contract,
    same_seed_contract,
    bad_values_contract,
    scenarios,
    views_contract,
)

KEY = "ring-classifier"
MODULE = "ring_classifier"
NUMBER = 99

TEXTS = f'''
from nndojo.core.info import LessonInfo

INFO = LessonInfo(
    key="{KEY}",
    number={NUMBER},
    title={{"en": "Rings", "ko": "고리"}},
    question={{"en": "Can a small MLP tell two rings apart?", "ko": "작은 MLP가 두 고리를 구별할 수 있을까?"}},
    text={{"en": "An inner and an outer ring, told apart by a **2-8-2 tanh MLP** trained by minibatch SGD.",
           "ko": "안쪽 고리와 바깥쪽 고리를 미니배치 SGD로 학습한 **2-8-2 tanh MLP**가 구별합니다."}},
    claim={{"en": "The validation accuracy passes 90%.", "ko": "검증 정확도가 90%를 넘습니다."}},
)
'''

EXPERIMENT = f'''
from typing import Any

import numpy as np

from nndojo.core.data import DATASETS
from nndojo.core.engine import Splits, SupervisedExperiment
from nndojo.core.experiment import HyperParam
from nndojo.core.layers import Activation, Dense
from nndojo.core.model import Sequential
from nndojo.core.texts.{MODULE} import INFO


class RingClassifier(SupervisedExperiment):
    """Two rings, a 2-8-2 tanh MLP, softmax cross-entropy, minibatch SGD."""

    info = INFO
    family = "mlp"
    eval_every_steps = 10
    target_accuracy = 0.9
    hyperparams = (
        HyperParam("learning_rate", "learning rate", "float", 0.3, low=1e-3, high=10.0, log=True,
                   help="SGD step size; changes live"),
        HyperParam("batch_size", "batch size", "choice", 16, choices=(4, 16, 64),
                   help="points per update; changes live"),
        HyperParam("noise", "noise", "float", 0.1, low=0.0, high=0.5, step=0.05, needs_reset=True,
                   help="how far the points stray from their ring"),
    )

    def _data(self) -> Splits:
        X, y = DATASETS.get("circles")(n=160, noise=self.values["noise"], seed=self.data_rng)
        return Splits.carve_validation(X.astype(np.float32), y, 0.25, seed=1)

    def _model(self) -> Sequential:
        return Sequential([Dense(2, 8, rng=self.init_rng), Activation("tanh"), Dense(8, 2, rng=self.init_rng)])

    def _views(self) -> dict[str, Any]:
        return {{"x": self.data.x_train.copy(), "y": self.data.y_train.copy()}}
'''


def screen_source() -> str:
    """The lesson's screen module: a layout declaration (one panel, its loss) and nothing else."""
    return '''
from nndojo.screens.layout import Layout, PlotPanel, T

LAYOUT = Layout(PlotPanel(T("loss", "손실"), metrics=("loss",)), status=("loss",))
'''


PACKAGES = {nndojo.core.texts: TEXTS, nndojo.core.lessons: EXPERIMENT, nndojo.screens: screen_source()}


@pytest.fixture
def new_lesson(tmp_path: Path) -> Iterator[type[Experiment]]:
    """The throwaway lesson, found by discovery; everything undone afterwards."""
    added = []
    for i, (package, source) in enumerate(PACKAGES.items()):
        directory = tmp_path / f"part{i}"
        directory.mkdir()
        (directory / f"{MODULE}.py").write_text(textwrap.dedent(source))
        package.__path__.append(str(directory))
        added.append((package, str(directory)))
    importlib.invalidate_caches()
    rediscover()
    try:
        yield by_key(KEY)
    finally:
        for package, directory in added:
            package.__path__.remove(directory)
        for package in PACKAGES:
            sys.modules.pop(f"{package.__name__}.{MODULE}", None)
        importlib.invalidate_caches()
        rediscover()
        assert KEY not in [i.key for i in menu_infos()]


def test_a_new_lesson_is_found_and_in_the_menu(new_lesson: type[Experiment]) -> None:
    assert new_lesson.__name__ == "RingClassifier"
    assert KEY in [cls.info.key for cls in all_lessons()]
    assert KEY in [i.key for i in menu_infos()]
    assert screen_class(KEY).experiment_class is new_lesson


async def test_a_new_lesson_is_on_the_home_screen_and_opens(new_lesson: type[Experiment]) -> None:
    from nndojo.tui.app import NNDojoApp

    app = NNDojoApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ol = app.home_screen.query_one(OptionList)
        ids = [ol.get_option_at_index(i).id for i in range(ol.option_count)]
        assert ids[-1] == KEY, ids  # the highest number comes last
        ol.highlighted = len(ids) - 1
        await pilot.press("enter")
        assert app.current_mode == KEY
        await pilot.press("n", "n")
        assert app.lesson_screens[KEY].experiment.step_count == 2
        await pilot.press("q")


def test_a_new_lesson_is_measured_by_the_benchmark(new_lesson: type[Experiment]) -> None:
    """Its family's fused NumPy loop runs it (the same losses and weights) and every
    section of ``python -m nndojo.bench`` lists it, with no change to the benchmark."""
    from nndojo.bench import core as bench
    from nndojo.bench.__main__ import lessons_to_measure

    assert new_lesson in bench.compared_lessons()
    (row,) = bench.measure_core(0.3, use_torch=False, lessons=[KEY])
    assert row["lesson"] == KEY and row["family"] == "mlp" and row["core"] > 0 and row["fused"] > 0
    exp, fused = new_lesson(seed=0), bench.FAMILIES["mlp"].fused(new_lesson(seed=0))
    exp.step(25)
    fused.step(25)
    np.testing.assert_allclose(fused.params()["0.W"], exp.model.params()["0.W"], rtol=2e-5, atol=2e-6)
    assert KEY in lessons_to_measure()  # the in-app, key, bandwidth and start-up sections


def test_a_new_lesson_keeps_every_core_contract(new_lesson: type[Experiment], tmp_path: Path) -> None:
    assert len(scenarios(new_lesson)) == 4  # defaults, two live controls, diverged
    every_contract(new_lesson, tmp_path)


async def test_a_new_lesson_keeps_the_screen_contract(new_lesson: type[Experiment], monkeypatch: pytest.MonkeyPatch) -> None:
    import textual._wait
    from test_contract_keys import keep_the_screen_contract  # tests/app/

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.004, raising=False)  # as test_contract_keys does
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.0004, raising=False)
    await keep_the_screen_contract(KEY)


# -- the contracts bite: the same lesson, broken one way at a time --------------------------


def doesnt_validate(cls: type[Experiment]) -> type[Experiment]:
    """set() stores any value it is given."""
    return type("NoValidation", (cls,), {"_check": lambda self, name, value: value})


def writes_through_its_views(cls: type[Experiment]) -> type[Experiment]:
    """A view that is the live parameter array itself (read-only, but it moves as training does)."""

    def _views(self: Any) -> dict[str, Any]:
        return {**cls._views(self), "W": self.model.params()["0.W"]}

    return type("AliasedView", (cls,), {"_views": _views})


def reset_keeps_the_random_stream(cls: type[Experiment]) -> type[Experiment]:
    """reset() does not reseed the minibatch stream."""

    def reset(self: Any, seed: int | None = None) -> None:
        kept = getattr(self, "batch_rng", None)
        cls.reset(self, seed)
        if kept is not None:
            self.batch_rng = kept

    return type("NoReseed", (cls,), {"reset": reset})


def live_change_ignored(cls: type[Experiment]) -> type[Experiment]:
    """The learning rate is declared live, but the optimiser never hears of a change."""
    return type("IgnoresLiveChanges", (cls,), {"_apply": lambda self, name, value: None})


def raises_on_nan(cls: type[Experiment]) -> type[Experiment]:
    """A step whose loss is NaN raises instead of reporting a diverged run."""

    def _train_step(self: Any) -> dict[str, float]:
        metrics = cls._train_step(self)
        if not np.isfinite(metrics["loss"]):
            raise FloatingPointError("loss is NaN")
        return metrics

    return type("RaisesOnNaN", (cls,), {"_train_step": _train_step})


def forgets_a_counter_on_resume(cls: type[Experiment]) -> type[Experiment]:
    """A counter that training mutates and changes the run, left out of the saved state."""

    def _train_step(self: Any) -> dict[str, float]:
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls % 5 == 0:
            self.optimizer.learning_rate = self.values["learning_rate"] * 0.5  # a schedule
        return cls._train_step(self)

    def _build(self: Any) -> None:
        cls._build(self)
        self.calls = 0

    return type("ForgetsState", (cls,), {"_train_step": _train_step, "_build": _build})


BREAKAGES: list[tuple[Callable[[type[Experiment]], type[Experiment]], str]] = [
    (doesnt_validate, "bad_values"),
    (writes_through_its_views, "views"),
    (reset_keeps_the_random_stream, "same_seed"),
    (live_change_ignored, "live_and_reset"),
    (raises_on_nan, "blow_up"),
    (forgets_a_counter_on_resume, "resume"),
]


@pytest.mark.parametrize("breakage, contract", BREAKAGES, ids=[b.__name__ for b, _ in BREAKAGES])
def test_a_broken_lesson_fails_its_contract(
    new_lesson: type[Experiment], breakage: Callable[[type[Experiment]], type[Experiment]], contract: str,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = breakage(new_lesson)
    broken.info = new_lesson.info
    if contract == "resume":
        monkeypatch.setattr(session, "by_key", lambda key: broken)  # session.load builds the broken one
        s = next(s for s in scenarios(new_lesson) if s.name == "defaults")
        with pytest.raises(AssertionError):
            resume_contract(broken, s, tmp_path)
        return
    check = {c.__name__.removesuffix("_contract"): c for c in CONTRACTS}[contract]
    with pytest.raises((AssertionError, FloatingPointError, pytest.fail.Exception)):
        check(broken)
    # ...while the lesson itself keeps that contract.
    check(new_lesson)


def test_the_breakages_cover_the_named_contracts() -> None:
    named = {c for _, c in BREAKAGES}
    assert named <= {c.__name__.removesuffix("_contract") for c in CONTRACTS} | {"resume"}
    assert {bad_values_contract, views_contract, same_seed_contract, live_and_reset_contract, blow_up_contract} <= set(CONTRACTS)
