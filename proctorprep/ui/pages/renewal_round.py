"""Renewal round page: the certification renewal assessment as Microsoft runs it — choose a bank, 25-40 questions
drawn across its skills, no camera, no microphone, no clock, no going back, results by skill area, and after two
failed attempts in a row a 24-hour wait (proctorprep.progress.renewal_round holds the rules; this page only shows them).

The views and their lifecycle are the shared round page (ui/widgets/round_parts.RoundPage); here: the attempt
rule's state on the setup view, Next only (a question left is locked) and results by skill area.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QMessageBox, QProgressBar, QPushButton, QVBoxLayout, QWidget,
)

from proctorprep import paths
from proctorprep.exam.renewal import DEFAULT_QUESTIONS, MAX_QUESTIONS, MIN_QUESTIONS
from proctorprep.exam.result import ExamResult
from proctorprep.ui.context import AppContext
from proctorprep.ui.widgets.items.base import plain_label
from proctorprep.ui.widgets.round_parts import RoundPage, RoundText, fill_banks

TEXT = RoundText(
    key="renewal", title="Renewal round",
    blurb=(f"Like the renewal assessment of a certification: {MIN_QUESTIONS}-{MAX_QUESTIONS} questions drawn across "
           "the bank's skill areas, with no proctor — no camera, no microphone, no need to clear your desk — and no "
           "clock. There is no going back: once you press Next, the question is locked. You see your results by "
           "skill area at the end. After two failed attempts in a row, the next one opens 24 hours after the last."),
    start_label="Start the renewal round", results_title="Renewal round: your results",
    again_label="Back to the renewal page", counts=(MIN_QUESTIONS, MAX_QUESTIONS, DEFAULT_QUESTIONS))


def create_page(ctx: AppContext) -> QWidget:
    return RenewalPage(ctx)


class RenewalPage(RoundPage):
    def __init__(self, ctx: AppContext, now: Callable[[], datetime] | None = None) -> None:
        self.now = now or (lambda: datetime.now().astimezone())   # the attempt rule's clock (a fake in tests)
        self.attempts: list[Any] = []
        self.banks: dict[str, Any] = {}
        self.wanted_bank: str | None = None
        self.reason = ""
        super().__init__(ctx, TEXT)
        self.gate_note = self.note
        self.gate_note.setObjectName("renewal_gate")
        self.bank_combo.currentIndexChanged.connect(lambda _i: self._update_gate())
        # The numbers beside the bar, not on it: drawn on the bar they sat at its top left edge, and on the dark
        # theme's light blue fill they were light grey on light blue (about 2:1).
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(200)
        self.bar.setAccessibleName("Progress through the round")
        self.bar_text = plain_label("", wrap=False)
        self.bar_text.setObjectName("renewal_progress")
        self.head_row.addWidget(self.bar_text)
        self.head_row.addWidget(self.bar)

    # ---- views

    def _question_buttons(self, row: QHBoxLayout) -> None:
        self.quit_btn = QPushButton("Stop (counts as a failed attempt)")
        self.quit_btn.setObjectName("renewal_quit")
        self.quit_btn.clicked.connect(self.ask_abandon)
        row.addWidget(self.quit_btn)
        row.addStretch(1)
        row.addWidget(plain_label("No going back: Next locks this question.", wrap=False))
        self.next_btn = QPushButton("Next  →")
        self.next_btn.setObjectName("renewal_next")
        self.next_btn.setShortcut("Alt+N")
        self.next_btn.clicked.connect(self.next)
        row.addWidget(self.next_btn)

    def _results_body(self, lay: QVBoxLayout) -> None:
        self.verdict = plain_label("")
        self.verdict.setObjectName("renewal_verdict")
        self.verdict.setStyleSheet("font-size: 14pt; font-weight: 600;")
        lay.addWidget(self.verdict)
        self.detail = plain_label("")
        self.detail.setObjectName("renewal_detail")
        lay.addWidget(self.detail)
        self.skills_box = QWidget()
        self.skills = QFormLayout(self.skills_box)
        lay.addWidget(self.skills_box)
        lay.addStretch(1)

    # ---- lifecycle

    def on_enter(self, bank_id: str | None = None, reason: str = "", **_kwargs: Any) -> None:
        """Opened from Home (the bank chosen there) or from a renewal reminder (the certification's bank)."""
        if bank_id is not None:
            self.wanted_bank = bank_id
        self.reason = reason
        if self.round is None:
            self._load()

    def _load(self) -> None:
        from proctorprep.exam.catalog import loaded_banks
        from proctorprep.exam.renewal import can_renew
        from proctorprep.progress.renewal_round import load_attempts

        user_dir = paths.user_exams_dir(self.ctx.data_dir)
        root = self.ctx.sessions_dir

        def load() -> tuple[list[tuple[str, str, bool]], list[Any]]:
            banks = [(info.id, f"{info.title} ({info.question_count} questions)", can_renew(bank))
                     for info, bank in loaded_banks(user_dir)]
            return banks, load_attempts(root)

        self.ready = False
        self.ctx.run_background(load, self._loaded, self._load_failed)

    def _loaded(self, loaded: tuple[list[tuple[str, str, bool]], list[Any]]) -> None:
        banks, self.attempts = loaded
        self.banks = {bank_id: ok for bank_id, _, ok in banks}
        fill_banks(self.bank_combo, [(bank_id, label if ok else f"{label} — too small for a renewal round")
                                     for bank_id, label, ok in banks], wanted=self.wanted_bank)
        self.wanted_bank = None
        self._update_gate()
        self.ready = True

    def _update_gate(self) -> None:
        from proctorprep.progress.renewal_round import gate

        bank_id = self.bank_combo.currentData()
        if bank_id is None:
            self.gate_note.setText("No question bank yet: import one on the Home page.")
            self.start_btn.setEnabled(False)
            return
        if not self.banks.get(bank_id, False):
            self.gate_note.setText(f"This bank has fewer than {MIN_QUESTIONS} questions outside case studies: "
                                   "choose a larger one.")
            self.start_btn.setEnabled(False)
            return
        g = gate(self.attempts, bank_id, self.now())
        lead = f"{self.reason}. " if self.reason else ""
        self.gate_note.setText(lead + (g.reason or "You may start. Take your time: no clock is shown."))
        self.start_btn.setEnabled(g.allowed)

    # ---- the round

    def start(self, bank: Any = None, seed: int | None = None) -> None:
        """Start a round from the chosen bank (tests may pass a Bank directly)."""
        from proctorprep.exam.catalog import find_bank
        from proctorprep.exam.errors import BankError
        from proctorprep.exam.renewal import RenewalError
        from proctorprep.progress.renewal_round import RenewalRound

        try:
            if bank is None:
                bank = find_bank(self.bank_combo.currentData(), paths.user_exams_dir(self.ctx.data_dir))
            self.round = RenewalRound(bank, self.ctx.sessions_dir, self.attempts, count=self.count.value(),
                                      seed=seed, now=self.now(),
                                      on_error=lambda m: self.ctx.show_banner("disk", m, "warning"),
                                      candidate_name=self.ctx.settings.candidate_name)
        except (BankError, RenewalError) as exc:
            self.gate_note.setText(str(exc))
            return
        self.ctx.lock_navigation(True)
        self._begin()

    def _show_question(self, header_tail: str = "") -> Any:
        view = super()._show_question(header_tail)
        self.bar.setRange(0, view.total)
        self.bar.setValue(view.index)
        self.bar_text.setText(f"{view.index} of {view.total} done")
        last = view.index == view.total - 1
        self.next_btn.setText("Finish and see my results" if last else "Next  →")
        first = self.item.first_focus()
        (first or self.next_btn).setFocus()
        return view

    def next(self) -> None:
        if self.round is None:
            return
        self._record()
        s = self.round.session
        if s.index + 1 >= len(s):
            self.submit()
        elif s.next():
            self._show_question()

    def submit(self) -> None:
        if self.round is None:
            return
        self._finish()
        self.attempts = [*self.attempts, self._attempt_of(self.round)]
        self.round = None
        self.ctx.lock_navigation(False)
        self._show_result_page()

    def _attempt_of(self, rnd: Any, passed: bool | None = None) -> Any:
        from proctorprep.progress.renewal_round import Attempt

        ok = bool(rnd.session.result.passed) if passed is None else passed
        return Attempt(rnd.bank.id, self.now(), ok, rnd.session_id or "")

    def ask_abandon(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Stop the renewal round?",
                          "A round you stop counts as a failed attempt.",
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        if box.exec() == QMessageBox.StandardButton.Ok:
            self.abandon()

    def abandon(self) -> None:
        if self.round is not None:
            self.round.abandon()
            self.attempts = [*self.attempts, self._attempt_of(self.round, passed=False)]
            self.round = None
            self.ctx.lock_navigation(False)
            self.stack.setCurrentIndex(self.SETUP)
            self._update_gate()

    def _show_results(self, result: ExamResult) -> None:
        self.verdict.setText(("Passed" if result.passed else "Not passed") + f" — {result.score} of 1000 "
                             f"({result.pass_score} to pass)")
        from proctorprep.exam.renewal import nominal_seconds

        minutes, nominal = result.time_used_s / 60, nominal_seconds(len(result.rows)) / 60
        self.detail.setText(f"{result.answered} of {len(result.rows)} questions answered in {minutes:.0f} min "
                            f"(the nominal time of this round: {nominal:.0f} min). Results by skill area:")
        while self.skills.rowCount():
            self.skills.removeRow(0)
        for sk in result.by_skill:
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(round(sk.percent))
            bar.setTextVisible(False)          # the percentage beside the bar (see self.bar above)
            bar.setAccessibleName(f"{sk.skill}: {sk.percent:.0f} percent")
            row = QHBoxLayout()
            row.addWidget(bar, 1)
            percent = plain_label(f"{sk.percent:.0f} %", wrap=False)
            percent.setObjectName("skill_percent")
            percent.setMinimumWidth(percent.fontMetrics().horizontalAdvance("100 %") + 4)
            percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.addWidget(percent)
            self.skills.addRow(plain_label(f"{sk.skill} ({sk.questions})", wrap=False), row)
