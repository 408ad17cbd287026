"""The exam session with a fake clock: countdown, warnings, auto-submit, time per question, navigation, marks,
review filters, case-study locking, shuffling, quick rounds, events and the result."""

from __future__ import annotations

import json

import pytest

from proctorprep.exam import ExamSession, SessionError
from proctorprep.exam.bank import ORDER
from tests.test_exam_fixtures import FULL_MARKS, FakeClock, sample_bank

BANK = sample_bank()   # 30 minutes; s1 m1 y1 o1 x1 [cs1: c1 c2] s2


def make(**kw):
    clock = FakeClock()
    events: list[tuple[str, dict]] = []
    s = ExamSession(BANK, clock=clock, listener=lambda k, d: events.append((k, d)), **kw)
    return s, clock, events


def kinds(events):
    return [k for k, _ in events]


def test_countdown_warns_once_at_10_and_5_minutes_and_auto_submits_at_zero():
    s, clock, events = make()
    s.start()
    assert s.remaining_s() == 1800
    clock.advance(1199)
    assert s.tick() == []
    clock.advance(1)                           # exactly 10 minutes left
    assert s.tick() == ["time_warning"]
    assert s.tick() == []                      # once only
    clock.advance(300)
    assert s.tick() == ["time_warning"]
    warnings = [d for k, d in events if k == "time_warning"]
    assert [w["minutes_left"] for w in warnings] == [10, 5]
    assert warnings[0]["t_s"] == 1200 and warnings[1]["remaining_s"] == 300
    clock.advance(299.5)
    assert not s.finished and s.remaining_s() == pytest.approx(0.5)
    clock.advance(0.5)
    assert s.tick() == ["auto_submitted"]
    assert s.finished and s.result is not None and s.result.auto_submitted
    assert kinds(events)[-1] == "auto_submitted"
    assert s.remaining_s() == 0 and s.elapsed_s() == 1800


def test_a_clock_jump_past_both_marks_warns_once_with_the_more_urgent():
    s, clock, events = make()
    s.start()
    clock.advance(1600)
    assert s.tick() == ["time_warning"]
    assert [d["minutes_left"] for k, d in events if k == "time_warning"] == [5]
    clock.advance(10)
    assert s.tick() == []


def test_any_call_after_time_is_up_submits_first_and_the_late_answer_does_not_count():
    s, clock, events = make()
    s.start()
    assert s.answer("s1", "b")
    clock.advance(1801)
    assert s.answer("s2", "b") is False        # no tick in between: the call itself notices
    assert s.finished and s.result.auto_submitted
    row = {r.qid: r for r in s.result.rows}
    assert row["s1"].credit == 1 and row["s2"].response is None
    assert s.next() is False and s.mark("s1") is False
    assert s.submit() is s.result              # idempotent
    assert kinds(events).count("auto_submitted") == 1 and "submitted" not in kinds(events)


def test_the_clock_never_stops_while_reviewing():
    s, clock, _ = make()
    s.start()
    s.open_review()
    clock.advance(1800)
    assert s.tick() == ["auto_submitted"]


def test_time_spent_per_question_counts_each_visit_and_not_the_review_screen():
    s, clock, _ = make()
    s.start()                                  # on s1
    clock.advance(30)
    s.next()                                   # m1
    clock.advance(12)
    assert s.time_spent("m1") == 12            # the current visit counts live
    s.goto(0)                                  # back to s1
    clock.advance(5)
    s.open_review()
    clock.advance(100)                         # on the review screen: nobody's time
    s.goto(1)
    clock.advance(3)
    result = s.submit()
    spent = {r.qid: r.time_spent_s for r in result.rows}
    assert spent["s1"] == 35 and spent["m1"] == 15 and spent["y1"] == 0
    assert result.time_used_s == 150 and not result.auto_submitted


def test_time_on_the_last_question_stops_at_the_deadline():
    s, clock, _ = make()
    s.start()
    clock.advance(5000)
    s.tick()
    assert {r.qid: r.time_spent_s for r in s.result.rows}["s1"] == 1800


def test_navigation_next_prev_goto_and_bounds():
    s, clock, events = make()
    assert s.next() is False                    # not started yet
    s.start()
    assert s.index == 0 and s.prev() is False
    assert s.next() and s.index == 1
    assert s.goto(4) and s.current.question.id == "x1"
    assert s.goto(99) is False and s.goto(-1) is False and s.index == 4
    shown = [d["qid"] for k, d in events if k == "question_shown"]
    assert shown == ["s1", "m1", "x1"]
    assert s.current.number == 5 and s.current.total == len(s) == 8


