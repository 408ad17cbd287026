"""Frame sources: a video file (for `analyze` and tests) and a live camera (for a session), both via cv2.VideoCapture.

A file's timestamps are the container's presentation timestamps (PTS, through CAP_PROP_POS_MSEC), so a
variable-frame-rate recording (phones, OBS) keeps its real clock and stays in step with its soundtrack; a frame
without a usable timestamp (one that does not move forward) is placed one nominal frame after the previous one.
A replay is deterministic either way. A camera's timestamps are read from an
injectable monotonic clock relative to the moment the source was opened. The camera runs a capture thread that keeps
only the newest frame (a one-slot buffer): the analysis worker always gets the freshest picture, stale frames are
dropped and counted, and a slow analyser never makes the picture lag behind reality.

A camera that stops delivering (read fails, the device raises, a file standing in for a camera ends) is reported as a
DeviceEvent "lost", then reopened with exponential back-off ("reconnecting" per attempt, "reconnected" on success).
"""

from __future__ import annotations

import math
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

import cv2
import numpy as np

from proctorprep.sources.base import DeviceEvent, Frame, SourceError
from proctorprep.sources.newest import NewestSlot
from proctorprep.sources.worker import Worker

EventCallback = Callable[[DeviceEvent], None]

_FALLBACK_FPS = 30.0


class Capture(Protocol):
    """The part of cv2.VideoCapture the camera source uses (so tests can inject faults)."""

    def read(self) -> tuple[bool, np.ndarray | None]: ...
    def isOpened(self) -> bool: ...
    def release(self) -> None: ...
    def get(self, prop: int) -> float: ...


def _sane_fps(value: float) -> float | None:
    if value is None or not math.isfinite(value) or value <= 0 or value > 1000:
        return None
    return float(value)


class VideoFileSource:
    """Frames of a video file with t_s = the frame's presentation time (see the module doc).

    Raises SourceError naming the file when it is missing, empty, not a video, or has no decodable frame.
    A file that ends before its header's frame count (truncated) yields every frame it can, then reports a
    DeviceEvent "ended" through `on_event` and sets `.ended_early`.
    """

    def __init__(self, path: str | os.PathLike, on_event: EventCallback | None = None):
        self.path = Path(path)
        self._on_event = on_event
        if not self.path.exists():
            raise SourceError(f"video file not found: {self.path}")
        if self.path.is_dir():
            raise SourceError(f"{self.path} is a folder, not a video file")
        if self.path.stat().st_size == 0:
            raise SourceError(f"video file {self.path} is empty (0 bytes)")
        self._cap = cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            self._cap.release()
            raise SourceError(f"{self.path} is not a video file OpenCV can open (damaged, truncated or not a video)")
        ok, first = self._cap.read()
        if not ok or first is None or first.ndim != 3:
            self._cap.release()
            raise SourceError(f"{self.path} contains no readable video frame (truncated or not a video)")
        self._first: np.ndarray | None = first
        self._first_t = self._pts()
        fps = _sane_fps(self._cap.get(cv2.CAP_PROP_FPS))
        self.fps_guessed = fps is None     # the container had no usable frame rate; timestamps assume 30 fps
        self.fps: float = fps or _FALLBACK_FPS
        self.size: tuple[int, int] = (int(first.shape[1]), int(first.shape[0]))
        count = self._cap.get(cv2.CAP_PROP_FRAME_COUNT)
        self.frame_count: int = int(count) if count and math.isfinite(count) and count > 0 else 0
        self.duration_s: float = self.frame_count / self.fps if self.frame_count else 0.0
        self.frames_read = 0
        self.ended_early = False
        self.last_t_s = 0.0           # presentation time of the last frame read
        self._last_step = 1.0 / self.fps
        self._closed = False

    def _pts(self) -> float | None:
        """The presentation time of the frame just read, in seconds from the stream's start (None: unknown)."""
        try:
            ms = float(self._cap.get(cv2.CAP_PROP_POS_MSEC))
        except (cv2.error, TypeError, ValueError):
            return None
        return ms / 1000.0 if math.isfinite(ms) and ms >= 0 else None

    def _time(self, index: int, pts: float | None) -> float:
        step = 1.0 / self.fps
        if index == 0:
            return 0.0 if pts is None else pts
        if pts is None or pts <= self.last_t_s + 1e-4:      # no timestamp, or one that does not move forward
            return self.last_t_s + step
        return pts

    @property
    def end_s(self) -> float:
        """Where the picture read so far ends: the last frame's time plus one nominal frame."""
        return self.last_t_s + self._last_step if self.frames_read else 0.0

    def frames(self) -> Iterator[Frame]:
        """Yields every frame once, in order. Stops quietly at the end (or at a truncation, after reporting it)."""
        index = self.frames_read
        while not self._closed:
            if self._first is not None:
                image, self._first = self._first, None
                pts = self._first_t
            else:
                try:
                    ok, image = self._cap.read()
                except cv2.error:   # a damaged packet in the middle: treat as the end of what is readable
                    ok, image = False, None
                if not ok or image is None:
                    break
                pts = self._pts()
            t = self._time(index, pts)
            self._last_step = t - self.last_t_s if index else 1.0 / self.fps   # the last frame lasts as long
            self.last_t_s = t
            yield Frame(t_s=t, index=index, image=image)
            index += 1
            self.frames_read = index
        # Containers' frame counts are estimates (a VFR file's is its duration times a nominal rate): a shortfall
        # of more than a couple of frames AND of picture time means truncation.
        short_in_time = self.end_s < self.duration_s - max(0.5, 2.0 / self.fps)
        if not self._closed and not self.ended_early and self.frame_count and self.frames_read < self.frame_count - 2 \
                and short_in_time:
            self.ended_early = True
            if self._on_event is not None:
                self._on_event(DeviceEvent(
                    t_s=self.end_s, device="video_file", kind="ended",
                    message=(f"{self.path} ended after {self.frames_read} of {self.frame_count} frames "
                             "(the file looks truncated)")))

    def close(self) -> None:
        self._closed = True
        self._cap.release()

    def __enter__(self) -> "VideoFileSource":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def default_capture_factory(source: int | str, width: int, height: int, fps: float) -> Capture:
    """Opens a camera by index (with this platform's back-end, asking for the size/rate) or a video file standing in
    for a camera."""
    if isinstance(source, int):
        from proctorprep.sources.devices import open_camera

        cap, _backend = open_camera(source, cv2)
    else:
        cap = cv2.VideoCapture(str(source))
    if isinstance(source, int) and cap.isOpened():
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        cap.set(cv2.CAP_PROP_FPS, fps)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)   # the driver's own queue would add latency; we keep only the newest
    return cap


