"""Everything the badges page and `proctorprep badges` show, computed in one go from the data folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from proctorprep import paths
from proctorprep.progress.badge_image import export_badge
from proctorprep.progress.badges import BadgeStatus, evaluate, next_goal
from proctorprep.progress.from_journal import load_history
from proctorprep.progress.streaks import Trends, trends
from proctorprep.progress.summary import SessionSummary


@dataclass
class Progress:
    badges: list[BadgeStatus]
    trends: Trends
    sessions: list[SessionSummary]
    problems: list[str] = field(default_factory=list)

    @property
    def earned(self) -> list[BadgeStatus]:
        return [b for b in self.badges if b.earned]

    def earned_in(self, session_id: str) -> list[BadgeStatus]:
        """Badges this session earned (for a "new badge" line on its results page)."""
        return [b for b in self.badges if b.earned and b.session_id == session_id]

    @property
    def next_goal(self) -> BadgeStatus | None:
        return next_goal(self.badges)

    @property
    def quick_rounds(self) -> list[SessionSummary]:
        return [s for s in self.sessions if s.kind == "quick" and s.counted]


def known_exams(data_dir: Path) -> list[tuple[str, str]]:
    """(id, title) of every bank that loads, so score badges show for exams not taken yet."""
    from proctorprep.exam.catalog import list_banks

    try:
        infos = list_banks(paths.user_exams_dir(data_dir))
    except Exception:   # a broken bank is the exams page's business; badges still show for what was taken
        return []
    return [(i.id, i.title) for i in infos if i.error is None]


def load_progress(data_dir: Path | None = None) -> Progress:
    base = Path(data_dir) if data_dir else paths.data_dir()
    history = load_history(paths.sessions_dir(base))
    statuses = evaluate(history.sessions, known_exams(base))
    return Progress(statuses, trends(history.sessions), history.sessions, history.problems)


def export_earned(progress: Progress, candidate: str, dest_dir: Path, data_dir: Path | None = None) -> list[Path]:
    """SVG and PNG of every earned badge (each with its practice credential baked in) into dest_dir; returns the
    files written."""
    written: list[Path] = []
    for status in progress.earned:
        written += export_badge(status, candidate, dest_dir, data_dir=data_dir)
    return written
