"""Streaks and trends over the session history, in plain words.

- clean sessions in a row (the current run and the best one): a session is clean when even the lenient proctor
  passes it without a warning — the same test as the "first clean session" badge;
- incidents per hour, session by session;
- the habit that improved most (earlier half of the history against the recent half) and the one that needs work
  next (the highest recent rate), each tied to the etiquette advice the report gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

from proctorprep.progress.badges import MIN_PROCTORED_S, eligible
from proctorprep.progress.summary import SessionSummary
from proctorprep.progress.verdicts import VerdictFn, verdict
from proctorprep.rules.incident_types import incident_type, type_keys


def habit(type_key: str) -> str:
    """The habit behind an incident type, as a candidate would say it."""
    return incident_type(type_key).habit


@dataclass(frozen=True)
class RatePoint:
    session_id: str
    started_at: datetime
    label: str
    per_hour: float                       # all incidents the candidate is responsible for, per hour
    by_type: dict[str, float] = field(default_factory=dict)   # type -> incidents per hour


@dataclass(frozen=True)
class HabitChange:
    incident_type: str
    habit: str
    before_per_hour: float
    recent_per_hour: float
    advice: str
    text: str                            # one plain sentence


@dataclass(frozen=True)
class Trends:
    current_clean_streak: int
    best_clean_streak: int
    sessions: int                        # proctored sessions considered
    rates: list[RatePoint]
    improved: HabitChange | None
    needs_work: HabitChange | None

    def lines(self) -> list[str]:
        """What the history page prints."""
        if not self.sessions:
            return [f"No finished proctored session of {MIN_PROCTORED_S / 60:g} minutes or more yet: your streaks "
                    "and trends start with the first one."]
        out = [f"Clean sessions in a row: {self.current_clean_streak} (best {self.best_clean_streak})."]
        if len(self.rates) >= 2:
            first, last = self.rates[0].per_hour, self.rates[-1].per_hour
            out.append(f"Incidents per hour: {first:.1f} in your first session, {last:.1f} in the latest.")
        for change in (self.improved, self.needs_work):
            if change:
                out.append(change.text)
        return out


def _rates(s: SessionSummary) -> dict[str, float]:
    return {t: s.count(t) / s.hours for t in type_keys() if s.count(t)}


def _pooled(sessions: list[SessionSummary]) -> dict[str, float]:
    """Incidents per hour of each type over a group of sessions (total count / total time)."""
    hours = sum(s.hours for s in sessions)
    return {t: sum(s.count(t) for s in sessions) / hours for t in type_keys()} if hours else {}


def _change(t: str, before: float, recent: float, improved: bool) -> HabitChange:
    advice = incident_type(t).advice
    if improved:
        text = (f"Improved most: {habit(t)} — {before:.1f} incidents per hour earlier, {recent:.1f} recently.")
    else:
        text = f"Needs work next: {habit(t)} ({recent:.1f} incidents per hour recently)."
    if advice and not improved:
        text += f" {advice}"
    return HabitChange(t, habit(t), before, recent, advice, text)


def _habits(sessions: list[SessionSummary]) -> tuple[HabitChange | None, HabitChange | None]:
    if not sessions:
        return None, None
    half = len(sessions) // 2
    earlier, recent = (sessions[:half], sessions[half:]) if half else ([], sessions)
    before, now = _pooled(earlier), _pooled(recent)
    order = type_keys()
    improved = None
    if earlier:
        drops = sorted(((before[t] - now[t], t) for t in order if before[t] > now[t]),
                       key=lambda d: (-d[0], order.index(d[1])))
        if drops:
            t = drops[0][1]
            improved = _change(t, before[t], now[t], improved=True)
    # Needs work: the highest recent rate, preferring a habit other than the one that just improved most.
    candidates = sorted((t for t in order if now.get(t, 0) > 0),
                        key=lambda t: (improved is not None and t == improved.incident_type, -now[t],
                                       order.index(t)))
    needs = _change(candidates[0], before.get(candidates[0], 0.0), now[candidates[0]], improved=False) \
        if candidates else None
    return improved, needs


def trends(sessions: Iterable[SessionSummary], verdict_fn: VerdictFn | None = None) -> Trends:
    done = [s for s in eligible(sessions) if s.proctored and s.duration_s >= MIN_PROCTORED_S]
    run = best = 0
    for s in done:
        run = run + 1 if verdict(s, "lenient", verdict_fn) == "pass" else 0
        best = max(best, run)
    rates = [RatePoint(s.session_id, s.started_at, s.label(), len(s.own_incidents()) / s.hours, _rates(s))
             for s in done]
    improved, needs = _habits(done)
    return Trends(run, best, len(done), rates, improved, needs)
