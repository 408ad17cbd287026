"""Actions registered by key (menu entries and keyboard shortcuts), so pages add their own without the main window
knowing them. An action bound to a page is enabled only while that page is shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence


@dataclass
class _Entry:
    action: QAction
    page: str | None


class ActionRegistry(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._entries: dict[str, _Entry] = {}
        self._current_page: str | None = None
        self._menus: dict[str, object] = {}

    def register(self, key: str, text: str, shortcut: str | QKeySequence.StandardKey | None,
                 handler: Callable[[], None], page: str | None = None, menu: str | None = None) -> QAction:
        """Register (or re-bind) the action `key`; `page` limits it to when that page is shown; `menu` also lists it
        in that menu of the window's menu bar (so every shortcut can be found)."""
        if key in self._entries:
            old = self._entries.pop(key).action
            old.setParent(None)
            old.deleteLater()
        action = QAction(text, self.parent())
        action.setObjectName(f"action_{key}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: handler())
        self.parent().addAction(action)   # type: ignore[union-attr]
        self._entries[key] = _Entry(action, page)
        action.setEnabled(page is None or page == self._current_page)
        if menu is not None:
            self._menu(menu).addAction(action)
        return action

    def _menu(self, title: str):
        if title not in self._menus:
            bar = self.parent().menuBar()   # type: ignore[union-attr]
            self._menus[title] = bar.addMenu(title)
        return self._menus[title]

    def get(self, key: str) -> QAction:
        return self._entries[key].action

    def keys(self) -> list[str]:
        return list(self._entries)

    def trigger(self, key: str) -> None:
        action = self.get(key)
        if action.isEnabled():
            action.trigger()

    def page_changed(self, page: str) -> None:
        self._current_page = page
        for entry in self._entries.values():
            if entry.page is not None:
                entry.action.setEnabled(entry.page == page)
