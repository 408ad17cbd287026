"""Calibration: a dot at the centre and at each corner of the exam window; the candidate looks at each while the
app records head pose, gaze, lips at rest and the room's noise. Then it shows what it learned and offers a redo."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from proctorprep.ui.context import AppContext
from proctorprep.ui.widgets.common import page_title, plain_label

DOTS: tuple[tuple[str, float, float], ...] = (
    ("centre", 0.5, 0.5), ("top_left", 0.06, 0.08), ("top_right", 0.94, 0.08),
    ("bottom_right", 0.94, 0.92), ("bottom_left", 0.06, 0.92), ("centre", 0.5, 0.5),
)


def create_page(ctx: AppContext) -> QWidget:
    return CalibratePage(ctx)


def _plain(text: str = "") -> QLabel:
    return plain_label(text)


class DotField(QWidget):
    """Paints the current dot; shrinks it while the time for that dot runs out."""

    def __init__(self) -> None:
        super().__init__()
        self.dot: tuple[float, float] | None = None
        self.progress = 0.0
        self.learned: Any = None          # a Calibration: its on-screen range is drawn once learned
        self.setMinimumHeight(300)
        self.setAccessibleName("Calibration area: look at the dot")

    def paintEvent(self, _e: Any) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(self.palette().mid().color(), 1, Qt.PenStyle.DashLine))
        p.drawRect(QRectF(self.rect()).adjusted(2, 2, -2, -2))
        if self.learned is not None:
            self._draw_range(p)
        if self.dot is None:
            return
        x, y = self.dot[0] * self.width(), self.dot[1] * self.height()
        r = 22 - 12 * self.progress
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(229, 57, 53))
        p.drawEllipse(QPointF(x, y), r, r)
        p.setBrush(QColor(255, 255, 255))
        p.drawEllipse(QPointF(x, y), 3, 3)


    SPAN_X_DEG, SPAN_Y_DEG = 45.0, 35.0    # the field shows ±45° sideways and ±35° up/down

    def _draw_range(self, p: QPainter) -> None:
        """The learned on-screen zone (where looking counts as "at the screen"), to scale in degrees."""
        cal = self.learned
        cx, cy = self.width() / 2, self.height() / 2
        sx, sy = self.width() / 2 / self.SPAN_X_DEG, self.height() / 2 / self.SPAN_Y_DEG
        rx = float(getattr(cal, "range_x_deg", 18.0))
        up, down = float(getattr(cal, "range_up_deg", 10.0)), float(getattr(cal, "range_down_deg", 10.0))
        zone = QRectF(cx - rx * sx, cy - up * sy, 2 * rx * sx, (up + down) * sy)
        p.setPen(QPen(QColor(46, 125, 50), 2))
        p.setBrush(QColor(76, 175, 80, 60))
        p.drawRect(zone)
        p.setPen(QPen(self.palette().text().color(), 1))
        p.drawLine(QPointF(cx - 8, cy), QPointF(cx + 8, cy))
        p.drawLine(QPointF(cx, cy - 8), QPointF(cx, cy + 8))
        p.drawText(QRectF(zone.left(), zone.top() - 22, zone.width(), 20), Qt.AlignmentFlag.AlignCenter,
                   f"on screen: ±{rx:.0f}° sideways, {up:.0f}° up, {down:.0f}° down")
        p.drawText(QRectF(8, 8, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft,
                   f"Looking outside the green zone for longer than a moment counts as looking away "
                   f"(field shown: ±{self.SPAN_X_DEG:.0f}° × ±{self.SPAN_Y_DEG:.0f}°).")


class CalibratePage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(page_title("Calibration"))
        self.instructions = _plain("Sit as you will during the exam and keep quiet. A red dot appears in the middle "
                                   "and in each corner of this area: look at it (move your eyes, as when reading) "
                                   "until it moves on.")
        lay.addWidget(self.instructions)
        self.field = DotField()
        lay.addWidget(self.field, 1)
        self.result = _plain("")
        self.result.setObjectName("calibration_result")
        lay.addWidget(self.result)
        buttons = QHBoxLayout()
        self.back_btn = QPushButton("←  Back to the check")
        self.back_btn.clicked.connect(lambda: ctx.navigate("check"))
        buttons.addWidget(self.back_btn)
        buttons.addStretch(1)
        self.redo_btn = QPushButton("Redo calibration")
        self.redo_btn.setObjectName("redo_calibration")
        self.redo_btn.clicked.connect(self.redo)
        buttons.addWidget(self.redo_btn)
        self.start_btn = QPushButton("Start the exam  →")
        self.start_btn.setObjectName("start_exam")
        self.start_btn.clicked.connect(self.start_exam)
        buttons.addWidget(self.start_btn)
        lay.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._tick)
        self._dot = 0
        self._dot_started = 0.0
        self.calibration: Any = None
        self.running = False

    def dot_seconds(self) -> float:
        """The whole sequence lasts the calibration time of the settings (a file's first N seconds)."""
        if self.ctx.launch.calibration_dot_s:
            return self.ctx.launch.calibration_dot_s
        return max(1.0, self.ctx.settings.calibration_seconds / len(DOTS)) if self.ctx.session.setup.video_file \
            else 2.0

    def on_enter(self, **_kw: Any) -> None:
        self.ctx.lock_navigation(True)
        self.ctx.session.begin_calibration()
        self._start_sequence()

    def on_leave(self) -> None:
        self._timer.stop()
        self.running = False
        self.ctx.lock_navigation(False)

    def _start_sequence(self) -> None:
        self.calibration = None
        self.field.learned = None
        self.start_btn.setEnabled(False)
        self.redo_btn.setEnabled(False)
        self.result.setText(f"Calibrating… look at the red dot (1 of {len(DOTS)}).")
        self._dot = 0
        self._dot_started = self.ctx.session.clock.now()
        self.ctx.session.mark_dot(DOTS[0][0])
        self.field.dot = DOTS[0][1:]
        self.running = True
        self._timer.start()

    def redo(self) -> None:
        self.ctx.session.restart_collection()
        self._start_sequence()

    def _tick(self) -> None:
        now = self.ctx.session.clock.now()
        per = self.dot_seconds()
        self.field.progress = min(1.0, (now - self._dot_started) / per)
        if now - self._dot_started >= per:
            self._dot += 1
            if self._dot >= len(DOTS):
                self._timer.stop()
                self.field.dot = None
                self.running = False
                self._finish()
                return
            self._dot_started = now
            self.result.setText(f"Calibrating… look at the red dot ({self._dot + 1} of {len(DOTS)}).")
            self.ctx.session.mark_dot(DOTS[self._dot][0])
            self.field.dot = DOTS[self._dot][1:]
        self.field.update()

    def _finish(self) -> None:
        self.result.setText("Working out what was learned…")
        self.ctx.run_background(self.ctx.session.build_calibration, self._learned, self._failed)

    def _failed(self, reason: str) -> None:
        # CalibrationError (or no camera at all): said plainly, redo offered, the exam may still start.
        self.redo_btn.setEnabled(True)
        self.result.setText(f"Calibration did not work: {reason}\nCheck the camera picture and press Redo. "
                            "You can also start the exam anyway; the proctor then uses typical values.")
        self.start_btn.setEnabled(True)
        self.field.update()

    def _learned(self, cal: Any) -> None:
        self.redo_btn.setEnabled(True)
        self.calibration = cal
        self.field.learned = cal
        self.result.setText(describe_calibration(cal))
        self.start_btn.setEnabled(True)
        self.start_btn.setFocus()
        self.field.update()

    def start_exam(self) -> None:
        self.start_btn.setEnabled(False)
        self.redo_btn.setEnabled(False)
        self.result.setText("Starting the exam…")
        self.ctx.navigate("exam", start=True)


def describe_calibration(cal: Any) -> str:
    """What was learned, in plain words."""
    how = {"dots": "from the dots", "recording": "from the first seconds of the video"}.get(
        getattr(cal, "source", ""), "")
    text = cal.describe() if hasattr(cal, "describe") else str(cal)
    return f"Done, learned {how}: {text}. Press Redo if you moved or looked elsewhere."
