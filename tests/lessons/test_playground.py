"""The playground's claims (seeded, on the core), its gradients, and its own data files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nndojo.core.gradcheck import check_loss, numeric_grad, rel_error
from nndojo.core.lessons.playground import ONLY_X, Playground, add_penalty_grad, penalty
from nndojo.core.losses import SoftmaxHuber, SoftmaxMSE
from nndojo.core.playground_data import DATASETS, MAX_ROWS, DataError, read_csv

IRIS = Path(__file__).parent / "playground_data" / "iris_petals.csv"


def test_accuracy(seed: int, steps: int, **values: object) -> float:
    exp = Playground(seed=seed, **values)
    exp.step(steps)
    return exp.history["test_accuracy"].last


test_accuracy.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


# -- the claims -------------------------------------------------------------------------------
# Seeds 0-9, measured: no hidden layer peaks at 69% on XOR; one hidden layer of 4 tanh units
# reaches 87-100% in 800 steps; x1·x2 alone 99-100%; the spiral with 2x8 tanh and the sin
# features 97-100% in 1,000 steps and 51-61% without the sin features.
def test_xor_needs_a_hidden_layer_on_x1_x2() -> None:
    none = [test_accuracy(s, 400, dataset="xor", layers=0, **ONLY_X) for s in range(4)]
    one = [test_accuracy(s, 800, dataset="xor", layers=1, width1=4, **ONLY_X) for s in range(4)]
    assert max(none) < 0.75, f"a linear model fit XOR: {none}"
    assert min(one) >= 0.85, f"one hidden layer did not fit XOR: {one}"


def test_the_product_feature_replaces_the_hidden_layer_on_xor() -> None:
    accs = [test_accuracy(s, 400, dataset="xor", layers=0, **{**ONLY_X, "use_x1x2": True}) for s in range(3)]
    assert min(accs) >= 0.95, accs


def test_spiral_separates_with_two_tanh_layers_and_the_sin_features() -> None:
    net = dict(dataset="spiral", layers=2, width1=8, width2=8, activation="tanh")
    with_sin = [test_accuracy(s, 1000, **net, use_sin_x1=True, use_sin_x2=True) for s in range(2)]
    without = [test_accuracy(s, 1000, **net) for s in range(2)]
    assert min(with_sin) >= 0.9, with_sin
    assert max(without) < 0.75, without


def test_plane_regression_fits() -> None:
    exp = Playground(seed=0, dataset="plane")
    assert exp.values["loss"] == "mse"  # cross-entropy needs classes
    exp.step(300)
    assert exp.history["test_r2"].last > 0.9
    assert exp.history["test_rmse"].last < 0.1


# -- the data sets and controls -----------------------------------------------------------------
@pytest.mark.parametrize("name", list(DATASETS))
def test_every_data_set_has_its_points_and_both_classes(name: str) -> None:
    exp = Playground(seed=1, dataset=name, points=200, test_percent=30, noise=10)
    d = exp.data
    assert len(d.y_train) + len(d.y_test) == 200 and len(d.y_test) == 60
    assert np.all(np.abs(exp.u_train) < 12)
    if DATASETS[name][0] == "classification":
        assert set(np.unique(d.y_train)) == {0, 1}
    else:
        assert d.y_train.shape == (140, 1) and np.abs(d.y_train).max() <= 1.5


def test_new_data_draws_other_points_and_the_same_seed_the_same() -> None:
    a, b = Playground(seed=0), Playground(seed=0, data_seed=1)
    assert not np.array_equal(a.u_train, b.u_train)
    assert np.array_equal(a.u_train, Playground(seed=0).u_train)


def test_features_and_widths_shape_the_network() -> None:
    exp = Playground(seed=0, layers=3, width1=8, width2=1, width3=5,
                     **{**ONLY_X, "use_x1_sq": True, "use_sin_x2": True})
    shapes = [d.params["W"].shape for d in exp.dense]
    assert shapes == [(4, 8), (8, 1), (1, 5), (5, 2)]
    assert exp.snapshot().views["neurons"].shape[0] == 14


def test_learning_rate_batch_size_and_regularisation_are_live_shape_and_dropout_reset() -> None:
    exp = Playground(seed=0)
    exp.step(5)
    for name, value in (("learning_rate", 0.1), ("batch_size", 30), ("regularization", "L1 0.01")):
        assert exp.set(name, value) is False and exp.step_count == 5
    assert exp.set("width1", 6) is True and exp.step_count == 0
    assert exp.set("dropout", 0.3) is True and [d.rate for d in exp.dropouts] == [0.3, 0.3]


def test_a_regression_set_turns_cross_entropy_into_mse() -> None:
    exp = Playground(seed=0)
    exp.set("dataset", "multi_gaussian")
    assert exp.values["loss"] == "mse" and exp.classes() == 1
    with pytest.raises(ValueError):
        exp.set("loss", "cross_entropy")


# -- gradients ----------------------------------------------------------------------------------
@pytest.mark.parametrize("loss", [SoftmaxMSE, SoftmaxHuber])
def test_losses_on_softmax_probabilities_have_correct_gradients(loss: type) -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 2, (6, 3))
    labels = rng.integers(0, 3, 6)
    assert check_loss(loss(), logits, labels) < 1e-6


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_regularisation_gradient_matches_finite_differences(kind: str) -> None:
    rng = np.random.default_rng(1)
    weights = [rng.normal(0, 1, (3, 4)), rng.normal(0, 1, (4, 2))]
    grads = [np.zeros_like(w) for w in weights]
    add_penalty_grad(weights, grads, kind, 0.3)
    for w, g in zip(weights, grads):
        numeric = numeric_grad(lambda: penalty(weights, kind, 0.3), w)
        assert rel_error(g, numeric) < 1e-6


def test_the_playground_model_gradient_with_l2_matches_finite_differences() -> None:
    """The whole step's gradient (loss + L2) of a small net, in float64."""
    exp = Playground(seed=0, layers=2, width1=3, width2=2, regularization="L2 0.1")
    x = exp.data.x_train[:8].astype(np.float64)
    y = exp.data.y_train[:8]
    for d in exp.dense:
        for k in d.params:
            d.params[k] = d.params[k].astype(np.float64)
            d.grads[k] = np.zeros_like(d.params[k])
    loss = type(exp.loss)()
    weights = [d.params["W"] for d in exp.dense]

    def total() -> float:
        return loss.forward(exp.model.forward(x, training=False), y) + penalty(weights, "l2", 0.1)

    total()
    grad = loss.backward()
    for layer in reversed(exp.model.layers):
        grad = layer.backward(grad)
    add_penalty_grad(weights, [d.grads["W"] for d in exp.dense], "l2", 0.1)
    for d in exp.dense:
        assert rel_error(d.grads["W"], numeric_grad(total, d.params["W"])) < 1e-6


