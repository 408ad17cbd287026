"""SessionPipeline on observation streams (no camera, no mediapipe): calibration, replay, policy actions, device
gaps, the journal, thread safety, analysis_fps."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from proctorprep.journal.store import JournalReader, SessionJournal
from proctorprep.session.pipeline import PipelineConfig, SessionPipeline
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.thresholds import ThresholdError
from proctorprep.sources.base import DeviceEvent, Frame
from tests.fixtures.obs_streams import audio, faces


def feed(pipe: SessionPipeline, face_obs, audio_obs=()) -> None:
    items = sorted([(o.t_s, 0, o) for o in audio_obs] + [(o.t_s, 1, o) for o in face_obs], key=lambda x: x[:2])
    for _, kind, o in items:
        if kind == 0:
            pipe.process_audio_observation(o)
        else:
            pipe.process_face_observation(o)


def test_first_seconds_calibrate_and_are_not_judged():
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=5))
    # the candidate looks away during the calibration window: taken as their neutral pose, not an incident
    feed(pipe, faces(0, 1, yaw=10) + faces(1, 2.5, yaw=40) + faces(2.5, 5, yaw=10) + faces(5, 9, yaw=10 + 32)
         + faces(9, 12, yaw=10))
    incs = pipe.finish()
    assert pipe.calibration.source == "recording" and pipe.calibration.yaw_deg == pytest.approx(10)
    assert [(i.type, i.direction) for i in incs] == [("looking_away", "left")]
    assert incs[0].start_s == pytest.approx(5.0, abs=0.1)


def test_no_face_at_first_recalibrates_later_and_replays_what_came_after_the_window():
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=5))
    feed(pipe, faces(0, 5, faces=0) + faces(5, 12) + faces(12, 16, yaw=-35) + faces(16, 18))
    incs = pipe.finish()
    assert "calibrated from 5.0 s" in pipe.calibration_note
    # the empty seat before the candidate sat down was inside the first window: not judged
    assert [(i.type, i.direction) for i in incs] == [("looking_away", "right")]


def test_no_face_at_all_uses_defaults_says_so_and_still_judges():
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=5))
    feed(pipe, faces(0, 40, faces=0))
    incs = pipe.finish()
    assert pipe.calibration.source == "default" and "default values used" in pipe.calibration_note
    assert [i.type for i in incs] == ["face_missing"] and incs[0].start_s == pytest.approx(5.0, abs=0.1)


def test_explicit_calibration_policy_actions_and_callback_order():
    seen = []
    pipe = SessionPipeline(PipelineConfig(profile="standard", calibration_seconds=5),
                           calibration=Calibration(noise_floor_dbfs=-60),
                           on_update=lambda u, a: seen.append((u.kind, u.incident.type, a.action if a else None)))
    a = []
    for k in range(3):      # three times talking: warn, warn, end
        a += audio(10 * k, 10 * k + 3, prob=0.9, db=-25) + audio(10 * k + 3, 10 * k + 10)
    feed(pipe, (), a)
    pipe.finish()
    assert [x for x in seen if x[0] == "opened"] == [("opened", "talking", "warn"), ("opened", "talking", "warn"),
                                                      ("opened", "talking", "end")]
    assert [x[0] for x in seen] == ["opened", "closed"] * 3
    assert [p.action for p in pipe.actions] == ["warn", "warn", "end"]
    assert pipe.summary(30)["verdict"] == "terminated"


def test_a_lost_camera_is_a_gap_not_the_candidate_leaving():
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=5))
    feed(pipe, faces(0, 10))
    pipe.device_event(DeviceEvent(10.0, "camera", "lost", "camera stopped delivering"))
    feed(pipe, faces(10, 20, faces=0))       # whatever trickles in while lost is not judged
    pipe.device_event(DeviceEvent(20.0, "camera", "reconnected", "camera back"))
    feed(pipe, faces(20, 30))
    assert pipe.finish(30) == []
    s = pipe.summary(30)
    assert s["excluded"] == [[10.0, 20.0]] and s["compliant_fraction"] == 1.0 and s["verdict"] == "pass"


def test_a_lost_microphone_makes_mouthing_say_it_could_not_hear():
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=5))
    feed(pipe, faces(0, 6), audio(0, 6))
    pipe.device_event(DeviceEvent(6.0, "microphone", "lost", "microphone unplugged"))
    lips = faces(6, 12, mouth=lambda t: 0.02 + 0.12 * max(0.0, np.sin(2 * np.pi * 4 * t)))
    feed(pipe, lips)
    (inc,) = pipe.finish()
    assert inc.type == "mouthing" and inc.evidence["no_audio"] is True


def test_journal_gets_calibration_incidents_with_snapshots_warnings_and_device_events(tmp_path):
    journal = SessionJournal.create(tmp_path, {"kind": "exam", "profile": "standard"})
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=2), journal=journal)
    image = np.full((120, 160, 3), 128, np.uint8)
    for o in faces(0, 2) + faces(2, 6, faces=2) + faces(6, 8):
        pipe.process_face_observation(o, image)
    pipe.device_event(DeviceEvent(8.0, "camera", "lost", "gone"))
    pipe.finish(8.0)
    journal.finish({"duration_s": 8.0})
    with JournalReader(journal.path) as r:
        (stored,) = r.incidents()
        assert stored.incident.type == "multiple_faces" and stored.snapshot_jpeg[:2] == b"\xff\xd8"
        assert [w.action for w in r.warnings()] == ["end"]
        assert r.calibration()["source"] == "recording"
        assert [e.kind for e in r.device_events()] == ["lost"]
        assert len(r.face_rows()) >= 30


def test_process_frame_uses_the_face_analyser_and_keeps_to_analysis_fps():
    class FakeFace:
        calls = 0

        def analyse(self, image, t_s):
            FakeFace.calls += 1
            return faces(t_s, t_s + 0.01)[0]

    pipe = SessionPipeline(PipelineConfig(analysis_fps=10), face=FakeFace())
    img = np.zeros((48, 64, 3), np.uint8)
    results = [pipe.process_frame(Frame(i / 30, i, img)) for i in range(90)]
    analysed = [r for r in results if r.observation is not None]
    assert FakeFace.calls == len(analysed) == 30 and pipe.frames_skipped == 60
    assert all(r.calibrating for r in results)


def test_frames_already_paced_by_a_live_worker_are_not_lost_to_jitter():
    pipe = SessionPipeline(PipelineConfig(analysis_fps=15))
    jitter = [0.0, -0.004, 0.003, -0.006, 0.002]
    assert all(pipe.wants(k / 15 + jitter[k % 5]) for k in range(60))


def test_video_and_audio_workers_on_two_threads():
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=3))
    # while the candidate talks the lips cannot be judged (no lip measurement), so the voice is the candidate's
    # whichever thread runs ahead (seen still and closed it would be another voice, once the picture caught up)
    video = faces(0, 3) + faces(3, 7, yaw=35) + faces(7, 10) + faces(10, 14, mouth_none=True) + faces(14, 20)
    sound = audio(0, 10) + audio(10, 14, prob=0.95, db=-25) + audio(14, 20)
    errors = []

    def run(fn, items):
        try:
            for o in items:
                fn(o)
        except BaseException as exc:   # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(pipe.process_face_observation, video)),
               threading.Thread(target=run, args=(pipe.process_audio_observation, sound))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not errors
    assert sorted(i.type for i in pipe.finish(20)) == ["looking_away", "talking"]


def test_bad_threshold_override_is_refused_up_front():
    with pytest.raises(ThresholdError, match="'dwell'"):
        SessionPipeline(PipelineConfig(overrides={"dwell": 2}))


def test_an_incident_still_going_on_is_already_in_the_journal(tmp_path):
    # a crash while the candidate is still looking away must not lose the look: it is journaled when it opens
    journal = SessionJournal.create(tmp_path, {"kind": "exam", "profile": "standard"})
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=2), journal=journal)
    image = np.full((120, 160, 3), 128, np.uint8)
    for o in faces(0, 2) + faces(2, 8, yaw=40):
        pipe.process_face_observation(o, image)
    assert journal.flush()
    with JournalReader(journal.path) as r:
        (open_row,) = r.incidents()
    assert open_row.incident.type == "looking_away" and open_row.snapshot_jpeg[:2] == b"\xff\xd8"
    pipe.finish(9.0)
    journal.finish({"duration_s": 9.0})
    with JournalReader(journal.path) as r:
        (closed,) = r.incidents()
    assert closed.incident.end_s > open_row.incident.end_s and closed.snapshot_jpeg[:2] == b"\xff\xd8"


def test_once_calibrated_the_voice_analyser_skips_what_can_never_count_as_speech():
    from proctorprep.perception.voice import AudioAnalyser
    from proctorprep.sources.base import AudioBlock

    analyser = AudioAnalyser()
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=5, overrides={"speech_margin_db": 4.0}), audio=analyser)
    rng = np.random.default_rng(3)
    quiet = (rng.standard_normal(16000) * 10 ** (-60 / 20)).astype(np.float32)     # a room at -60 dBFS
    pipe.process_audio(AudioBlock(t_s=0.0, samples=quiet, rate=16000))
    assert analyser.vad_below_dbfs is None and analyser.vad_skipped == 0          # not calibrated: every chunk heard
    pipe.set_calibration(Calibration(noise_floor_dbfs=-60.0))
    pipe.process_audio(AudioBlock(t_s=1.0, samples=quiet, rate=16000))
    assert analyser.vad_below_dbfs == pytest.approx(-56.0)        # the calibrated floor + this profile's margin
    assert analyser.vad_skipped == 31 and analyser.vad_runs == 31
