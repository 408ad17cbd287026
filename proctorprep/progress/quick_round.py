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
from proctorprep.exam.result import ExamResult
from proctorprep.exam.session import ExamSession
from proctorprep.journal.record import SessionKind, SessionRecord, open_journal
from proctorprep.journal.store import SessionJournal

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


class QuickRound:
    """One quick round. Drive `session` (answer, next, ...) like any exam; call `submit()` or `abandon()`."""

    def __init__(self, bank: Bank, sessions_root: Path, count: int = DEFAULT_COUNT, seed: int | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 on_error: Callable[[str], None] | None = None, candidate_name: str = "",
                 skills: Sequence[str] = ()) -> None:
        self.bank = bank
        self.candidate_name = candidate_name
        self.sessions_root = Path(sessions_root)
        self.on_error = on_error
        self.skills = tuple(skills)
        if self.skills:
            self.session = focused_round(bank, self.skills, count, seed, clock, self._record)
        else:
            self.session = ExamSession.quick_round(bank, count=count, seed=seed, clock=clock, listener=self._record)
        self.journal: SessionJournal | None = None
        self._done = False

    @property
    def session_id(self) -> str | None:
        return self.journal.session_id if self.journal else None

    def start(self) -> None:
        if self.journal is None:
            focus = {"skills": list(self.skills)} if self.skills else {}
            record = SessionRecord.new(SessionKind.QUICK, "standard", exam_id=self.bank.id,
                                       exam_title=self.bank.title, candidate_name=self.candidate_name,
                                       source={"proctored": False},
                                       settings={"questions": len(self.session), **focus})
            self.journal = open_journal(self.sessions_root, record, on_error=self.on_error)
        self.session.start()

    def _record(self, kind: str, data: dict[str, Any]) -> None:
        if self.journal is not None:
            self.journal.add_exam_event(float(data.get("t_s", 0.0)), kind, data)

    def submit(self) -> ExamResult:
        """Score the round, store the result and close the journal."""
        if self.journal is None:
            self.start()
        result = self.session.submit()
        if not self._done and self.journal is not None:
            self.journal.set_exam_result(result.to_dict())
            self.journal.finish({"duration_s": round(result.time_used_s, 3), "questions": len(self.session)})
            self._done = True
        return result

    def abandon(self) -> None:
        """Leave without submitting: the round stays in the history as started, without a score."""
        if self.journal is not None and not self._done:
            self.journal.finish({"duration_s": round(self.session.elapsed_s(), 3), "abandoned": True})
            self._done = True
