"""The session journal: private files, binning, the writer thread, and disk faults that must not stop the exam."""

from __future__ import annotations

import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from proctorprep.journal import store
from proctorprep.journal.store import JournalError, JournalReader, SessionJournal
from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules.incidents import Incident
from proctorprep.sources.base import DeviceEvent


def face(t: float, yaw: float = 0.0, faces: int = 1, mouth: float = 0.02) -> FaceObservation:
    return FaceObservation(t_s=t, faces=faces, trustworthy=faces == 1, yaw_deg=yaw, pitch_deg=-yaw,
                           gaze_x=0.0, gaze_y=0.0, mouth_open=mouth, face_x=0.5, face_y=0.5, face_size=0.25)


def audio(t: float, rms: float = -60.0, prob: float = 0.0) -> AudioObservation:
    return AudioObservation(t_s=t, duration_s=0.032, rms_dbfs=rms, peak_dbfs=rms + 6, noise_floor_dbfs=-60.0,
                            speech_prob=prob)


def new_journal(tmp_path: Path, **kw) -> SessionJournal:
    return SessionJournal.create(tmp_path / "sessions", {"kind": "exam", "exam_title": "T", "profile": "strict"}, **kw)


def test_session_folder_and_every_file_are_private(tmp_path):
    j = new_journal(tmp_path)
    j.add_face(face(0.1))
    assert j.flush()
    files = sorted(p.name for p in j.session_dir.iterdir())
    assert "journal.sqlite" in files and "journal.sqlite-wal" in files
    assert stat.S_IMODE(j.session_dir.stat().st_mode) == 0o700
    for p in j.session_dir.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name
    j.finish()
    with JournalReader(j.session_dir) as r:
        meta = r.meta()
    assert meta["exam_title"] == "T" and meta["profile"] == "strict" and meta["session_id"] == j.session_id
    assert meta["started_at"].endswith("Z") and meta["schema_version"] == store.SCHEMA_VERSION


def test_observations_are_folded_into_fifth_of_a_second_rows(tmp_path):
    j = new_journal(tmp_path)
    for k in range(60):                                   # 2 s of 30 fps: yaw 10 in the first 0.2 s bin, then 0
        j.add_face(face(k / 30, yaw=10.0 if k < 6 else 0.0, faces=2 if k == 40 else 1))
    for k in range(63):                                   # 2 s of 32 ms chunks, one loud speech chunk
        j.add_audio(audio(k * 0.032, rms=-20.0 if k == 20 else -60.0, prob=0.9 if k == 20 else 0.1))
    j.finish()
    with JournalReader(j.path) as r:
        rows, arows = r.face_rows(), r.audio_rows()
    assert len(rows) == 10 and sum(x.n for x in rows) == 60
    assert rows[0].yaw == pytest.approx(10.0) and rows[1].yaw == pytest.approx(0.0)
    assert max(x.faces for x in rows) == 2                # another face in one frame survives the folding
    assert 9 <= len(arows) <= 11 and sum(x.n for x in arows) == 63
    loud = [x for x in arows if x.rms_dbfs == -20.0]
    assert len(loud) == 1 and loud[0].speech_prob == pytest.approx(0.9)


def test_writes_happen_on_one_writer_thread_and_commit_without_flush(tmp_path, monkeypatch):
    threads: list[str] = []
    real_open = store._open_connection

    def spy(path):
        threads.append(threading.current_thread().name)
        return real_open(path)

    monkeypatch.setattr(store, "_open_connection", spy)
    j = new_journal(tmp_path)
    j.add_exam_event(1.0, "question_shown", {"qid": "q1", "number": 1})
    deadline = time.monotonic() + 3.0
    seen = []
    while time.monotonic() < deadline and not seen:     # the periodic commit (~0.5 s) makes it visible
        time.sleep(0.1)
        if j.path.exists():
            try:
                with JournalReader(j.path) as r:
                    seen = r.exam_events()
            except JournalError:
                pass
    j.close()
    assert seen and seen[0].data == {"qid": "q1", "number": 1}
    assert threads == [f"journal-{j.session_id}"]


def test_an_incident_written_when_opened_and_again_when_closed_is_one_incident(tmp_path):
    j = new_journal(tmp_path)
    j.add_incident(Incident("talking", 5.0, 6.5, explanation="opened"), b"\xff\xd8first")
    j.add_incident(Incident("talking", 5.0, 9.0, explanation="closed"))
    j.add_incident(Incident("looking_away", 5.0, 8.0, direction="left"))
    j.finish()
    with JournalReader(j.path) as r:
        incidents = r.incidents()
    assert [(s.incident.type, s.incident.end_s) for s in incidents] == [("looking_away", 8.0), ("talking", 9.0)]
    talking = incidents[1]
    assert talking.incident.explanation == "closed" and talking.snapshot_jpeg == b"\xff\xd8first"


def test_reader_round_trips_every_table(tmp_path):
    j = new_journal(tmp_path)
    j.set_calibration({"yaw_deg": 3.0})
    j.add_warning(4.0, "talking", "Please stop talking", "warn")
    j.add_device_event(DeviceEvent(7.0, "camera", "lost", "gone"))
    j.set_exam_result({"score": 800, "passed": True})
    j.finish({"duration_s": 12.5})
    with JournalReader(j.path) as r:
        assert r.calibration() == {"yaw_deg": 3.0}
        assert r.warnings()[0].message == "Please stop talking"
        assert r.device_events() == [DeviceEvent(7.0, "camera", "lost", "gone")]
        assert r.exam_result() == {"score": 800, "passed": True}
        assert r.final_status().status == "complete" and r.final_status().summary == {"duration_s": 12.5}


