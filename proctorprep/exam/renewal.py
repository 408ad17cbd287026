"""The renewal round's questions: 25-40 drawn across a bank's skill areas, as Microsoft's renewal assessment does.

Only standalone questions that can be scored are drawn (no case studies, no information items). Each skill area
gets a share in proportion to its questions, at least one each while the count allows, the remainder going to the
largest areas; within a skill the questions are random. The round itself is `ExamSession.renewal` (no clock,
forward-only); its history, attempt rule and badge live in proctorprep.progress.renewal_round."""

from __future__ import annotations

import random

from proctorprep.exam.bank import Bank, Question

MIN_QUESTIONS = 25
MAX_QUESTIONS = 40
DEFAULT_QUESTIONS = 30
NOMINAL_S_PER_QUESTION = 60.0   # the time recorded for a renewal round (never shown to the candidate)


class RenewalError(ValueError):
    """A renewal round that cannot start: the bank has too few questions, the count is out of range, or the
    attempt rule says wait (proctorprep.progress.renewal_round); the message says which in plain words."""


def renewal_pool(bank: Bank) -> list[Question]:
    return [q for q in bank.questions if q.case_id is None and q.scored]


def can_renew(bank: Bank) -> bool:
    return len(renewal_pool(bank)) >= MIN_QUESTIONS


def draw_renewal(bank: Bank, count: int = DEFAULT_QUESTIONS, seed: int | None = None) -> list[str]:
    """Question ids for one renewal round: each skill area's share, random within it (the session then shuffles
    the order in which they are shown)."""
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        raise RenewalError(f"a renewal round has {MIN_QUESTIONS}-{MAX_QUESTIONS} questions, not {count}")
    pool = renewal_pool(bank)
    if len(pool) < MIN_QUESTIONS:
        raise RenewalError(f"bank {bank.id!r} has {len(pool)} questions outside case studies; a renewal round "
                           f"needs at least {MIN_QUESTIONS}")
    count = min(count, len(pool))
    by_skill: dict[str, list[Question]] = {}
    for q in pool:
        by_skill.setdefault(q.skill, []).append(q)
    order = [s for s in bank.skill_areas if s in by_skill] + [s for s in by_skill if s not in bank.skill_areas]
    share = {s: 0 for s in order}
    # One each while the count allows, then by largest remaining proportion (Hamilton's method).
    for s in sorted(order, key=lambda s: -len(by_skill[s]))[:count]:
        share[s] = 1
    left = count - sum(share.values())
    if left:
        total = sum(len(by_skill[s]) - share[s] for s in order)
        quotas = {s: (len(by_skill[s]) - share[s]) * left / total for s in order}
        for s in order:
            share[s] += int(quotas[s])
        rest = count - sum(share.values())
        for s in sorted(order, key=lambda s: (-(quotas[s] - int(quotas[s])), order.index(s)))[:rest]:
            share[s] += 1
    rng = random.Random(seed)
    picked: list[str] = []
    for s in order:
        picked += [q.id for q in rng.sample(by_skill[s], min(share[s], len(by_skill[s])))]
    return picked


def nominal_seconds(count: int) -> float:
    return count * NOMINAL_S_PER_QUESTION
