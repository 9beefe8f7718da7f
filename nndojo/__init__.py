"""nndojo: learn deep learning by training small NumPy networks live in a terminal."""

__version__ = "0.1.0"
__all__ = ["__version__"]
