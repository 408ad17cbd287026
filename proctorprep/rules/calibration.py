"""Per-candidate calibration: what "sitting still, looking at the screen" looks like for THIS person in THIS room.

Two ways to build one:
- CalibrationBuilder: from observations taken while the candidate looks at the screen (the first seconds of a
  recording). Robust statistics (median, MAD) so a blink, a cough or a stray frame does not move it.
- from_dot_calibration: from the app's calibration step, where the candidate looked at the centre and the corners of
  the exam window; the on-screen range is then measured, not assumed.

The on-screen range is a half-width in degrees of the COMBINED angle (head + eyes, see perception.gaze). From a
recording it is the typical laptop geometry, widened to where the line of sight actually went while calibrating (its
95th percentile from the centre: reading sweeps are spread evenly over the page, so a multiple of their MAD would
claim far more than they covered), leaving out moments beyond both 3 MADs and the default range (a look away). The dot step measures it at the corners, in the candidate's own reading of
head and eyes, so a face whose iris landmarks report more or less of the eye's turn than FACE_MESH_IRIS_SHARE is
judged in its own units: no per-person iris share is needed (nor could one be measured without knowing how many
degrees the dots are away, which needs the screen's size and distance).

The lips at rest: their median gap (`mouth_rest`), its MAD (`mouth_spread`) and the frame-to-frame jitter of the
measurement (`mouth_jitter`: the robust spread of the difference between consecutive frames, over the square root of
two, so it is the noise of one frame), and the top of the gap at rest (`mouth_rest_top`, its 95th percentile). Lips
parted in a smile, teeth showing, read as a wide gap that Face Mesh follows less steadily; the mouthing detector asks
for openings clear of that jitter. Lips parted a little at rest read closed in most frames and open to their gap in
others (bursts of single frames); the mouthing detector asks for openings above that top.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from proctorprep.perception.gaze import EYE_GAIN_DEG, line_of_sight_deg
from proctorprep.perception.observations import AudioObservation, FaceObservation

# A 13-15" screen at 50-60 cm spans about +-14-19 deg horizontally and +-8-10.5 deg vertically about its centre. Used
# when the calibration cannot measure the range itself. Down is 10 like up (it was 14, "the camera sits on the top
# bezel", which does not move the screen's edges about its centre): 14 reached 4 degrees into the keyboard, and since
# Face Mesh sees almost none of a vertical eye turn (perception.gaze), a look down at the desk is measured by the
# head, which does 2/3-3/4 of it: a 29-degree look with the head 22 degrees down read 20-22 and stood right on the
# 14 + 6 degree entry. Reading down the page moves the eyes, not the head, and stays far inside 10 + 6.
DEFAULT_RANGE_X_DEG = 18.0
DEFAULT_RANGE_UP_DEG = 10.0
DEFAULT_RANGE_DOWN_DEG = 10.0
MIN_RANGE_DEG = 8.0
MAX_RANGE_DEG = 40.0
MIN_FACE_FRAMES = 10              # fewer trustworthy frames than this cannot calibrate
MIN_FACE_FRACTION = 0.5           # ... and at least this share of the frames must show one trustworthy face
VERSION = 1


class CalibrationError(Exception):
    """Calibration could not be built; the message says why in plain words."""


def _median(xs: Sequence[float]) -> float:
    return float(np.median(np.asarray(xs, dtype=float)))


def _mad(xs: Sequence[float]) -> float:
    """Median absolute deviation scaled to a standard deviation for normal data."""
    a = np.asarray(xs, dtype=float)
    return float(1.4826 * np.median(np.abs(a - np.median(a)))) if a.size else 0.0


@dataclass(frozen=True, slots=True)
class Calibration:
    yaw_deg: float = 0.0              # neutral head pose while looking at the screen centre
    pitch_deg: float = 0.0
    roll_deg: float = 0.0
    pose_spread_deg: float = 1.0      # MAD of yaw/pitch while still (noise of the pose estimate)
    gaze_x: float = 0.0               # iris offset while looking at the screen centre
    gaze_y: float = 0.0
    gaze_spread: float = 0.05         # MAD of the iris offset
    range_x_deg: float = DEFAULT_RANGE_X_DEG       # on-screen half-width of the combined angle, left and right
    range_up_deg: float = DEFAULT_RANGE_UP_DEG
    range_down_deg: float = DEFAULT_RANGE_DOWN_DEG
    mouth_rest: float = 0.02          # inner-lip gap / width with the lips at rest
    mouth_spread: float = 0.005       # MAD of it
    mouth_jitter: float = 0.003       # frame-to-frame noise of the lip gap at rest (one frame's, robust)
    mouth_rest_top: float = 0.02      # the top of the lip gap at rest (95th percentile; parted lips read open in
    #                                   some frames)
    mouth_dark_rest: float = 0.0      # share of the lips' region darker than the face, lips at rest (median) ...
    mouth_dark_spread: float = 0.0    # ... its MAD, its frame-to-frame jitter and its top (95th percentile);
    mouth_dark_jitter: float = 0.0    # a top of 1 (the default: not measured) means the dark inside of an open
    mouth_dark_top: float = 1.0       # mouth is not judged
    eyes_open: float = 0.28           # eye aspect ratio with the eyes open (blinks are well below)
    noise_floor_dbfs: float = -60.0   # the room's level with nobody speaking
    face_size: float = 0.25           # face-box width / frame width
    face_x: float = 0.5
    face_y: float = 0.5
    frames: int = 0                   # how many observations it was built from
    source: str = "default"           # "recording" | "dots" | "default"
    version: int = VERSION

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Calibration":
        """Tolerant: unknown keys are ignored, missing ones take defaults; a wrong type raises CalibrationError."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in d:
                continue
            v = d[f.name]
            default = getattr(cls(), f.name)
            if isinstance(default, str):
                values[f.name] = str(v)
            elif isinstance(default, int) and not isinstance(default, bool) and f.name in ("frames", "version"):
                values[f.name] = int(v)
            else:
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                    raise CalibrationError(f"calibration field {f.name!r}: expected a number, got {v!r}")
                values[f.name] = float(v)
        return cls(**values)

    def describe(self) -> str:
        # Plain words for the candidate (the report's appendix, the calibration page); the numbers stay in to_dict().
        return (f"looking at the screen meant up to {self.range_x_deg:.0f}° to either side, {self.range_up_deg:.0f}° "
                f"up and {self.range_down_deg:.0f}° down; your lips at rest and the room's quiet "
                f"({self.noise_floor_dbfs:.0f} dB) were measured too")


