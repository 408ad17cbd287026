"""Paced file feeds and the camera feed for the live session, without Qt.

A video FILE is played "as if live": a decoder thread releases each frame when its time on the session clock comes
and keeps only the newest one (sources.newest.NewestSlot; frames nobody took are counted as dropped), exactly like the
camera's capture thread. Audio files are paced the same way. So the GUI code path is the same for files and devices.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable, Iterator

from proctorprep.sources.base import AudioBlock, DeviceEvent, Frame
from proctorprep.sources.newest import NewestSlot
from proctorprep.sources.worker import Worker


class SessionClock:
    """Seconds since the session started, on the monotonic clock. `offset` shifts it (file loops)."""

    def __init__(self, start: float | None = None) -> None:
        self.t0 = time.monotonic() if start is None else start

    def now(self) -> float:
        return time.monotonic() - self.t0


class PacedVideoFeed:
    """Plays a video file in real time on `clock`, newest frame wins. `loop` restarts it at the end (check page).

    `open_source` is called on the feed's own thread, so opening and decoding never touch the GUI thread."""

    def __init__(self, open_source: Callable[[], object], clock: SessionClock,
                 on_event: Callable[[DeviceEvent], None], loop: bool = False, speed: float = 1.0) -> None:
        self._open = open_source
        self._clock = clock
        self._on_event = on_event
        self._loop = loop
        self._speed = speed
        self.slot: NewestSlot[Frame] = NewestSlot()
        self.ended = False
        self.fps = 30.0
        self._worker = Worker(self._run, "proctorprep-video-feed").start()

    def _run(self, stop: threading.Event) -> None:
        offset = 0.0
        try:
            while not stop.is_set():
                source = self._open()
                try:
                    self.fps = float(getattr(source, "fps", 30.0) or 30.0)
                    last_t = offset
                    for frame in source.frames():   # type: ignore[attr-defined]
                        t = frame.t_s + offset
                        due = t / self._speed
                        wait = due - self._clock.now()
                        if wait > 0 and stop.wait(wait):
                            return
                        if stop.is_set():
                            return
                        self.slot.put(Frame(t_s=t, index=frame.index, image=frame.image))
                        last_t = t
                finally:
                    source.close()   # type: ignore[attr-defined]
                if not self._loop:
                    break
                offset = last_t + 1.0 / self.fps
            if not stop.is_set():
                self.ended = True
                self._on_event(DeviceEvent(self._clock.now(), "video_file", "ended",
                                           "The video file has ended: the exam goes on without a picture."))
        except Exception as exc:  # noqa: BLE001 - reported as a device event, the session goes on
            self.ended = True
            self._on_event(DeviceEvent(self._clock.now(), "video_file", "lost", f"The video stopped: {exc}"))
        finally:
            self.slot.close()

    @property
    def dropped(self) -> int:
        return self.slot.dropped

    def take(self, timeout: float = 0.1) -> Frame | None:
        return self.slot.take(timeout)

    def close(self) -> None:
        self._worker.stop()
        self.slot.close()
        self._worker.join(5.0)


class CameraFeed:
    """Adapter over the camera source (its own capture thread keeps the newest frame)."""

    def __init__(self, camera: object) -> None:
        self._camera = camera
        self._last_index = -1
        self.ended = False
        self.fps = float(getattr(camera, "fps", 30.0) or 30.0)

    @property
    def dropped(self) -> int:
        return int(getattr(self._camera, "dropped", 0))

    def take(self, timeout: float = 0.1) -> Frame | None:
        deadline = time.monotonic() + timeout
        while True:
            frame = self._camera.latest()   # type: ignore[attr-defined]
            if frame is not None and frame.index != self._last_index:
                self._last_index = frame.index
                return frame
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.005)

    def close(self) -> None:
        self._camera.close()   # type: ignore[attr-defined]


