"""The session record: what a session is (kind, exam, profile, the thresholds it really ran with, calibration,
source, candidate, settings), written into the journal's meta by ONE function (`open_journal`) for every session
kind and read back by ONE function (`read_record`) for the report, the history and the badges.

Why one record: when each session kind wrote its own meta and each reader guessed at it, a live exam journaled its
threshold overrides under one key and the report looked under another (so it stated the wrong thresholds), the
candidate's name was never journaled at all, and the dot calibration was fitted without the overrides. A typed
record written and read in one place cannot drift that way.

Journals written before the record existed (no "record_version" in their meta) still open: `record_from_meta`
reads their keys with a fallback (the thresholds recomputed from the profile and the overrides they stored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Mapping

from proctorprep.journal.store import JournalReader, SessionJournal
from proctorprep.rules.thresholds import PROFILE_NAMES, ThresholdError, resolve_thresholds, thresholds_for

RECORD_VERSION = 2          # 1: the meta written before the record (read with a fallback)


class SessionKind(str, Enum):
    """What kind of session a journal holds (str-valued: "exam" == SessionKind.EXAM)."""

    EXAM = "exam"            # a live mock exam, proctored by camera and microphone
    ANALYSIS = "analysis"    # a recording analysed by `proctorprep analyze`
    QUICK = "quick"          # a quick round: questions only, nothing watched
    RENEWAL = "renewal"      # a renewal round: 25-40 questions, forward-only, nothing watched (progress/renewal_round.py)

    @classmethod
    def parse(cls, value: Any) -> "SessionKind":
        """A stored kind; an unknown one (a newer version, a hand-edited file) reads as an exam."""
        try:
            return cls(value)
        except ValueError:
            return cls.EXAM


@dataclass(frozen=True)
class SessionRecord:
    kind: SessionKind
    profile: str
    thresholds: dict[str, float]           # resolved: the profile's values with the valid overrides applied
    exam_id: str | None = None
    exam_title: str | None = None
    candidate_name: str = ""
    source: dict[str, Any] = field(default_factory=dict)      # camera/video file, microphone/audio file, ...
    settings: dict[str, Any] = field(default_factory=dict)    # what else it ran with: live warnings, analysis fps...
    overrides: dict[str, float] = field(default_factory=dict)  # the threshold overrides applied (all valid)
    threshold_notes: tuple[str, ...] = ()  # overrides refused and replaced by their defaults, in plain words
    calibration: dict[str, Any] | None = None   # read back from the journal (the pipeline journals the one it uses)
    session_id: str = ""                   # given when the journal is created
    started_at: str = ""                   # ISO 8601 UTC, given when the journal is created
    version: int = RECORD_VERSION
    # The check-in before this session (checkin.run.CheckinResult.to_dict(): each photo's verdict, the confirmed
    # checklist; never a photo, never the text read from the ID). None: no check-in.
    checkin: dict[str, Any] | None = None

    @classmethod
    def new(cls, kind: SessionKind, profile: str, overrides: Mapping[str, Any] | None = None, *,
            exam_id: str | None = None, exam_title: str | None = None, candidate_name: str = "",
            source: Mapping[str, Any] | None = None, settings: Mapping[str, Any] | None = None,
            checkin: Mapping[str, Any] | None = None) -> "SessionRecord":
        """A record for a session about to start: the thresholds resolved here, once, from the profile and the
        overrides (bad ones replaced by their defaults and noted). Raises ThresholdError for an unknown profile."""
        resolved = resolve_thresholds(profile, overrides)
        return cls(kind=SessionKind(kind), profile=profile, thresholds=resolved.thresholds.to_dict(),
                   exam_id=exam_id, exam_title=exam_title, candidate_name=str(candidate_name or "").strip(),
                   source=dict(source or {}), settings=dict(settings or {}), overrides=dict(resolved.overrides),
                   threshold_notes=resolved.notes, checkin=dict(checkin) if checkin is not None else None)

    def to_meta(self) -> dict[str, Any]:
        """The journal's meta rows (session_id and started_at are added by the journal)."""
        return {"kind": self.kind.value, "profile": self.profile, "thresholds": dict(self.thresholds),
                "exam_id": self.exam_id, "exam_title": self.exam_title, "candidate_name": self.candidate_name,
                "source": dict(self.source), "settings": dict(self.settings), "overrides": dict(self.overrides),
                "threshold_notes": list(self.threshold_notes), "record_version": self.version,
                **({"checkin": dict(self.checkin)} if self.checkin is not None else {})}


def open_journal(sessions_root: Path, record: SessionRecord, on_error: Callable[[str], None] | None = None,
                 now: datetime | None = None) -> SessionJournal:
    """THE way a session starts its journal, whatever its kind: the record becomes the journal's meta."""
    return SessionJournal.create(Path(sessions_root), record.to_meta(), on_error=on_error, now=now)


def read_record(reader: JournalReader) -> SessionRecord:
    """THE way a session's record is read back (report, history, badges): meta and calibration of one journal.
    Raises JournalError naming the file if the journal cannot be read."""
    return record_from_meta(reader.meta(), reader.calibration())


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def _dict(v: Any) -> dict[str, Any]:
    return dict(v) if isinstance(v, dict) else {}


def record_from_meta(meta: Mapping[str, Any], calibration: dict[str, Any] | None = None) -> SessionRecord:
    """A record from stored meta, tolerant of journals written before the record (and of hand edits): an unknown
    profile reads as "standard", missing thresholds are recomputed from the profile and the overrides stored."""
    profile = meta.get("profile") if meta.get("profile") in PROFILE_NAMES else "standard"
    settings = _dict(meta.get("settings"))
    notes = tuple(str(n) for n in meta.get("threshold_notes") or () if isinstance(n, str))
    if isinstance(meta.get("overrides"), dict):
        overrides = dict(meta["overrides"])
    else:   # before the record: a live exam kept the profile's overrides in settings["overrides"]
        overrides = _dict(settings.get("overrides")) or _dict(_dict(settings.get("threshold_overrides")).get(profile))
    thresholds = meta.get("thresholds")
    if not isinstance(thresholds, dict):
        try:
            thresholds = thresholds_for(profile, overrides).to_dict()
        except ThresholdError:
            thresholds = resolve_thresholds(profile, overrides).thresholds.to_dict()
    candidate = meta.get("candidate_name") or settings.get("candidate_name") or meta.get("candidate") or ""
    return SessionRecord(
        kind=SessionKind.parse(meta.get("kind")), profile=profile, thresholds=dict(thresholds),
        exam_id=_text(meta.get("exam_id")), exam_title=_text(meta.get("exam_title")), candidate_name=str(candidate),
        source=_dict(meta.get("source")), settings=settings, overrides=overrides, threshold_notes=notes,
        calibration=calibration if isinstance(calibration, dict) else None,
        session_id=str(meta.get("session_id") or ""), started_at=str(meta.get("started_at") or ""),
        checkin=dict(meta["checkin"]) if isinstance(meta.get("checkin"), dict) else None,
        version=int(meta["record_version"]) if isinstance(meta.get("record_version"), int) else 1)