def _extent(devs: Sequence[float], default: float) -> float:
    """How far from the centre the line of sight went (one side): the 95th percentile of the deviations, leaving out
    those beyond both 3 MADs and the default range (a look away while calibrating, not part of the screen)."""
    clip = max(3.0 * _mad(devs), default)
    pos = [d for d in devs if 0 < d <= clip]
    return float(np.percentile(pos, 95)) if len(pos) >= 3 else 0.0


def _jitter(xs: Sequence[float]) -> float:
    """Noise of one sample of a slowly moving measurement: the MAD of consecutive differences over sqrt(2)."""
    if len(xs) < 3:
        return 0.0
    return _mad(np.diff(np.asarray(xs, dtype=float)).tolist()) / math.sqrt(2.0)


# Lips parted at rest (a thin dark gap between them) are read by Face Mesh as closed in most frames and as open to
# the gap in others, in bursts: a heavy tail that neither the median nor the MAD sees. Openings are measured above
# the top of what the lips read at rest, this percentile of the calibration window.
REST_TOP_PERCENTILE = 95.0
def _dark_rest(dark: Sequence[float]) -> dict[str, float]:
    """The dark share of the lips' region at rest (perception.mouth.mouth_dark); too few frames: not judged."""
    if len(dark) < MIN_FACE_FRAMES:
        return {}
    return {"mouth_dark_rest": _median(dark), "mouth_dark_spread": _mad(dark), "mouth_dark_jitter": _jitter(dark),
            "mouth_dark_top": float(np.percentile(dark, REST_TOP_PERCENTILE))}


