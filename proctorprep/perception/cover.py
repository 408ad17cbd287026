"""face_covered: how much of the mouth / face a hand covers, from mediapipe Hands (shipped in the same wheel).

The hand model costs about twice a tracked Face Mesh frame (5.5 ms against 2.5 ms here), so it runs at a reduced
rate: every 3 s while no hand is near the face, every 0.5 s while one is (so a covering hand is followed closely and
its leaving is noticed), and only on a square around the face (or where the face was, for a few seconds after it vanished: a hand over the
face often makes Face Mesh lose it, and "covered" is a better finding than "missing"). Between runs the last score
is held for up to two intervals. A proctor's rule needs several seconds of covering anyway, so up to 3 s of
latency for the first sighting costs little, and the hand model's share stays near 3 % of the Face Mesh time.

Score = max(share of the mouth area under a hand, share of the face-oval area under a hand), 0..1. A hand's area is
the convex hull of its 21 landmarks widened by 15 % around its centre (landmarks sit on the bones, the skin is wider).
"""

from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np

_GRID = 64   # coverage is rasterised on a 64 x 64 grid over the face box: plenty for a share, and cheap


def coverage(hands_px: Sequence[np.ndarray], mouth_px: np.ndarray, oval_px: np.ndarray) -> float:
    """Share (0..1) of the mouth polygon or face-oval polygon covered by the hands (max of the two)."""
    if not len(hands_px) or len(oval_px) < 3:
        return 0.0
    lo = oval_px.min(axis=0)
    span = max(float((oval_px.max(axis=0) - lo).max()), 1.0)
    k = (_GRID - 1) / span

    def to_grid(p: np.ndarray) -> np.ndarray:
        return np.round((p - lo) * k * 4).astype(np.int32)    # 2 fractional bits

    hand_mask = np.zeros((_GRID, _GRID), np.uint8)
    for h in hands_px:
        c = h.mean(axis=0)
        wide = c + (h - c) * 1.15
        hull = cv2.convexHull(to_grid(wide.astype(np.float64)))
        cv2.fillConvexPoly(hand_mask, hull, 1, cv2.LINE_8, 2)
    shares = []
    for poly in (mouth_px, oval_px):
        if len(poly) < 3:
            continue
        m = np.zeros_like(hand_mask)
        cv2.fillConvexPoly(m, cv2.convexHull(to_grid(poly.astype(np.float64))), 1, cv2.LINE_8, 2)
        area = int(m.sum())
        if area:
            shares.append(float((m & hand_mask).sum()) / area)
    return max(shares, default=0.0)


class HandCoverage:
    """Runs mediapipe Hands on the region around the face every `interval_s` seconds of session time."""

    def __init__(self, interval_s: float = 3.0, max_hands: int = 2, near_interval_s: float = 0.5):
        from proctorprep.perception.mp_import import import_mediapipe

        mp = import_mediapipe()   # heavy: imported when an analyser is made; without PortAudio or matplotlib

        self.interval_s = interval_s
        self.near_interval_s = min(near_interval_s, interval_s)
        self._hand_near = False
        self._hands = mp.solutions.hands.Hands(static_image_mode=True, max_num_hands=max_hands,
                                               model_complexity=0, min_detection_confidence=0.5)
        self._last_run: float | None = None
        self._value: float | None = None
        self.runs = 0

    def due(self, t_s: float) -> bool:
        every = self.near_interval_s if self._hand_near else self.interval_s
        return self._last_run is None or t_s - self._last_run >= every or t_s < self._last_run

    def held(self, t_s: float) -> float | None:
        every = self.near_interval_s if self._hand_near else self.interval_s
        if self._last_run is None or t_s - self._last_run > 2 * every:
            return None
        return self._value

    def measure(self, rgb: np.ndarray, box: tuple[int, int, int, int], mouth_px: np.ndarray,
                oval_px: np.ndarray, t_s: float) -> float:
        """Finds hands in a square 2.2 face-boxes wide around `box`; returns (and holds) the coverage score."""
        self._last_run = t_s
        self.runs += 1
        hgt, wid = rgb.shape[:2]
        x, y, w, h = box
        side = int(max(w, h) * 2.2)
        cx, cy = x + w // 2, y + h // 2
        x0, y0 = max(cx - side // 2, 0), max(cy - side // 2, 0)
        x1, y1 = min(cx + side // 2, wid), min(cy + side // 2, hgt)
        if x1 - x0 < 16 or y1 - y0 < 16:
            self._value, self._hand_near = 0.0, False
            return 0.0
        crop = np.ascontiguousarray(rgb[y0:y1, x0:x1])
        res = self._hands.process(crop)
        hands = []
        for hl in res.multi_hand_landmarks or []:
            pts = np.array([(p.x * (x1 - x0) + x0, p.y * (y1 - y0) + y0) for p in hl.landmark], np.float64)
            hands.append(pts)
        self._hand_near = bool(hands)
        self._value = coverage(hands, mouth_px, oval_px)
        return self._value

    def close(self) -> None:
        self._hands.close()
