"""Everything the journey page and `proctorprep journey` show, computed in one go, and the actions that need more
than the journey file (question banks, the session history, imported badge images).

`today` is always a parameter: the renewal rules and the plans are tested with a fake clock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from proctorprep import paths
from proctorprep.progress import journey as jr
from proctorprep.progress.journey import Exam, ImportedBadge, Journey, JourneyError
from proctorprep.progress.plan import StepState, done_sessions, make_plan, progress
from proctorprep.progress.readiness import Readiness, readiness
from proctorprep.progress.renewal_window import RenewalStatus, reminders, statuses

BADGE_DIR = "journey-badges"


@dataclass
class BankFacts:
    id: str
    title: str
    skills: tuple[str, ...]
    questions_by_skill: dict[str, int]


@dataclass
class JourneyOverview:
    journey: Journey
    today: date
    renewals: list[RenewalStatus]
    readiness: dict[str, Readiness]                 # exam id -> readiness (planned and booked exams)
    plans: dict[str, list[StepState]]               # exam id -> plan steps with their state
    banks: dict[str, BankFacts]
    problems: list[str] = field(default_factory=list)

    @property
    def reminders(self) -> list[RenewalStatus]:
        return [s for s in self.renewals if s.needs_attention]

    def bank_title(self, bank_id: str | None) -> str | None:
        return self.banks[bank_id].title if bank_id in self.banks else bank_id

    def renewal(self, cert_id: str) -> RenewalStatus | None:
        return next((s for s in self.renewals if s.cert_id == cert_id), None)


def load_banks(data_dir: Path) -> tuple[dict[str, BankFacts], list[str]]:
    """Every bank that loads, with its skill areas and question counts per skill."""
    from proctorprep.exam.catalog import find_bank, list_banks
    from proctorprep.exam.errors import BankError

    user_dir = paths.user_exams_dir(data_dir)
    out: dict[str, BankFacts] = {}
    problems: list[str] = []
    for info in list_banks(user_dir):
        if info.error is not None:
            continue
        try:
            bank = find_bank(info.id, user_dir)
        except BankError as exc:
            problems.append(f"bank {info.id}: {exc}")
            continue
        counts: dict[str, int] = {}
        for q in bank.questions:
            counts[q.skill] = counts.get(q.skill, 0) + 1
        out[bank.id] = BankFacts(bank.id, bank.title, tuple(bank.skill_areas) or tuple(counts), counts)
    return out, problems


def bank_for(journey: Journey, exam: Exam) -> str | None:
    """The practice bank of an exam: its own, else its certification's."""
    if exam.bank_id:
        return exam.bank_id
    if exam.cert_id:
        try:
            return journey.cert(exam.cert_id).bank_id
        except JourneyError:
            return None
    return None


def load_overview(data_dir: Path | None = None, today: date | None = None) -> JourneyOverview:
    from proctorprep.progress.from_journal import load_history

    base = Path(data_dir) if data_dir else paths.data_dir()
    today = today or date.today()
    journey = jr.load(base)
    banks, bank_problems = load_banks(base)
    history = load_history(paths.sessions_dir(base))
    ready: dict[str, Readiness] = {}
    plans: dict[str, list[StepState]] = {}
    for e in journey.exams:
        bank_id = bank_for(journey, e)
        if e.status in ("planned", "booked"):
            facts = banks.get(bank_id or "")
            ready[e.id] = readiness(replace(e, bank_id=bank_id), history.sessions, facts.title if facts else None)
        if e.plan is not None:
            plans[e.id] = progress(e.plan, done_sessions(paths.sessions_dir(base), e.plan.bank_id,
                                                         e.plan.created_on))
    return JourneyOverview(journey, today, statuses(journey.certifications, today), ready, plans, banks,
                           journey.problems + bank_problems + history.problems)


def startup_reminders(data_dir: Path | None = None, today: date | None = None) -> list[RenewalStatus]:
    """What the app says at start-up (cheap: the journey file only)."""
    journey = jr.load(data_dir)
    return reminders(journey.certifications, today or date.today())


# ------------------------------------------------------------------------------------------------ actions


def plan_for_failed(journey: Journey, exam_id: str, weak: list[str], data_dir: Path,
                    today: date | None = None) -> Exam:
    """Make (or remake) the practice plan of a failed exam from its weakest skills and store it on the exam."""
    exam = journey.exam(exam_id)
    bank_id = bank_for(journey, exam)
    if not bank_id:
        raise JourneyError(f"{exam.label}: link a practice bank first (--bank), so the plan has questions")
    banks, _ = load_banks(data_dir)
    facts = banks.get(bank_id)
    if facts is None:
        raise JourneyError(f"no question bank {bank_id!r} (see `proctorprep exams`)")
    plan = make_plan(exam, bank_id, facts.skills, facts.questions_by_skill, weak, today)
    return jr.update_exam(journey, exam_id, plan=plan)


def import_badge(journey: Journey, cert_id: str, source: Path, data_dir: Path,
                 today: date | None = None) -> ImportedBadge:
    """Read a badge file (Open Badges 2.0/3.0, PNG or SVG), keep a copy of the image in the data folder (0600) and
    attach it to the certification. BadgeFileError (one line) for a file that does not read."""
    from proctorprep.progress.openbadges import read_badge

    cert = journey.cert(cert_id)
    info, baked, data = read_badge(Path(source))
    digest = hashlib.sha256(data).hexdigest()[:16]
    image_name = f"{digest}.{baked.kind}"
    if any(b.image_file == image_name for b in cert.badges):
        raise JourneyError(f"{Path(source).name}: this badge is already attached to {cert.name}")
    badge = ImportedBadge(
        version=info.version, name=jr.check_text(info.name[:jr.MAX_TEXT], "badge name"),
        issuer=jr.check_text(info.issuer[:jr.MAX_TEXT], "badge issuer"), issued=info.issued[:jr.MAX_TEXT],
        expires=info.expires[:jr.MAX_TEXT], image_file=image_name,
        source_name=jr.check_text(Path(source).name[:jr.MAX_TEXT], "badge file"),
        signature=(("PRACTICE badge from proctorprep, not a certification; " if info.practice else "")
                   + info.signature)[:jr.MAX_TEXT], imported_on=today or date.today())
    paths.write_private(badge_dir(data_dir) / image_name, data)
    jr.update_certification(journey, cert_id, badges=cert.badges + (badge,))
    return badge


def badge_dir(data_dir: Path) -> Path:
    return paths.ensure_private_dir(Path(data_dir) / BADGE_DIR)
