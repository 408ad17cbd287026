"""Video sources: file timestamps and clear errors; the camera's newest-frame buffer, loss, back-off and close."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from proctorprep.sources.base import DeviceEvent, FrameSource, SourceError
from proctorprep.sources.video import CameraSource, VideoFileSource


def write_clip(path: Path, n: int, fps: float = 10.0, size: tuple[int, int] = (64, 48)) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    assert writer.isOpened()
    for i in range(n):
        img = np.full((size[1], size[0], 3), (i * 20) % 256, np.uint8)
        writer.write(img)
    writer.release()
    return path


def wait_until(cond, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.005)
    return cond()


# -- video file ---------------------------------------------------------------------------------------------------
def test_file_frames_have_index_over_fps_timestamps(tmp_path):
    clip = write_clip(tmp_path / "clip.avi", 12, fps=10.0)
    with VideoFileSource(clip) as src:
        assert isinstance(src, FrameSource)
        assert src.fps == pytest.approx(10.0)
        assert src.size == (64, 48)
        assert src.frame_count == 12
        assert src.duration_s == pytest.approx(1.2)
        frames = list(src.frames())
    assert [f.index for f in frames] == list(range(12))
    assert [f.t_s for f in frames] == pytest.approx([i / 10.0 for i in range(12)])
    assert frames[0].image.shape == (48, 64, 3) and frames[0].image.dtype == np.uint8
    # the content is the file's, in order (MJPG is lossy, so compare roughly)
    assert abs(int(frames[3].image.mean()) - 60) <= 3


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(SourceError, match="not found.*nothere.mp4"):
        VideoFileSource(tmp_path / "nothere.mp4")


def test_empty_file_is_reported_as_empty(tmp_path):
    p = tmp_path / "empty.mp4"
    p.write_bytes(b"")
    with pytest.raises(SourceError, match="empty.mp4.*empty"):
        VideoFileSource(p)


def test_non_video_file_is_refused_with_its_name(tmp_path):
    p = tmp_path / "notes.mp4"
    p.write_text("this is not a video\n" * 50)
    with pytest.raises(SourceError, match="notes.mp4"):
        VideoFileSource(p)


def test_folder_is_refused(tmp_path):
    with pytest.raises(SourceError, match="folder"):
        VideoFileSource(tmp_path)


def test_truncated_file_yields_what_it_can_and_reports_the_end(tmp_path):
    clip = write_clip(tmp_path / "full.avi", 40, fps=10.0, size=(160, 120))
    data = clip.read_bytes()
    cut = tmp_path / "cut.avi"
    cut.write_bytes(data[: len(data) // 2])
    events: list[DeviceEvent] = []
    try:
        src = VideoFileSource(cut, on_event=events.append)
    except SourceError as exc:          # some containers become unreadable when cut: that must name the file
        assert "cut.avi" in str(exc)
        return
    frames = list(src.frames())
    again = list(src.frames())          # asking again neither replays nor reports twice
    src.close()
    assert again == []
    assert 0 < len(frames) < 40
    if src.frame_count >= 40:           # the header still promises 40: the shortfall is reported, once
        assert src.ended_early
        assert events and events[-1].kind == "ended" and "cut.avi" in events[-1].message
        assert len(events) == 1


def test_header_only_file_is_refused(tmp_path):
    clip = write_clip(tmp_path / "full.avi", 5)
    cut = tmp_path / "head.avi"
    cut.write_bytes(clip.read_bytes()[:200])
    with pytest.raises(SourceError, match="head.avi"):
        VideoFileSource(cut)


# -- camera with injected captures ----------------------------------------------------------------------------------
class FakeCapture:
    """Delivers `frames` images then fails reads (or raises) forever, as a webcam that was unplugged."""

    def __init__(self, frames: int, raise_after: bool = False, gate: threading.Event | None = None):
        self.left = frames
        self.raise_after = raise_after
        self.gate = gate
        self.released = False
        self.reads = 0

    def isOpened(self) -> bool:
        return True

    def read(self):
        if self.gate is not None:
            self.gate.wait(1.0)
        self.reads += 1
        if self.left <= 0:
            if self.raise_after:
                raise OSError("device disconnected")
            return False, None
        self.left -= 1
        return True, np.full((4, 4, 3), self.reads % 256, np.uint8)

    def get(self, prop):
        return 0.0

    def release(self):
        self.released = True


class ScriptedFactory:
    """Returns captures from a script; None in the script = the device does not open (raises)."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = 0
        self.made: list[FakeCapture] = []

    def __call__(self, source, w, h, fps):
        self.calls += 1
        item = self.script.pop(0) if self.script else None
        if item is None:
            raise RuntimeError("no such camera")
        self.made.append(item)
        return item


class RecordingWait:
    """Records requested sleeps; returns at once so tests run fast and deterministically."""

    def __init__(self):
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> bool:
        self.delays.append(round(seconds, 6))
        time.sleep(0.001)
        return False


def test_camera_that_never_opens_raises_a_clear_error():
    with pytest.raises(SourceError, match="camera 3 could not be opened"):
        CameraSource(3, capture_factory=ScriptedFactory([None]))


