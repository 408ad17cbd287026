"""The score report of one finished exam: plain frozen data with a JSON-safe to_dict() for the journal."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Bank, Question
from proctorprep.exam.scoring import (
    PASS_SCORE, SCALE_RULE, correct_answer, credit, is_complete, partial_credit_rule, scaled_score,
)


@dataclass(frozen=True, slots=True)
class SkillScore:
    skill: str
    earned: float          # points
    possible: int
    percent: float         # 0..100, one decimal
    questions: int


@dataclass(frozen=True, slots=True)
class QuestionResult:
    number: int            # position as presented, 1-based
    qid: str
    type: str
    skill: str
    case_id: str | None
    prompt: str
    response: Any          # canonical response (see scoring.py) or None
    correct_answer: Any
    credit: float          # 0..1 share of the item earned
    earned: float          # credit * points
    points: int
    complete: bool
    marked: bool
    time_spent_s: float
    explanation: str
    comment: str = ""      # the candidate's optional comment on the question (journaled, shown in the report)


@dataclass(frozen=True, slots=True)
class ExamResult:
    exam_id: str
    exam_title: str
    mode: str                    # "exam" | "quick"
    score: int                   # 1..1000
    passed: bool                 # score >= 700
    pass_score: int
    earned: float
    possible: int
    percent: float
    by_skill: tuple[SkillScore, ...]
    rows: tuple[QuestionResult, ...]
    auto_submitted: bool
    duration_s: float | None     # the allowed time; None for an untimed round
    time_used_s: float
    answered: int                # complete answers
    partial_credit_rule: str = field(default_factory=partial_credit_rule)
    scale_rule: str = SCALE_RULE

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts, lists, str, int, float, bool and None only: json.dumps works without a default."""
        return {
            "exam_id": self.exam_id, "exam_title": self.exam_title, "mode": self.mode,
            "score": self.score, "passed": self.passed, "pass_score": self.pass_score,
            "earned": self.earned, "possible": self.possible, "percent": self.percent,
            "by_skill": [{"skill": s.skill, "earned": s.earned, "possible": s.possible, "percent": s.percent,
                          "questions": s.questions} for s in self.by_skill],
            "questions": [{
                "number": r.number, "id": r.qid, "type": r.type, "skill": r.skill, "case_id": r.case_id,
                "prompt": r.prompt, "response": r.response, "correct_answer": r.correct_answer,
                "credit": r.credit, "earned": r.earned, "points": r.points, "complete": r.complete,
                "marked": r.marked, "time_spent_s": r.time_spent_s, "explanation": r.explanation,
                **({"comment": r.comment} if r.comment else {}),
            } for r in self.rows],
            "auto_submitted": self.auto_submitted, "duration_s": self.duration_s,
            "time_used_s": self.time_used_s, "answered": self.answered, "question_count": len(self.rows),
            "partial_credit_rule": self.partial_credit_rule, "scale_rule": self.scale_rule,
        }


def _pct(earned: Fraction, possible: int) -> float:
    return round(float(earned * 100 / possible), 1) if possible else 0.0


def score_exam(bank: Bank, presented: list[Question], responses: dict[str, Any], marked: set[str],
               time_spent: dict[str, float], *, mode: str, auto_submitted: bool, duration_s: float | None,
               time_used_s: float, comments: dict[str, str] | None = None) -> ExamResult:
    """Score the presented questions (a quick round scores only its handful)."""
    rows: list[QuestionResult] = []
    total = Fraction(0)
    possible = 0
    skills: dict[str, list] = {}
    for n, q in enumerate(presented, start=1):
        resp = responses.get(q.id)
        c = credit(q, resp)
        earned = c * q.points
        total += earned
        possible += q.points
        if q.scored:   # an information item has no skill score to show
            s = skills.setdefault(q.skill, [Fraction(0), 0, 0])
            s[0] += earned
            s[1] += q.points
            s[2] += 1
        rows.append(QuestionResult(
            number=n, qid=q.id, type=q.type, skill=q.skill, case_id=q.case_id, prompt=q.prompt, response=resp,
            correct_answer=correct_answer(q), credit=round(float(c), 4), earned=round(float(earned), 4),
            points=q.points, complete=is_complete(q, resp), marked=q.id in marked,
            time_spent_s=round(time_spent.get(q.id, 0.0), 3), explanation=q.explanation,
            comment=(comments or {}).get(q.id, "")))
    order = [s for s in bank.skill_areas if s in skills] + [s for s in skills if s not in bank.skill_areas]
    by_skill = tuple(SkillScore(k, round(float(skills[k][0]), 4), skills[k][1], _pct(skills[k][0], skills[k][1]),
                                skills[k][2]) for k in order)
    score = scaled_score(total, Fraction(possible), bank.pass_fraction)
    return ExamResult(
        exam_id=bank.id, exam_title=bank.title, mode=mode, score=score, passed=score >= PASS_SCORE,
        pass_score=PASS_SCORE, earned=round(float(total), 4), possible=possible, percent=_pct(total, possible),
        by_skill=by_skill, rows=tuple(rows), auto_submitted=auto_submitted, duration_s=duration_s,
        time_used_s=round(time_used_s, 3), answered=sum(1 for r in rows if r.complete and r.points > 0))


IMPROVE_COUNT = 3


def skills_to_improve(skills: list[tuple[str, float | None]], n: int = IMPROVE_COUNT) -> list[str]:
    """The score report's "top skills to improve" after a fail: the `n` skill areas with the lowest share right,
    ties kept in the bank's order, skill areas already at 100 % never named (there is nothing to improve)."""
    scored = [(pct, i, name) for i, (name, pct) in enumerate(skills) if pct is not None and pct < 100]
    return [name for _pct, _i, name in sorted(scored)[:n]]
