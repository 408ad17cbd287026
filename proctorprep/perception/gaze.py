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
"""

from __future__ import annotations

import math

import numpy as np

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
