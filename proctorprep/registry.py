"""A registry of descriptors by key, in registration order: the one shape behind the incident types
(rules/incident_types.py), the question types (exam/question_types.py) and the export formats (report/formats.py).

A key registered twice is refused and an unknown key raises the registry's own LookupError naming where to register
it, so a forgotten entry fails at once instead of falling back to something made up."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Generic, Iterator, Protocol, TypeVar


class Keyed(Protocol):
    @property
    def key(self) -> str: ...


T = TypeVar("T", bound=Keyed)


class Registry(Generic[T]):
    def __init__(self, what: str, where: str, error: type[LookupError] = LookupError) -> None:
        self.what, self.where, self.error = what, where, error
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        if item.key in self._items:
            raise ValueError(f"{self.what} {item.key!r} is already registered")
        self._items[item.key] = item
        return item

    @contextmanager
    def registered(self, item: T) -> Iterator[T]:
        """Register for the duration of a block (tests, a plug-in tried out)."""
        self.register(item)
        try:
            yield item
        finally:
            self._items.pop(item.key, None)

    def get(self, key: str) -> T:
        try:
            return self._items[key]
        except (KeyError, TypeError):
            raise self.error(f"unknown {self.what} {key!r}: register it in {self.where} "
                             f"(known: {', '.join(self._items)})") from None

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def items(self) -> tuple[T, ...]:
        return tuple(self._items.values())

    def keys(self) -> tuple[str, ...]:
        return tuple(self._items)
