"""Every lesson's Experiment, found by convention: lesson ``key`` is the Experiment
subclass in ``core/lessons/<module_name(key)>.py`` whose ``info.key`` is ``key``.
No list of lessons is kept anywhere; see core/texts for the lesson catalogue."""

from __future__ import annotations

import importlib.util
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ..info import module_name
from ..texts import infos

if TYPE_CHECKING:  # the package itself loads no NumPy: the menu asks has_lesson()
    from ..experiment import Experiment


def has_lesson(key: str) -> bool:
    """Lesson ``key`` has an Experiment module (without importing it)."""
    return importlib.util.find_spec(f"{__name__}.{module_name(key)}") is not None


def by_key(key: str) -> type[Experiment]:
    """The Experiment of lesson ``key`` (its module is imported on first use)."""
    from ..experiment import Experiment

    if not isinstance(key, str) or not has_lesson(key):
        raise KeyError(key)
    module = import_module(f"{__name__}.{module_name(key)}")
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, Experiment)
            and value.__module__ == module.__name__
            and getattr(value, "info", None) is not None
            and value.info.key == key
        ):
            return value
    raise KeyError(f"core/lessons/{module_name(key)}.py defines no Experiment of lesson {key!r}")


def all_lessons() -> list[type[Experiment]]:
    """Every lesson that has an Experiment, finished or not, in lesson-number order."""
    return [by_key(info.key) for info in infos() if has_lesson(info.key)]


def __getattr__(name: str) -> Any:
    if name == "LESSONS":
        return all_lessons()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
