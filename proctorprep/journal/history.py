"""Past sessions: list them (for the history page, badges, streaks and report comparisons), delete one. (Exporting
all their reports is the report layer's: report/export.py.)

Everything here reads the journals; nothing else is stored about a session, so deleting its folder really removes it.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from proctorprep import paths
from proctorprep.journal.record import SessionKind, SessionRecord, read_record
from proctorprep.journal.store import JOURNAL_NAME, JournalError, JournalReader, is_locked
from proctorprep.sources.base import BACK_KINDS, LOST_KINDS, PICTURE_DEVICES

SESSION_ID_RE = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{4}$")
STATUSES = ("complete", "interrupted", "recovered", "running")


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One past session, as the history page and the badges see it."""

    id: str
    path: Path                          # the session folder
    started_at: str                     # ISO 8601 UTC, e.g. "2026-11-29T00:27:11Z" (sorts as text)
    kind: str                           # "exam" | "analysis" | "quick"
    exam_id: str | None
    exam_title: str | None
    profile: str
    status: str                         # "complete" | "interrupted" | "recovered" | "running"
    duration_s: float
    score: int | None                   # exam score 1..1000, None without an exam result
    passed: bool | None
    verdict: str                        # "pass" | "warned" | "terminated" (policy.summarize)
    compliant_fraction: float
    incidents: dict[str, int] = field(default_factory=dict)   # type -> count of incidents counted by the policy
                                        # (types that occurred; those inside a device gap are left out)
    source: dict[str, Any] = field(default_factory=dict)      # what was watched: {"video": ..., "audio": ...}

    @property
    def journal_path(self) -> Path:
        return self.path / JOURNAL_NAME

    @property
    def incident_total(self) -> int:
        return sum(self.incidents.values())


def device_gaps(device_events: list, end_s: float) -> list[tuple[float, float, str]]:
    """Spans where a device was lost: (start_s, end_s, device). Not counted against the candidate."""
    open_since: dict[str, float] = {}
    gaps: list[tuple[float, float, str]] = []
    for ev in device_events:
        if ev.kind in LOST_KINDS:
            open_since.setdefault(ev.device, ev.t_s)
        elif ev.kind in BACK_KINDS and ev.device in open_since:
            start = open_since.pop(ev.device)
            if ev.t_s > start:
                gaps.append((start, ev.t_s, ev.device))
    for device, start in open_since.items():
        if end_s > start:
            gaps.append((start, end_s, device))
    return sorted(gaps)


def picture_gaps(gaps: list[tuple[float, float, str]]) -> list[tuple[float, float]]:
    """The gaps that are not judged: without a picture nothing can be said about the candidate. A lost microphone
    only means talking cannot be heard (the rules already hear nothing then); the face is still judged."""
    return [(a, b) for a, b, device in gaps if device in PICTURE_DEVICES]


def session_duration(reader: JournalReader) -> float:
    status = reader.final_status()
    if status and status.summary and isinstance(status.summary.get("duration_s"), (int, float)):
        return float(status.summary["duration_s"])
    return reader.last_time_s()


def summarize_reader(reader: JournalReader, record: SessionRecord | None = None,
                     duration_s: float | None = None) -> dict[str, Any]:
    """policy.summarize over the journal's incidents, with device gaps excluded."""
    from proctorprep.rules.policy import summarize

    record = record if record is not None else read_record(reader)
    duration = session_duration(reader) if duration_s is None else duration_s
    gaps = device_gaps(reader.device_events(), duration)
    incidents = [s.incident for s in reader.incidents()]
    return summarize(incidents, duration, record.profile, excluded=picture_gaps(gaps), acks=live_acks(reader, record))


def live_acks(reader: JournalReader, record: SessionRecord) -> list[float] | None:
    """When a live candidate acknowledged the proctor's pauses (a pause held the proctor until then), or None for a
    session whose pauses held nothing (a recording, or live warnings off: no pause was shown)."""
    if record.kind is not SessionKind.EXAM or record.settings.get("live_warnings") is False:
        return None
    return [e.t_s for e in reader.exam_events() if e.kind == "warning_acknowledged"]


