"""Gaze from the irises: where each iris centre sits inside its eye opening.

Per eye, with the eye corners a (image left) and b (image right):
    gaze_x = 2 * t - 1, where t is the iris centre projected on the corner line a->b (0 at a, 1 at b).
             > 0: the iris is nearer the image-right corner = towards the candidate's LEFT (non-mirrored camera).
             -1 / +1 would put the iris centre on a corner; looking at the screen edges gives about +-0.3.
    gaze_y = offset of the iris centre from the midpoint of the upper and lower lid, perpendicular to the corner
             line, over half the eye width; > 0: the iris is ABOVE the midpoint (looking up).
             Normalised by the eye width, not the opening, so a half-closed eye does not blow it up.
Both are independent of head position and size, and of roll (the axes turn with the eye).
"""

from __future__ import annotations

import numpy as np

# Face Mesh indices. "Right" = the candidate's right eye = the image-left eye of a non-mirrored camera.
RIGHT_EYE = {"a": 33, "b": 133, "upper": 159, "lower": 145, "iris": 468}
LEFT_EYE = {"a": 362, "b": 263, "upper": 386, "lower": 374, "iris": 473}


def eye_gaze(pts: np.ndarray, eye: dict[str, int]) -> tuple[float, float]:
    """(gaze_x, gaze_y) of one eye from pixel landmarks (478 x >=2, refined Face Mesh)."""
    a = pts[eye["a"], :2]
    b = pts[eye["b"], :2]
    axis = b - a
    width = float(np.hypot(axis[0], axis[1]))
    if width < 1e-6:
        return 0.0, 0.0
    u = axis / width
    up = np.array([u[1], -u[0]])          # perpendicular pointing up in the image (y grows downwards)
    iris = pts[eye["iris"], :2]
    t = float(np.dot(iris - a, u)) / width
    mid = (pts[eye["upper"], :2] + pts[eye["lower"], :2]) / 2.0
    gy = float(np.dot(iris - mid, up)) / (width / 2.0)
    return 2.0 * t - 1.0, gy


def gaze(pts: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """((left_x, left_y), (right_x, right_y)) for the candidate's left and right eye."""
    return eye_gaze(pts, LEFT_EYE), eye_gaze(pts, RIGHT_EYE)
