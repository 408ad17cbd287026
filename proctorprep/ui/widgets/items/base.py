"""Shared base of the item widgets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QPixmap
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget


def plain_label(text: str, wrap: bool = True) -> QLabel:
    """A label that shows text literally: bank text may contain HTML, and it must appear as typed."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _ClickLabel(QLabel):
    """The text of a choice: clicking it works the indicator, as clicking a radio button's own text does."""

    def __init__(self, text: str, target: QAbstractButton) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)
        self.setWordWrap(True)
        self.target = target
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton and self.target.isEnabled():
            self.target.click()
            self.target.setFocus()
        super().mouseReleaseEvent(e)


PICTURE_BOX = (160, 120)    # an option's picture is shown at most this big: four of them fit a 1024x700 exam page


class ChoiceRow(QWidget):
    """A radio button or check box whose text wraps at any width (a button's own text never wraps, so a long
    answer would be clipped or push the page sideways), with the option's picture when it has one (clicking the
    picture works the control, like its text; the keyboard reaches the control itself). `button` is the real
    control: click(), isChecked()..."""

    def __init__(self, button: QAbstractButton, letter: str, text: str, picture: QPixmap | None = None,
                 missing: str = "") -> None:
        super().__init__()
        self.setObjectName("choice_row")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.button = button
        button.setText("")
        button.setAccessibleName(f"{letter} {text}" + (" (picture)" if picture is not None else ""))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.setSpacing(10)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.letter = QLabel(letter)
        self.letter.setObjectName("choice_letter")
        row.addWidget(self.letter, 0, Qt.AlignmentFlag.AlignTop)
        self.picture: QLabel | None = None
        if picture is not None or missing:
            self.picture = _ClickLabel(missing, button)
            self.picture.setObjectName("choice_picture")
            self.picture.setWordWrap(False)
            self.picture.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.picture.setAccessibleName(f"Picture of option {letter.rstrip('.')}: {text}")
            if picture is not None:
                w, h = PICTURE_BOX
                if picture.width() > w or picture.height() > h:
                    picture = picture.scaled(w, h, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation)
                self.picture.setPixmap(picture)
                self.picture.setFixedSize(picture.size())
            row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        self.label = _ClickLabel(text, button)
        self.label.setObjectName("choice_text")
        row.addWidget(self.label, 1)
        button.toggled.connect(self._restyle)

    def text(self) -> str:
        return self.label.text()

    def _restyle(self, on: bool) -> None:
        self.setProperty("checked", on)
        self.style().unpolish(self)
        self.style().polish(self)


def option_row(view: Any, button: QAbstractButton, i: int, opt: Any) -> ChoiceRow:
    """The row of option `opt` (the i-th shown): letter, text, and its picture from the bank's files if it has one
    (a picture that cannot be read any more says so in its place)."""
    picture = missing = None
    if opt.image:
        from proctorprep.ui.widgets.items.image import load_pixmap

        picture = load_pixmap(view, opt.image)
        missing = "" if picture is not None else f"[picture {opt.image} could not be shown]"
    return ChoiceRow(button, f"{chr(65 + i)}.", opt.text, picture, missing or "")


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
        if getattr(self.question, "image", None) and self.shows_question_image:
            from proctorprep.ui.widgets.items.image import image_label

            self.layout_.addWidget(image_label(view, self.question.image, "Picture for the question"))

    # A widget that draws the question's picture itself (the hot area clicks on it) sets this to False.
    shows_question_image = True

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