def test_leaving_a_case_study_locks_it():
    s, clock, events = make()
    s.start()
    s.goto(5)                                  # c1, first question of the case study
    assert s.current.case.id == "cs1" and s.current.case.tabs[0].title == "Overview"
    assert s.would_lock(6) is None             # moving inside the case is free
    assert s.next() and s.current.question.id == "c2"
    assert s.answer("c2", "a")
    assert s.would_lock(7) == "cs1"            # the UI asks before this move
    assert s.next()
    assert ("section_locked", "cs1") in [(k, d.get("case_id")) for k, d in events]
    assert s.goto(5) is False and s.can_goto(6) is False
    assert s.answer("c1", "b") is False and s.mark("c2") is False
    assert s.view(5).locked and s.response("c2") == "a"   # the answer given before leaving is kept
    assert s.goto(0)                           # other questions stay open
    locked = [r.qid for r in s.review() if r.locked]
    assert locked == ["c1", "c2"]


def test_entering_a_case_study_from_outside_does_not_lock_anything():
    s, clock, _ = make()
    s.start()
    s.goto(3)
    assert s.would_lock(5) is None and s.goto(5)
    assert not s.view(6).locked


def test_marks_and_review_filters():
    s, clock, events = make()
    s.start()
    s.answer("s1", "a")                               # answered (wrong, still answered)
    s.answer("m1", ["a"])                             # incomplete: choose 2
    s.answer("y1", {"s1": True, "s2": False, "s3": True, "s4": False})
    s.mark("m1")
    s.mark("s2")
    s.mark("s2", False)
    s.mark("o1")
    ids = lambda which: [r.qid for r in s.review(which)]   # noqa: E731
    assert ids("all") == ["s1", "m1", "y1", "o1", "x1", "c1", "c2", "s2"]
    assert ids("answered") == ["s1", "y1"]
    assert ids("incomplete") == ["m1"]
    assert ids("unanswered") == ["m1", "o1", "x1", "c1", "c2", "s2"]
    assert ids("marked") == ["m1", "o1"]
    rows = s.open_review("marked")
    assert [r.number for r in rows] == [2, 4] and rows[0].status == "incomplete"
    assert [d for k, d in events if k == "review_shown"][0]["marked"] == 2
    assert [d["marked"] for k, d in events if k == "marked"] == [True, True, False, True]
    s.answer("s1", None)                              # clearing an answer
    assert "s1" in ids("unanswered")
    with pytest.raises(ValueError, match="unknown review filter"):
        s.review("flagged")


def test_unknown_question_ids_are_a_caller_error():
    s, _, _ = make()
    s.start()
    with pytest.raises(SessionError, match="nope"):
        s.answer("nope", "a")


def test_all_right_scores_1000_and_passes_and_the_report_is_per_skill():
    s, clock, _ = make()
    s.start()
    for qid, resp in FULL_MARKS.items():
        assert s.answer(qid, resp)
    r = s.submit()
    assert r.score == 1000 and r.passed and r.percent == 100 and r.answered == 8
    assert [(k.skill, k.possible, k.percent) for k in r.by_skill] == [("Networking", 4, 100.0), ("Storage", 4, 100.0)]


def test_nothing_answered_scores_1_and_fails():
    s, _, _ = make()
    r = s.submit()                                 # submitting a session never started starts it first
    assert r.score == 1 and not r.passed and r.answered == 0


def test_partial_result_mixes_item_credits_and_is_json_safe():
    s, clock, _ = make()
    s.start()
    s.answer("s1", "b")                            # 1
    s.answer("m1", ["a", "b"])                     # 1/2
    s.answer("y1", {"s1": True, "s2": False})      # 1/2
    s.answer("o1", ["b", "a", "c"])                # 1
    s.answer("x1", {"t1": "p22"})                  # 1/4
    s.answer("c1", "b")                            # 1
    s.answer("s2", "b")                            # 1 ; c2 unanswered
    r = s.submit()
    assert r.earned == pytest.approx(5.25) and r.possible == 8
    # 5.25/8 = 0.65625 < 0.7 -> 1 + 699 * 0.65625 / 0.7 = 656.3 -> 656
    assert r.score == 656 and not r.passed
    d = r.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["questions"][1]["credit"] == 0.5 and d["questions"][1]["correct_answer"] == ["a", "c"]
    assert "no penalty for guessing" in d["partial_credit_rule"]
    net = next(x for x in d["by_skill"] if x["skill"] == "Networking")
    assert net["earned"] == pytest.approx(1.75) and net["possible"] == 4    # s1 1 + y1 .5 + x1 .25 + c2 0


