"""The live session without Qt (session/live.py, session/proctor.py) and the one session record (journal/record.py):
issue 14's bugs 1-3 (each failed on the code before the record), a live session -> report round trip, bad threshold
overrides (issue 15 item 9), the proctor's end and practice mode (issue 17 item 2), journals written before the
record."""

from __future__ import annotations

import pytest

from proctorprep.journal.record import SessionKind, SessionRecord, open_journal, read_record, record_from_meta
from proctorprep.journal.store import JournalReader, SessionJournal
from proctorprep.report.model import build_report
from proctorprep.rules.calibration import CalibrationBuilder, from_dot_calibration
from proctorprep.rules.policy import PolicyAction
from proctorprep.rules.thresholds import thresholds_for
from proctorprep.session.live import LiveSession, SessionSetup
from proctorprep.session.proctor import ExamState
from proctorprep.settings import Settings
from tests.fixtures.obs_streams import faces
from tests.test_exam_fixtures import sample_bank

# where the eyes go at each calibration dot: (gaze_x, gaze_y); the head stays still
DOTS = {"centre": (0.0, 0.0), "top_left": (0.2, 0.12), "top_right": (-0.2, 0.12),
        "bottom_left": (0.2, -0.15), "bottom_right": (-0.2, -0.15)}


def _calibrate(live: LiveSession) -> None:
    """The dot step as the GUI runs it: a mark when each dot shows, 2 s of face observations looking at it."""
    live.begin_calibration()
    for k, (name, (gx, gy)) in enumerate(DOTS.items()):
        live.collector.mark(2.0 * k, name)
        for o in faces(2.0 * k, 2.0 * k + 2.0, gx=gx, gy=gy):
            live.collector.add_face(o)
    live.build_calibration()


def _live(tmp_path, overrides=None, name="Ada Lovelace", profile="standard", **setup) -> LiveSession:
    st = Settings(candidate_name=name, threshold_overrides={profile: overrides} if overrides else {})
    return LiveSession(SessionSetup(profile=profile, **setup), st, tmp_path / "sessions")


def _run_exam(live: LiveSession, body=None):
    bank = sample_bank()
    live.start_exam(bank, live.open_parts(bank, face=None, audio=None, has_audio=False))
    if body is not None:
        body(live)
    path = live.finisher("submitted")()
    return build_report(path)


def test_bug1_a_live_exam_reports_the_thresholds_it_ran_with(tmp_path):
    # the exam journaled settings["overrides"], the report read settings["threshold_overrides"]: it said 2.0
    live = _live(tmp_path, {"away_dwell_s": 3.5})
    _calibrate(live)
    report = _run_exam(live)
    assert report.thresholds["away_dwell_s"] == 3.5
    assert live.pipeline.thresholds.away_dwell_s == 3.5          # and the rules used the same value


def test_bug2_the_candidate_name_is_journaled_and_reported(tmp_path):
    live = _live(tmp_path, name="  Grace Hopper ")
    report = _run_exam(live)
    assert report.candidate == "Grace Hopper"
    from proctorprep.report.json_report import report_to_json

    assert report_to_json(report)["session"]["candidate"] == "Grace Hopper"


def test_bug3_the_dot_calibration_is_fitted_with_the_overridden_gaze_gains(tmp_path):
    live = _live(tmp_path, {"gaze_gain_x_deg": 30.0, "gaze_gain_y_deg": 25.0})
    _calibrate(live)
    points = {n: faces(2.0 * k + 0.4, 2.0 * k + 2.0, gx=gx, gy=gy) for k, (n, (gx, gy)) in enumerate(DOTS.items())}

    def ranges(cal):
        return cal.range_x_deg, cal.range_up_deg, cal.range_down_deg

    assert ranges(live.calibration) == pytest.approx(ranges(from_dot_calibration(points, (), 30.0, 25.0)))
    assert ranges(live.calibration) != pytest.approx(ranges(from_dot_calibration(points, (), 60.0, 60.0)))
    assert live.calibration.range_x_deg == pytest.approx(30.0 * 0.2 + 2.0, abs=0.5)


def test_a_video_file_calibrates_from_its_first_seconds_with_the_overridden_gains(tmp_path):
    live = _live(tmp_path, {"gaze_gain_x_deg": 30.0}, video_file="clip.mp4")
    live.begin_calibration()
    obs = faces(0, 5, gx=0.05)
    for o in obs:
        live.collector.add_face(o)
    b = CalibrationBuilder(30.0, 60.0)
    b.extend(obs, ())
    assert live.build_calibration() == b.build()


