"""A stack of dismissable banners keyed by topic ("camera", "microphone", "disk", ...): a new message for the same
topic replaces the old one, so a flapping device never piles banners up."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from proctorprep.ui.theme import colors


class Banner(QWidget):
    """One message; with an `action` (button text, callback) it also offers the one thing to do about it."""

    def __init__(self, key: str, text: str, level: str, on_close, parent: QWidget | None = None,
                 action: tuple[str, Callable[[], None]] | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"banner_{key}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.action_btn = QPushButton()
        self.action_btn.setObjectName(f"banner_{key}_action")
        self.action_btn.clicked.connect(self._act)
        row.addWidget(self.action_btn, 0, Qt.AlignmentFlag.AlignTop)
        self._on_close = on_close
        self._action: Callable[[], None] | None = None
        close = QPushButton("Dismiss")
        close.setAccessibleName(f"Dismiss {key} message")
        close.clicked.connect(lambda: on_close(key))
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.set_message(text, level, action)

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
        c = colors()
        colour = {"error": c.bad, "warning": c.warn}.get(level, c.accent)
        self.setStyleSheet(
            f"#banner_{self.key} {{ border: 1px solid {colour.name()}; border-left: 6px solid {colour.name()};"
            f" border-radius: 4px; }}"
        )


class BannerArea(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 0)
        self._layout.setSpacing(4)
        self._banners: dict[str, Banner] = {}
        self.setVisible(False)

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

    def clear_banner(self, key: str) -> None:
        banner = self._banners.pop(key, None)
        if banner is not None:
            banner.hide()
            banner.deleteLater()
        self.setVisible(bool(self._banners))

    def text(self, key: str) -> str | None:
        b = self._banners.get(key)
        return b.label.text() if b else None

    def keys(self) -> list[str]:
        return list(self._banners)
