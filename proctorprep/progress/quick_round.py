"""A quick round, like a certification renewal: a handful of questions from a bank, no proctoring, no clock.

The exam engine provides the round itself (ExamSession.quick_round: untimed, standalone questions, shuffled); this
module records it in the history as a session of kind "quick" so it shows up next to full mock exams. With no
camera or microphone involved it carries no incidents and, by the badge rules, earns no etiquette badges.

The journal is created when the round starts (opening the page records nothing) and finished when it is submitted
or abandoned, so a quick round never shows up as an interrupted session.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from proctorprep.exam.bank import Bank
from proctorprep.exam.session import ExamSession
from proctorprep.journal.record import SessionKind
from proctorprep.progress.rounds import RecordedRound

DEFAULT_COUNT = 5


def focused_round(bank: Bank, skills: Sequence[str], count: int, seed: int | None, clock: Callable[[], float],
                  listener: Callable[[str, dict[str, Any]], None]) -> ExamSession:
    """A quick round on some skill areas only (a practice plan's step after a failed exam): like
    ExamSession.quick_round, but the questions are drawn from those skill areas. Raises ValueError when the bank has
    no question on them."""
    wanted = set(skills)
    pool = [q.id for q in bank.questions if q.skill in wanted and q.case_id is None] \
        or [q.id for q in bank.questions if q.skill in wanted]
    if not pool:
        raise ValueError(f"the bank {bank.title!r} has no questions on {', '.join(skills)}")
    rng = random.Random(seed)
    picked = rng.sample(pool, min(max(1, count), len(pool)))
    return ExamSession(bank, clock=clock, shuffle_seed=rng.randrange(2**31) if seed is None else seed,
                       listener=listener, question_ids=picked, timed=False, mode="quick")


class QuickRound(RecordedRound):
    """One quick round. Drive `session` (answer, next, ...) like any exam; call `submit()` or `abandon()`."""

    kind = SessionKind.QUICK

    def __init__(self, bank: Bank, sessions_root: Path, count: int = DEFAULT_COUNT, seed: int | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 on_error: Callable[[str], None] | None = None, candidate_name: str = "",
                 skills: Sequence[str] = ()) -> None:
        super().__init__(bank, sessions_root, on_error, candidate_name)
        self.skills = tuple(skills)
        if self.skills:
            self.session = focused_round(bank, self.skills, count, seed, clock, self._record)
        else:
            self.session = ExamSession.quick_round(bank, count=count, seed=seed, clock=clock, listener=self._record)

    def extra_settings(self) -> dict[str, Any]:
        return {"skills": list(self.skills)} if self.skills else {}
