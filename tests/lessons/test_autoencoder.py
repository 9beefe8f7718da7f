"""Lesson 13 (autoencoder): its claims, on the core alone."""

import numpy as np
import pytest

from nndojo.core.lessons.autoencoder import Autoencoder, class_distance_ratio, digits_flat, pca_reconstruction_loss


@pytest.fixture(scope="module")
def trained() -> dict[bool, Autoencoder]:
    """The default run (code of 2) and its linear twin after 1000 steps, seed 0."""
    runs = {}
    for linear in (False, True):
        exp = Autoencoder(seed=0, layers="linear" if linear else "tanh")
        exp.step(1000)
        runs[linear] = exp
    return runs


def test_reconstruction_falls_well_below_the_mean_image(trained):
    # seeds 0-4 at 1000 steps: 0.040-0.046 against the mean image's 0.073
    exp = trained[False]
    assert exp.history["test_loss"].last < 0.7 * exp.mean_loss


def test_a_code_of_8_rebuilds_far_better_than_the_mean_image():
    exp = Autoencoder(seed=1, latent_size=8)
    exp.step(500)
    assert exp.history["test_loss"].last < 0.45 * exp.mean_loss


def test_in_a_2d_code_one_class_sits_closer_together_than_different_classes(trained):
    # seeds 0-4: ratio 0.36-0.40 (non-linear), 0.45-0.47 (linear) at 1000 steps
    for exp in trained.values():
        z, y = exp.latent_codes()
        assert z.shape == (len(y), 2)
        assert class_distance_ratio(z, y) < 0.6


def test_linear_levels_off_at_pca_and_the_nonlinear_one_goes_below(trained):
    # seeds 0-4 at 1000 steps: linear / PCA-2 = 1.00-1.02, non-linear / PCA-2 = 0.76-0.87
    linear, nonlinear = trained[True], trained[False]
    assert linear.history["test_loss"].last == pytest.approx(linear.pca_loss, rel=0.05)
    assert linear.history["test_loss"].last >= 0.99 * linear.pca_loss  # PCA is the best linear code
    assert nonlinear.history["test_loss"].last < 0.92 * nonlinear.pca_loss


def test_pca_baseline_is_the_best_rank_k_fit():
    x_train, _, x_test, _ = digits_flat()
    losses = [pca_reconstruction_loss(x_train, x_test, k) for k in (1, 2, 4, 8, 64)]
    assert all(a > b for a, b in zip(losses, losses[1:]))
    assert losses[-1] == pytest.approx(0.0, abs=1e-10)  # every component: exact


def test_the_cursor_moves_over_the_map_and_the_decoder_draws_it():
    exp = Autoencoder(seed=0)
    exp.step(50)
    a = exp.snapshot().views
    exp.set("cursor_x", 10)
    exp.set("cursor_y", -10)
    b = exp.snapshot().views
    xmin, xmax, ymin, ymax = b["extent"]
    assert b["cursor"][0] > a["cursor"][0] and b["cursor"][1] < a["cursor"][1]
    assert xmin <= b["cursor"][0] <= xmax and ymin <= b["cursor"][1] <= ymax
    assert not np.allclose(a["decoded"], b["decoded"])
