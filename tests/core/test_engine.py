"""The training engine (core/engine.py) and the registries (core/registry.py), on tiny
Experiments declared here (no Textual)."""

from __future__ import annotations

import numpy as np
import pytest

from nndojo.core import activations, data, init, losses, optim
from nndojo.core.engine import Arm, Splits, SupervisedExperiment
from nndojo.core.experiment import HyperParam, LessonInfo
from nndojo.core.layers import Activation, Dense
from nndojo.core.model import Sequential
from nndojo.core.registry import Registry, UnknownName

TEXT = {"en": "x", "ko": "x"}
INFO = LessonInfo(key="engine-test", number=99, title=TEXT, question=TEXT, text=TEXT, claim=TEXT, finished=False)


def blobs(rng: np.random.Generator, n: int = 240) -> tuple[np.ndarray, np.ndarray]:
    """Three separable Gaussian blobs in 2-D: x (n, 2) float32, y (n,) int64."""
    X, y = data.gaussians(n=n, classes=3, spread=0.3, seed=rng)
    return X, y


class Tiny(SupervisedExperiment):
    """A 2-16-3 tanh MLP on three blobs, with validation and test splits."""

    info = INFO
    hyperparams = (
        HyperParam("learning_rate", "learning rate", "float", 0.1, low=1e-4, high=2.0, log=True),
        HyperParam("batch_size", "batch size", "choice", 16, choices=(4, 16, 64)),
    )
    eval_every_steps = 5
    target_accuracy = 0.9

    def _data(self) -> Splits:
        X, y = blobs(self.data_rng, 300)
        return Splits.carve_validation(X[:240], y[:240], 0.25, seed=7, x_test=X[240:], y_test=y[240:])

    def _model(self) -> Sequential:
        return Sequential([Dense(2, 16, rng=self.init_rng), Activation("tanh"), Dense(16, 3, rng=self.init_rng)])


class TinyNoEval(Tiny):
    """No evaluation schedule: step 0 records the probe set's loss and accuracy."""

    eval_every_steps = None
    record_batch_accuracy = True
    probe_size = 8


class Twins(Tiny):
    """Two arms built from the same initial weights and the same settings."""

    def _arms(self) -> list[Arm]:
        state = self.init_rng.bit_generator.state
        a = self._model()
        self.init_rng.bit_generator.state = state  # the same draws again
        b = self._model()
        return [self.make_arm("a", a), self.make_arm("b", b)]


class SgdVsAdam(Tiny):
    def _arms(self) -> list[Arm]:
        return [self.make_arm("sgd", self._model(), optimizer="gd"), self.make_arm("adam", self._model(), optimizer="adam")]


# -- the minibatch step -------------------------------------------------------------------
def test_minibatch_steps_lower_the_loss_on_a_tiny_set():
    exp = TinyNoEval(seed=0)
    first = exp.history["loss"].last  # step 0: the untrained model on the probe rows
    exp.step(200)
    assert exp.history["loss"].series()[1][-20:].mean() < 0.3 * first
    assert exp.history["accuracy"].series()[1][-20:].mean() > 0.9


def test_step_zero_is_recorded_before_any_update():
    exp = TinyNoEval(seed=0)
    assert exp.step_count == 0
    assert exp.history["loss"].count == 1 and exp.history["accuracy"].count == 1
    x, _ = exp.history["loss"].series()
    assert x.tolist() == [0.0]
    # the probe rows' loss, of the untrained model
    logits = exp.model.forward(exp.probe_x, training=False)
    assert exp.history["loss"].last == pytest.approx(losses.SoftmaxCrossEntropy().forward(logits, exp.probe_y), rel=1e-6)
    evaluated = Tiny(seed=0)  # with a schedule: the untrained model's evaluation at step 0
    assert set(evaluated.history.names()) == {"train_accuracy", "val_accuracy", "test_accuracy"}
    assert all(evaluated.history[n].series()[0].tolist() == [0.0] for n in evaluated.history.names())


