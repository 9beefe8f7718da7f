"""Every lesson's Experiment, in menu order."""

from __future__ import annotations

from ..experiment import Experiment

LESSONS: list[type[Experiment]] = []


def register(cls: type[Experiment]) -> type[Experiment]:
    """Class decorator: add a lesson to the menu (sorted by its TOPICS.md number)."""
    LESSONS.append(cls)
    LESSONS.sort(key=lambda c: c.info.number)
    return cls


def by_key(key: str) -> type[Experiment]:
    for cls in LESSONS:
        if cls.info.key == key:
            return cls
    raise KeyError(key)


def _load() -> None:
    from . import cnn, gradient_descent, weight_init  # noqa: F401


_load()
