"""The certification journey: the real certifications and exams the practice is for, kept in one local file.

Unlike badges and streaks (derived from the journals every time), the journey is what the candidate tells us: the
certifications they hold or aim at, the exams they plan, booked, passed or failed, the skill bars of a real score
report, and the badges they downloaded from a badge wallet. It lives in `<data folder>/journey.json` (0600, written
atomically through `paths.write_private`).

A damaged file must never cost the candidate their journey:
- an entry that does not read (a hand edit gone wrong, a newer version's field) is reported, skipped, and kept
  verbatim in `unread`, so the next save writes it back untouched;
- a file that is not JSON at all is reported and the journey refuses every write (`JourneyError` naming the file)
  until the candidate fixes or moves it — it is never overwritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from proctorprep import paths

FILE_NAME = "journey.json"
FORMAT = "proctorprep-journey"
VERSION = 1

CERT_KINDS: tuple[str, ...] = ("role-based", "specialty", "fundamentals", "other")
EXAM_STATUSES: tuple[str, ...] = ("planned", "booked", "passed", "failed")
PASS_SCORE = 700
MAX_TEXT = 300


class JourneyError(ValueError):
    """Bad input or an unreadable journey file; the message is one plain line for the user."""


# ------------------------------------------------------------------------------------------------ records


@dataclass(frozen=True)
class SkillBar:
    """One bar of a real score report: a skill area and how the candidate did in it (0..100 %)."""

    skill: str
    percent: float


@dataclass(frozen=True)
class PlanRound:
    """One step of a practice plan: a quick round on one skill area of a bank, or a full mock exam."""

    kind: str                   # "quick" | "mock"
    skill: str | None           # the bank's skill area (None for a full mock exam)
    questions: int              # questions per quick round (the bank's whole length for a mock)


@dataclass(frozen=True)
class PracticePlan:
    """What to practise after a failed exam, made from the score report's weakest skills."""

    created_on: date
    bank_id: str
    weak_skills: tuple[str, ...]            # as the score report names them
    rounds: tuple[PlanRound, ...]
    unmatched: tuple[str, ...] = ()         # weak skills the bank has no questions on


@dataclass(frozen=True)
class ImportedBadge:
    """A real badge read from a badge wallet's download (Open Badges 2.0 or 3.0), attached to a certification."""

    version: str                # "2.0" | "3.0"
    name: str
    issuer: str
    issued: str                 # as the badge says it (ISO 8601 text), "" if absent
    expires: str = ""
    image_file: str = ""        # copy kept in <data>/journey-badges/, shown on the journey page
    source_name: str = ""       # the file name it was imported from
    signature: str = ""         # what could be said about its signature, in plain words
    imported_on: date | None = None


@dataclass(frozen=True)
class Certification:
    id: str
    name: str
    kind: str = "role-based"                # role-based | specialty | fundamentals | other
    exam_codes: tuple[str, ...] = ()        # the exams that lead to it, e.g. ("AZ-104",)
    bank_id: str | None = None              # the practice bank for readiness and renewal rounds
    earned_on: date | None = None
    expires_on: date | None = None          # None with earned_on set: computed from the renewal rule
    validity_months: int | None = None      # None: the default for the kind (renewal.DEFAULT_RULES)
    window_months: int | None = None
    renewed_on: tuple[date, ...] = ()
    badges: tuple[ImportedBadge, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class Exam:
    id: str
    code: str                               # "AZ-104"
    title: str = ""
    status: str = "planned"                 # planned | booked | passed | failed
    date: date | None = None
    time: str = ""                          # "14:30", local time, for a booked exam
    score: int | None = None                # 1..1000
    cert_id: str | None = None
    bank_id: str | None = None
    skills: tuple[SkillBar, ...] = ()       # the real score report's bars, if entered
    plan: PracticePlan | None = None
    notes: str = ""

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}".strip()


@dataclass
class Journey:
    certifications: list[Certification] = field(default_factory=list)
    exams: list[Exam] = field(default_factory=list)
    unread: list[dict[str, Any]] = field(default_factory=list)   # entries that did not read, written back verbatim
    problems: list[str] = field(default_factory=list)             # one line per entry or file that did not read
    path: Path | None = None
    writable: bool = True                   # False when the file on disk could not be read at all

    def cert(self, cert_id: str) -> Certification:
        for c in self.certifications:
            if c.id == cert_id:
                return c
        raise JourneyError(f"no certification {cert_id!r} in your journey "
                           f"(known: {', '.join(c.id for c in self.certifications) or 'none yet'})")

    def exam(self, exam_id: str) -> Exam:
        for e in self.exams:
            if e.id == exam_id:
                return e
        raise JourneyError(f"no exam {exam_id!r} in your journey "
                           f"(known: {', '.join(e.id for e in self.exams) or 'none yet'})")

    def exams_for(self, cert_id: str) -> list[Exam]:
        return [e for e in self.exams if e.cert_id == cert_id]

    def ids(self) -> set[str]:
        return {c.id for c in self.certifications} | {e.id for e in self.exams}


