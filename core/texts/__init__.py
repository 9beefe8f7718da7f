"""Every lesson's texts (title, question, explanation, claim) in English and Korean.

Pure Python, no NumPy: the home screen, the command palette and `nndojo --list` read
them before any lesson's math loads, so the first frame comes quickly. A lesson's
Experiment takes its ``info`` from here.
"""

from __future__ import annotations

from importlib import import_module

from ..info import LessonInfo

#: One module per lesson, named as its module in core/lessons/.
MODULES = ("gradient_descent", "weight_init", "cnn")

INFOS: tuple[LessonInfo, ...] = tuple(sorted((import_module(f"{__name__}.{m}").INFO for m in MODULES), key=lambda i: i.number))


def info(key: str) -> LessonInfo:
    for i in INFOS:
        if i.key == key:
            return i
    raise KeyError(key)
