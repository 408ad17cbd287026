"""How many faces are in the picture, asked at a reduced rate (mediapipe's short-range face detector).

Why it exists: Face Mesh asked for up to 3 faces runs its face *detector* on every frame on which it tracks fewer
than 3 (its graph gates detection on "enough faces already tracked"), so a candidate alone in the picture, the
usual case, paid for a detection each frame: 10.2-11.0 ms of CPU a frame against 7.5 ms for Face Mesh asked for one
face (measured on the 2026-12-02 build machine, 640x480, the same 150 frames). FaceAnalyser therefore tracks the
candidate with a one-face Face Mesh and asks this counter, a few times a second and whenever its track starts or
jumps, whether anyone else is in view; only then does it run the three-face Face Mesh (see face.py).

The detector is the same short-range BlazeFace model Face Mesh uses internally (in the mediapipe wheel), with the
same minimum confidence, so it sees the faces Face Mesh would have found.
"""

from __future__ import annotations

import numpy as np

COUNT_INTERVAL_S = 0.4     # a second person is noticed at most this late (multiple_faces' dwell is 1 s)


class FaceCounter:
    """`due(t)`: time to ask again; `count(rgb, t)`: the number of faces the detector sees. One per worker thread."""

    def __init__(self, interval_s: float = COUNT_INTERVAL_S, min_confidence: float = 0.5):
        self.interval_s = interval_s
        self._min_confidence = min_confidence
        self._detector = None
        self._last_t: float | None = None
        self.runs = 0

    def due(self, t_s: float) -> bool:
        return self._last_t is None or not 0 <= t_s - self._last_t < self.interval_s

    def count(self, rgb: np.ndarray, t_s: float) -> int:
        if self._detector is None:
            from proctorprep.perception.mp_import import import_mediapipe

            self._detector = import_mediapipe().solutions.face_detection.FaceDetection(
                model_selection=0, min_detection_confidence=self._min_confidence)
        self._last_t = t_s
        self.runs += 1
        found = self._detector.process(rgb).detections
        return len(found) if found else 0

    def close(self) -> None:
        if self._detector is not None:
            self._detector.close()
            self._detector = None
