"""Every lesson's texts (title, question, explanation, claim) in English and Korean.

Pure Python, no NumPy: the home screen, the command palette and `nndojo --list` read
them before any lesson's math loads, so the first frame comes quickly. A lesson's
Experiment takes its ``info`` from here.

Lessons are found, not registered: every module of this package (other than those
starting with "_") that defines ``INFO = LessonInfo(...)`` is a lesson, and its module
name is its key with underscores.
"""

from __future__ import annotations

import functools
import pkgutil
from importlib import import_module
from typing import Any

from ..info import LessonInfo, module_name


@functools.cache
def infos() -> tuple[LessonInfo, ...]:
    """Every lesson's texts, in lesson-number order (``infos.cache_clear()`` finds again)."""
    found = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        info = getattr(import_module(f"{__name__}.{module.name}"), "INFO", None)
        if not isinstance(info, LessonInfo):
            continue
        if module_name(info.key) != module.name:
            raise ImportError(f"core/texts/{module.name}.py holds lesson {info.key!r}: name it {module_name(info.key)}.py")
        found.append(info)
    numbers = [i.number for i in found]
    if len(set(numbers)) != len(numbers):
        raise ImportError(f"two lessons share a number: {sorted(numbers)}")
    return tuple(sorted(found, key=lambda i: i.number))


def info(key: str) -> LessonInfo:
    for i in infos():
        if i.key == key:
            return i
    raise KeyError(key)


def __getattr__(name: str) -> Any:
    if name == "INFOS":
        return infos()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
