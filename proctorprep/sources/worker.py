"""One shape for a background thread in the core (no Qt): a daemon thread running `target(stop)`, a stop flag the
target watches (and sleeps on, so a stop wakes it at once), one error path (an exception the target raises is kept
in `error` for the consumer to report, never lost on a thread nobody joins) and close() = stop + join.

The camera's capture thread, a paced file feed, the recording driver's decoder and its soundtrack analysis all take
this shape; the GUI wraps its own QThread workers around the same idea (ui/workers.py).
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, target: Callable[[threading.Event], None], name: str) -> None:
        self._target = target
        self._stop = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> "Worker":
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._target(self._stop)
        except BaseException as exc:   # the one error path: kept for the consumer, which reports it
            log.debug("%s stopped: %s", self._thread.name, exc)
            self.error = exc

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True (at once) if the worker is told to stop meanwhile."""
        return self._stop.wait(seconds)

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end (never from the thread itself). True if it has ended."""
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def close(self, timeout: float = 5.0) -> bool:
        self.stop()
        return self.join(timeout)
