"""Single choice: radio buttons (with the options' pictures, when they have them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QRadioButton

from proctorprep.ui.widgets.items.base import ChoiceRow, ItemWidget, option_row


class SingleChoiceWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.rows: dict[str, ChoiceRow] = {}
        for i, opt in enumerate(view.options):
            b = QRadioButton()
            b.setObjectName(f"option_{opt.id}")
            self.group.addButton(b)
            self.buttons[opt.id] = b
            self.rows[opt.id] = option_row(view, b, i, opt)    # the text wraps (plain text); its picture
            self.layout_.addWidget(self.rows[opt.id])
        self.layout_.addStretch(1)
        self.set_response(view.response)
        self.group.buttonToggled.connect(lambda _b, on: on and self.changed.emit())

    def instructions(self) -> str:
        return "Choose one answer."

    def response(self) -> Any:
        for oid, b in self.buttons.items():
            if b.isChecked():
                return oid
        return None

    def set_response(self, value: Any) -> None:
        if value in self.buttons:
            self.buttons[value].setChecked(True)

    def answer_something(self) -> None:
        next(iter(self.buttons.values())).click()

    def first_focus(self):
        return next(iter(self.buttons.values()), None)
