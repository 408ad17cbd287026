"""Small building blocks shared by the pages: plain-text labels, page titles, a scrolling page body."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from proctorprep.ui.widgets.items.base import plain_label

__all__ = ["page_title", "plain_label", "scrolled_body"]


def page_title(text: str, size_pt: int = 16) -> QLabel:
    label = plain_label(text, wrap=True)
    label.setStyleSheet(f"font-size: {size_pt}pt; font-weight: 600;")
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
