"""RuleEngine: every detector behind one object. Feed face and audio observations (each stream in time order, the
two streams in any interleaving), get IncidentUpdates: "opened" as soon as a dwell is reached (for live warnings),
"closed" with the final incident. Pure and deterministic: the same observations always give the same incidents.

Besides camera and microphone, the engine hears the exam client's own reports (rules/conditions.py: screens, the
exam window, the session's phase) through feed_event, and the background's signature through feed_scene. Detectors
that hold a condition between events (a window left open) get `tick(t)` with every observation so a grace period
runs out on time. During an allowed break (phase "break") nothing from camera or microphone is judged: leaving the
seat is what a break is for; the incidents open at its start close there. Between the check-in and the first
question (phase "pre_start") only the greeter's rule (left_before_start) watches the camera: reading the agreement
is not looking away."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules import conditions as cd
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.incident_types import DetectorSetup, build_detectors, incident_type
from proctorprep.rules.incidents import Incident, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds, thresholds_for


class RuleEngine:
    """One detector per registered incident type (rules/incident_types.py), fed what each listens to."""

    def __init__(self, calibration: Calibration, profile: str = "standard",
                 overrides: Mapping[str, Any] | None = None, has_audio: bool = True,
                 scene_reference: Any = None) -> None:
        self.calibration = calibration
        self.profile = profile
        self.thresholds: Thresholds = thresholds_for(profile, overrides)
        self._all = build_detectors(DetectorSetup(calibration, self.thresholds, has_audio, scene_reference))
        self._face = [d for d in self._all if hasattr(d, "feed_face")]
        self._audio = [d for d in self._all if hasattr(d, "feed_audio")]
        self._speech = [d for d in self._all if hasattr(d, "feed_speech")]   # what was said (speech_content)
        self._identity = [d for d in self._all if hasattr(d, "feed_identity")]   # who is in the chair
        self._events = [d for d in self._all if hasattr(d, "feed_event")]    # exam conditions
        self._ticks = [d for d in self._all if hasattr(d, "tick")]
        self._scene = [d for d in self._all if hasattr(d, "feed_scene")]
        self._has_audio = has_audio
        self.closed: list[Incident] = []
        self._paused = False
        self.on_break = False
        # between the check-in and the first question only the greeter's rule judges the camera
        self._pre_start = False
        self._greeter = [d for d in self._face if cd.PRE_START in getattr(d, "judged_in", ())]

    @property
    def has_audio(self) -> bool:
        return self._has_audio

    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        ticked = self._tick(obs.t_s)
        if self._paused or self.on_break:
            return ticked
        detectors = self._greeter if self._pre_start else self._face
        return ticked + self._keep([u for d in detectors for u in d.feed_face(obs)])

    def feed_audio(self, obs: AudioObservation) -> list[IncidentUpdate]:
        ticked = self._tick(obs.t_s)
        if self.on_break or self._pre_start:
            return ticked
        return ticked + self._keep([u for d in self._audio for u in d.feed_audio(obs)])

    def feed_scene(self, sig: Any) -> list[IncidentUpdate]:
        """The background's signature of one frame (perception.scene.SceneSignature), for camera_moved."""
        if self._paused or self.on_break or self._pre_start:
            return []
        return self._keep([u for d in self._scene for u in d.feed_scene(sig)])

    def feed_event(self, ev: cd.ConditionEvent) -> list[IncidentUpdate]:
        """What the exam client reports (screens, the exam window, the phase). A break closes what the camera and
        microphone had open and judges neither until the phase is the exam again."""
        out: list[IncidentUpdate] = []
        if ev.kind == cd.PHASE:
            if ev.value == cd.BREAK and not self.on_break:
                out += self._finish([d for d in self._all if d not in self._events and d not in self._ticks], ev.t_s)
            self.on_break = ev.value == cd.BREAK
            self._pre_start = ev.value == cd.PRE_START
        return out + self._keep([u for d in self._events for u in d.feed_event(ev)])

    def _tick(self, t: float) -> list[IncidentUpdate]:
        return self._keep([u for d in self._ticks for u in d.tick(t)]) if self._ticks else []

    def feed_speech(self, content: Any) -> list[IncidentUpdate]:
        """What a stretch of speech said (perception.speech_content.SpeechContent), when the worker has decided."""
        return self._keep([u for d in self._speech for u in d.feed_speech(content)])

    def feed_identity(self, obs: Any) -> list[IncidentUpdate]:
        """The face compared with the check-in headshot (perception.observations.IdentityObservation), every few
        seconds. Like faces, nothing is judged while the camera is lost."""
        if self._paused:
            return []
        return self._keep([u for d in self._identity for u in d.feed_identity(obs)])

    def set_has_audio(self, has_audio: bool) -> list[IncidentUpdate]:
        """The microphone was lost (or came back): detectors that weigh the picture against the sound (mouthing)
        stop waiting for audio; detectors of sound alone (talking) cannot hear."""
        self._has_audio = has_audio
        return self._keep([u for d in self._all if hasattr(d, "set_has_audio") for u in d.set_has_audio(has_audio)])

    def device_lost(self, t_s: float, device: str = "camera") -> list[IncidentUpdate]:
        """A device is gone. Camera: close what is open at its last evidence and judge no frames until
        device_back(); a lost camera is not the candidate leaving. Microphone: talking ends, mouthing stops waiting
        for audio (and says it could not hear)."""
        if device == "microphone":
            self._has_audio = False
            return self._keep([u for d in self._audio for u in
                               (d.set_has_audio(False) if hasattr(d, "set_has_audio") else d.finish(t_s))])
        # the rules of sound keep listening; they stop waiting for the picture
        sound = [d for d in self._face if hasattr(d, "set_camera")]
        out = self._finish([d for d in self._face if d not in sound], t_s)
        out += self._keep([u for d in sound for u in d.set_camera(False)])
        self._paused = True
        return out

    def device_back(self, device: str = "camera") -> list[IncidentUpdate]:
        if device == "microphone":
            return self.set_has_audio(True)
        self._paused = False
        return self._keep([u for d in self._face if hasattr(d, "set_camera") for u in d.set_camera(True)])

    def finish(self, t_s: float) -> list[IncidentUpdate]:
        """End of the session: close everything still open."""
        return self._finish(self._all, t_s)

    def _finish(self, detectors: list[Any], t_s: float) -> list[IncidentUpdate]:
        return self._keep([u for d in detectors for u in d.finish(t_s)])

    def _keep(self, updates: list[IncidentUpdate]) -> list[IncidentUpdate]:
        out = [_stamped(u) for u in updates]
        self.closed.extend(u.incident for u in out if u.kind == "closed")
        return out

    def incidents(self) -> list[Incident]:
        """All closed incidents so far, in order of start."""
        return sorted(self.closed, key=lambda i: (i.start_s, i.type))


def _stamped(u: IncidentUpdate) -> IncidentUpdate:
    """A detector says what it saw; the type's descriptor says how grave it is and what to do instead."""
    desc = incident_type(u.incident.type)
    return IncidentUpdate(u.kind, replace(u.incident, severity=desc.severity, advice=desc.advice))