BLINK_SHARE = 0.6     # eyes below this share of their median openness while calibrating: a blink, irises unreliable


def _usable(o: FaceObservation) -> bool:
    return (o.faces == 1 and o.trustworthy and o.yaw_deg is not None and o.pitch_deg is not None
            and o.face_size is not None)


class CalibrationBuilder:
    """Collects observations while the candidate looks at the screen, then builds a Calibration.

    range_*: the on-screen half-ranges to use (defaults: typical laptop geometry). The measured spread of the
    combined angle only ever widens them, so a candidate who reads around the screen while calibrating is not
    flagged for the same movement later."""

    def __init__(self, gaze_gain_x_deg: float = EYE_GAIN_DEG, gaze_gain_y_deg: float = EYE_GAIN_DEG,
                 range_x_deg: float = DEFAULT_RANGE_X_DEG, range_up_deg: float = DEFAULT_RANGE_UP_DEG,
                 range_down_deg: float = DEFAULT_RANGE_DOWN_DEG) -> None:
        self._gx, self._gy = gaze_gain_x_deg, gaze_gain_y_deg
        self._ranges = (range_x_deg, range_up_deg, range_down_deg)
        self._faces: list[FaceObservation] = []
        self._seen = 0
        self._audio: list[float] = []

    def add_face(self, obs: FaceObservation) -> None:
        self._seen += 1
        if _usable(obs):
            self._faces.append(obs)

    def add_audio(self, obs: AudioObservation) -> None:
        self._audio.append(obs.rms_dbfs)

    def extend(self, faces: Iterable[FaceObservation] = (), audio: Iterable[AudioObservation] = ()) -> None:
        for f in faces:
            self.add_face(f)
        for a in audio:
            self.add_audio(a)

    def build(self) -> Calibration:
        n = len(self._faces)
        if n < MIN_FACE_FRAMES or n < MIN_FACE_FRACTION * self._seen:
            raise CalibrationError(
                f"only {n} of {self._seen} frames showed one clear face (need at least {MIN_FACE_FRAMES} and half "
                "of them): sit centred in good light, facing the screen, alone in view")
        fs = self._faces
        yaw = [o.yaw_deg for o in fs]
        pitch = [o.pitch_deg for o in fs]
        roll = [o.roll_deg if o.roll_deg is not None else 0.0 for o in fs]
        gx = [o.gaze_x for o in fs if o.gaze_x is not None]
        gy = [o.gaze_y for o in fs if o.gaze_y is not None]
        mouth = [o.mouth_open for o in fs if o.mouth_open is not None]
        dark = [o.mouth_dark for o in fs if o.mouth_dark is not None]
        eyes = [o.eyes_open for o in fs if o.eyes_open is not None]
        c_yaw, c_pitch = _median(yaw), _median(pitch)
        c_gx, c_gy = (_median(gx) if gx else 0.0), (_median(gy) if gy else 0.0)
        # Where the line of sight went while "on screen" (blinks left out: a shut eye's iris reading is noise); the
        # range only ever widens to it.
        open_ = _median(eyes) if eyes else None
        seen = [o for o in fs if open_ is None or o.eyes_open is None or o.eyes_open >= BLINK_SHARE * open_]
        comb_x = [line_of_sight_deg(o.yaw_deg - c_yaw, c_gx if o.gaze_x is None else o.gaze_x, c_gx, self._gx)
                  for o in seen]
        comb_y = [line_of_sight_deg(o.pitch_deg - c_pitch, c_gy if o.gaze_y is None else o.gaze_y, c_gy, self._gy)
                  for o in seen]
        rx, ru, rd = self._ranges
        mx, my = _median(comb_x), _median(comb_y)
        sx = _extent([abs(v - mx) for v in comb_x], rx)
        s_up, s_down = _extent([v - my for v in comb_y], ru), _extent([my - v for v in comb_y], rd)
        floor = float(np.percentile(self._audio, 20)) if self._audio else -60.0
        return Calibration(
            yaw_deg=c_yaw, pitch_deg=c_pitch, roll_deg=_median(roll),
            pose_spread_deg=max(0.5, (_mad(yaw) + _mad(pitch)) / 2),
            gaze_x=c_gx, gaze_y=c_gy, gaze_spread=max(0.01, (_mad(gx) + _mad(gy)) / 2 if gx and gy else 0.05),
            range_x_deg=_clamp(max(rx, sx)), range_up_deg=_clamp(max(ru, s_up)),
            range_down_deg=_clamp(max(rd, s_down)),
            mouth_rest=_median(mouth) if mouth else 0.02, mouth_spread=max(0.002, _mad(mouth)) if mouth else 0.005,
            mouth_jitter=max(0.001, _jitter(mouth)) if len(mouth) >= 3 else 0.003,
            mouth_rest_top=float(np.percentile(mouth, REST_TOP_PERCENTILE)) if mouth else 0.02,
            **_dark_rest(dark),
            eyes_open=_median(eyes) if eyes else 0.28, noise_floor_dbfs=floor,
            face_size=_median([o.face_size for o in fs]),
            face_x=_median([o.face_x for o in fs if o.face_x is not None] or [0.5]),
            face_y=_median([o.face_y for o in fs if o.face_y is not None] or [0.5]),
            frames=n, source="recording",
        )


