"""A quick round, like a certification renewal: a handful of questions from a bank, no proctoring, no clock.

The exam engine provides the round itself (ExamSession.quick_round: untimed, standalone questions, shuffled); this
module records it in the history as a session of kind "quick" so it shows up next to full mock exams. With no
camera or microphone involved it carries no incidents and, by the badge rules, earns no etiquette badges.

The journal is created when the round starts (opening the page records nothing) and finished when it is submitted
or abandoned, so a quick round never shows up as an interrupted session.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from proctorprep.exam.bank import Bank
from proctorprep.exam.session import ExamSession
from proctorprep.journal.record import SessionKind
from proctorprep.progress.rounds import RecordedRound

DEFAULT_COUNT = 5


class QuickRound(RecordedRound):
    """One quick round. Drive `session` (answer, next, ...) like any exam; call `submit()` or `abandon()`."""

    kind = SessionKind.QUICK

    def __init__(self, bank: Bank, sessions_root: Path, count: int = DEFAULT_COUNT, seed: int | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 on_error: Callable[[str], None] | None = None, candidate_name: str = "") -> None:
        super().__init__(bank, sessions_root, on_error, candidate_name)
        self.session = ExamSession.quick_round(bank, count=count, seed=seed, clock=clock, listener=self._record)
