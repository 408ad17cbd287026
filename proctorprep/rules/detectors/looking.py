"""looking_away: the candidate's line of sight leaves the screen, judged from head AND eyes together.

People turn the head for about two thirds of a large gaze shift and move only the eyes for small ones, so neither
alone is enough: the combined angle is head angle + eye angle, both in degrees (the eye angle from the iris offset on a
physical eye model, perception.gaze.eye_angle_deg, the offset measured in the head's own frame so the head's turn is
not counted twice), both relative to the calibration. Face Mesh sees little of a vertical eye turn, so a look down at
the desk is judged mostly by the head (hence the calibration's 10-degree range down). It is off
screen when it passes the calibrated on-screen range by a margin (a second, smaller margin brings it back: hysteresis).
Two incident shapes: a long look (off screen longer than the dwell) and frequent glances (N glances of at least
`glance_min_s` within `glance_window_s`). Blinks hide the irises, so while the eyes are shut the last good iris
offset is used; reading saccades stay inside the range and never count.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from proctorprep.perception.gaze import line_of_sight_deg
from proctorprep.perception.observations import FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors.base import GatedDetector, GateEvent, confidence
from proctorprep.rules.incidents import LOOKING_AWAY, Incident, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds

BLINK_RATIO = 0.6     # eyes below this share of their calibrated openness are taken as shut (blink)


@dataclass(frozen=True, slots=True)
class Sight:
    """Where the candidate looks, relative to the screen centre, in degrees (x > 0 = their left, y > 0 = up)."""

    x_deg: float
    y_deg: float
    head_x_deg: float
    head_y_deg: float
    excess_deg: float      # how far beyond the on-screen range (negative = inside)
    direction: str         # the side it is beyond (or nearest to)


def sight_of(obs: FaceObservation, cal: Calibration, thr: Thresholds,
             last_gaze: tuple[float, float] | None = None) -> Sight | None:
    """The combined angle of one observation, or None when there is no trustworthy face."""
    if obs.faces < 1 or not obs.trustworthy or obs.yaw_deg is None or obs.pitch_deg is None:
        return None
    gx, gy = obs.gaze_x, obs.gaze_y
    blinking = obs.eyes_open is not None and obs.eyes_open < BLINK_RATIO * cal.eyes_open
    if blinking or gx is None or gy is None:
        gx, gy = last_gaze if last_gaze is not None else (cal.gaze_x, cal.gaze_y)
    hx, hy = obs.yaw_deg - cal.yaw_deg, obs.pitch_deg - cal.pitch_deg
    x = line_of_sight_deg(hx, gx, cal.gaze_x, thr.gaze_gain_x_deg)
    y = line_of_sight_deg(hy, gy, cal.gaze_y, thr.gaze_gain_y_deg)
    ex = abs(x) - cal.range_x_deg
    ey = (y - cal.range_up_deg) if y > 0 else (-y - cal.range_down_deg)
    if ex >= ey:
        return Sight(x, y, hx, hy, ex, "left" if x > 0 else "right")
    return Sight(x, y, hx, hy, ey, "up" if y > 0 else "down")


def _range_text(direction: str, cal: Calibration) -> str:
    if direction in ("left", "right"):
        return f"on-screen range is ±{cal.range_x_deg:.0f}°"
    if direction == "up":
        return f"the screen reaches {cal.range_up_deg:.0f}° up"
    return f"the screen reaches {cal.range_down_deg:.0f}° down"


def _who(head: float, total: float) -> str:
    share = abs(head) / abs(total) if total else 1.0
    return "Head" if share >= 0.67 else ("Eyes" if share <= 0.33 else "Head and eyes")


class LookingAwayDetector(GatedDetector):
    type = LOOKING_AWAY

    def __init__(self, cal: Calibration, thr: Thresholds) -> None:
        super().__init__(thr.away_dwell_s, thr.away_off_s, bridge_s=0.25, max_gap_s=thr.max_gap_s)
        self.cal, self.thr = cal, thr
        self._last_gaze: tuple[float, float] | None = None
        self._glances: deque[dict[str, Any]] = deque()
        self._glance: dict[str, Any] | None = None     # the glances incident open on the current run

    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        s = sight_of(obs, self.cal, self.thr, self._last_gaze)
        if s is not None and obs.gaze_x is not None and obs.gaze_y is not None and (
                obs.eyes_open is None or obs.eyes_open >= BLINK_RATIO * self.cal.eyes_open):
            self._last_gaze = (obs.gaze_x, obs.gaze_y)
        if s is None:
            cond = None
        else:
            margin = self.thr.away_exit_margin_deg if self.gate.is_open else self.thr.away_margin_deg
            cond = s.excess_deg > margin
        updates, in_run = self.step(obs.t_s, cond)
        if in_run and s is not None:
            self._collect(obs.t_s, s)
        return updates + self._check_glances(obs.t_s)

    def _collect(self, t: float, s: Sight) -> None:
        a = self.acc
        votes = a.setdefault("votes", {})
        votes[s.direction] = votes.get(s.direction, 0) + 1
        if s.excess_deg > a.get("peak_excess", -1e9):
            a.update(peak_excess=s.excess_deg, peak_dir=s.direction, peak_x=s.x_deg, peak_y=s.y_deg,
                     head_x=s.head_x_deg, head_y=s.head_y_deg)

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        a = self.acc
        votes: dict[str, int] = a.get("votes", {}) or {"left": 1}
        direction = max(votes, key=lambda k: votes[k])
        sideways = direction in ("left", "right")
        angle = abs(a.get("peak_x", 0.0) if sideways else a.get("peak_y", 0.0))
        head = a.get("head_x", 0.0) if sideways else a.get("head_y", 0.0)
        dur = end_s - start_s
        evidence = {"kind": "long_look", "peak_angle_deg": round(angle, 1), "head_deg": round(abs(head), 1),
                    "eyes_deg": round(max(0.0, angle - abs(head)), 1), "range_deg": round(self._range(direction), 1)}
        where = f"{'to the ' if sideways else ''}{direction}"
        who = _who(head, angle)
        if who == "Head and eyes":   # say what each did: "head and eyes turned 90°" reads like a broken neck
            what = f"Head turned {abs(head):.0f}° and eyes further {where} ({angle:.0f}° in all)"
        else:
            what = f"{who} turned {angle:.0f}° {where}"
        text = f"{what} for {dur:.1f} s; {_range_text(direction, self.cal)}"
        strength = (a.get("peak_excess", 0.0) - self.thr.away_margin_deg) / 10.0 + 0.5 * dur / self.thr.away_dwell_s
        return direction, confidence(strength), evidence, text

    def _range(self, direction: str) -> float:
        return {"up": self.cal.range_up_deg, "down": self.cal.range_down_deg}.get(direction, self.cal.range_x_deg)

    # --- frequent short glances
    # A glance is an off-screen run that ended before the dwell but lasted at least glance_min_s. When N-1 glances
    # are in the window and the current run reaches glance_min_s, the "frequent glances" incident opens at once
    # (live warning); it closes when that run ends. That run is then not also reported as a long look.
    def _current(self) -> dict[str, Any]:
        a = self.acc
        votes: dict[str, int] = a.get("votes", {}) or {"left": 1}
        direction = max(votes, key=lambda k: votes[k])
        sideways = direction in ("left", "right")
        angle = abs(a.get("peak_x", 0.0) if sideways else a.get("peak_y", 0.0))
        return {"start_s": self.gate.start_s, "end_s": self.gate.last_true_s, "direction": direction, "angle": angle}

    def _check_glances(self, t: float) -> list[IncidentUpdate]:
        if self._glance is not None or self.gate.state != "pending" or t - self.gate.start_s < self.thr.glance_min_s:
            return []
        while self._glances and self._glances[0]["start_s"] < t - self.thr.glance_window_s:
            self._glances.popleft()
        if len(self._glances) < self.thr.glance_count - 1:
            return []
        self._glance = {"glances": list(self._glances), "decided_s": t}
        self._glances.clear()
        return [IncidentUpdate("opened", self._glance_incident(self._glance["glances"] + [self._current()], t))]

    def _handle(self, events: list[GateEvent]) -> list[IncidentUpdate]:
        out: list[IncidentUpdate] = []
        for ev in events:
            if self._glance is not None and ev.kind == "opened":
                continue            # already reported as the glance that completed the set
            if self._glance is not None and ev.kind in ("closed", "abandoned"):
                gl = self._glance["glances"] + [{**self._current(), "end_s": ev.end_s}]
                out.append(IncidentUpdate("closed", self._glance_incident(gl, self._glance["decided_s"])))
                self._glance = None
                continue
            out.extend(super()._handle([ev]))
        return out

    def on_abandoned(self, ev: GateEvent) -> list[IncidentUpdate]:
        if ev.end_s - ev.start_s >= self.thr.glance_min_s:
            self._glances.append({**self._current(), "end_s": ev.end_s})
        return []

    def _glance_incident(self, gl: list[dict[str, Any]], decided_s: float) -> Incident:
        dirs: dict[str, int] = {}
        for g in gl:
            dirs[g["direction"]] = dirs.get(g["direction"], 0) + 1
        direction = max(dirs, key=lambda k: dirs[k])
        start, end = gl[0]["start_s"], gl[-1]["end_s"]
        peak = max(g["angle"] for g in gl)
        where = f"to the {direction}" if direction in ("left", "right") else direction
        if len(dirs) > 1:
            where = "away (" + ", ".join(sorted(dirs)) + ")"
        shortest = min(max(g["end_s"] - g["start_s"], self.thr.glance_min_s) for g in gl)
        text = (f"{len(gl)} glances {where} of {shortest:.1f} s or more within {end - start:.0f} s; "
                f"{_range_text(direction, self.cal)}")
        evidence = {"kind": "glances", "glances": len(gl), "peak_angle_deg": round(peak, 1),
                    "glance_s": [round(g["end_s"] - g["start_s"], 2) for g in gl],
                    "range_deg": round(self._range(direction), 1), "duration_s": round(end - start, 2),
                    "decided_s": round(decided_s, 3)}
        return Incident(type=self.type, start_s=start, end_s=end,
                        confidence=confidence(0.4 + 0.15 * (len(gl) - self.thr.glance_count + 1)),
                        direction=direction, evidence=evidence, explanation=text)
