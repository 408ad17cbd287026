"""second_screen and left_exam_window: rules on what the exam client reports (rules/conditions.py), not on the
camera. Each holds the current condition (a screen count, a window state), because an event says what changed and
the condition then lasts until the next one; the engine's clock ticks (every observation) let a grace period run
out while nothing new happens.

- second_screen: more than one screen connected. At the check-in (the first count the session hears) or added
  during the exam, it is an incident at once: exam clients refuse to start, or stop, with a second monitor.
- left_exam_window: the exam window is not the active one (another window has the focus), is minimised, or left
  full screen after running full screen. One absence longer than `window_grace_s` is an incident (Proctorio gives
  15-30 s before it ends the attempt); so is the `window_exits`-th absence within `window_exits_s`, however short.
  During an allowed break leaving the window is fine and nothing is judged.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from proctorprep.rules import conditions as cd
from proctorprep.rules.detectors.base import confidence
from proctorprep.rules.incidents import LEFT_EXAM_WINDOW, SECOND_SCREEN, Incident, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds

STATE_WORDS = {cd.INACTIVE: "another window was in front of the exam", cd.MINIMISED: "the exam window was minimised",
               cd.LEFT_FULL_SCREEN: "the exam left full screen"}


class SecondScreenDetector:
    type = SECOND_SCREEN

    def __init__(self, thr: Thresholds) -> None:
        self.thr = thr
        self._phase: str | None = None
        self._open: dict[str, Any] | None = None
        self._heard = False            # a screen count was heard before (the first one is the check-in's)

    def feed_event(self, ev: cd.ConditionEvent) -> list[IncidentUpdate]:
        if ev.kind == cd.PHASE:
            self._phase = ev.value
            return []
        if ev.kind != cd.SCREENS:
            return []
        at_check_in = not self._heard or self._phase in (None, cd.PRE_START)
        self._heard = True
        names = [str(n) for n in ev.detail.get("names", ())]
        if ev.value > 1 and self._open is None:
            self._open = {"start_s": ev.t_s, "screens": ev.value, "names": names, "at_check_in": at_check_in}
            return [IncidentUpdate("opened", self._incident(ev.t_s, ev.t_s))]
        if ev.value > 1 and self._open is not None:
            self._open["screens"] = max(self._open["screens"], ev.value)
            self._open["names"] = names or self._open["names"]
            return []
        if ev.value <= 1 and self._open is not None:
            return self._close(ev.t_s)
        return []

    def finish(self, t: float) -> list[IncidentUpdate]:
        return self._close(t) if self._open is not None else []

    def _close(self, t: float) -> list[IncidentUpdate]:
        inc = self._incident(self._open["start_s"] if self._open else t, t)
        self._open = None
        return [IncidentUpdate("closed", inc)]

    def _incident(self, start: float, end: float) -> Incident:
        o = self._open or {}
        n, names = o.get("screens", 2), o.get("names", [])
        which = f" ({', '.join(names)})" if names else ""
        when = "at the check-in" if o.get("at_check_in") else "during the exam"
        text = f"{n} screens connected {when}{which}; an exam allows one"
        return Incident(type=self.type, start_s=start, end_s=max(start, end), confidence=0.99,
                        evidence={"screens": n, "names": names, "at_check_in": bool(o.get("at_check_in")),
                                  "duration_s": round(max(0.0, end - start), 2), "decided_s": round(start, 3)},
                        explanation=text)


class LeftExamWindowDetector:
    type = LEFT_EXAM_WINDOW

    def __init__(self, thr: Thresholds) -> None:
        self.thr = thr
        self._state = cd.ACTIVE
        self._on_break = False
        self._since: float | None = None          # away since
        self._why = cd.ACTIVE
        self._open: Incident | None = None         # the incident of the current absence, once decided
        self._exits: deque[float] = deque()       # starts of earlier absences (for the "often" rule)
        self._count = 0                           # absences so far in the session
        self._away_total = 0.0
        self._clock = float("-inf")
        self._recent = 0                          # absences within window_exits_s, this one included

    def feed_event(self, ev: cd.ConditionEvent) -> list[IncidentUpdate]:
        if ev.kind not in (cd.PHASE, cd.WINDOW):
            return []
        out = self._update(ev.t_s)        # the old state lasted until now (a grace that runs out exactly here)
        if ev.kind == cd.PHASE:
            self._on_break = ev.value == cd.BREAK
        else:
            self._state = ev.value
        return out + self._update(ev.t_s)

    def tick(self, t: float) -> list[IncidentUpdate]:
        if t <= self._clock:
            return []
        return self._update(t)

    def finish(self, t: float) -> list[IncidentUpdate]:
        out = self.tick(t)
        return out + self._end(max(t, self._clock)) if self._since is not None else out

    def _update(self, t: float) -> list[IncidentUpdate]:
        self._clock = max(self._clock, t)
        away = self._state != cd.ACTIVE and not self._on_break
        out: list[IncidentUpdate] = []
        if not away:
            return self._end(t) if self._since is not None else []
        if self._since is None:                   # a new absence
            self._since, self._why = t, self._state
            self._count += 1
            while self._exits and self._exits[0] < t - self.thr.window_exits_s:
                self._exits.popleft()
            self._exits.append(t)
            self._recent = len(self._exits)
            often = self._recent >= self.thr.window_exits
            if often:
                self._open = self._incident(t, t, decided_s=t, often=True)
                self._exits.clear()               # counted: the next ones start a new count
                out.append(IncidentUpdate("opened", self._open))
        if self._open is None and t - self._since >= self.thr.window_grace_s:
            self._open = self._incident(self._since, t, decided_s=t, often=False)
            out.append(IncidentUpdate("opened", self._open))
        return out

    def _end(self, t: float) -> list[IncidentUpdate]:
        assert self._since is not None
        self._away_total += max(0.0, t - self._since)
        out = []
        if self._open is not None:
            out.append(IncidentUpdate("closed", self._incident(
                self._since, t, decided_s=self._open.evidence["decided_s"], often=self._open.evidence["often"])))
        self._since, self._open = None, None
        return out

    def _incident(self, start: float, end: float, decided_s: float, often: bool) -> Incident:
        dur = max(0.0, end - start)
        why = STATE_WORDS.get(self._why, "the exam window was left")
        recent = self._recent
        if often:
            text = (f"You left the exam window {recent} times within {self.thr.window_exits_s / 60:.0f} min "
                    f"({why}, this time for {dur:.0f} s)")
        else:
            text = f"You were away from the exam window for {dur:.0f} s: {why}"
        evidence = {"state": self._why, "often": often, "exits_recent": recent, "exits_so_far": self._count,
                    "away_total_s": round(self._away_total + dur, 1), "grace_s": self.thr.window_grace_s,
                    "duration_s": round(dur, 2), "decided_s": round(decided_s, 3)}
        strength = (recent - self.thr.window_exits + 1) / 2 if often else dur / (2 * self.thr.window_grace_s)
        return Incident(type=self.type, start_s=start, end_s=end, confidence=confidence(0.6 + strength),
                        evidence=evidence, explanation=text)