def test_a_live_session_round_trips_thresholds_candidate_and_calibration_into_the_report(tmp_path):
    live = _live(tmp_path, {"away_dwell_s": 3.5, "gaze_gain_x_deg": 40.0}, name="Alan Turing")
    _calibrate(live)

    def exam(lv: LiveSession) -> None:
        t0 = lv.clock.now()
        for o in faces(t0, t0 + 3.0):
            lv.pipeline.process_face_observation(o)

    report = _run_exam(live, exam)
    expected = thresholds_for("standard", {"away_dwell_s": 3.5, "gaze_gain_x_deg": 40.0}).to_dict()
    assert report.thresholds == expected
    assert report.candidate == "Alan Turing"
    assert report.calibration == live.calibration.to_dict() and report.calibration["source"] == "dots"
    assert report.kind == "exam" and report.exam_title == sample_bank().title
    with JournalReader(live.journal.path) as r:
        record = read_record(r)
    assert record.kind is SessionKind.EXAM and record.overrides == {"away_dwell_s": 3.5, "gaze_gain_x_deg": 40.0}
    assert record.settings["calibration"] == "dots" and record.threshold_notes == ()


def test_a_bad_override_is_replaced_by_its_default_and_said_never_a_failed_start(tmp_path):
    # issue 15 item 9: the GUI printed a traceback, "The exam could not start" and left an empty "pass" session
    live = _live(tmp_path, {"speech_prob": 5, "away_dwell_s": 3.0, "no_such": 1})
    report = _run_exam(live)
    assert report.thresholds["speech_prob"] == 0.5 and report.thresholds["away_dwell_s"] == 3.0
    assert len(report.threshold_notes) == 2
    assert any("'speech_prob': expected 0.05 to 0.99, got 5; the standard default 0.5 is used" in n
               for n in report.threshold_notes)
    assert live.threshold_notes == report.threshold_notes      # what the GUI's banner says


def test_journals_written_before_the_record_still_open(tmp_path):
    # the meta a live exam wrote before the record: overrides under settings, no thresholds, no candidate
    j = SessionJournal.create(tmp_path, {"kind": "exam", "exam_id": "x", "exam_title": "Old exam", "profile": "strict",
                                         "source": {"video": "camera 0"},
                                         "settings": {"live_warnings": True, "overrides": {"away_dwell_s": 4.0}}})
    j.finish({"duration_s": 1.0})
    with JournalReader(j.path) as r:
        rec = read_record(r)
    assert rec.version == 1 and rec.kind is SessionKind.EXAM and rec.exam_title == "Old exam"
    assert rec.thresholds == thresholds_for("strict", {"away_dwell_s": 4.0}).to_dict() and rec.candidate_name == ""
    odd = record_from_meta({"kind": "from-the-future", "profile": "paranoid",
                            "settings": {"threshold_overrides": {"standard": {"speech_prob": 9}}}})
    assert odd.kind is SessionKind.EXAM and odd.profile == "standard"
    assert odd.thresholds == thresholds_for("standard").to_dict()       # a bad stored override: the defaults


def test_every_session_kind_writes_the_same_record(tmp_path):
    rec = SessionRecord.new(SessionKind.QUICK, "standard", exam_id="q", exam_title="Quick", candidate_name="Kim")
    j = open_journal(tmp_path, rec)
    j.finish({})
    with JournalReader(j.path) as r:
        back = read_record(r)
    assert (back.kind, back.exam_id, back.candidate_name, back.version) == (SessionKind.QUICK, "q", "Kim", 2)
    assert back.thresholds == thresholds_for("standard").to_dict() and back.session_id == j.session_id


def _clock_at(live: LiveSession, t_s: float) -> None:
    """Move the session clock to t_s (the observations above are fed faster than real time)."""
    live.clock.t0 -= t_s - live.clock.now()


def _end(t: float, kind: str = "multiple_faces") -> PolicyAction:
    return PolicyAction(t, kind, "end", "The exam would end here: another person in view ends the exam at once.",
                        1, 1, rule="another person in view ends the exam at once")


