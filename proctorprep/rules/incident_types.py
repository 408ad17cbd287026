"""The incident-type registry: one descriptor per incident type, and the only place that says what a type is.

The report (labels, advice), the charts (lane order, colours), the proctor's policy (which profiles warn, which end
the exam), the rule engine (which detector), streaks (the habit), badges (which badge it counts against), the demo
session and the UI all read the descriptor; none keeps a table of its own. Asking for a type that is not registered
raises `UnknownIncidentType` instead of falling back to a made-up label, so a forgotten entry shows at once.

One exception, on purpose and in one place: a journal written by a newer version may hold a type this version does
not know. What reads journals (report, charts, the policy's summary) asks `recorded_type()`, which describes such a
type by its own name, grey, with general advice and no proctor warning, rather than refusing the whole report.

To add a type: write its detector (rules/detectors/) and add one `IncidentType(...)` to `BUILTIN` below (or call
`register()`); see docs/architecture.md. The keys are a public contract: add, never rename.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Protocol

from proctorprep.registry import Registry
from proctorprep.rules import incidents as it
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors import (
    CameraMovedDetector, FaceCoveredDetector, FaceMissingDetector, IdentityChangedDetector, LeftBeforeStartDetector,
    LeftExamWindowDetector, LookingAwayDetector, MouthingDetector, MultipleFacesDetector, OtherVoiceDetector, ReadingAloudDetector,
    RestlessDetector, SecondScreenDetector, TalkingDetector, VoiceAssistantDetector,
)
from proctorprep.rules.incidents import SEVERITIES, IncidentUpdate
from proctorprep.rules.thresholds import PROFILE_NAMES, Thresholds

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_THRESHOLD_NAMES = frozenset(f.name for f in fields(Thresholds))


class UnknownIncidentType(LookupError):
    """A type nobody registered: the message names it and where to register it."""


@dataclass(frozen=True, slots=True)
class DetectorSetup:
    """What a detector is built from: the session's calibration and thresholds, whether it has audio, and the
    check-in's view of the background (perception.scene.SceneSignature; None: camera_moved takes the first views)."""

    calibration: Calibration
    thresholds: Thresholds
    has_audio: bool = True
    scene_reference: Any = None


class Detector(Protocol):
    """A detector eats observations in time order and says when its incident opens and closes. It has
    `feed_face(FaceObservation)` and/or `feed_audio(AudioObservation)` (the engine feeds what it has), `finish(t)`,
    and, if it listens to audio while watching the face, `set_has_audio(bool)`."""

    def finish(self, t: float) -> list[IncidentUpdate]: ...


@dataclass(frozen=True, slots=True)
class IncidentType:
    key: str                     # the public name in journals and JSON reports ("looking_away")
    label: str                   # a heading in reports, charts, tables: "Looking away"
    warning_label: str           # inside the proctor's sentences: "Proctor warning (looking away from the screen)"
    advice: str                  # the etiquette it breaks and what to do instead
    habit: str                   # the good habit, as a candidate says it: "keeping your eyes on the screen"
    colour: str                  # "#RRGGBB" for chart lanes and report swatches
    severity: str                # "info" | "warning" | "critical", stamped on every incident of the type
    detector: Callable[[DetectorSetup], Detector]   # builds the detector for one session
    example: str                 # an explanation as the detector writes it (the demo report shows it)
    warns_in: frozenset[str] = frozenset(PROFILE_NAMES)   # proctor profiles that warn for it
    ends_in: frozenset[str] = frozenset()                 # profiles in which one such incident ends the exam
    dwell_threshold: str | None = None   # the Thresholds field that sets how long before it becomes an incident
    badge: str | None = None             # the etiquette badge (progress/badges.py id) it counts against
    directions: tuple[str, ...] = field(default=())       # the directions it may carry (looking_away only)
    # What a live proctor says in the chat, in the candidate's terms: the headline of a live warning (the measured
    # reason is shown under it, smaller).
    request: str = "Please follow the exam rules."
    # What the detector needs beyond camera and microphone: the exam client's own reports ("screens", "window",
    # "phase": rules/conditions.py). A session without them (a recording) cannot judge the type; its report says so.
    needs: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        problems = []
        if not _KEY.match(self.key):
            problems.append("key must be lower_snake_case")
        for name in ("label", "warning_label", "advice", "habit", "example", "request"):
            if not str(getattr(self, name)).strip():
                problems.append(f"{name} is empty")
        if not _COLOUR.match(self.colour):
            problems.append(f"colour {self.colour!r} is not #RRGGBB")
        if self.severity not in SEVERITIES:
            problems.append(f"severity {self.severity!r} is not one of {', '.join(SEVERITIES)}")
        if not callable(self.detector):
            problems.append("detector is not callable")
        for name in ("warns_in", "ends_in"):
            unknown = set(getattr(self, name)) - set(PROFILE_NAMES)
            if unknown:
                problems.append(f"{name} names unknown profiles {sorted(unknown)}")
        if not set(self.ends_in) <= set(self.warns_in):
            problems.append("ends_in must be a subset of warns_in (a proctor warns before ending)")
        if self.dwell_threshold is not None and self.dwell_threshold not in _THRESHOLD_NAMES:
            problems.append(f"dwell_threshold {self.dwell_threshold!r} is not a threshold")
        if set(self.needs) - {"screens", "window", "phase"}:
            problems.append("needs must be among screens, window, phase")
        if set(self.directions) - set(it.DIRECTIONS):
            problems.append(f"directions must be among {', '.join(it.DIRECTIONS)}")
        if problems:
            raise ValueError(f"incident type {self.key!r}: " + "; ".join(problems))
        # accept any iterable of profile names, keep sets
        object.__setattr__(self, "warns_in", frozenset(self.warns_in))
        object.__setattr__(self, "ends_in", frozenset(self.ends_in))
        object.__setattr__(self, "needs", frozenset(self.needs))


