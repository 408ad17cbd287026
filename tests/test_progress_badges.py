"""Badge rules over sequences of session summaries: exactly which badges result, when, in which session, and what
is still missing. The proctor's verdict is injected here (a session passes a profile when it has no incident the
profile counts) so these tests pin the badge logic alone; tests/test_progress_journal.py runs the real policy."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from proctorprep.progress import badges
from proctorprep.progress.summary import SessionSummary
from proctorprep.rules.incidents import Incident

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture()
def utc_clock(monkeypatch):
    """Dates are shown in local time; pin the local zone so the expected texts hold on any machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


pytestmark = pytest.mark.usefixtures("utc_clock")
# "lenient" ignores incidents shorter than 5 s, "strict" counts every incident, "standard" those >= 2 s.
MIN_LEN = {"lenient": 5.0, "standard": 2.0, "strict": 0.0}


def fake_verdict(incidents, duration_s, profile, excluded):
    counted = [i for i in incidents if i.duration_s >= MIN_LEN[profile]
               and not any(a <= i.start_s and i.end_s <= b for a, b in excluded)]
    return "pass" if not counted else "warned"


def inc(kind: str, start: float = 10.0, length: float = 6.0) -> Incident:
    return Incident(kind, start, start + length)


def session(n: int, *incs: Incident, kind: str = "exam", status: str = "complete", duration: float = 1800.0,
            exam_id: str | None = "az900", score: int | None = None, excluded=()) -> SessionSummary:
    return SessionSummary(
        session_id=f"s{n}", kind=kind, started_at=T0 + timedelta(days=n), duration_s=duration, status=status,
        incidents=tuple(incs), excluded=tuple(excluded), exam_id=exam_id if kind == "exam" else None,
        exam_title="AZ-900 practice" if kind == "exam" else None, score=score,
        passed=None if score is None else score >= 700)


def by_id(statuses):
    return {s.badge.id: s for s in statuses}


def earned(statuses) -> dict[str, str]:
    return {s.badge.id: s.session_id for s in statuses if s.earned}


def test_no_history_nothing_earned_and_every_badge_says_how():
    result = badges.evaluate([], verdict_fn=fake_verdict)
    assert [s.badge.id for s in result] == [b.id for b in badges.ETIQUETTE_BADGES]
    assert earned(result) == {}
    assert all("No finished" in s.missing for s in result)


def test_sequence_earns_exactly_the_expected_badges_in_the_right_sessions():
    sessions = [
        session(1, inc("looking_away"), inc("talking", 100), inc("restless", 200), score=640),
        session(2, inc("looking_away"), score=720),                   # silent + steady; passed 700+
        session(3, inc("looking_away", length=1.0), score=810),       # lenient pass (1 s), strict fails
        session(4, score=905),                                        # everything clean
    ]
    result = badges.evaluate(sessions, verdict_fn=fake_verdict)
    assert earned(result) == {
        "silent-candidate": "s2", "steady": "s2", "passed:az900": "s2", "exam-conditions": "s1",
        "first-clean-session": "s3", "eyes-on-screen": "s4", "distinction:az900": "s4",
    }
    got = by_id(result)
    assert got["silent-candidate"].earned_at == T0 + timedelta(days=2)
    assert got["silent-candidate"].session_label == "AZ-900 practice, 3 Nov 2026 09:00"
    ready = got["proctor-ready"]
    assert not ready.earned and (ready.have, ready.need) == (1, 3)
    assert ready.missing == "1 of 3 in a row so far: 2 more sessions the strict proctor would pass."


def test_proctor_ready_needs_three_strict_passes_in_a_row():
    clean = [session(n) for n in range(1, 3)]
    broken = session(3, inc("mouthing", length=0.5))       # strict counts it: the run restarts
    more = [session(n) for n in range(4, 7)]
    result = by_id(badges.evaluate(clean + [broken] + more, verdict_fn=fake_verdict))
    assert result["proctor-ready"].earned and result["proctor-ready"].session_id == "s6"
    partial = by_id(badges.evaluate(clean + [broken] + more[:1], verdict_fn=fake_verdict))["proctor-ready"]
    assert partial.missing == "1 of 3 in a row so far (your longest run was 2): 2 more sessions the strict proctor " \
                              "would pass."


