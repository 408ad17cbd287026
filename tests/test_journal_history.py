"""History: list past sessions with their verdicts and counts, compare, delete for real, export everything."""

from __future__ import annotations

import stat
from datetime import timedelta

import pytest

from proctorprep.journal.history import (SessionInfo, delete_session, device_gaps, find_session, list_sessions,
                                         previous_sessions)
from proctorprep.report.demo import DEMO_START, write_demo_session
from proctorprep.report.export import export_all
from proctorprep.sources.base import DeviceEvent


@pytest.fixture
def sessions(tmp_path):
    root = tmp_path / "sessions"
    write_demo_session(root, duration_s=60.0, fps=5.0, snapshots=False, start=DEMO_START - timedelta(days=2),
                       score=640)
    write_demo_session(root, duration_s=60.0, fps=5.0, snapshots=False, start=DEMO_START - timedelta(days=1),
                       score=705)
    write_demo_session(root, duration_s=260.0, fps=5.0, start=DEMO_START)
    return root


def test_sessions_are_listed_oldest_first_with_score_verdict_and_counts(sessions):
    infos = list_sessions(sessions)
    assert [i.score for i in infos] == [640, 705, 742]
    assert [i.passed for i in infos] == [False, True, True]
    last = infos[-1]
    assert isinstance(last, SessionInfo)
    assert last.status == "complete" and last.kind == "exam" and last.profile == "standard"
    assert last.exam_title == "Cloud Fundamentals practice exam" and last.duration_s == 260.0
    assert last.started_at == "2026-11-28T14:05:00Z"
    assert last.verdict in ("pass", "warned", "terminated") and 0 < last.compliant_fraction < 1
    # the face_missing inside the camera gap (200-215 s) is not counted against the candidate
    assert last.incidents == {"face_covered": 1, "looking_away": 2, "mouthing": 1, "restless": 1, "talking": 1}
    assert last.incident_total == 6


def test_previous_sessions_are_the_earlier_ones(sessions):
    infos = list_sessions(sessions)
    assert [p.id for p in previous_sessions(infos[-1], sessions)] == [infos[0].id, infos[1].id]
    assert previous_sessions(infos[0].id, sessions) == []


def test_delete_removes_every_file_of_the_session(sessions):
    victim = list_sessions(sessions)[0]
    removed = delete_session(victim.id, sessions)
    assert any(p.name == "journal.sqlite" for p in removed)
    assert not victim.path.exists()
    assert [i.id for i in list_sessions(sessions)] != [] and victim.id not in [i.id for i in list_sessions(sessions)]


@pytest.mark.parametrize("bad", ["../sessions", "20261128-140500-zzzz", "", "x/../../etc"])
def test_ids_that_are_not_session_ids_are_refused(sessions, bad):
    with pytest.raises(KeyError):
        delete_session(bad, sessions)
    with pytest.raises(KeyError):
        find_session(bad, sessions)


def test_export_all_writes_every_format_private(sessions, tmp_path):
    out = tmp_path / "export"
    written = export_all(out, sessions)
    assert len(written) == 9
    assert sorted({p.suffix for p in written}) == [".html", ".json", ".pdf"]
    for p in written:
        assert p.stat().st_size > 500 and stat.S_IMODE(p.stat().st_mode) == 0o600


def test_a_damaged_journal_is_skipped_and_named(sessions):
    bad = sessions / "20260101-000000-dead"
    bad.mkdir()
    (bad / "journal.sqlite").write_bytes(b"garbage" * 50)
    skipped = []
    infos = list_sessions(sessions, on_skip=lambda p, why: skipped.append((p, why)))
    assert len(infos) == 3
    assert skipped and skipped[0][0] == bad and "journal.sqlite" in skipped[0][1]


def test_device_gaps_pair_lost_with_reconnected_and_run_to_the_end_otherwise():
    events = [DeviceEvent(10, "camera", "lost", ""), DeviceEvent(12, "camera", "reconnecting", ""),
              DeviceEvent(15, "camera", "reconnected", ""), DeviceEvent(30, "microphone", "lost", "")]
    assert device_gaps(events, 40.0) == [(10, 15, "camera"), (30, 40.0, "microphone")]
