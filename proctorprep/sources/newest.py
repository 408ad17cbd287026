"""Newest-item-wins: the one-slot buffer between a producer that must never wait (a camera's capture thread, a
paced file feed, an analysis worker publishing views for the GUI) and a consumer that may be slow.

put() overwrites; an item replaced before anyone took it counts as dropped, so a slow consumer never builds a queue
and never sees a stale picture. take() returns the newest item not taken yet, waiting up to `timeout` seconds.
`notify` (optional) is called after a put when the consumer has taken the previous item, so at most one
notification is ever outstanding (a GUI posts one queued signal per frame it will actually paint, not thirty).
"""

from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class NewestSlot(Generic[T]):
    def __init__(self, notify: Callable[[], None] | None = None) -> None:
        self._cond = threading.Condition()
        self._item: T | None = None
        self._fresh = False
        self._notified = False
        self._notify = notify
        self.delivered = 0          # items put
        self.dropped = 0            # items replaced before anyone took them
        self.closed = False

    def put(self, item: T) -> None:
        with self._cond:
            if self._fresh:
                self.dropped += 1
            self._item, self._fresh = item, True
            self.delivered += 1
            self._cond.notify_all()
            tell = self._notify is not None and not self._notified
            self._notified = self._notified or tell
        if tell:
            self._notify()          # outside the lock: a Qt signal emit may run a direct slot that calls take()

    def take(self, timeout: float = 0.0) -> T | None:
        """The newest item not taken yet, else None after waiting up to `timeout` s (0: do not wait)."""
        with self._cond:
            if not self._fresh and not self.closed and timeout > 0:
                self._cond.wait(timeout)
            self._notified = False
            if not self._fresh:
                return None
            item, self._item, self._fresh = self._item, None, False
            return item

    def close(self) -> None:
        """Wake a waiting consumer; later takes return what is left, then None at once."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()