def test_quick_rounds_and_short_sessions_earn_no_etiquette_badges_and_do_not_break_a_run():
    quick = session(2, kind="quick", score=1000)
    short = session(3, duration=60)
    sessions = [session(1), quick, short, session(4), session(5)]
    result = by_id(badges.evaluate(sessions, verdict_fn=fake_verdict))
    assert result["first-clean-session"].session_id == "s1"
    assert result["proctor-ready"].session_id == "s5"
    only_quick = badges.evaluate([quick], verdict_fn=fake_verdict)
    assert earned(only_quick) == {}        # a perfect quick round is neither an exam score nor etiquette


def test_interrupted_session_counts_for_nothing_until_recovered():
    crashed = session(1, status="interrupted", score=None)
    result = badges.evaluate([crashed], verdict_fn=fake_verdict)
    assert earned(result) == {}
    recovered = session(1, status="recovered")
    assert earned(badges.evaluate([recovered], verdict_fn=fake_verdict)) == {
        "first-clean-session": "s1", "eyes-on-screen": "s1", "silent-candidate": "s1", "steady": "s1",
        "exam-conditions": "s1"}
    # an interrupted session between strict passes neither extends nor breaks the run
    run = [session(1), session(2), session(3, inc("talking", length=30), status="interrupted"), session(4)]
    assert by_id(badges.evaluate(run, verdict_fn=fake_verdict))["proctor-ready"].session_id == "s4"


def test_exam_conditions_badge_needs_a_mock_exam_free_of_condition_incidents():
    sessions = [session(1, inc("second_screen", 0, 600)), session(2, inc("left_exam_window", 50, 20)),
                session(3, kind="analysis"), session(4, inc("camera_moved", 30, 5)), session(5)]
    status = by_id(badges.evaluate(sessions, verdict_fn=fake_verdict))["exam-conditions"]
    assert status.earned and status.session_id == "s5"     # a recording watches no screens: it cannot earn it
    bad = by_id(badges.evaluate(sessions[:2], verdict_fn=fake_verdict))["exam-conditions"]
    assert not bad.earned and "exam-conditions incident" in bad.missing
    from dataclasses import replace

    unwatched = replace(session(6), conditions_watched=False)   # no record of screens or the window
    assert not by_id(badges.evaluate([unwatched], verdict_fn=fake_verdict))["exam-conditions"].earned


def test_device_gap_incidents_are_not_the_candidates_fault():
    # the camera was lost from 100 s to 160 s: the face_missing inside that span does not count
    s = session(1, inc("face_missing", 101, 50), excluded=[(100.0, 160.0)])
    assert by_id(badges.evaluate([s], verdict_fn=fake_verdict))["first-clean-session"].earned


def test_deleting_the_earning_session_moves_or_removes_the_badge():
    sessions = [session(1, inc("talking")), session(2), session(3, inc("restless")), session(4)]
    assert earned(badges.evaluate(sessions, verdict_fn=fake_verdict))["first-clean-session"] == "s2"
    without_2 = [s for s in sessions if s.session_id != "s2"]
    assert earned(badges.evaluate(without_2, verdict_fn=fake_verdict))["first-clean-session"] == "s4"
    only_bad = [s for s in sessions if s.session_id in ("s1", "s3")]
    status = by_id(badges.evaluate(only_bad, verdict_fn=fake_verdict))["first-clean-session"]
    assert not status.earned and status.missing == (
        "None of your 2 sessions yet: even the lenient proctor warned you (2 warned, 0 ended early).")


