"""The playground in the app: lesson 0 in the menu and by number, its keys (N new data,
d a data file of one's own), and `nndojo --data FILE`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label

from nndojo.screens import menu_infos
from nndojo.screens.playground_data_dialog import DataDialog
from nndojo.tui.app import NNDojoApp
from nndojo.tui.cli import main

IRIS = Path(__file__).parent.parent / "lessons" / "playground_data" / "iris_petals.csv"


@pytest.fixture
def launched(monkeypatch) -> list[NNDojoApp]:
    """Stand in for App.run: record the app main() built instead of running it."""
    apps: list[NNDojoApp] = []
    monkeypatch.setattr(NNDojoApp, "run", lambda self, *a, **k: apps.append(self))
    return apps


def test_the_playground_is_lesson_0_first_in_the_menu() -> None:
    assert menu_infos()[0].key == "playground" and menu_infos()[0].number == 0


@pytest.mark.parametrize("name", ["0", "playground"])
def test_lesson_0_opens_by_number_and_by_name(name: str, launched: list[NNDojoApp]) -> None:
    assert main(["--lesson", name]) == 0
    assert launched[0].start_lesson == "playground"


async def test_typing_0_on_home_opens_the_playground() -> None:
    app = NNDojoApp(None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("0")
        await pilot.pause()
        assert getattr(app.screen, "experiment", None) is not None
        assert app.screen.experiment.info.key == "playground"


def test_data_opens_the_playground_on_the_file(launched: list[NNDojoApp]) -> None:
    assert main(["--data", f"{IRIS}:species", "--seed", "3"]) == 0
    app = launched[0]
    assert app.start_lesson == "playground"
    exp = app._resumed["playground"]
    assert exp.values["dataset"] == "csv" and exp.seed == 3 and exp.table.classes == ("setosa", "versicolor", "virginica")


def test_a_bad_data_file_is_one_line_and_exit_2(capsys, tmp_path: Path, launched: list[NNDojoApp]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y,label\n" + "".join(f"{i},{i},1\n" for i in range(20)))
    with pytest.raises(SystemExit) as exc:
        main(["--data", str(bad)])
    assert exc.value.code == 2 and not launched
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("nndojo: error: --data: ") and "one class only" in err


async def test_d_refuses_a_bad_file_in_a_line_then_loads_a_good_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y,label\n" + "".join(f"{i},{i * 2},{i % 2}\n" for i in range(20)) + "1,zz,0\n")
    app = NNDojoApp("playground")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lesson = app.screen
        await pilot.press("n", "n")
        before = dict(lesson.runner.experiment.values), lesson.runner.experiment.step_count
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DataDialog)
        dialog.query_one("#path", Input).value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        error = str(dialog.query_one("#error", Label).content)
        assert "row 22, column 'y': 'zz' is not a number" in error and "\n" not in error
        exp = lesson.runner.experiment
        assert (dict(exp.values), exp.step_count) == before and exp.table is None
        dialog.query_one("#path", Input).value = str(IRIS)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is lesson
        assert exp.values["dataset"] == "csv" and exp.step_count == 0 and exp.classes() == 3
        await pilot.press("escape")


async def test_escape_closes_the_data_dialog_and_changes_nothing() -> None:
    app = NNDojoApp("playground")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lesson = app.screen
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DataDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is lesson and lesson.runner.experiment.values["dataset"] == "circle"


async def test_N_draws_new_data() -> None:
    app = NNDojoApp("playground")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        exp = app.screen.runner.experiment
        before = exp.u_train.copy()
        await pilot.press("N")
        await pilot.pause()
        assert exp.values["data_seed"] == 1
        assert not (exp.u_train == before).all()


async def test_E_and_D_export_the_model_and_the_data(tmp_path: Path) -> None:
    app = NNDojoApp("playground", save_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "E", "D")
        await pilot.pause()
        assert (tmp_path / "nndojo-playground-step2.py").read_text().startswith('"""A network trained')
        assert (tmp_path / "nndojo-playground-step2-data.csv").read_text().startswith("x1,x2,label,split")


def test_setup_opens_the_playground_and_a_bad_one_is_one_line(capsys, tmp_path: Path,
                                                              launched: list[NNDojoApp]) -> None:
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text('seed = 5\ndataset = "xor"\nlayers = 0\nuse_x1x2 = true\n')
    bad.write_text('optimizer = "rmsprop"\n')
    assert main(["--setup", str(good)]) == 0
    exp = launched[0]._resumed["playground"]
    assert (exp.seed, exp.values["dataset"], exp.values["layers"], exp.values["use_x1x2"]) == (5, "xor", 0, True)
    with pytest.raises(SystemExit) as exc:
        main(["--setup", str(bad)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("nndojo: error: --setup: ") and "key 'optimizer': 'rmsprop' is not allowed" in err


async def test_S_saves_the_setup_that_setup_opens(tmp_path: Path) -> None:
    from nndojo.core.playground_setup import playground_from_setup

    app = NNDojoApp("playground", save_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        exp = app.screen.runner.experiment
        app.screen.apply_value("layers", 3)
        await pilot.press("S")
        await pilot.pause()
        assert playground_from_setup(tmp_path / "nndojo-playground-step0-setup.toml").values == exp.values
