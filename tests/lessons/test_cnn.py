"""Lesson 12 (CNN): its claims, on the Experiment alone (no Textual). (The contract every
lesson keeps is tests/lessons/test_contract.py.)"""

import hashlib

import numpy as np
import pytest

from nndojo.core.data import load_digits, load_digits_raw
from nndojo.core.experiment import HyperParamError
from nndojo.core.lessons.cnn import CNN, N_TEST, TARGET_ACCURACY, VAL_TARGET

BUDGET = CNN.DEFAULT_BUDGET_STEPS


def params_bytes(exp: CNN) -> dict[str, bytes]:
    return {k: v.tobytes() for k, v in exp.model.params().items()}


def run_until_target(exp: CNN, budget: int, stop: bool = False) -> int | None:
    """Step one update at a time up to ``budget`` (or, with ``stop``, until converged);
    return the step at which validation accuracy first said converged, or None."""
    first = None
    while exp.step_count < budget:
        exp.step()
        if first is None and exp.converged:
            first = exp.step_count
            if stop:
                break
    return first


def direct_conv(x: np.ndarray, W: np.ndarray, b: np.ndarray, pad: int) -> np.ndarray:
    """The definition, by explicit loops: out[f, r, c] = b[f] + Σ_ij x[r+i-pad, c+j-pad] · W[f, i, j],
    pixels outside the image counting as 0. x: (H, W); W: (F, k, k) -> (F, H, W), float64."""
    F, k, _ = W.shape
    H, Wd = x.shape
    out = np.zeros((F, H, Wd))
    for f in range(F):
        for r in range(H):
            for c in range(Wd):
                s = float(b[f])
                for i in range(k):
                    for j in range(k):
                        rr, cc = r + i - pad, c + j - pad
                        if 0 <= rr < H and 0 <= cc < Wd:
                            s += float(x[rr, cc]) * float(W[f, i, j])
                out[f, r, c] = s
    return out


@pytest.fixture(scope="module")
def default_run():
    """The default lesson, seed 0, trained for the default budget; and the step it passed 95%."""
    exp = CNN(seed=0)
    untrained = exp.history["test_accuracy"].last
    first = run_until_target(exp, BUDGET)
    return exp, first, untrained


# -- the claim: 95% on held-out digits within the default budget ----------------------
# "converged" is judged on the validation split only; the test accuracy at that step is the claim
def test_conv_net_passes_95_percent_test_accuracy_within_default_budget():
    exp = CNN(seed=0)
    untrained = exp.history["test_accuracy"].last
    assert untrained < 0.5  # the untrained net is near chance: the claim is not free
    first = run_until_target(exp, BUDGET, stop=True)
    assert first is not None and first <= BUDGET, f"validation never passed {VAL_TARGET:.1%}"
    assert exp.val_accuracy >= VAL_TARGET
    # the net at that step, checked independently of the lesson's own bookkeeping
    logits = exp.model.forward(exp.data.x_test, training=False)
    passed = float(np.mean(logits.argmax(axis=1) == exp.data.y_test))
    assert passed >= TARGET_ACCURACY
    assert passed == exp.test_accuracy == exp.history["test_accuracy"].last
    assert exp.converged
    assert f"{VAL_TARGET:.1%}" in exp.message and f"{passed:.1%}" in exp.message


@pytest.mark.parametrize("seed", [1, 2])
def test_conv_net_passes_95_percent_for_other_seeds_too(seed):
    exp = CNN(seed=seed)
    assert run_until_target(exp, BUDGET, stop=True) is not None
    assert exp.test_accuracy >= TARGET_ACCURACY


def test_validation_is_carved_from_training_images_and_disjoint_from_test():
    exp = CNN(seed=0)
    d, full = exp.data, load_digits()
    assert len(d.y_train) + len(d.y_val) == len(full.y_train) and len(d.y_test) == len(full.y_test)
    rows = lambda x, y: sorted(zip(map(bytes, np.rint(x[:, 0] * 16).astype(np.uint8)), y.tolist()))
    # train + validation are exactly the training images, each once (so none is a test image:
    # the training and test images are disjoint, see the data test below)
    assert rows(np.concatenate([d.x_train, d.x_val]), np.concatenate([d.y_train, d.y_val])) == rows(
        full.x_train, full.y_train
    )
    np.testing.assert_array_equal(d.x_test, full.x_test)
    assert np.bincount(d.y_val, minlength=10).min() > 0  # every digit is validated


