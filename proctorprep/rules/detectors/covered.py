"""face_covered: a hand or an object over the mouth or face.

Primary signal: FaceObservation.face_covered (share of the mouth/face region a detected hand covers). Secondary: a
face that was trustworthy and facing the screen suddenly becomes untrustworthy while it is still facing the screen,
the right size and away from the frame edges (so not a head turn, not leaning out of view) — what a palm over the
mouth does to a face mesh; reported with a lower confidence.
"""

from __future__ import annotations

from typing import Any

from proctorprep.perception.observations import FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors.base import GatedDetector, confidence
from proctorprep.rules.incidents import FACE_COVERED, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds

HIDDEN_MOUTH_CONFIDENCE = 0.6


def is_covered(obs: FaceObservation, thr: Thresholds) -> bool:
    return obs.face_covered is not None and obs.face_covered >= thr.covered_fraction


class FaceCoveredDetector(GatedDetector):
    type = FACE_COVERED

    def __init__(self, cal: Calibration, thr: Thresholds) -> None:
        super().__init__(thr.covered_dwell_s, thr.covered_off_s, bridge_s=0.2, max_gap_s=thr.max_gap_s)
        self.cal, self.thr = cal, thr
        self._facing = False        # the last trustworthy face was looking at the screen

    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        cond: bool | None
        hidden = False
        if is_covered(obs, self.thr):       # a hand over the face can hide the face from Face Mesh altogether
            cond = True
        elif obs.faces == 0:
            cond = False
        elif obs.trustworthy:
            cond = False
            self._facing = (obs.yaw_deg is not None and abs(obs.yaw_deg - self.cal.yaw_deg) < self.cal.range_x_deg)
        elif self._facing and self._occluded_like(obs):
            cond, hidden = True, True
        else:
            cond = None
        updates, in_run = self.step(obs.t_s, cond)
        if in_run:
            a = self.acc
            a["peak"] = max(a.get("peak", 0.0), obs.face_covered or 0.0)
            a["hidden_frames"] = a.get("hidden_frames", 0) + int(hidden)
            a["frames"] = a.get("frames", 0) + 1
        return updates

    def _occluded_like(self, obs: FaceObservation) -> bool:
        """Untrustworthy for no visible reason: not turned away, not too small, not cut off by the frame."""
        if obs.yaw_deg is not None and abs(obs.yaw_deg - self.cal.yaw_deg) >= self.cal.range_x_deg:
            return False
        if obs.face_size is not None and obs.face_size < 0.6 * self.cal.face_size:
            return False
        return all(v is None or 0.15 < v < 0.85 for v in (obs.face_x, obs.face_y))

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        a = self.acc
        dur = end_s - start_s
        peak = a.get("peak", 0.0)
        by_hand = peak >= self.thr.covered_fraction
        evidence = {"covered_peak": round(peak, 2), "mouth_hidden_frames": a.get("hidden_frames", 0),
                    "by_hand": by_hand}
        if by_hand:
            text = f"Hand over the face ({peak * 100:.0f}% of it covered) for {dur:.1f} s"
            conf = confidence((peak - self.thr.covered_fraction) * 2 + 0.3 * dur / self.thr.covered_dwell_s)
        else:
            text = f"Mouth hidden (face no longer clearly visible) for {dur:.1f} s"
            conf = HIDDEN_MOUTH_CONFIDENCE
        return None, conf, evidence, text
