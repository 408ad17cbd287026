"""face_missing (nobody in view) and multiple_faces (someone else in view). A lost camera is not the candidate
leaving: while a device is lost the engine feeds nothing, and the policy excludes those spans."""

from __future__ import annotations

from typing import Any

from proctorprep.perception.observations import FaceObservation
from proctorprep.rules.detectors.base import GatedDetector, confidence
from proctorprep.rules.detectors.covered import is_covered
from proctorprep.rules.incidents import FACE_MISSING, MULTIPLE_FACES, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds


class FaceMissingDetector(GatedDetector):
    type = FACE_MISSING

    def __init__(self, thr: Thresholds) -> None:
        super().__init__(thr.missing_dwell_s, thr.missing_off_s, bridge_s=0.2, max_gap_s=thr.max_gap_s)
        self.thr = thr

    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        # a face hidden by a hand is "covered", not "missing"
        updates, in_run = self.step(obs.t_s, obs.faces == 0 and not is_covered(obs, self.thr))
        if in_run:
            self.acc["frames"] = self.acc.get("frames", 0) + 1
        return updates

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        dur = end_s - start_s
        return (None, confidence(dur / (2 * self.thr.missing_dwell_s)), {"frames": self.acc.get("frames", 0)},
                f"No face in view for {dur:.1f} s")


class MultipleFacesDetector(GatedDetector):
    type = MULTIPLE_FACES

    def __init__(self, thr: Thresholds) -> None:
        super().__init__(thr.multi_dwell_s, thr.multi_off_s, bridge_s=0.2, max_gap_s=thr.max_gap_s)
        self.thr = thr

    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        updates, in_run = self.step(obs.t_s, obs.faces >= 2)
        if in_run:
            self.acc["max_faces"] = max(self.acc.get("max_faces", 0), obs.faces)
            self.acc["frames"] = self.acc.get("frames", 0) + 1
        return updates

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        dur = end_s - start_s
        n = self.acc.get("max_faces", 2)
        return (None, confidence(dur / (2 * self.thr.multi_dwell_s)),
                {"max_faces": n, "frames": self.acc.get("frames", 0)}, f"{n} faces in view for {dur:.1f} s")
