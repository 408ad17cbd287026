"""Badges and streaks from real session journals (SessionJournal, recovery, history) and the real proctor policy:
a sequence with an interrupted session, one recovered after a crash, a quick round, a device gap, then a deleted
session whose badges go with it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from proctorprep import paths
from proctorprep.exam.validate import build_bank
from proctorprep.journal.history import delete_session, list_sessions
from proctorprep.journal.recovery import finish_interrupted
from proctorprep.journal.store import SessionJournal
from proctorprep.progress.from_journal import load_history
from proctorprep.progress.overview import load_progress
from proctorprep.progress.quick_round import QuickRound
from proctorprep.rules.incidents import Incident
from proctorprep.sources.base import DeviceEvent
from tests.test_progress_badges import utc_clock  # noqa: F401  (fixture)

T0 = datetime(2026, 11, 1, 18, 0, tzinfo=timezone.utc)

pytestmark = pytest.mark.usefixtures("utc_clock")


def record(root: Path, day: int, *incidents: Incident, kind: str = "exam", duration: float = 900.0,
           score: int | None = None, end: str = "finish", devices: tuple[DeviceEvent, ...] = ()) -> str:
    """Write one session's journal like the app does; `end` is "finish", "crash" or "recover"."""
    meta = {"kind": kind, "exam_id": "az900" if kind == "exam" else None,
            "exam_title": "AZ-900 practice" if kind == "exam" else None, "profile": "standard"}
    j = SessionJournal.create(root, meta, now=T0 + timedelta(days=day))
    j.add_exam_event(0.0, "started", {})
    for inc in incidents:
        j.add_incident(inc)
    for ev in devices:
        j.add_device_event(ev)
    j.add_exam_event(duration, "submitted", {"score": score})
    if score is not None:
        j.set_exam_result({"score": score, "passed": score >= 700})
    if end == "finish":
        j.finish({"duration_s": duration})
    else:
        j.close()                     # no final status: what a killed process leaves behind
        if end == "recover":
            finish_interrupted(j.path)
    return j.session_id


def by_id(progress) -> dict:
    return {b.badge.id: b for b in progress.badges}


def earned(progress) -> dict[str, str]:
    return {b.badge.id: b.session_id for b in progress.badges if b.earned}


@pytest.fixture()
def history(isolated_data_dir):
    root = paths.sessions_dir(isolated_data_dir)
    ids = {
        # talking and looking away: even the lenient proctor warns
        "s1": record(root, 1, Incident("talking", 30, 90), Incident("looking_away", 200, 206, direction="left"),
                     score=640),
        # only restlessness: lenient and standard do not warn, strict does
        "s2": record(root, 2, Incident("restless", 100, 110), score=720),
        # a recording with the camera lost 100-160 s: the face_missing inside the gap is not the candidate's
        "s3": record(root, 3, Incident("face_missing", 101, 150), kind="analysis", duration=300,
                     devices=(DeviceEvent(100.0, "camera", "lost", "no frames"),
                              DeviceEvent(160.0, "camera", "reconnected", "back"))),
        # killed mid-exam and never recovered: counts for nothing, breaks nothing
        "s4": record(root, 4, Incident("talking", 10, 70), end="crash"),
        # killed, then recovered on the next start: counts with what the journal had
        "s5": record(root, 5, end="recover", duration=600),
        "s6": record(root, 6, score=910),
    }
    return root, ids


