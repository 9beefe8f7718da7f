"""nndojo: learn deep learning by training small NumPy networks live in a terminal."""

import os as _os

# The networks are small: splitting their matrix products across BLAS threads costs far
# more than it gains, and a second BLAS thread fights the UI thread for the CPU (measured
# 10-100x slower steps on 2 cores under load). Must be set before NumPy is imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")

__version__ = "0.1.0"
__all__ = ["__version__"]
