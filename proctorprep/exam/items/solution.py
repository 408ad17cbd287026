"""solution: one proposed solution of a problem-solution series (a bank entry of type "series" expands into one of
these per solution, sharing the scenario and the goal). The candidate answers whether the solution meets the goal,
Yes or No; once the candidate moves on, the item is locked, as on the real exam. Response: True (Yes) or False
(No). All or nothing."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.checker import Checker
from proctorprep.exam.errors import ResponseError


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    # A solution is never written on its own: validate.py builds it from its series entry.
    c.add("is written inside a \"series\" entry (scenario, goal, solutions), not on its own", qid, "type")
    return None


def to_json(q: Question) -> dict[str, Any]:
    return {"answer": q.key}


def normalize(q: Question, response: Any) -> Any:
    if not isinstance(response, bool):
        raise ResponseError(f"question {q.id}: a solution is answered True (Yes) or False (No), not {response!r}")
    return response


def is_complete(q: Question, response: Any) -> bool:
    return True


def credit(q: Question, response: Any) -> Fraction:
    return Fraction(int(response == q.key))


def answer_text(q: Question, value: Any) -> str:
    return "Yes" if value else "No"


def question_text(q: Question) -> str:
    return f"{q.prompt}\nDoes the solution meet the goal? (Yes/No)"
