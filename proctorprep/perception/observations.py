"""The measurements perception hands to the rules. Plain frozen data: safe to pass between threads.

Sign conventions (always from the candidate's point of view, so a report can say "you looked to your left"):
- yaw_deg   > 0: the candidate turns the head to THEIR left (towards the right edge of a non-mirrored camera image).
- pitch_deg > 0: the head tilts up (chin up, looking at the ceiling).
- roll_deg  > 0: the head tilts towards the candidate's left shoulder.
- gaze_x    > 0: the irises move towards the candidate's left;  gaze_y > 0: the irises move up.
  Gaze is the iris offset inside the eye opening, normalised to about -1..1 (0 = centred).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, slots=True)
class FaceObservation:
    t_s: float                      # session clock, seconds
    faces: int                      # faces seen in the frame (0..max_faces)
    trustworthy: bool = False       # landmarks of the main face are reliable enough to judge pose/gaze/mouth
    yaw_deg: float | None = None
    pitch_deg: float | None = None
    roll_deg: float | None = None
    gaze_x: float | None = None     # mean of both eyes
    gaze_y: float | None = None
    gaze_left_eye: tuple[float, float] | None = None    # candidate's left eye (x, y)
    gaze_right_eye: tuple[float, float] | None = None
    eyes_open: float | None = None  # eye aspect ratio, mean of both eyes (about 0.25-0.35 open, < 0.15 closed)
    mouth_open: float | None = None # inner-lip gap / mouth width (about 0 closed, 0.3+ wide open)
    face_x: float | None = None     # face-box centre, 0..1 of frame width
    face_y: float | None = None     # face-box centre, 0..1 of frame height
    face_size: float | None = None  # face-box width / frame width
    face_box: tuple[int, int, int, int] | None = None   # x, y, w, h in pixels
    brightness: float | None = None # mean luma of the face box, 0..255
    contrast: float | None = None   # std of luma in the face box
    frame_brightness: float | None = None  # mean luma of the whole frame (backlight = frame much brighter than face)
    face_covered: float | None = None      # 0..1: how much of mouth/face a hand covers (None: not measured)
    frame_size: tuple[int, int] | None = None  # width, height
    # Pixel landmarks of the main face (N x 2, float32), for drawing only; not compared, not journaled.
    landmarks: np.ndarray | None = field(default=None, compare=False, repr=False)
    # Face boxes of all faces seen, main face first.
    all_boxes: tuple[tuple[int, int, int, int], ...] = ()
    # Share of the lips' region darker than the face (perception.mouth.mouth_dark): the open mouth's inside.
    mouth_dark: float | None = None


@dataclass(frozen=True, slots=True)
class AudioObservation:
    t_s: float                # start of the chunk on the session clock
    duration_s: float         # chunk length (0.032 s at 16 kHz / 512 samples)
    rms_dbfs: float           # -inf..0; silence is clamped to -120
    peak_dbfs: float
    noise_floor_dbfs: float   # running estimate of the room's floor
    speech_prob: float        # 0..1 from the trained VAD


@dataclass(frozen=True, slots=True)
class IdentityObservation:
    """The face in the chair compared with the check-in's headshot (perception.identity.IdentityWatcher), every few
    seconds. distance None: not compared this time (no single, clear, frontal enough face), `reason` says why."""

    t_s: float
    distance: float | None          # Euclidean distance of the 128-d face descriptors; same person ~0.2-0.5
    reason: str = ""