def test_sequence_gives_exactly_these_badges(history):
    root, ids = history
    statuses = {s.id: s.status for s in list_sessions(root)}
    assert statuses[ids["s4"]] == "interrupted" and statuses[ids["s5"]] == "recovered"
    progress = load_progress()
    assert earned(progress) == {
        "first-clean-session": ids["s2"], "eyes-on-screen": ids["s2"], "silent-candidate": ids["s2"],
        "steady": ids["s1"], "proctor-ready": ids["s6"],        # s1 was noisy, but sat still
        "passed:az900": ids["s2"], "distinction:az900": ids["s6"],
    }
    ready = by_id(progress)["proctor-ready"]
    assert ready.earned_at == T0 + timedelta(days=6) and ready.session_label == "AZ-900 practice, 7 Nov 2026 18:00"
    assert [b.badge.id for b in progress.earned_in(ids["s6"])] == ["proctor-ready", "distinction:az900"]
    assert progress.earned_in(ids["s4"]) == [] and progress.earned_in(ids["s5"]) == []
    t = progress.trends
    assert (t.current_clean_streak, t.best_clean_streak, t.sessions) == (4, 4, 5)
    assert [round(p.per_hour, 2) for p in t.rates] == [8.0, 4.0, 0.0, 0.0, 0.0]
    assert t.improved.incident_type == "talking"


def test_excluded_device_gap_is_read_from_the_journal(history):
    root, ids = history
    s3 = next(s for s in load_history(root).sessions if s.session_id == ids["s3"])
    assert s3.excluded == ((100.0, 160.0),) and s3.own_incidents() == []


def test_recovering_the_crashed_session_makes_it_count(history):
    root, ids = history
    finish_interrupted(root / ids["s4"])          # its talking incident now counts: s4 breaks the strict run
    progress = load_progress()
    assert by_id(progress)["proctor-ready"].earned is False
    assert by_id(progress)["proctor-ready"].missing.startswith("2 of 3 in a row so far")


def test_deleting_a_session_takes_its_badges_with_it(history):
    root, ids = history
    delete_session(ids["s2"], root)
    progress = load_progress()
    assert earned(progress) == {
        "first-clean-session": ids["s3"], "silent-candidate": ids["s3"], "steady": ids["s1"],
        "eyes-on-screen": ids["s5"], "proctor-ready": ids["s6"],
        "passed:az900": ids["s6"], "distinction:az900": ids["s6"],
    }
    for sid in (ids["s3"], ids["s5"], ids["s6"]):
        delete_session(sid, root)
    progress = load_progress()
    assert earned(progress) == {"steady": ids["s1"]}
    assert by_id(progress)["passed:az900"].missing == "Best score so far 640: 60 points to go."


QUICK_BANK = {
    "format": "proctorprep-question-bank", "version": 1, "id": "quick", "title": "Quick bank", "duration_minutes": 20,
    "questions": [{"id": f"q{n}", "type": "single", "skill": "General", "prompt": f"{n} + 1 = ?",
                   "options": [{"id": "a", "text": str(n + 1)}, {"id": "b", "text": str(n + 2)}],
                   "answer": "a", "explanation": "Arithmetic."} for n in range(8)],
}


def quick_bank():
    return build_bank(QUICK_BANK, "quick.json")


def test_quick_round_is_recorded_but_earns_no_badges(isolated_data_dir):
    root = paths.sessions_dir(isolated_data_dir)
    now = [0.0]
    qr = QuickRound(quick_bank(), root, count=3, seed=4, clock=lambda: now[0])
    assert not root.exists() or list(root.iterdir()) == []     # nothing recorded until it starts
    qr.start()
    assert qr.session.remaining_s() is None       # no clock
    now[0] = 5000.0                               # hours may pass: no time limit
    for q in qr.session.questions:
        qr.session.answer(q.id, "a")
    result = qr.submit()
    assert result.score == 1000 and result.mode == "quick"
    [info] = list_sessions(root)
    assert (info.kind, info.status, info.score, info.id) == ("quick", "complete", 1000, qr.session_id)
    progress = load_progress()
    assert earned(progress) == {}
    assert [s.session_id for s in progress.quick_rounds] == [qr.session_id]


def test_abandoned_quick_round_is_finished_not_interrupted(isolated_data_dir):
    root = paths.sessions_dir(isolated_data_dir)
    qr = QuickRound(quick_bank(), root, count=2, seed=1)
    qr.start()
    qr.abandon()
    [info] = list_sessions(root)
    assert (info.kind, info.status, info.score) == ("quick", "complete", None)
