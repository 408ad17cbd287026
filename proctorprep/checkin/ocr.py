"""Text in a photo: RapidOCR (PaddleOCR's PP-OCRv4 detector and recogniser as ONNX, run by onnxruntime).

Why this one: `rapidocr-onnxruntime` carries its three models in the wheel (15 MB) and has no network code, so
nothing is fetched at run time; it needs no system Tesseract; it depends on `opencv-python`, the distribution this
project already pins (the newer `rapidocr` 3.x needs `opencv-python-headless`, which would fight over the cv2 module,
and fetches models other than its defaults over the network). Measured in docs/readme/checkin.md.

The engine is made once per process (0.5 s) and shared; calls are serialised by a lock (onnxruntime sessions are
thread-safe, RapidOCR's pre/post-processing state is not).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

OCR_MAX_SIDE = 1280           # photos are scaled down to this before reading: a phone photo reads as well, faster


class OcrMissing(RuntimeError):
    """rapidocr-onnxruntime is not installed; the message says what to install."""


@dataclass(frozen=True, slots=True)
class TextLine:
    text: str
    score: float                              # the recogniser's confidence, 0..1
    box: tuple[int, int, int, int]            # x, y, w, h in the photo's pixels

    @property
    def letters(self) -> int:
        return sum(ch.isalnum() for ch in self.text)


_ENGINE: list[Any] = []
_LOCK = threading.Lock()


def quiet_onnxruntime() -> None:
    """onnxruntime 1.32 sends usage telemetry to Microsoft from a background thread (a DNS lookup of
    mobile.events.data.microsoft.com was seen under strace, tests/test_checkin_privacy.py): switched off before it
    is imported, by its own switch, and again through its API once it is."""
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    import onnxruntime

    disable = getattr(onnxruntime, "disable_telemetry_events", None)
    if disable is not None:
        disable()


def _engine() -> Any:
    if not _ENGINE:
        quiet_onnxruntime()
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:             # pragma: no cover - a dependency
            raise OcrMissing("reading text needs rapidocr-onnxruntime: pip install rapidocr-onnxruntime") from exc
        # two threads at most: the check-in runs beside the camera preview on a laptop
        _ENGINE.append(RapidOCR(intra_op_num_threads=2, inter_op_num_threads=1))
    return _ENGINE[0]


def read_text(image_bgr: np.ndarray, min_score: float = 0.5) -> list[TextLine]:
    """Every line of text RapidOCR reads with at least `min_score`, boxes in the given image's pixels."""
    h, w = image_bgr.shape[:2]
    f = min(1.0, OCR_MAX_SIDE / max(h, w))
    img = cv2.resize(image_bgr, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1.0 else image_bgr
    with _LOCK:
        result, _ = _engine()(np.ascontiguousarray(img))
    lines = []
    for quad, text, score in result or ():
        pts = np.asarray(quad, dtype=np.float64) / f
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        if float(score) >= min_score and str(text).strip():
            lines.append(TextLine(str(text).strip(), float(score),
                                  (int(x0), int(y0), int(round(x1 - x0)), int(round(y1 - y0)))))
    return lines
