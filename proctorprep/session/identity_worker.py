"""The live session's identity check on a thread of its own.

One comparison with the check-in headshot (perception.identity.IdentityWatcher.check: a face alignment and a ResNet
descriptor) takes about 0.17 s of CPU, longer in wall time on a busy machine. On the video worker it held up the
frames behind it every few seconds (a dropped glance, a late warning); here it runs beside them. The video worker
hands over the frame and its face observation (submit: never waits, the newest wins if a check is still running),
and the result goes to `on_result` from this thread (the pipeline feeds the rules under its lock).

A recording (`analyze`) keeps the check in line with the frames, so its results do not depend on thread timing.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from proctorprep.sources.newest import NewestSlot


class IdentityWorker:
    def __init__(self, watcher: Any, on_result: Callable[[Any], None],
                 measure: Callable[[str], Any] | None = None) -> None:
        self.watcher = watcher
        self._on_result = on_result
        self._measure = measure
        self._slot: NewestSlot[tuple[Any, Any]] = NewestSlot()
        self._stop = threading.Event()
        self.failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="identity-check", daemon=True)
        self._thread.start()

    @property
    def dropped(self) -> int:
        """Frames handed over while a check was still running, replaced by a newer one."""
        return self._slot.dropped

    def submit(self, image: Any, obs: Any) -> None:
        self._slot.put((image, obs))

    def _run(self) -> None:
        while not self._stop.is_set():
            job = self._slot.take(timeout=0.5)
            if job is None:
                if self._slot.closed:
                    return
                continue
            image, obs = job
            try:
                if self._measure is not None:
                    with self._measure("identity check (identity changed)"):
                        ident = self.watcher.check(image, obs)
                else:
                    ident = self.watcher.check(image, obs)
                self._on_result(ident)
            except Exception as exc:     # a broken model must not take the session down: the check stops
                self.failed = exc
                return

    def close(self, timeout_s: float = 5.0) -> bool:
        """Finish the check in progress (a frame still waiting is dropped); True if the thread ended in time."""
        self._stop.set()
        self._slot.close()
        self._thread.join(timeout_s)
        return not self._thread.is_alive()
