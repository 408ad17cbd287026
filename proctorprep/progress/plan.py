"""After a failed exam: a practice plan of rounds on the score report's weakest skills, and how far it has got.

The score report names skill areas in the exam's words; a practice bank names its own. Each weak skill is matched
to the bank's closest skill area (same words, ignoring case and small words); a weak skill with no match is kept and
shown as "no questions on this in the bank" rather than silently dropped.

The plan: `ROUNDS_PER_SKILL` quick rounds on each matched skill area (weakest first), then one full mock exam on the
bank. A quick round counts towards a skill when it was taken after the plan was made, on the plan's bank, and at
least `MIN_ON_SKILL` of its questions were on that skill (read from the round's result in its journal); a mock
counts when a full mock exam on the bank was submitted after the plan was made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Sequence

from proctorprep.progress.journey import Exam, JourneyError, PlanRound, PracticePlan, SkillBar, day_words

ROUNDS_PER_SKILL = 2
QUESTIONS_PER_ROUND = 5
MIN_ON_SKILL = 3
WEAKEST = 3                  # without named weak skills: the three lowest bars of the score report
WEAK_BELOW = 70.0            # ... that are below this percentage
_SMALL = {"and", "the", "of", "a", "an", "for", "to", "in", "on", "with", "&"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _SMALL}


def match_skill(name: str, bank_skills: Sequence[str]) -> str | None:
    """The bank skill area closest to `name` (exact, case-insensitive first; then most shared words, at least a
    third of the larger name's words); None when nothing is close."""
    for s in bank_skills:
        if s.casefold() == name.casefold():
            return s
    want = _words(name)
    best, best_score = None, 0.0
    for s in bank_skills:
        have = _words(s)
        if not want or not have:
            continue
        score = len(want & have) / max(len(want), len(have))
        if score > best_score:
            best, best_score = s, score
    return best if best_score >= 1 / 3 else None


def weakest(skills: Sequence[SkillBar]) -> list[str]:
    """The score report's weakest skills: the lowest bars under WEAK_BELOW %, at most WEAKEST of them."""
    low = sorted((b for b in skills if b.percent < WEAK_BELOW), key=lambda b: (b.percent, b.skill))
    return [b.skill for b in low[:WEAKEST]]


def make_plan(exam: Exam, bank_id: str, bank_skills: Sequence[str], questions_by_skill: dict[str, int],
              weak: Sequence[str] = (), today: date | None = None) -> PracticePlan:
    """A plan for a failed exam. `weak` names the weak skills; empty: the score report's lowest bars."""
    if exam.status != "failed":
        raise JourneyError(f"{exam.label}: a practice plan is made after a failed exam (this one is {exam.status})")
    named = list(weak) or weakest(exam.skills)
    if not named:
        raise JourneyError(f"{exam.label}: name the weakest skills (or enter the score report's skill bars) first")
    rounds: list[PlanRound] = []
    unmatched: list[str] = []
    seen: set[str] = set()
    for skill in named:
        area = match_skill(skill, bank_skills)
        if area is None or not questions_by_skill.get(area):
            unmatched.append(skill)
            continue
        if area in seen:
            continue
        seen.add(area)
        n = min(QUESTIONS_PER_ROUND, questions_by_skill[area])
        rounds += [PlanRound("quick", area, n)] * ROUNDS_PER_SKILL
    if not rounds:
        raise JourneyError(f"the bank {bank_id!r} has no questions on {', '.join(named)}: choose another bank")
    rounds.append(PlanRound("mock", None, sum(questions_by_skill.values())))
    return PracticePlan(today or date.today(), bank_id, tuple(named), tuple(rounds), tuple(unmatched))


@dataclass(frozen=True)
class Done:
    """One practice session that counts towards a plan."""

    started_at: datetime
    kind: str                               # "quick" | "exam"
    skills: dict[str, int]                  # skill area -> questions in it


@dataclass(frozen=True)
class StepState:
    round: PlanRound
    done: bool


def progress(plan: PracticePlan, sessions: Iterable[Done]) -> list[StepState]:
    """Each plan step with whether it is done, counting each session once, in plan order."""
    since = [s for s in sorted(sessions, key=lambda s: s.started_at) if s.started_at.date() >= plan.created_on]
    quick = [s for s in since if s.kind == "quick"]
    used: set[int] = set()
    mocks = sum(1 for s in since if s.kind == "exam")
    out: list[StepState] = []
    for r in plan.rounds:
        if r.kind == "mock":
            out.append(StepState(r, mocks > 0))
            mocks = max(0, mocks - 1)
            continue
        hit = next((i for i, s in enumerate(quick) if i not in used
                    and s.skills.get(r.skill or "", 0) >= min(MIN_ON_SKILL, r.questions)), None)
        if hit is not None:
            used.add(hit)
        out.append(StepState(r, hit is not None))
    return out


def plan_lines(plan: PracticePlan, steps: list[StepState], bank_title: str | None = None) -> list[str]:
    bank = bank_title or plan.bank_id
    done = sum(1 for s in steps if s.done)
    out = [f"Practice plan from {day_words(plan.created_on)} on {bank}: {done} of {len(steps)} done."]
    for n, s in enumerate(steps, 1):
        what = (f"quick round of {s.round.questions} questions on {s.round.skill}" if s.round.kind == "quick"
                else "a full mock exam")
        out.append(f"  {'[x]' if s.done else '[ ]'} {n}. {what}")
    for skill in plan.unmatched:
        out.append(f"  (no questions on {skill!r} in {bank}: study it from your score report)")
    return out


def next_step(steps: list[StepState]) -> PlanRound | None:
    return next((s.round for s in steps if not s.done), None)


def done_sessions(sessions_root: Path, bank_id: str, since: date) -> list[Done]:
    """Quick rounds and full mock exams on `bank_id` started on or after `since`, with the skill of each question,
    read from their journals (a journal that cannot be read is left out: it cannot prove a round was done)."""
    from proctorprep.journal.history import list_sessions
    from proctorprep.journal.store import JournalError, JournalReader
    from proctorprep.progress.from_journal import _started

    out: list[Done] = []
    for info in list_sessions(sessions_root):
        if info.exam_id != bank_id or info.kind not in ("quick", "exam") or info.status not in ("complete",
                                                                                              "recovered"):
            continue
        started = _started(info.started_at)
        if started.date() < since or info.score is None:
            continue
        try:
            with JournalReader(info.path) as reader:
                result = reader.exam_result() or {}
        except JournalError:
            continue
        skills: dict[str, int] = {}
        for q in result.get("questions") or []:
            if isinstance(q, dict) and isinstance(q.get("skill"), str):
                skills[q["skill"]] = skills.get(q["skill"], 0) + 1
        out.append(Done(started, info.kind, skills))
    return out