_REGISTRY: Registry[IncidentType] = Registry("incident type", "proctorprep/rules/incident_types.py",
                                             UnknownIncidentType)
# Registration order is the order of report tables and chart lanes. A key registered twice is refused: two
# descriptors for one type is the bug this registry exists to prevent.
register = _REGISTRY.register
registered = _REGISTRY.registered
incident_type = _REGISTRY.get
incident_types = _REGISTRY.items
type_keys = _REGISTRY.keys


GENERAL_ADVICE = "Keep to the exam rules: stay alone, quiet, in view, and eyes on the screen."
FOREIGN_COLOUR = "#222222"


def _no_detector(setup: DetectorSetup) -> Detector:
    raise UnknownIncidentType("a type known only from a journal has no detector in this version")


def recorded_type(key: str) -> IncidentType:
    """The descriptor for a type read from a journal: the registered one, or, for a type from a newer version,
    one made from its name (see the module doc). Never use it for types the code itself produces."""
    if key in _REGISTRY:
        return _REGISTRY.get(key)
    words = key.replace("_", " ").strip() or "unnamed incident"
    return IncidentType(key=key if _KEY.match(key) else "unknown", label=words.capitalize(), warning_label=words,
                        advice=GENERAL_ADVICE, habit=f"avoiding {words}", colour=FOREIGN_COLOUR,
                        severity="warning", detector=_no_detector, example=f"{words.capitalize()} (from a newer "
                        "version)", warns_in=frozenset())


def build_detectors(setup: DetectorSetup) -> list[Detector]:
    """One detector per registered type, in registration order."""
    return [t.detector(setup) for t in _REGISTRY.items()]


# ------------------------------------------------------------------------------------------- the built-in types

