"""Mouth opening and eye openness from Face Mesh landmarks (ratios, so they do not depend on distance).

mouth_open = mean inner-lip gap (three vertical pairs across the middle of the mouth) / mouth width (corner to
             corner). About 0.0-0.05 with lips together, 0.1-0.2 while speaking, 0.3+ wide open.
eye aspect ratio (EAR, Soukupova & Cech 2016) = (|p2-p6| + |p3-p5|) / (2 |p1-p4|) per eye; about 0.25-0.35 open,
             below ~0.15 closed (a blink).
"""

from __future__ import annotations

import numpy as np

_INNER_PAIRS = ((82, 87), (13, 14), (312, 317))     # upper inner lip, lower inner lip
_CORNERS = (61, 291)
# p1..p6 for the candidate's right eye and left eye
_EYE_RIGHT = (33, 160, 158, 133, 153, 144)
_EYE_LEFT = (362, 385, 387, 263, 373, 380)


def mouth_open(pts: np.ndarray) -> float:
    width = float(np.linalg.norm(pts[_CORNERS[1], :2] - pts[_CORNERS[0], :2]))
    if width < 1e-6:
        return 0.0
    gaps = [float(np.linalg.norm(pts[lo, :2] - pts[up, :2])) for up, lo in _INNER_PAIRS]
    return float(np.mean(gaps)) / width


def eye_aspect_ratio(pts: np.ndarray, eye: tuple[int, ...]) -> float:
    p = pts[list(eye), :2]
    horiz = float(np.linalg.norm(p[0] - p[3]))
    if horiz < 1e-6:
        return 0.0
    return (float(np.linalg.norm(p[1] - p[5])) + float(np.linalg.norm(p[2] - p[4]))) / (2.0 * horiz)


def eyes_open(pts: np.ndarray) -> float:
    """Mean EAR of both eyes."""
    return (eye_aspect_ratio(pts, _EYE_RIGHT) + eye_aspect_ratio(pts, _EYE_LEFT)) / 2.0
