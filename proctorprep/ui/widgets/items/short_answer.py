"""Short answer: one line of text. Case and extra spaces do not matter (the scorer ignores them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit

from proctorprep.ui.widgets.items.base import ItemWidget


class ShortAnswerWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.edit = QLineEdit()
        self.edit.setObjectName("short_answer")
        self.edit.setMaxLength(200)
        self.edit.setPlaceholderText("Type your answer")
        self.edit.setAccessibleName("Your answer")
        self.layout_.addWidget(self.edit)
        self.layout_.addStretch(1)
        self.set_response(view.response)
        self.edit.textEdited.connect(lambda _t: self.changed.emit())

    def instructions(self) -> str:
        return "Type your answer. Capital letters and extra spaces do not matter."

    def response(self) -> Any:
        return " ".join(self.edit.text().split()) or None

    def set_response(self, value: Any) -> None:
        self.edit.setText(value or "")

    def answer_something(self) -> None:
        self.edit.setText("my answer")
        self.edit.textEdited.emit("my answer")

    def first_focus(self):
        return self.edit
