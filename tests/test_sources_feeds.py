"""Paced file feeds, the camera feed and the one newest-item-wins buffer (sources/feeds.py, sources/newest.py), without
Qt."""

from __future__ import annotations

import threading

from proctorprep.sources.newest import NewestSlot


def test_newest_slot_keeps_the_newest_counts_drops_and_notifies_once_per_take():
    told = []
    slot: NewestSlot[int] = NewestSlot(lambda: told.append(1))
    assert slot.take() is None
    for i in range(5):
        slot.put(i)
    assert told == [1]                       # one notification until the consumer takes
    assert (slot.take(), slot.delivered, slot.dropped) == (4, 5, 4)
    assert slot.take() is None               # never the same item twice
    slot.put(5)
    assert told == [1, 1] and slot.take(0.5) == 5


def test_newest_slot_take_waits_for_a_put_and_close_wakes_it():
    slot: NewestSlot[str] = NewestSlot()
    threading.Timer(0.05, slot.put, args=("late",)).start()
    assert slot.take(2.0) == "late"
    threading.Timer(0.05, slot.close).start()
    assert slot.take(5.0) is None and slot.closed


def test_camera_feed_hands_over_each_new_frame_once():
    import numpy as np

    from proctorprep.sources.base import Frame
    from proctorprep.sources.feeds import CameraFeed

    class FakeCamera:
        fps, dropped = 30.0, 3

        def __init__(self):
            self.frames = [Frame(0.0, 0, np.zeros((4, 4, 3), np.uint8)), None,
                           Frame(0.033, 1, np.zeros((4, 4, 3), np.uint8))]
            self.closed = False

        def latest(self):
            return self.frames.pop(0) if self.frames else None

        def close(self):
            self.closed = True

    cam = FakeCamera()
    feed = CameraFeed(cam)
    assert feed.take(0.05).index == 0
    assert feed.take(0.05).index == 1
    assert feed.take(0.02) is None
    assert feed.dropped == 3
    feed.close()
    assert cam.closed


def test_paced_file_feed_releases_frames_on_time_and_counts_drops(tmp_path):
    import time

    import numpy as np

    from proctorprep.sources.base import Frame
    from proctorprep.sources.feeds import PacedVideoFeed, SessionClock

    class FakeFile:
        fps = 50.0

        def frames(self):
            for i in range(25):                                    # 0.5 s of video
                yield Frame(i / 50.0, i, np.full((2, 2, 3), i, np.uint8))

        def close(self):
            pass

    events = []
    clock = SessionClock()
    feed = PacedVideoFeed(FakeFile, clock, events.append)
    first = feed.take(1.0)
    assert first is not None and first.index == 0
    time.sleep(0.3)                                                # nobody takes frames: they are dropped
    later = feed.take(1.0)
    assert later.index >= 10 and later.t_s <= clock.now() + 0.05  # never ahead of the clock
    deadline = time.monotonic() + 3
    while not feed.ended and time.monotonic() < deadline:
        feed.take(0.1)
    assert feed.ended and feed.dropped >= 5
    assert events and events[-1].kind == "ended"
    feed.close()


def test_the_worker_shape_stops_at_once_and_keeps_its_error():
    import time

    from proctorprep.sources.worker import Worker

    def sleeper(stop):
        stop.wait(60)                        # a stop wakes it: close() never waits the minute

    w = Worker(sleeper, "test-sleeper").start()
    t0 = time.monotonic()
    assert w.close(5.0) and time.monotonic() - t0 < 2.0 and w.error is None

    def broken(_stop):
        raise OSError("device gone")

    w = Worker(broken, "test-broken").start()
    assert w.join(5.0) and isinstance(w.error, OSError)          # the one error path: kept for the consumer


def test_an_audio_file_plays_as_the_microphone_paced_and_says_when_it_ends(tmp_path):
    import numpy as np
    import soundfile as sf

    from proctorprep.sources.feeds import SessionClock, paced_audio_file

    path = tmp_path / "voice.wav"
    sf.write(str(path), np.zeros(16000 // 2, np.float32), 16000)        # 0.5 s
    events, stop = [], threading.Event()
    blocks = list(paced_audio_file(str(path), SessionClock(), stop, events.append, speed=5.0))
    assert [e.kind for e in events] == ["opened", "ended"] and "voice.wav" in events[0].message
    assert sum(len(b.samples) for b in blocks) / blocks[0].rate == 0.5
    assert all(b.t_s < a.t_s for b, a in zip(blocks, blocks[1:]))       # in time order, 64 ms pieces
