"""An iCalendar (.ics) file of the journey's dates, for the candidate's own calendar (RFC 5545, written by the
`icalendar` library rather than by hand: escaping, line folding and date forms are easy to get subtly wrong).

What goes in:
- every exam with a date: at its time when one was entered (floating local time, as the candidate typed it;
  `EXAM_HOURS` long), else an all-day event;
- per certification that expires: "renewal window opens" on the day it opens, and "last day to renew" on the
  expiry date with reminders 30 and 7 days before.
UIDs are stable (entry id + what), so importing a newer export updates the same events instead of doubling them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from proctorprep.progress.journey import Journey, day_words
from proctorprep.progress.renewal_window import status

PRODID = "-//proctorprep//certification journey//EN"
EXAM_HOURS = 2          # a role-based exam's 100-120 minutes plus check-in
REMIND_DAYS = (30, 7)


def _uid(entry_id: str, what: str) -> str:
    return f"{entry_id}-{what}@proctorprep.journey"


def build_calendar(journey: Journey, today: date, stamp: datetime | None = None) -> bytes:
    """The journey's dates as iCalendar bytes. `today` decides nothing but is kept for symmetry with the rules;
    `stamp` (DTSTAMP) defaults to now, in UTC."""
    from icalendar import Alarm, Calendar, Event

    stamp = stamp or datetime.now(timezone.utc)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Certification journey (proctorprep)")

    def event(uid: str, summary: str, start: date | datetime, description: str) -> Event:
        ev = Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        ev.add("summary", summary)
        ev.add("dtstart", start)
        if isinstance(start, datetime):
            ev.add("dtend", start + timedelta(hours=EXAM_HOURS))
        else:
            ev.add("dtend", start + timedelta(days=1))
        ev.add("description", description)
        ev.add("transp", "TRANSPARENT" if not isinstance(start, datetime) else "OPAQUE")
        return ev

    for e in journey.exams:
        if e.date is None:
            continue
        start: date | datetime = e.date
        if e.time:
            hh, mm = (int(x) for x in e.time.split(":"))
            start = datetime.combine(e.date, time(hh, mm))          # floating: the candidate's local time
        what = {"planned": "planned", "booked": "booked", "passed": "passed", "failed": "taken"}[e.status]
        desc = f"Exam {e.label} ({what})."
        if e.score is not None:
            desc += f" Score {e.score}."
        cal.add_component(event(_uid(e.id, "exam"), f"Exam {e.label}", start, desc))

    for c in journey.certifications:
        st = status(c, today)
        if st.expires_on is None or st.opens_on is None:
            continue
        cal.add_component(event(
            _uid(c.id, "renewal-opens"), f"Renewal window opens: {c.name}", st.opens_on,
            f"The free online renewal of {c.name} can be taken from today until {day_words(st.expires_on)}."))
        last = event(_uid(c.id, "expires"), f"Last day to renew: {c.name}", st.expires_on,
                     f"{c.name} expires after today unless it is renewed.")
        for days in REMIND_DAYS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{c.name}: {days} days left to renew")
            alarm.add("trigger", timedelta(days=-days))
            last.add_component(alarm)
        cal.add_component(last)
    return cal.to_ical()


def write_calendar(journey: Journey, dest: Path, today: date) -> Path:
    """Write the .ics where the candidate chose (atomic, 0600; the folder's own permissions are left alone)."""
    from proctorprep.report.export import write_file

    return write_file(Path(dest), build_calendar(journey, today))
