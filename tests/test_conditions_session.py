"""Breaks in the exam model (the clock keeps running, seen questions lock), the bank flag, and the session layer's
exam conditions: the check-in's replay (left_before_start), a break through the live pipeline, the report's
"Exam conditions" section (and "not judged" for a recording)."""

from __future__ import annotations

import json

import pytest

from proctorprep.exam import ExamSession
from proctorprep.exam.validate import BankError
from proctorprep.rules import conditions as cd
from tests.test_exam_fixtures import FakeClock, sample_bank


def make(breaks: bool = True):
    clock = FakeClock()
    events: list[tuple[str, dict]] = []
    s = ExamSession(sample_bank(breaks=breaks), clock=clock, listener=lambda k, d: events.append((k, d)))
    return s, clock, events


def test_a_break_keeps_the_clock_running_and_locks_every_question_seen():
    s, clock, events = make()
    s.start()
    first = s.current.question.id
    s.next()
    second = s.current.question.id
    clock.advance(60)
    left = s.remaining_s()
    assert s.take_break() and s.on_break
    assert not s.take_break()                               # one at a time
    clock.advance(120)
    assert s.remaining_s() == pytest.approx(left - 120)    # the clock never stops
    assert not s.answer(first, "b") and not s.goto(0)
    assert s.end_break() and not s.on_break
    assert s.view(0).locked and s.view(1).locked and not s.view(2).locked
    assert s.index == 2                                      # on at the first question not seen yet
    started = dict(events)["break_started"]
    assert started["locked"] == sorted([first, second]) and started["locked_total"] == 2
    assert dict(events)["break_ended"]["break_s"] == 120.0 and dict(events)["break_ended"]["next"] == 3
    assert dict(events)["started"]["breaks"] is True
    # a second break locks only what was seen since
    s.take_break()
    assert dict(events[-1:])["break_started"]["locked"] == [s.questions[2].id]


def test_a_bank_without_breaks_refuses_one_and_says_so_at_the_start():
    s, _, events = make(breaks=False)
    s.start()
    assert not s.breaks_allowed and not s.take_break() and not s.on_break
    assert dict(events)["started"]["breaks"] is False


def test_time_running_out_during_a_break_submits_the_exam():
    s, clock, _ = make()
    s.start()
    s.take_break()
    clock.advance(s.duration_s + 1)
    assert s.finished and not s.on_break and s.result.auto_submitted


def test_the_bank_flag_is_checked_and_kept_by_the_native_format():
    from proctorprep.exam.formats.json_bank import bank_to_dict

    with pytest.raises(BankError, match="breaks"):
        sample_bank(breaks="yes")
    assert sample_bank(breaks=True).breaks and not sample_bank().breaks
    assert json.loads(json.dumps(bank_to_dict(sample_bank(breaks=True))))["breaks"] is True


def test_quick_rounds_never_offer_breaks():
    q = ExamSession.quick_round(sample_bank(breaks=True), count=2, seed=1)
    assert not q.breaks_allowed


# ------------------------------------------------------------------------------------------------ the session layer
def _journal_events(tmp_path, feed):
    """A live-like session journaled through the pipeline; `feed(pipeline)` plays it. Returns the report."""
    from proctorprep.journal.store import SessionJournal
    from proctorprep.report.model import build_report
    from proctorprep.rules.calibration import Calibration
    from proctorprep.session.pipeline import PipelineConfig, SessionPipeline

    journal = SessionJournal.create(tmp_path, {"kind": "exam", "profile": "standard"})
    pipe = SessionPipeline(PipelineConfig(), journal=journal, calibration=Calibration(source="dots"))
    end = feed(pipe, journal)
    pipe.finish(end)
    journal.finish(pipe.summary(end), status="complete")
    return build_report(journal.session_dir)


