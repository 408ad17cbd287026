"""Mouth opening and eye openness from Face Mesh landmarks (ratios, so they do not depend on distance).

mouth_open = mean inner-lip gap (three vertical pairs across the middle of the mouth) / mouth width (corner to
             corner). About 0.0-0.05 with lips together, 0.1-0.2 while speaking, 0.3+ wide open.
eye aspect ratio (EAR, Soukupova & Cech 2016) = (|p2-p6| + |p3-p5|) / (2 |p1-p4|) per eye; about 0.25-0.35 open,
             below ~0.15 closed (a blink).
Plain float arithmetic on the few points needed (numpy's per-call overhead would dominate).
"""

from __future__ import annotations

import math

import numpy as np

_MOUTH = (61, 291, 82, 87, 13, 14, 312, 317)          # corners, then (upper inner, lower inner) pairs
_EYE_RIGHT = (33, 160, 158, 133, 153, 144)            # p1..p6, candidate's right eye
_EYE_LEFT = (362, 385, 387, 263, 373, 380)
_IDX = list(_MOUTH + _EYE_RIGHT + _EYE_LEFT)


def _d(a: list[float], b: list[float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _mouth(p: list[list[float]]) -> float:
    width = _d(p[0], p[1])
    if width < 1e-6:
        return 0.0
    return (_d(p[2], p[3]) + _d(p[4], p[5]) + _d(p[6], p[7])) / 3.0 / width


def _ear(p: list[list[float]]) -> float:
    horiz = _d(p[0], p[3])
    if horiz < 1e-6:
        return 0.0
    return (_d(p[1], p[5]) + _d(p[2], p[4])) / (2.0 * horiz)


def mouth_and_eyes(pts: np.ndarray) -> tuple[float, float]:
    """(mouth_open, mean EAR of both eyes) from pixel landmarks, in one gather."""
    p = pts[_IDX, :2].tolist()
    return _mouth(p[:8]), (_ear(p[8:14]) + _ear(p[14:20])) / 2.0


def mouth_open(pts: np.ndarray) -> float:
    return mouth_and_eyes(pts)[0]


def eyes_open(pts: np.ndarray) -> float:
    return mouth_and_eyes(pts)[1]
