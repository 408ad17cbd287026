"""restless: not sitting still, from two movements of the head.

Position: the face-box centre and size are averaged over 0.5 s bins (so landmark jitter does not add up), and the
path length of those bin means over a window gives a speed in face widths per second, relative to the calibrated
face size (a candidate close to the camera is not "moving more"). Leaning in and out counts through the change of
the face size.

Rotation: yaw, pitch and roll are averaged over 0.25 s bins (fine enough to follow rocking at 1-2 Hz, which 0.5 s
bins would alias away) and the path length of those means over the same window gives degrees per second. Rocking or
swaying while seated (+-10 degrees at 1 Hz, ~36 degrees a second) turns the head a lot while its centre barely moves.

Either is "moving" when its speed is over its threshold AND at least half of the steps in the window move (sustained
motion, not one change of posture or one look down at the keyboard). Restless when moving holds for the dwell time;
the gate's hysteresis ends it once still for restless_off_s.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any, Sequence

from proctorprep.perception.observations import FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors.base import GatedDetector, confidence
from proctorprep.rules.incidents import RESTLESS, Incident, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds

BIN_S = 0.5
TURN_BIN_S = 0.25
MIN_BUSY_SHARE = 0.5


def _track(means: Sequence[tuple[float, ...]], threshold: float, bin_s: float) -> tuple[float, list[int]] | None:
    """(speed along the path of the bin means, indices of the steps that moved) or None if too short to judge."""
    if len(means) < 3:
        return None
    steps = [math.dist(a[1:], b[1:]) for a, b in zip(means, means[1:])]
    speed = sum(steps) / (means[-1][0] - means[0][0])
    step_min = 0.5 * threshold * bin_s
    return speed, [i for i, d in enumerate(steps) if d >= step_min]


class RestlessDetector(GatedDetector):
    type = RESTLESS
    severity = "info"

    def __init__(self, cal: Calibration, thr: Thresholds) -> None:
        # judged twice a second, so allow a whole missing bin before giving up
        super().__init__(thr.restless_dwell_s, thr.restless_off_s, bridge_s=BIN_S, max_gap_s=max(thr.max_gap_s, 2.5))
        self.cal, self.thr = cal, thr
        self._bin_start: float | None = None
        self._bin: list[tuple[float, float, float]] = []
        self._means: deque[tuple[float, float, float, float]] = deque()   # (t, x, y, log size) in face widths
        self._turn_start: float | None = None
        self._turn_bin: list[tuple[float, float, float]] = []
        self._turns: deque[tuple[float, float, float, float]] = deque()   # (t, yaw, pitch, roll) in degrees

    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        t = obs.t_s
        if self._bin_start is None:
            self._bin_start = self._turn_start = t
        if t - self._turn_start >= TURN_BIN_S:
            self._close_turn_bin(self._turn_start + TURN_BIN_S)
            self._turn_start = t
        out: list[IncidentUpdate] = []
        if t - self._bin_start >= BIN_S:
            out = self._close_bin(self._bin_start + BIN_S)
            self._bin_start = t
        # with another person in view the "main" face can swap between them: not the candidate moving
        if obs.faces == 1 and obs.face_x is not None and obs.face_y is not None and obs.face_size:
            w, h = obs.frame_size or (4, 3)
            unit = self.cal.face_size or 0.25
            self._bin.append((obs.face_x / unit, obs.face_y * (h / w) / unit, math.log(obs.face_size / unit)))
            if obs.trustworthy and obs.yaw_deg is not None and obs.pitch_deg is not None:
                self._turn_bin.append((obs.yaw_deg, obs.pitch_deg, obs.roll_deg or 0.0))
        return out

    def _close_turn_bin(self, t: float) -> None:
        if not self._turn_bin:
            self._turns.clear()      # no pose for a whole bin: do not bridge the gap with one long step
            return
        n = len(self._turn_bin)
        self._turns.append((t, *(sum(v[i] for v in self._turn_bin) / n for i in range(3))))
        self._turn_bin = []
        while self._turns and self._turns[0][0] < t - self.thr.restless_window_s - 1e-9:
            self._turns.popleft()

    def _close_bin(self, t: float) -> list[IncidentUpdate]:
        if not self._bin:
            self._means.clear()
            return self.step(t, None)[0]
        n = len(self._bin)
        self._means.append((t, *(sum(v[i] for v in self._bin) / n for i in range(3))))
        self._bin = []
        while self._means and self._means[0][0] < t - self.thr.restless_window_s - 1e-9:
            self._means.popleft()
        half = 0.5 * self.thr.restless_window_s
        if len(self._means) < 3 or self._means[-1][0] - self._means[0][0] < half:
            return self.step(t, None)[0]
        ms = list(self._means)
        speed, busy = _track(ms, self.thr.restless_speed, BIN_S)
        shifting = speed >= self.thr.restless_speed and len(busy) >= MIN_BUSY_SHARE * (len(ms) - 1)
        turn = _track(list(self._turns), self.thr.restless_turn_deg_s, TURN_BIN_S) \
            if self._turns and self._turns[-1][0] - self._turns[0][0] >= half else None
        turning = False
        if turn is not None:
            turn_speed, turn_busy = turn
            turning = turn_speed >= self.thr.restless_turn_deg_s and len(turn_busy) >= MIN_BUSY_SHARE * (
                len(self._turns) - 1)
        moving = shifting or turning
        # the run starts where the movement in the window started, not where the average crossed the line
        starts = ([ms[busy[0]][0]] if shifting else []) + ([self._turns[turn_busy[0]][0]] if turning else [])
        updates, in_run = self.step(t, moving, since=min(starts) if moving else None)
        if in_run:
            a = self.acc
            if shifting:
                a["peak_speed"] = max(a.get("peak_speed", 0.0), speed)
                a["last_busy_s"] = max(a.get("last_busy_s", 0.0), ms[busy[-1] + 1][0])
            if turning:
                a["peak_turn"] = max(a.get("peak_turn", 0.0), turn_speed)
                a["last_busy_s"] = max(a.get("last_busy_s", 0.0), self._turns[turn_busy[-1] + 1][0])
            dx = ms[-1][1] - self.cal.face_x / (self.cal.face_size or 0.25)
            a["max_shift"] = max(a.get("max_shift", 0.0), abs(dx))
        return updates

    def make(self, start_s: float, end_s: float, decided_s: float | None = None) -> Incident:
        # the window trails the movement: the run really ended with the last bin that moved
        return super().make(start_s, max(start_s, min(end_s, self.acc.get("last_busy_s", end_s))), decided_s)

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        a = self.acc
        dur = end_s - start_s
        speed, turn = a.get("peak_speed", 0.0), a.get("peak_turn", 0.0)
        evidence = {"speed_face_widths_per_s": round(speed, 2), "threshold": self.thr.restless_speed,
                    "turn_deg_per_s": round(turn, 1), "turn_threshold": self.thr.restless_turn_deg_s,
                    "max_shift_face_widths": round(a.get("max_shift", 0.0), 2)}
        # The measured speeds stay in the evidence (and the report's appendix); a candidate reads what it looked
        # like, not "0.00 face widths a second".
        moves = []
        if speed >= self.thr.restless_speed:
            moves.append("your head shifted around the picture")
        if turn >= self.thr.restless_turn_deg_s:
            moves.append("your head kept rocking or turning")
        text = f"You kept moving in your seat for {dur:.1f} s; " + (" and ".join(moves) or "your head kept moving")
        strength = max(speed / self.thr.restless_speed, turn / self.thr.restless_turn_deg_s) - 1.0
        return None, confidence(strength + 0.3 * dur / self.thr.restless_dwell_s), evidence, text
