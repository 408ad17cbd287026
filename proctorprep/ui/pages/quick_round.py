"""Quick round page: a handful of questions from a bank, no camera, no microphone, no clock — like a certification
renewal, to keep knowledge fresh between full mock exams. The round is recorded in the history as a "quick"
session (proctorprep.progress.quick_round) and earns no etiquette badges.

Three views in a stack: choose a bank and how many questions; answer them one by one (the item widgets of the exam
page); see what was right, with the explanations.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QStackedWidget, QVBoxLayout, QWidget,
)

from proctorprep import paths
from proctorprep.exam.result import ExamResult
from proctorprep.progress.quick_round import DEFAULT_COUNT, QuickRound
from proctorprep.ui.context import AppContext
from proctorprep.ui.theme import colors
from proctorprep.ui.widgets.items.base import ItemWidget, plain_label
from proctorprep.ui.widgets.round_parts import ItemSlot, bank_combo, count_spin, fill_banks


def create_page(ctx: AppContext) -> QWidget:
    return QuickRoundPage(ctx)


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 18pt; font-weight: 600;")
    return label


class QuickRoundPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.round: QuickRound | None = None
        # set by the journey page: a bank to preselect, skill areas to focus on, and why
        self.wanted_bank: str | None = None
        self.focus_skills: tuple[str, ...] = ()
        self.reason = ""
        self.item: ItemWidget | None = None
        self.result: ExamResult | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.stack.addWidget(self._build_setup())
        self.stack.addWidget(self._build_question())
        self.stack.addWidget(self._build_results())

    # ---- views

    def _build_setup(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(_title("Quick round"))
        lay.addWidget(plain_label("A handful of questions from a bank, with no camera, no microphone and no clock — "
                                  "like a certification renewal. It keeps your knowledge fresh between full mock "
                                  "exams. It is recorded in your history, but earns no etiquette badges."))
        form = QFormLayout()
        self.bank_combo = bank_combo("quick_bank")
        form.addRow("Question bank:", self.bank_combo)
        self.count = count_spin(3, 10, DEFAULT_COUNT)
        form.addRow("Length:", self.count)
        lay.addLayout(form)
        self.setup_note = plain_label("Loading the question banks…")
        self.setup_note.setObjectName("quick_note")
        lay.addWidget(self.setup_note)
        self.start_btn = QPushButton("Start the quick round")
        self.start_btn.setObjectName("quick_start")
        self.start_btn.setEnabled(False)
        self.start_btn.clicked.connect(lambda: self.start())
        lay.addWidget(self.start_btn, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        return w

    def _build_question(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.q_header = QLabel()
        self.q_header.setObjectName("quick_header")
        self.q_header.setStyleSheet("font-weight: 600;")
        lay.addWidget(self.q_header)
        self.prompt = plain_label("")
        self.prompt.setObjectName("quick_prompt")
        self.prompt.setStyleSheet("font-size: 12pt;")
        lay.addWidget(self.prompt)
        self.item_holder = QVBoxLayout()
        self.slot = ItemSlot(self.item_holder)
        lay.addLayout(self.item_holder, 1)
        row = QHBoxLayout()
        self.prev_btn = QPushButton("Previous")
        self.prev_btn.clicked.connect(lambda: self._move(-1))
        self.next_btn = QPushButton("Next")
        self.next_btn.clicked.connect(lambda: self._move(+1))
        self.submit_btn = QPushButton("Finish and check my answers")
        self.submit_btn.setObjectName("quick_submit")
        self.submit_btn.clicked.connect(self.submit)
        self.quit_btn = QPushButton("Stop without checking")
        self.quit_btn.clicked.connect(self.abandon)
        for b in (self.prev_btn, self.next_btn):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.quit_btn)
        row.addWidget(self.submit_btn)
        lay.addLayout(row)
        return w

    def _build_results(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(_title("Quick round: your answers"))
        self.score_label = plain_label("")
        self.score_label.setObjectName("quick_score")
        self.score_label.setStyleSheet("font-size: 12pt;")
        lay.addWidget(self.score_label)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.rows_box = QWidget()
        self.rows = QVBoxLayout(self.rows_box)
        scroll.setWidget(self.rows_box)
        lay.addWidget(scroll, 1)
        row = QHBoxLayout()
        again = QPushButton("Another quick round")
        again.clicked.connect(self._back_to_setup)
        badges = QPushButton("Badges and progress")
        badges.clicked.connect(lambda: self.ctx.navigate("badges"))
        row.addWidget(again)
        row.addWidget(badges)
        row.addStretch(1)
        lay.addLayout(row)
        return w

    # ---- lifecycle

    def on_enter(self, bank_id: str | None = None, skills: tuple[str, ...] = (), reason: str = "",
                 **_kwargs) -> None:
        """`bank_id` preselects a bank; `skills` focuses the round on those skill areas (a practice plan's step);
        `reason` says why the candidate is here (the journey page's renewal or plan button)."""
        if bank_id is not None or skills or reason:
            self.wanted_bank, self.focus_skills, self.reason = bank_id, tuple(skills), reason
        if self.round is None:
            self._load_banks()

    def on_leave(self) -> None:
        self.abandon()

    def shutdown(self) -> None:
        self.abandon()

    def _load_banks(self) -> None:
        from proctorprep.exam.catalog import list_banks

        user_dir = paths.user_exams_dir(self.ctx.data_dir)
        self.ctx.run_background(lambda: list_banks(user_dir), self._banks_loaded,
                                lambda msg: self.setup_note.setText(f"Could not list the question banks: {msg}"))

    def _banks_loaded(self, infos: list[Any]) -> None:
        fill_banks(self.bank_combo, [(i.id, f"{i.title} ({i.question_count} questions)") for i in infos
                                     if i.error is None], wanted=self.wanted_bank)
        ok = self.bank_combo.count() > 0
        self.start_btn.setEnabled(ok)
        focus = (f" Only questions on {', '.join(self.focus_skills)}." if self.focus_skills else "")
        self.setup_note.setText((f"{self.reason}.{focus}" if self.reason or focus else "") if ok
                                else "No question bank yet: import one on the Home page.")

    # ---- the round

    def start(self, bank: Any = None, seed: int | None = None) -> None:
        """Start a round from the chosen bank (tests may pass a Bank directly)."""
        if bank is None:
            from proctorprep.exam.catalog import find_bank
            from proctorprep.exam.errors import BankError

            try:
                bank = find_bank(self.bank_combo.currentData(), paths.user_exams_dir(self.ctx.data_dir))
            except BankError as exc:
                self.setup_note.setText(str(exc))
                return
        skills = self.focus_skills if self.focus_skills and bank.id == self.wanted_bank else ()
        try:
            self.round = QuickRound(bank, self.ctx.sessions_dir, count=self.count.value(), seed=seed,
                                    on_error=lambda m: self.ctx.show_banner("disk", m, "warning"),
                                    candidate_name=self.ctx.settings.candidate_name, skills=skills)
        except ValueError as exc:           # the bank has no question on the plan's skill (it was edited since)
            self.setup_note.setText(str(exc))
            return
        self.round.start()
        self.stack.setCurrentIndex(1)
        self._show_question()

    def _show_question(self) -> None:
        assert self.round is not None
        s = self.round.session
        view = s.current
        self.q_header.setText(f"Question {view.number} of {view.total} — {view.question.skill} (no time limit)")
        self.prompt.setText(view.question.prompt)
        self.item = self.slot.show(view, self._record)
        self.prev_btn.setEnabled(view.index > 0)
        self.next_btn.setEnabled(view.index < view.total - 1)

    def _record(self) -> None:
        if self.round is not None and self.item is not None:
            self.round.session.answer(self.item.question.id, self.item.response())

    def _move(self, step: int) -> None:
        if self.round is None:
            return
        self._record()
        if self.round.session.goto(self.round.session.index + step):
            self._show_question()

    def submit(self) -> None:
        if self.round is None:
            return
        self._record()
        self.result = self.round.submit()
        self.round = None
        self._show_results(self.result)
        self.stack.setCurrentIndex(2)

    def abandon(self) -> None:
        if self.round is not None:
            self.round.abandon()
            self.round = None
            self.stack.setCurrentIndex(0)

    def _back_to_setup(self) -> None:
        self.stack.setCurrentIndex(0)
        self._load_banks()

    def _show_results(self, result: ExamResult) -> None:
        right = sum(1 for r in result.rows if r.credit >= 1.0)
        self.score_label.setText(f"{right} of {len(result.rows)} right (score {result.score} of 1000). "
                                 "Recorded in your history as a quick round.")
        while self.rows.count():
            child = self.rows.takeAt(0).widget()
            if child is not None:
                child.deleteLater()
        ok, bad = colors().ok.name(), colors().bad.name()
        for r in result.rows:
            verdict = "Right" if r.credit >= 1.0 else ("Partly right" if r.credit > 0 else "Wrong")
            head = plain_label(f"{r.number}. {verdict} — {r.prompt}")
            head.setStyleSheet(f"font-weight: 600; color: {ok if r.credit >= 1.0 else bad};")
            self.rows.addWidget(head)
            if r.explanation:
                self.rows.addWidget(plain_label(r.explanation))
        self.rows.addStretch(1)
