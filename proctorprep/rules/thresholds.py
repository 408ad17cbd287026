"""Per-profile thresholds for the detectors, overridable from settings.threshold_overrides[profile].

Every angle is relative to the candidate's calibration (neutral pose, on-screen range), never absolute, so the same
numbers work for a tall candidate with the camera low and a short one with the camera high.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Mapping

from proctorprep.perception.gaze import EYE_GAIN_DEG

PROFILE_NAMES: tuple[str, ...] = ("lenient", "standard", "strict")


class ThresholdError(ValueError):
    """An override names an unknown threshold or gives a value out of range; the message says which."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    # --- looking_away: line of sight = head angle + eye angle (physical eye model, perception.gaze), in degrees
    away_margin_deg: float = 6.0          # beyond the on-screen range by this much = off screen
    away_exit_margin_deg: float = 2.0     # hysteresis: back on screen when within range + this
    away_dwell_s: float = 2.0             # a continuous look longer than this is an incident
    away_off_s: float = 0.5               # back on screen this long closes the incident
    gaze_gain_x_deg: float = round(EYE_GAIN_DEG, 1)   # eye rotation per unit of iris offset near the centre
    gaze_gain_y_deg: float = round(EYE_GAIN_DEG, 1)
    glance_min_s: float = 0.5             # an off-screen glance counts when it lasts at least this long
    glance_count: int = 4                 # this many counted glances ...
    glance_window_s: float = 30.0         # ... within this window is a "frequent glances" incident
    # --- talking: speech heard (trained VAD)
    speech_prob: float = 0.5              # a chunk is voiced at or above this probability
    speech_margin_db: float = 3.0         # ... and this far above the calibrated noise floor
    talk_dwell_s: float = 1.5             # voiced (pauses between words bridged) this long = talking
    talk_bridge_s: float = 0.6            # pauses shorter than this do not break a run of speech
    talk_off_s: float = 1.0               # silence this long ends it
    # --- mouthing: lips moving like speech while no speech is heard
    mouth_amp_min: float = 0.05           # an opening must exceed rest by at least this (inner gap / width) ...
    mouth_amp_spreads: float = 4.0        # ... and by this many calibrated spreads (MADs)
    mouth_window_s: float = 1.5           # lip activity is judged over this window ...
    mouth_min_openings: int = 2           # ... needing this many open-close cycles (speech rhythm, not a yawn)
    mouth_dwell_s: float = 2.0
    mouth_off_s: float = 0.8
    audio_lag_s: float = 0.5              # audio may arrive this much later than video
    # --- face_missing / multiple_faces
    missing_dwell_s: float = 1.5
    missing_off_s: float = 0.5
    multi_dwell_s: float = 1.0
    multi_off_s: float = 0.5
    # --- restless: head position or rotation moving a lot, per second over a window
    restless_speed: float = 0.25          # mean speed of the face centre (face widths / s) over the window
    restless_turn_deg_s: float = 15.0     # ... or of the head's rotation (degrees / s): rocking +-10 deg at 1 Hz ~ 36
    restless_window_s: float = 4.0
    restless_dwell_s: float = 2.0
    restless_off_s: float = 2.0
    # --- face_covered
    covered_fraction: float = 0.35        # FaceObservation.face_covered at or above this = covered
    covered_dwell_s: float = 1.0
    covered_off_s: float = 0.5
    # --- identity_changed: the face compared with the check-in headshot every few seconds (not every frame)
    identity_distance: float = 0.6        # face-descriptor distance above which it is someone else
    identity_dwell_s: float = 10.0        # someone else for this long (about four comparisons) = an incident
    identity_off_s: float = 6.0           # the headshot's face back this long ends it
    # --- exam conditions (rules/detectors/conditions.py, camera.py, voices.py)
    window_grace_s: float = 15.0          # left_exam_window: away from the exam window this long is an incident
    window_exits: int = 3                 # ... and so is leaving it this many times ...
    window_exits_s: float = 300.0         # ... within these seconds, however short each time
    before_start_dwell_s: float = 0.5     # left_before_start: out of view this long before the first question
    camera_change: float = 0.3            # camera_moved: the background's edges this different from the check-in's
    camera_dwell_s: float = 2.0           # ... for this long (a person passing behind is shorter)
    camera_settle_s: float = 3.0          # ... then steady this long in its new place: the incident ends there
    other_voice_dwell_s: float = 2.0      # other_voice: speech with your lips still and closed this long
    other_voice_off_s: float = 1.0        # ... silence (or your lips moving) this long ends it
    lips_still: float = 0.5               # "lips still": within this share of the mouthing opening of rest
    # --- common
    max_gap_s: float = 1.0                # no usable sample for this long resets a detector that is waiting

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


