"""Gaze from the irises: where each iris centre sits inside its eye opening, measured in the head's own frame.

Per eye, with the eye corners a (image left) and b (image right):
    gaze_x = 2 * t - 1, where t is the iris centre projected on the corner line a->b (0 at a, 1 at b).
             > 0: the iris is nearer the image-right corner = towards the candidate's LEFT (non-mirrored camera).
             -1 / +1 would put the iris centre on a corner; a glance to the screen edge gives a few tenths.
    gaze_y = offset of the iris centre from the midpoint of the upper and lower lid, perpendicular to the corner
             line, over half the eye width; > 0: the iris is ABOVE the midpoint (looking up).
             Normalised by the eye width, not the opening, so a half-closed eye does not blow it up.

**In the head's frame** (`gaze(pts, rotation)`, what FaceAnalyser does): the eye's landmarks are turned back by the
head's rotation from the same frame's pose fit (pose.HeadPose.rotation) before the offsets are taken, so the offsets
are the eye's turn in its socket, not the head's. Why: the iris and the points it is measured against sit at
different depths (Face Mesh gives each iris landmark the mean depth of its eye's contour, corners included; its graph
assigns it so; the lids are in front of that, the corners behind), so in the picture a turning or pitching head slides
the iris across the opening although the eye has not moved in the head. On renders of the eight tuning faces whose
eyes stay fixed in the head (320x240 and 640x480), in the picture a head pitched 22 deg down moved the vertical
reading 0.8-9.4 deg UP (a look down at the desk read as less than the head alone) and a head turned 20 deg moved the
horizontal one 3-14 deg the same way (the turn counted twice); in the head's frame 2.2 up to 9.5 down, and 0-5.6
against the turn. The line of sight adds the head's angle to the eye's angle in the head: like with like. Without a
rotation (`gaze(pts)`) the offsets are measured in the picture.

From offset to degrees, a physical eye (`eye_angle_deg`): the iris centre turns on a sphere of EYE_RADIUS_MM about
the eye's centre of rotation, seen inside an opening EYE_WIDTH_MM wide, so an eye turned by a moves the iris
R sin(a) along the opening and the offset is 2 (R / W) sin(a) = 0.8 sin(a). Face Mesh's iris landmarks follow only
part of that displacement (they lean towards the middle of the opening): FACE_MESH_IRIS_SHARE, measured on renders of
the four tuning faces where only the eyes turn by known angles (0.42-0.62 per face, mean 0.54; held-out faces 0.47-0.69).
So a = asin(offset / (0.8 x 0.54)); near the centre that is 133 degrees per unit of offset. The angle counts from the
calibrated rest (`line_of_sight_deg`): looking at the screen is the eye's zero.
Vertically Face Mesh follows far less: 0.0-0.33 of a vertical turn (median about 0.1) on the eight tuning faces,
against 0.41-0.65 horizontally. No gain brings back a signal that is not there (dividing by 0.1 would multiply the
landmark noise and what is left of the head coupling tenfold), so the vertical gain stays the physical model's 133
deg per unit, which is also the least-squares gain (131) of the line of sight over renders of the tuning faces turning
head and eyes by known angles: a look up or down is judged mostly by the head, as a proctor judges a look at the desk
(rules.calibration's down range says what that means for the range).
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
MIN_FACING = 0.3              # |R22| below this (head turned ~70 degrees or more): no back-rotation, picture offsets


def eye_angle_deg(offset: float, gain_deg: float = EYE_GAIN_DEG) -> float:
    """Eye rotation in degrees for an iris offset (gaze_x or gaze_y) on the physical eye model; `gain_deg` is the
    slope near the centre (EYE_GAIN_DEG unless a threshold override changes it)."""
    deg = math.degrees(math.asin(max(-1.0, min(1.0, offset * math.radians(gain_deg)))))
    # A human eye turns at most about 50° in its socket (the oculomotor range); an iris offset past that is
    # landmark noise on a turned face, and reporting "eyes turned 138°" would read as broken.
    return max(-EYE_RANGE_DEG, min(EYE_RANGE_DEG, deg))


def line_of_sight_deg(head_deg: float, offset: float, rest_offset: float, gain_deg: float = EYE_GAIN_DEG) -> float:
    """Head angle + eye angle, both in degrees and both relative to the calibrated rest (head_deg already is).

    The eye angle is taken from the offset's change since the rest: at rest the eye looks at the screen, so that is
    its zero. The iris offset at rest is not an eye turn (the inner corner landmark sits on the caruncle, the eyes
    converge a little on a near screen, an iris landmark may sit off-centre on a face): read as one, a rest of -0.2
    put the eye at -28 degrees already and a 38-degree glance past the screen edge into the socket's limit."""
    return head_deg + eye_angle_deg(offset - rest_offset, gain_deg)

# Face Mesh indices. "Right" = the candidate's right eye = the image-left eye of a non-mirrored camera.
RIGHT_EYE = (33, 133, 159, 145, 468)    # corner a, corner b, upper lid, lower lid, iris centre
LEFT_EYE = (362, 263, 386, 374, 473)
_IDX = list(RIGHT_EYE + LEFT_EYE)


def _eye(p: list[list[float]]) -> tuple[float, float]:
    """Offsets of one eye from its five points (x, y; any further coordinate is ignored)."""
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


def _in_head(p: list[list[float]], r: list[list[float]]) -> list[list[float]]:
    """The points turned back into the head's frame: q = R^T p (row vectors: p @ R); only x and y are kept."""
    return [[x * r[0][0] + y * r[1][0] + z * r[2][0], x * r[0][1] + y * r[1][1] + z * r[2][1]] for x, y, z in p]


def gaze(pts: np.ndarray, rotation: np.ndarray | None = None) -> tuple[tuple[float, float], tuple[float, float]]:
    """((left_x, left_y), (right_x, right_y)) for the candidate's left and right eye, from landmarks (x, y in pixels,
    z scaled like x). With `rotation` (head to camera, pose.HeadPose.rotation) the eyes are measured in the head's
    frame (see the module docstring); without it, or for a head turned too far to turn back, in the picture."""
    if rotation is None or pts.shape[1] < 3 or abs(float(rotation[2, 2])) < MIN_FACING:
        p = pts[_IDX, :2].tolist()
    else:
        p = _in_head(pts[_IDX, :3].tolist(), rotation.tolist())
    return _eye(p[5:]), _eye(p[:5])
