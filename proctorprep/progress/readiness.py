"""Is the candidate ready to book a planned exam? A stated rule over the practice already done, with its reasons.

"Ready to book" when all three hold:
1. scores — the last `SCORE_RUN` full mock exams on the exam's practice bank all passed (700 or more) and average
   at least `SCORE_MARGIN` (a margin over the pass mark: a real exam's questions are new to you);
2. proctoring — the last `CLEAN_RUN` proctored sessions in a row passed the standard proctor (the profile of a
   real exam) without a warning;
3. habits — no habit is still flagged: no incident type occurred in `HABIT_SESSIONS` or more of those last
   proctored sessions.
Each check says why it holds or what is missing. The score trend (points per exam over the last few mocks) is
shown beside it: a falling trend with passing scores is worth knowing about even when the rule says ready.

Sessions come from the same history reader as badges and streaks (interrupted sessions do not count); the proctor's
verdict is asked of the one proctor policy, so readiness always agrees with the reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from proctorprep.privacy import plural
from proctorprep.progress.badges import MIN_PROCTORED_S, eligible
from proctorprep.progress.journey import PASS_SCORE, Exam
from proctorprep.progress.streaks import habit
from proctorprep.progress.summary import SessionSummary
from proctorprep.progress.verdicts import VerdictFn, verdict

SCORE_RUN = 3
SCORE_MARGIN = 750
CLEAN_RUN = 3
HABIT_SESSIONS = 2          # flagged in this many of the last CLEAN_RUN proctored sessions = still a habit
TREND_SESSIONS = 5
PROFILE = "standard"

RULE_TEXT = (f"Ready to book when your last {SCORE_RUN} full mock exams on the matching bank all passed with an "
             f"average of {SCORE_MARGIN} or more, your last {CLEAN_RUN} proctored sessions in a row passed the "
             f"{PROFILE} proctor without a warning, and no habit was flagged in {HABIT_SESSIONS} or more of them.")


@dataclass(frozen=True)
class Check:
    name: str                   # "scores" | "proctoring" | "habits"
    ok: bool
    reason: str


@dataclass(frozen=True)
class Readiness:
    exam_id: str
    bank_id: str | None
    ready: bool
    checks: tuple[Check, ...]
    scores: tuple[int, ...]                 # full mock scores on the bank, oldest first
    trend_per_exam: float | None            # least-squares slope over the last TREND_SESSIONS scores
    flagged_habits: tuple[str, ...] = ()

    @property
    def headline(self) -> str:
        if self.ready:
            return "Ready to book."
        missing = [c.name for c in self.checks if not c.ok]
        return f"Not ready to book yet ({', '.join(missing)})."

    def lines(self) -> list[str]:
        out = [self.headline]
        out += [f"{'[x]' if c.ok else '[ ]'} {c.reason}" for c in self.checks]
        if self.trend_per_exam is not None:
            out.append(trend_text(self.trend_per_exam, len(self.scores)))
        return out

    def to_dict(self) -> dict:
        return {"exam_id": self.exam_id, "bank_id": self.bank_id, "ready": self.ready, "rule": RULE_TEXT,
                "checks": [{"name": c.name, "ok": c.ok, "reason": c.reason} for c in self.checks],
                "scores": list(self.scores), "trend_per_exam": self.trend_per_exam,
                "flagged_habits": list(self.flagged_habits)}


def slope(values: list[float]) -> float | None:
    """Least-squares slope of values against their position (points per exam); None for fewer than two."""
    n = len(values)
    if n < 2:
        return None
    mx, my = (n - 1) / 2, sum(values) / n
    num = sum((i - mx) * (v - my) for i, v in enumerate(values))
    den = sum((i - mx) ** 2 for i in range(n))
    return num / den


def trend_text(per_exam: float, n: int) -> str:
    if abs(per_exam) < 5:
        return f"Score trend: steady over your last {min(n, TREND_SESSIONS)} mock exams."
    way = "rising" if per_exam > 0 else "falling"
    return f"Score trend: {way}, {per_exam:+.0f} points per exam over your last {min(n, TREND_SESSIONS)} mock exams."


def _scores_check(scores: list[int], bank: str) -> Check:
    if not scores:
        return Check("scores", False, f"No full mock exam on {bank} yet: take {SCORE_RUN}.")
    last = scores[-SCORE_RUN:]
    if len(last) < SCORE_RUN:
        return Check("scores", False, f"{plural(len(last), 'full mock exam')} on {bank} so far "
                                      f"({', '.join(map(str, last))}): take {SCORE_RUN - len(last)} more.")
    mean = sum(last) / len(last)
    failed = [s for s in last if s < PASS_SCORE]
    text = ", ".join(map(str, last))
    if failed:
        return Check("scores", False, f"Your last {SCORE_RUN} mock exams on {bank} scored {text}: "
                                      f"{len(failed)} {'was' if len(failed) == 1 else 'were'} below {PASS_SCORE}.")
    if mean < SCORE_MARGIN:
        return Check("scores", False, f"Your last {SCORE_RUN} mock exams on {bank} scored {text} (average "
                                      f"{mean:.0f}): all passed, but aim for an average of {SCORE_MARGIN}.")
    return Check("scores", True, f"Your last {SCORE_RUN} mock exams on {bank} scored {text} (average {mean:.0f}).")


def _proctoring_check(recent: list[SessionSummary], verdicts: list[str]) -> Check:
    if not recent:
        return Check("proctoring", False, f"No proctored session of {MIN_PROCTORED_S / 60:g} minutes or more yet: "
                                          "take a mock exam with the camera on.")
    run = 0
    for v in reversed(verdicts):
        if v != "pass":
            break
        run += 1
    if run >= CLEAN_RUN:
        return Check("proctoring", True, f"Your last {CLEAN_RUN} proctored sessions passed the {PROFILE} proctor "
                                         "without a warning.")
    last_bad = verdicts[-1 - run] if run < len(verdicts) else None
    why = f" (the one before was {last_bad})" if last_bad else ""
    return Check("proctoring", False, f"{run} of {CLEAN_RUN} clean proctored sessions in a row{why}: "
                                      f"{CLEAN_RUN - run} more to go.")


def _habits_check(recent: list[SessionSummary]) -> tuple[Check, tuple[str, ...]]:
    last = recent[-CLEAN_RUN:]
    if not last:
        return Check("habits", False, "No proctored session yet, so no habit can be judged."), ()
    seen: dict[str, int] = {}
    for s in last:
        for t in {i.type for i in s.own_incidents()}:
            seen[t] = seen.get(t, 0) + 1
    flagged = tuple(sorted((t for t, n in seen.items() if n >= HABIT_SESSIONS), key=lambda t: (-seen[t], t)))
    if flagged:
        words = "; ".join(f"{habit(t)} (flagged in {seen[t]} of your last {len(last)})" for t in flagged)
        return Check("habits", False, f"Still to work on: {words}."), flagged
    return Check("habits", True, f"No habit flagged in {HABIT_SESSIONS} or more of your last "
                                 f"{plural(len(last), 'proctored session')}."), ()


def readiness(exam: Exam, sessions: Iterable[SessionSummary], bank_title: str | None = None,
              verdict_fn: VerdictFn | None = None) -> Readiness:
    """Readiness of one planned or booked exam from the session history (any order; interrupted ones ignored)."""
    done = eligible(sessions)
    bank = bank_title or exam.bank_id or "its practice bank"
    mocks = [s for s in done if s.kind == "exam" and exam.bank_id and s.exam_id == exam.bank_id
             and s.score is not None]
    scores = [int(s.score) for s in mocks if s.score is not None]
    proctored = [s for s in done if s.proctored and s.duration_s >= MIN_PROCTORED_S]
    verdicts = [verdict(s, PROFILE, verdict_fn) for s in proctored]
    if exam.bank_id:
        score_check = _scores_check(scores, bank)
    else:
        score_check = Check("scores", False, "No practice bank linked to this exam: link one to judge your scores.")
    habits, flagged = _habits_check(proctored)
    checks = (score_check, _proctoring_check(proctored, verdicts), habits)
    return Readiness(exam.id, exam.bank_id, all(c.ok for c in checks), checks, tuple(scores),
                     slope([float(s) for s in scores[-TREND_SESSIONS:]]), flagged)
