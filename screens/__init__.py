"""One screen module per lesson, plus home, help, the inspector and the dialogs.

Lessons are found, not registered: the screen of lesson ``key`` is the module
``screens/<module_name(key)>.py``, which declares ``LAYOUT = Layout(...)`` (see
screens/layout.py); ``screen_class`` builds a ``LessonScreen`` subclass from it and the
lesson's Experiment. The module may instead (or as well) define its own ``LessonScreen``
subclass: with no ``experiment_class`` it is the base of the built class; with the
lesson's ``experiment_class`` it is the screen itself. A lesson is in the menu when its
texts say it is finished and it has both an Experiment module (core/lessons/) and a
screen module (here).

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
    from .layout import Layout


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
    from .layout import Layout

    if not isinstance(key, str) or not has_screen(key):
        raise KeyError(key)
    module = import_module(f"{__name__}.{module_name(key)}")
    where = f"screens/{module_name(key)}.py"
    own = [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, LessonScreen) and value.__module__ == module.__name__
    ]
    for value in own:
        experiment_class = value.__dict__.get("experiment_class")
        if experiment_class is not None and experiment_class.info.key == key:
            return value
    layout = getattr(module, "LAYOUT", None)
    if layout is not None and not isinstance(layout, Layout):
        raise TypeError(f"{where}: LAYOUT must be a Layout, got {type(layout).__name__}")
    if len(own) > 1:
        raise KeyError(f"{where} defines {len(own)} LessonScreen classes for lesson {key!r}: keep one")
    if layout is None and not own:
        raise KeyError(f"{where} defines no LAYOUT (and no screen) of lesson {key!r}")
    return build_screen(key, layout, own[0] if own else LessonScreen, module.__name__)


def build_screen(key: str, layout: "Layout | None", base: type["LessonScreen"], module: str | None = None) -> type["LessonScreen"]:
    """A LessonScreen subclass of ``base`` for lesson ``key``'s Experiment, drawing
    ``layout`` (its status metrics, starting speed and CSS too)."""
    from nndojo.core.lessons import by_key

    experiment_class = by_key(key)
    attrs: dict[str, Any] = {"experiment_class": experiment_class, "__module__": module or base.__module__}
    if layout is not None:
        attrs["panel_layout"] = layout
        attrs["status_metrics"] = layout.status
        if layout.speed is not None:
            attrs["default_speed"] = layout.speed
        if layout.css:
            attrs["DEFAULT_CSS"] = layout.css
    return type(f"{experiment_class.__name__}Screen", (base,), attrs)


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