def test_a_file_that_is_not_a_journal_is_refused_by_name(tmp_path):
    bad = tmp_path / "journal.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(JournalError, match="journal.sqlite"):
        JournalReader(bad)
    with pytest.raises(JournalError, match="no session journal"):
        JournalReader(tmp_path / "missing")


# --------------------------------------------------------------------------------------------- disk faults


class _FailingConnection:
    """Wraps a real connection; while `full` is set, every write fails like a full disk."""

    def __init__(self, conn: sqlite3.Connection, state: dict):
        self._conn, self._state = conn, state

    def execute(self, sql, params=()):
        if self._state["full"] and sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, params)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_disk_full_is_told_once_the_session_goes_on_and_earlier_data_stays(tmp_path, monkeypatch):
    state = {"full": False}
    real_open = store._open_connection
    monkeypatch.setattr(store, "_open_connection", lambda p: _FailingConnection(real_open(p), state))
    monkeypatch.setattr(store, "RETRY_INTERVAL_S", 0.05)
    errors: list[str] = []
    j = new_journal(tmp_path, on_error=errors.append)
    for k in range(20):
        j.add_face(face(k / 10))
    j.add_exam_event(1.0, "question_shown", {"number": 1})
    assert j.flush()
    state["full"] = True
    for k in range(20, 60):                     # the exam goes on: no call raises or blocks
        j.add_face(face(k / 10))
        j.add_exam_event(k / 10, "answered", {"qid": f"q{k}"})
    assert not j.flush()
    assert not j.flush()                        # retried, still failing: still told only once
    assert len(errors) == 1 and "disk is full" in errors[0] and "exam goes on" in errors[0]
    with JournalReader(j.path) as r:            # everything committed before is intact
        assert sum(x.n for x in r.face_rows()) == 20
        assert [e.kind for e in r.exam_events()] == ["question_shown"]
    state["full"] = False                       # space freed: the queued rows are written after all
    j.finish()
    with JournalReader(j.path) as r:
        assert sum(x.n for x in r.face_rows()) == 60
        assert len(r.exam_events()) == 41
        assert r.final_status().status == "complete"
    assert len(errors) == 1


def test_a_real_sqlite_full_database_keeps_what_was_written(tmp_path, monkeypatch):
    """SQLITE_FULL for real: cap the database's size with max_page_count (what a full filesystem looks like to us)."""
    real_open = store._open_connection

    def capped(path):
        conn = real_open(path)
        conn.execute("PRAGMA max_page_count = 12")
        return conn

    monkeypatch.setattr(store, "_open_connection", capped)
    monkeypatch.setattr(store, "RETRY_INTERVAL_S", 0.05)
    errors: list[str] = []
    j = new_journal(tmp_path, on_error=errors.append)
    j.add_exam_event(0.5, "started", {})
    assert j.flush()
    for k in range(400):                        # far more than 12 pages of incidents
        j.add_incident(Incident("talking", float(k), k + 0.5, explanation="x" * 200))
    assert not j.flush()
    j.add_exam_event(99.0, "submitted", {})
    j.close()
    assert len(errors) == 1 and "full" in errors[0]
    with JournalReader(j.path) as r:
        assert [e.kind for e in r.exam_events()] == ["started"]
    assert j.dropped_rows > 0


def test_an_unwritable_data_folder_is_told_once_and_nothing_raises(tmp_path):
    blocker = tmp_path / "sessions"
    blocker.write_text("a file where the sessions folder should be")   # mkdir fails even for root
    errors: list[str] = []
    j = SessionJournal.create(blocker, {"kind": "exam"})
    j.add_face(face(0.0))
    j.add_incident(Incident("talking", 0.0, 1.0))
    assert not j.flush()
    j.on_error = errors.append                  # set late: the error is delivered now, not lost
    j.add_face(face(0.5))
    assert not j.flush()
    j.finish()
    assert len(errors) == 1 and str(blocker) in errors[0]


def test_calls_after_close_are_ignored(tmp_path):
    j = new_journal(tmp_path)
    j.finish()
    j.add_face(face(1.0))
    j.add_exam_event(1.0, "answered", {})
    j.close()
    assert not j.flush()


def test_a_new_session_is_on_disk_at_once_and_running_until_finished(tmp_path):
    from proctorprep.journal.history import list_sessions

    j = new_journal(tmp_path)
    assert j.flush()                            # nothing written yet, but the session is already there
    assert [s.status for s in list_sessions(tmp_path / "sessions")] == ["running"]
    j.close()                                   # closed without finish: the next start offers to recover it
    assert [s.status for s in list_sessions(tmp_path / "sessions")] == ["interrupted"]


def test_malformed_items_are_skipped_without_stopping_the_writer(tmp_path):
    import numpy as np

    j = new_journal(tmp_path)
    j.add_face(face(float("nan")))                                    # a broken clock
    j.add_face(FaceObservation(t_s=np.float32(0.5), faces=np.int64(1), trustworthy=True, yaw_deg=np.float32(2.0)))
    j.add_exam_event(float("nan"), "answered", {"x": float("inf")})  # NaN time cannot be stored (NOT NULL)
    j.add_exam_event(1.0, "answered", {"confidence": np.float32(0.5), "nan": float("nan")})
    j.add_face(face(1.5))
    j.finish()
    with JournalReader(j.path) as r:
        rows = r.face_rows()
        events = r.exam_events()
        status = r.final_status()
    assert [round(x.t_s, 1) for x in rows] == [0.5, 1.5] and rows[0].yaw == pytest.approx(2.0)
    assert [e.data for e in events] == [{"confidence": 0.5, "nan": None}]
    assert j.bad_rows == 2 and status.status == "complete"      # the writer lived on to the end
