"""The help's two columns: the split found by bisection is the one trying every split finds."""

from __future__ import annotations

import pytest

from nndojo.screens.help import KEYS, _height, best_split


@pytest.mark.parametrize("lang", [1, 2], ids=["en", "ko"])
@pytest.mark.parametrize("width", [60, 78, 98, 140])
def test_the_split_is_the_one_every_split_tried_would_choose(lang: int, width: int) -> None:
    keys = tuple((row[0], row[lang]) for row in KEYS)
    half, n = (width - 2) // 2, len(keys)
    every = min(range(1, n), key=lambda k: (max(_height(keys[:k], half), _height(keys[k:], half)), abs(2 * k - n)))
    assert best_split(keys, half) == every
