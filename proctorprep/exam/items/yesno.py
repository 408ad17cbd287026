"""yesno: a series of statements, each Yes or No (each statement carries its own answer). Response: statement id ->
True/False ({"s1": True}); some may be left out. Earns the share of statements answered right."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question, Statement
from proctorprep.exam.checker import Checker
from proctorprep.exam.items.common import answer_map, share_of_parts_right


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    if "answer" in obj:
        c.add("is not used by yesno questions: each statement carries its own answer", qid, "answer")
    found = c.records(obj, "statements", qid, 1, with_answer=True)
    if found is None:
        return None
    statements = tuple(Statement(sid, text, answer) for sid, text, answer in found)
    return {"statements": statements, "key": {st.id: st.answer for st in statements}}


def to_json(q: Question) -> dict[str, Any]:
    return {"statements": [{"id": s.id, "text": s.text, "answer": s.answer} for s in q.statements]}


def normalize(q: Question, response: Any) -> Any:
    return answer_map(q, response, [s.id for s in q.statements], lambda v: isinstance(v, bool),
                      "statement id -> True/False")


def is_complete(q: Question, response: Any) -> bool:
    return len(response) == len(q.statements)


def credit(q: Question, response: Any) -> Fraction:
    return share_of_parts_right(q, response)


def answer_text(q: Question, value: Any) -> str:
    return "; ".join(f"{s.text}: {'Yes' if value[s.id] else 'No'}" for s in q.statements if s.id in value)


def question_text(q: Question) -> str:
    return "\n".join([q.prompt, *(f"- {s.text} (Yes/No)" for s in q.statements)])
