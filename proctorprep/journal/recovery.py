"""Interrupted sessions: found on the next start, finished so their report can be built.

A session is interrupted when its journal has no final status and no live writer holds its lock (the process was
killed, crashed or lost power). Everything committed before (all but the last ~1 s) is in the journal; finishing
just records how long it ran and marks it "recovered"; the report is then built from the journal like any other.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from proctorprep import paths
from proctorprep.journal.history import SessionInfo, list_sessions, session_info
from proctorprep.journal.store import JournalError, JournalReader, dumps, now_iso, is_locked, journal_file


def find_interrupted(sessions_root: Path | None = None) -> list[SessionInfo]:
    """Sessions that stopped without finishing (oldest first)."""
    return [s for s in list_sessions(sessions_root) if s.status == "interrupted"]


def finish_interrupted(path: Path) -> SessionInfo:
    """Mark an interrupted session (its folder or journal file) as "recovered". Idempotent for finished sessions.

    Raises JournalError naming the file if it is unreadable, or if a live process is still writing it."""
    jpath = journal_file(Path(path))
    session_dir = jpath.parent
    if is_locked(session_dir):
        raise JournalError(f"{jpath}: the session is still running in another proctorprep window")
    with JournalReader(jpath) as reader:
        if reader.final_status() is not None:
            return session_info(session_dir)
        duration = reader.last_time_s()
    try:
        paths.private_file(jpath)   # keep 0600 even if someone loosened it
        conn = sqlite3.connect(str(jpath), timeout=5.0)
        try:
            conn.execute("INSERT INTO status (wall_time, status, summary) VALUES (?,?,?)",
                         (now_iso(), "recovered", dumps({"duration_s": round(duration, 3), "recovered": True})))
            conn.commit()
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        raise JournalError(f"{jpath}: could not mark the session as recovered ({exc})") from None
    return session_info(session_dir)


def finish_all_interrupted(sessions_root: Path | None = None) -> list[SessionInfo]:
    """Recover every interrupted session; returns them as recovered."""
    return [finish_interrupted(s.path) for s in find_interrupted(sessions_root)]
