"""The review screen: every question with its state, filters (all, answered, unanswered, marked, incomplete), open
any question that is not locked, and submit. In a bank with sections it is the review of the current section:
later sections' questions are listed but not open yet, and its button finishes the section (after a confirmation)
instead of the exam, until the last section."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from proctorprep.ui.context import AppContext
from proctorprep.ui.widgets.common import page_title, plain_label
from proctorprep.wording import plural

FILTER_TEXT = {"all": "All questions", "answered": "Answered", "unanswered": "Unanswered or incomplete",
               "marked": "Marked for review", "incomplete": "Incomplete"}


def create_page(ctx: AppContext) -> QWidget:
    return ReviewPage(ctx)


class ReviewPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[Any] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(page_title("Review your answers"))
        top = QHBoxLayout()
        top.addWidget(QLabel("Show:"))
        self.filter = QComboBox()
        self.filter.setObjectName("review_filter")
        for key, text in FILTER_TEXT.items():
            self.filter.addItem(text, key)
        self.filter.currentIndexChanged.connect(self.refresh)
        top.addWidget(self.filter)
        top.addStretch(1)
        self.summary = plain_label("", wrap=False)
        self.summary.setObjectName("review_summary")
        top.addWidget(self.summary)
        self.clock = plain_label("", wrap=False)
        top.addWidget(self.clock)
        lay.addLayout(top)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("review_table")
        self.table.setHorizontalHeaderLabels(["#", "Status", "Marked", "Section", "Question"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setIconSize(QSize(36, 28))          # a question's picture as a thumbnail, still recognisable
        h = self.table.horizontalHeader()
        for col in range(4):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(lambda it: self.open_row(it.row()))
        lay.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.back_btn = QPushButton("←  Back to the question")
        self.back_btn.clicked.connect(lambda: ctx.navigate("exam"))
        bottom.addWidget(self.back_btn)
        self.open_btn = QPushButton("Open selected question")
        self.open_btn.clicked.connect(lambda: self.open_row(self.table.currentRow()))
        bottom.addWidget(self.open_btn)
        bottom.addStretch(1)
        self.confirm = plain_label("", wrap=True)
        self.confirm.setObjectName("submit_confirm")
        bottom.addWidget(self.confirm, 1)
        self.submit_btn = QPushButton("End the exam…")
        self.submit_btn.setObjectName("submit_button")
        self.submit_btn.clicked.connect(self.ask_submit)
        bottom.addWidget(self.submit_btn)
        self.confirm_btn = QPushButton("Yes, submit my answers")
        self.confirm_btn.setObjectName("confirm_submit")
        self.confirm_btn.clicked.connect(self.submit)
        self.confirm_btn.hide()
        bottom.addWidget(self.confirm_btn)
        lay.addLayout(bottom)
        ctx.actions.register("review_back", "Back to the question", "Alt+B", lambda: ctx.navigate("exam"),
                             page="review", menu="&Exam" if hasattr(ctx.window, "menuBar") else None)

    def on_enter(self, **_kw: Any) -> None:
        self.confirm.setText("")
        self.confirm_btn.hide()
        self.confirm_btn.setEnabled(True)
        self.submit_btn.show()
        exam = self.ctx.session.exam
        if exam is not None:
            exam.open_review()
        more = exam is not None and exam.next_section_start() is not None
        self.submit_btn.setText("Finish this section…" if more else "End the exam…")
        self.confirm_btn.setText("Yes, finish this section" if more else "Yes, submit my answers")
        self.refresh()
        self.table.setFocus()

    def set_filter(self, key: str) -> None:
        self.filter.setCurrentIndex(self.filter.findData(key))

    def refresh(self) -> None:
        exam = self.ctx.session.exam
        if exam is None:
            return
        from proctorprep.exam.review import summarize

        which = self.filter.currentData() or "all"
        self.rows = exam.review(which)
        s = summarize(exam.review("all"))
        self.summary.setText(f"{s.answered} answered · {s.unanswered + s.incomplete} to do · {s.marked} marked")
        self.table.setRowCount(len(self.rows))
        status_text = {"answered": "Answered", "incomplete": "Incomplete", "unanswered": "Not answered"}
        self.table.setColumnHidden(3, not exam.sections)
        for r, row in enumerate(self.rows):
            state = status_text.get(row.status, row.status) + (
                " (locked)" if row.locked else " (later section)" if row.ahead else "")
            cells = [str(row.number), state, "Marked" if row.marked else "", row.section or "", row.excerpt]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)          # table items are plain text
                if row.locked or row.ahead:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(r, c, item)
            self._picture(r, exam, row)
        if self.rows:
            self.table.selectRow(0)
        from proctorprep.ui.pages.exam import format_clock

        self.clock.setText(f"  Time left {format_clock(exam.remaining_s())}")

    def _picture(self, r: int, exam: Any, row: Any) -> None:
        """A question with pictures (its own, or on its options) shows the first as a small thumbnail."""
        from proctorprep.ui.widgets.items.image import thumbnail

        q = exam.bank.question(row.qid)
        path = q.image or next((o.image for o in q.options if o.image), None)
        icon = thumbnail(exam.bank.assets, path, 40) if path else None
        if icon is not None:
            item = self.table.item(r, 4)
            item.setIcon(icon)
            item.setToolTip("This question has pictures")

    def open_row(self, r: int) -> None:
        if not 0 <= r < len(self.rows) or self.rows[r].locked or self.rows[r].ahead:
            return
        exam = self.ctx.session.exam
        if exam is not None and exam.goto(self.rows[r].index):
            self.ctx.navigate("exam")

    def ask_submit(self) -> None:
        from proctorprep.exam.review import summarize

        exam = self.ctx.session.exam
        part = exam.current_section() if exam.next_section_start() is not None else None
        rows = [r for r in exam.review("all") if part is None or r.section == part.title]
        s = summarize(rows)
        todo = s.unanswered + s.incomplete
        self.confirm.setText((f"{plural(todo, 'question')} {'is' if todo == 1 else 'are'} not fully answered. "
                              if todo else "")
                             + ("After you submit you cannot change your answers." if part is None else
                                f"After you finish {part.title} you cannot come back to its questions."))
        self.submit_btn.hide()
        self.confirm_btn.show()
        self.confirm_btn.setFocus()

    def submit(self) -> None:
        exam = self.ctx.session.exam
        nxt = exam.next_section_start() if exam is not None else None
        if nxt is not None:            # the end of a section, not of the exam: on to the next one
            if exam.goto(nxt):
                self.ctx.navigate("exam")
            return
        self.confirm_btn.setEnabled(False)
        self.confirm.setText("Submitting… the report is being prepared.")
        # The exam page listens for the finished session and opens the results.
        self.ctx.session.finish_exam("submitted")
