"""Small indicators: an audio level meter with the noise floor, a speech lamp, and device status icons."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from proctorprep.ui.theme import colors

_MIN_DB = -80.0


class LevelMeter(QWidget):
    """Horizontal bar from -80 to 0 dBFS; a tick marks the noise floor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level_db = _MIN_DB
        self.floor_db: float | None = None
        self.setMinimumHeight(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level")

    def sizeHint(self) -> QSize:
        return QSize(240, 18)

    def set_level(self, rms_dbfs: float, floor_dbfs: float | None = None) -> None:
        level = max(_MIN_DB, min(0.0, rms_dbfs))
        before = self._drawn()
        self.level_db, self.floor_db = level, floor_dbfs
        if self._drawn() == before:      # the same picture (a quiet room: most updates): no paint, no a11y event
            return
        self.setAccessibleDescription(f"{self.level_db:.0f} dBFS")
        self.update()

    def _drawn(self) -> tuple:
        """What a paint would show: the bar's length in pixels, its colour band, the floor tick's place."""
        w = max(1, self.width() - 3)
        band = 0 if self.level_db < -12 else 1 if self.level_db < -3 else 2
        floor = None if self.floor_db is None else int(self.width() * self._frac(self.floor_db))
        return int(w * self._frac(self.level_db)), band, floor

    @staticmethod
    def _frac(db: float) -> float:
        return (max(_MIN_DB, min(0.0, db)) - _MIN_DB) / -_MIN_DB

    def paintEvent(self, _e: object) -> None:
        p = QPainter(self)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(QPen(self.palette().mid().color()))
        p.setBrush(self.palette().base())
        p.drawRect(r)
        c = colors()
        frac = self._frac(self.level_db)
        colour = c.ok if self.level_db < -12 else c.warn if self.level_db < -3 else c.bad
        p.fillRect(QRectF(r.left() + 1, r.top() + 1, (r.width() - 2) * frac, r.height() - 2), colour)
        if self.floor_db is not None:
            x = r.left() + r.width() * self._frac(self.floor_db)
            p.setPen(QPen(self.palette().text().color(), 2))
            p.drawLine(int(x), int(r.top()), int(x), int(r.bottom()))


class Lamp(QWidget):
    """A round indicator with a text beside it (speech heard, camera ok...)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self._dot = _Dot()
        row.addWidget(self._dot)
        self.label = QLabel(text)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.label)
        row.addStretch(1)
        self.state = "off"

    def set_state(self, state: str, text: str | None = None) -> None:
        """state: "on" (green), "off" (grey), "warn" (amber), "bad" (red)."""
        self.state = state
        c = colors()
        self._dot.colour = {"on": c.ok, "warn": c.warn, "bad": c.bad}.get(state, c.muted)
        self._dot.update()
        if text is not None:
            self.label.setText(text)
        self.setAccessibleDescription(f"{self.label.text()}: {state}")


class _Dot(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.colour = QColor("#9e9e9e")
        self.setFixedSize(16, 16)

    def paintEvent(self, _e: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.colour)
        p.drawEllipse(QRectF(2, 2, 12, 12))


class DeviceStatus(QWidget):
    """Camera and microphone for the exam's top bar: each an icon with a coloured dot; the words ("Camera: lost")
    are in the tooltip and the accessible name, so the bar has room for the exam's title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from proctorprep.ui.icons import icon

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.camera = Lamp("Camera")
        self.microphone = Lamp("Microphone")
        for lamp, name in ((self.camera, "camera"), (self.microphone, "microphone")):
            lamp.label.setPixmap(icon(name).pixmap(18, 18))
            lamp.label.setObjectName(f"device_{name}")
            row.addWidget(lamp)

    def set_device(self, device: str, state: str) -> None:
        lamp = self.camera if device == "camera" else self.microphone
        name = "Camera" if device == "camera" else "Microphone"
        text = {"ok": f"{name}: working", "starting": f"{name}: starting", "lost": f"{name}: lost",
                "none": f"{name}: off"}.get(state, name)
        lamp.set_state({"ok": "on", "starting": "warn", "lost": "bad", "none": "bad"}.get(state, "off"))
        lamp.setToolTip(text)
        lamp.setAccessibleName(text)
        lamp.state_text = text

    def texts(self) -> list[str]:
        return [getattr(self.camera, "state_text", "Camera"), getattr(self.microphone, "state_text", "Microphone")]
