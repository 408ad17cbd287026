"""Read the session history into SessionSummary records (the only input badges and streaks have).

A journal that cannot be read is skipped with a plain note, never an exception: one damaged file must not hide
every badge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from proctorprep.journal.history import SessionInfo, device_gaps, list_sessions, picture_gaps
from proctorprep.journal.store import JournalError, JournalReader
from proctorprep.progress.summary import SessionSummary


@dataclass
class History:
    sessions: list[SessionSummary] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)     # one line per journal that could not be read


def _started(raw: str) -> datetime:
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        when = datetime.fromtimestamp(0, timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def read_summary(info: SessionInfo) -> SessionSummary:
    """Add what the history listing leaves out (the incidents themselves, device gaps) to one session."""
    with JournalReader(info.path) as reader:
        incidents = tuple(s.incident for s in reader.incidents())
        gaps = device_gaps(reader.device_events(), info.duration_s)
        # screens and the exam window were watched (a mock exam of this version; never a recording)
        watched = any(e.kind == "condition" and isinstance(e.data, dict)
                      and e.data.get("kind") in ("screens", "window") for e in reader.exam_events())
    return SessionSummary(
        session_id=info.id, kind=info.kind, started_at=_started(info.started_at), duration_s=info.duration_s,
        status=info.status, incidents=incidents, excluded=tuple(picture_gaps(gaps)),
        exam_id=info.exam_id, exam_title=info.exam_title, score=info.score, passed=info.passed,
        profile=info.profile, conditions_watched=watched,
    )


def load_history(sessions_root: Path) -> History:
    """Every session under `sessions_root` that has a journal, oldest first; one still being recorded is left out."""
    history = History()

    def skipped(path: Path, reason: str) -> None:
        history.problems.append(f"skipped {path.name}: {reason}")

    for info in list_sessions(sessions_root, on_skip=skipped):
        if info.status == "running":
            continue
        try:
            history.sessions.append(read_summary(info))
        except JournalError as exc:
            skipped(info.path, str(exc))
    history.sessions.sort(key=lambda s: (s.started_at, s.session_id))
    return history