def test_the_report_says_how_often_and_how_long_the_exam_window_was_left_and_lists_the_breaks(tmp_path):
    from tests.fixtures.obs_streams import faces

    def feed(pipe, journal):
        journal.add_exam_event(0.0, "started", {"breaks": True})
        for e in [cd.ConditionEvent(0.0, cd.SCREENS, 1, {"names": ["Built-in (1366x768)"]}),
                  cd.ConditionEvent(0.0, cd.WINDOW, cd.ACTIVE), cd.ConditionEvent(0.1, cd.PHASE, cd.EXAM),
                  cd.ConditionEvent(10.0, cd.WINDOW, cd.INACTIVE), cd.ConditionEvent(14.0, cd.WINDOW, cd.ACTIVE),
                  cd.ConditionEvent(20.0, cd.WINDOW, cd.MINIMISED), cd.ConditionEvent(40.0, cd.WINDOW, cd.ACTIVE)]:
            pipe.process_event(e)
        journal.add_exam_event(50.0, "break_started", {"locked": ["q1", "q2", "q3"]})
        pipe.process_event(cd.ConditionEvent(50.0, cd.PHASE, cd.BREAK))
        pipe.process_event(cd.ConditionEvent(55.0, cd.WINDOW, cd.MINIMISED))     # during the break: fine
        pipe.process_event(cd.ConditionEvent(100.0, cd.WINDOW, cd.ACTIVE))
        journal.add_exam_event(110.0, "break_ended", {"break_s": 60.0})
        pipe.process_event(cd.ConditionEvent(110.0, cd.PHASE, cd.EXAM))
        for o in faces(0, 120, fps=2):
            pipe.process_face_observation(o)
        return 120.0

    report = _journal_events(tmp_path, feed)
    c = report.conditions
    assert c.judged and c.screens_at_check_in == 1 and c.window_exits == 2
    assert (c.window_away_s, c.window_longest_s) == (24.0, 20.0)
    assert [(b.start_s, b.end_s, b.locked) for b in c.breaks] == [(50.0, 110.0, 3)]
    lines = c.lines()
    assert "You left the exam window 2 times, 24 s in all (the longest 20 s)." in lines
    assert any(line.startswith("Break at 0:50 for 1:00 (the clock kept running); 3 questions") for line in lines)
    (inc,) = [i for i in report.incidents if i.type == "left_exam_window"]        # the 20 s one
    assert inc.start_s == 20.0 and "for 20 s" in inc.explanation
    from proctorprep.report.json_report import report_to_json

    doc = report_to_json(report)
    assert doc["conditions"]["window"] == {"exits": 2, "away_s": 24.0, "longest_s": 20.0}
    assert doc["conditions"]["breaks"]["taken"][0]["locked"] == 3
    from importlib import resources

    import jsonschema

    schema = json.loads((resources.files("proctorprep") / "schema" / "report.schema.json").read_text())
    jsonschema.validate(json.loads(json.dumps(doc)), schema)
    from proctorprep.report.html import render_html

    html = render_html(report)
    assert "Exam conditions" in html and "You left the exam window 2 times" in html


def test_a_recording_says_which_rules_were_not_judged(tmp_path):
    from tests.fixtures.obs_streams import faces

    def feed(pipe, journal):
        for o in faces(0, 30, fps=2):
            pipe.process_face_observation(o)
        return 30.0

    c = _journal_events(tmp_path, feed).conditions
    assert not c.judged and set(c.not_judged) == {"second_screen", "left_exam_window", "left_before_start"}
    assert c.lines()[0].startswith("Not judged in this session: second screen connected, left the exam window")


def test_the_check_in_replay_judges_leaving_before_the_first_question(tmp_path):
    """LiveSession: frames collected after the check-in and before the first question are replayed with the phase,
    so leaving the view then is left_before_start (and ends the exam under the standard profile)."""
    from proctorprep.session.live import LiveSession, SessionSetup
    from proctorprep.settings import Settings
    from tests.fixtures.obs_streams import face

    live = LiveSession(SessionSetup(bank_ref="cloud-fundamentals"), Settings(), tmp_path)
    from proctorprep.rules.calibration import Calibration
    from proctorprep.session.pipeline import PipelineConfig, SessionPipeline

    live.checked_in_at = 5.0
    for k in range(100):              # 5..15 s: in view, then gone 9-10.5 s, back
        t = 5.0 + 0.1 * k
        live.collector.add_face(face(t, faces=0 if 9.0 <= t < 10.5 else 1))
    live.condition(cd.ConditionEvent(5.5, cd.SCREENS, 1))
    live.pipeline = SessionPipeline(PipelineConfig(), calibration=Calibration(source="dots"))
    live.exam_t0 = 15.0
    actions = live.replay_check_in()
    live.pipeline.finish(16.0)
    (inc,) = [i for i in live.pipeline.incidents() if i.type == "left_before_start"]
    assert inc.start_s == pytest.approx(9.0) and inc.end_s == pytest.approx(10.5, abs=0.15)
    assert [a.action for a in actions] == ["end"]                 # the greeter's rule: standard ends the exam
    assert not [i for i in live.pipeline.incidents() if i.type == "face_missing"]