def test_the_proctors_end_is_journaled_and_practice_goes_on_with_incidents_marked_after_the_end(tmp_path):
    from proctorprep.rules.incidents import Incident

    live = _live(tmp_path)
    _calibrate(live)

    def exam(lv: LiveSession) -> None:
        t0 = lv.clock.now()
        p = lv.pipeline
        for o in faces(t0, t0 + 2.0) + faces(t0 + 2.0, t0 + 4.0, faces=2) + faces(t0 + 4.0, t0 + 6.0):
            p.process_face_observation(o)
        (end,) = [a for a in p.actions if a.action == "end"]
        w = lv.on_action(end)
        assert w.action == "end" and w.end.rule_sentence == "Another person in view ends the exam at once."
        assert lv.state is ExamState.ENDED and not lv.desk.may_answer
        assert lv.on_action(_end(99.0)) is None                   # an end already decided stays decided
        assert lv.continue_in_practice() and lv.state is ExamState.PRACTICE and lv.desk.may_answer
        for o in faces(t0 + 6.0, t0 + 10.0, faces=0) + faces(t0 + 10.0, t0 + 11.0):    # leaves after the end
            p.process_face_observation(o)
        assert lv.exam.answer("s1", "b")                             # scoring goes on

    report = _run_exam(live, exam)
    rows = {r.type: r for r in report.incidents}
    assert not rows["multiple_faces"].after_end and rows["face_missing"].after_end
    assert report.proctor_end is not None and report.proctor_end.incident_type == "multiple_faces"
    assert report.practice_after_end and report.verdict == "terminated"
    assert report.end_note.startswith("The proctor ended the exam at") and "practice mode" in report.end_note
    from proctorprep.report.html import render_html
    from proctorprep.report.pdf import render_pdf_bytes

    html = render_html(report)
    assert report.end_note.replace('"', "&#34;") in html and "after the end (practice)" in html
    assert render_pdf_bytes(report).startswith(b"%PDF")
    from proctorprep.report.json_report import report_to_json

    doc = report_to_json(report)
    assert doc["proctor_end"]["type"] == "multiple_faces" and doc["proctor_end"]["practice_after"] is True
    assert [i.get("after_end", False) for i in doc["incidents"]] == [r.after_end for r in report.incidents]
    assert report.exam is not None and report.exam.score is not None
    with JournalReader(live.journal.path) as r:
        stored = {s.incident.type: s.incident for s in r.incidents()}
        kinds = [e.kind for e in r.exam_events()]
    assert stored["face_missing"].evidence["after_end"] is True and "after_end" not in stored["multiple_faces"].evidence
    assert kinds.count("ended_by_proctor") == 1 and "practice_continued" in kinds
    assert isinstance(Incident.from_dict(stored["face_missing"].to_dict()), Incident)


def test_a_strict_pause_waits_for_the_acknowledgement_before_anything_else(tmp_path):
    live = _live(tmp_path, profile="strict")
    _calibrate(live)
    seen = []

    def exam(lv: LiveSession) -> None:
        t0 = lv.clock.now()
        p = lv.pipeline
        for o in faces(t0, t0 + 1) + faces(t0 + 1, t0 + 4, yaw=45) + faces(t0 + 4, t0 + 6):
            p.process_face_observation(o)
        seen.extend(w.action for a in p.actions if (w := lv.on_action(a)))
        assert lv.state is ExamState.PAUSED
        # behind the pause screen: looking away again, even another person, draws nothing and counts for nothing
        for o in faces(t0 + 6, t0 + 9, yaw=45) + faces(t0 + 9, t0 + 12, faces=2) + faces(t0 + 12, t0 + 14):
            p.process_face_observation(o)
        assert [a.action for a in p.actions] == ["pause"]
        _clock_at(lv, t0 + 14)
        assert lv.acknowledge() and lv.state is ExamState.RUNNING
        for o in faces(t0 + 14, t0 + 17, yaw=45) + faces(t0 + 17, t0 + 19):
            p.process_face_observation(o)
        seen.extend(w.action for a in p.actions[1:] if (w := lv.on_action(a)))

    report = _run_exam(live, exam)
    assert seen == ["pause", "end"]
    assert [w["action"] for w in report.summary["warnings"]] == ["pause", "end"]      # the report agrees


def test_an_exam_that_cannot_start_leaves_no_session_in_the_history(tmp_path, monkeypatch):
    from proctorprep.journal.history import list_sessions
    from proctorprep.session import pipeline as pipeline_mod

    def broken(*_a, **_kw):
        raise RuntimeError("the face model could not be loaded")

    monkeypatch.setattr(pipeline_mod, "SessionPipeline", broken)
    live = _live(tmp_path)
    with pytest.raises(RuntimeError, match="face model"):
        live.open_parts(sample_bank(), face=None, audio=None, has_audio=False)
    assert list_sessions(tmp_path / "sessions") == []

