"""Hot area in text: drop-down lists inside a sentence or a line of code. Tab moves from list to list; the arrow
keys (or Alt+Down to open) choose."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QVBoxLayout

from proctorprep.ui.widgets.items.base import ItemWidget, plain_label

PLACEHOLDER = "Select…"


class DropdownWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        d = self.question.detail
        box = QFrame()
        box.setObjectName("dropdown_text")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        lines = QVBoxLayout(box)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont) if d.code else None
        self.combos: dict[str, QComboBox] = {}
        row = QHBoxLayout()
        lines.addLayout(row)
        for i, part in enumerate(d.parts):
            if i % 2 == 0:
                chunks = part.split("\n")
                for j, chunk in enumerate(chunks):
                    if j:                       # a line break in the template starts a new row
                        row.addStretch(1)
                        row = QHBoxLayout()
                        lines.addLayout(row)
                    if chunk:
                        label = plain_label(chunk, wrap=False)
                        if mono is not None:
                            label.setFont(mono)
                        row.addWidget(label)
                continue
            combo = QComboBox()
            combo.setObjectName(f"blank_{part}")
            combo.setAccessibleName(f"Blank {len(self.combos) + 1}")
            combo.addItem(PLACEHOLDER, None)
            for o in d.options(part):
                combo.addItem(o.text, o.id)
            if mono is not None:
                combo.setFont(mono)
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            self.combos[part] = combo
            row.addWidget(combo)
        row.addStretch(1)
        self.layout_.addWidget(box)
        self.layout_.addStretch(1)
        self.set_response(view.response)

    def instructions(self) -> str:
        n = len(self.combos) if hasattr(self, "combos") else len(self.question.detail.blanks)
        return f"Choose the right value in each of the {n} lists to complete the {'command' if self.question.detail.code else 'statement'}."

    def response(self) -> Any:
        out = {b: c.currentData() for b, c in self.combos.items() if c.currentData() is not None}
        return out or None

    def set_response(self, value: Any) -> None:
        for b, c in self.combos.items():
            c.blockSignals(True)
            c.setCurrentIndex(max(0, c.findData((value or {}).get(b))))
            c.blockSignals(False)

    def answer_something(self) -> None:
        for c in self.combos.values():
            c.setCurrentIndex(1)

    def first_focus(self):
        return next(iter(self.combos.values()), None)
