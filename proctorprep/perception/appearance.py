"""Is this still the face the last identity check confirmed? A cheap picture comparison between two checks.

The identity check (identity.py) costs a face alignment and a ResNet descriptor: ~0.15 s of CPU, most of the identity
cost of a live session. Someone else taking the chair normally passes through an empty chair or two faces, which
IdentityWatcher already answers with a check at once; what is left is a picture that changes person without either
(a cut in a recording, a swap faster than the face mesh loses its track). This module notices that change for
~0.1 ms: the face is cut out along three landmarks (both eye centres and the mouth's centre) into a 48 x 48 picture,
shrunk to 12 x 12 in colour, and compared with the same cut of the frame the last check confirmed (normalised
correlation: 1 the same picture, about 0 unrelated).

A turned head changes the picture as much as another person does, and the head-pose readings of two people at rest
differ by up to ~20 deg, so pictures are not compared only at the confirmed frame's pose: each clear identity match
adds its frame's picture to a pool (one per head pose, POOL of them), and a frame is compared with the pool's picture
of the nearest pose. A candidate who sits turned another way causes one extra check, whose match adds that pose; a
new person causes one at once.

Measured on renders of the eight tuning faces (tests/fixtures/real_faces.TUNING; yaw +-12 deg, pitch +-6 deg, moving
and resizing, mouth opening; heads within 8 deg of each other): the same person correlates 0.65-0.84 at the 5th
percentile (median 0.90-0.95), two different people 0.04-0.68 in median. A single dip is noise (a blink, the mouth):
a change counts when the median of the last SAMPLES comparisons is under SAME_PICTURE. A miss only delays the check
to the watcher's periodic one; a false alarm costs one check (IdentityWatcher limits how often). What that gives on
whole sessions, tuning and held-out faces: docs/readme/checkin.md, bench/identity_picture.py.
"""

from __future__ import annotations

from collections import deque

import cv2
import numpy as np

_LEFT_EYE = np.array([33, 133])       # Face Mesh: outer and inner corner of each eye, the mouth's corners
_RIGHT_EYE = np.array([362, 263])
_MOUTH = np.array([61, 291])
_CANVAS = 48
_TARGET = np.float32([[16, 18], [32, 18], [24, 36]])   # where the eye centres and the mouth land on the canvas
_SIDE = 12

SAME_PICTURE = 0.75          # median correlation under this: the picture changed person (or lighting: a check)
SAMPLES = 3                  # comparisons in the median
SAME_POSE_DEG = 8.0          # a confirmed picture replaces the pool's one within half this (yaw and pitch)
EVERY_S = 0.5                # at most this often


def face_picture(image_bgr: np.ndarray, landmarks: np.ndarray) -> np.ndarray | None:
    """The face's 12 x 12 colour picture, zero mean and unit length (432 numbers); None without the landmarks."""
    if landmarks is None or len(landmarks) < 292:
        return None
    pts = np.asarray(landmarks, dtype=np.float32)
    src = np.float32([pts[_LEFT_EYE, :2].mean(0), pts[_RIGHT_EYE, :2].mean(0), pts[_MOUTH, :2].mean(0)])
    if abs(float(np.cross(src[1] - src[0], src[2] - src[0]))) < 1.0:     # degenerate: the points are in a line
        return None
    warp = cv2.getAffineTransform(src, _TARGET)
    canvas = cv2.warpAffine(image_bgr, warp, (_CANVAS, _CANVAS), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_REPLICATE)
    v = cv2.resize(canvas, (_SIDE, _SIDE), interpolation=cv2.INTER_AREA).astype(np.float32).reshape(-1)
    v -= v.mean()
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 1e-3 else None


POOL = 12                    # confirmed pictures kept, each of a different head pose


class AppearanceTracker:
    """Holds pictures of confirmed frames with their head pose; `changed()` says whether the pictures since differ
    from the confirmed one of the nearest pose. Each clear identity match adds its frame (or replaces the one of
    about the same pose), so the poses a candidate sits in are soon all covered; a mismatch empties the pool.

    `confirm` may run on the identity thread while `changed` runs on the video worker: the pool is replaced in one
    assignment (a tuple) and read once per call."""

    def __init__(self) -> None:
        self._pool: tuple[tuple[np.ndarray, float, float], ...] = ()
        self._recent: deque[float] = deque(maxlen=SAMPLES)
        self._last_t: float | None = None

    def confirm(self, image_bgr: np.ndarray, obs) -> None:
        """The identity check found the reference person in this frame: its picture is one later frames match."""
        pic = face_picture(image_bgr, getattr(obs, "landmarks", None))
        if pic is None:
            return
        yaw, pitch = float(obs.yaw_deg or 0.0), float(obs.pitch_deg or 0.0)
        keep = [e for e in self._pool if max(abs(e[1] - yaw), abs(e[2] - pitch)) > SAME_POSE_DEG / 2]
        self._pool = tuple(keep[-(POOL - 1):]) + ((pic, yaw, pitch),)
        self._recent = deque(maxlen=SAMPLES)

    def forget(self) -> None:
        self._pool = ()
        self._recent = deque(maxlen=SAMPLES)

    def changed(self, image_bgr: np.ndarray, obs) -> bool:
        """True when the last SAMPLES comparisons (each with the confirmed picture of the nearest head pose) are
        mostly unlike it."""
        pool = self._pool
        t = float(obs.t_s)
        if not pool or obs.faces != 1 or not obs.trustworthy:
            return False
        if self._last_t is not None and 0 <= t - self._last_t < EVERY_S:
            return False
        yaw, pitch = float(obs.yaw_deg or 0.0), float(obs.pitch_deg or 0.0)
        nearest = min(pool, key=lambda e: max(abs(e[1] - yaw), abs(e[2] - pitch)))
        pic = face_picture(image_bgr, obs.landmarks)
        if pic is None:
            return False
        self._last_t = t
        recent = self._recent
        recent.append(float(pic @ nearest[0]))
        return len(recent) == SAMPLES and float(np.median(recent)) < SAME_PICTURE
