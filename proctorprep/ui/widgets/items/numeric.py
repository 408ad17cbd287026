"""Numeric answer: a number typed in a line edit. A decimal comma is read as a point; anything that is not a number
is no answer (and says so under the field), never an error."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtWidgets import QLineEdit

from proctorprep.exam.items.numeric import MAX_MAGNITUDE
from proctorprep.ui.widgets.items.base import ItemWidget, plain_label


def parse_number(text: str) -> float | None:
    t = text.strip().replace(" ", "").replace(",", ".")
    if not t:
        return None
    try:
        value = float(t)
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= MAX_MAGNITUDE else None


class NumericWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.edit = QLineEdit()
        self.edit.setObjectName("numeric_answer")
        self.edit.setMaxLength(40)
        self.edit.setPlaceholderText("Type a number")
        self.edit.setAccessibleName("Your answer, a number")
        self.layout_.addWidget(self.edit)
        self.status = plain_label("")
        self.status.setObjectName("numeric_status")
        self.layout_.addWidget(self.status)
        self.layout_.addStretch(1)
        self.set_response(view.response)
        self.edit.textEdited.connect(self._edited)

    def instructions(self) -> str:
        return "Type a number (digits, a decimal point or comma, a minus sign)."

    def _edited(self, text: str) -> None:
        self.status.setText("" if not text.strip() or parse_number(text) is not None
                            else "That is not a number yet: this question counts as unanswered.")
        self.changed.emit()

    def response(self) -> Any:
        return parse_number(self.edit.text())

    def set_response(self, value: Any) -> None:
        self.edit.setText("" if value is None else f"{value:g}")

    def answer_something(self) -> None:
        self.edit.setText("42")
        self._edited("42")

    def first_focus(self):
        return self.edit
