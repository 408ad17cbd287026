"""Shows the newest camera frame with the face box and, optionally, the landmarks.

The QImage is built here, on the GUI thread, from the array the worker copied for us; drawing is a scaled blit plus
a few rectangles, so a slot never takes more than a millisecond or two."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget


def bgr_to_qimage(image: np.ndarray) -> QImage:
    """A QImage that owns its pixels (copied), from a BGR uint8 array."""
    img = np.ascontiguousarray(image)
    h, w = img.shape[:2]
    return QImage(img.data, w, h, img.strides[0], QImage.Format.Format_BGR888).copy()


class VideoView(QWidget):
    def __init__(self, parent: QWidget | None = None, placeholder: str = "No picture yet") -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._obs: Any = None
        self._src_scale = 1.0
        self.show_landmarks = False
        self.show_box = True
        self.placeholder = placeholder
        self.frames_shown = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)
        # paintEvent fills every pixel: Qt need not paint the parent's background under it first (15 times a second)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAccessibleName("Camera preview")

    def sizeHint(self) -> QSize:
        return QSize(480, 360)

    def wanted_width(self) -> int:
        """Pixels wide the picture needs to be for this view on this screen (high-DPI included)."""
        return max(160, int(self.width() * self.devicePixelRatioF()))

    def set_view(self, view: Any) -> None:
        if view is None:
            return
        self._image = bgr_to_qimage(view.image)
        self._obs = view.observation
        self._src_scale = float(getattr(view, "scale", 1.0) or 1.0)
        self.frames_shown += 1
        self.update()

    def clear(self, placeholder: str | None = None) -> None:
        self._image = None
        self._obs = None
        if placeholder is not None:
            self.placeholder = placeholder
        self.update()

    def paintEvent(self, _event: Any) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(20, 20, 20))
        if self._image is None:
            p.setPen(QColor(200, 200, 200))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            return
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        dw, dh = iw * scale, ih * scale
        ox, oy = (self.width() - dw) / 2, (self.height() - dh) / 2
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        p.drawImage(QRectF(ox, oy, dw, dh), self._image)
        scale *= self._src_scale     # observations are in the camera's pixels, the image may have been shrunk
        obs = self._obs
        if obs is None:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self.show_box:
            boxes = list(getattr(obs, "all_boxes", ()) or ())
            if not boxes and getattr(obs, "face_box", None):
                boxes = [obs.face_box]
            for i, (x, y, w, h) in enumerate(boxes):
                colour = QColor("#4caf50") if i == 0 and len(boxes) == 1 else QColor("#ef5350")
                p.setPen(QPen(colour, 2))
                p.drawRect(QRectF(ox + x * scale, oy + y * scale, w * scale, h * scale))
        lm = getattr(obs, "landmarks", None)
        if self.show_landmarks and lm is not None and len(lm):
            pen = QPen(QColor(0, 229, 255), 2.6)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)   # round dots that show on any skin and any light
            p.setPen(pen)
            p.drawPoints(QPolygonF([QPointF(ox + float(x) * scale, oy + float(y) * scale) for x, y in lm]))
