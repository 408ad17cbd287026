"""Small helpers that keep what the candidate reads in plain words: counted nouns without "(s)", times in the
candidate's own time zone. No Qt; used by the pages, the reports and the command line alike."""

from __future__ import annotations

from datetime import datetime, timezone

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # no locale: stable
_IRREGULAR = {"is": "are", "was": "were", "has": "have", "person": "people", "this": "these"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 incident', '3 incidents', '0 incidents'; `many` for an irregular plural ('1 person', '2 people')."""
    return f"{n} {word if n == 1 else (many or _IRREGULAR.get(word) or word + 's')}"


def parse_utc(iso: str) -> datetime | None:
    """An ISO time as stored in the journal ('2026-11-21T14:05:00Z'); None when it cannot be read."""
    try:
        t = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError, TypeError):
        return None
    return t if t.tzinfo is not None else t.replace(tzinfo=timezone.utc)


def local_time(iso: str, with_date: bool = True, tz: timezone | None = None) -> str:
    """'21 Nov 2026, 15:05' in the local time zone (or `tz`); the text itself when it is not a time."""
    t = parse_utc(iso)
    if t is None:
        return iso
    t = t.astimezone(tz)
    clock = f"{t.hour:02d}:{t.minute:02d}"
    return f"{t.day} {MONTHS[t.month - 1]} {t.year}, {clock}" if with_date else clock


def short_date(iso: str, tz: timezone | None = None) -> str:
    """'21 Nov' in local time (chart axes)."""
    t = parse_utc(iso)
    if t is None:
        return iso[:10]
    t = t.astimezone(tz)
    return f"{t.day} {MONTHS[t.month - 1]}"
