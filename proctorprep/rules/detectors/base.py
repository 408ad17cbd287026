"""The building blocks every detector shares: a dwell gate with hysteresis in time, and the incident bookkeeping.

A detector turns each sample into a condition (True = the behaviour is seen, False = not seen, None = cannot tell,
e.g. no trustworthy face). The gate turns the conditions into runs: a run OPENS once the condition has held for the
dwell time (short interruptions under `bridge_s` are tolerated while it builds up) and CLOSES once the condition
has been false for `off_s`. "Cannot tell" neither builds nor breaks a run, unless it lasts longer than `max_gap_s`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from proctorprep.rules.incidents import Incident, IncidentUpdate

IDLE, PENDING, OPEN = "idle", "pending", "open"


@dataclass(frozen=True, slots=True)
class GateEvent:
    kind: str          # "started" | "opened" | "closed" | "abandoned" (a run that ended before its dwell)
    start_s: float
    end_s: float


class DwellGate:
    def __init__(self, on_s: float, off_s: float, bridge_s: float = 0.0, max_gap_s: float = 1.0) -> None:
        self.on_s, self.off_s, self.bridge_s, self.max_gap_s = on_s, off_s, bridge_s, max_gap_s
        self.state = IDLE
        self.start_s = 0.0
        self.last_true_s = 0.0
        self.false_since: float | None = None

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    @property
    def active(self) -> bool:
        return self.state != IDLE

    def update(self, t: float, cond: bool | None, since: float | None = None) -> list[GateEvent]:
        """Feed one sample; `since` back-dates the start of a new run (e.g. the first lip opening of a window)."""
        if cond is None:
            if self.state != IDLE and t - self.last_true_s > self.max_gap_s:
                return self._end(self.last_true_s)
            return []
        if cond:
            events: list[GateEvent] = []
            if self.state == IDLE:
                self.state, self.start_s = PENDING, (t if since is None else min(since, t))
                events.append(GateEvent("started", self.start_s, t))
            self.last_true_s, self.false_since = t, None
            if self.state == PENDING and t - self.start_s >= self.on_s:
                self.state = OPEN
                events.append(GateEvent("opened", self.start_s, t))
            return events
        if self.state == IDLE:
            return []
        if self.false_since is None:
            self.false_since = t
        limit = self.off_s if self.state == OPEN else self.bridge_s
        if t - self.false_since >= limit:
            return self._end(self.false_since)
        return []

    def force_end(self, t: float) -> list[GateEvent]:
        """End any run now (end of the session, device lost): an open run closes at its last sign of the behaviour."""
        if self.state == IDLE:
            return []
        end = self.false_since if self.false_since is not None else self.last_true_s
        return self._end(end)

    def _end(self, end_s: float) -> list[GateEvent]:
        kind = "closed" if self.state == OPEN else "abandoned"
        ev = GateEvent(kind, self.start_s, max(end_s, self.start_s))
        self.state, self.false_since = IDLE, None
        return [ev]


def confidence(strength: float, low: float = 0.55, high: float = 0.99) -> float:
    """Map a 0..1+ strength of evidence to a confidence between `low` and `high`."""
    return round(low + (high - low) * max(0.0, min(1.0, strength)), 3)


class GatedDetector:
    """One incident type behind one dwell gate. Subclasses compute the condition, collect evidence while a run
    builds up (`collect`) and describe the incident (`describe`). What the type means (severity, advice) is the
    registry's (rules/incident_types.py); the engine stamps it on every incident."""

    type: str = ""

    def __init__(self, on_s: float, off_s: float, bridge_s: float = 0.0, max_gap_s: float = 1.0) -> None:
        self.gate = DwellGate(on_s, off_s, bridge_s, max_gap_s)
        self.acc: dict[str, Any] = {}
        self._decided_s = 0.0

    # --- for subclasses
    def reset_evidence(self) -> None:
        self.acc = {}

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        """-> (direction, confidence, evidence, explanation) for the run [start_s, end_s]."""
        raise NotImplementedError

    def on_abandoned(self, ev: GateEvent) -> list[IncidentUpdate]:
        return []

    # --- shared
    def step(self, t: float, cond: bool | None, since: float | None = None) -> tuple[list[IncidentUpdate], bool]:
        """Feed the gate; returns the updates and whether the sample belongs to a run (collect evidence from it)."""
        return self._handle(self.gate.update(t, cond, since)), bool(cond) and self.gate.active

    def finish(self, t: float) -> list[IncidentUpdate]:
        return self._handle(self.gate.force_end(t))

    def _handle(self, events: list[GateEvent]) -> list[IncidentUpdate]:
        out: list[IncidentUpdate] = []
        for ev in events:
            if ev.kind == "started":
                self.reset_evidence()
            elif ev.kind == "opened":
                self._decided_s = ev.end_s
                out.append(IncidentUpdate("opened", self.make(ev.start_s, ev.end_s)))
            elif ev.kind == "closed":
                out.append(IncidentUpdate("closed", self.make(ev.start_s, ev.end_s)))
            else:
                out.extend(self.on_abandoned(ev))
        return out

    def make(self, start_s: float, end_s: float, decided_s: float | None = None) -> Incident:
        direction, conf, evidence, text = self.describe(start_s, end_s)
        evidence = {**evidence, "duration_s": round(end_s - start_s, 2),
                    "decided_s": round(self._decided_s if decided_s is None else decided_s, 3)}
        return Incident(type=self.type, start_s=start_s, end_s=end_s, confidence=conf,
                        direction=direction, evidence=evidence, explanation=text)
