"""One screen module per lesson, plus home, help, the inspector and the dialogs.

Lessons are found, not registered: the screen of lesson ``key`` is the module
``screens/<module_name(key)>.py``, which defines a ``LessonScreen`` subclass for that
lesson's Experiment. A lesson is in the menu when its texts say it is finished and it
has both an Experiment module (core/lessons/) and a screen module (here).

The lesson screens load lazily: the home screen's first frame needs only the lessons'
texts (core/texts/), not their screens, plots or NumPy.
"""

from __future__ import annotations

import functools
import importlib.util
from importlib import import_module
from typing import TYPE_CHECKING, Any

from nndojo.core.info import LessonInfo, module_name
from nndojo.core.texts import infos

if TYPE_CHECKING:
    from .base import LessonScreen


def has_screen(key: str) -> bool:
    """Lesson ``key`` has a screen module (without importing it)."""
    return importlib.util.find_spec(f"{__name__}.{module_name(key)}") is not None


@functools.cache
def menu_infos() -> tuple[LessonInfo, ...]:
    """The lessons in the menu, in number order: finished, with an Experiment and a
    screen. Nothing of their math or screens loads to list them."""
    from nndojo.core.lessons import has_lesson  # the package only: no lesson module loads

    return tuple(i for i in infos() if i.finished and has_lesson(i.key) and has_screen(i.key))


def rediscover() -> None:
    """Find the lessons again (after a test adds one)."""
    infos.cache_clear()
    menu_infos.cache_clear()
    screen_class.cache_clear()


@functools.cache
def screen_class(key: str) -> type["LessonScreen"]:
    """The screen of lesson ``key`` (imported on first use)."""
    from .base import LessonScreen

    if not isinstance(key, str) or not has_screen(key):
        raise KeyError(key)
    module = import_module(f"{__name__}.{module_name(key)}")
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, LessonScreen)
            and value.__module__ == module.__name__
            and getattr(value, "experiment_class", None) is not None
            and value.experiment_class.info.key == key
        ):
            return value
    raise KeyError(f"screens/{module_name(key)}.py defines no screen of lesson {key!r}")


def load_all() -> dict[str, type["LessonScreen"]]:
    """Every menu lesson's screen, by key (imports them all)."""
    return {info.key: screen_class(info.key) for info in menu_infos()}


def __getattr__(name: str) -> Any:
    if name == "SCREENS":
        return load_all()
    if name == "LessonScreen":
        from .base import LessonScreen

        return LessonScreen
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["LessonScreen", "SCREENS", "has_screen", "menu_infos", "rediscover", "screen_class", "load_all"]
