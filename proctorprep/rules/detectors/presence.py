"""face_missing (nobody in view), left_before_start (nobody in view between the check-in and the first question:
the greeter's stricter rule) and multiple_faces (someone else in view). A lost camera is not the candidate
leaving: while a device is lost the engine feeds nothing, and the policy excludes those spans. During an allowed
break the engine feeds nothing either (rules/engine.py)."""

from __future__ import annotations

from typing import Any

from proctorprep.perception.observations import FaceObservation
from proctorprep.rules import conditions as cd
from proctorprep.rules.detectors.base import GatedDetector, confidence
from proctorprep.rules.detectors.covered import is_covered
from proctorprep.rules.incidents import FACE_MISSING, LEFT_BEFORE_START, MULTIPLE_FACES, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds


def _out_of_view(obs: FaceObservation, thr: Thresholds) -> bool:
    # a face hidden by a hand is "covered", not "missing"
    return obs.faces == 0 and not is_covered(obs, thr)


class FaceMissingDetector(GatedDetector):
    type = FACE_MISSING
    judged_in: tuple[str | None, ...] = (None, cd.EXAM)     # None: no phase heard (a recording)

    def __init__(self, thr: Thresholds) -> None:
        super().__init__(thr.missing_dwell_s, thr.missing_off_s, bridge_s=0.2, max_gap_s=thr.max_gap_s)
        self.thr = thr
        self._phase: str | None = None

    def feed_event(self, ev: cd.ConditionEvent) -> list[IncidentUpdate]:
        """The phase decides whether this rule judges: a run ends where its phase ends."""
        if ev.kind != cd.PHASE or ev.value == self._phase:
            return []
        self._phase = ev.value
        return [] if self._phase in self.judged_in else self.finish(ev.t_s)

    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        if self._phase not in self.judged_in:
            return []
        updates, in_run = self.step(obs.t_s, _out_of_view(obs, self.thr))
        if in_run:
            self.acc["frames"] = self.acc.get("frames", 0) + 1
        return updates

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        dur = end_s - start_s
        return (None, confidence(dur / (2 * self.thr.missing_dwell_s)), {"frames": self.acc.get("frames", 0)},
                f"No face in view for {dur:.1f} s")


class LeftBeforeStartDetector(FaceMissingDetector):
    """Out of view after the check-in and before the first question. Greeters revoke exams for it, so the dwell is
    short (`before_start_dwell_s`) and the type ends the exam in more profiles; face_missing does not judge then."""

    type = LEFT_BEFORE_START
    judged_in = (cd.PRE_START,)

    def __init__(self, thr: Thresholds) -> None:
        GatedDetector.__init__(self, thr.before_start_dwell_s, thr.missing_off_s, bridge_s=0.1, max_gap_s=thr.max_gap_s)
        self.thr = thr
        self._phase = None

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        dur = end_s - start_s
        return (None, confidence(0.5 + dur / (2 * self.thr.before_start_dwell_s)), {"frames": self.acc.get("frames", 0)},
                f"You left the camera's view for {dur:.1f} s after the check-in, before the first question")


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
