"""The renewal round, as Microsoft runs its renewal assessment: unproctored (no camera, no microphone), 25-40
questions drawn across a bank's skill areas (proctorprep.exam.renewal), no clock shown, forward-only, results by
skill area, and an attempt rule: after two failed attempts in a row, each further attempt waits 24 hours after the
last failed one. A pass clears the count.

It is recorded in the history as a session of kind "renewal" with the nominal time it stands for
(NOMINAL_S_PER_QUESTION per question) next to the time it took. It earns no etiquette or score badges (no proctor
watched it, it is not a full exam); passing it earns the bank's own "Renewed" badge (progress.badges).

Which attempts count: finished renewal rounds of the same bank. One left without submitting counts as failed, so
walking away cannot dodge the wait; one a crash interrupted does not count (that was not the candidate's doing).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable

from proctorprep.exam.bank import Bank
from proctorprep.exam.renewal import DEFAULT_QUESTIONS, RenewalError, draw_renewal, nominal_seconds
from proctorprep.exam.session import ExamSession
from proctorprep.journal.record import SessionKind
from proctorprep.progress.rounds import RecordedRound
from proctorprep.progress.summary import SessionSummary, day_text

KIND = SessionKind.RENEWAL
FAILS_BEFORE_WAIT = 2
WAIT = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Attempt:
    bank_id: str
    ended_at: datetime
    passed: bool
    session_id: str = ""


@dataclass(frozen=True, slots=True)
class Gate:
    """May the candidate start a renewal round of this bank now?"""

    allowed: bool
    failed_in_a_row: int
    wait_until: datetime | None = None    # set when a wait applies (passed or not)
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "failed_in_a_row": self.failed_in_a_row,
                "wait_until": self.wait_until.isoformat(timespec="seconds") if self.wait_until else None,
                "reason": self.reason}


def attempts_from(sessions: Iterable[SessionSummary]) -> list[Attempt]:
    """Counted renewal attempts, oldest first. An abandoned round (finished, no score) is a failed attempt."""
    out = [Attempt(s.exam_id or "", s.started_at + timedelta(seconds=s.duration_s), bool(s.passed), s.session_id)
           for s in sessions if s.kind == KIND and s.counted]
    return sorted(out, key=lambda a: a.ended_at)


def gate(attempts: Iterable[Attempt], bank_id: str, now: datetime) -> Gate:
    """The attempt rule for `bank_id` at `now` (a timezone-aware datetime: pass a fake one in tests)."""
    mine = sorted((a for a in attempts if a.bank_id == bank_id), key=lambda a: a.ended_at)
    fails = 0
    for a in mine:
        fails = 0 if a.passed else fails + 1
    if fails < FAILS_BEFORE_WAIT:
        left = FAILS_BEFORE_WAIT - fails
        why = "" if fails == 0 else (f"{fails} failed attempt in a row: {left} more before a 24-hour wait "
                                     "applies.")
        return Gate(True, fails, None, why)
    until = mine[-1].ended_at + WAIT
    if now >= until:
        return Gate(True, fails, until, f"{fails} failed attempts in a row: the 24-hour wait after the last one is "
                                        "over. Another failed attempt means another 24-hour wait.")
    return Gate(False, fails, until,
                f"{fails} failed attempts in a row: the next attempt opens {day_text(until, with_time=True)} "
                f"(24 hours after the last one), as on the real renewal assessment.")


class RenewalRound(RecordedRound):
    """One renewal round. `now` is the wall clock the attempt rule is checked against (injectable for tests)."""

    kind = KIND

    def __init__(self, bank: Bank, sessions_root: Path, attempts: Iterable[Attempt] = (),
                 count: int = DEFAULT_QUESTIONS, seed: int | None = None,
                 clock: Callable[[], float] = time.monotonic, now: datetime | None = None,
                 on_error: Callable[[str], None] | None = None, candidate_name: str = "") -> None:
        super().__init__(bank, sessions_root, on_error, candidate_name)
        self.gate = gate(attempts, bank.id, now or datetime.now().astimezone())
        if not self.gate.allowed:
            raise RenewalError(self.gate.reason)
        ids = draw_renewal(bank, count, seed)   # RenewalError too, for a bank that is too small
        self.nominal_s = nominal_seconds(len(ids))
        self.session = ExamSession.renewal(bank, ids, seed=seed, clock=clock, listener=self._record)

    def extra_settings(self) -> dict[str, Any]:
        return {"nominal_s": self.nominal_s, "forward_only": True}


def load_attempts(sessions_root: Path) -> list[Attempt]:
    from proctorprep.progress.from_journal import load_history

    return attempts_from(load_history(sessions_root).sessions)
