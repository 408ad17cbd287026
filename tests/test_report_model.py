"""The report model: built from the journal alone, with the right numbers, thresholds, markers and gaps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from proctorprep.journal.store import JournalReader, SessionJournal
from proctorprep.report.demo import DEMO_START, QUESTIONS, demo_duration_s, demo_incidents, write_demo_session
from proctorprep.report.model import build_report, reduce_series
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.incident_types import type_keys
from proctorprep.rules.incidents import Incident
from proctorprep.rules.policy import summarize
from proctorprep.rules.thresholds import thresholds_for


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("model") / "sessions"
    write_demo_session(root, duration_s=60.0, fps=5.0, snapshots=False, start=DEMO_START - timedelta(days=3),
                       score=650)
    return write_demo_session(root, fps=5.0)


def test_every_incident_type_with_question_and_advice(demo):
    report = build_report(demo)
    assert {r.type for r in report.incidents} == set(type_keys())
    assert len(report.incidents) == len(demo_incidents())
    first = report.incidents[0]
    assert first.label == "Looking away (to your left)" and first.question == "Q1"
    assert first.explanation.startswith("Head and eyes turned 34°") and "eyes on the exam window" in first.advice
    assert all(r.snapshot_jpeg and r.snapshot_jpeg[:2] == b"\xff\xd8" for r in report.incidents)
    assert [m.label for m in report.questions] == [f"Q{i}" for i in range(1, QUESTIONS + 1)]


def test_device_gap_is_marked_and_its_incident_not_counted(demo):
    report = build_report(demo)
    assert [(g.start_s, g.end_s, g.device) for g in report.gaps] == [(200.0, 215.0, "camera")]
    excluded = [r for r in report.incidents if r.excluded]
    assert [(r.type, r.start_s) for r in excluded] == [("face_missing", 205.0)]
    assert report.summary["by_type"]["face_missing"]["count"] == 1      # only the one outside the gap


def test_verdict_and_compliant_fraction_come_from_the_policy(demo):
    report = build_report(demo)
    with JournalReader(demo) as r:
        # the demo grows with the registered types (one example each after the scripted ones)
        expected = summarize([s.incident for s in r.incidents()], demo_duration_s(), "standard",
                             excluded=[(200.0, 215.0)])
    assert report.summary == expected
    assert report.verdict == expected["verdict"] and report.compliant_fraction == expected["compliant_fraction"]
    assert [w.incident_type for w in report.warnings][:2] == ["looking_away", "mouthing"]


def test_plot_thresholds_come_from_calibration_and_profile(demo):
    report = build_report(demo)
    plots = {p.key: p for p in report.plots}
    assert set(plots) == {"sideways", "updown", "mouth", "level", "speech"}
    cal, th = Calibration.from_dict(report.calibration), thresholds_for("standard")
    side = [t.value for t in plots["sideways"].thresholds]
    assert side == [pytest.approx(cal.range_x_deg + th.away_margin_deg),
                    pytest.approx(-(cal.range_x_deg + th.away_margin_deg))]
    assert plots["speech"].thresholds[0].value == th.speech_prob
    assert plots["level"].thresholds[0].value == pytest.approx(cal.noise_floor_dbfs + th.speech_margin_db)
    # the look to the left (31-36.5 s) crosses the line, and the camera gap breaks the line (None)
    sideways = plots["sideways"].series[0]
    peak = max(v for t, v in zip(sideways.t, sideways.values) if v is not None and 31 <= t <= 36.5)
    assert peak > side[0]
    # (the break sits at the gap's end, give or take one reduced point: the points move with the demo's length)
    assert any(v is None and 199 <= t <= 216 for t, v in zip(sideways.t, sideways.values))


def test_exam_result_and_history_comparison(demo):
    report = build_report(demo)
    assert report.exam is not None and report.exam.score == 742 and report.exam.passed is True
    assert [s.skill for s in report.exam.skills][0] == "Cloud concepts"
    assert [q.result for q in report.exam.questions][:2] == ["correct", "wrong"]
    assert report.exam.questions[-1].result == "unanswered"
    assert [h.score for h in report.history] == [650, 742] and report.history[-1].current
    assert build_report(demo, compare=False).history == ()


def test_strict_profile_and_overrides_stored_in_the_session_change_the_lines(tmp_path):
    j = SessionJournal.create(tmp_path, {"kind": "analysis", "profile": "strict",
                                         "settings": {"threshold_overrides": {"strict": {"speech_prob": 0.8}}}})
    from proctorprep.perception.observations import AudioObservation

    for k in range(50):
        j.add_audio(AudioObservation(k * 0.032, 0.032, -50.0, -45.0, -60.0, 0.2))
    j.add_incident(Incident("talking", 0.2, 1.4))
    j.finish({"duration_s": 1.6})
    report = build_report(j.session_dir)
    assert report.title == "Recording analysis" and report.exam is None
    assert {p.key: p for p in report.plots}["speech"].thresholds[0].value == 0.8
    assert report.thresholds["away_margin_deg"] == thresholds_for("strict").away_margin_deg
    # no live proctor in an analysis: the warnings are the ones the policy would have given
    assert [w.incident_type for w in report.warnings] == ["talking"]


def test_long_series_are_thinned_but_keep_spikes_and_gaps():
    t = [i * 0.2 for i in range(20000)]
    v = [0.0] * 20000
    v[12345] = 50.0
    v[500:520] = [None] * 20
    rt, rv = reduce_series(t, v, max_points=900)
    assert len(rt) <= 1400
    assert max(x for x in rv if x is not None) == 50.0
    assert None in rv


def test_an_empty_interrupted_session_still_has_a_report(tmp_path):
    from proctorprep.journal.recovery import finish_interrupted
    from proctorprep.report.html import render_html
    from proctorprep.report.pdf import render_pdf_bytes

    j = SessionJournal.create(tmp_path, {"kind": "quick"})
    assert j.flush()
    j.close()
    assert finish_interrupted(j.session_dir).status == "recovered"
    report = build_report(j.session_dir)
    assert report.status == "recovered" and report.plots == () and report.incidents == ()
    assert report.verdict == "pass" and report.compliant_fraction == 1.0
    assert "interrupted" in render_html(report) and render_pdf_bytes(report).startswith(b"%PDF")


def test_odd_journal_contents_are_tolerated_and_explained(tmp_path):
    from proctorprep.report.html import render_html

    j = SessionJournal.create(tmp_path, {"kind": "exam", "exam_title": None, "profile": "from-a-newer-version"})
    j.add_incident(Incident("phone_visible", 1.0, 2.0))          # a type this version does not know
    j.set_calibration({"yaw_deg": "abc"})
    j.set_exam_result({"score": "x", "by_skill": {"Networking": 0.5}, "questions": [1, {"prompt": "p"}]})
    j.finish()
    report = build_report(j.session_dir)
    assert report.profile == "standard"
    assert "unusable" in report.calibration_text and "yaw_deg" in report.calibration_text
    assert report.exam.score is None and report.exam.skills[0].percent == 50.0
    assert [q.text for q in report.exam.questions] == ["p"]
    assert report.incidents[0].label == "Phone visible"
    assert "Phone visible" in render_html(report)


def test_a_lost_microphone_does_not_hide_what_the_camera_saw(tmp_path):
    # Without a microphone talking cannot be heard, but the picture is still judged: a look away during a microphone
    # gap counts; the same look during a camera gap does not.
    from proctorprep.journal.history import session_info
    from proctorprep.sources.base import DeviceEvent

    def session(device: str):
        j = SessionJournal.create(tmp_path / device, {"kind": "analysis", "profile": "standard"})
        j.add_device_event(DeviceEvent(10.0, device, "lost", f"{device} lost"))
        j.add_incident(Incident("looking_away", 12.0, 16.0, direction="left"))
        j.add_device_event(DeviceEvent(20.0, device, "reconnected", f"{device} back"))
        j.finish({"duration_s": 60.0})
        return j.session_dir

    mic, cam = session("microphone"), session("camera")
    assert build_report(mic).summary["by_type"]["looking_away"]["count"] == 1
    assert not build_report(mic).incidents[0].excluded
    assert session_info(mic).incidents == {"looking_away": 1}
    assert build_report(cam).summary["by_type"].get("looking_away", {}).get("count", 0) == 0
    assert build_report(cam).incidents[0].excluded
    assert session_info(cam).incidents == {}


def test_a_question_read_aloud_is_named_by_its_number_not_its_bank_id(demo):
    """The detector knows the bank id (q8); the candidate saw "Q8" — the report (and the Results page) say that."""
    report = build_report(demo)
    row = next(r for r in report.incidents if r.type == "reading_aloud")
    qid = row.evidence["question_id"]
    number = next(m.label for m in report.questions if m.question_id == qid)
    assert row.explanation.startswith(f"You read question {number} aloud")
    assert f"question {qid} " not in row.explanation