def test_learning_rate_change_is_live():
    exp = Tiny(seed=0)
    exp.step(3)
    assert exp.set("learning_rate", 0.5) is False and exp.optimizer.learning_rate == 0.5
    W = exp.model.layers[2].params["W"].copy()
    exp.step()
    np.testing.assert_allclose(exp.model.layers[2].params["W"], W - 0.5 * exp.model.layers[2].grads["W"], rtol=0, atol=1e-7)


def test_batch_size_change_is_live():
    exp = Tiny(seed=0)
    n = exp.n_train
    exp.step(4)
    assert exp.samples_seen == 4 * 16
    assert exp.set("batch_size", 64) is False
    before = exp.batch_rng.bit_generator.state
    exp.step()
    assert exp.samples_seen == 4 * 16 + 64 and exp.epoch == pytest.approx((4 * 16 + 64) / n)
    drawn = np.random.default_rng()
    drawn.bit_generator.state = before
    assert len(drawn.integers(0, n, size=64)) == 64  # the next batch was drawn with the new size


# -- evaluation ---------------------------------------------------------------------------
def test_evaluation_is_recorded_at_the_declared_steps():
    exp = Tiny(seed=0)
    exp.step(23)
    for name in ("train_accuracy", "val_accuracy", "test_accuracy"):
        x, _ = exp.history[name].series()
        assert x.tolist() == [0, 5, 10, 15, 20], name
    assert exp.history["loss"].count == 23


