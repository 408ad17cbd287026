"""Messages about the app itself (a device lost, the disk full, a file saved), keyed by topic ("camera",
"microphone", "disk", ...): a new message for the same topic replaces the old one, so a flapping device never piles
messages up. They float over the top-right corner of the pages as cards instead of taking layout space: a message
that comes or goes never moves the question or the control under the candidate's pointer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QFrame, QGraphicsDropShadowEffect, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

WIDTH = 400


class Banner(QFrame):
    def __init__(self, key: str, text: str, level: str, on_close, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("toast")
        self.setAccessibleName(f"{key} message")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        self.label = QLabel()
        self.label.setObjectName(f"banner_{key}")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        close = QPushButton("Dismiss")
        close.setAccessibleName(f"Dismiss {key} message")
        close.clicked.connect(lambda: on_close(key))
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        self.setGraphicsEffect(shadow)
        self.set_message(text, level)

    def set_message(self, text: str, level: str) -> None:
        self.level = level
        self.label.setText(text)
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)


class BannerArea(QWidget):
    """A column of message cards floating over the top-right of `parent` (give it with `attach`), `top` pixels
    down (the exam page's top bar stays visible)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner_area")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._banners: dict[str, Banner] = {}
        self.top = 8
        self.setVisible(False)
        if parent is not None:
            parent.installEventFilter(self)

    def show_banner(self, key: str, text: str, level: str = "info") -> None:
        banner = self._banners.get(key)
        if banner is None:
            banner = Banner(key, text, level, self.clear_banner, self)
            self._banners[key] = banner
            self._layout.addWidget(banner)
        else:
            banner.set_message(text, level)
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

    def set_top(self, top: int) -> None:
        self.top = top
        self.place()

    def place(self) -> None:
        host = self.parentWidget()
        if host is None:
            return
        width = min(WIDTH, max(240, host.width() - 24))
        self.setFixedWidth(width)
        from proctorprep.ui.widgets.warnings import fitted_height

        height = sum(fitted_height(b, width) for b in self._banners.values()) + 6 * max(0, len(self._banners) - 1)
        self.setFixedHeight(max(1, height))
        self.move(host.width() - width - 12, self.top)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.place()
        return False

    def text(self, key: str) -> str | None:
        b = self._banners.get(key)
        return b.label.text() if b else None

    def keys(self) -> list[str]:
        return list(self._banners)
