"""The question palette: one small button per question, showing at a glance which are answered, marked for
review, still open or locked (a case study that was left). Clicking one goes there, as on real exam clients."""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

COLUMNS = 5


class QuestionPalette(QWidget):
    chosen = Signal(int)      # index of the question clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(192)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        head = QLabel("Questions")
        head.setObjectName("palette_title")
        outer.addWidget(head)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        host = QWidget()
        self.grid = QGridLayout(host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        self.scroll.setWidget(host)
        outer.addWidget(self.scroll, 1)
        self.legend = QLabel("■ answered   ⚑ marked")
        self.legend.setObjectName("palette_legend")
        outer.addWidget(self.legend)
        self.buttons: list[QToolButton] = []

    def set_rows(self, rows: Sequence[Any], current: int) -> None:
        """`rows`: the exam's review rows (index, number, status, marked, locked); `current`: the index shown."""
        while len(self.buttons) < len(rows):
            b = QToolButton()
            b.setObjectName("palette_button")
            b.setFixedSize(32, 28)
            i = len(self.buttons)
            b.clicked.connect(lambda _c=False, i=i: self.chosen.emit(self._index[i]))
            self.grid.addWidget(b, i // COLUMNS, i % COLUMNS)
            self.buttons.append(b)
        for b in self.buttons[len(rows):]:
            b.hide()
        self._index = [r.index for r in rows]
        for b, r in zip(self.buttons, rows):
            b.show()
            b.setText(f"{r.number}{'⚑' if r.marked else ''}")
            state = "locked" if r.locked else r.status
            for name, value in (("state", state), ("current", r.index == current), ("marked", bool(r.marked))):
                b.setProperty(name, value)
            b.setEnabled(not r.locked)
            words = {"answered": "answered", "incomplete": "partly answered", "unanswered": "not answered",
                     "locked": "locked (case study left)"}[state]
            tip = f"Question {r.number}: {words}" + (", marked for review" if r.marked else "")
            b.setToolTip(tip)
            b.setAccessibleName(tip)
            b.style().unpolish(b)
            b.style().polish(b)