def test_evaluation_every_epoch_fraction_counts_images_seen():
    class Quarterly(Tiny):
        eval_every_steps = None
        eval_every_epochs = 0.5

    exp = Quarterly(seed=0)
    exp.step(30)  # 480 images of ~180: every 90 images, after the step that crosses it
    steps = exp.history["val_accuracy"].series()[0][1:].astype(int)
    crossings = [s for s in range(1, 31) if (16 * s) // (0.5 * exp.n_train) > (16 * (s - 1)) // (0.5 * exp.n_train)]
    assert steps.tolist() == crossings


def test_converged_is_judged_on_validation_and_reports_the_test_accuracy():
    exp = Tiny(seed=0)
    exp.step(100)
    assert exp.converged
    val, test = exp.last_eval["val_accuracy"], exp.last_eval["test_accuracy"]
    assert val >= 0.9
    assert "validation accuracy passed 90%" in exp.message and "test accuracy then" in exp.message

    class TestNeverConverges(Tiny):  # a perfect test split cannot make the run converge
        def _evaluate(self):
            return {**super()._evaluate(), "val_accuracy": 0.0, "test_accuracy": 1.0}

    other = TestNeverConverges(seed=0)
    other.step(100)
    assert not other.converged and other.message == ""


def test_validation_split_is_disjoint_from_train_and_test():
    exp = Tiny(seed=0)
    d = exp.data
    rows = lambda x: {r.tobytes() for r in x}
    train, val, test = rows(d.x_train), rows(d.x_val), rows(d.x_test)
    assert len(train) == len(d.x_train) and len(val) == len(d.x_val)  # no repeated point
    assert not train & val and not train & test and not val & test
    assert len(d.x_train) + len(d.x_val) == 240
    # stratified: about a quarter of each class in validation
    for c in range(3):
        total = np.sum(d.y_train == c) + np.sum(d.y_val == c)
        assert np.sum(d.y_val == c) == round(total * 0.25)
    assert not d.x_val.flags.writeable
    # the same split every run
    np.testing.assert_array_equal(Tiny(seed=0).data.x_val, d.x_val)


# -- lockstep arms --------------------------------------------------------------------------
def test_two_arms_with_the_same_init_and_settings_produce_identical_metrics():
    exp = Twins(seed=3)
    exp.step(40)
    names = exp.history.names()
    assert {"a/loss", "b/loss", "a/val_accuracy", "b/val_accuracy"} <= set(names)
    for name in names:
        if name.startswith("a/"):
            xa, ya = exp.history[name].series()
            xb, yb = exp.history["b/" + name[2:]].series()
            np.testing.assert_array_equal(ya, yb)
            np.testing.assert_array_equal(xa, xb)
    for k, p in exp.model_a.params().items():
        np.testing.assert_array_equal(p, exp.model_b.params()[k])
    assert exp.model_a is not exp.model_b and exp.optimizer_a is not exp.optimizer_b


def test_arms_see_the_same_batches():
    exp = SgdVsAdam(seed=0)
    seen: dict[str, list[bytes]] = {"sgd": [], "adam": []}
    original = exp._measure

    def spy(arm, x, y):
        seen[arm.name].append(x.tobytes())
        return original(arm, x, y)

    exp._measure = spy
    exp.step(5)
    assert len(seen["sgd"]) == 5 and seen["sgd"] == seen["adam"]
    assert len(set(seen["sgd"])) == 5  # five different batches
    assert isinstance(exp.optimizer_sgd, optim.SGD) and isinstance(exp.optimizer_adam, optim.Adam)
    assert exp.optimizer_adam.t == 5


def test_one_arm_of_several_diverging_is_a_state():
    exp = SgdVsAdam(seed=0)
    exp.step(2)
    exp.model_sgd.params()["0.W"][...] = np.inf
    exp.step(3)
    assert exp.diverged and "sgd/loss" in exp.message and exp.step_count == 3


def test_arms_save_and_resume_bit_for_bit():
    a = SgdVsAdam(seed=2)
    a.step(7)
    b = SgdVsAdam.from_state_dict(a.state_dict())
    a.step(9)
    b.step(9)
    for model in ("model_sgd", "model_adam"):
        for k, p in getattr(a, model).params().items():
            assert p.tobytes() == getattr(b, model).params()[k].tobytes()
    assert a.history.state_dict()["series"][0]["y"].tobytes() == b.history.state_dict()["series"][0]["y"].tobytes()


# -- probe outputs ----------------------------------------------------------------------------
def test_probe_outputs_are_the_models_own_forward_pass():
    exp = TinyNoEval(seed=0)
    exp.step(10)
    out, layers = exp.probe_outputs()
    assert len(layers) == 3 and layers[1].shape == (8, 16)
    np.testing.assert_array_equal(out, exp.model.forward(exp.probe_x, training=False))
    assert exp.probe_x.shape == (8, 2)


# -- registries ------------------------------------------------------------------------------
def test_registry_names_its_choices_in_order_and_refuses_unknown_names():
    r: Registry[int] = Registry("thing", {"one": 1, "two": 2})
    r.register("three", 3)

    @r.register("four")
    def four() -> int:
        return 4

    assert r.names() == ("one", "two", "three", "four") and list(r) == list(r.names())
    assert r.get("two") == 2 and r["four"] is four and "one" in r and [] not in r
    with pytest.raises(UnknownName, match="unknown thing 'five'; choose one of one, two, three, four"):
        r.get("five")
    with pytest.raises(ValueError, match="already"):
        r.register("one", 5)
    assert r.names("two", "one") == ("two", "one")
    with pytest.raises(ValueError):
        r.names("two", "zero")


@pytest.mark.parametrize(
    "registry, name",
    [(init.INITIALIZERS, "xavier"), (activations.ACTIVATIONS, "tanh"), (losses.LOSSES, "mse"),
     (optim.OPTIMIZERS, "adam"), (data.DATASETS, "spiral")],
)
def test_the_tables_are_registries(registry, name):
    assert isinstance(registry, Registry) and name in registry.names()
    with pytest.raises(ValueError, match="choose one of"):
        registry.get("no-such-name")


def test_controls_take_their_choices_from_the_registries():
    from nndojo.core.lessons.weight_init import WeightInit

    choices = {h.name: h.choices for h in WeightInit.hyperparams}
    assert choices["init"] == init.INITIALIZERS.names()
    assert set(choices["activation"]) <= set(activations.ACTIVATIONS.names())