def test_score_badges_per_exam_with_points_to_go():
    sessions = [session(1, score=690), session(2, score=650, exam_id="aws-ccp")]
    known = [("az900", "AZ-900 practice"), ("sc900", "SC-900 practice")]
    result = by_id(badges.evaluate(sessions, known_exams=known, verdict_fn=fake_verdict))
    assert result["passed:az900"].missing == "Best score so far 690: 10 points to go."
    assert result["distinction:az900"].missing == "Best score so far 690: 210 points to go."
    assert result["passed:sc900"].missing == "Not taken yet: take this mock exam and score 700+."
    assert "passed:aws-ccp" in result and not result["passed:aws-ccp"].earned
    goal = badges.next_goal(list(result.values()))
    assert goal is not None and goal.badge.id == "passed:az900"     # 690/700: the closest


def test_fewest_incidents_hint_names_the_best_session():
    sessions = [session(1, inc("looking_away"), inc("looking_away", 100)), session(2, inc("looking_away"))]
    status = by_id(badges.evaluate(sessions, verdict_fn=fake_verdict))["eyes-on-screen"]
    assert status.missing == ("Your best so far had 1 looking-away incident (AZ-900 practice, 3 Nov 2026 09:00). "
                              "Aim for none.")


def test_dates_are_shown_in_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")      # UTC+9, no daylight saving
    time.tzset()
    assert session(0).label() == "AZ-900 practice, 1 Nov 2026 18:00"
    late = SessionSummary("x", "quick", datetime(2026, 11, 30, 20, 0, tzinfo=timezone.utc), 60.0)
    assert late.label() == "Quick round, 1 Dec 2026 05:00"


# --- properties over random histories -------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KINDS = st.sampled_from(["exam", "analysis", "quick"])
STATUSES = st.sampled_from(["complete", "complete", "recovered", "interrupted"])
INCS = st.lists(st.tuples(st.sampled_from(["talking", "mouthing", "looking_away", "restless", "face_missing"]),
                          st.floats(0.5, 12.0)), max_size=3)


@st.composite
def histories(draw):
    n = draw(st.integers(0, 8))
    return [session(i, *[inc(t, 20.0 * k, length) for k, (t, length) in enumerate(draw(INCS))],
                    kind=draw(KINDS), status=draw(STATUSES), duration=draw(st.sampled_from([60.0, 600.0, 1800.0])),
                    score=draw(st.one_of(st.none(), st.integers(1, 1000))))
            for i in range(n)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories(), st.data())
def test_badges_always_point_at_a_session_that_qualifies_and_deleting_it_never_leaves_it_behind(history, data):
    result = badges.evaluate(history, verdict_fn=fake_verdict)
    by_sid = {s.session_id: s for s in history}
    for status in result:
        if status.earned:
            s = by_sid[status.session_id]
            assert s.counted and (s.kind == "exam" if status.badge.category == "score" else s.proctored)
            assert status.earned_at == s.started_at
        else:
            assert status.missing and status.session_id is None
    if history:
        gone = data.draw(st.sampled_from([s.session_id for s in history]))
        after = badges.evaluate([s for s in history if s.session_id != gone], verdict_fn=fake_verdict)
        assert all(b.session_id != gone for b in after)
        # deleting never creates a badge, and a badge earned in another session stays earned — except proctor-ready,
        # which is about a run: deleting a session can end a run or join two
        before = earned(result)
        for bid in earned(after):
            assert bid in before or bid == "proctor-ready"
        for bid, sid in before.items():
            if sid != gone and bid != "proctor-ready":
                assert earned(after)[bid] == sid


def test_verdicts_are_cached_per_judge_not_shared_between_them():
    s = session(1, inc("restless"))
    assert badges.evaluate([s], verdict_fn=fake_verdict)[0].earned is False     # fake: any 6 s incident warns
    real = by_id(badges.evaluate([s]))                                        # the real lenient policy ignores
    assert real["first-clean-session"].earned and real["proctor-ready"].have == 0    # restlessness; strict does not
