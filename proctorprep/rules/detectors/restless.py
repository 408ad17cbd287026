"""restless: not sitting still. The face-box centre and size are averaged over short bins (so landmark jitter does
not add up), and the path length of those bin means over a window gives a speed in face widths per second, relative
to the calibrated face size (a candidate close to the camera is not "moving more"). Leaning in and out counts
through the change of the face size. Restless when that speed stays above the threshold for the dwell time."""

from __future__ import annotations

import math
from collections import deque
from typing import Any

from proctorprep.perception.observations import FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors.base import GatedDetector, confidence
from proctorprep.rules.incidents import RESTLESS, Incident, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds

BIN_S = 0.5
MIN_BUSY_SHARE = 0.5


class RestlessDetector(GatedDetector):
    type = RESTLESS

    def __init__(self, cal: Calibration, thr: Thresholds) -> None:
        # judged twice a second, so allow a whole missing bin before giving up
        super().__init__(thr.restless_dwell_s, thr.restless_off_s, bridge_s=BIN_S, max_gap_s=max(thr.max_gap_s, 2.5))
        self.cal, self.thr = cal, thr
        self._bin_start: float | None = None
        self._bin: list[tuple[float, float, float]] = []
        self._means: deque[tuple[float, float, float, float]] = deque()   # (t, x, y, log size) in face widths

    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        t = obs.t_s
        if self._bin_start is None:
            self._bin_start = t
        out: list[IncidentUpdate] = []
        if t - self._bin_start >= BIN_S:
            out = self._close_bin(self._bin_start + BIN_S)
            self._bin_start = t
        # with another person in view the "main" face can swap between them: not the candidate moving
        if obs.faces == 1 and obs.face_x is not None and obs.face_y is not None and obs.face_size:
            w, h = obs.frame_size or (4, 3)
            unit = self.cal.face_size or 0.25
            self._bin.append((obs.face_x / unit, obs.face_y * (h / w) / unit, math.log(obs.face_size / unit)))
        return out

    def _close_bin(self, t: float) -> list[IncidentUpdate]:
        if not self._bin:
            self._means.clear()
            return self.step(t, None)[0]
        n = len(self._bin)
        self._means.append((t, *(sum(v[i] for v in self._bin) / n for i in range(3))))
        self._bin = []
        while self._means and self._means[0][0] < t - self.thr.restless_window_s - 1e-9:
            self._means.popleft()
        if len(self._means) < 3 or self._means[-1][0] - self._means[0][0] < 0.5 * self.thr.restless_window_s:
            return self.step(t, None)[0]
        ms = list(self._means)
        steps = [math.dist(a[1:], b[1:]) for a, b in zip(ms, ms[1:])]
        speed = sum(steps) / (ms[-1][0] - ms[0][0])
        # sustained motion, not one repositioning: many of the steps in the window must move
        step_min = 0.5 * self.thr.restless_speed * BIN_S
        busy = [i for i, d in enumerate(steps) if d >= step_min]
        moving = speed >= self.thr.restless_speed and len(busy) >= MIN_BUSY_SHARE * len(steps)
        # the run starts where the movement in the window started, not where the average crossed the line
        updates, in_run = self.step(t, moving, since=ms[busy[0]][0] if moving else None)
        if in_run:
            a = self.acc
            a["peak_speed"] = max(a.get("peak_speed", 0.0), speed)
            a["last_busy_s"] = ms[busy[-1] + 1][0]
            dx = ms[-1][1] - self.cal.face_x / (self.cal.face_size or 0.25)
            a["max_shift"] = max(a.get("max_shift", 0.0), abs(dx))
        return updates

    def make(self, start_s: float, end_s: float, decided_s: float | None = None) -> Incident:
        # the window trails the movement: the run really ended with the last bin that moved
        return super().make(start_s, max(start_s, min(end_s, self.acc.get("last_busy_s", end_s))), decided_s)

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        a = self.acc
        dur = end_s - start_s
        speed = a.get("peak_speed", 0.0)
        evidence = {"speed_face_widths_per_s": round(speed, 2), "threshold": self.thr.restless_speed,
                    "max_shift_face_widths": round(a.get("max_shift", 0.0), 2)}
        text = (f"Moved about for {dur:.1f} s (head moving {speed:.2f} face widths a second; "
                f"sitting still is under {self.thr.restless_speed:.2f})")
        return None, confidence((speed / self.thr.restless_speed - 1.0) + 0.3 * dur / self.thr.restless_dwell_s), \
            evidence, text
