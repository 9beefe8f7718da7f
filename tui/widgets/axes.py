"""Axis ticks for the line plot: round values, compact labels, linear or log10.

Pure NumPy and strings (no Textual), so the plot's numbers are unit-tested on their
own. Ticks are "nice": 1, 2, 2.5 or 5 times a power of ten on a linear axis, powers of
ten on a log axis (with 2 and 5 in between when the axis spans less than a decade).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "nice_step", "snap_range", "snap_log_range", "linear_ticks", "log_ticks", "format_ticks", "format_log_ticks",
    "format_end",
]


def nice_step(span: float, max_ticks: int) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that cuts ``span`` into at most ``max_ticks`` steps."""
    max_ticks = max(int(max_ticks), 1)
    if not (np.isfinite(span) and span > 0):
        return 1.0
    raw = span / max_ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= raw * (1 - 1e-9):
            return m * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def _step(span: float, max_ticks: int, integer: bool) -> float:
    """``nice_step``, and a whole number of at least 1 for an axis counted in whole
    numbers (2.5 steps are not a step count: 2 or 5 instead)."""
    step = nice_step(span, max_ticks)
    if not integer:
        return step
    if step < 1.0:
        return 1.0
    if step != math.floor(step):  # 2.5 x 10^0: the next whole nice step
        return 5.0 * 10.0 ** math.floor(math.log10(step))
    return step


def snap_range(lo: float, hi: float, max_ticks: int, *, integer: bool = False) -> tuple[float, float]:
    """Widen [lo, hi] to the round values just outside it (the axis ends on ticks).

    A live plot's axis then stays put while the data grows inside it, instead of
    rescaling (and redrawing every cell, which is most of what goes over SSH) with
    every new point; it jumps to the next round value only when the data gets there."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or not hi > lo:
        return lo, hi
    new_lo, new_hi = lo, hi
    for _ in range(4):  # a wider range may need a longer step: settle on one
        step = _step(new_hi - new_lo, max_ticks, integer)
        snapped = (math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step)
        if snapped == (new_lo, new_hi):
            break
        new_lo, new_hi = snapped
    return new_lo, new_hi


def snap_log_range(lo: float, hi: float) -> tuple[float, float]:
    """Widen a log10 range (exponents) to the 1, 2, 5 x 10^k values just outside it."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or not hi > lo:
        return lo, hi

    def candidates(exponent: float) -> list[float]:
        k = math.floor(exponent)
        return [math.log10(m) + e for e in (k - 1, k, k + 1) for m in (1, 2, 5)]

    below = max(c for c in candidates(lo) if c <= lo + 1e-9)
    above = min(c for c in candidates(hi) if c >= hi - 1e-9)
    return below, above


def linear_ticks(lo: float, hi: float, max_ticks: int, *, integer: bool = False) -> np.ndarray:
    """Round values in [lo, hi], at most ``max_ticks`` + 1 of them, evenly spaced.

    With ``integer`` the spacing is at least 1 (steps are counted in whole numbers)."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi < lo:
        return np.zeros(0)
    if hi == lo:
        return np.array([lo])
    step = _step(hi - lo, max_ticks, integer)
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    ticks = np.arange(first, last + 1) * step
    ticks[np.abs(ticks) < step * 1e-9] = 0.0  # no "-0" from rounding
    return ticks


def log_ticks(lo: float, hi: float, max_ticks: int) -> np.ndarray:
    """Tick values (not exponents) for a log10 axis spanning 10**lo .. 10**hi.

    Powers of ten, every k-th one when there are too many; when fewer than two fall
    inside, 1-2-5 multiples; when even those are fewer than two, linear ticks."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi < lo:
        return np.zeros(0)
    max_ticks = max(int(max_ticks), 1)
    first, last = math.ceil(lo - 1e-9), math.floor(hi + 1e-9)
    powers = np.arange(first, last + 1)
    if powers.size >= 2:
        every = math.ceil(powers.size / (max_ticks + 1))
        powers = powers[(powers - powers[-1]) % every == 0]  # keep the top decade
        return np.array([float(f"1e{int(k)}") for k in powers])  # exact, unlike 10.0 ** -5
    candidates = np.array([float(f"{m}e{k}") for k in range(first - 1, last + 2) for m in (1, 2, 5)])
    exponents = np.log10(candidates)
    inside = candidates[(exponents >= lo - 1e-9) & (exponents <= hi + 1e-9)]
    if 2 <= inside.size <= max_ticks + 1:
        return inside
    return linear_ticks(10.0**lo, 10.0**hi, max_ticks)


def _trim(text: str) -> str:
    """No "-0" (or "-0.00") from rounding a tiny negative value."""
    if text.startswith("-") and float(text) == 0:
        return text[1:]
    return text or "0"


def format_ticks(ticks: np.ndarray) -> list[str]:
    """Labels for evenly spaced linear ticks: as short as their spacing allows.

    Large values use k/M/G (2.5k, 1M), tiny ones scientific notation (2e-05 -> 2e-5),
    others as many decimals as the spacing needs and no more."""
    if ticks.size == 0:
        return []
    step = float(np.min(np.diff(ticks))) if ticks.size > 1 else abs(float(ticks[0])) or 1.0
    top = float(np.max(np.abs(ticks)))
    if top >= 1e4:
        for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if top >= scale:
                decimals = _decimals(step / scale)
                # 2.5k 5k 7.5k 10k: a suffix already says the size, so no padding zeros
                return [_trim(_strip_zeros(f"{t / scale:.{decimals}f}")) + (suffix if t else "") for t in ticks]
    if top < 1e-3:
        return [_sci(float(t)) for t in ticks]
    decimals = _decimals(step)
    return [_trim(f"{t:.{decimals}f}") for t in ticks]


def format_log_ticks(ticks: np.ndarray) -> list[str]:
    """Labels for a log axis: 0.001 .. 1000 written out, beyond that 1e-4, 1e5."""
    return [_compact(t) for t in ticks.tolist()]


def _decimals(step: float) -> int:
    """Decimals needed to write multiples of ``step`` exactly (0.25 needs 2, 500 none)."""
    if step <= 0 or not np.isfinite(step):
        return 0
    for decimals in range(13):
        if abs(round(step, decimals) - step) <= step * 1e-6:
            return decimals
    return 12


def _strip_zeros(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _sci(value: float) -> str:
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{_strip_zeros(mantissa)}e{int(exponent)}"


def _compact(value: float) -> str:
    """One value, short: 1e-4, 0.002, 0.5, 3, 250, 1e4."""
    if value == 0:
        return "0"
    if not np.isfinite(value):
        return str(value)
    a = abs(value)
    if a >= 1e4 or a < 1e-3:
        return _sci(value)
    text = f"{value:.3g}"
    if "e" in text:  # .3g switched to exponent for e.g. 1000 -> "1e+03"
        text = f"{value:.0f}"
    return _trim(text)


def format_end(value: float, log: bool = False) -> str:
    """The label of an axis' end at ``value`` (an exponent on a log axis): as few
    digits as write it (1.75, 1125 -> 1.125k, 2e-5), like the ticks."""
    if log:
        return _compact(float(f"{10.0 ** value:.6g}"))
    return format_ticks(np.array([float(f"{value:.12g}")]))[0]