# What each threshold means, in the words the settings page shows beside its name.
THRESHOLD_HELP: dict[str, str] = {
    "away_margin_deg": "Looking away: degrees beyond your on-screen range that count as off screen",
    "away_exit_margin_deg": "Looking away: back on screen when within your range plus these degrees",
    "away_dwell_s": "Looking away: seconds of one continuous look that make an incident",
    "away_off_s": "Looking away: seconds back on screen that end it",
    "gaze_gain_x_deg": "Eyes: how many degrees a glance to the side counts for (higher = glances count as further away)",
    "gaze_gain_y_deg": "Eyes: how many degrees a glance up or down counts for (higher = glances count as further away)",
    "glance_min_s": "Glances: seconds a short glance away must last to count",
    "glance_count": "Glances: how many short glances away ...",
    "glance_window_s": "Glances: ... within these seconds make an incident",
    "speech_prob": "Talking: how sure the voice detector must be that it heard speech (0 to 1)",
    "speech_margin_db": "Talking: dB above the room's noise a voice must be",
    "talk_dwell_s": "Talking: seconds of speech that make an incident",
    "talk_bridge_s": "Talking: pauses between words shorter than this do not break it",
    "talk_off_s": "Talking: seconds of silence that end it",
    "mouth_amp_min": "Mouthing: how far the lips must part beyond rest (share of the mouth's width)",
    "mouth_amp_spreads": "Mouthing: ... and how many times further than your lips moved while still at calibration",
    "mouth_window_s": "Mouthing: seconds over which lip movement is judged",
    "mouth_min_openings": "Mouthing: open-close cycles needed in that window",
    "mouth_dwell_s": "Mouthing: seconds of silent lip movement that make an incident",
    "mouth_off_s": "Mouthing: seconds of still lips that end it",
    "audio_lag_s": "Mouthing: seconds the sound may arrive after the picture",
    "missing_dwell_s": "Face missing: seconds out of view that make an incident",
    "missing_off_s": "Face missing: seconds back in view that end it",
    "multi_dwell_s": "Another person: seconds a second face must be seen",
    "multi_off_s": "Another person: seconds alone again that end it",
    "restless_speed": "Not sitting still: how fast your head may move (face widths a second)",
    "restless_turn_deg_s": "Not sitting still: how fast your head may rock or sway (degrees a second)",
    "restless_window_s": "Not sitting still: seconds over which movement is averaged",
    "restless_dwell_s": "Not sitting still: seconds of movement that make an incident",
    "restless_off_s": "Not sitting still: seconds still again that end it",
    "covered_fraction": "Face covered: share of mouth or face under a hand (0 to 1)",
    "covered_dwell_s": "Face covered: seconds that make an incident",
    "covered_off_s": "Face covered: seconds uncovered that end it",
    "identity_distance": ("Identity: how different the face may look from your check-in headshot before it counts "
                          "as someone else (face-descriptor distance; the same person is usually 0.2 to 0.5)"),
    "identity_dwell_s": "Identity: seconds someone else must be in the chair to make an incident",
    "identity_off_s": "Identity: seconds you must be back to end it",
    "window_grace_s": "Leaving the exam window: seconds away (another window in front, minimised, out of full "
                      "screen) that make an incident",
    "window_exits": "Leaving the exam window: how many times leaving it, however briefly, ...",
    "window_exits_s": "Leaving the exam window: ... within these seconds make an incident",
    "before_start_dwell_s": "Leaving before the first question: seconds out of the camera's view that make an "
                            "incident (stricter than during the exam, as the greeter is)",
    "camera_change": "Camera moved: how different the view behind you must look from the check-in's (0 to 1; "
                     "lighting changes stay far below 0.1)",
    "camera_dwell_s": "Camera moved: seconds the view must stay different",
    "camera_settle_s": "Camera moved: seconds steady in its new place that end the incident",
    "other_voice_dwell_s": "Another voice: seconds of speech heard while your lips are still and closed",
    "other_voice_off_s": "Another voice: seconds of quiet that end it",
    "lips_still": "Another voice: how still your lips must be to count as closed (share of a mouthing opening)",
    "max_gap_s": "Any rule: seconds without a clear picture or sound before a rule starts over",
}

_BASE = Thresholds()

