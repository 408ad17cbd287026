"""Background operations with success/failure callbacks that run on the GUI thread (the Anki shape).

Anything slow — reading a journal, building a report, writing HTML/PDF, deleting a folder — goes through here, so no
slot ever waits on a disk or a CPU-bound job."""

from __future__ import annotations

import logging
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)


class BackgroundRunner(QObject):
    # One object per outcome: passing bare None values through queued `object` signals has crashed PySide6
    # (a refcount bug, "deallocating None"), so everything travels inside an _Outcome.
    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None, workers: int = 2) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="proctorprep-bg")
        self._finished.connect(self._deliver)
        self._pending = 0
        self._closed = False

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[str], None] | None = None) -> Future | None:
        if self._closed:
            return None
        self._pending += 1

        def done(fut: Future) -> None:
            # Runs on the worker thread: only hand the outcome over; the signal queues it to the GUI thread.
            exc = fut.exception()
            if exc is None:
                self._finished.emit(_Outcome(on_done, fut.result(), False))
            else:
                log.error("background job failed: %s", "".join(traceback.format_exception(exc)))
                self._finished.emit(_Outcome(on_error, _describe(exc), True))

        fut = self._pool.submit(fn)
        fut.add_done_callback(done)
        return fut

    @property
    def pending(self) -> int:
        return self._pending

    @Slot(object)
    def _deliver(self, outcome: "_Outcome") -> None:
        callback, value, is_error = outcome.callback, outcome.value, outcome.is_error
        self._pending -= 1
        if callback is not None:
            callback(value)
        elif is_error:
            log.error("background job failed without an error handler: %s", value)

    def shutdown(self) -> None:
        """Wait for running jobs (a report being written must not be cut in half); drop queued callbacks."""
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)


class _Outcome:
    __slots__ = ("callback", "value", "is_error")

    def __init__(self, callback: Callable[[Any], None] | None, value: Any, is_error: bool) -> None:
        self.callback, self.value, self.is_error = callback, value, is_error


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return text if text else type(exc).__name__
