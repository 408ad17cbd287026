"""Multiple response ("choose two"): check boxes, no more than `choose` at a time (with the options' pictures,
when they have them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox

from proctorprep.ui.widgets.items.base import ChoiceRow, ItemWidget, option_row


class MultipleResponseWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        self.choose = int(view.question.choose or 0)
        super().__init__(view)
        self.boxes: dict[str, QCheckBox] = {}
        self.rows: dict[str, ChoiceRow] = {}
        for i, opt in enumerate(view.options):
            b = QCheckBox()
            b.setObjectName(f"option_{opt.id}")
            self.boxes[opt.id] = b
            self.rows[opt.id] = option_row(view, b, i, opt)
            self.layout_.addWidget(self.rows[opt.id])
            b.toggled.connect(self._toggled)
        self.layout_.addStretch(1)
        self.set_response(view.response)

    def instructions(self) -> str:
        return f"Choose {self.choose} answers." if self.choose else "Choose all that apply."

    def _toggled(self, _on: bool) -> None:
        chosen = sum(b.isChecked() for b in self.boxes.values())
        if self.choose:
            # As on the real exam: once N are chosen, the others are disabled until one is cleared.
            for b in self.boxes.values():
                b.setEnabled(b.isChecked() or chosen < self.choose)
        self.changed.emit()

    def response(self) -> Any:
        chosen = [oid for oid, b in self.boxes.items() if b.isChecked()]
        return chosen or None

    def set_response(self, value: Any) -> None:
        for oid in value or ():
            if oid in self.boxes:
                self.boxes[oid].setChecked(True)

    def set_locked(self, locked: bool) -> None:
        super().set_locked(locked)
        if not locked:
            self._toggled(False)

    def answer_something(self) -> None:
        for b in list(self.boxes.values())[: self.choose or 1]:
            b.click()

    def first_focus(self):
        return next(iter(self.boxes.values()), None)
