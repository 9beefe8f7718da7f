"""Named tables of builders (data sets, losses, optimisers, activations, initialisers), so
a control's choices and the code that builds what it names come from one place."""

from __future__ import annotations

from typing import Callable, Generic, Iterator, TypeVar, overload

T = TypeVar("T")


class UnknownName(KeyError, ValueError):
    """A name that is not in a registry; the message lists the names that are."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class Registry(Generic[T]):
    """name -> item, in the order of registration.

    ``get(name)`` (or ``registry[name]``) raises ``UnknownName`` naming the choices;
    ``names()`` gives the choices in order, e.g. for ``HyperParam(choices=...)``."""

    def __init__(self, kind: str, items: dict[str, T] | None = None) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        for name, item in (items or {}).items():
            self.register(name, item)

    @overload
    def register(self, name: str) -> Callable[[T], T]: ...
    @overload
    def register(self, name: str, item: T) -> T: ...

    def register(self, name: str, item: T | None = None) -> T | Callable[[T], T]:
        """Add ``item`` under ``name`` (a name may be registered once); without ``item``,
        a decorator that registers what it decorates."""
        if item is None:
            return lambda found: self.register(name, found)
        if not isinstance(name, str) or not name:
            raise ValueError(f"a {self.kind} needs a non-empty name, got {name!r}")
        if name in self._items:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        self._items[name] = item
        return item

    def get(self, name: str) -> T:
        try:
            return self._items[name]
        except (KeyError, TypeError):
            raise UnknownName(f"unknown {self.kind} {name!r}; choose one of {', '.join(self._items)}") from None

    __getitem__ = get

    def names(self, *only: str) -> tuple[str, ...]:
        """Every name in order; or the names ``only`` (a control offering some of the
        choices), each checked to be registered."""
        for name in only:
            self.get(name)
        return only or tuple(self._items)

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())

    def __contains__(self, name: object) -> bool:
        try:
            return name in self._items
        except TypeError:  # unhashable: not a name
            return False

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}: {', '.join(self._items)})"
