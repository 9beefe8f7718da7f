"""Lesson 10 (hyperparameters): the claim of TOPICS.md, checked on the Experiment alone.

The LR range test's suggestion trains to a lower training loss in a fixed budget (20
epochs, batch 32) than a hundredth and a hundred times it. Measured on seeds 0-9: 10/10
(suggestions 0.04-0.2; the suggestion's loss 0.25-0.72, a hundredth's 0.93-1.2, a
hundred times' 2.5-140; a hundred times above the control's top, 10, is taken as 10);
asserted on seeds 0-4, all five, as the claim says."""

import math

import numpy as np
import pytest

from nndojo.core.lessons.hyperparameters import RANGE_LRS, RANGE_PER_STEP, Hyperparameters

BUDGET_EPOCHS = 20


def suggestion(seed: int) -> float:
    exp = Hyperparameters(seed=seed)
    while not exp.sweep.done:
        exp.step(10)
    lr = exp.suggested_lr
    assert lr is not None
    return lr


def final_train_loss(seed: int, lr: float) -> float:
    """The whole training set's loss after BUDGET_EPOCHS epochs at ``lr`` (inf if diverged)."""
    decl = Hyperparameters.hyperparams[0]
    exp = Hyperparameters(seed=seed, learning_rate=min(max(lr, decl.low), decl.high), range_test=False,
                          epochs=BUDGET_EPOCHS)
    exp.step(BUDGET_EPOCHS * exp.iterations_per_epoch)
    assert exp.epochs_done == BUDGET_EPOCHS
    loss = exp.history["train_loss"].last
    return math.inf if exp.diverged or not math.isfinite(loss) else loss


def test_the_range_tests_suggestion_beats_a_hundredth_and_a_hundred_times_it() -> None:
    rows = []
    for seed in range(5):
        lr = suggestion(seed)
        losses = [final_train_loss(seed, f * lr) for f in (0.01, 1.0, 100.0)]
        rows.append((seed, lr, losses))
    assert all(losses[1] < min(losses[0], losses[2]) for _, _, losses in rows), rows


def test_the_range_test_stops_once_its_loss_blows_up_and_suggests_below_that() -> None:
    exp = Hyperparameters(seed=0)
    exp.step(len(RANGE_LRS))
    assert exp.sweep.done and exp.sweep.finished_points < len(RANGE_LRS)  # stopped early: it blew up
    smoothed = exp.sweep.column("smoothed")[: exp.sweep.finished_points]
    lowest = int(np.nanargmin(smoothed))
    assert exp.suggested_lr == pytest.approx(RANGE_LRS[lowest] / 10)
    assert smoothed[-1] > 4 * smoothed[lowest] or not np.isfinite(smoothed[-1])
    assert np.isfinite(smoothed[:lowest + 1]).all()


@pytest.mark.parametrize("batch", [1, 32, 64, 300])
def test_an_epoch_is_ceil_n_over_b_updates_that_see_every_point_once(batch: int) -> None:
    exp = Hyperparameters(seed=1, batch_size=batch, range_test=False)
    n = exp.n_train
    per_epoch = -(-n // batch)
    assert exp.iterations_per_epoch == per_epoch
    seen = []
    for _ in range(per_epoch):
        start = exp._pos
        perm = exp._perm.copy()
        exp.step(1)
        seen.extend(perm[start:start + batch])
    assert exp.epochs_done == 1 and exp.epoch == 1.0 and exp.step_count == per_epoch
    assert sorted(seen) == list(range(n))


def test_the_epoch_budget_ends_the_run_and_raising_it_goes_on() -> None:
    exp = Hyperparameters(seed=0, epochs=2, range_test=False, batch_size=100)
    exp.step(5)
    assert not exp.converged and exp.epochs_done == 1  # 3 updates per epoch
    exp.step(1)
    assert exp.converged and exp.epochs_done == 2 and "2 epochs" in exp.message
    exp.set("epochs", 4)
    assert not exp.converged


def test_each_step_advances_the_range_test_by_a_bounded_amount_of_work() -> None:
    """One training update and at most RANGE_PER_STEP range-test updates per step (a key
    waits at most one step for the lock, sweep or not); turning the test off stops it,
    on restarts it from its first rate."""
    exp = Hyperparameters(seed=0)
    assert exp.sweep.finished_points == 1  # the first rate at reset
    for k in range(2, 12):
        exp.step(1)
        assert exp.sweep.finished_points == 1 + (k - 1) * RANGE_PER_STEP
    exp.set("range_test", False)
    exp.step(3)
    assert exp.sweep.finished_points == 11 and exp.sweep.done and exp.suggested_lr is None
    exp.set("range_test", True)
    assert exp.sweep.finished_points == 1 and not exp.sweep.done
