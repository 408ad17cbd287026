"""The open-book pane: the reference pages that come with a bank, read inside the exam. The clock keeps running
while it is open (reading costs exam time, as on the real exam); each page opened is journaled."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget


class ReferencePane(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("reference_pane")
        self.setMinimumWidth(300)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QLabel("Reference (open book) — the clock keeps running")
        head.setStyleSheet("font-weight: 600;")
        head.setWordWrap(True)          # the pane is 310 px at 1024x700: the line was cut at "keeps r"
        self.head = head
        lay.addWidget(head)
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(True)    # tabs wider than the pane scroll (ui/theme.py draws the arrows)
        self.tabs.setAccessibleName("Reference pages")
        lay.addWidget(self.tabs, 1)
        self.exam: Any = None
        self._loaded: set[int] = set()
        self.tabs.currentChanged.connect(self._load)

    def set_exam(self, exam: Any) -> None:
        """Fill the tabs with the bank's reference pages (their text is read when a tab is first shown)."""
        self.exam = exam
        self._loaded.clear()
        self.tabs.blockSignals(True)
        self.tabs.clear()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for ref in exam.bank.references:
            page = QPlainTextEdit()
            page.setReadOnly(True)
            page.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)   # tables in a reference page keep their columns
            page.setFont(mono)
            page.setAccessibleName(ref.title)
            self.tabs.addTab(page, ref.title.replace("&", "&&"))
        self.tabs.blockSignals(False)

    def _load(self, index: int) -> None:
        if self.exam is None or index < 0 or index in self._loaded:
            return
        self._loaded.add(index)
        self.tabs.widget(index).setPlainText(self.exam.reference_text(index))   # plain text: shown as written

    def open_current(self) -> None:
        """The pane is opened: read the page on show (the first time)."""
        self._load(self.tabs.currentIndex())