def paced_blocks(blocks: Iterator[AudioBlock], clock: SessionClock, stop: threading.Event,
                 offset: float = 0.0, speed: float = 1.0) -> Iterator[AudioBlock]:
    """Release audio blocks of a file when their END is due on the session clock (as a microphone would); long
    blocks are cut into 64 ms pieces first so the level meter moves smoothly."""
    for big in blocks:
        step = max(1, int(big.rate * 0.064))
        for i in range(0, len(big.samples), step):
            samples = big.samples[i:i + step]
            t = big.t_s + offset + i / float(big.rate)
            end = t + len(samples) / float(big.rate)
            wait = end / speed - clock.now()
            if wait > 0 and stop.wait(wait):
                return
            if stop.is_set():
                return
            yield AudioBlock(t_s=t, samples=samples, rate=big.rate)


# ---------------------------------------------------------------------------------------------------------------
# Opening a live-path source: a device, or a file standing in for it. Heavy modules (OpenCV, PortAudio, soundfile)
# are imported here, on the worker thread that calls these, never at import time.

def open_video_file_feed(path: str, clock: SessionClock, on_event: Callable[[DeviceEvent], None],
                         loop: bool = False, speed: float = 1.0) -> PacedVideoFeed:
    """A video file played as the camera. Raises SourceError naming the file now, not inside the feed thread."""
    from proctorprep.sources.video import VideoFileSource

    VideoFileSource(path).close()
    on_event(DeviceEvent(clock.now(), "video_file", "opened", f"Playing {Path(path).name} as the camera"))
    return PacedVideoFeed(lambda: VideoFileSource(path), clock, on_event, loop=loop, speed=speed)


def open_camera_feed(index: int, width: int, height: int, fps: float, clock: SessionClock,
                     on_event: Callable[[DeviceEvent], None]) -> CameraFeed:
    from proctorprep.sources.video import CameraSource

    return CameraFeed(CameraSource(index, width, height, fps, clock=clock.now, on_event=on_event, origin_s=0.0))


def paced_audio_file(path: str, clock: SessionClock, stop: threading.Event, on_event: Callable[[DeviceEvent], None],
                     loop: bool = False, speed: float = 1.0) -> Iterator[AudioBlock]:
    """An audio file played as the microphone, in real time on `clock`; `loop` restarts it (check page). Raises
    SourceError naming the file now; its end is told as an "ended" event."""
    from proctorprep.sources.audio import open_audio_file

    open_audio_file(path).close()
    on_event(DeviceEvent(clock.now(), "audio_file", "opened", f"Playing {Path(path).name} as the microphone"))

    def gen() -> Iterator[AudioBlock]:
        offset = 0.0
        while not stop.is_set():
            src = open_audio_file(path)
            last_end = offset
            try:
                for b in paced_blocks(src.blocks(), clock, stop, offset, speed):
                    last_end = b.t_s + len(b.samples) / b.rate
                    yield b
            finally:
                src.close()
            if not loop:
                break
            offset = last_end
        if not stop.is_set():
            on_event(DeviceEvent(clock.now(), "audio_file", "ended",
                                 "The audio file has ended: talking is no longer checked."))
    return gen()


def microphone_blocks(device_setting: str, clock: SessionClock, stop: threading.Event,
                      on_event: Callable[[DeviceEvent], None]) -> Iterator[AudioBlock]:
    """The microphone named in the settings ("" = the system default, "2" = PortAudio device 2). Never raises for
    a device problem: a missing PortAudio or microphone is an event, and the blocks simply do not come."""
    from proctorprep.sources.audio import MicrophoneSource

    device: int | str | None = device_setting.strip() or None
    if isinstance(device, str) and device.isdigit():
        device = int(device)
    mic = MicrophoneSource(device=device, on_event=on_event, clock=clock.now)

    def gen() -> Iterator[AudioBlock]:
        try:
            for b in mic.blocks(stop):       # also ends on stop while the microphone is lost
                if stop.is_set():
                    break
                yield b
        finally:
            mic.close()
    return gen()
