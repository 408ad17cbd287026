"""What the quick-round and renewal pages share: the bank picker, the length box, the slot that swaps one item
widget for the next, and the round page itself (`RoundPage`: setup, question and results views and their
lifecycle), so each page holds only what makes its round different."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QLayout, QPushButton, QScrollArea, QSpinBox, QStackedWidget,
    QVBoxLayout, QWidget,
)

from proctorprep.ui.widgets.items import make_item_widget
from proctorprep.ui.widgets.items.base import ItemWidget, plain_label


def bank_combo(object_name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(object_name)
    combo.setAccessibleName("Question bank")
    combo.setMinimumContentsLength(40)
    return combo


def fill_banks(combo: QComboBox, entries: list[tuple[str, str]], wanted: str | None = None) -> None:
    """(bank id, label) rows, selecting `wanted` (a page opened for one bank) or else keeping the choice the
    candidate had made, if it is still there."""
    current = wanted if wanted is not None else combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for bank_id, label in entries:
        combo.addItem(label, bank_id)
    if current is not None and combo.findData(current) >= 0:
        combo.setCurrentIndex(combo.findData(current))
    combo.blockSignals(False)


def count_spin(lo: int, hi: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(lo, hi)
    spin.setValue(value)
    spin.setSuffix(" questions")
    spin.setAccessibleName("Number of questions")
    return spin


class ItemSlot:
    """The one place in a layout where the current question's item widget sits."""

    def __init__(self, layout: QLayout) -> None:
        self.layout = layout
        self.item: ItemWidget | None = None

    def show(self, view: Any, on_change: Callable[[], None]) -> ItemWidget:
        if self.item is not None:
            self.layout.removeWidget(self.item)
            self.item.deleteLater()
        self.item = make_item_widget(view)
        self.item.changed.connect(on_change)
        self.layout.addWidget(self.item)
        return self.item


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 18pt; font-weight: 600;")
    return label


@dataclass(frozen=True, slots=True)
class RoundText:
    """What a round page says: its names (`key` prefixes the object names tests and screen readers find)."""

    key: str                  # "quick" | "renewal"
    title: str
    blurb: str
    start_label: str
    results_title: str
    again_label: str
    counts: tuple[int, int, int]     # lowest, highest, default number of questions


class RoundPage(QWidget):
    """The page both rounds are (quick round, renewal round): a stack of three views — choose a bank and a length;
    answer the questions one at a time with the exam's item widgets; the results — and the lifecycle around them.
    A subclass says what differs: how banks load (`_load`), the buttons under a question (`_question_buttons`),
    the results (`_results_body`, `_show_results`) and how a round starts and ends."""

    SETUP, QUESTION, RESULTS = range(3)

    def __init__(self, ctx: Any, text: RoundText) -> None:
        super().__init__()
        self.ctx = ctx
        self.text = text
        self.round: Any = None
        self.item: ItemWidget | None = None
        self.result: Any = None
        self.ready = False           # the bank list has arrived (the screenshot tour waits for it)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.stack.addWidget(self._build_setup())
        self.stack.addWidget(self._build_question())
        self.stack.addWidget(self._build_results())

    # ---- views

    def _build_setup(self) -> QWidget:
        t = self.text
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(page_title(t.title))
        lay.addWidget(plain_label(t.blurb))
        form = QFormLayout()
        self.bank_combo = bank_combo(f"{t.key}_bank")
        form.addRow("Question bank:", self.bank_combo)
        self.count = count_spin(*t.counts)
        form.addRow("Length:", self.count)
        lay.addLayout(form)
        self.note = plain_label("Loading the question banks…")
        lay.addWidget(self.note)
        self.start_btn = QPushButton(t.start_label)
        self.start_btn.setObjectName(f"{t.key}_start")
        self.start_btn.setEnabled(False)
        self.start_btn.clicked.connect(lambda: self.start())
        lay.addWidget(self.start_btn, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        return w

    def _build_question(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.head_row = QHBoxLayout()
        self.q_header = QLabel()
        self.q_header.setObjectName(f"{self.text.key}_header")
        self.q_header.setStyleSheet("font-weight: 600;")
        self.head_row.addWidget(self.q_header, 1)
        lay.addLayout(self.head_row)
        self.prompt = plain_label("")
        self.prompt.setObjectName(f"{self.text.key}_prompt")
        self.prompt.setStyleSheet("font-size: 12pt;")
        lay.addWidget(self.prompt)
        scroll = QScrollArea()               # a tall item (a picture, a dialog) scrolls at 1024x700
        scroll.setWidgetResizable(True)
        host = QWidget()
        self.item_holder = QVBoxLayout(host)
        self.slot = ItemSlot(self.item_holder)
        scroll.setWidget(host)
        lay.addWidget(scroll, 1)
        row = QHBoxLayout()
        self._question_buttons(row)
        lay.addLayout(row)
        return w

    def _build_results(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(page_title(self.text.results_title))
        self._results_body(lay)
        row = QHBoxLayout()
        again = QPushButton(self.text.again_label)
        again.clicked.connect(self._back_to_setup)
        badges = QPushButton("Badges and progress")
        badges.clicked.connect(lambda: self.ctx.navigate("badges"))
        row.addWidget(again)
        row.addWidget(badges)
        row.addStretch(1)
        lay.addLayout(row)
        return w

    def _question_buttons(self, row: QHBoxLayout) -> None:
        raise NotImplementedError

    def _results_body(self, lay: QVBoxLayout) -> None:
        raise NotImplementedError

    # ---- lifecycle

    def on_leave(self) -> None:
        self.abandon()

    def shutdown(self) -> None:
        self.abandon()

    def _load(self) -> None:
        raise NotImplementedError

    def _load_failed(self, msg: str) -> None:
        self.ready = True
        self.note.setText(f"Could not list the question banks: {msg}")

    def _back_to_setup(self) -> None:
        self.stack.setCurrentIndex(self.SETUP)
        self._load()

    def abandon(self) -> None:
        raise NotImplementedError

    def start(self, bank: Any = None, seed: int | None = None) -> None:
        raise NotImplementedError

    # ---- the round

    def _begin(self) -> None:
        """The round object is made: start it and show its first question."""
        self.round.start()
        self.stack.setCurrentIndex(self.QUESTION)
        self._show_question()

    def _show_question(self, header_tail: str = "") -> Any:
        view = self.round.session.current
        self.q_header.setText(f"Question {view.number} of {view.total} — {view.question.skill}{header_tail}")
        self.prompt.setText(view.question.prompt)
        self.item = self.slot.show(view, self._record)
        return view

    def _record(self) -> None:
        if self.round is not None and self.item is not None:
            self.round.session.answer(self.item.question.id, self.item.response())

    def _finish(self) -> Any:
        """Submit the round; the page shows its results."""
        self._record()
        self.result = self.round.submit()
        return self.result

    def _show_result_page(self) -> None:
        self._show_results(self.result)
        self.stack.setCurrentIndex(self.RESULTS)

    def _show_results(self, result: Any) -> None:
        raise NotImplementedError
