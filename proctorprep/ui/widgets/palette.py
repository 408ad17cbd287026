"""The question palette: one small button per question, showing at a glance which are answered, marked for
review, still open, locked (a case study or section that was left) or not open yet (a later section). Clicking one
goes there, as on real exam clients."""

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
        # the rows stay together at the top: without a stretch below them the grid spread a short exam's rows
        # over the whole column
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        self.grid.setRowStretch((len(rows) + COLUMNS - 1) // COLUMNS, 1)
        self._index = [r.index for r in rows]
        for b, r in zip(self.buttons, rows):
            b.show()
            b.setText(f"{r.number}{'⚑' if r.marked else ''}")
            ahead = bool(getattr(r, "ahead", False))
            state = "locked" if r.locked else "ahead" if ahead else r.status
            for name, value in (("state", state), ("current", r.index == current), ("marked", bool(r.marked))):
                b.setProperty(name, value)
            b.setEnabled(not r.locked and not ahead)
            words = {"answered": "answered", "incomplete": "partly answered", "unanswered": "not answered",
                     "locked": "locked (its section was left)" if getattr(r, "section", None) and not r.case_id
                     else "locked (case study left)",
                     "ahead": f"in a later section ({getattr(r, 'section', '')}): it opens when you finish this one"
                     }[state]
            tip = f"Question {r.number}: {words}" + (", marked for review" if r.marked else "")
            b.setToolTip(tip)
            b.setAccessibleName(tip)
            b.style().unpolish(b)
            b.style().polish(b)
