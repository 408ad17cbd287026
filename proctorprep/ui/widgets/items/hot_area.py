"""Hot area on a picture: click the right region(s). Keyboard: Tab to the picture, then the arrow keys move the
dotted focus from region to region (the label is read out and shown under the picture) and Space selects or
unselects. Selected regions are outlined and shaded."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from proctorprep.ui.widgets.items.base import ItemWidget, plain_label
from proctorprep.ui.widgets.items.image import MAX_SHOWN_WIDTH, load_pixmap


class HotAreaCanvas(QWidget):
    toggled = Signal(str)
    focused = Signal(str)

    def __init__(self, pixmap: QPixmap | None, area: Any) -> None:
        super().__init__()
        self.setObjectName("hot_area_canvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.area = area
        size = max((r.x + r.w for r in area.regions), default=100), max((r.y + r.h for r in area.regions), default=80)
        self.pixmap = pixmap
        self.natural = (pixmap.width(), pixmap.height()) if pixmap is not None else size
        self.scale = min(1.0, MAX_SHOWN_WIDTH / max(1, self.natural[0]))
        self.setFixedSize(round(self.natural[0] * self.scale), round(self.natural[1] * self.scale))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.selected: list[str] = []
        self.cursor_index = 0
        self.setAccessibleName("Picture with clickable regions: use the arrow keys and Space")

    def rect_of(self, r: Any) -> QRectF:
        s = self.scale
        return QRectF(r.x * s, r.y * s, r.w * s, r.h * s)

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        if self.pixmap is not None:
            p.drawPixmap(self.rect(), self.pixmap)
        else:
            p.fillRect(self.rect(), QColor("#dddddd"))
        accent = QColor("#1565c0")
        for i, r in enumerate(self.area.regions):
            rect = self.rect_of(r)
            if r.id in self.selected:
                fill = QColor(accent)
                fill.setAlpha(70)
                p.fillRect(rect, fill)
                p.setPen(QPen(accent, 3))
                p.drawRect(rect)
            if self.hasFocus() and i == self.cursor_index:
                p.setPen(QPen(QColor("#ff6f00"), 2, Qt.PenStyle.DashLine))
                p.drawRect(rect.adjusted(-2, -2, 2, 2))
        p.end()

    def mousePressEvent(self, e: QMouseEvent) -> None:
        pos: QPointF = e.position()
        hit = self.area.at(pos.x() / self.scale, pos.y() / self.scale)
        if hit is not None:
            self.cursor_index = [r.id for r in self.area.regions].index(hit.id)
            self.toggled.emit(hit.id)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        n = len(self.area.regions)
        if e.key() in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.cursor_index = (self.cursor_index + 1) % n
        elif e.key() in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.cursor_index = (self.cursor_index - 1) % n
        elif e.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.toggled.emit(self.area.regions[self.cursor_index].id)
            return
        else:
            super().keyPressEvent(e)
            return
        self.focused.emit(self.area.regions[self.cursor_index].id)
        self.update()

    def focusInEvent(self, e: Any) -> None:
        self.focused.emit(self.area.regions[self.cursor_index].id)
        self.update()
        super().focusInEvent(e)


class HotAreaWidget(ItemWidget):
    shows_question_image = False

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        q = self.question
        self.canvas = HotAreaCanvas(load_pixmap(view, getattr(q, "image", None)), q.detail)
        self.canvas.toggled.connect(self.toggle)
        self.canvas.focused.connect(self._focused)
        self.layout_.addWidget(self.canvas)
        self.status = plain_label("")
        self.status.setObjectName("hot_area_status")
        self.layout_.addWidget(self.status)
        self.layout_.addStretch(1)
        self.set_response(view.response)

    def instructions(self) -> str:
        n = self.question.choose or 1
        return (f"Click the {'area' if n == 1 else f'{n} areas'} on the picture that answer the question "
                "(or Tab to the picture, move with the arrow keys, select with Space).")

    def _labels(self) -> dict[str, str]:
        return {r.id: r.label for r in self.question.detail.regions}

    def _focused(self, rid: str) -> None:
        self._say(f"On: {self._labels()[rid]}")

    def _say(self, lead: str = "") -> None:
        chosen = ", ".join(self._labels()[r] for r in self.canvas.selected) or "nothing yet"
        self.status.setText((lead + " · " if lead else "") + f"Selected: {chosen}")

    def toggle(self, rid: str) -> None:
        sel = self.canvas.selected
        if rid in sel:
            sel.remove(rid)
        elif len(sel) < (self.question.choose or 1):
            sel.append(rid)
        elif (self.question.choose or 1) == 1:
            sel[:] = [rid]                      # one to choose: a new click moves the choice
        else:
            self._say(f"Select at most {self.question.choose}: unselect one first")
            return
        self.canvas.update()
        self._say()
        self.changed.emit()

    def response(self) -> Any:
        return list(self.canvas.selected) or None

    def set_response(self, value: Any) -> None:
        self.canvas.selected = list(value or [])
        self.canvas.update()
        self._say()

    def answer_something(self) -> None:
        self.toggle(self.question.detail.regions[0].id)

    def first_focus(self):
        return self.canvas
