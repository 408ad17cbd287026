"""When a certification expires and when its renewal window is open, by Microsoft's rules unless edited.

Microsoft's rule (Renew your Microsoft Certification, learn.microsoft.com/en-us/certifications/
renew-your-microsoft-certification, read December 2026): associate, expert and specialty (role-based and specialty)
certifications expire yearly; the free online renewal assessment opens six months before the expiry date, and
passing it extends the certification by one year from its current expiry date. Fundamentals certifications do not
expire. Those are the defaults here; each certification may set its own validity and window (another vendor, a
changed rule).

States, on a given day (`today` is always passed in, so the rules are tested with a fake clock):
- "lifetime"  — the certification does not expire;
- "unknown"   — it expires but neither an expiry nor an earned date was entered;
- "not-open"  — the window opens later;
- "open"      — the window is open (from `opens` on);
- "closing"   — open, and `CLOSING_DAYS` or fewer days are left: the start-up reminder gets louder;
- "expired"   — the day after the expiry date and later. The expiry date itself is the last day to renew.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date

from proctorprep.progress.journey import Certification, JourneyError, day_words

CLOSING_DAYS = 30


@dataclass(frozen=True)
class RenewalRule:
    validity_months: int | None     # None: does not expire
    window_months: int = 6          # the renewal opens this many months before expiry


DEFAULT_RULES: dict[str, RenewalRule] = {
    "role-based": RenewalRule(12, 6),
    "specialty": RenewalRule(12, 6),
    "fundamentals": RenewalRule(None, 0),
    "other": RenewalRule(None, 0),
}


@dataclass(frozen=True)
class RenewalStatus:
    cert_id: str
    name: str
    state: str                      # lifetime | unknown | not-open | open | closing | expired
    expires_on: date | None = None
    opens_on: date | None = None
    days_left: int | None = None    # until the expiry date (0 on the day itself, negative once expired)
    text: str = ""                  # one plain sentence

    @property
    def window_open(self) -> bool:
        return self.state in ("open", "closing")

    @property
    def needs_attention(self) -> bool:
        """Said at start-up: a window that is open or closing."""
        return self.window_open


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day (31 Aug + 6 -> 28/29 Feb)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rule_for(cert: Certification) -> RenewalRule:
    base = DEFAULT_RULES.get(cert.kind, DEFAULT_RULES["other"])
    validity = cert.validity_months if cert.validity_months is not None else base.validity_months
    window = cert.window_months if cert.window_months is not None else (base.window_months or 6)
    return RenewalRule(validity, window)


def expiry(cert: Certification) -> date | None:
    """The entered expiry date, else earned date + validity; None when it does not expire or is not known."""
    if cert.expires_on is not None:
        return cert.expires_on
    rule = rule_for(cert)
    if rule.validity_months is None or cert.earned_on is None:
        return None
    return add_months(cert.earned_on, rule.validity_months)


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def status(cert: Certification, today: date) -> RenewalStatus:
    rule = rule_for(cert)
    ends = expiry(cert)
    if ends is None:
        if rule.validity_months is None:
            return RenewalStatus(cert.id, cert.name, "lifetime", text=f"{cert.name} does not expire.")
        return RenewalStatus(cert.id, cert.name, "unknown",
                             text=f"{cert.name}: enter the date you earned it (or its expiry date) to track renewal.")
    opens = add_months(ends, -rule.window_months)
    left = (ends - today).days
    base = RenewalStatus(cert.id, cert.name, "", ends, opens, left)
    if left < 0:
        return replace(base, state="expired",
                       text=f"{cert.name} expired on {day_words(ends)}: renewal is no longer possible; "
                            "it has to be earned again.")
    if today < opens:
        return replace(base, state="not-open",
                       text=f"{cert.name} expires on {day_words(ends)}; its renewal window opens on "
                            f"{day_words(opens)} (in {_days((opens - today).days)}).")
    if left <= CLOSING_DAYS:
        when = "today is the last day" if left == 0 else f"{_days(left)} left"
        return replace(base, state="closing",
                       text=f"Renew {cert.name} now: its renewal window closes on {day_words(ends)} ({when}).")
    return replace(base, state="open",
                   text=f"The renewal window of {cert.name} is open until {day_words(ends)} ({_days(left)} left).")


def statuses(certs: list[Certification], today: date) -> list[RenewalStatus]:
    """Every certification's state, the most urgent first (closing, open, expired, then the rest by date)."""
    order = {"closing": 0, "open": 1, "expired": 2, "not-open": 3, "unknown": 4, "lifetime": 5}
    out = [status(c, today) for c in certs]
    return sorted(out, key=lambda s: (order[s.state], s.expires_on or date.max, s.name))


def reminders(certs: list[Certification], today: date) -> list[RenewalStatus]:
    """What the app says at start-up: the windows that are open or closing."""
    return [s for s in statuses(certs, today) if s.needs_attention]


def renew(cert: Certification, on: date) -> Certification:
    """Record a passed renewal on `on`: the expiry moves one validity period on from the current expiry date.
    Refused outside the window (before it opens, or once the certification has expired)."""
    st = status(cert, on)
    if st.state == "lifetime":
        raise JourneyError(f"{cert.name} does not expire, so it needs no renewal")
    if st.state == "unknown":
        raise JourneyError(st.text)
    if not st.window_open:
        raise JourneyError(st.text)
    rule = rule_for(cert)
    assert st.expires_on is not None and rule.validity_months is not None
    return replace(cert, expires_on=add_months(st.expires_on, rule.validity_months),
                   renewed_on=cert.renewed_on + (on,))
