"""Shared fixtures. Importing nndojo first pins BLAS to one thread before NumPy loads."""

import sys
from pathlib import Path

import nndojo  # noqa: F401  (sets OPENBLAS_NUM_THREADS before numpy is imported)

import pytest

# The contract modules are imported by name by other tests (test_app.py uses the screen
# contract's helpers; test_new_lesson.py holds a lesson made on the fly to both
# contracts): tests/lessons/test_contract.py and tests/app/test_contract_keys.py.
for _layer in ("lessons", "app"):
    _path = str(Path(__file__).parent / _layer)
    if _path not in sys.path:
        sys.path.insert(0, _path)


@pytest.fixture(autouse=True)
def _in_a_scratch_directory(tmp_path, monkeypatch):
    """The app saves sessions (s) and CSV exports (x) in the working directory: keep a
    test's files out of the checkout."""
    monkeypatch.chdir(tmp_path)