BUILTIN: tuple[IncidentType, ...] = (
    IncidentType(
        key=it.TALKING, request="Please stay quiet during the exam.",
        label="Talking", warning_label="talking",
        advice=("Proctors warn for any speech, even reading a question aloud or talking to yourself, and repeated "
                "speech can end the exam. Read silently; if you must speak to someone, use the proctor chat "
                "instead."),
        habit="staying silent", colour="#E69F00", severity="warning",
        detector=lambda s: TalkingDetector(s.calibration, s.thresholds),
        example="Speech heard for 6.0 s, well above the room's noise",
        dwell_threshold="talk_dwell_s", badge="silent-candidate"),
    IncidentType(
        key=it.MOUTHING, request="Please keep your lips still while you read.",
        label="Mouthing without sound", warning_label="moving your lips",
        advice=("Moving your lips while reading looks like talking on a muted proctor video and is flagged the same "
                "way. Keep your lips closed and relaxed while you read; a hand on the chin or a closed mouth helps "
                "the habit."),
        habit="not mouthing the questions", colour="#56B4E9", severity="warning",
        detector=lambda s: MouthingDetector(s.calibration, s.thresholds, has_audio=s.has_audio),
        example="Your lips moved as if speaking for 5.0 s, but no voice was heard",
        dwell_threshold="mouth_dwell_s", badge="silent-candidate"),
    IncidentType(
        key=it.LOOKING_AWAY, request="Please keep your eyes on the screen.",
        label="Looking away", warning_label="looking away from the screen",
        advice=("Eyes off the screen for more than a moment, or many short glances, look like reading notes or a "
                "second screen. Keep your eyes on the exam window; think with your eyes on the screen, not on the "
                "wall or ceiling."),
        habit="keeping your eyes on the screen", colour="#009E73", severity="warning",
        detector=lambda s: LookingAwayDetector(s.calibration, s.thresholds),
        example="Head and eyes turned 34° to your left for 5.5 s; the screen ends at 24°",
        dwell_threshold="away_dwell_s", badge="eyes-on-screen", directions=it.DIRECTIONS),
    IncidentType(
        key=it.FACE_MISSING, request="Please stay in front of the camera.",
        label="Face not in view", warning_label="leaving the camera's view",
        advice=("Leaving the camera's view, even briefly, is one of the most common reasons an exam is revoked. "
                "Stay seated and centred until you submit; take breaks only when the exam rules allow them."),
        habit="staying in view of the camera", colour="#0072B2", severity="warning",
        # during an allowed break nobody is judged; before the first question left_before_start judges instead
        detector=lambda s: FaceMissingDetector(s.thresholds),
        example="No face in view for 6.0 s: you left the camera's view",
        dwell_threshold="missing_dwell_s"),
    IncidentType(
        key=it.MULTIPLE_FACES, request="Only you may be in the room during the exam.",
        label="Another person in view", warning_label="another person in view",
        advice=("Another person in view ends a proctored exam. Take the exam alone in a closed room, and make sure "
                "no photo or poster with a face is behind you."),
        habit="being alone in the room", colour="#D55E00", severity="critical",
        detector=lambda s: MultipleFacesDetector(s.thresholds),
        example="Two faces in view for 4.0 s",
        ends_in=frozenset({"standard", "strict"}), dwell_threshold="multi_dwell_s"),
    IncidentType(
        key=it.RESTLESS, request="Please sit still, facing the camera.",
        label="Not sitting still", warning_label="not sitting still",
        advice=("Moving about a lot makes a proctor watch you closely and can hide what you do. Sit upright and "
                "still, with your face centred, and rest your arms on the desk."),
        habit="sitting still", colour="#CC79A7", severity="info",
        detector=lambda s: RestlessDetector(s.calibration, s.thresholds),
        example="You kept moving in your seat for 8.0 s; your head shifted around the picture",
        # only the strict proctor warns; the others note it in the report
        warns_in=frozenset({"strict"}), dwell_threshold="restless_dwell_s", badge="steady"),
    IncidentType(
        key=it.FACE_COVERED, request="Please keep your hands away from your face.",
        label="Face covered", warning_label="covering your face",
        advice=("A hand over your mouth or face hides lip movement and is questioned by proctors. Keep your hands "
                "on the desk or keyboard, away from your face."),
        habit="keeping your hands away from your face", colour="#8C7E00", severity="warning",
        detector=lambda s: FaceCoveredDetector(s.calibration, s.thresholds),
        example="A hand covered 60% of your mouth and face for 4.0 s",
        dwell_threshold="covered_dwell_s"),
    # What was said (perception/speech_content.py): a type of its own rather than a note on `talking`, because
    # proctors name it as its own warning, it has its own advice, and it is decided after the stretch of speech
    # ends, when the talking incident for the same sound may already be closed. See docs/readme/audio.md.
    IncidentType(
        key=it.READING_ALOUD, label="Reading a question aloud", warning_label="reading the question aloud",
        advice=("Reading a question aloud is flagged as talking and looks like dictating the exam to someone who can "
                "hear you or a recorder. Read silently, with your lips closed; if a question is hard to follow, "
                "read it again in your head, slowly."),
        habit="reading the questions silently", colour="#B8860B", severity="warning",
        detector=lambda s: ReadingAloudDetector(),
        example="You read question cf-012 aloud: 9 of its words in its order, 42% of the question",
        badge="silent-candidate"),
    IncidentType(
        # Experimental: measured on held-out voices it finds 0.57 of the calls and mishears 16 per 10 minutes of
        # other speech (docs/readme/audio.md), so it is a note in the report, never a proctor warning.
        key=it.VOICE_ASSISTANT, label="Voice assistant called? (experimental)",
        warning_label="calling a voice assistant",
        advice=("Saying \u201cHey Siri\u201d, \u201cOK Google\u201d or \u201cAlexa\u201d in a proctored exam is "
                "treated as seeking outside help and can end the exam at once. Switch phones and smart speakers off "
                "and put them out of reach before you start."),
        habit="leaving voice assistants alone", colour="#7F3C8D", severity="info",
        detector=lambda s: VoiceAssistantDetector(),
        example="\u201cHey Siri\u201d heard: a call to Siri (experimental: may be a mishearing)",
        warns_in=frozenset()),
    # Exam conditions (docs/readme/conditions.md): the reasons for revoked exams that are not about the face.
    IncidentType(
        key=it.SECOND_SCREEN, request="Please disconnect the second screen; an exam allows one.",
        label="Second screen connected", warning_label="a second screen connected",
        advice=("Exam clients allow one monitor and refuse to start, or stop, when a second one is connected; "
                "looking at an external monitor is a common reason for a revoked exam. Unplug every screen but the "
                "one you take the exam on before you check in (and switch off mirroring to a TV)."),
        habit="using one screen only", colour="#4B0092", severity="critical",
        detector=lambda s: SecondScreenDetector(s.thresholds),
        example="2 screens connected at the check-in (Built-in display, DELL U2720Q); an exam allows one",
        ends_in=frozenset({"strict"}), badge="exam-conditions", needs=frozenset({"screens"})),
    IncidentType(
        key=it.LEFT_EXAM_WINDOW, request="Please stay in the exam window.",
        label="Left the exam window", warning_label="leaving the exam window",
        advice=("Exam clients run full screen and treat switching to another window as a violation; some give "
                "15-30 seconds of grace before they end the attempt. Close other programs and notifications before "
                "you start, and do not leave the exam window until you submit."),
        habit="staying in the exam window", colour="#1A85FF", severity="warning",
        detector=lambda s: LeftExamWindowDetector(s.thresholds),
        example="You were away from the exam window for 22 s: another window was in front of the exam",
        ends_in=frozenset({"strict"}), dwell_threshold="window_grace_s", badge="exam-conditions",
        needs=frozenset({"window"})),
    IncidentType(
        key=it.CAMERA_MOVED, request="Please put the camera back where it was at the check-in.",
        label="Camera moved", warning_label="moving the camera",
        advice=("The proctor checks your room through the camera at the check-in; moving or turning the webcam "
                "afterwards looks like hiding something and is questioned. Fix the camera before the check-in and "
                "do not touch it until you submit."),
        habit="leaving the camera where it was", colour="#5D3A9B", severity="warning",
        detector=lambda s: CameraMovedDetector(s.thresholds, s.scene_reference),
        example="The camera was moved: the background shifted about 4% of the picture left (58% of its edges "
                "changed) for 5.0 s",
        dwell_threshold="camera_dwell_s", badge="exam-conditions"),
    IncidentType(
        key=it.OTHER_VOICE, request="Only your voice may be heard; please make sure you are alone and quiet.",
        label="Another voice heard", warning_label="another voice in the room",
        advice=("A voice in the room that is not yours (a person, a TV, a phone on speaker) looks like someone "
                "helping you and can end the exam. Take the exam alone in a closed, quiet room with TVs, radios and "
                "speakers off."),
        habit="keeping the room quiet", colour="#994F00", severity="warning",
        detector=lambda s: OtherVoiceDetector(s.calibration, s.thresholds),
        example="A voice was heard for 4.0 s while your lips stayed still and closed: someone else, a TV or a "
                "speaker",
        dwell_threshold="other_voice_dwell_s", badge="exam-conditions"),
    IncidentType(
        key=it.LEFT_BEFORE_START, request="Please stay in front of the camera; the exam is about to start.",
        label="Left before the first question", warning_label="leaving the camera's view before the first question",
        advice=("Between the check-in and the first question the greeter watches closely: candidates report exams "
                "revoked for leaving the camera's view then, even briefly. Once checked in, stay seated and in view "
                "until the exam starts."),
        habit="staying in view from the check-in on", colour="#006CD1", severity="critical",
        detector=lambda s: LeftBeforeStartDetector(s.thresholds),
        example="You left the camera's view for 1.2 s after the check-in, before the first question",
        ends_in=frozenset({"standard", "strict"}), dwell_threshold="before_start_dwell_s",
        badge="exam-conditions", needs=frozenset({"phase"})),
    # The check-in's headshot is the reference (proctorprep/checkin/, perception/identity.py); without a check-in
    # there is nothing to compare with and the detector is never fed. Ends the exam only under the strict proctor:
    # a real proctor would end it at once, but the face model's error rates are measured on few people here
    # (docs/readme/checkin.md), so the others warn and let the candidate carry on.
    IncidentType(
        key=it.IDENTITY_CHANGED, request="Only the candidate who checked in may sit the exam.",
        label="Someone else in the chair", warning_label="someone other than the checked-in candidate",
        advice=("The person who checked in must sit the whole exam: a different face in the chair ends a proctored "
                "exam and the result is revoked. Stay in your seat, in view, until you submit; if your look changes "
                "(glasses off, hair, much more light), retake the check-in headshot as you will sit."),
        habit="sitting the exam yourself", colour="#A6761D", severity="critical",
        detector=lambda s: IdentityChangedDetector(s.thresholds),
        example="Not the face of your check-in headshot for 12 s (distance 0.78; the same person is under 0.60)",
        ends_in=frozenset({"strict"}), dwell_threshold="identity_dwell_s"),
)

for _desc in BUILTIN:
    register(_desc)

