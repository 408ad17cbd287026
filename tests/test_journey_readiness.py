"""The "ready to book" rule on scripted histories, practice plans after a failed exam, and the iCalendar export read
back by the same library. The proctor's verdict is injected (a session passes when it has no incident of 2 s or
more), as in the badge tests, so these pin the readiness logic alone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from proctorprep.progress import plan as pl
from proctorprep.progress import readiness as rd
from proctorprep.progress.journey import Certification, Exam, Journey, JourneyError, SkillBar
from proctorprep.progress.summary import SessionSummary
from proctorprep.rules.incidents import Incident

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
EXAM = Exam(id="az-104", code="AZ-104", status="booked", bank_id="az104")


def judge(incidents, duration_s, profile, excluded):
    return "pass" if not [i for i in incidents if i.duration_s >= 2.0] else "warned"


def s(n: int, score: int | None = None, *incs: Incident, kind: str = "exam", bank: str = "az104",
      status: str = "complete") -> SessionSummary:
    return SessionSummary(f"s{n}", kind, T0 + timedelta(days=n), 1800.0, status, tuple(incs), (),
                          bank if kind in ("exam", "quick") else None, "AZ-104 practice", score,
                          None if score is None else score >= 700)


def away(start: float = 10.0, length: float = 4.0) -> Incident:
    return Incident("looking_away", start, start + length)


def ready(history) -> rd.Readiness:
    return rd.readiness(EXAM, history, "AZ-104 practice", verdict_fn=judge)


def test_three_clean_passing_mocks_with_margin_are_ready_to_book_with_the_reasons():
    r = ready([s(1, 760), s(2, 790), s(3, 820)])
    assert r.ready and r.headline == "Ready to book."
    assert [c.ok for c in r.checks] == [True, True, True]
    assert r.checks[0].reason == "Your last 3 mock exams on AZ-104 practice scored 760, 790, 820 (average 790)."
    assert r.trend_per_exam == pytest.approx(30.0)
    assert r.lines()[-1] == "Score trend: rising, +30 points per exam over your last 3 mock exams."


@pytest.mark.parametrize("history, failing, words", [
    ([], ["scores", "proctoring", "habits"], "No full mock exam on AZ-104 practice yet: take 3."),
    ([s(1, 800), s(2, 810)], ["scores", "proctoring"], "2 full mock exams on AZ-104 practice so far (800, 810): take 1 more."),
    ([s(1, 800), s(2, 650), s(3, 810)], ["scores"], "scored 800, 650, 810: 1 was below 700."),
    ([s(1, 700), s(2, 720), s(3, 740)], ["scores"], "(average 720): all passed, but aim for an average of 750."),
    ([s(1, 800), s(2, 800, away()), s(3, 800), s(4, 800)], ["proctoring"], "2 of 3 clean proctored sessions in a "
                                                                            "row (the one before was warned)"),
    # short glances (under the proctor's 2 s) pass the proctor but, in 2 of the last 3, are still a habit
    ([s(1, 800, away(10, 1)), s(2, 800), s(3, 800, away(50, 1))], ["habits"],
     "Still to work on: keeping your eyes on the screen (flagged in 2 of your last 3)."),
])
def test_what_is_missing_is_said_check_by_check(history, failing, words):
    r = ready(history)
    assert not r.ready
    assert [c.name for c in r.checks if not c.ok] == failing
    assert any(words in c.reason for c in r.checks), [c.reason for c in r.checks]
    assert r.headline == f"Not ready to book yet ({', '.join(failing)})."


def test_only_the_matching_bank_counts_for_scores_but_every_proctored_session_for_etiquette():
    other = [s(i, 990, bank="other-bank") for i in range(1, 4)]
    r = ready(other + [s(10, 800), s(11, 800), s(12, 800)])
    assert r.scores == (800, 800, 800) and r.ready
    r2 = ready([s(1, 800), s(2, 800), s(3, 800), s(4, 990, away(), bank="other-bank")])
    assert [c.name for c in r2.checks if not c.ok] == ["proctoring"]


def test_interrupted_sessions_and_quick_rounds_do_not_count_towards_readiness():
    history = [s(1, 800), s(2, 800), s(3, 800, status="interrupted"), s(4, 999, kind="quick")]
    r = ready(history)
    assert r.scores == (800, 800) and not r.checks[0].ok


def test_a_falling_trend_is_said_even_when_ready():
    r = ready([s(1, 900), s(2, 850), s(3, 800)])
    assert r.ready and "falling, -50 points per exam" in r.lines()[-1]


def test_an_exam_without_a_bank_cannot_judge_scores():
    r = rd.readiness(Exam(id="x", code="X-1"), [s(1, 800)], verdict_fn=judge)
    assert r.checks[0].reason == "No practice bank linked to this exam: link one to judge your scores."


# ------------------------------------------------------------------------------------------------ plans

BANK_SKILLS = ("Manage identities and governance", "Implement and manage storage", "Deploy compute resources",
               "Monitor and maintain resources")
COUNTS = {"Manage identities and governance": 12, "Implement and manage storage": 2, "Deploy compute resources": 9,
          "Monitor and maintain resources": 7}
FAILED = Exam(id="az-104", code="AZ-104", status="failed", score=640, bank_id="az104", skills=(
    SkillBar("Manage Azure identities and governance", 45), SkillBar("Implement and manage storage", 58),
    SkillBar("Deploy and manage Azure compute resources", 72), SkillBar("Configure virtual networking", 50),
    SkillBar("Monitor and maintain Azure resources", 81)))


def test_a_failed_exam_gets_rounds_on_its_weakest_skills_then_a_mock():
    plan = pl.make_plan(FAILED, "az104", BANK_SKILLS, COUNTS, today=date(2026, 12, 1))
    # the three lowest bars under 70 %, weakest first; networking has no questions in the bank and says so
    assert plan.weak_skills == ("Manage Azure identities and governance", "Configure virtual networking",
                                "Implement and manage storage")
    assert plan.unmatched == ("Configure virtual networking",)
    assert [(r.kind, r.skill, r.questions) for r in plan.rounds] == [
        ("quick", "Manage identities and governance", 5), ("quick", "Manage identities and governance", 5),
        ("quick", "Implement and manage storage", 2), ("quick", "Implement and manage storage", 2),
        ("mock", None, 30)]


def test_named_weak_skills_win_over_the_bars_and_a_passed_exam_gets_no_plan():
    plan = pl.make_plan(FAILED, "az104", BANK_SKILLS, COUNTS, weak=["deploy compute"], today=date(2026, 12, 1))
    assert [r.skill for r in plan.rounds] == ["Deploy compute resources"] * 2 + [None]
    with pytest.raises(JourneyError, match="after a failed exam"):
        pl.make_plan(Exam(id="p", code="P", status="passed"), "az104", BANK_SKILLS, COUNTS)
    with pytest.raises(JourneyError, match="has no questions on"):
        pl.make_plan(FAILED, "az104", BANK_SKILLS, COUNTS, weak=["Configure virtual networking"])


def test_plan_progress_counts_rounds_on_the_skill_taken_after_the_plan_each_once():
    plan = pl.make_plan(FAILED, "az104", BANK_SKILLS, COUNTS, today=date(2026, 12, 1))
    ident = "Manage identities and governance"
    before = pl.Done(datetime(2026, 11, 30, tzinfo=timezone.utc), "quick", {ident: 5})
    on_skill = pl.Done(datetime(2026, 12, 2, tzinfo=timezone.utc), "quick", {ident: 4, "Deploy compute resources": 1})
    off_skill = pl.Done(datetime(2026, 12, 3, tzinfo=timezone.utc), "quick", {"Deploy compute resources": 5})
    storage = pl.Done(datetime(2026, 12, 4, tzinfo=timezone.utc), "quick", {"Implement and manage storage": 2})
    steps = pl.progress(plan, [before, on_skill, off_skill, storage])
    assert [st.done for st in steps] == [True, False, True, False, False]
    lines = pl.plan_lines(plan, steps, "AZ-104 practice")
    assert lines[0] == "Practice plan from 1 Dec 2026 on AZ-104 practice: 2 of 5 done."
    assert lines[-1] == "  (no questions on 'Configure virtual networking' in AZ-104 practice: study it from your " \
                        "score report)"
    mock = pl.Done(datetime(2026, 12, 5, tzinfo=timezone.utc), "exam", {ident: 12})
    assert pl.progress(plan, [on_skill, storage, mock])[-1].done


def test_skill_names_match_by_words_not_by_accident():
    assert pl.match_skill("monitor AND maintain resources", BANK_SKILLS) == "Monitor and maintain resources"
    assert pl.match_skill("Configure virtual networking", BANK_SKILLS) is None


# ------------------------------------------------------------------------------------------------ calendar


def test_the_ics_export_reads_back_with_the_same_library():
    from icalendar import Calendar

    from proctorprep.progress.calendar_export import build_calendar

    j = Journey(certifications=[
        Certification(id="az-104", name="Azure Administrator, Associate; \"quoted\"", earned_on=date(2026, 3, 2)),
        Certification(id="az-900", name="Azure Fundamentals", kind="fundamentals", earned_on=date(2025, 1, 1))],
        exams=[Exam(id="az-305", code="AZ-305", title="Solutions Architect", status="booked", date=date(2027, 1, 20),
                    time="09:30"),
               Exam(id="az-500", code="AZ-500", status="failed", date=date(2026, 11, 20), score=640),
               Exam(id="az-700", code="AZ-700", status="planned")])
    raw = build_calendar(j, date(2026, 12, 1), stamp=datetime(2026, 12, 1, 12, tzinfo=timezone.utc))
    cal = Calendar.from_ical(raw)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"az-305-exam@proctorprep.journey", "az-500-exam@proctorprep.journey",
                           "az-104-renewal-opens@proctorprep.journey", "az-104-expires@proctorprep.journey"}
    booked = events["az-305-exam@proctorprep.journey"]
    assert booked.decoded("dtstart") == datetime(2027, 1, 20, 9, 30)           # floating local time
    assert booked.decoded("dtend") - booked.decoded("dtstart") == timedelta(hours=2)
    assert str(booked["summary"]) == "Exam AZ-305 Solutions Architect"
    assert events["az-500-exam@proctorprep.journey"].decoded("dtstart") == date(2026, 11, 20)
    opens = events["az-104-renewal-opens@proctorprep.journey"]
    assert opens.decoded("dtstart") == date(2026, 9, 2)
    assert str(opens["summary"]) == 'Renewal window opens: Azure Administrator, Associate; "quoted"'
    last = events["az-104-expires@proctorprep.journey"]
    assert last.decoded("dtstart") == date(2027, 3, 2)
    assert sorted(a.decoded("trigger") for a in last.walk("VALARM")) == [timedelta(days=-30), timedelta(days=-7)]
