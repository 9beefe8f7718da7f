"""Shared fixtures. Importing nndojo first pins BLAS to one thread before NumPy loads."""

import nndojo  # noqa: F401  (sets OPENBLAS_NUM_THREADS before numpy is imported)
