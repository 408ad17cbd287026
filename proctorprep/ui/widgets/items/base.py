"""Shared base of the item widgets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def plain_label(text: str, wrap: bool = True) -> QLabel:
    """A label that shows text literally: bank text may contain HTML, and it must appear as typed."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ItemWidget(QWidget):
    changed = Signal()

    def __init__(self, view: Any) -> None:
        super().__init__()
        self.view = view
        self.question = view.question
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.hint = plain_label(self.instructions())
        self.hint.setObjectName("item_hint")
        self.hint.setStyleSheet("color: palette(mid); font-style: italic;")
        self.layout_.addWidget(self.hint)

    def instructions(self) -> str:
        return ""

    def response(self) -> Any:   # pragma: no cover - overridden
        raise NotImplementedError

    def set_response(self, value: Any) -> None:   # pragma: no cover - overridden
        raise NotImplementedError

    def answer_something(self) -> None:   # pragma: no cover - overridden
        """Give some answer through the widget's own controls, as a candidate would (the tour, the UI tests)."""
        raise NotImplementedError

    def set_locked(self, locked: bool) -> None:
        for child in self.findChildren(QWidget):
            if child is not self.hint:
                child.setEnabled(not locked)

    def first_focus(self) -> QWidget | None:
        return None
