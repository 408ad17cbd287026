"""Gaze from the irises: where each iris centre sits inside its eye opening.

Per eye, with the eye corners a (image left) and b (image right):
    gaze_x = 2 * t - 1, where t is the iris centre projected on the corner line a->b (0 at a, 1 at b).
             > 0: the iris is nearer the image-right corner = towards the candidate's LEFT (non-mirrored camera).
             -1 / +1 would put the iris centre on a corner; a glance to the screen edge gives a few tenths.
    gaze_y = offset of the iris centre from the midpoint of the upper and lower lid, perpendicular to the corner
             line, over half the eye width; > 0: the iris is ABOVE the midpoint (looking up).
             Normalised by the eye width, not the opening, so a half-closed eye does not blow it up.
Both are independent of head position and size, and of roll (the axes turn with the eye).
Plain float arithmetic on a handful of points: numpy's per-call overhead would cost more than the maths.

From offset to degrees, a physical eye (`eye_angle_deg`): the iris centre turns on a sphere of EYE_RADIUS_MM about
the eye's centre of rotation, seen inside an opening EYE_WIDTH_MM wide, so an eye turned by a moves the iris
R sin(a) along the opening and the offset is 2 (R / W) sin(a) = 0.8 sin(a). Face Mesh's iris landmarks follow only
part of that displacement (they lean towards the middle of the opening): FACE_MESH_IRIS_SHARE, measured on renders of
the four tuning faces where only the eyes turn by known angles (0.42-0.62 per face, mean 0.54; held-out faces 0.47-0.69).
So a = asin(offset / (0.8 x 0.54)); near the centre that is 133 degrees per unit of offset.
"""

from __future__ import annotations

import math

import numpy as np

EYE_RADIUS_MM = 12.0          # centre of rotation to the iris centre (an adult eyeball is ~24 mm across)
EYE_WIDTH_MM = 30.0           # eye opening, corner to corner
FACE_MESH_IRIS_SHARE = 0.54   # share of the iris displacement Face Mesh's iris landmarks report (see above)
# degrees of eye rotation per unit of offset near the centre
EYE_GAIN_DEG = math.degrees(1.0 / (2.0 * EYE_RADIUS_MM / EYE_WIDTH_MM * FACE_MESH_IRIS_SHARE))
EYE_RANGE_DEG = 50.0          # the most an eye turns in its socket (the human oculomotor range)


def eye_angle_deg(offset: float, gain_deg: float = EYE_GAIN_DEG) -> float:
    """Eye rotation in degrees for an iris offset (gaze_x or gaze_y) on the physical eye model; `gain_deg` is the
    slope near the centre (EYE_GAIN_DEG unless a threshold override changes it)."""
    deg = math.degrees(math.asin(max(-1.0, min(1.0, offset * math.radians(gain_deg)))))
    # A human eye turns at most about 50° in its socket (the oculomotor range); an iris offset past that is
    # landmark noise on a turned face, and reporting "eyes turned 138°" would read as broken.
    return max(-EYE_RANGE_DEG, min(EYE_RANGE_DEG, deg))


def line_of_sight_deg(head_deg: float, offset: float, rest_offset: float, gain_deg: float = EYE_GAIN_DEG) -> float:
    """Head angle + eye angle, both in degrees and both relative to the calibrated rest (head_deg already is)."""
    return head_deg + eye_angle_deg(offset, gain_deg) - eye_angle_deg(rest_offset, gain_deg)

# Face Mesh indices. "Right" = the candidate's right eye = the image-left eye of a non-mirrored camera.
RIGHT_EYE = (33, 133, 159, 145, 468)    # corner a, corner b, upper lid, lower lid, iris centre
LEFT_EYE = (362, 263, 386, 374, 473)
_IDX = list(RIGHT_EYE + LEFT_EYE)


def _eye(p: list[list[float]]) -> tuple[float, float]:
    (ax, ay), (bx, by), (ux, uy), (lx, ly), (ix, iy) = (q[:2] for q in p)
    dx, dy = bx - ax, by - ay
    width = math.hypot(dx, dy)
    if width < 1e-6:
        return 0.0, 0.0
    ux_, uy_ = dx / width, dy / width
    t = ((ix - ax) * ux_ + (iy - ay) * uy_) / width
    mx, my = (ux + lx) / 2.0, (uy + ly) / 2.0
    # "up" is (uy_, -ux_): perpendicular to the corner line, towards smaller image y
    gy = ((ix - mx) * uy_ - (iy - my) * ux_) / (width / 2.0)
    return 2.0 * t - 1.0, gy


def gaze(pts: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """((left_x, left_y), (right_x, right_y)) for the candidate's left and right eye, from pixel landmarks."""
    p = pts[_IDX, :2].tolist()
    return _eye(p[5:]), _eye(p[:5])
