"""The playground's setup as a small TOML file: the data set (or a CSV file and its label
column), the features, the network, the hyperparameters and the seed. A teacher hands a
class one file; `nndojo --setup FILE` opens exactly that run. A bad file is refused with
one line naming the key and its allowed values."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .experiment import HyperParamError
from .playground_data import DataError, Table, read_csv

if TYPE_CHECKING:
    from .lessons.playground import Playground

HEADER = """\
# An nndojo playground setup: `nndojo --setup {name}` opens this run.
# Every key is optional (a missing one keeps its default); `data` names a CSV file
# (relative to this file) and `label` its label column, instead of a built-in data set.
"""


class SetupError(ValueError):
    """A setup file that cannot be used; the message is one line."""


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def setup_toml(exp: "Playground", name: str = "setup.toml", directory: str | os.PathLike = ".") -> str:
    """The setup of ``exp`` as TOML text (its values as they are now, and its seed); a
    CSV's path is written relative to ``directory``, where the setup file goes."""
    lines = [HEADER.format(name=name), f"seed = {exp.seed}"]
    table = exp.table if exp.values["dataset"] == "csv" else None
    if table is not None:
        where = Path(table.path).resolve()
        data = os.path.relpath(where, Path(directory).resolve())
        if data.startswith(".."):  # not beside the setup file: where it is
            data = str(where)
        lines += [f"data = {_toml_value(data)}", f"label = {_toml_value(table.target)}"]
    for h in exp.hyperparams:
        if h.name == "dataset" and table is not None:
            continue
        lines.append(f"{h.name} = {_toml_value(exp.values[h.name])}")
    return "\n".join(lines) + "\n"


def write_setup(exp: "Playground", path: str | os.PathLike) -> None:
    """Write ``setup_toml(exp)`` to ``path``."""
    Path(path).write_text(setup_toml(exp, os.path.basename(path), Path(path).parent))


def read_setup(path: str | os.PathLike) -> tuple[int, dict[str, Any], Table | None]:
    """(seed, values, table or None) of a setup file, every value checked against the
    playground's declarations; SetupError with one line if anything is wrong."""
    from .lessons.playground import Playground

    p = Path(path).expanduser()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SetupError(f"{p}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SetupError(f"{p}: cannot be read ({type(exc).__name__})") from None
    try:
        found = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SetupError(f"{p}: not a TOML file ({exc})") from None
    declared = {h.name: h for h in Playground.hyperparams}
    allowed = ["seed", "data", "label", *declared]
    seed = found.pop("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise SetupError(f"{p}: key 'seed': {seed!r} is not a whole number from 0 to {2**32 - 1}")
    data, label = found.pop("data", None), found.pop("label", None)
    values: dict[str, Any] = {}
    for key, value in found.items():
        h = declared.get(key)
        if h is None:
            raise SetupError(f"{p}: unknown key {key!r}; the keys are {', '.join(allowed)}")
        if isinstance(value, dict):
            raise SetupError(f"{p}: key {key!r}: a value, not a table ({h.describe_range()})")
        try:
            values[key] = h.validate(value)
        except HyperParamError:
            raise SetupError(f"{p}: key {key!r}: {value!r} is not allowed; allowed: {h.describe_range()}") from None
    table = None
    if data is not None:
        if not isinstance(data, str) or (label is not None and not isinstance(label, (str, int))):
            raise SetupError(f"{p}: key 'data' is a CSV path and 'label' a column name or position")
        if values.get("dataset", "csv") != "csv":
            raise SetupError(f"{p}: key 'dataset': {values['dataset']!r} with a 'data' file; drop one of them")
        values.pop("dataset", None)
        try:
            table = read_csv(p.parent / Path(data).expanduser(), label)
        except DataError as exc:
            raise SetupError(f"{p}: key 'data': {exc}") from None
    try:
        Playground(seed=seed, table=table, **values)  # the values together (ranges depend on each other)
    except HyperParamError as exc:
        raise SetupError(f"{p}: {exc}") from None
    return seed, values, table


def playground_from_setup(path: str | os.PathLike) -> "Playground":
    """The run a setup file describes (SetupError with one line if it is bad)."""
    from .lessons.playground import Playground

    seed, values, table = read_setup(path)
    return Playground(seed=seed, table=table, **values)
