"""Streaks and trends over sequences of sessions: clean runs, incidents per hour, the habit that improved most and
the one that needs work next, tied to the etiquette advice."""

from __future__ import annotations

import pytest

from proctorprep.progress import streaks
from proctorprep.rules.incident_types import incident_type
from tests.test_progress_badges import fake_verdict, inc, session


def test_empty_history_says_where_streaks_start():
    t = streaks.trends([], verdict_fn=fake_verdict)
    assert (t.current_clean_streak, t.best_clean_streak, t.sessions) == (0, 0, 0)
    assert t.improved is None and t.needs_work is None
    assert t.lines() == ["No finished proctored session of 2 minutes or more yet: your streaks and trends start "
                         "with the first one."]


def test_clean_streaks_current_and_best():
    seq = [session(1), session(2), session(3), session(4, inc("talking")), session(5), session(6)]
    t = streaks.trends(seq, verdict_fn=fake_verdict)
    assert (t.current_clean_streak, t.best_clean_streak) == (2, 3)
    # quick rounds, short sessions and interrupted ones neither extend nor break it
    seq += [session(7, kind="quick"), session(8, inc("talking"), duration=30),
            session(9, inc("talking"), status="interrupted"), session(10)]
    t = streaks.trends(seq, verdict_fn=fake_verdict)
    assert (t.current_clean_streak, t.best_clean_streak, t.sessions) == (3, 3, 7)


def test_incidents_per_hour_per_session():
    seq = [session(1, inc("talking"), inc("looking_away", 50), duration=1800),
           session(2, inc("looking_away"), duration=3600),
           session(3, inc("face_missing", 101, 20), duration=1800, excluded=[(100.0, 130.0)])]
    t = streaks.trends(seq, verdict_fn=fake_verdict)
    assert [round(p.per_hour, 3) for p in t.rates] == [4.0, 1.0, 0.0]
    assert t.rates[0].by_type == {"talking": 2.0, "looking_away": 2.0}
    assert t.lines()[1] == "Incidents per hour: 4.0 in your first session, 0.0 in the latest."


def test_most_improved_and_needs_work_are_named_with_advice():
    early = [session(1, *[inc("talking", 100 * k) for k in range(4)], inc("restless")),
             session(2, *[inc("talking", 100 * k) for k in range(3)], inc("restless"))]
    recent = [session(3, inc("restless"), inc("restless", 300), inc("looking_away")),
              session(4, inc("restless"), inc("restless", 300))]
    t = streaks.trends(early + recent, verdict_fn=fake_verdict)
    # talking: 7 in 1 h before, 0 after; restless: 2/h before, 4/h after; looking_away 0 -> 1/h
    assert t.improved is not None and t.improved.incident_type == "talking"
    assert (t.improved.before_per_hour, t.improved.recent_per_hour) == (7.0, 0.0)
    assert t.improved.text == "Improved most: staying silent — 7.0 incidents per hour earlier, 0.0 recently."
    assert t.needs_work is not None and t.needs_work.incident_type == "restless"
    assert t.needs_work.text.startswith("Needs work next: sitting still (4.0 incidents per hour recently). ")
    advice = incident_type("restless").advice
    assert t.needs_work.advice == advice and t.needs_work.text.endswith(advice)


@pytest.mark.parametrize("n_sessions", [1, 2])
def test_needs_work_prefers_a_habit_other_than_the_improved_one(n_sessions):
    seq = [session(1, inc("talking"), inc("talking", 100), inc("mouthing"))]
    if n_sessions == 2:
        seq.append(session(2, inc("talking"), inc("mouthing"), inc("mouthing", 100)))
    t = streaks.trends(seq, verdict_fn=fake_verdict)
    if n_sessions == 1:
        assert t.improved is None and t.needs_work.incident_type == "talking"
    else:
        assert t.improved.incident_type == "talking"
        assert t.needs_work.incident_type == "mouthing"
