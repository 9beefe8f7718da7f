"""mypy over nndojo.core, nndojo.tui and nndojo.screens, with the settings in
pyproject.toml ([tool.mypy]).

The source folders are mapped onto the package (core/ -> nndojo.core, see
[tool.setuptools] package-dir) and mypy cannot follow the editable install's import
hook, so mypy is given a tree of links laid out as the installed package; its report
names the files in the checkout. Run ``python tests/core/test_types.py`` to see the
report without pytest.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def package_link_tree(into: Path) -> Path:
    """Lay out the package's modules as links under ``into`` (``into/nndojo/core/...``)
    from pyproject.toml's package-dir mapping; returns ``into``."""
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    for package, folder in mapping.items():
        target = into.joinpath(*package.split("."))
        target.mkdir(parents=True, exist_ok=True)
        for source in (ROOT / folder).iterdir():
            if source.suffix in (".py", ".pyi") or source.name == "py.typed":
                (target / source.name).symlink_to(source)
    return into


def run_mypy() -> tuple[int, str]:
    """mypy's exit status and report, with paths in the report relative to the checkout."""
    with tempfile.TemporaryDirectory(prefix="nndojo-mypy-") as tmp:
        tree = package_link_tree(Path(tmp))
        result = subprocess.run(
            [
                sys.executable, "-m", "mypy",
                "--config-file", str(ROOT / "pyproject.toml"),
                "--cache-dir", str(ROOT / ".mypy_cache"),
                "--show-error-codes",
            ],
            cwd=tree,
            env={**os.environ, "MYPYPATH": str(tree)},
            capture_output=True,
            text=True,
        )

        def in_checkout(match: re.Match[str]) -> str:
            return os.path.relpath(os.path.realpath(tree / match.group(1)), ROOT) + ":"

        report = re.sub(r"^(\S+\.pyi?):", in_checkout, result.stdout + result.stderr, flags=re.M)
    return result.returncode, report


def test_mypy_finds_no_type_errors() -> None:
    status, report = run_mypy()
    assert status == 0, f"mypy found type errors:\n{report}"


if __name__ == "__main__":
    status, report = run_mypy()
    print(report, end="")
    sys.exit(status)
