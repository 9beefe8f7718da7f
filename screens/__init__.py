"""One screen module per lesson (layout and bindings only), plus home, help and inspector.

The lesson screens load lazily: the home screen's first frame needs only the lessons'
texts (core/texts/), not their screens, plots or NumPy. ``screen_class(key)`` imports
one; ``SCREENS`` (every one) and ``LessonScreen`` load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import LessonScreen

#: Lessons that have a finished screen: lesson key -> module in screens/.
SCREEN_MODULES: dict[str, str] = {
    "gradient-descent": "gradient_descent",
    "weight-init": "weight_init",
    "cnn": "cnn",
}

_SCREENS: dict[str, type["LessonScreen"]] = {}


def register(cls: type["LessonScreen"]) -> type["LessonScreen"]:
    """Class decorator: the screen that shows ``cls.experiment_class``."""
    _SCREENS[cls.experiment_class.info.key] = cls
    return cls


def screen_class(key: str) -> type["LessonScreen"]:
    """The screen of lesson ``key`` (imported on first use)."""
    if key not in _SCREENS:
        import_module(f"{__name__}.{SCREEN_MODULES[key]}")
    return _SCREENS[key]


def load_all() -> dict[str, type["LessonScreen"]]:
    for key in SCREEN_MODULES:
        screen_class(key)
    return _SCREENS


def __getattr__(name: str) -> Any:
    if name == "SCREENS":
        return load_all()
    if name == "LessonScreen":
        from .base import LessonScreen

        return LessonScreen
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["LessonScreen", "SCREENS", "SCREEN_MODULES", "register", "screen_class", "load_all"]
