"""One screen module per lesson (layout and bindings only), plus home, help and inspector."""

from __future__ import annotations

from .base import LessonScreen

SCREENS: dict[str, type[LessonScreen]] = {}


def register(cls: type[LessonScreen]) -> type[LessonScreen]:
    """Class decorator: the screen that shows ``cls.experiment_class``."""
    SCREENS[cls.experiment_class.info.key] = cls
    return cls


def _load() -> None:
    from . import gradient_descent, weight_init, cnn  # noqa: F401


_load()

__all__ = ["LessonScreen", "SCREENS", "register"]
