"""Shared fixtures. Importing nndojo first pins BLAS to one thread before NumPy loads."""

import nndojo  # noqa: F401  (sets OPENBLAS_NUM_THREADS before numpy is imported)

import pytest


@pytest.fixture(autouse=True)
def _in_a_scratch_directory(tmp_path, monkeypatch):
    """The app saves sessions (s) and CSV exports (x) in the working directory: keep a
    test's files out of the checkout."""
    monkeypatch.chdir(tmp_path)
