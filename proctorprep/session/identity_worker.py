"""The live session's identity check on a thread of its own.

One comparison with the check-in headshot (perception.identity.IdentityWatcher.check: a face alignment and a ResNet
descriptor) takes about 0.17 s of CPU, longer in wall time on a busy machine. On the video worker it held up the
frames behind it every few seconds (a dropped glance, a late warning); here it runs beside them. The video worker
hands over the frame and its face observation (submit: never waits, the newest wins if a check is still running),
and the result goes to `on_result` from this thread (the pipeline feeds the rules under its lock).

dlib holds the GIL while its network runs (~0.19 s a check, every Python thread stopped meanwhile), so unless the
watcher was given an identifier the network runs in a child process (perception/identity_process.py) started with
the first check; if that process cannot start or dies, the check goes on in this process (with the stalls) rather
than stopping.

A recording (`analyze`) keeps the check in line with the frames, so its results do not depend on thread timing.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from proctorprep.sources.newest import NewestSlot


class IdentityWorker:
    def __init__(self, watcher: Any, on_result: Callable[[Any], None],
                 measure: Callable[[str], Any] | None = None, separate_process: bool = True) -> None:
        self.watcher = watcher
        self._separate_process = separate_process and watcher.identifier is None
        self._process: Any = None
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
            if self._separate_process and self._process is None:
                self._start_process()
            try:
                if self._measure is not None:
                    with self._measure("identity check (identity changed)"):
                        ident = self.watcher.check(image, obs)
                else:
                    ident = self.watcher.check(image, obs)
                self._on_result(ident)
            except Exception as exc:     # a broken model must not take the session down
                from proctorprep.perception.identity_process import DescriptorProcessError

                if isinstance(exc, DescriptorProcessError) and self._process is not None:
                    self._fall_back()        # the child died: go on in this process
                    continue
                self.failed = exc            # the check stops
                return

    def _start_process(self) -> None:
        from proctorprep.perception.identity import FaceIdentifier
        from proctorprep.perception.identity_process import DescriptorProcess

        try:
            self._process = DescriptorProcess()
            self.watcher.identifier = FaceIdentifier(remote=self._process)
        except Exception:  # noqa: BLE001 - no child process here (a sandbox, a frozen app without it)
            self._separate_process = False

    def _fall_back(self) -> None:
        from proctorprep.perception.identity import FaceIdentifier

        self._separate_process = False
        self.watcher.identifier = FaceIdentifier()
        proc, self._process = self._process, None
        try:
            proc.close(timeout_s=1.0)
        except Exception:  # noqa: BLE001
            pass

    def close(self, timeout_s: float = 5.0) -> bool:
        """Finish the check in progress (a frame still waiting is dropped); True if the thread ended in time."""
        self._stop.set()
        self._slot.close()
        self._thread.join(timeout_s)
        if self._process is not None:
            self._process.close()
        return not self._thread.is_alive()
