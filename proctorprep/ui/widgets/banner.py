"""Messages about the app itself (a device lost, the disk full, a file saved, a renewal window), keyed by topic
("camera", "microphone", "disk", ...): a new message for the same topic replaces the old one, so a flapping device
never piles messages up. They float over the top-right corner of the pages as cards instead of taking layout space:
a message that comes or goes never moves the question or the control under the candidate's pointer."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import (
    QBoxLayout, QFrame, QGraphicsDropShadowEffect, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

WIDTH = 400
NARROW = 260          # a card narrower than this puts its buttons under the text (the exam page's are 196 px)


class Banner(QFrame):
    """One message; with an `action` (button text, callback) it also offers the one thing to do about it."""

    def __init__(self, key: str, text: str, level: str, on_close, parent: QWidget | None = None,
                 action: tuple[str, Callable[[], None]] | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("toast")
        self.setAccessibleName(f"{key} message")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.row = row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        self.label = QLabel()
        self.label.setObjectName(f"banner_{key}")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.buttons = buttons = QVBoxLayout()
        buttons.setSpacing(4)
        self.action_btn = QPushButton()
        self.action_btn.setObjectName(f"banner_{key}_action")
        self.action_btn.setProperty("primary", True)
        self.action_btn.clicked.connect(self._act)
        buttons.addWidget(self.action_btn)
        self._on_close = on_close
        self._action: Callable[[], None] | None = None
        close = QPushButton("Dismiss")
        close.setAccessibleName(f"Dismiss {key} message")
        close.clicked.connect(lambda: on_close(key))
        buttons.addWidget(close)
        buttons.addStretch(1)
        row.addLayout(buttons)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        self.setGraphicsEffect(shadow)
        self.set_message(text, level, action)

    def set_narrow(self, narrow: bool) -> None:
        """Buttons under the text (narrow) or beside it. Beside it in the exam page's 196 px column, the text had
        80 px: a word like 'speech_prob' was cut, and the card's text cut at its top and bottom."""
        self.row.setDirection(QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight)
        self.buttons.setDirection(QBoxLayout.Direction.LeftToRight if narrow else QBoxLayout.Direction.TopToBottom)

    def _act(self) -> None:
        action = self._action
        self._on_close(self.key)
        if action is not None:
            action()

    def set_message(self, text: str, level: str, action: tuple[str, Callable[[], None]] | None = None) -> None:
        self.level = level
        self.label.setText(text)
        self._action = action[1] if action else None
        self.action_btn.setText(action[0] if action else "")
        self.action_btn.setVisible(action is not None)
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)


class BannerArea(QWidget):
    """A column of message cards floating over the top-right of its parent, `top` pixels down (so the exam page's
    top bar stays visible)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner_area")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._banners: dict[str, Banner] = {}
        self.top = 8
        self.max_width = WIDTH
        self.anchor: QWidget | None = None
        self.setVisible(False)
        if parent is not None:
            parent.installEventFilter(self)

    def show_banner(self, key: str, text: str, level: str = "info",
                    action: tuple[str, Callable[[], None]] | None = None) -> None:
        banner = self._banners.get(key)
        if banner is None:
            banner = Banner(key, text, level, self.clear_banner, self, action)
            self._banners[key] = banner
            self._layout.addWidget(banner)
        else:
            banner.set_message(text, level, action)
        self.setVisible(True)
        self.place()
        self.raise_()

    def clear_banner(self, key: str) -> None:
        banner = self._banners.pop(key, None)
        if banner is not None:
            banner.hide()
            self._layout.removeWidget(banner)
            banner.deleteLater()
        self.setVisible(bool(self._banners))
        self.place()

    def set_top(self, top: int, max_width: int = WIDTH, anchor: QWidget | None = None) -> None:
        """Where the cards go on the page shown: `top` px down, at most `max_width` wide (the exam page keeps them
        over its side column, so they never cover an answer). With an `anchor` (a widget of the page) they float
        over that widget's top right instead: the system check puts them over its camera picture, as at the top
        right of the page they covered the checklist items that say what to do."""
        if self.anchor is not None:
            self.anchor.removeEventFilter(self)
        self.top, self.max_width, self.anchor = top, max_width, anchor
        if anchor is not None:
            anchor.installEventFilter(self)      # it moves when the page is laid out or resized
        self.place()

    def place(self) -> None:
        host = self.parentWidget()
        if host is None:
            return
        from proctorprep.ui.widgets.warnings import fitted_height

        anchor = self.anchor
        if anchor is not None and host.isAncestorOf(anchor):
            origin = anchor.mapTo(host, QPoint(0, 0))
            width = min(self.max_width, max(180, anchor.width() - 16))
            right, top = origin.x() + anchor.width() - 8, origin.y() + 8
        else:
            width = min(self.max_width, max(180, host.width() - 24))
            right, top = host.width() - 12, self.top
        self.setFixedWidth(width)
        for b in self._banners.values():
            b.set_narrow(width < NARROW)
        height = sum(fitted_height(b, width) for b in self._banners.values()) + 6 * max(0, len(self._banners) - 1)
        self.setFixedHeight(max(1, height))
        self.move(right - width, top)
        self.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.place()
        elif obj is self.anchor and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.place()
        return False

    def text(self, key: str) -> str | None:
        b = self._banners.get(key)
        return b.label.text() if b else None

    def keys(self) -> list[str]:
        return list(self._banners)
