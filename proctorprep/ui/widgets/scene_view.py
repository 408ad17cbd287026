"""Draws a report chart scene (proctorprep.report.charts) with QPainter, so the results page shows exactly the
charts of the HTML/PDF report: timeline with question markers, head angle, gaze, audio level and speech
probability with their thresholds. Scaled to the widget's width; the chart keeps its aspect ratio."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget


def _colour(value: str, dark: dict[str, str] | None = None) -> QColor | None:
    if not value or value == "none":
        return None
    return QColor(dark.get(value.lower(), value) if dark else value)


def dark_colours() -> dict[str, str]:
    """The report's print colours (drawn for white paper) mapped to the dark theme: the chart follows the app."""
    from proctorprep.report import charts as c
    from proctorprep.ui.theme import tokens

    t = tokens(True)
    return {k.lower(): v for k, v in {
        "white": t.surface, c.INK: t.text, c.MUTED: t.muted, c.GRID: t.border, c.LANE: t.surface_alt,
        c.BAND: "#1f3b29", c.GAP: "#4d535b", c.MARKER: "#7b7bb0", c.MAIN: "#5aa2f0", c.SECONDARY: "#8d939b",
        "#9ec3e6": "#3d6b9a"}.items()}


class SceneView(QWidget):
    def __init__(self, scene: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene = scene
        self.setAccessibleName(str(getattr(scene, "title", "chart")))
        self.setToolTip(str(getattr(scene, "title", "")))
        sp = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)
        self.setMinimumWidth(320)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, w: int) -> int:
        return int(w * self.scene.height / max(1.0, self.scene.width)) + 2

    def sizeHint(self) -> QSize:
        return QSize(int(self.scene.width), int(self.scene.height))

    def paintEvent(self, _e: Any) -> None:
        from proctorprep.report import charts as c

        from proctorprep.ui.theme import is_dark

        dark = dark_colours() if is_dark() else None
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = min(self.width() / self.scene.width, self.height() / self.scene.height)
        p.fillRect(QRectF(0, 0, self.scene.width * s, self.scene.height * s), _colour("white", dark))
        p.scale(s, s)
        font = QFont("DejaVu Sans")
        for it in self.scene.items:
            if isinstance(it, c.Rect):
                fill, stroke = _colour(it.fill, dark), _colour(it.stroke, dark)
                p.setPen(QPen(stroke, it.width) if stroke else Qt.PenStyle.NoPen)
                p.setBrush(fill if fill else Qt.BrushStyle.NoBrush)
                p.drawRect(QRectF(it.x, it.y, it.w, it.h))
            elif isinstance(it, c.Line):
                pen = QPen(_colour(it.stroke, dark) or QColor("black"), it.width)
                if it.dash:
                    pen.setDashPattern([max(0.1, d / max(it.width, 0.1)) for d in it.dash])
                p.setPen(pen)
                p.drawLine(QPointF(it.x1, it.y1), QPointF(it.x2, it.y2))
            elif isinstance(it, c.Polyline):
                p.setPen(QPen(_colour(it.stroke, dark) or QColor("black"), it.width))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPolyline(QPolygonF([QPointF(x, y) for x, y in it.points]))
            elif isinstance(it, c.Poly):
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(_colour(it.fill, dark) or QColor("black"))
                p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in it.points]))
            elif isinstance(it, c.Text):
                font.setPixelSize(max(1, int(round(it.size))))
                font.setBold(it.bold)
                p.setFont(font)
                p.setPen(_colour(it.fill, dark) or QColor("black"))
                width = p.fontMetrics().horizontalAdvance(it.text)
                x = it.x - (width / 2 if it.anchor == "middle" else width if it.anchor == "end" else 0)
                p.drawText(QPointF(x, it.y), it.text)
