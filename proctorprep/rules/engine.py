"""RuleEngine: every detector behind one object. Feed face and audio observations (each stream in time order, the
two streams in any interleaving), get IncidentUpdates: "opened" as soon as a dwell is reached (for live warnings),
"closed" with the final incident. Pure and deterministic: the same observations always give the same incidents."""

from __future__ import annotations

from typing import Any, Mapping

from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors import (
    FaceCoveredDetector, FaceMissingDetector, LookingAwayDetector, MouthingDetector, MultipleFacesDetector,
    RestlessDetector, TalkingDetector,
)
from proctorprep.rules.incidents import Incident, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds, thresholds_for


class RuleEngine:
    def __init__(self, calibration: Calibration, profile: str = "standard",
                 overrides: Mapping[str, Any] | None = None, has_audio: bool = True) -> None:
        self.calibration = calibration
        self.profile = profile
        self.thresholds: Thresholds = thresholds_for(profile, overrides)
        thr, cal = self.thresholds, calibration
        self.mouthing = MouthingDetector(cal, thr, has_audio=has_audio)
        self.talking = TalkingDetector(cal, thr)
        self._face = [LookingAwayDetector(cal, thr), FaceMissingDetector(thr), MultipleFacesDetector(thr),
                      RestlessDetector(cal, thr), FaceCoveredDetector(cal, thr), self.mouthing]
        self._audio = [self.talking, self.mouthing]
        self.closed: list[Incident] = []
        self._paused = False

    @property
    def has_audio(self) -> bool:
        return self.mouthing.has_audio

    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        if self._paused:
            return []
        return self._keep([u for d in self._face for u in d.feed_face(obs)])

    def feed_audio(self, obs: AudioObservation) -> list[IncidentUpdate]:
        return self._keep([u for d in self._audio for u in d.feed_audio(obs)])

    def set_has_audio(self, has_audio: bool) -> list[IncidentUpdate]:
        """The microphone was lost (or came back): mouthing stops waiting for audio, talking cannot be heard."""
        return self._keep(self.mouthing.set_has_audio(has_audio))

    def device_lost(self, t_s: float, device: str = "camera") -> list[IncidentUpdate]:
        """A device is gone. Camera: close what is open at its last evidence and judge no frames until
        device_back(); a lost camera is not the candidate leaving. Microphone: talking ends, mouthing stops waiting
        for audio (and says it could not hear)."""
        if device == "microphone":
            return self._keep(self.talking.finish(t_s) + self.mouthing.set_has_audio(False))
        out = self._finish(self._face, t_s)
        self._paused = True
        return out

    def device_back(self, device: str = "camera") -> list[IncidentUpdate]:
        if device == "microphone":
            return self.set_has_audio(True)
        self._paused = False
        return []

    def finish(self, t_s: float) -> list[IncidentUpdate]:
        """End of the session: close everything still open."""
        return self._finish(self._face + [self.talking], t_s)

    def _finish(self, detectors: list[Any], t_s: float) -> list[IncidentUpdate]:
        return self._keep([u for d in detectors for u in d.finish(t_s)])

    def _keep(self, updates: list[IncidentUpdate]) -> list[IncidentUpdate]:
        for u in updates:
            if u.kind == "closed":
                self.closed.append(u.incident)
        return updates

    def incidents(self) -> list[Incident]:
        """All closed incidents so far, in order of start."""
        return sorted(self.closed, key=lambda i: (i.start_s, i.type))
