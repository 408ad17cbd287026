"""The main window: a navigation list, a stack of pages created on first show, and a banner area. It owns no
devices, timers or session state (those live in SessionController and the pages)."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QStackedWidget, QWidget,
)

from proctorprep.ui.actions import ActionRegistry
from proctorprep.ui.background import BackgroundRunner
from proctorprep.ui.context import AppContext
from proctorprep.ui.pages import PageSpec, available_pages, page_spec
from proctorprep.ui.widgets.banner import BannerArea

log = logging.getLogger(__name__)

NAV_WIDTH = 176          # the navigation list's least width
NAV_ITEM_MARGIN = 6      # QListWidget#navigation::item's margin in ui/theme.py


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        if ctx.actions is None:
            ctx.actions = ActionRegistry(self)
        if ctx.runner is None:
            ctx.runner = BackgroundRunner(self)
        ctx.window = self
        ctx.navigate = self.navigate
        ctx.lock_navigation = self.lock_navigation
        self.setWindowTitle("proctorprep — mock exam with a practice proctor")
        self._pages: dict[str, QWidget] = {}
        self._current: str | None = None
        self._specs = available_pages()

        central = QWidget()
        body = QHBoxLayout(central)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Pages")
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for spec in self._specs:
            if spec.in_nav:
                item = QListWidgetItem(spec.title)
                item.setData(Qt.ItemDataRole.UserRole, spec.key)
                if spec.icon:
                    item.setData(Qt.ItemDataRole.UserRole + 1, spec.icon)
                self.nav.addItem(item)
        self._paint_nav_icons()
        self._fit_nav_width()
        self.nav.itemActivated.connect(self._nav_activated)
        self.nav.itemClicked.connect(self._nav_activated)
        body.addWidget(self.nav)
        self.stack = QStackedWidget()
        body.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # Messages float over the pages (never pushing a page's content down), below a page's top bar.
        self.banners = BannerArea(self.stack)

        ctx.show_banner = self.banners.show_banner
        ctx.clear_banner = self.banners.clear_banner
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self._build_menu()

    # -- navigation ---------------------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        go = self.menuBar().addMenu("&Go")
        n = 1
        for spec in self._specs:
            if not spec.in_nav:
                continue
            action = self.ctx.actions.register(
                f"go_{spec.key}", spec.title, f"Ctrl+{n}" if n <= 9 else None,
                lambda key=spec.key: self.navigate(key))
            go.addAction(action)
            n += 1
        go.addSeparator()
        go.addAction(self.ctx.actions.register("quit", "&Quit", QKeySequence.StandardKey.Quit, self.close))

    def _nav_activated(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        if key != self._current:
            self.navigate(key)

    def page(self, key: str) -> QWidget:
        """The page widget for `key`, created (module imported) on first use."""
        if key not in self._pages:
            spec: PageSpec = page_spec(key)
            module = importlib.import_module(spec.module)
            widget = module.create_page(self.ctx)
            widget.setObjectName(f"page_{key}")
            self._pages[key] = widget
            self.stack.addWidget(widget)
        return self._pages[key]

    @property
    def current_key(self) -> str | None:
        return self._current

    def current_page(self) -> QWidget | None:
        return self._pages.get(self._current) if self._current else None

    def navigate(self, key: str, **kwargs: Any) -> None:
        if self.nav.isEnabled() is False and page_spec(key).in_nav and key != "results":
            # During an exam the navigation is locked, as in a real test centre.
            return
        widget = self.page(key)
        old = self.current_page()
        if old is not None and old is not widget and hasattr(old, "on_leave"):
            old.on_leave()
        self._current = key
        self.stack.setCurrentWidget(widget)
        self.banners.set_top(int(getattr(widget, "overlay_top", 8)), int(getattr(widget, "overlay_width", 400)),
                             getattr(widget, "overlay_anchor", None))
        self.banners.raise_()
        self.ctx.actions.page_changed(key)
        self._select_nav(key)
        if hasattr(widget, "on_enter"):
            widget.on_enter(**kwargs)

    def _select_nav(self, key: str) -> None:
        self.nav.blockSignals(True)
        self.nav.clearSelection()
        for i in range(self.nav.count()):
            item = self.nav.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentItem(item)
        self.nav.blockSignals(False)

    def lock_navigation(self, locked: bool) -> None:
        # During the exam the navigation is locked and hidden: the exam has the whole window, as on a real
        # exam client (and a long case study has the room it needs at 1024 px).
        self.nav.setEnabled(not locked)
        self.nav.setVisible(not locked)
        for spec in self._specs:
            if spec.in_nav:
                self.ctx.actions.get(f"go_{spec.key}").setEnabled(not locked)

    def _fit_nav_width(self) -> None:
        """As wide as the longest page name needs ("Renewal round" was elided at a fixed 176 px), never narrower."""
        self.nav.ensurePolished()
        # the items' hint leaves out their stylesheet margin (6 px a side) and the list's 1 px border on the right
        self.nav.setFixedWidth(max(NAV_WIDTH, self.nav.sizeHintForColumn(0) + 2 * NAV_ITEM_MARGIN + 2))

    def _paint_nav_icons(self) -> None:
        from proctorprep.ui.icons import icon

        for i in range(self.nav.count()):
            item = self.nav.item(i)
            name = item.data(Qt.ItemDataRole.UserRole + 1)
            if name:
                item.setIcon(icon(name))

    def apply_theme(self, choice: str) -> None:
        """Switch light/dark now (Settings calls this): palette and stylesheet for the whole app, icons re-tinted,
        every page told so it can redraw what it paints itself."""
        from PySide6.QtWidgets import QApplication

        from proctorprep.ui import theme

        theme.apply_theme(QApplication.instance(), choice)
        self._paint_nav_icons()
        from proctorprep.ui.icons import retint_icons

        retint_icons(self)
        for widget in self._pages.values():
            if hasattr(widget, "theme_changed"):
                widget.theme_changed()
            widget.update()

    # -- shutdown -----------------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        exam = getattr(self.ctx.session, "exam", None)
        if exam is not None and not exam.finished and not getattr(self, "_leave_confirmed", False):
            # Closing mid-exam loses nothing (the journal keeps it and the next start offers to finish the report),
            # but it should never happen by accident.
            event.ignore()
            self._ask_leave()
            return
        self.shutdown()
        super().closeEvent(event)

    def _ask_leave(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Leave the exam?",
                          "The exam is still running. If you quit now, everything so far is kept and the next start "
                          "offers to finish the report.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Yes).setText("Quit anyway")
        box.button(QMessageBox.StandardButton.No).setText("Back to the exam")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setObjectName("leave_dialog")

        def done(_result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                self._leave_confirmed = True
                self.close()

        box.finished.connect(done)
        self.leave_dialog = box
        box.open()

    def shutdown(self) -> None:
        """Stop every thread the app started: pages first, then the live session, then background jobs."""
        for widget in list(self._pages.values()):
            if hasattr(widget, "shutdown"):
                try:
                    widget.shutdown()
                except Exception:   # one page failing to stop must not keep the others running
                    log.exception("page shutdown failed")
        if self.ctx.session is not None:
            self.ctx.session.shutdown()
        self.ctx.runner.shutdown()