# ------------------------------------------------------------------------------------------------ checking


def day_words(d: date) -> str:
    """'1 Mar 2027': how the app writes a day (as progress.summary.day_text does for a moment in time)."""
    return f"{d.day} {d:%b %Y}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "entry"


def new_id(journey: Journey, base: str) -> str:
    """A readable id not yet used: "az-104", then "az-104-2", ..."""
    stem, taken = slug(base), journey.ids()
    if stem not in taken:
        return stem
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def parse_date(text: str | date | None, what: str = "date") -> date | None:
    if text is None or text == "":
        return None
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise JourneyError(f"{what}: expected a date like 2026-12-31, got {text!r}") from None


def check_text(value: Any, what: str, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise JourneyError(f"{what}: expected text, got {value!r}")
    value = value.strip()
    if required and not value:
        raise JourneyError(f"{what}: must not be empty")
    if len(value) > MAX_TEXT:
        raise JourneyError(f"{what}: longer than {MAX_TEXT} characters")
    if any(ord(ch) < 32 for ch in value):
        raise JourneyError(f"{what}: contains control characters")
    return value


def check_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        raise JourneyError(f"{what}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def check_months(value: Any, what: str, lo: int, hi: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise JourneyError(f"{what}: expected a whole number of months from {lo} to {hi}, got {value!r}")
    return value


def check_score(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise JourneyError(f"score: expected a whole number from 1 to 1000, got {value!r}")
    return value


def parse_skill(text: str) -> SkillBar:
    """'Manage identities=55' or 'Manage identities: 55%' -> SkillBar."""
    m = re.match(r"^\s*(.+?)\s*[=:]\s*(\d+(?:\.\d+)?)\s*%?\s*$", text or "")
    if not m:
        raise JourneyError(f"skill: expected 'name=percent' like 'Manage identities=55', got {text!r}")
    return check_skill(SkillBar(m.group(1), float(m.group(2))))


def check_skill(bar: SkillBar) -> SkillBar:
    name = check_text(bar.skill, "skill name", required=True)
    pct = bar.percent
    if isinstance(pct, bool) or not isinstance(pct, (int, float)) or not 0 <= pct <= 100:
        raise JourneyError(f"skill {name!r}: expected a percentage from 0 to 100, got {pct!r}")
    return SkillBar(name, float(pct))


def check_time(value: str) -> str:
    value = check_text(value, "time")
    if value and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise JourneyError(f"time: expected HH:MM (24-hour, your local time), got {value!r}")
    return value


def checked_cert(c: Certification) -> Certification:
    """The certification with its fields validated (JourneyError names the first bad one)."""
    c = replace(c, name=check_text(c.name, "name", required=True), kind=check_choice(c.kind, CERT_KINDS, "kind"),
                exam_codes=tuple(check_text(x, "exam code", required=True).upper() for x in c.exam_codes),
                bank_id=check_text(c.bank_id, "bank") or None, notes=check_text(c.notes, "notes"),
                validity_months=check_months(c.validity_months, "validity", 1, 120),
                window_months=check_months(c.window_months, "renewal window", 0, 24))
    if c.earned_on and c.expires_on and c.expires_on <= c.earned_on:
        raise JourneyError(f"{c.name}: expires on {c.expires_on} is not after earned on {c.earned_on}")
    return c


def checked_exam(e: Exam) -> Exam:
    e = replace(e, code=check_text(e.code, "exam code", required=True).upper(), title=check_text(e.title, "title"),
                status=check_choice(e.status, EXAM_STATUSES, "status"), time=check_time(e.time),
                score=check_score(e.score), skills=tuple(check_skill(s) for s in e.skills),
                bank_id=check_text(e.bank_id, "bank") or None, notes=check_text(e.notes, "notes"))
    if e.status in ("passed", "failed") and e.score is not None and (e.score >= PASS_SCORE) != (e.status == "passed"):
        raise JourneyError(f"{e.code}: a score of {e.score} is a {'pass' if e.score >= PASS_SCORE else 'fail'} "
                           f"(the pass mark is {PASS_SCORE}), not {e.status!r}")
    return e


# ------------------------------------------------------------------------------------------------ editing


def add_certification(journey: Journey, cert: Certification) -> Certification:
    cert = checked_cert(replace(cert, id=cert.id or new_id(journey, cert.exam_codes[0] if cert.exam_codes
                                                            else cert.name)))
    if cert.id in journey.ids():
        raise JourneyError(f"an entry with id {cert.id!r} already exists")
    journey.certifications.append(cert)
    return cert


def update_certification(journey: Journey, cert_id: str, **changes: Any) -> Certification:
    old = journey.cert(cert_id)
    new = checked_cert(replace(old, **changes))
    journey.certifications[journey.certifications.index(old)] = new
    return new


def add_exam(journey: Journey, exam: Exam) -> Exam:
    exam = checked_exam(replace(exam, id=exam.id or new_id(journey, exam.code)))
    if exam.id in journey.ids():
        raise JourneyError(f"an entry with id {exam.id!r} already exists")
    if exam.cert_id is not None:
        journey.cert(exam.cert_id)
    journey.exams.append(exam)
    return exam


def update_exam(journey: Journey, exam_id: str, **changes: Any) -> Exam:
    old = journey.exam(exam_id)
    new = checked_exam(replace(old, **changes))
    if new.cert_id is not None:
        journey.cert(new.cert_id)
    journey.exams[journey.exams.index(old)] = new
    return new


def remove(journey: Journey, entry_id: str) -> str:
    """Remove a certification (its exams stay, unlinked) or an exam; returns what was removed, in words."""
    for c in journey.certifications:
        if c.id == entry_id:
            journey.certifications.remove(c)
            journey.exams = [replace(e, cert_id=None) if e.cert_id == entry_id else e for e in journey.exams]
            return f"certification {c.name}"
    for e in journey.exams:
        if e.id == entry_id:
            journey.exams.remove(e)
            return f"exam {e.label}"
    raise JourneyError(f"no certification or exam {entry_id!r} in your journey")


# ------------------------------------------------------------------------------------------------ file


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def plan_to_dict(p: PracticePlan) -> dict[str, Any]:
    return {"created_on": p.created_on.isoformat(), "bank_id": p.bank_id, "weak_skills": list(p.weak_skills),
            "unmatched": list(p.unmatched),
            "rounds": [{"kind": r.kind, "skill": r.skill, "questions": r.questions} for r in p.rounds]}


def badge_to_dict(b: ImportedBadge) -> dict[str, Any]:
    return {"version": b.version, "name": b.name, "issuer": b.issuer, "issued": b.issued, "expires": b.expires,
            "image_file": b.image_file, "source_name": b.source_name, "signature": b.signature,
            "imported_on": _d(b.imported_on)}


def cert_to_dict(c: Certification) -> dict[str, Any]:
    return {"type": "certification", "id": c.id, "name": c.name, "kind": c.kind, "exam_codes": list(c.exam_codes),
            "bank_id": c.bank_id, "earned_on": _d(c.earned_on), "expires_on": _d(c.expires_on),
            "validity_months": c.validity_months, "window_months": c.window_months,
            "renewed_on": [d.isoformat() for d in c.renewed_on], "badges": [badge_to_dict(b) for b in c.badges],
            "notes": c.notes}


def exam_to_dict(e: Exam) -> dict[str, Any]:
    return {"type": "exam", "id": e.id, "code": e.code, "title": e.title, "status": e.status, "date": _d(e.date),
            "time": e.time, "score": e.score, "cert_id": e.cert_id, "bank_id": e.bank_id,
            "skills": [{"skill": s.skill, "percent": s.percent} for s in e.skills],
            "plan": plan_to_dict(e.plan) if e.plan else None, "notes": e.notes}


def to_dict(journey: Journey) -> dict[str, Any]:
    entries = [cert_to_dict(c) for c in journey.certifications] + [exam_to_dict(e) for e in journey.exams]
    return {"format": FORMAT, "version": VERSION, "entries": entries + list(journey.unread)}


def _plan(raw: Any) -> PracticePlan | None:
    if raw is None:
        return None
    return PracticePlan(
        created_on=parse_date(raw["created_on"], "plan date"), bank_id=check_text(raw["bank_id"], "plan bank", True),
        weak_skills=tuple(check_text(s, "weak skill", True) for s in raw.get("weak_skills", [])),
        unmatched=tuple(check_text(s, "weak skill", True) for s in raw.get("unmatched", [])),
        rounds=tuple(PlanRound(check_choice(r["kind"], ("quick", "mock"), "plan round"),
                               check_text(r.get("skill"), "plan skill") or None, int(r["questions"]))
                     for r in raw.get("rounds", [])))


def _badge(raw: dict[str, Any]) -> ImportedBadge:
    return ImportedBadge(
        version=check_choice(raw["version"], ("2.0", "3.0"), "badge version"),
        name=check_text(raw.get("name"), "badge name"), issuer=check_text(raw.get("issuer"), "badge issuer"),
        issued=check_text(raw.get("issued"), "badge issued"), expires=check_text(raw.get("expires"), "badge expires"),
        image_file=check_text(raw.get("image_file"), "badge image"),
        source_name=check_text(raw.get("source_name"), "badge file"),
        signature=check_text(raw.get("signature"), "badge signature"),
        imported_on=parse_date(raw.get("imported_on"), "badge imported on"))


def cert_from_dict(raw: dict[str, Any]) -> Certification:
    return checked_cert(Certification(
        id=check_text(raw["id"], "id", True), name=raw.get("name", ""), kind=raw.get("kind", "role-based"),
        exam_codes=tuple(raw.get("exam_codes") or ()), bank_id=raw.get("bank_id"),
        earned_on=parse_date(raw.get("earned_on"), "earned on"), expires_on=parse_date(raw.get("expires_on"),
                                                                                     "expires on"),
        validity_months=raw.get("validity_months"), window_months=raw.get("window_months"),
        renewed_on=tuple(parse_date(d, "renewed on") for d in raw.get("renewed_on") or ()),
        badges=tuple(_badge(b) for b in raw.get("badges") or ()), notes=raw.get("notes", "")))


def exam_from_dict(raw: dict[str, Any]) -> Exam:
    return checked_exam(Exam(
        id=check_text(raw["id"], "id", True), code=raw.get("code", ""), title=raw.get("title", ""),
        status=raw.get("status", "planned"), date=parse_date(raw.get("date")), time=raw.get("time") or "",
        score=raw.get("score"), cert_id=raw.get("cert_id"), bank_id=raw.get("bank_id"),
        skills=tuple(SkillBar(s["skill"], s["percent"]) for s in raw.get("skills") or ()),
        plan=_plan(raw.get("plan")), notes=raw.get("notes", "")))


def from_dict(raw: Any, where: str = FILE_NAME) -> Journey:
    """Tolerant reading: every entry that reads is kept; every one that does not is reported and kept verbatim."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("entries"), list):
        raise JourneyError(f"{where} is not a proctorprep journey file")
    if not isinstance(raw.get("version"), int) or raw["version"] > VERSION:
        raise JourneyError(f"{where} was written by a newer proctorprep (version {raw.get('version')!r})")
    journey = Journey()
    for n, entry in enumerate(raw["entries"], 1):
        try:
            kind = entry.get("type") if isinstance(entry, dict) else None
            if kind == "certification":
                item: Any = cert_from_dict(entry)
                target: list = journey.certifications
            elif kind == "exam":
                item, target = exam_from_dict(entry), journey.exams
            else:
                raise JourneyError(f"unknown entry type {kind!r}")
            if item.id in journey.ids():
                raise JourneyError(f"id {item.id!r} used twice")
            target.append(item)
        except (JourneyError, KeyError, TypeError, ValueError, AttributeError) as exc:
            what = exc.args[0] if isinstance(exc, KeyError) else exc
            label = entry.get("id") if isinstance(entry, dict) else None
            journey.problems.append(f"{where}: entry {n}{f' ({label!r})' if isinstance(label, str) else ''} "
                                    f"skipped and kept as it is: {what}")
            journey.unread.append(entry)
    return journey


def journey_file(data_dir: Path | None = None) -> Path:
    return (Path(data_dir) if data_dir else paths.data_dir()) / FILE_NAME


def load(data_dir: Path | None = None) -> Journey:
    """The candidate's journey; never raises for a bad file (see `problems` and `writable`)."""
    path = journey_file(data_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Journey(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        return Journey(path=path, writable=False,
                       problems=[f"cannot read {path}: {exc}; nothing in it was changed"])
    try:
        journey = from_dict(json.loads(text), str(path))
    except (json.JSONDecodeError, RecursionError, JourneyError) as exc:
        return Journey(path=path, writable=False,
                       problems=[f"{exc if isinstance(exc, JourneyError) else f'{path} is not valid JSON ({exc})'}; "
                                 "it was left untouched: fix it or move it away to start a new journey"])
    journey.path = path
    return journey


def save(journey: Journey, data_dir: Path | None = None) -> Path:
    """Write the journey atomically (0600). Refuses when the file on disk could not be read (it would be lost)."""
    path = journey.path or journey_file(data_dir)
    if not journey.writable:
        raise JourneyError(f"{path} could not be read, so it is not overwritten: fix it or move it away first")
    text = json.dumps(to_dict(journey), ensure_ascii=False, indent=1) + "\n"
    try:
        return paths.write_private(path, text)
    except OSError as exc:
        raise JourneyError(f"cannot write {path}: {exc.strerror or exc}") from exc