def _clamp(v: float) -> float:
    return float(min(MAX_RANGE_DEG, max(MIN_RANGE_DEG, v)))


DOT_TARGETS: tuple[str, ...] = ("centre", "top_left", "top_right", "bottom_left", "bottom_right")


def from_dot_calibration(points: Mapping[str, Sequence[FaceObservation]],
                         audio: Iterable[AudioObservation] = (), gaze_gain_x_deg: float = EYE_GAIN_DEG,
                         gaze_gain_y_deg: float = EYE_GAIN_DEG, margin_deg: float = 2.0) -> Calibration:
    """Build a calibration from the app's dot step: observations per target ("centre", "top_left", ...).

    The neutral pose and lips come from the centre; the on-screen range is where the candidate's combined angle went
    when looking at the corners (plus a small margin). Raises CalibrationError naming a target with no clear face."""
    missing = [t for t in DOT_TARGETS if not any(_usable(o) for o in points.get(t, ()))]
    if missing:
        raise CalibrationError(f"no clear face while looking at: {', '.join(missing).replace('_', ' ')}; "
                               "sit centred in good light and follow the dot with your eyes")
    centre = CalibrationBuilder(gaze_gain_x_deg, gaze_gain_y_deg)
    centre.extend(points["centre"], audio)
    try:
        base = centre.build()
    except CalibrationError as exc:
        raise CalibrationError(f"centre dot: {exc}") from None

    def combined(obs: Sequence[FaceObservation]) -> tuple[float, float]:
        us = [o for o in obs if _usable(o)]
        x = _median([line_of_sight_deg(o.yaw_deg - base.yaw_deg, base.gaze_x if o.gaze_x is None else o.gaze_x,
                                       base.gaze_x, gaze_gain_x_deg) for o in us])
        y = _median([line_of_sight_deg(o.pitch_deg - base.pitch_deg, base.gaze_y if o.gaze_y is None else o.gaze_y,
                                       base.gaze_y, gaze_gain_y_deg) for o in us])
        return x, y

    corners = {t: combined(points[t]) for t in DOT_TARGETS[1:]}
    half_x = _median([abs(x) for x, _ in corners.values()])
    up = _median([corners["top_left"][1], corners["top_right"][1]])
    down = _median([corners["bottom_left"][1], corners["bottom_right"][1]])
    return Calibration(**{
        **asdict(base),
        "range_x_deg": _clamp(half_x + margin_deg),
        "range_up_deg": _clamp(max(up, 0.0) + margin_deg),
        "range_down_deg": _clamp(max(-down, 0.0) + margin_deg),
        "source": "dots",
        "frames": sum(len(v) for v in points.values()),
    })
