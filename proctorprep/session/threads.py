"""Library thread pools in a live session.

OpenCV splits each call (a colour conversion, a resize) over a pool of worker threads, one per core. The live
session's calls are small (one 640x480 frame at a time) and already run on threads of their own (the video worker,
the capture thread), so the pool only adds wake-ups and hand-overs: the same conversions and resizes cost 0.34 ms
of CPU a frame on one thread against 0.9-1.0 ms with the pool, in the same wall time (measured on the 2026-12-02
build machine, 2 cores; decoding a file is unaffected). The live budget (issue 23) counts every thread, so the
live app keeps OpenCV on its callers' threads from the moment it makes its face analyser (ui/session.py; not at
start-up, which imports no OpenCV). `analyze` keeps the pool: there the wall time is what counts.
"""

from __future__ import annotations


def keep_opencv_on_callers_threads() -> None:
    """cv2.setNumThreads(1): OpenCV runs each call on the calling thread (process-wide)."""
    import cv2

    cv2.setNumThreads(1)
