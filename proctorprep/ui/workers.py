"""Video and audio workers: QObjects moved to QThreads, each with a stop flag, one error path and quit()+wait() on
close. They hand the GUI plain frozen data; the newest frame (and level) wins, so a busy GUI never builds a queue.
QImage is NOT built here: the GUI builds it from the copied array (see widgets/video_view.py)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from proctorprep.sources.base import AudioBlock, DeviceEvent, Frame, SourceError
from proctorprep.sources.newest import NewestSlot
from proctorprep.session.analysis_rate import AnalysisRate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProcessResult:
    """What one frame or audio block produced: observations, incident updates and live policy actions."""

    observations: tuple[Any, ...] = ()
    updates: tuple[Any, ...] = ()
    actions: tuple[Any, ...] = ()


@dataclass(frozen=True)
class FrameView:
    t_s: float
    image: np.ndarray = field(repr=False)   # BGR copy owned by this view (never the capture buffer)
    observation: Any = None                 # latest FaceObservation (may be from an earlier frame)
    dropped: int = 0
    analysis_fps: float = 0.0
    scale: float = 1.0                      # display pixels per source pixel (the observation is in source pixels)


@dataclass(frozen=True)
class AudioView:
    t_s: float
    rms_dbfs: float
    peak_dbfs: float
    noise_floor_dbfs: float
    speech_prob: float


class _Worker(QObject):
    error = Signal(str)
    ready = Signal()
    finished = Signal()
    device_event = Signal(object)
    analysed = Signal(object)     # ProcessResult with updates or actions (every one is delivered)

    def __init__(self) -> None:
        super().__init__()
        self._stop = threading.Event()
        self._processor: Callable[..., ProcessResult] | None = None
        self.analyser: Any = None

    def set_processor(self, fn: Callable[..., ProcessResult] | None) -> None:
        """fn(item, analyser) -> ProcessResult, called on the worker thread. None: display only."""
        self._processor = fn

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def emit_event(self, ev: DeviceEvent) -> None:
        """Thread-safe: device callbacks (capture/PortAudio threads) call this; Qt queues it to the GUI."""
        self.device_event.emit(ev)

    @Slot()
    def run(self) -> None:
        try:
            self._loop()
        except SourceError as exc:   # a device or file the user chose is not there: their message says why
            log.warning("%s stopped: %s", type(self).__name__, exc)
            self.error.emit(str(exc))
        except Exception as exc:   # noqa: BLE001 - the one error path: told to the GUI, the worker ends
            log.exception("%s stopped", type(self).__name__)
            self.error.emit(f"{exc}" or type(exc).__name__)
        finally:
            self.finished.emit()

    def _loop(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _publish(self, result: ProcessResult | None) -> None:
        if result is not None and (result.updates or result.actions):
            self.analysed.emit(result)


DISPLAY_FPS = 15.0        # the self-view's rate (the live budget, issue 23: see VideoWorker._loop)
# The level meter's rate: each update is a queued signal and a wake-up of the GUI thread; the loudest chunk since the
# last update is what is shown, so 10 a second loses no peak (a meter's usual rate).
LEVEL_EVERY_S = 0.1


class VideoWorker(_Worker):
    """Takes the newest frame from a feed, analyses it at most `analysis_fps` times a second, publishes a copy for
    display at most DISPLAY_FPS times a second."""

    frame_ready = Signal()

    def __init__(self, open_feed: Callable[[Callable[[DeviceEvent], None]], Any],
                 make_analyser: Callable[[], Any] | None, analysis_fps: float = 15.0,
                 display: bool = True) -> None:
        super().__init__()
        self._open_feed = open_feed
        self._make_analyser = make_analyser
        self.rate = AnalysisRate(analysis_fps)     # lowered (and announced) when the machine cannot keep up
        self._latest: NewestSlot[FrameView] = NewestSlot(self.frame_ready.emit)
        self.display = display
        # Widest picture any view shows now (set from the GUI thread): frames are shrunk here, on the worker, so
        # the GUI thread never converts or scales more pixels than it paints.
        self.display_width: int | None = None
        self.feed: Any = None
        self._last_t = 0.0
        self._next_view_t = float("-inf")
        self.analysed_frames = 0
        self.analysis_ms: list[float] = []

    def take_view(self) -> FrameView | None:
        return self._latest.take()

    def set_processor(self, fn: Callable[..., ProcessResult] | None) -> None:
        super().set_processor(fn)
        if fn is not None and self.rate.fps < self.rate.requested_fps:
            # A rate lowered before this processor (say, during the calibration) is told again, so a session that
            # starts now journals the rate it is analysed at.
            self.emit_event(DeviceEvent(self._last_t, "camera", "slow", self.rate.message()))

    def _loop(self) -> None:
        self.feed = self._open_feed(self.emit_event)
        if self._make_analyser is not None:
            self.analyser = self._make_analyser()
        self.ready.emit()
        last_obs: Any = None
        rate_t0, rate_n, rate = time.monotonic(), 0, 0.0
        try:
            while not self._stop.is_set():
                frame: Frame | None = self.feed.take(0.1)
                if frame is None:
                    if getattr(self.feed, "ended", False):
                        self._stop.wait(0.1)
                    continue
                self._last_t = frame.t_s
                processor = self._processor
                if processor is not None and self.rate.due(frame.t_s):
                    t0 = time.perf_counter()
                    result = processor(frame, self.analyser)
                    took = time.perf_counter() - t0
                    self.analysis_ms.append(took * 1000.0)
                    if self.rate.record(frame.t_s, took) is not None:
                        self.emit_event(DeviceEvent(frame.t_s, "camera", "slow", self.rate.message()))
                    if len(self.analysis_ms) > 300:
                        del self.analysis_ms[:150]
                    self.analysed_frames += 1
                    rate_n += 1
                    if result.observations:
                        last_obs = result.observations[-1]
                    self._publish(result)
                now = time.monotonic()
                if now - rate_t0 >= 1.0:
                    rate, rate_t0, rate_n = rate_n / (now - rate_t0), now, 0
                # the self-view at most DISPLAY_FPS: a 200 px tile that shows you are in frame looks the same at
                # 15 as at 30 a second, and each shown frame costs a copy here and a paint on the GUI thread
                step = 1.0 / DISPLAY_FPS
                due = frame.t_s >= self._next_view_t or frame.t_s < self._next_view_t - 2 * step   # clock went back
                if self.display and due:
                    self._next_view_t = frame.t_s + 0.75 * step      # a quarter step of slack for jitter
                    image, scale = _display_copy(frame.image, self.display_width)
                    self._latest.put(FrameView(frame.t_s, image, last_obs, int(getattr(self.feed, "dropped", 0)),
                                               rate, scale))
        finally:
            # The analyser is closed by its owner (SessionController), which may have handed it to a pipeline.
            self.feed.close()


def _display_copy(image: np.ndarray, width: int | None) -> tuple[np.ndarray, float]:
    """A copy the GUI may keep (never the capture buffer, which is reused), shrunk to `width` if wider."""
    w = image.shape[1]
    if width is None or w <= width:
        return np.array(image, copy=True), 1.0
    import cv2

    scale = width / float(w)
    h = image.shape[0]
    # Cost at 30 fps (issue 23, the live budget): INTER_AREA by a non-integer factor (640 -> a 200 px self-view)
    # took 2.3-2.7 ms a frame, ~6 % of a core; by an exact integer factor it is OpenCV's fast path (0.3 ms), and
    # the rest (less than 2x) is bilinear without visible aliasing: 0.4 ms in all, measured on the same frames.
    k = max((k for k in range(2, 9) if w % k == 0 and h % k == 0 and w // k >= width), default=1)
    if k > 1:
        image = cv2.resize(image, (w // k, h // k), interpolation=cv2.INTER_AREA)
    if image.shape[1] > width:
        # bilinear only for what is left under 2x; an odd-sized picture far wider than the view keeps INTER_AREA
        method = cv2.INTER_LINEAR if image.shape[1] < 2 * width else cv2.INTER_AREA
        image = cv2.resize(image, (width, max(1, int(round(h * scale)))), interpolation=method)
    return image, scale


class AudioWorker(_Worker):
    """Drains an audio source (microphone ring buffer or paced file) and analyses every block."""

    level_ready = Signal()

    def __init__(self, open_blocks: Callable[[threading.Event, Callable[[DeviceEvent], None]], Iterator[AudioBlock]],
                 make_analyser: Callable[[], Any] | None) -> None:
        super().__init__()
        self._open_blocks = open_blocks
        self._make_analyser = make_analyser
        self._latest: NewestSlot[AudioView] = NewestSlot(self.level_ready.emit)
        self._last_level = 0.0

    def take_level(self) -> AudioView | None:
        return self._latest.take()

    def _loop(self) -> None:
        blocks = self._open_blocks(self._stop, self.emit_event)
        if self._make_analyser is not None:
            self.analyser = self._make_analyser()
        self.ready.emit()
        peak: AudioView | None = None
        for block in blocks:
            if self._stop.is_set():
                break
            processor = self._processor
            if processor is None:
                continue
            result = processor(block, self.analyser)
            for obs in result.observations:
                # Keep the loudest and most speech-like chunk since the last display update (a meter shows peaks).
                view = AudioView(obs.t_s, obs.rms_dbfs, obs.peak_dbfs, obs.noise_floor_dbfs, obs.speech_prob)
                if peak is None or view.rms_dbfs > peak.rms_dbfs or view.speech_prob > peak.speech_prob:
                    peak = AudioView(view.t_s, max(view.rms_dbfs, peak.rms_dbfs if peak else -120.0),
                                     max(view.peak_dbfs, peak.peak_dbfs if peak else -120.0),
                                     view.noise_floor_dbfs, max(view.speech_prob, peak.speech_prob if peak else 0.0))
            self._publish(result)
            now = time.monotonic()
            if peak is not None and now - self._last_level >= LEVEL_EVERY_S:
                self._latest.put(peak)
                peak, self._last_level = None, now
        close = getattr(blocks, "close", None)
        if close is not None:
            close()


class WorkerThread:
    """A worker on its own QThread. stop() sets the flag, then quit() + wait(): no thread outlives the app."""

    def __init__(self, worker: _Worker, name: str) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        worker.finished.connect(self.thread.quit)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout_ms: int = 8000) -> bool:
        self.worker.stop()
        self.thread.quit()
        ok = self.thread.wait(timeout_ms)
        if not ok:
            log.error("worker thread %s did not stop in %d ms", self.thread.objectName(), timeout_ms)
        return bool(ok)
