"""Small building blocks shared by the pages: plain-text labels, page titles, a scrolling page body."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from proctorprep.ui.widgets.items.base import plain_label

__all__ = ["ElidedLabel", "page_title", "plain_label", "scrolled_body"]


def page_title(text: str, size_pt: int = 16) -> QLabel:
    label = plain_label(text, wrap=True)
    label.setObjectName("page_title")        # styled by the app's stylesheet (theme.py)
    if size_pt != 16:
        label.setStyleSheet(f"font-size: {size_pt}pt;")
    label.setAccessibleName(text)
    return label


def scrolled_body(page: QWidget, margins: tuple[int, int, int, int] = (16, 12, 16, 12)) -> QVBoxLayout:
    """Give `page` a scroll area filling it and return the layout of the scrolled body (long forms on small
    screens or at 200 % scaling stay reachable)."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    outer.addWidget(scroll)
    body = QWidget()
    scroll.setWidget(body)
    lay = QVBoxLayout(body)
    lay.setContentsMargins(*margins)
    return lay


class ElidedLabel(QLabel):
    """One line of plain text that shortens itself with "…" when the space is short (a 90-character exam title
    must not push the clock and the buttons off the window); the whole text is in the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None, short: str = "") -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self.short = short          # shown instead when the whole text does not fit and this does (before any "…")
        self.setMinimumWidth(60)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:   # noqa: N802 - Qt naming
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, e: QResizeEvent) -> None:   # noqa: N802
        super().resizeEvent(e)
        self._elide()

    def _elide(self) -> None:
        fm, room = self.fontMetrics(), max(10, self.width())
        text = self._full
        if self.short and fm.horizontalAdvance(text) > room:
            text = self.short
        super().setText(fm.elidedText(text, Qt.TextElideMode.ElideRight, room))

    def sizeHint(self) -> QSize:   # noqa: N802
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 4, super().sizeHint().height())
