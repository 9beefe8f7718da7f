"""Compare runs (core/compare.py): a pinned run's bounded copies, its figures of merit,
its legend label and its saved form."""

from __future__ import annotations

import numpy as np
import pytest

from nndojo.core import compare
from nndojo.core.compare import PinnedRun
from nndojo.core.history import History
from nndojo.core.lessons import LESSONS, by_key


def test_gradient_descent_steps_to_tolerance_is_the_step_it_converged():
    exp = by_key("gradient-descent")(seed=0)
    converged_at = None
    for _ in range(3000):
        exp.step()
        if exp.converged:
            converged_at = exp.step_count
            break
    assert converged_at is not None
    exp.step(50)  # past convergence: the figure stays the first step below tolerance
    figures = compare.measure_figures(exp)
    assert figures["steps"] == converged_at
    assert figures["loss"] == pytest.approx(exp.history["loss"].last)


def test_gradient_descent_not_converged_has_no_steps_figure():
    exp = by_key("gradient-descent")(seed=0)
    exp.step(5)
    run = compare.pin(exp)
    assert run.figures["steps"] is None and run.figures["loss"] is not None
    assert compare.figures_of(exp)[0].format(run.figures["steps"]) == "—"


def test_weight_init_figures_are_means_of_the_last_steps():
    exp = by_key("weight-init")(seed=0, depth=2)
    exp.step(80)
    x, y, n = exp.history["accuracy"].points()
    figures = compare.measure_figures(exp)
    assert figures["accuracy"] == pytest.approx(np.mean(y[x > 80 - 50]))
    assert 0.0 <= figures["accuracy"] <= 1.0 and figures["loss"] > 0


def test_cnn_test_accuracy_is_taken_when_validation_passed_its_target():
    exp = by_key("cnn")(seed=0)
    exp.step(400)
    figures = compare.measure_figures(exp)
    x, val = exp.history["val_accuracy"].series()
    _, test = exp.history["test_accuracy"].series()
    first = int(np.flatnonzero(val >= exp.target_accuracy)[0])
    assert figures["steps"] == x[first]
    assert figures["test_accuracy"] == test[first]


def test_a_lesson_without_figures_is_compared_by_its_final_loss():
    class Plain:
        figures = ()

    (figure,) = compare.figures_of(Plain)  # type: ignore[arg-type]
    assert figure.key == "loss" and figure.name["ko"]


@pytest.mark.parametrize("lesson", [cls.info.key for cls in LESSONS])
def test_every_lesson_declares_figures_in_both_languages(lesson):
    for figure in compare.figures_of(by_key(lesson)):
        assert figure.name["en"] and figure.name["ko"]


def test_pin_copies_bounded_series_that_later_training_does_not_touch():
    exp = by_key("gradient-descent")(seed=0, learning_rate=0.01)
    exp.step(600)
    run = compare.pin(exp, max_points=100)
    x, y, n = run.series["loss"]
    assert 50 <= x.shape[0] <= 100
    assert n.sum() == exp.history["loss"].count and x[-1] == exp.step_count
    before = y.copy()
    exp.step(10)
    assert np.array_equal(run.series["loss"][1], before) and run.step == 600
    assert run.values == exp.values and run.values is not exp.values


def test_reduce_points_keeps_every_raw_point_and_the_mean():
    h = History(64)
    values = np.linspace(1.0, 2.0, 200)
    for i, v in enumerate(values):
        h.append(i, float(v))
    x, y, n = h.points()
    rx, ry, rn = compare.reduce_points(x, y, n, 10)
    assert rx.shape[0] <= 10 and rn.sum() == 200 and rx[-1] == 199
    assert np.sum(ry * rn) == pytest.approx(values.sum())


def test_labels_say_what_differs_shortly():
    exp = by_key("gradient-descent")(seed=0)
    exp.step(3)
    run = compare.pin(exp)
    now = dict(run.values, learning_rate=0.3)
    assert compare.differences(run, now, 0, "en") == "lr 0.18"
    assert compare.differences(run, now, 0, "ko") == "학습률 0.18"
    assert compare.pin_label(1, run, now, 0, "en") == "#2 lr 0.18"
    assert compare.pin_label(0, run, run.values, 0, "en") == "#1"
    wi = compare.pin(by_key("weight-init")(seed=0, depth=2, init="he"))
    assert compare.differences(wi, dict(wi.values, init="xavier"), 0, "en") == "init he"
    assert compare.differences(wi, wi.values, 5, "en") == "seed 0"  # the seed changed that run
    assert compare.differences(wi, wi.values, 5, "ko") == "시드 0"


def test_a_deterministic_runs_label_names_no_seed():
    """Issue #10: on a lesson whose run the seed does not change (gradient descent on a
    fixed surface), a pin made before R (a new seed) is labelled by its values, never
    "seed 0"."""
    exp = by_key("gradient-descent")(seed=0)
    assert not exp.uses_seed()
    exp.step(3)
    run = compare.pin(exp)
    assert not run.seeded
    for lang in ("en", "ko"):
        assert compare.differences(run, run.values, 1, lang) == ""
        assert compare.pin_label(0, run, run.values, 1, lang) == "#1"
        assert compare.pin_label(0, run, dict(run.values, learning_rate=0.3), 1, lang).startswith("#1 ")
    (back,) = compare.from_state(compare.to_state([run]))
    assert not back.seeded
    noisy = compare.pin(by_key("gradient-descent")(seed=0, surface="regression"))
    assert noisy.seeded and compare.differences(noisy, noisy.values, 1, "en") == "seed 0"


def test_state_round_trip_and_bad_states():
    exp = by_key("weight-init")(seed=1, depth=2)
    exp.step(20)
    run = compare.pin(exp)
    (back,) = compare.from_state(compare.to_state([run]))
    assert back.values == run.values and back.step == 20 and back.figures == run.figures and back.seeded
    old = [{k: v for k, v in compare.to_state([run])[0].items() if k != "seeded"}]  # saved before "seeded"
    assert compare.from_state(old)[0].seeded
    for name, (x, y, n) in run.series.items():
        assert all(np.array_equal(a, b) for a, b in zip(back.series[name], (x, y, n)))
    good = compare.to_state([run])
    bad_states = [
        "pins",
        [1],
        [dict(good[0], seed=-1)],
        [dict(good[0], seeded="no")],
        [dict(good[0], figures={"loss": "low"})],
        [dict(good[0], series=[{"name": "loss", "x": np.zeros(3), "y": np.zeros(2), "n": np.ones(3, dtype=np.int64)}])],
        good * (compare.MAX_PINS + 1),
    ]
    for state in bad_states:
        with pytest.raises(ValueError):
            compare.from_state(state)


def test_a_pinned_run_is_frozen():
    run = PinnedRun({"a": 1}, 0, 1, {})
    with pytest.raises(AttributeError):
        run.step = 2  # type: ignore[misc]
