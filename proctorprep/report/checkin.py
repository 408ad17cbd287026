"""The check-in section of the report, from the session record only (like the rest of the report): each photo's
verdict, the photo itself only if the candidate chose to keep it (read back from the session's folder), and the
checklist, said plainly as "confirmed by you, not seen"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from proctorprep.checkin.run import CheckinResult
from proctorprep.checkin.verdict import PhotoVerdict

NOT_SEEN = ("Confirmed by you, not seen: no model here can see a phone in reach, headphones, a watch or a second "
            "monitor, so these are as you ticked them.")


@dataclass(frozen=True)
class CheckinPhotoRow:
    photo: PhotoVerdict
    jpeg: bytes | None            # the kept photo (None: not kept, or its file is gone)

    @property
    def status(self) -> str:
        if self.photo.skipped:
            return "skipped"
        return "passed" if self.photo.passed else "not passed"


@dataclass(frozen=True)
class CheckinSection:
    passed: bool
    rehearsal: bool
    photos: tuple[CheckinPhotoRow, ...]
    confirmed: tuple[tuple[str, str, bool], ...]      # (key, what the candidate confirmed, ticked)

    @property
    def summary(self) -> str:
        done = [r for r in self.photos if not r.photo.skipped]
        ok = sum(r.photo.passed for r in done)
        skipped = len(self.photos) - len(done)
        ticks = sum(t for _, _, t in self.confirmed)
        tail = f", {skipped} skipped" if skipped else ""
        return (f"{ok} of {len(done)} photos passed{tail}; {ticks} of {len(self.confirmed)} checklist items "
                "confirmed (by you, not seen).")

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "rehearsal": self.rehearsal,
                "photos": [{"kind": r.photo.kind, "title": r.photo.title, "passed": r.photo.passed,
                            "skipped": r.photo.skipped, "kept": r.jpeg is not None,
                            "verdicts": [{"check": v.check, "title": v.title, "passed": v.passed, "words": v.words,
                                          "fix": v.fix} for v in r.photo.verdicts]} for r in self.photos],
                "confirmed": [{"key": k, "text": t, "confirmed": ok, "seen": False} for k, t, ok in self.confirmed]}


def _kept(session_dir: Path | None, name: str | None) -> bytes | None:
    """A kept photo's bytes: only a plain file name inside the session folder (a hand-edited record cannot point
    the report at another file)."""
    if session_dir is None or not name or Path(name).name != name or not name.startswith("checkin-"):
        return None
    p = session_dir / name
    try:
        return p.read_bytes() if p.is_file() and not p.is_symlink() else None
    except OSError:
        return None


def checkin_section(data: Mapping[str, Any] | None, session_dir: Path | None) -> CheckinSection | None:
    if not isinstance(data, Mapping):
        return None
    res = CheckinResult.from_dict(data)
    items = res.confirmations.to_dict()
    return CheckinSection(
        passed=bool(data.get("passed", res.passed)), rehearsal=res.rehearsal,
        photos=tuple(CheckinPhotoRow(p, _kept(session_dir, p.kept_as)) for p in res.photos),
        confirmed=tuple((i["key"], i["text"], bool(i["confirmed"])) for i in items))
