"""The proctor's policy: which incidents become warnings, how warnings escalate, and the session's verdict.

Profiles (chosen in settings and with `--profile`):
- lenient:  warns for everything except restlessness; ends the exam when one rule is broken more than 3 times or
            any rules more than 6 times; another person is a warning, not the end.
- standard: warns for everything except restlessness (a note in the report); another person in view ends the exam
            at once; the same rule broken more than twice, or any rules more than four times, ends it.
- strict:   warns for everything, restlessness included, and each warning pauses the exam until acknowledged;
            another person ends it; the same rule more than once, or any rules more than three times, ends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from proctorprep.rules.incident_types import incident_types, recorded_type, type_keys
from proctorprep.rules.incidents import Incident
from proctorprep.rules.thresholds import PROFILE_NAMES


@dataclass(frozen=True, slots=True)
class Escalation:
    max_same: int                   # the same rule warned more than this many times ends the exam
    max_total: int                  # all warnings together more than this ends it
    pause: bool                     # each warning pauses the exam until the candidate acknowledges it


# Which types warn and which end the exam is each type's own (IncidentType.warns_in / ends_in); a profile says how
# warnings escalate.
ESCALATION: dict[str, Escalation] = {
    "lenient": Escalation(3, 6, False),
    "standard": Escalation(2, 4, False),
    "strict": Escalation(1, 3, True),
}
assert set(ESCALATION) == set(PROFILE_NAMES)


@dataclass(frozen=True, slots=True)
class PolicyProfile:
    name: str
    warn_types: frozenset[str]      # incident types that draw a warning (others are notes in the report)
    end_types: frozenset[str]       # incident types that end the exam at once
    max_same: int
    max_total: int
    pause: bool


@dataclass(frozen=True, slots=True)
class PolicyAction:
    t_s: float
    incident_type: str
    action: str          # "warn" | "pause" | "end"
    message: str         # what the proctor says, plain words
    count_same: int      # warnings for this rule so far (this one included)
    count_total: int
    rule: str = ""       # for an end: the rule that ended it ("another person in view ends the exam at once")
    # The parts of the message, for a screen that shows them apart: the proctor's request ("Please keep your eyes
    # on the screen."), what was measured, and what happens next.
    request: str = ""
    reason: str = ""
    consequence: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = {"t_s": round(self.t_s, 3), "type": self.incident_type, "action": self.action,
             "message": self.message, "count_same": self.count_same, "count_total": self.count_total}
        if self.rule:
            d["rule"] = self.rule
        return d


def policy_for(profile: str) -> PolicyProfile:
    """The profile as it stands over the types registered now."""
    try:
        e = ESCALATION[profile]
    except KeyError:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILE_NAMES)}") from None
    types = incident_types()
    return PolicyProfile(profile, frozenset(t.key for t in types if profile in t.warns_in),
                         frozenset(t.key for t in types if profile in t.ends_in), e.max_same, e.max_total, e.pause)


def decided_at(incident: Incident) -> float:
    """When the rules raised the incident (the dwell was reached); the start for older records."""
    return float(incident.evidence.get("decided_s", incident.start_s))


@dataclass(frozen=True, slots=True)
class Pacing:
    """How often a proctor speaks up: the same rule at most once per `per_type_s`, any rule at most once per `any_s`.
    An incident inside that time is recorded (it is in the report) but draws no warning and is NOT counted towards
    the end of the exam: the warnings a candidate is shown and the warnings that are counted are the same ones.
    Incidents that end the exam at once (another person) are never held back."""

    per_type_s: float = 10.0
    any_s: float = 5.0


# 10 s: long enough that one habit going on (three silent mouthings 4 s apart) draws one warning, not an end in
# under 30 s; short enough that a habit coming back after a warning is counted again.
PROCTOR_PACING = Pacing()


class ProctorPolicy:
    """Call on_incident_opened for each "opened" update; returns the proctor's action or None.

    `pacing` (None: every incident counts, as in the profile tables above) spaces the warnings like a proctor.
    `wait_for_ack`: a pause holds the proctor until `acknowledge()` (the candidate read it); meanwhile incidents are
    recorded but draw nothing and count for nothing, so nothing can end the exam behind the pause screen."""

    def __init__(self, profile: str = "standard", pacing: Pacing | None = None, wait_for_ack: bool = False) -> None:
        self.profile = policy_for(profile)
        self.pacing = pacing
        self.wait_for_ack = wait_for_ack
        self.counts: dict[str, int] = {}
        self.total = 0
        self.ended: PolicyAction | None = None
        self.waiting: PolicyAction | None = None     # the pause not acknowledged yet
        self._last_type: dict[str, float] = {}
        self._last_any: float | None = None

    def acknowledge(self) -> None:
        """The candidate acknowledged the pause: the proctor watches (and counts) again."""
        self.waiting = None

    def _paced(self, incident_type: str, t: float) -> bool:
        p = self.pacing
        if p is None or incident_type in self.profile.end_types:
            return False
        last = self._last_type.get(incident_type)
        return ((last is not None and t - last < p.per_type_s)
                or (self._last_any is not None and t - self._last_any < p.any_s))

    def on_incident_opened(self, incident: Incident) -> PolicyAction | None:
        p = self.profile
        label = recorded_type(incident.type).warning_label      # a type from a newer version never warns
        if self.ended is not None or self.waiting is not None or incident.type not in p.warn_types:
            return None
        t = decided_at(incident)
        if self._paced(incident.type, t):
            return None
        self._last_type[incident.type] = self._last_any = t
        same = self.counts[incident.type] = self.counts.get(incident.type, 0) + 1
        self.total += 1
        if incident.type in p.end_types:
            reason = f"{label} ends the exam at once"
        elif same > p.max_same:
            reason = f"{label} more than {_times(p.max_same)}"
        elif self.total > p.max_total:
            reason = f"more than {p.max_total} warnings in all"
        else:
            left = p.max_same - same
            nxt = "once more" if left == 0 else f"{left + 1} more times"
            request, why = recorded_type(incident.type).request, _sentence(incident.explanation)
            then = f"Doing this {nxt} ends the exam."
            msg = " ".join(x for x in (request, why, then) if x)
            action = PolicyAction(t, incident.type, "pause" if p.pause else "warn", msg, same, self.total,
                                  request=request, reason=why, consequence=then)
            if action.action == "pause" and self.wait_for_ack:
                self.waiting = action
            return action
        why = _sentence(incident.explanation)
        self.ended = PolicyAction(t, incident.type, "end", f"The exam would end here: {reason}. {why}".strip(),
                                  same, self.total, rule=reason, request=recorded_type(incident.type).request,
                                  reason=why, consequence=f"The exam ends: {reason}.")
        return self.ended


def _sentence(text: str) -> str:
    """An explanation as a sentence: capitalised, one full stop."""
    text = text.strip().rstrip(".")
    return f"{text[0].upper()}{text[1:]}." if text else ""


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _union_length(spans: Iterable[tuple[float, float]]) -> float:
    total, cur_s, cur_e = 0.0, None, None
    for s, e in sorted(spans):
        if e <= s:
            continue
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


def _clip(spans: Iterable[tuple[float, float]], lo: float, hi: float) -> list[tuple[float, float]]:
    return [(max(lo, s), min(hi, e)) for s, e in spans if min(hi, e) > max(lo, s)]


def _subtract(spans: list[tuple[float, float]], holes: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    out = spans
    for hs, he in holes:
        nxt: list[tuple[float, float]] = []
        for s, e in out:
            if he <= s or hs >= e:
                nxt.append((s, e))
                continue
            if s < hs:
                nxt.append((s, hs))
            if he < e:
                nxt.append((he, e))
        out = nxt
    return out


def summarize(incidents: Sequence[Incident], duration_s: float, profile: str,
              excluded: Sequence[tuple[float, float]] = (), pacing: Pacing | None = PROCTOR_PACING,
              acks: Sequence[float] | None = None) -> dict[str, Any]:
    """The session's summary: per type counts, the warnings the policy would have given, the verdict and the share
    of the (device-available) time without any incident. `excluded` spans (device lost) count for nobody.

    The incidents are replayed through the policy with the live `pacing`, so a recording is judged like a live
    session. `acks`: the times a live candidate acknowledged a pause; given, each pause holds the proctor until the
    next of them, exactly as it did live (so the summary says what the live proctor did)."""
    duration_s = max(0.0, float(duration_s))
    holes = _clip(excluded, 0.0, duration_s)
    kept = [i for i in incidents if _subtract([(i.start_s, max(i.end_s, i.start_s + 1e-6))], holes)]
    by_type: dict[str, dict[str, float]] = {t: {"count": 0, "total_s": 0.0} for t in type_keys()}
    for i in kept:
        row = by_type.setdefault(i.type, {"count": 0, "total_s": 0.0})     # a type from a newer version too
        row["count"] += 1
        row["total_s"] = round(row["total_s"] + i.duration_s, 2)
    policy = ProctorPolicy(profile, pacing=pacing, wait_for_ack=acks is not None)
    pending = sorted(acks or ())
    warnings: list[PolicyAction] = []
    for i in sorted(kept, key=decided_at):
        if policy.waiting is not None:
            while pending and pending[0] < policy.waiting.t_s:
                pending.pop(0)            # an acknowledgement of an earlier pause
            if pending and pending[0] <= decided_at(i):
                pending.pop(0)
                policy.acknowledge()
        if (a := policy.on_incident_opened(i)) is not None:
            warnings.append(a)
    ended = policy.ended
    considered = duration_s - _union_length(holes)
    flagged = _union_length(_subtract(_clip(((i.start_s, i.end_s) for i in kept), 0.0, duration_s), holes))
    compliant = 1.0 if considered <= 0 else max(0.0, min(1.0, 1.0 - flagged / considered))
    if ended is not None:
        verdict = "terminated"
        m, s = divmod(int(ended.t_s), 60)
        text = f"A proctor would have ended the exam at {m}:{s:02d}: {ended.message.split(': ', 1)[-1]}"
    elif warnings:
        verdict = "warned"
        kinds = sorted({recorded_type(a.incident_type).warning_label for a in warnings})
        text = (f"{len(warnings)} proctor warning{'s' if len(warnings) > 1 else ''} ({', '.join(kinds)}); "
                "the exam would have gone on.")
    else:
        verdict = "pass"
        text = "No warnings: a proctor would have let this session run to the end."
    return {"by_type": by_type, "verdict": verdict, "verdict_text": text, "profile": profile,
            "duration_s": round(duration_s, 3),
            "compliant_fraction": round(compliant, 4), "warnings": [a.to_dict() for a in warnings],
            "considered_s": round(considered, 2), "flagged_s": round(flagged, 2),
            "excluded": [[round(s, 3), round(e, 3)] for s, e in holes]}
