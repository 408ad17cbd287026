"""The per-part CPU accounting behind the live budget: every registered detector is counted, whoever added it."""

from __future__ import annotations

import threading
import time

import pytest

from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.engine import RuleEngine
from proctorprep.rules.incident_types import DetectorSetup, build_detectors
from proctorprep.rules.thresholds import thresholds_for
from proctorprep.session.costs import CostLedger, MeteredDetector, detector_name, iter_rows
from proctorprep.session.pipeline import PipelineConfig, SessionPipeline


def face(t: float, faces: int = 1) -> FaceObservation:
    if not faces:
        return FaceObservation(t_s=t, faces=0)
    return FaceObservation(t_s=t, faces=faces, trustworthy=True, yaw_deg=0.0, pitch_deg=0.0, roll_deg=0.0,
                           gaze_x=0.0, gaze_y=0.0, eyes_open=0.3, mouth_open=0.02, face_x=0.5, face_y=0.45,
                           face_size=0.3, brightness=120.0, contrast=30.0, frame_brightness=120.0)


def test_every_registered_detector_is_charged_for_its_own_calls():
    ledger = CostLedger()
    engine = RuleEngine(Calibration(), costs=ledger)
    for i in range(40):
        engine.feed_face(face(i / 10, faces=0 if 10 <= i < 30 else 1))
        engine.feed_audio(AudioObservation(t_s=i / 10, duration_s=0.1, rms_dbfs=-60.0, peak_dbfs=-55.0,
                                            noise_floor_dbfs=-60.0, speech_prob=0.0))
    engine.finish(4.0)
    costs = ledger.snapshot()
    plain = build_detectors(DetectorSetup(Calibration(), thresholds_for("standard"), True))
    assert {detector_name(d) for d in plain} <= set(costs)        # each one, by its class name
    looking = costs["rule: looking away"]
    assert looking.calls == 40 + 1 and looking.cpu_s >= 0         # 40 frames, then finish()
    assert [i.type for i in engine.incidents()] == ["face_missing"]   # counting changes nothing


def test_a_metered_detector_has_exactly_the_methods_of_the_detector():
    class OnlyAudio:
        def __init__(self):
            self.seen = 0

        def feed_audio(self, obs):
            self.seen += 1
            return []

    inner = OnlyAudio()
    m = MeteredDetector(inner, CostLedger(), "rule: only audio")
    assert hasattr(m, "feed_audio") and not hasattr(m, "feed_face")
    m.feed_audio(None)
    m.threshold = 3                                                  # attributes go to the detector itself
    assert inner.seen == 1 and inner.threshold == 3


def test_the_ledger_counts_cpu_time_of_the_calling_thread_only():
    ledger = CostLedger()
    stop = threading.Event()
    busy = threading.Thread(target=lambda: [None for _ in iter(stop.is_set, True)], name="burner")
    busy.start()
    try:
        with ledger.measure("sleep"):
            time.sleep(0.2)                      # another thread burns CPU meanwhile: not charged here
        with ledger.measure("work"):
            sum(i * i for i in range(200_000))
    finally:
        stop.set()
        busy.join()
    costs = ledger.snapshot()
    assert costs["sleep"].cpu_s < 0.05 and costs["work"].cpu_s > costs["sleep"].cpu_s
    rows = list(iter_rows(costs, wall_s=1.0))
    assert rows[0][0] == "work" and rows[0][2] == 1


def test_a_pipeline_counts_its_perception_and_rules():
    class StubFace:
        def analyse(self, image, t_s):
            return face(t_s)

    from proctorprep.sources.base import Frame

    pipe = SessionPipeline(PipelineConfig(calibration_seconds=1.0), face=StubFace())
    for i in range(30):
        pipe.process_frame(Frame(t_s=i / 10, index=i, image=None))
    costs = pipe.costs.snapshot()
    assert costs["face analysis"].calls == 30
    assert costs["rule: looking away"].calls > 0        # after the 1 s calibration


def test_the_self_view_copy_is_shrunk_to_the_view_and_is_a_copy():
    import numpy as np

    from proctorprep.ui.workers import _display_copy

    frame = np.zeros((480, 640, 3), np.uint8)
    frame[:, 320:] = 200                                   # left half dark, right half bright
    small, scale = _display_copy(frame, 200)
    assert small.shape == (150, 200, 3) and scale == 200 / 640
    assert small[75, 20].max() == 0 and small[75, 180].min() == 200   # the picture, not a blur of it
    odd, _ = _display_copy(np.zeros((721, 1283, 3), np.uint8), 200)   # no integer factor: still the width asked
    assert odd.shape[1] == 200
    same, s1 = _display_copy(frame, None)
    assert s1 == 1.0 and same is not frame and np.array_equal(same, frame)


@pytest.mark.gui
def test_the_self_view_is_published_at_most_15_times_a_second_from_a_30_fps_feed(qapp):
    import numpy as np

    from proctorprep.sources.base import Frame
    from proctorprep.ui.workers import VideoWorker

    class Feed:                      # 60 frames at 30 fps, then a feed whose clock restarts at 0 (a new session)
        ended, dropped = False, 0

        def __init__(self):
            self.times = [i / 30 for i in range(60)] + [i / 30 for i in range(6)]

        def take(self, timeout=0.1):
            if not self.times:
                worker.stop()
                return None
            return Frame(t_s=self.times.pop(0), index=0, image=np.zeros((48, 64, 3), np.uint8))

        def close(self):
            pass

    worker = VideoWorker(lambda on_event: Feed(), None, 15.0)
    shown = []
    worker._latest.put = lambda view: shown.append(view.t_s)
    worker.run()                     # on this thread: the feed stops it
    first_run = shown[:-3]
    assert first_run == [i / 30 for i in range(0, 60, 2)]               # 2 s at 30 fps: every other frame
    assert shown[-3:] == [0.0, 2 / 30, 4 / 30]                          # the restarted clock is shown at once
