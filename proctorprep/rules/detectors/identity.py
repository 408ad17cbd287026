"""identity_changed: the face in the chair is not the face of the check-in's headshot.

Fed IdentityObservations every few seconds (perception.identity.IdentityWatcher), never every frame. The same
person moving, turning or blinking must never fire, so:
- a turned, unclear or lost face is "cannot tell" (distance None), which neither builds nor breaks a run, unless
  it lasts longer than a few checks;
- a run needs `identity_dwell_s` of comparisons all over `identity_distance` (at one check every 3 s, the default
  10 s is four comparisons in a row);
- hysteresis: once a run has started, it goes on while the distance stays above `identity_distance` minus
  HYSTERESIS, and ends after `identity_off_s` of the reference face.
"""

from __future__ import annotations

from typing import Any

from proctorprep.perception.identity import CHECK_INTERVAL_S
from proctorprep.perception.observations import IdentityObservation
from proctorprep.rules.detectors.base import GatedDetector, confidence
from proctorprep.rules.incidents import IDENTITY_CHANGED, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds

HYSTERESIS = 0.05
GAP_CHECKS = 3.5        # "cannot tell" for longer than this many check intervals starts over


class IdentityChangedDetector(GatedDetector):
    type = IDENTITY_CHANGED

    def __init__(self, thr: Thresholds, interval_s: float = CHECK_INTERVAL_S) -> None:
        super().__init__(thr.identity_dwell_s, thr.identity_off_s, bridge_s=0.0, max_gap_s=GAP_CHECKS * interval_s)
        self.thr = thr

    def feed_identity(self, obs: IdentityObservation) -> list[IncidentUpdate]:
        if obs.distance is None:
            cond = None
        else:
            limit = self.thr.identity_distance - (HYSTERESIS if self.gate.active else 0.0)
            cond = obs.distance > limit
        updates, in_run = self.step(obs.t_s, cond)
        if in_run and obs.distance is not None:
            self.acc["checks"] = self.acc.get("checks", 0) + 1
            self.acc["sum"] = self.acc.get("sum", 0.0) + obs.distance
            self.acc["min"] = min(self.acc.get("min", obs.distance), obs.distance)
        return updates

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        n = self.acc.get("checks", 0)
        mean = self.acc.get("sum", 0.0) / n if n else self.thr.identity_distance
        over = (mean - self.thr.identity_distance) / 0.2
        return (None, confidence(over),
                {"checks": n, "mean_distance": round(mean, 3), "min_distance": round(self.acc.get("min", mean), 3),
                 "limit": self.thr.identity_distance},
                f"Not the face of your check-in headshot for {end_s - start_s:.0f} s (distance {mean:.2f}; the same "
                f"person is under {self.thr.identity_distance:.2f})")