def test_camera_keeps_only_the_newest_frame_and_counts_drops():
    gate = threading.Event()
    cap = FakeCapture(frames=1000, gate=gate)
    cam = CameraSource(0, capture_factory=ScriptedFactory([cap]))
    try:
        gate.set()
        assert wait_until(lambda: cam.delivered >= 50)
        gate.clear()                                    # freeze the device
        time.sleep(0.05)
        delivered = cam.delivered
        frame = cam.latest()
        assert frame is not None
        assert frame.index == delivered - 1             # the newest, not the oldest
        assert cam.latest() is None                     # nothing new since
        assert cam.dropped >= delivered - 2             # every frame nobody took was dropped and counted
        assert cam.dropped + 1 == delivered
    finally:
        gate.set()
        cam.close()


def test_camera_timestamps_come_from_the_injected_clock():
    ticks = iter(range(1000, 100000))
    clock = lambda: float(next(ticks))   # noqa: E731 - a fake monotonic clock, one second per call
    cap = FakeCapture(frames=3)
    cam = CameraSource(0, clock=clock, capture_factory=ScriptedFactory([cap]), wait=RecordingWait(),
                       backoff_initial_s=0.01)
    try:
        got = []
        for f in cam.frames(timeout_s=0.05):
            got.append(f)
            if len(got) >= 1:
                break
        assert got[0].t_s >= 1.0 and float(got[0].t_s).is_integer()   # seconds since the source was opened
    finally:
        cam.close()


@pytest.mark.parametrize("raise_after", [False, True], ids=["read-fails", "device-raises"])
def test_lost_camera_is_reported_and_reopened_with_backoff(raise_after):
    events: list[DeviceEvent] = []
    wait = RecordingWait()
    first = FakeCapture(frames=5, raise_after=raise_after)
    second = FakeCapture(frames=10 ** 6)
    # two failed reopen attempts, then the camera comes back
    factory = ScriptedFactory([first, None, None, second])
    cam = CameraSource(0, capture_factory=factory, on_event=events.append, wait=wait,
                       backoff_initial_s=0.5, backoff_max_s=8.0, lost_after_failures=3)
    try:
        assert wait_until(lambda: any(e.kind == "reconnected" for e in events))
        assert wait_until(lambda: second.reads > 0)
    finally:
        cam.close()
    kinds = [e.kind for e in events]
    assert kinds[0] == "opened"
    assert kinds.index("lost") < kinds.index("reconnected")
    assert kinds.count("lost") == 1 and kinds.count("reconnecting") == 3
    assert all(e.device == "camera" for e in events)
    assert first.released                                   # the dead device was let go
    # back-off doubles between attempts: 0.5, 1.0, 2.0 (short pauses between failed reads are 0.05)
    backoffs = [d for d in wait.delays if d >= 0.5]
    assert backoffs[:3] == [0.5, 1.0, 2.0]
    assert cam.reconnects == 1 and factory.calls == 4
    # failed reads were never retried without a pause (no spinning)
    assert first.reads <= 5 + 3


def test_backoff_is_capped():
    events: list[DeviceEvent] = []
    wait = RecordingWait()
    factory = ScriptedFactory([FakeCapture(frames=0)])   # opens, never delivers, never comes back
    cam = CameraSource(0, capture_factory=factory, on_event=events.append, wait=wait,
                       backoff_initial_s=1.0, backoff_max_s=4.0)
    try:
        assert wait_until(lambda: factory.calls >= 7)
    finally:
        cam.close()
    backoffs = [d for d in wait.delays if d >= 1.0]
    assert backoffs[:6] == [1.0, 2.0, 4.0, 4.0, 4.0, 4.0]
    assert not cam.running


def test_close_joins_the_thread_and_releases_the_device():
    cap = FakeCapture(frames=10 ** 6)
    cam = CameraSource(0, capture_factory=ScriptedFactory([cap]))
    assert wait_until(lambda: cam.delivered > 0)
    assert cam.running
    cam.close()
    assert not cam.running
    assert cap.released
    cam.close()   # twice is fine


def test_close_interrupts_a_long_backoff():
    factory = ScriptedFactory([FakeCapture(frames=0)])
    events: list[DeviceEvent] = []
    cam = CameraSource(0, capture_factory=factory, on_event=events.append, backoff_initial_s=30.0,
                       lost_after_failures=1)
    assert wait_until(lambda: any(e.kind == "reconnecting" for e in events))
    t0 = time.monotonic()
    cam.close()
    assert time.monotonic() - t0 < 2.0
    assert not cam.running


def test_video_file_as_fake_camera_ends_early_then_reconnects(tmp_path):
    clip = write_clip(tmp_path / "cam.avi", 6, fps=100.0)
    events: list[DeviceEvent] = []
    cam = CameraSource(str(clip), on_event=events.append, backoff_initial_s=0.01, lost_after_failures=1)
    try:
        assert cam.fps == pytest.approx(100.0)
        got = []
        for f in cam.frames(timeout_s=0.2):
            got.append(f)
            if any(e.kind == "reconnected" for e in events) and len(got) >= 3:
                break
        kinds = [e.kind for e in events]
        assert "lost" in kinds and "reconnected" in kinds
        assert all(f.image.shape == (48, 64, 3) for f in got)
        assert cam.size == (64, 48)                      # the size delivered, not the 640x480 asked for
        assert [f.t_s for f in got] == sorted(f.t_s for f in got)
    finally:
        cam.close()
    assert not cam.running