def test_shuffling_with_a_seed_is_repeatable_keeps_case_studies_together_and_keys_right():
    a = ExamSession(BANK, clock=FakeClock(), shuffle_seed=7)
    b = ExamSession(BANK, clock=FakeClock(), shuffle_seed=7)
    orders = {tuple(q.id for q in ExamSession(BANK, clock=FakeClock(), shuffle_seed=seed).questions)
              for seed in range(12)}
    assert [q.id for q in a.questions] == [q.id for q in b.questions]
    assert len(orders) > 1
    for order in orders:
        i = order.index("c1") if "c1" in order else None
        assert i is not None and {order[i - 1], order[i + 1]} & {"c2"}   # c1 and c2 adjacent
    shuffled_options = False
    for seed in range(12):
        s = ExamSession(BANK, clock=FakeClock(), shuffle_seed=seed)
        s.start()
        for i in range(len(s)):
            v = s.view(i)
            assert sorted(o.id for o in v.options) == sorted(v.question.option_ids())
            shuffled_options |= [o.id for o in v.options] != list(v.question.option_ids())
            s.answer(v.question.id, FULL_MARKS[v.question.id])
        assert s.submit().score == 1000
    assert shuffled_options


def test_a_build_list_is_never_presented_in_its_answer_order():
    for seed in [None, *range(20)]:
        s = ExamSession(BANK, clock=FakeClock(), shuffle_seed=seed)
        v = s.view([q.id for q in s.questions].index("o1"))
        assert v.question.type == ORDER
        assert [o.id for o in v.options][:3] != ["b", "a", "c"]


def test_quick_round_has_no_clock_and_a_handful_of_questions():
    clock = FakeClock()
    events = []
    s = ExamSession.quick_round(BANK, count=3, seed=1, clock=clock, listener=lambda k, d: events.append((k, d)))
    s.start()
    assert len(s) == 3 and s.remaining_s() is None and s.duration_s is None
    assert all(q.case_id is None for q in s.questions)
    clock.advance(10 * 3600)
    assert s.tick() == [] and not s.finished
    for q in s.questions:
        s.answer(q.id, FULL_MARKS[q.id])
    r = s.submit()
    assert r.mode == "quick" and r.score == 1000 and r.duration_s is None and len(r.rows) == 3
    assert events[0][0] == "started" and events[0][1]["mode"] == "quick"
    again = ExamSession.quick_round(BANK, count=3, seed=1)
    assert [q.id for q in again.questions] == [q.id for q in s.questions]
    assert len(ExamSession.quick_round(BANK, count=50, seed=2)) == 6   # all standalone questions at most


def test_short_exams_do_not_warn_at_the_start():
    s, clock, events = make(duration_s=240)
    s.start()
    assert s.tick() == []
    clock.advance(240)
    assert s.tick() == ["auto_submitted"]
    assert "time_warning" not in kinds(events)


def test_a_failing_listener_never_stops_the_exam():
    def broken(kind, data):
        raise OSError("disk full")

    s = ExamSession(BANK, clock=FakeClock(), listener=broken)
    s.start()
    assert s.answer("s1", "b")
    assert s.submit().earned == 1
    assert s.listener_errors and "disk full" in s.listener_errors[0]


def test_events_carry_seconds_since_start_for_the_journal():
    s, clock, events = make()
    s.start()
    clock.advance(12.5)
    s.answer("s1", "b")
    assert events[0] == ("started", {"t_s": 0.0, "exam_id": "sample", "exam_title": "Sample bank", "mode": "exam",
                                     "questions": 8, "duration_s": 1800.0, "seed": None, "breaks": False})
    assert events[-1] == ("answered", {"t_s": 12.5, "qid": "s1", "response": "b", "complete": True})


def test_a_chosen_subset_runs_in_the_given_order_and_unknown_ids_are_refused():
    s = ExamSession(BANK, clock=FakeClock(), question_ids=["s2", "s1"])
    assert [q.id for q in s.questions] == ["s2", "s1"]
    with pytest.raises(SessionError, match="'zz'"):
        ExamSession(BANK, clock=FakeClock(), question_ids=["s1", "zz"])
