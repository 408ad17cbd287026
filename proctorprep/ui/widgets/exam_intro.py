"""What comes before the first question, as on the real exam: the agreement (NDA), which must be accepted, and the
welcome screen (how many questions, how long, what kinds, what cannot be revisited, the reference pages). The clock
starts only when the candidate presses Start on the welcome screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from proctorprep.ui.widgets.items.base import plain_label

AGREEMENT = (
    "Practice exam agreement\n\n"
    "This practice exam is confidential in the way a real certification exam is: the questions are for your own "
    "practice. By accepting, you agree not to copy, photograph or share them, and to take the exam alone, without "
    "notes, other people or other devices, under the watch of the practice proctor on this computer.\n\n"
    "A real exam shows a non-disclosure agreement of this kind before the first question. If you do not accept "
    "it, the exam ends without a score. Here, nothing is recorded if you decline."
)


def _title(text: str) -> QLabel:
    label = plain_label(text)
    label.setStyleSheet("font-size: 16pt; font-weight: 600;")
    return label


class AgreementPage(QWidget):
    accepted = Signal()
    declined = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("agreement_page")
        lay = QVBoxLayout(self)
        lay.addWidget(_title("Agreement"))
        self.text = plain_label(AGREEMENT)
        self.text.setObjectName("agreement_text")
        lay.addWidget(self.text)
        row = QHBoxLayout()
        self.decline_btn = QPushButton("I do not accept")
        self.decline_btn.setObjectName("agreement_decline")
        self.accept_btn = QPushButton("I accept")
        self.accept_btn.setObjectName("agreement_accept")
        self.accept_btn.setDefault(True)
        self.decline_btn.clicked.connect(self.declined.emit)
        self.accept_btn.clicked.connect(self.accepted.emit)
        row.addStretch(1)
        row.addWidget(self.decline_btn)
        row.addWidget(self.accept_btn)
        lay.addLayout(row)
        lay.addStretch(1)


def welcome_lines(bank: Any) -> list[str]:
    from proctorprep.exam.question_types import question_type

    scored = [q for q in bank.questions if q.scored]
    kinds = list(dict.fromkeys(question_type(q.type).title for q in scored))
    lines = [f"{len(scored)} questions, {bank.duration_minutes} minutes. The clock starts when you press Start and "
             "does not stop, not even on the review screen.",
             f"Kinds of questions: {', '.join(kinds)}."]
    locked = []
    if bank.case_studies:
        locked.append(f"{len(bank.case_studies)} case stud{'y' if len(bank.case_studies) == 1 else 'ies'} (once you "
                      "leave one, you cannot go back to it)")
    if bank.series:
        locked.append(f"{len(bank.series)} problem-solution series (each answer is final once you move on)")
    if bank.sections:
        lines.append(f"This exam has {len(bank.sections)} sections, taken in order: "
                     + "; ".join(f"{sec.title} ({sum(q.id in sec.question_ids for q in scored)} questions)"
                                 for sec in bank.sections)
                     + ". When you finish a section you cannot go back to it, not even from the review screen.")
    if locked:
        lines.append("Parts you cannot revisit: " + "; ".join(locked) + ".")
    if bank.references:
        lines.append("Reference pages (open book, Alt+F): " + ", ".join(r.title for r in bank.references)
                     + ". Reading them costs exam time.")
    lines.append(f"You need {round(bank.pass_fraction * 100)} % of the points for the passing score of 700. You can "
                 "mark questions for review and see them all on the review screen before you submit.")
    return lines


class WelcomePage(QWidget):
    start = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("welcome_page")
        lay = QVBoxLayout(self)
        self.heading = _title("Welcome")
        lay.addWidget(self.heading)
        self.text = plain_label("")
        self.text.setObjectName("welcome_text")
        lay.addWidget(self.text)
        self.start_btn = QPushButton("Start the exam")
        self.start_btn.setObjectName("welcome_start")
        self.start_btn.setDefault(True)
        self.start_btn.clicked.connect(self.start.emit)
        lay.addWidget(self.start_btn, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)

    def set_bank(self, bank: Any) -> None:
        self.heading.setText(f"Welcome to {bank.title}")
        self.text.setText("\n\n".join(welcome_lines(bank)))