# -- the claim: each conv output is the sliding dot product --------------------------
@pytest.mark.parametrize("kernel_size", [3, 5])
def test_each_conv_output_equals_the_direct_sliding_dot_product(kernel_size):
    exp = CNN(seed=1, kernel_size=kernel_size)
    exp.step(30)  # trained weights and non-zero biases, not the initial ones
    conv = exp.conv
    assert np.any(conv.params["b"] != 0)
    x = exp.data.x_test[[0, 7, 100]]
    out = conv.forward(x, training=False)  # (3, F, 8, 8)
    first_layer = exp.model.forward(x, training=False, keep=True)[1][0]
    W, b = conv.params["W"][:, 0], conv.params["b"]
    for n in range(len(x)):
        ref = direct_conv(x[n, 0], W, b, pad=kernel_size // 2)
        np.testing.assert_allclose(out[n], ref, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(first_layer[n], ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kernel_size", [3, 5])
def test_dot_view_output_equals_the_feature_map_value(kernel_size):
    exp = CNN(seed=2, kernel_size=kernel_size)
    exp.step(40)
    p = kernel_size // 2
    for sample, chosen in [(0, 0), (5, 3), (N_TEST - 1, 7)]:
        exp.set("sample", sample)
        exp.set("filter", chosen)
        v = exp.snapshot().views
        dot = v["dot"]
        f, r, c = dot["filter"], dot["row"], dot["col"]
        assert f == chosen and dot["padding"] == p
        fmap = v["feature_maps"]
        assert dot["output"] == fmap[f, r, c]
        assert (r, c) == np.unravel_index(np.argmax(fmap[f]), fmap[f].shape)  # strongest response
        assert dot["sum"] + dot["bias"] == pytest.approx(dot["output"], rel=1e-5, abs=1e-5)
        np.testing.assert_array_equal(dot["kernel"], v["kernels"][f])
        np.testing.assert_array_equal(dot["products"], dot["patch"] * dot["kernel"])
        assert dot["bias"] == v["bias"][f]
        # the patch is the zero-padded window of the image under position (r, c)
        image = exp.data.x_test[sample, 0]
        for i in range(kernel_size):
            for j in range(kernel_size):
                rr, cc = r + i - p, c + j - p
                inside = 0 <= rr < 8 and 0 <= cc < 8
                assert dot["patch"][i, j] == (image[rr, cc] if inside else 0.0)
        # the whole view is the model's own forward pass for this sample
        np.testing.assert_array_equal(v["image"], image)
        assert v["label"] == exp.data.y_test[sample]
        logits, outs = exp.model.forward(exp.data.x_test[sample : sample + 1], training=False, keep=True)
        np.testing.assert_allclose(fmap, outs[0][0], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(v["relu_maps"], outs[1][0], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(v["pooled"], outs[2][0], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(fmap, direct_conv(image, v["kernels"], v["bias"], p), rtol=1e-5, atol=1e-5)
        assert v["prediction"] == int(np.argmax(logits[0])) == int(np.argmax(v["probs"]))
        assert v["probs"].sum() == pytest.approx(1.0, abs=1e-5)


# -- its views and controls ---------------------------------------------------------------------
def test_views_have_the_documented_keys_and_shapes():
    exp = CNN(seed=0)
    F, k = exp.values["filters"], exp.values["kernel_size"]
    v = exp.snapshot().views
    shapes = {
        "kernels": (F, k, k), "bias": (F,), "image": (8, 8), "probs": (10,),
        "feature_maps": (F, 8, 8), "relu_maps": (F, 8, 8), "pooled": (F, 4, 4),
    }
    for name, shape in shapes.items():
        assert v[name].shape == shape, name
        assert not v[name].flags.writeable, name
    for name in ("patch", "kernel", "products"):
        assert v["dot"][name].shape == (k, k)
    assert isinstance(v["label"], int) and isinstance(v["prediction"], int)
    assert 0.0 <= v["test_accuracy"] <= 1.0
    np.testing.assert_array_equal(v["relu_maps"], np.maximum(v["feature_maps"], 0))


def test_views_are_cached_until_the_step_the_sample_or_the_run_changes():
    exp = CNN(seed=0)
    a, b = exp.snapshot().views, exp.snapshot().views
    assert a["feature_maps"] is b["feature_maps"]
    exp.set("sample", 1)
    assert exp.snapshot().views["feature_maps"] is not a["feature_maps"]
    exp.step()
    assert exp.snapshot().views["feature_maps"] is not a["feature_maps"]
    exp.reset()
    assert exp.snapshot().views["kernels"].shape == (8, 3, 3)  # cached at step 0, sample 1
    exp.set("filters", 4)  # the same step and sample, but a new net: not the cached views
    assert exp.snapshot().views["kernels"].shape == (4, 3, 3)


def test_drawing_does_not_disturb_training():
    plain, drawn = CNN(seed=4), CNN(seed=4)
    plain.step(40)
    for i in range(40):
        drawn.step()
        drawn.set("sample", i)
        drawn.snapshot()
    assert params_bytes(plain) == params_bytes(drawn)


def test_filter_control_follows_the_filter_count():
    exp = CNN(seed=0)
    exp.set("filter", 7)
    exp.set("filters", 4)  # the rebuild keeps the inspected filter inside the new count
    assert exp.values["filter"] == 3
    assert exp.snapshot().views["dot"]["filter"] == 3
    with pytest.raises(HyperParamError):
        exp.set("filter", 4)


def test_learning_rate_change_is_live():
    exp = CNN(seed=0)
    exp.step(40)
    weights = params_bytes(exp)
    assert exp.set("learning_rate", 0.002) is False
    assert exp.step_count == 40 and params_bytes(exp) == weights
    assert exp.optimizer.learning_rate == 0.002
    exp.step()
    assert exp.step_count == 41 and exp.optimizer.t == 41  # same optimiser, moments kept


def test_batch_size_change_is_live_and_epochs_count_images_seen():
    exp = CNN(seed=0)
    n_train = len(exp.data.y_train)  # the training split (validation images excluded)
    exp.step(45)
    assert exp.epoch == pytest.approx(45 * 32 / n_train)
    assert exp.set("batch_size", 64) is False
    exp.step(5)
    assert exp.step_count == 50
    assert exp.epoch == pytest.approx((45 * 32 + 5 * 64) / n_train)


def test_accuracy_is_measured_about_every_quarter_epoch():
    exp = CNN(seed=0)
    exp.step(90)  # 2880 images = 2.0 epochs
    quarters = int(exp.epoch / 0.25)
    assert exp.history["loss"].count == 90
    assert exp.history["test_accuracy"].count == 1 + quarters  # plus the untrained point at step 0
    assert exp.history["train_accuracy"].count == 1 + quarters
    assert exp.history["val_accuracy"].count == 1 + quarters


def test_structural_changes_rebuild_the_run():
    exp = CNN(seed=0)
    exp.step(10)
    assert exp.set("filters", 4) is True
    assert exp.step_count == 0
    assert exp.snapshot().views["kernels"].shape == (4, 3, 3)
    assert exp.set("kernel_size", 5) is True
    v = exp.snapshot().views
    assert v["kernels"].shape == (4, 5, 5) and v["feature_maps"].shape == (4, 8, 8)
    assert v["pooled"].shape == (4, 4, 4)


def test_kernels_change_during_training():
    exp = CNN(seed=0)
    before = exp.snapshot().views
    exp.step(200)
    after = exp.snapshot().views
    assert np.max(np.abs(after["kernels"] - before["kernels"])) > 0.1
    assert np.max(np.abs(after["bias"] - before["bias"])) > 0.01


# -- what the lesson text tells the learner to try --------------------------------------
def test_one_filter_stalls_below_the_target_and_sixteen_pass_sooner_than_eight(default_run):
    one = CNN(seed=0, filters=1)
    assert run_until_target(one, BUDGET) is None
    _, eight, _ = default_run
    sixteen = run_until_target(CNN(seed=0, filters=16), eight, stop=True)
    assert sixteen is not None and sixteen < eight


@pytest.mark.parametrize("seed", [0, 1])
def test_too_high_learning_rate_kills_every_filter(seed):
    exp = CNN(seed=seed, learning_rate=1.0)
    exp.step(300)
    conv_out = exp.conv.forward(exp.data.x_test, training=False)
    assert np.all(conv_out <= 0)  # ReLU outputs 0 for every filter on every test digit
    assert exp.test_accuracy < 0.15


# -- the data ---------------------------------------------------------------------------
def test_digits_have_1797_images_with_a_stable_split_and_no_overlap():
    images, labels = load_digits_raw()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    d = load_digits()
    assert d.x_train.shape == (1438, 1, 8, 8) and d.x_test.shape == (359, 1, 8, 8)
    assert d.x_train.dtype == np.float32 and 0.0 <= d.x_train.min() and d.x_train.max() <= 1.0
    # train and test together are exactly the 1,797 images, each once: no image in both
    rows = lambda x, y: sorted(zip(map(bytes, (np.rint(x[:, 0] * 16)).astype(np.uint8)), y.tolist()))
    every = np.concatenate([d.x_train, d.x_test]), np.concatenate([d.y_train, d.y_test])
    assert rows(*every) == sorted(zip(map(bytes, images.astype(np.uint8)), labels.tolist()))
    # the split is fixed: stratified 20% per class, and the same test set every time
    assert np.bincount(d.y_test, minlength=10).tolist() == [
        round(n * 0.2) for n in np.bincount(labels, minlength=10)
    ]
    fingerprint = hashlib.sha256(d.x_test.tobytes() + d.y_test.tobytes()).hexdigest()
    load_digits.cache_clear()
    again = load_digits()
    assert hashlib.sha256(again.x_test.tobytes() + again.y_test.tobytes()).hexdigest() == fingerprint
    assert N_TEST == len(d.y_test)


def test_the_filter_control_ranges_over_the_filters_that_exist_in_any_argument_order():
    assert CNN(filters=12, filter=10).values["filter"] == 10
    assert CNN(filter=10, filters=12).values["filter"] == 10
    exp = CNN(filters=4)
    assert exp.hyperparam("filter").high == 3
    assert exp.snapshot().hyperparams[[h.name for h in CNN.hyperparams].index("filter")].high == 3
    with pytest.raises(HyperParamError):
        exp.set("filter", 4)
    assert exp.hyperparam("filter").nudge(3, +1) == 3


# -- the text: training mostly strengthens the random kernels ------------------------------
def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of each row pair of a, b: (F, ...) -> (F,)."""
    a, b = a.reshape(len(a), -1).astype(np.float64), b.reshape(len(b), -1).astype(np.float64)
    return (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_training_mostly_strengthens_the_random_kernels(seed):
    """The text: after 300 steps each kernel keeps a cosine similarity of 0.7-1.0 with its
    random start and has grown 1.2-2.8x (a dead filter: not at all); the dense layer moves
    much further (cosine 0.3-0.4)."""
    exp = CNN(seed=seed)
    kernels0, dense0 = exp.conv.params["W"][:, 0].copy(), exp.dense.params["W"].copy()
    exp.step(300)
    kernels, dense = exp.conv.params["W"][:, 0], exp.dense.params["W"]
    cosine = _cosine(kernels, kernels0)
    assert cosine.min() > 0.65 and cosine.mean() > 0.8  # 0.73-1.0 measured, seeds 0-4
    growth = np.linalg.norm(kernels.reshape(len(kernels), -1), axis=1) / np.linalg.norm(kernels0.reshape(len(kernels), -1), axis=1)
    live = cosine < 1 - 1e-6
    assert np.all((growth[live] > 1.1) & (growth[live] < 3.2)) and growth.mean() > 1.4
    assert _cosine(dense[None], dense0[None])[0] < 0.5  # the classifier is where the learning is


def test_a_filter_dead_on_every_digit_never_changes():
    """Seed 2 starts with a filter whose ReLU output is 0 on every training digit: no gradient
    reaches it, and after 300 steps it is exactly its random start."""
    exp = CNN(seed=2)
    z = exp.conv.forward(exp.data.x_train, training=False)  # (n, F, 8, 8) before the ReLU
    dead = np.flatnonzero(z.max(axis=(0, 2, 3)) <= 0)
    assert dead.size >= 1
    before = exp.conv.params["W"].copy()
    exp.step(300)
    np.testing.assert_array_equal(exp.conv.params["W"][dead], before[dead])
    assert not np.array_equal(np.delete(exp.conv.params["W"], dead, 0), np.delete(before, dead, 0))


def test_the_convolution_is_a_cross_correlation_no_kernel_flip():
    exp = CNN(seed=0)
    x = exp.data.x_test[:1]
    W, b = exp.conv.params["W"][:, 0], exp.conv.params["b"]
    out = exp.conv.forward(x, training=False)[0]
    np.testing.assert_allclose(out, direct_conv(x[0, 0], W, b, pad=1), rtol=1e-5, atol=1e-5)
    flipped = direct_conv(x[0, 0], W[:, ::-1, ::-1], b, pad=1)  # a signal-processing convolution
    assert np.abs(out - flipped).max() > 0.1
