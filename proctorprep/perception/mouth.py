"""Mouth opening and eye openness from Face Mesh landmarks (ratios, so they do not depend on distance).

mouth_open = mean inner-lip gap (three vertical pairs across the middle of the mouth) / mouth width (corner to
             corner). About 0.0-0.05 with lips together, 0.1-0.2 while speaking, 0.3+ wide open.
eye aspect ratio (EAR, Soukupova & Cech 2016) = (|p2-p6| + |p3-p5|) / (2 |p1-p4|) per eye; about 0.25-0.35 open,
             below ~0.15 closed (a blink).
mouth_dark = share of the pixels inside the outer lip contour darker than DARK_OF_FACE of the face's mean luma: the
             open mouth's cavity seen in the picture, whatever the landmarks say. On some faces Face Mesh keeps the
             inner lips together while the mouth opens (it reads the dark inside as a thick lower lip); the cavity
             still darkens the lips' region. Static at rest, even for lips parted at rest whose landmarks flicker.
Plain float arithmetic on the few points needed (numpy's per-call overhead would dominate).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

_MOUTH = (61, 291, 82, 87, 13, 14, 312, 317)          # corners, then (upper inner, lower inner) pairs
_EYE_RIGHT = (33, 160, 158, 133, 153, 144)            # p1..p6, candidate's right eye
_EYE_LEFT = (362, 385, 387, 263, 373, 380)
_IDX = list(_MOUTH + _EYE_RIGHT + _EYE_LEFT)
_LIPS_OUTER = np.array((61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146))
DARK_OF_FACE = 0.45        # a pixel this much darker than the face's mean is the mouth's inside (lips are ~0.6-0.9)
DARK_SAMPLES = 24          # samples across the mouth's width: enough for a share in steps of a few percent
_LUMA = np.array([0.114, 0.587, 0.299], np.float32)   # BGR weights (ITU-R BT.601)


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


def mouth_dark(image_bgr: np.ndarray, pts: np.ndarray, face_luma: float | None) -> float | None:
    """Share (0..1) of the pixels inside the outer lip contour darker than DARK_OF_FACE x the face's mean luma; None
    when the mouth region is empty (off the frame) or the face's luma is unknown. A grid of at most ~24 samples
    across the mouth (a view of the lips' bounding box, no copy of the frame): ~40 us."""
    if not face_luma or face_luma <= 0:
        return None
    poly = pts[_LIPS_OUTER, :2]
    hgt, wid = image_bgr.shape[:2]
    x0, y0 = max(int(poly[:, 0].min()), 0), max(int(poly[:, 1].min()), 0)
    x1, y1 = min(int(poly[:, 0].max()) + 1, wid), min(int(poly[:, 1].max()) + 1, hgt)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    step = max(1, (x1 - x0) // DARK_SAMPLES)
    grid = image_bgr[y0:y1:step, x0:x1:step]
    mask = np.zeros(grid.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.rint((poly - (x0, y0)) / step).astype(np.int32)], 1)
    inside = mask.astype(bool)
    n = int(np.count_nonzero(inside))
    if n == 0:
        return None
    luma = grid[inside] @ _LUMA
    return float(np.count_nonzero(luma < DARK_OF_FACE * face_luma)) / n
