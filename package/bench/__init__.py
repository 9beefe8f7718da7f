"""``python -m nndojo.bench``: the benchmark that proves the real-time promise.

Every section measures two things side by side in one run and prints their ratio, so
the numbers hold on a noisy machine. It is a script, not a test.
"""
