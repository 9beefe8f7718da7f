"""Lesson 16 (feedforward vs recurrent): its claims, and BPTT checked against central
differences (float64)."""

import numpy as np
import pytest

from nndojo.core import rnn
from nndojo.core.gradcheck import numeric_grad, rel_error
from nndojo.core.lessons.recurrent import Recurrent, recall_task


@pytest.mark.parametrize("seed", range(3))
def test_rnn_solves_recall_the_short_window_cannot(seed):
    # seeds 0-9: RNN 100% and the window net 47-53% after 100 steps
    exp = Recurrent(seed=seed)
    exp.step(100)
    assert exp.history["rnn_accuracy"].last > 0.95
    assert exp.history["rnn_long_accuracy"].last > 0.95  # the same weights on sequences 3x as long
    assert exp.history["mlp_accuracy"].last < 0.6


def test_a_window_that_reaches_k_steps_back_learns_it_too():
    exp = Recurrent(seed=0, window=4, k=3)
    exp.step(100)
    assert exp.history["mlp_accuracy"].last > 0.95


def test_rnn_parameter_count_does_not_depend_on_length_and_the_window_nets_does_on_window():
    counts = {Recurrent(seed=0, length=n).snapshot().views["rnn_count"] for n in (10, 30, 60)}
    assert counts == {rnn.rnn_params(1, 16)}
    windows = [Recurrent(seed=0, window=w).snapshot().views["mlp_count"] for w in (1, 2, 8)]
    assert windows == [rnn.mlp_params(w, 16) for w in (1, 2, 8)] and windows[0] < windows[1] < windows[2]


def bptt_check(params, x, y, mask):
    hs, logits = rnn.rnn_forward(params, x)
    _, dlogits = rnn.bce_with_logits(logits, y, mask)
    grads = rnn.rnn_backward(params, x, hs, dlogits)

    def loss() -> float:
        return rnn.bce_with_logits(rnn.rnn_forward(params, x)[1], y, mask)[0]

    return {k: rel_error(grads[k], numeric_grad(loss, params[k])) for k in params}


def test_bptt_gradients_match_central_differences():
    rng = np.random.default_rng(0)
    params = rnn.init_rnn(1, 6, rng, np.float64)
    params["b"] += rng.normal(0, 0.3, 6)
    params["c"] += 0.2
    x, y, mask = recall_task(rng, 3, 9, 2)
    errors = bptt_check(params, x[:, :, None].astype(np.float64), y.astype(np.float64), mask.astype(np.float64))
    assert max(errors.values()) < 1e-7, errors


def test_the_gradient_check_catches_truncated_bptt(monkeypatch):
    """Backpropagating through one step only (no gradient through h_{t-1}) fails the check."""
    real = rnn.rnn_backward

    def truncated(p, x, hs, dlogits):
        frozen = dict(p, Wh=np.zeros_like(p["Wh"]))  # dh_next = da @ 0 = 0
        g = real(frozen, x, hs, dlogits)
        return g

    rng = np.random.default_rng(1)
    params = rnn.init_rnn(1, 6, rng, np.float64)
    x, y, mask = recall_task(rng, 3, 9, 2)
    monkeypatch.setattr(rnn, "rnn_backward", truncated)
    errors = bptt_check(params, x[:, :, None].astype(np.float64), y.astype(np.float64), mask.astype(np.float64))
    assert errors["Wh"] > 1e-2


def test_mlp_gradients_match_central_differences():
    rng = np.random.default_rng(2)
    params = rnn.init_mlp(3, 5, rng, np.float64)
    x, y, mask = recall_task(rng, 4, 8, 2)
    xw = rnn.windows(x.astype(np.float64), 3)
    h, logits = rnn.mlp_forward(params, xw)
    grads = rnn.mlp_backward(params, xw, h, rnn.bce_with_logits(logits, y, mask)[1])

    def loss() -> float:
        return rnn.bce_with_logits(rnn.mlp_forward(params, xw)[1], y, mask)[0]

    for k in params:
        assert rel_error(grads[k], numeric_grad(loss, params[k])) < 1e-7, k


def test_windows_see_exactly_the_last_inputs():
    x = np.arange(1, 7, dtype=np.float32)[None]
    w = rnn.windows(x, 3)
    assert w.shape == (1, 6, 3)
    assert w[0, 0].tolist() == [0, 0, 1] and w[0, 5].tolist() == [4, 5, 6]
