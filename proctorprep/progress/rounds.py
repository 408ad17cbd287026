"""An unproctored round (quick or renewal) recorded in the history: the journal is created when the round starts
(opening a page records nothing), every exam event is journaled, and it is finished when the round is submitted
or abandoned, so such a round never shows up as an interrupted session."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from proctorprep.exam.bank import Bank
from proctorprep.exam.result import ExamResult
from proctorprep.exam.session import ExamSession
from proctorprep.journal.record import SessionKind, SessionRecord, open_journal
from proctorprep.journal.store import SessionJournal


class RecordedRound:
    """Drive `session` (answer, next, ...) like any exam; call `submit()` or `abandon()`. Subclasses set `kind`
    and build the session in their __init__ with `listener=self._record`."""

    kind: SessionKind

    def __init__(self, bank: Bank, sessions_root: Path, on_error: Callable[[str], None] | None = None,
                 candidate_name: str = "") -> None:
        self.bank = bank
        self.candidate_name = candidate_name
        self.sessions_root = Path(sessions_root)
        self.on_error = on_error
        self.session: ExamSession
        self.journal: SessionJournal | None = None
        self._done = False

    @property
    def session_id(self) -> str | None:
        return self.journal.session_id if self.journal else None

    def extra_settings(self) -> dict[str, Any]:
        """What else the round ran with, journaled in the session record's settings."""
        return {}

    def start(self) -> None:
        if self.journal is None:
            record = SessionRecord.new(self.kind, "standard", exam_id=self.bank.id, exam_title=self.bank.title,
                                       candidate_name=self.candidate_name, source={"proctored": False},
                                       settings={"questions": len(self.session), **self.extra_settings()})
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