PROFILES: dict[str, Thresholds] = {
    "lenient": replace(
        _BASE, away_margin_deg=10.0, away_dwell_s=3.0, glance_count=6, talk_dwell_s=2.5, mouth_dwell_s=3.0,
        missing_dwell_s=3.0, multi_dwell_s=2.0, restless_speed=0.35, restless_turn_deg_s=20.0, restless_dwell_s=3.5,
        covered_dwell_s=2.0, window_grace_s=30.0, window_exits=5, before_start_dwell_s=1.0, camera_change=0.45,
        camera_dwell_s=3.0, other_voice_dwell_s=3.0, identity_dwell_s=15.0,
    ),
    "standard": _BASE,
    "strict": replace(
        _BASE, away_margin_deg=3.0, away_dwell_s=1.5, glance_count=3, talk_dwell_s=1.0, mouth_dwell_s=1.5,
        missing_dwell_s=1.0, multi_dwell_s=0.5, restless_speed=0.2, restless_turn_deg_s=12.0, restless_dwell_s=1.5,
        restless_window_s=3.0,
        covered_dwell_s=0.7, window_grace_s=5.0, window_exits=2, before_start_dwell_s=0.3, camera_change=0.22,
        camera_dwell_s=1.5, other_voice_dwell_s=1.5, identity_dwell_s=6.0,
    ),
}

# Sane bounds for overrides (a typo like 200 s of dwell should be refused, not silently accepted)
_BOUNDS: dict[str, tuple[float, float]] = {f.name: (0.0, 120.0) for f in fields(Thresholds)}
_BOUNDS.update({"window_exits": (1, 50), "window_exits_s": (1.0, 3600.0), "camera_change": (0.05, 1.0),
                "lips_still": (0.05, 1.0)})
_BOUNDS.update({"speech_prob": (0.05, 0.99), "covered_fraction": (0.05, 1.0), "glance_count": (1, 50),
                "mouth_min_openings": (1, 20),
                "identity_distance": (0.3, 1.2), "identity_dwell_s": (3.0, 120.0), "identity_off_s": (1.0, 120.0), "gaze_gain_x_deg": (1.0, 250.0), "gaze_gain_y_deg": (1.0, 250.0)})


def threshold_bounds(name: str) -> tuple[float, float]:
    """The values an override of `name` may take (KeyError for an unknown threshold)."""
    return _BOUNDS[name]


def check_override(name: str, value: Any) -> float | int:
    """One override checked the way the rules will use it: the stored value, or ThresholdError saying what is wrong.
    The settings page checks each cell with this, so it never accepts what the session would refuse."""
    kinds = {f.name: f.type for f in fields(Thresholds)}
    if name not in kinds:
        raise ThresholdError(f"threshold override {name!r} is not a known threshold")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ThresholdError(f"threshold override {name!r}: expected a number, got {value!r}")
    lo, hi = _BOUNDS[name]
    if not lo <= value <= hi:
        raise ThresholdError(f"threshold override {name!r}: expected {lo:g} to {hi:g}, got {value:g}")
    return int(value) if kinds[name] in ("int", int) else float(value)


def thresholds_for(profile: str, overrides: Mapping[str, Any] | None = None) -> Thresholds:
    """The thresholds of a named profile with `overrides` ({name: number}) applied.

    Raises ThresholdError naming the profile or threshold that is wrong."""
    if profile not in PROFILES:
        raise ThresholdError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILE_NAMES)}")
    base = PROFILES[profile]
    if not overrides:
        return base
    return replace(base, **{name: check_override(name, value) for name, value in overrides.items()})


@dataclass(frozen=True, slots=True)
class ResolvedThresholds:
    """What a session runs with: the profile's thresholds with every valid override applied. A bad override never
    stops a session: it is left out (its default used) and `notes` says so in plain words."""

    profile: str
    thresholds: Thresholds
    overrides: dict[str, float | int]       # the overrides applied (all valid)
    notes: tuple[str, ...] = ()             # one line per override refused


def resolve_thresholds(profile: str, overrides: Mapping[str, Any] | None = None) -> ResolvedThresholds:
    """thresholds_for without the exception for overrides: each bad one is replaced by the profile's default and
    said in `notes`. An unknown profile still raises ThresholdError (settings validate the profile name)."""
    if profile not in PROFILES:
        raise ThresholdError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILE_NAMES)}")
    good: dict[str, float | int] = {}
    notes: list[str] = []
    for name, value in (overrides or {}).items():
        try:
            good[name] = check_override(name, value)
        except ThresholdError as exc:
            default = getattr(PROFILES[profile], name, None)
            tail = f"; the {profile} default {default:g} is used" if default is not None else "; ignored"
            notes.append(f"{exc}{tail}")
    return ResolvedThresholds(profile, thresholds_for(profile, good), good, tuple(notes))