class CameraSource:
    """A live camera with a capture thread, a one-slot newest-frame buffer and reconnection with back-off.

    `index` is a camera index, or a path to a video file that plays the part of a camera (paced at its frame rate;
    when it ends the camera counts as lost, like a webcam unplugged). `capture_factory(source, w, h, fps)` opens the
    device; tests inject one that fails on cue. `wait(seconds)` is how the thread sleeps between reconnection attempts
    (it must return early when the source closes; default: the stop event's wait).

    Consumers either poll `latest()` (returns the newest frame not yet taken, else None) or iterate `frames()`.
    A frame replaced before anyone took it counts in `.dropped`. `on_event` is called on the capture thread (except
    "opened", called in the constructor): a GUI must hand the event over to its own thread.
    """

    def __init__(self, index: int | str = 0, width: int = 640, height: int = 480, fps: float = 30.0,
                 clock: Callable[[], float] = time.monotonic, on_event: EventCallback | None = None, *,
                 capture_factory: Callable[[int | str, int, int, float], Capture] | None = None,
                 backoff_initial_s: float = 0.5, backoff_max_s: float = 8.0, lost_after_failures: int = 3,
                 wait: Callable[[float], Any] | None = None, origin_s: float | None = None,
                 pace_files: bool = True):
        self.source = index
        self.fps = float(fps)
        self.size: tuple[int, int] = (int(width), int(height))
        self._width, self._height = int(width), int(height)
        self._clock = clock
        self._on_event = on_event
        self._factory = capture_factory or default_capture_factory
        self._backoff_initial = backoff_initial_s
        self._backoff_max = backoff_max_s
        self._lost_after = max(1, lost_after_failures)
        self._worker = Worker(self._capture, f"camera-{self._name()}")   # started once the device is open
        self._wait = wait or self._worker.wait
        self._pace = pace_files and not isinstance(index, int)
        self._slot: NewestSlot[Frame] = NewestSlot()
        self._latest_index = -1
        self.reconnects = 0
        self.connected = False
        self.last_error: str | None = None
        self._origin = clock() if origin_s is None else origin_s
        self._cap = self._open()
        if self._cap is None:
            raise SourceError(f"camera {self._name()} could not be opened ({self.last_error}); "
                              "check that no other app uses it and that the app may access the camera")
        self.connected = True
        self._emit("opened", f"camera {self._name()} opened at {self.size[0]}x{self.size[1]}")
        self._worker.start()

    # -- public API --------------------------------------------------------------------------------------------
    def latest(self) -> Frame | None:
        """The newest frame not yet taken (None if nothing new arrived since the last call)."""
        return self._slot.take()

    def frames(self, timeout_s: float = 0.5) -> Iterator[Frame]:
        """Yields the newest frame each time one arrives, until close(). Never yields the same frame twice."""
        while not self._worker.stopping:
            frame = self._slot.take(timeout_s)
            if frame is not None:
                yield frame

    @property
    def dropped(self) -> int:
        return self._slot.dropped

    @property
    def delivered(self) -> int:
        return self._slot.delivered

    @property
    def running(self) -> bool:
        return self._worker.alive

    def close(self, timeout_s: float = 5.0) -> None:
        """Stops the capture thread, waits for it, releases the device. Safe to call twice."""
        self._worker.stop()
        self._slot.close()
        self._worker.join(timeout_s)
        cap, self._cap = self._cap, None
        if cap is not None:
            _release(cap)

    def __enter__(self) -> "CameraSource":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- capture thread ----------------------------------------------------------------------------------------
    def _name(self) -> str:
        return str(self.source) if isinstance(self.source, int) else f"(file {self.source})"

    def _now(self) -> float:
        return self._clock() - self._origin

    def _emit(self, kind: str, message: str) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(DeviceEvent(t_s=self._now(), device="camera", kind=kind, message=message))
        except Exception:   # a faulty listener must not kill the capture thread
            pass

    def _open(self) -> Capture | None:
        try:
            cap = self._factory(self.source, self._width, self._height, self.fps)
        except Exception as exc:   # drivers raise anything: cv2.error, OSError, RuntimeError
            self.last_error = f"{type(exc).__name__}: {exc}"
            return None
        try:
            opened = bool(cap.isOpened())
        except Exception as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            opened = False
        if not opened:
            self.last_error = "the device did not open"
            _release(cap)
            return None
        try:
            fps = _sane_fps(cap.get(cv2.CAP_PROP_FPS))
        except Exception:
            fps = None
        if fps and not isinstance(self.source, int):
            self.fps = fps     # a stand-in file plays at its own rate
        return cap

    def _read(self) -> np.ndarray | None:
        cap = self._cap
        if cap is None:
            return None
        try:
            ok, image = cap.read()
        except Exception as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            return None
        if not ok or image is None or getattr(image, "ndim", 0) != 3:
            self.last_error = "the camera delivered no frame"
            return None
        return image

    def _capture(self, stop: threading.Event) -> None:
        try:
            self._capture_loop(stop)
        except Exception as exc:   # a driver fault the loop did not expect: the camera is lost, said once
            self.connected = False
            self.last_error = f"{type(exc).__name__}: {exc}"
            self._emit("lost", f"camera {self._name()} stopped ({self.last_error})")
            raise

    def _capture_loop(self, stop: threading.Event) -> None:
        failures = 0
        index = 0
        next_due = self._clock()
        while not stop.is_set():
            if self._cap is None:
                self._reconnect()
                failures = 0
                next_due = self._clock()
                continue
            image = self._read()
            if image is None:
                failures += 1
                if failures >= self._lost_after:
                    self._lose()
                else:
                    self._wait(min(0.05, self._backoff_initial))   # a short pause: never spin on failure
                continue
            failures = 0
            if index == 0 or image.shape[1] != self.size[0] or image.shape[0] != self.size[1]:
                self.size = (int(image.shape[1]), int(image.shape[0]))   # what the driver gave, not what we asked
            frame = Frame(t_s=self._now(), index=index, image=image)
            index += 1
            self._slot.put(frame)
            if self._pace:
                next_due += 1.0 / self.fps
                delay = next_due - self._clock()
                if delay > 0:
                    self._wait(delay)
                else:
                    next_due = self._clock()

    def _lose(self) -> None:
        self.connected = False
        cap, self._cap = self._cap, None
        if cap is not None:
            _release(cap)
        self._emit("lost", f"camera {self._name()} stopped delivering frames ({self.last_error})")

    def _reconnect(self) -> None:
        delay = self._backoff_initial
        attempt = 0
        while not self._worker.stopping:
            attempt += 1
            self._emit("reconnecting", f"camera {self._name()}: attempt {attempt} in {delay:.1f} s")
            self._wait(delay)
            if self._worker.stopping:
                return
            cap = self._open()
            if cap is not None:
                self._cap = cap
                self.connected = True
                self.reconnects += 1
                self._emit("reconnected", f"camera {self._name()} is back after {attempt} attempt(s)")
                return
            delay = min(delay * 2.0, self._backoff_max)


def _release(cap: Capture) -> None:
    try:
        cap.release()
    except Exception:   # releasing a dead device may raise; nothing more to do about it
        pass
