"""Wires sources -> perception -> rules -> journal; used identically by the GUI and `analyze`.

SessionPipeline is the live object: the GUI's video worker calls process_frame, its audio worker process_audio, and
one lock guards the rules (perception runs outside the lock, each analyser on its own worker). `recording.analyze_recording`
drives the very same object from files.

Calibration: set one explicitly (the app's dot step) with set_calibration, or let the pipeline take the first
`calibration_seconds` of the session as "sitting still, looking at the screen". Nothing is judged during those
seconds. If they do not show a clear face, the pipeline keeps collecting (up to CALIBRATION_LIMIT_S) and, failing
that, falls back to default values and says so in `calibration_note`; observations after the nominal window are
replayed through the rules once the calibration exists, so nothing is lost.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules import conditions as cd
from proctorprep.rules.calibration import Calibration, CalibrationBuilder, CalibrationError
from proctorprep.rules.engine import RuleEngine
from proctorprep.rules.incidents import Incident, IncidentUpdate
from proctorprep.rules.policy import PROCTOR_PACING, PolicyAction, ProctorPolicy, summarize
from proctorprep.rules.thresholds import thresholds_for
from proctorprep.session.costs import CostLedger
from proctorprep.sources.base import (BACK_KINDS, LOST_KINDS, PICTURE_DEVICES, SOUND_DEVICES, AudioBlock, DeviceEvent,
                                      Frame)

CALIBRATION_LIMIT_S = 30.0       # keep looking for a calibratable face this long past the nominal window
SCENE_EVERY_S = 0.33             # the background is compared about 3 times a second (a moved camera stays moved)
# replayed in this order on ties: audio, face, the exam client's events, background signatures
_AUDIO, _FACE, _EVENT, _SCENE = 0, 1, 2, 3
SNAPSHOT_WIDTH = 320
SNAPSHOT_QUALITY = 70


@dataclass
class PipelineConfig:
    profile: str = "standard"
    calibration_seconds: float = 5.0
    analysis_fps: float | None = None        # analyse at most this many frames a second (None: every frame)
    keep_snapshots: bool = True              # a small JPEG of the frame at each incident's onset, for the report
    overrides: dict[str, float] | None = None   # threshold overrides for the profile (settings.threshold_overrides)
    has_audio: bool = True                   # False: no microphone / soundtrack at all (mouthing says so)
    live: bool = True                        # live sessions journal the proctor's warnings as they are given
    wait_for_ack: bool = False               # a pause holds the proctor until acknowledge() (strict, warnings shown)


@dataclass(frozen=True, slots=True)
class FrameResult:
    observation: FaceObservation | None      # None: the frame was skipped to keep to analysis_fps
    updates: list[IncidentUpdate] = field(default_factory=list)
    actions: list[PolicyAction] = field(default_factory=list)
    calibrating: bool = False


UpdateCallback = Callable[[IncidentUpdate, "PolicyAction | None"], None]


def encode_snapshot(image: np.ndarray, width: int = SNAPSHOT_WIDTH, quality: int = SNAPSHOT_QUALITY) -> bytes | None:
    import cv2

    h, w = image.shape[:2]
    if w > width:
        image = cv2.resize(image, (width, max(1, round(h * width / w))), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return buf.tobytes() if ok else None


def _lean(obs: FaceObservation) -> FaceObservation:
    """Drop the landmark array (drawing only) before an observation is kept for later."""
    return obs if obs.landmarks is None else dataclasses.replace(obs, landmarks=None)


class SessionPipeline:
    def __init__(self, config: PipelineConfig | None = None, journal: Any | None = None, face: Any | None = None,
                 audio: Any | None = None, on_update: UpdateCallback | None = None,
                 calibration: Calibration | None = None, speech: Any | None = None,
                 scene_reference: Any | None = None, identity: Any | None = None) -> None:
        self.config = config or PipelineConfig()
        self.thresholds = thresholds_for(self.config.profile, self.config.overrides)   # raises on a bad override
        self.journal = journal
        self.face = face
        self.audio = audio
        # What was said (perception.speech_worker.SpeechListener, optional): gets the speech stretches, hands back
        # what they said; the exam says which question is on screen through show_question().
        self.speech = speech
        self._speech_pending: list[Any] = []
        # Who is in the chair (perception.identity.IdentityWatcher with the check-in headshot's face, optional):
        # compared every few seconds, on the frame the face mesh just saw (identity_changed).
        self.identity = identity
        self._identity_worker: Any | None = None     # live: the identity thread, started at the first check
        self.on_update = on_update
        self.policy = ProctorPolicy(self.config.profile, pacing=PROCTOR_PACING, wait_for_ack=self.config.wait_for_ack)
        self.ended_at: float | None = None       # the proctor ended the exam here; later incidents are "after the end"
        self.acks: list[float] = []              # when the candidate acknowledged the pauses
        self.calibration_note = ""
        self.actions: list[PolicyAction] = []
        self.frames_analysed = 0
        self.frames_skipped = 0
        self.costs = CostLedger()                # CPU time of each part: perception, each detector (session/costs.py)
        self._lock = threading.RLock()
        self._engine: RuleEngine | None = None
        self._builder = CalibrationBuilder(self.thresholds.gaze_gain_x_deg, self.thresholds.gaze_gain_y_deg)
        self._t0: float | None = None                     # start of the current calibration window
        self._first_t: float | None = None                # start of the first one
        self._pending: list[tuple[float, int, Any]] = []    # observations after the window, before a calibration
        self._next_t: float | None = None
        self._last_image: np.ndarray | None = None
        self._snapshots: dict[tuple[str, float], bytes | None] = {}
        self._has_audio = self.config.has_audio
        self._gaps: list[list[float | None]] = []             # [start, end|None] while the camera was lost
        self._last_t = 0.0
        # the check-in's view of the background (perception.scene.SceneSignature) for camera_moved; without one the
        # views of the calibration window are the reference
        self.scene_reference = scene_reference
        self._scene_views: list[Any] = []
        self._next_scene_t = float("-inf")
        self.conditions_heard: set[str] = set()     # the kinds of exam-client events this session heard
        self._face_since: float | None = None       # a face has been in view since (None: not in the last frame)
        self._face_last = float("-inf")
        if calibration is not None:
            self.set_calibration(calibration)

    # ------------------------------------------------------------------ calibration
    @property
    def calibration(self) -> Calibration | None:
        return self._engine.calibration if self._engine is not None else None

    @property
    def calibrating(self) -> bool:
        return self._engine is None

    def set_calibration(self, cal: Calibration) -> list[PolicyAction]:
        """Use this calibration from now on (the app's dot step); replays anything waiting for one (its updates go
        to on_update; the proctor's actions are returned)."""
        with self._lock:
            if self.scene_reference is None and self._scene_views:
                from proctorprep.perception.scene import median_signature

                self.scene_reference = median_signature(self._scene_views)
            self._scene_views = []
            self._engine = RuleEngine(cal, self.config.profile, self.config.overrides, has_audio=self._has_audio,
                                      scene_reference=self.scene_reference, costs=self.costs)
            if self.journal is not None:
                self.journal.set_calibration(cal.to_dict())
            pending, self._pending = sorted(self._pending, key=lambda x: (x[0], x[1])), []
            out: list[IncidentUpdate] = []
            feed = {_AUDIO: self._engine.feed_audio, _FACE: self._engine.feed_face, _EVENT: self._engine.feed_event,
                    _SCENE: self._engine.feed_scene}
            for _, kind, obs in pending:
                out += feed[kind](obs)
            return self._dispatch(out, image=None)

    def _calibrate_step(self, t: float, final: bool = False) -> list[PolicyAction]:
        """While auto-calibrating: build once the window is over. A window without a clear face starts a new one,
        until CALIBRATION_LIMIT_S past the first; then (or at the very end) defaults are used and said so."""
        assert self._t0 is not None and self._first_t is not None
        if not final and t < self._t0 + self.config.calibration_seconds:
            return []
        try:
            cal = self._builder.build()
        except CalibrationError as exc:
            if not final and t < self._first_t + self.config.calibration_seconds + CALIBRATION_LIMIT_S:
                self._builder = CalibrationBuilder(self.thresholds.gaze_gain_x_deg, self.thresholds.gaze_gain_y_deg)
                self._t0 = t
                return []
            self.calibration_note = f"could not calibrate: {exc}; default values used"
            cal = Calibration(noise_floor_dbfs=self._builder_floor())
        else:
            if self._t0 > self._first_t:
                self.calibration_note = (f"the first {self.config.calibration_seconds:g} s showed no clear face; "
                                         f"calibrated from {self._t0:.1f} s to {t:.1f} s instead")
        return self.set_calibration(cal)

    def _builder_floor(self) -> float:
        levels = [a[2].rms_dbfs for a in self._pending if a[1] == _AUDIO] or [-60.0]
        return float(np.percentile(levels, 20))

    # ------------------------------------------------------------------ frames
    def wants(self, t_s: float) -> bool:
        """Whether a frame at t_s should be analysed under analysis_fps (skipping is decided before decoding work)."""
        fps = self.config.analysis_fps
        if not fps:
            return True
        step = 1.0 / fps
        with self._lock:
            # a quarter step of slack: a live worker that already paces frames at this rate must not lose one
            # to timestamp jitter
            if self._next_t is not None and t_s < self._next_t - 0.25 * step:
                return False
            # a fixed grid keeps the average rate (a 25 fps video analysed at 15 fps gets about 15, not 12.5);
            # after a stall (slow machine, dropped frames) the grid restarts here instead of trying to catch up
            self._next_t = t_s + step if self._next_t is None or t_s > self._next_t + step else self._next_t + step
            return True

    def process_frame(self, frame: Frame) -> FrameResult:
        """Perception (outside the lock) then rules. Frames are skipped to keep to analysis_fps."""
        if not self.wants(frame.t_s):
            self.frames_skipped += 1
            return FrameResult(None, calibrating=self.calibrating)
        if self.face is None:
            from proctorprep.perception.face import FaceAnalyser

            self.face = FaceAnalyser()
        with self.costs.measure("face analysis"):
            obs = self.face.analyse(frame.image, frame.t_s)
        return self.process_face_observation(obs, frame.image)

    def process_face_observation(self, obs: FaceObservation, image: np.ndarray | None = None) -> FrameResult:
        result = self._face_rules(obs, image)
        if self.identity is not None and image is not None and not result.calibrating and \
                self.identity.due(obs.t_s, obs.faces, image, obs):
            if self.config.live:          # on its own thread: the frames behind this one do not wait for it
                if self._identity_worker is None:
                    from proctorprep.session.identity_worker import IdentityWorker

                    self._identity_worker = IdentityWorker(self.identity, self._identity_result,
                                                           self.costs.measure)
                self.identity.claim(obs.t_s)
                self._identity_worker.submit(image, obs)
                return result
            with self.costs.measure("identity check (identity changed)"):
                ident = self.identity.check(image, obs)       # the slow part, outside the lock
            with self._lock:
                if self._engine is not None and not self._camera_lost():
                    updates = self._engine.feed_identity(ident)
                    if updates:
                        result = FrameResult(obs, result.updates + updates,
                                             result.actions + self._dispatch(updates, image), calibrating=False)
        return result

    def _identity_result(self, ident: Any) -> None:
        """A comparison made on the identity thread (live): judged like one made in line; actions reach on_update."""
        with self._lock:
            if self._engine is not None and not self._camera_lost():
                self._dispatch(self._engine.feed_identity(ident), image=None)

    def _face_rules(self, obs: FaceObservation, image: np.ndarray | None) -> FrameResult:
        with self._lock:
            self.frames_analysed += 1
            self._last_t = max(self._last_t, obs.t_s)
            if image is not None:
                self._last_image = image
            if obs.faces >= 1:
                self._face_since = obs.t_s if self._face_since is None else self._face_since
                self._face_last = obs.t_s
            else:
                self._face_since = None
            if self.journal is not None:
                self.journal.add_face(obs)
            if self._camera_lost():
                return FrameResult(obs, calibrating=self.calibrating)
            scene = self._scene(obs, image)
            if self._engine is None:
                # replayed observations' updates reach on_update; their actions are returned here
                actions = self._calibrating_face(obs, scene)
                return FrameResult(obs, [], actions, calibrating=self._engine is None)
            updates = self._engine.feed_face(obs)
            if scene is not None:
                updates += self._engine.feed_scene(scene)
            return FrameResult(obs, updates, self._dispatch(updates, image), calibrating=False)

    def _scene(self, obs: FaceObservation, image: np.ndarray | None) -> Any:
        """The background's signature of this frame, about SCENE_EVERY_S apart (None between them)."""
        if image is None or obs.t_s < self._next_scene_t:
            return None
        from proctorprep.perception.scene import signature

        self._next_scene_t = obs.t_s + SCENE_EVERY_S
        boxes = obs.all_boxes or ((obs.face_box,) if obs.face_box is not None else ())
        with self.costs.measure("scene signature (camera moved)"):
            return signature(image, obs.t_s, boxes)

    def face_present_for(self, now: float, seconds: float) -> bool:
        """A face has been in view for `seconds` up to a frame seen in the last second (the end of a break)."""
        with self._lock:
            return (self._face_since is not None and self._face_last - self._face_since >= seconds
                    and now - self._face_last <= 1.0)

    # ------------------------------------------------------------------ the exam client's reports
    def process_event(self, ev: cd.ConditionEvent) -> list[PolicyAction]:
        """Screens, the exam window, the session's phase (rules/conditions.py): journaled, then judged."""
        with self._lock:
            self.conditions_heard.add(ev.kind)
            self._last_t = max(self._last_t, ev.t_s)
            if self.journal is not None:
                self.journal.add_exam_event(ev.t_s, "condition", ev.to_dict())
            if self._engine is None:
                self._pending.append((ev.t_s, _EVENT, ev))
                return []
            return self._dispatch(self._engine.feed_event(ev), image=None)

    def _calibrating_face(self, obs: FaceObservation, scene: Any = None) -> list[PolicyAction]:
        if self._t0 is None:
            self._t0 = self._first_t = obs.t_s
        assert self._first_t is not None
        if obs.t_s >= self._first_t + self.config.calibration_seconds:
            self._pending.append((obs.t_s, _FACE, _lean(obs)))      # judged once a calibration exists
            if scene is not None:
                self._pending.append((obs.t_s, _SCENE, scene))
        if obs.t_s < self._t0 + self.config.calibration_seconds:
            self._builder.add_face(obs)
            if scene is not None and scene.usable and obs.faces == 1:
                self._scene_views.append(scene)     # the calibration's views: the background's reference
            return []
        actions = self._calibrate_step(obs.t_s)
        if self._engine is None:
            self._builder.add_face(obs)                          # the first frame of a new window
        return actions

    # ------------------------------------------------------------------ audio
    def process_audio(self, block: AudioBlock) -> list[AudioObservation]:
        """Voice analysis (outside the lock) then rules; incident updates go to on_update."""
        if self.audio is None:
            from proctorprep.perception.voice import AudioAnalyser

            self.audio = AudioAnalyser()
        cal = self.calibration
        if cal is not None and hasattr(self.audio, "vad_below_dbfs"):
            # what is quieter than this never counts as speech (talking.is_voiced): the VAD need not hear it
            self.audio.vad_below_dbfs = cal.noise_floor_dbfs + self.thresholds.speech_margin_db
        with self.costs.measure("voice analysis"):
            out = self.audio.feed(block)
        if self.speech is not None:
            self.speech.add(block.samples, block.t_s, out)
        for obs in out:
            self.process_audio_observation(obs)
        if self.speech is not None:
            self.process_speech(self.speech.poll())
        return out

    def show_question(self, question_ids: Any) -> None:
        """The question(s) now on screen (a list of ids; [] for none, e.g. the review page)."""
        if self.speech is not None:
            self.speech.set_on_screen(list(question_ids))

    def process_speech(self, contents: list[Any]) -> list[PolicyAction]:
        """What stretches of speech said (SpeechContent from the speech worker) -> reading_aloud/voice_assistant."""
        with self._lock:
            self._speech_pending.extend(contents)
            if self._engine is None or not self._speech_pending:
                return []
            pending, self._speech_pending = self._speech_pending, []
            return self._dispatch([u for c in pending for u in self._engine.feed_speech(c)], image=None)

    def _finish_speech(self) -> None:
        """The last stretch, analysed before the end (live: a short wait; a recording: all of it)."""
        if self.speech is None:
            return
        self.speech.end_of_stream()
        self.process_speech(self.speech.drain(timeout_s=None if not self.config.live else 3.0))
        self.speech.close()

    def process_audio_observation(self, obs: AudioObservation) -> list[PolicyAction]:
        with self._lock:
            if self.journal is not None:
                self.journal.add_audio(obs)
            self._last_t = max(self._last_t, obs.t_s + obs.duration_s)
            if self._engine is None:
                if self._t0 is None or obs.t_s < self._t0 + self.config.calibration_seconds:
                    self._builder.add_audio(obs)
                if self._first_t is not None and obs.t_s >= self._first_t + self.config.calibration_seconds:
                    self._pending.append((obs.t_s, _AUDIO, obs))
                return []
            return self._dispatch(self._engine.feed_audio(obs), image=None)

    # ------------------------------------------------------------------ devices
    def device_event(self, ev: DeviceEvent) -> list[PolicyAction]:
        """A device was lost or came back. A lost camera is a gap (not the candidate leaving); a lost microphone
        means talking cannot be heard and mouthing says so."""
        with self._lock:
            if self.journal is not None:
                self.journal.add_device_event(ev)
            updates: list[IncidentUpdate] = []
            if ev.device in PICTURE_DEVICES and ev.kind in LOST_KINDS and not self._camera_lost():
                self._gaps.append([ev.t_s, None])
                if self._engine is not None:
                    updates = self._engine.device_lost(ev.t_s, "camera")
            elif ev.device in PICTURE_DEVICES and ev.kind in BACK_KINDS and self._camera_lost():
                self._gaps[-1][1] = ev.t_s
                if self._engine is not None:
                    self._engine.device_back("camera")
            elif ev.device in SOUND_DEVICES and ev.kind in LOST_KINDS + BACK_KINDS:
                self._has_audio = ev.kind in BACK_KINDS
                if self._engine is not None:
                    updates = (self._engine.device_lost(ev.t_s, "microphone") if not self._has_audio
                               else self._engine.device_back("microphone"))
            return self._dispatch(updates, image=None)

    def audio_ended(self, t_s: float) -> list[PolicyAction]:
        """The soundtrack of a recording is over before the picture: nothing more can be heard (not a device
        fault, so no gap): talking cannot be judged any more and mouthing says it could not hear."""
        with self._lock:
            self._has_audio = False
            if self._engine is None:
                return []
            return self._dispatch(self._engine.device_lost(t_s, "microphone"), image=None)

    def _camera_lost(self) -> bool:
        return bool(self._gaps) and self._gaps[-1][1] is None

    def excluded_spans(self, end_s: float | None = None) -> list[tuple[float, float]]:
        end = self._last_t if end_s is None else end_s
        return [(float(s), float(e if e is not None else end)) for s, e in self._gaps]

    # ------------------------------------------------------------------ the proctor
    def acknowledge(self, t_s: float) -> None:
        """The candidate acknowledged a pause at t_s: the proctor counts again from now."""
        with self._lock:
            self.policy.acknowledge()
            self.acks.append(t_s)

    def _journaled(self, inc: Incident) -> Incident:
        """An incident that begins after the proctor ended the exam (the candidate went on in practice mode) is
        still journaled, marked `after_end`, so the report lists it apart."""
        if self.ended_at is None or inc.start_s < self.ended_at:
            return inc
        return dataclasses.replace(inc, evidence={**inc.evidence, "after_end": True})

    # ------------------------------------------------------------------ end
    def finish(self, t_s: float | None = None) -> list[Incident]:
        """End of the session: calibrate if still calibrating, close open incidents, journal them. Returns all."""
        with self._lock:
            t = self._last_t if t_s is None else t_s
            if self._engine is None:
                if self._t0 is None:
                    self._t0 = self._first_t = 0.0
                self._calibrate_step(t, final=True)
            assert self._engine is not None
        self._finish_speech()     # outside the lock: the worker's last results come in through process_speech
        if self._identity_worker is not None:      # outside the lock too: its last result takes the lock
            self._identity_worker.close()
        with self._lock:
            self._dispatch(self._engine.finish(t), image=None)
            return self._engine.incidents()

    def incidents(self) -> list[Incident]:
        with self._lock:
            return self._engine.incidents() if self._engine is not None else []

    def summary(self, duration_s: float) -> dict[str, Any]:
        """policy.summarize of this session: camera gaps excluded."""
        with self._lock:
            # the replay holds at each pause until it was acknowledged, as this live proctor did
            return summarize(self.incidents(), duration_s, self.config.profile, self.excluded_spans(duration_s),
                             acks=list(self.acks) if self.config.wait_for_ack else None)

    # ------------------------------------------------------------------ shared
    def _dispatch(self, updates: list[IncidentUpdate], image: np.ndarray | None) -> list[PolicyAction]:
        """Snapshots at onset, the policy's live action, the journal on close, the GUI callback."""
        actions: list[PolicyAction] = []
        for u in updates:
            inc = u.incident
            key = (inc.type, round(inc.start_s, 3))
            action = None
            if u.kind == "opened":
                if self.config.keep_snapshots and key not in self._snapshots:
                    src = image if image is not None else self._last_image
                    self._snapshots[key] = encode_snapshot(src) if src is not None else None
                if self.journal is not None:
                    # journaled at once, so a crash while the behaviour goes on still leaves it in the report;
                    # the closed row replaces it (the reader keeps the last row and the first snapshot)
                    self.journal.add_incident(self._journaled(inc), self._snapshots.get(key))
                action = self.policy.on_incident_opened(inc)
                if action is not None:
                    actions.append(action)
                    self.actions.append(action)
                    if action.action == "end":
                        self.ended_at = action.t_s
                    if self.journal is not None and self.config.live:
                        self.journal.add_warning(action.t_s, action.incident_type, action.message, action.action)
            elif u.kind == "closed":
                self._snapshots.pop(key, None)
                if self.journal is not None:    # the snapshot went in with the opened row; not written twice
                    self.journal.add_incident(self._journaled(inc))
            if self.on_update is not None:
                self.on_update(u, action)
        return actions
