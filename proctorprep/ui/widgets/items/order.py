"""Build list: move actions from the list of choices into the answer area and put them in order. Buttons (and
their shortcuts) do what dragging does, so it works from the keyboard alone."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from proctorprep.ui.widgets.items.base import ItemWidget, plain_label


def _item(oid: str, text: str) -> QListWidgetItem:
    it = QListWidgetItem(text)           # list items show text literally
    it.setData(Qt.ItemDataRole.UserRole, oid)
    return it


class BuildListWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self._text = {o.id: o.text for o in view.options}
        host = QWidget()
        grid = QGridLayout(host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(plain_label("Choices"), 0, 0)
        grid.addWidget(plain_label("Answer area (in order)"), 0, 2)
        self.available = QListWidget()
        self.available.setObjectName("order_available")
        self.available.setAccessibleName("Choices to pick from")
        self.answer = QListWidget()
        self.answer.setObjectName("order_answer")
        self.answer.setAccessibleName("Answer area, in order")
        for lst in (self.available, self.answer):
            lst.setWordWrap(True)
            # Long steps wrap inside the list instead of widening the page.
            lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            lst.setTextElideMode(Qt.TextElideMode.ElideNone)
            lst.setResizeMode(QListWidget.ResizeMode.Adjust)
            lst.setMinimumWidth(120)
        grid.addWidget(self.available, 1, 0)
        grid.addWidget(self.answer, 1, 2)
        buttons = QVBoxLayout()
        self.add_btn = QPushButton("Add  >")
        self.remove_btn = QPushButton("<  Remove")
        self.up_btn = QPushButton("Move up")
        self.down_btn = QPushButton("Move down")
        for b in (self.add_btn, self.remove_btn, self.up_btn, self.down_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        grid.addLayout(buttons, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(2, 1)
        self.layout_.addWidget(host, 1)
        self.add_btn.clicked.connect(self.add_selected)
        self.remove_btn.clicked.connect(self.remove_selected)
        self.up_btn.clicked.connect(lambda: self.move(-1))
        self.down_btn.clicked.connect(lambda: self.move(1))
        self.available.itemActivated.connect(lambda _i: self.add_selected())
        self.answer.itemActivated.connect(lambda _i: self.remove_selected())
        self.set_response(view.response)

    def instructions(self) -> str:
        n = len(self.question.key) if isinstance(self.question.key, (list, tuple)) else 0
        return (f"Move the {n} steps you would take to the answer area and put them in the correct order."
                if n else "Put the steps in the correct order.")

    def set_response(self, value: Any) -> None:
        chosen = [oid for oid in (value or []) if oid in self._text]
        self.available.clear()
        self.answer.clear()
        for oid in chosen:
            self.answer.addItem(_item(oid, self._text[oid]))
        for opt in self.view.options:
            if opt.id not in chosen:
                self.available.addItem(_item(opt.id, opt.text))

    def response(self) -> Any:
        ids = [self.answer.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.answer.count())]
        return ids or None

    def add_selected(self) -> None:
        row = self.available.currentRow()
        if row < 0:
            return
        it = self.available.takeItem(row)
        self.answer.addItem(it)
        self.answer.setCurrentItem(it)
        self.changed.emit()

    def remove_selected(self) -> None:
        row = self.answer.currentRow()
        if row < 0:
            return
        it = self.answer.takeItem(row)
        self.available.addItem(it)
        self.changed.emit()

    def move(self, delta: int) -> None:
        row = self.answer.currentRow()
        new = row + delta
        if row < 0 or not 0 <= new < self.answer.count():
            return
        it = self.answer.takeItem(row)
        self.answer.insertItem(new, it)
        self.answer.setCurrentRow(new)
        self.changed.emit()

    def answer_something(self) -> None:
        self.available.setCurrentRow(0)
        self.add_selected()

    def first_focus(self):
        return self.available