def session_info(session_dir: Path) -> SessionInfo:
    """Read one session folder. Raises JournalError naming the file if it is not a readable journal."""
    session_dir = Path(session_dir)
    with JournalReader(session_dir) as reader:
        record = read_record(reader)
        status_row = reader.final_status()
        if status_row is not None:
            status = status_row.status
        else:
            status = "running" if is_locked(session_dir) else "interrupted"
        duration = session_duration(reader)
        summary = summarize_reader(reader, record, duration)
        result = reader.exam_result() or {}
    # counted as the policy counts them: incidents inside a device gap are not the candidate's
    counts = {t: int(v.get("count", 0)) for t, v in summary.get("by_type", {}).items() if v.get("count")}
    score = result.get("score")
    passed = result.get("passed")
    return SessionInfo(
        id=record.session_id or session_dir.name, path=session_dir,
        started_at=record.started_at, kind=record.kind.value,
        exam_id=record.exam_id, exam_title=record.exam_title, profile=record.profile,
        status=status, duration_s=round(duration, 3),
        score=int(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
        passed=bool(passed) if isinstance(passed, bool) else None,
        verdict=str(summary.get("verdict", "")), compliant_fraction=float(summary.get("compliant_fraction", 1.0)),
        incidents=dict(sorted(counts.items())),
        source=dict(record.source),
    )


def list_sessions(sessions_root: Path | None = None,
                  on_skip: Callable[[Path, str], None] | None = None) -> list[SessionInfo]:
    """Every session under `sessions_root` (default: the user's), oldest first. Unreadable folders are skipped and
    passed to `on_skip(path, reason)` so the caller can say so."""
    root = Path(sessions_root) if sessions_root is not None else paths.sessions_dir()
    if not root.is_dir():
        return []
    infos: list[SessionInfo] = []
    for d in sorted(root.iterdir()):
        if not d.is_dir() or not (d / JOURNAL_NAME).is_file():
            continue
        try:
            infos.append(session_info(d))
        except JournalError as exc:
            if on_skip is not None:
                on_skip(d, str(exc))
    return sorted(infos, key=lambda i: (i.started_at, i.id))


def previous_sessions(info_or_id: SessionInfo | str, sessions_root: Path | None = None,
                      limit: int = 5, same_kind: bool = True) -> list[SessionInfo]:
    """Up to `limit` finished sessions that started before the given one (most recent last), for comparisons."""
    all_sessions = list_sessions(sessions_root)
    sid = info_or_id if isinstance(info_or_id, str) else info_or_id.id
    me = next((s for s in all_sessions if s.id == sid), None)
    if me is None:
        return []
    earlier = [s for s in all_sessions if (s.started_at, s.id) < (me.started_at, me.id)
               and s.status != "running" and (not same_kind or s.kind == me.kind)]
    return earlier[-limit:]


def find_session(session_id: str, sessions_root: Path | None = None) -> Path:
    """The folder of a session id. Raises KeyError with a plain message if there is none."""
    if not SESSION_ID_RE.match(session_id):
        raise KeyError(f"{session_id!r} is not a session id (like 20261129-002711-ab12)")
    root = Path(sessions_root) if sessions_root is not None else paths.sessions_dir()
    d = root / session_id
    if not (d / JOURNAL_NAME).is_file():
        raise KeyError(f"no session {session_id} in {root}")
    return d


def delete_session(session_id: str, sessions_root: Path | None = None) -> list[Path]:
    """Remove a session's folder and every file in it; returns the files removed. Refuses a running session."""
    d = find_session(session_id, sessions_root)
    if is_locked(d):
        raise RuntimeError(f"session {session_id} is still being recorded; finish it first")
    removed = sorted(p for p in d.rglob("*") if p.is_file())
    shutil.rmtree(d)
    return removed
