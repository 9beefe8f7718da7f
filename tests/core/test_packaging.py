"""What a non-editable install ships. The editable install used in development finds
every folder under a mapped package by itself, so a subpackage missing from
pyproject.toml only breaks `pip install .` — the README's first command."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_folder_is_listed_for_the_install() -> None:
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = {(ROOT / folder).resolve(): name for name, folder in setup["package-dir"].items()}
    assert set(listed.values()) == set(setup["packages"])
    found = {
        init.parent
        for mapped in listed
        for init in mapped.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    missing = sorted(str(p.relative_to(ROOT)) for p in found - set(listed))
    assert not missing, f"package folders not in pyproject.toml (pip install . would leave them out): {missing}"
