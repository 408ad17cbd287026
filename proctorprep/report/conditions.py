"""The report's "Exam conditions" section, from the journal's exam events only: the screens seen at the check-in and
after, how often and how long the exam window was left (every absence, the short ones under the grace too), the
breaks taken and what they locked, and — for a session that had no exam client (an analysed recording) — which
rules could not be judged at all, said plainly instead of a clean bill that was never checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from proctorprep.rules import conditions as cd
from proctorprep.rules.incident_types import incident_types


@dataclass(frozen=True, slots=True)
class BreakRow:
    start_s: float            # session clock
    end_s: float
    locked: int               # questions locked by this break (seen before it, not locked already)

    @property
    def duration_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)


@dataclass(frozen=True, slots=True)
class ConditionsSummary:
    judged: bool                          # screens and the exam window were watched (a live exam)
    not_judged: tuple[str, ...]           # incident types this session could not judge
    screens_at_check_in: int | None
    screens_most: int | None
    screen_names: tuple[str, ...]
    window_exits: int                     # every time the exam window was left, however short
    window_away_s: float
    window_longest_s: float
    breaks_allowed: bool | None           # None: not an exam (no bank said)
    breaks: tuple[BreakRow, ...]
    kind: str = "analysis"                # the session's kind (the words for "not judged" depend on it)

    def lines(self) -> list[str]:
        """The section in plain sentences (HTML and PDF show the same words)."""
        out: list[str] = []
        if not self.judged:
            from proctorprep.rules.incident_types import incident_type

            names = ", ".join(incident_type(k).label.lower() for k in self.not_judged)
            why = ("A recording has no exam window, screens or check-in to watch; take a mock exam in the app to "
                   "rehearse these rules." if self.kind == "analysis" else
                   "This session kept no record of screens or the exam window (it was made by an earlier version "
                   "or without the app's window).")
            out.append(f"Not judged in this session: {names}. {why}")
        else:
            n = self.screens_at_check_in
            if n is not None:
                out.append(f"Screens at the check-in: {n}" + (" (one, as an exam requires)." if n <= 1 else
                                                                f" ({', '.join(self.screen_names)}); an exam allows "
                                                                "one."))
            if self.screens_most is not None and n is not None and self.screens_most > n:
                out.append(f"A screen was connected during the exam (up to {self.screens_most}).")
            if self.window_exits:
                out.append(f"You left the exam window {self.window_exits} time{'s' if self.window_exits != 1 else ''}"
                           f", {self.window_away_s:.0f} s in all (the longest {self.window_longest_s:.0f} s).")
            else:
                out.append("You stayed in the exam window throughout.")
        if self.breaks_allowed is not None:
            if not self.breaks_allowed:
                out.append("This exam allows no breaks: leaving the camera's view counts as leaving.")
            elif not self.breaks:
                out.append("This exam allows breaks; you took none.")
            for b in self.breaks:
                out.append(f"Break at {_clock(b.start_s)} for {_clock(b.duration_s)} (the clock kept running); "
                           f"{b.locked} question{'s' if b.locked != 1 else ''} you had seen locked.")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"judged": self.judged, "not_judged": list(self.not_judged),
                "screens": {"at_check_in": self.screens_at_check_in, "most": self.screens_most,
                            "names": list(self.screen_names)},
                "window": {"exits": self.window_exits, "away_s": round(self.window_away_s, 1),
                           "longest_s": round(self.window_longest_s, 1)},
                "breaks": {"allowed": self.breaks_allowed,
                           "taken": [{"start_s": round(b.start_s, 3), "end_s": round(b.end_s, 3), "locked": b.locked}
                                     for b in self.breaks]}}


def _clock(t: float) -> str:
    m, s = divmod(max(0, int(round(t))), 60)
    return f"{m}:{s:02d}"


def build_conditions(events: Sequence[Any], duration_s: float, kind: str = "analysis") -> ConditionsSummary:
    """From the journal's exam events (objects with t_s, kind, data)."""
    heard: set[str] = set()
    screens: list[tuple[float, int, list[str]]] = []
    window: list[tuple[float, str]] = []
    phases: list[tuple[float, str]] = []
    breaks: list[BreakRow] = []
    allowed: bool | None = None
    open_break: tuple[float, int] | None = None
    for e in events:
        data = e.data if isinstance(e.data, dict) else {}
        if e.kind == "condition":
            try:
                ev = cd.ConditionEvent.from_dict(e.t_s, data)
            except cd.ConditionError:
                continue              # a kind from a newer version: not this section's business
            heard.add(ev.kind)
            if ev.kind == cd.SCREENS:
                screens.append((ev.t_s, int(ev.value), [str(n) for n in ev.detail.get("names", ())]))
            elif ev.kind == cd.WINDOW:
                window.append((ev.t_s, str(ev.value)))
            else:
                phases.append((ev.t_s, str(ev.value)))
        elif e.kind == "started" and "breaks" in data:
            allowed = bool(data["breaks"])
        elif e.kind == "break_started":
            open_break = (e.t_s, len(data.get("locked") or ()))
        elif e.kind == "break_ended" and open_break is not None:
            breaks.append(BreakRow(open_break[0], e.t_s, open_break[1]))
            open_break = None
    if open_break is not None:
        breaks.append(BreakRow(open_break[0], duration_s, open_break[1]))
    exits, away, longest = _absences(window, phases, duration_s)
    not_judged = tuple(t.key for t in incident_types() if t.needs and not set(t.needs) <= heard)
    return ConditionsSummary(
        judged=bool({cd.SCREENS, cd.WINDOW} & heard), not_judged=not_judged,
        screens_at_check_in=screens[0][1] if screens else None,
        screens_most=max(n for _, n, _ in screens) if screens else None,
        screen_names=tuple(next((names for _, n, names in screens if n > 1), [])),
        window_exits=exits, window_away_s=away, window_longest_s=longest, breaks_allowed=allowed,
        breaks=tuple(breaks), kind=kind)


def _absences(window: list[tuple[float, str]], phases: list[tuple[float, str]], end_s: float
              ) -> tuple[int, float, float]:
    """Every absence from the exam window outside breaks: (count, total s, longest s)."""
    marks = sorted([(t, "w", v) for t, v in window] + [(t, "p", v) for t, v in phases])
    state, on_break, since = cd.ACTIVE, False, None
    spans: list[float] = []
    for t, what, value in marks + [(end_s, "end", "")]:
        if since is not None and (what == "end" or (what == "w" and value == cd.ACTIVE)
                                  or (what == "p" and value == cd.BREAK)):
            spans.append(max(0.0, t - since))
            since = None
        if what == "w":
            state = value
        elif what == "p":
            on_break = value == cd.BREAK
        if since is None and what != "end" and state != cd.ACTIVE and not on_break:
            since = t
    return len(spans), round(sum(spans), 1), round(max(spans, default=0.0), 1)
