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