# -- data of one's own ----------------------------------------------------------------------------
def test_iris_petals_train_from_a_csv() -> None:
    table = read_csv(IRIS)
    assert table.classes == ("setosa", "versicolor", "virginica") and table.u.shape == (150, 2)
    exp = Playground(seed=0, table=table)
    assert exp.values["dataset"] == "csv" and exp.classes() == 3
    exp.step(400)
    assert exp.history["test_accuracy"].last >= 0.9
    assert exp.snapshot().views["axis_names"] == ("petal_length", "petal_width")


def test_a_label_column_by_name_or_position_and_a_regression_target(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = ["a,b,target,c"] + [f"{i},{i % 7},{i * 0.37:.2f},{(i * 3) % 5}" for i in range(40)]
    path.write_text("\n".join(rows) + "\n")
    by_name, by_position = read_csv(path, "target"), read_csv(path, 3)
    assert by_name.task == by_position.task == "regression"
    assert by_name.columns == ("a", "b", "c") and np.array_equal(by_name.y, by_position.y)
    exp = Playground(seed=0, table=by_name)
    assert exp.values["loss"] == "mse" and exp.data.x_train.shape[1] == 3  # x1, x2 and c
    exp.step(20)
    assert "test_r2" in exp.history


def _write(tmp_path: Path, text: str | bytes, name: str = "bad.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


GOOD_ROWS = "".join(f"{i},{i * 2},{i % 2}\n" for i in range(20))
BAD_FILES = {
    "missing": (None, "no such file"),
    "not CSV": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a CSV file"),
    "ragged": ("x,y,label\n1,2,0\n1,2\n" + GOOD_ROWS, "row 3 has 2 cells"),
    "one column": ("x\n1\n2\n", "not a CSV file"),
    "non-numeric cell": ("x,y,label\n" + GOOD_ROWS + "1,abc,0\n", "row 22, column 'y': 'abc' is not a number"),
    "one class": ("x,y,label\n" + "".join(f"{i},{i},1\n" for i in range(20)), "one class only"),
    "too few rows": ("x,y,label\n1,2,0\n2,3,1\n", "2 rows are too few"),
    "too many rows": ("x,y,label\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(MAX_ROWS + 1)),
                      f"{MAX_ROWS + 1} rows are too many"),
    "NaN": ("x,y,label\n" + GOOD_ROWS + "nan,1,0\n", "row 22, column 'x': missing or NaN"),
    "empty cell": ("x,y,label\n" + GOOD_ROWS + ",1,0\n", "row 22, column 'x': missing or NaN"),
    "NaN label": ("x,y,label\n" + GOOD_ROWS + "1,1,nan\n", "row 22, label column 'label': missing or NaN"),
    "no header": (GOOD_ROWS, "must name the columns"),
    "unknown label": ("x,y,label\n" + GOOD_ROWS, "no column named 'kind'"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_one_line_and_the_run_is_untouched(case: str, tmp_path: Path) -> None:
    text, expected = BAD_FILES[case]
    path = tmp_path / "absent.csv" if text is None else _write(tmp_path, text)
    exp = Playground(seed=0)
    exp.step(7)
    values = dict(exp.values)
    with pytest.raises(DataError) as raised:
        read_csv(path, "kind" if case == "unknown label" else None)
    message = str(raised.value)
    assert expected in message and "\n" not in message, message
    assert exp.step_count == 7 and exp.values == values and exp.table is None


# -- exports ------------------------------------------------------------------------------------
@pytest.mark.parametrize("setup", ["spiral-relu", "plane", "iris"])
def test_the_exported_script_alone_prints_the_apps_predictions(setup: str, tmp_path: Path) -> None:
    import ast
    import subprocess
    import sys

    from nndojo.core.playground_export import export_model

    values: dict = {"spiral-relu": dict(dataset="spiral", activation="relu", use_sin_x1=True, use_x1x2=True),
                    "plane": dict(dataset="plane", activation="sigmoid"),
                    "iris": dict(table=read_csv(IRIS), layers=1, activation="leaky_relu")}[setup]
    exp = Playground(seed=2, **values)
    exp.step(100)
    script = tmp_path / "model.py"
    export_model(exp, script)
    imported = {a.name.split(".")[0] for node in ast.walk(ast.parse(script.read_text()))
                if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}
    assert imported == {"numpy", "sys"}
    # -I: isolated from this checkout and the user's site packages; only NumPy is imported
    out = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, cwd=tmp_path,
                         check=True).stdout.strip().splitlines()
    printed = np.array([[float(v) for v in line.split("\t")[-1].split()] for line in out])
    app = exp.predict(exp.u_test[:20])
    if exp.task == "regression":
        np.testing.assert_allclose(printed[:, 0], app, rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_allclose(printed, app, rtol=1e-5, atol=1e-6)


def test_the_data_exports_as_csv_that_the_script_predicts_on(tmp_path: Path) -> None:
    import subprocess
    import sys

    from nndojo.core.playground_export import export_data, export_model

    exp = Playground(seed=0, dataset="moons", points=100)
    exp.step(50)
    path = tmp_path / "moons.csv"
    export_data(exp, path)
    lines = path.read_text().splitlines()
    assert lines[0] == "x1,x2,label,split" and len(lines) == 101
    assert sum(line.endswith(",test") for line in lines) == 50
    export_model(exp, tmp_path / "model.py")
    out = subprocess.run([sys.executable, "-I", str(tmp_path / "model.py"), str(path)], capture_output=True,
                         text=True, cwd=tmp_path, check=True).stdout.strip().splitlines()
    printed = np.array([[float(v) for v in line.split("\t")[-1].split()] for line in out])
    u = np.concatenate([exp.u_train, exp.u_test])
    np.testing.assert_allclose(printed, exp.predict(u), rtol=1e-5, atol=1e-6)


# -- setup files --------------------------------------------------------------------------------
def test_a_setup_file_opens_exactly_that_run(tmp_path: Path) -> None:
    from nndojo.core.playground_setup import playground_from_setup, write_setup

    exp = Playground(seed=4, dataset="spiral", layers=3, width3=7, use_sin_x1=True, regularization="L2 0.01",
                     learning_rate=0.1)
    write_setup(exp, tmp_path / "class.toml")
    again = playground_from_setup(tmp_path / "class.toml")
    assert again.values == exp.values and again.seed == 4
    exp.step(30)
    again.step(30)
    assert again.history["test_loss"].last == exp.history["test_loss"].last


def test_a_setup_names_its_csv_beside_it(tmp_path: Path) -> None:
    from nndojo.core.playground_setup import playground_from_setup, write_setup

    (tmp_path / "iris.csv").write_bytes(IRIS.read_bytes())
    exp = Playground(seed=1, table=read_csv(tmp_path / "iris.csv"), layers=1)
    write_setup(exp, tmp_path / "iris.toml")
    text = (tmp_path / "iris.toml").read_text()
    assert 'data = "iris.csv"' in text and 'label = "species"' in text and "dataset" not in text
    again = playground_from_setup(tmp_path / "iris.toml")
    assert again.values == exp.values and again.table is not None and again.table.classes == exp.table.classes


@pytest.mark.parametrize("text,expected", [
    ('activation = "swish"', "key 'activation': 'swish' is not allowed; allowed: relu | tanh"),
    ("layers = 9", "key 'layers': 9 is not allowed; allowed: 0 .. 6"),
    ("colour = 3", "unknown key 'colour'; the keys are seed, data, label, dataset"),
    ("seed = -1", "key 'seed': -1 is not a whole number"),
    ("layers = [", "not a TOML file"),
    ('data = "absent.csv"', "key 'data': "),
])
def test_a_bad_setup_file_names_the_key_and_its_allowed_values(text: str, expected: str, tmp_path: Path) -> None:
    from nndojo.core.playground_setup import SetupError, playground_from_setup

    (tmp_path / "bad.toml").write_text(text + "\n")
    with pytest.raises(SetupError) as raised:
        playground_from_setup(tmp_path / "bad.toml")
    assert expected in str(raised.value) and "\n" not in str(raised.value)


def test_a_run_on_a_csv_saves_and_resumes_bit_for_bit(tmp_path: Path) -> None:
    from nndojo.core import session

    exp = Playground(seed=3, table=read_csv(IRIS), layers=1)
    exp.step(25)
    path = session.save(session.capture(exp), tmp_path / "iris.npz")
    again = session.load(path)
    assert isinstance(again, Playground) and again.table is not None and again.values == exp.values
    exp.step(15)
    again.step(15)
    assert again.history["test_loss"].last == exp.history["test_loss"].last
    assert np.array_equal(again.dense[0].params["W"], exp.dense[0].params["W"])
