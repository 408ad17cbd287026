"""Quick round page: a handful of questions from a bank, no camera, no microphone, no clock — like a certification
renewal, to keep knowledge fresh between full mock exams. The round is recorded in the history as a "quick"
session (proctorprep.progress.quick_round) and earns no etiquette badges.

The views and their lifecycle are the shared round page (ui/widgets/round_parts.RoundPage); here: Previous is
allowed, and the results list what was right, with the explanations.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from proctorprep import paths
from proctorprep.exam.result import ExamResult
from proctorprep.progress.quick_round import DEFAULT_COUNT, QuickRound
from proctorprep.ui.context import AppContext
from proctorprep.ui.theme import colors
from proctorprep.ui.widgets.items.base import plain_label
from proctorprep.ui.widgets.round_parts import RoundPage, RoundText, fill_banks

TEXT = RoundText(
    key="quick", title="Quick round",
    blurb=("A handful of questions from a bank, with no camera, no microphone and no clock — like a certification "
           "renewal. It keeps your knowledge fresh between full mock exams. It is recorded in your history, but earns "
           "no etiquette badges."),
    start_label="Start the quick round", results_title="Quick round: your answers",
    again_label="Another quick round", counts=(3, 10, DEFAULT_COUNT))


def create_page(ctx: AppContext) -> QWidget:
    return QuickRoundPage(ctx)


class QuickRoundPage(RoundPage):
    def __init__(self, ctx: AppContext) -> None:
        # set by the journey page: a bank to preselect, skill areas to focus on, and why
        self.wanted_bank: str | None = None
        self.focus_skills: tuple[str, ...] = ()
        self.reason = ""
        super().__init__(ctx, TEXT)
        self.setup_note = self.note
        self.setup_note.setObjectName("quick_note")

    # ---- views

    def _question_buttons(self, row: QHBoxLayout) -> None:
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

    def _results_body(self, lay: QVBoxLayout) -> None:
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

    # ---- lifecycle

    def on_enter(self, bank_id: str | None = None, skills: tuple[str, ...] = (), reason: str = "",
                 **_kwargs) -> None:
        """`bank_id` preselects a bank; `skills` focuses the round on those skill areas (a practice plan's step);
        `reason` says why the candidate is here (the journey page's renewal or plan button)."""
        if bank_id is not None or skills or reason:
            self.wanted_bank, self.focus_skills, self.reason = bank_id, tuple(skills), reason
        if self.round is None:
            self._load()

    def _load(self) -> None:
        from proctorprep.exam.catalog import list_banks

        self.ready = False
        user_dir = paths.user_exams_dir(self.ctx.data_dir)
        self.ctx.run_background(lambda: list_banks(user_dir), self._banks_loaded, self._load_failed)

    def _banks_loaded(self, infos: list[Any]) -> None:
        fill_banks(self.bank_combo, [(i.id, f"{i.title} ({i.question_count} questions)") for i in infos
                                     if i.error is None], wanted=self.wanted_bank)
        ok = self.bank_combo.count() > 0
        self.start_btn.setEnabled(ok)
        focus = (f" Only questions on {', '.join(self.focus_skills)}." if self.focus_skills else "")
        self.setup_note.setText((f"{self.reason}.{focus}" if self.reason or focus else "") if ok
                                else "No question bank yet: import one on the Home page.")
        self.ready = True

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
        self._begin()

    def _show_question(self, header_tail: str = " (no time limit)") -> Any:
        view = super()._show_question(header_tail)
        self.prev_btn.setEnabled(view.index > 0)
        self.next_btn.setEnabled(view.index < view.total - 1)
        return view

    def _move(self, step: int) -> None:
        if self.round is None:
            return
        self._record()
        if self.round.session.goto(self.round.session.index + step):
            self._show_question()

    def submit(self) -> None:
        if self.round is None:
            return
        self._finish()
        self.round = None
        self._show_result_page()

    def abandon(self) -> None:
        if self.round is not None:
            self.round.abandon()
            self.round = None
            self.stack.setCurrentIndex(self.SETUP)

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
