"""What progress needs to know about one past session: a small, plain record read from its journal.

Badges and streaks are computed from a list of these, so they are easy to test and never stored on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from proctorprep.rules.incidents import Incident

PROCTORED_KINDS: tuple[str, ...] = ("exam", "analysis")   # sessions watched by the proctor
# Statuses a finished journal can carry. "interrupted" = the process died and the report was never finished;
# "recovered" = finished after the crash from what the journal had (a crash loses at most a second or two).
COUNTED_STATUSES: tuple[str, ...] = ("complete", "recovered")


def day_text(when: datetime, month: str = "%b", with_time: bool = False) -> str:
    """'3 Nov 2026' (or '3 November 2026', '3 Nov 2026 14:05') in local time. Journals store UTC; people read
    their own clock. Written out because '%-d' does not exist on Windows."""
    local = when.astimezone() if when.tzinfo else when
    text = f"{local.day} {local:{month} %Y}"
    return f"{text} {local:%H:%M}" if with_time else text


@dataclass(frozen=True)
class SessionSummary:
    session_id: str
    kind: str                              # "exam" | "analysis" | "quick" | "renewal"
    started_at: datetime
    duration_s: float
    status: str = "complete"               # "complete" | "recovered" | "interrupted" | ...
    incidents: tuple[Incident, ...] = ()
    excluded: tuple[tuple[float, float], ...] = ()   # spans where a device was lost: not the candidate's fault
    exam_id: str | None = None
    exam_title: str | None = None
    score: int | None = None               # 1..1000 when the exam was submitted
    passed: bool | None = None
    profile: str = "standard"
    conditions_watched: bool = True        # screens and the exam window were watched (False: a recording, or a
                                           # session from before they were)
    # (profile, judge) -> verdict: a cache filled by progress.verdicts, not part of the record
    verdicts: dict[tuple[str, object], str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def counted(self) -> bool:
        """Finished sessions count; a session still marked interrupted has no trustworthy end yet."""
        return self.status in COUNTED_STATUSES

    @property
    def proctored(self) -> bool:
        return self.kind in PROCTORED_KINDS

    def own_incidents(self) -> list[Incident]:
        """Incidents the candidate is responsible for: one lying wholly inside a device-lost span is not."""
        return [i for i in self.incidents
                if not any(a <= i.start_s and i.end_s <= b for a, b in self.excluded)]

    def count(self, *types: str) -> int:
        return sum(1 for i in self.own_incidents() if i.type in types)

    @property
    def hours(self) -> float:
        return max(self.duration_s, 1e-9) / 3600.0

    def label(self) -> str:
        """Plain words for one session: 'AZ-900 practice, 3 Nov 2026 14:05'."""
        what = self.exam_title or {"analysis": "Recording", "quick": "Quick round",
                                   "renewal": "Renewal round"}.get(self.kind, "Session")
        return f"{what}, {day_text(self.started_at, with_time=True)}"
