"""Matching (drag and drop on the real exam): each target gets one option, chosen from a list box, which works
from the keyboard too."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QWidget

from proctorprep.ui.widgets.items.base import ItemWidget, plain_label

_NONE = "— choose —"


class MatchingWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        host = QWidget()
        grid = QGridLayout(host)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QComboBox] = {}
        for row, target in enumerate(view.question.targets):
            grid.addWidget(plain_label(target.text), row, 0)
            box = QComboBox()
            # A long answer must not widen the page: the box keeps a modest width, its list shows the whole text.
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)
            box.view().setTextElideMode(Qt.TextElideMode.ElideNone)
            box.setObjectName(f"target_{target.id}")
            box.setAccessibleName(f"Answer for: {target.text}")
            box.addItem(_NONE, None)
            for opt in view.options:
                box.addItem(opt.text, opt.id)     # combo items are plain text
            box.currentIndexChanged.connect(lambda _i, b=box: (b.setToolTip(b.currentText()), self.changed.emit()))
            grid.addWidget(box, row, 1)
            self.boxes[target.id] = box
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.layout_.addWidget(host)
        self.layout_.addStretch(1)
        self.set_response(view.response)

    def instructions(self) -> str:
        return "Match each item on the left with an answer. An answer may be used once, more than once, or not at all."

    def response(self) -> Any:
        out = {tid: box.currentData() for tid, box in self.boxes.items() if box.currentData() is not None}
        return out or None

    def set_response(self, value: Any) -> None:
        for tid, oid in (value or {}).items():
            box = self.boxes.get(tid)
            if box is not None:
                i = box.findData(oid)
                if i >= 0:
                    box.setCurrentIndex(i)

    def answer_something(self) -> None:
        for box in self.boxes.values():
            box.setCurrentIndex(1)

    def first_focus(self):
        return next(iter(self.boxes.values()), None)
