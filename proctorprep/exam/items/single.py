"""single: one option is right. Response: one option id ("b"). All or nothing."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.checker import Checker, kind
from proctorprep.exam.errors import ResponseError
from proctorprep.exam.items.common import labelled_json, option_text, with_options


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    options = c.labelled(obj, "options", qid, 2, images=True)
    if options is None or "answer" not in obj:
        return None
    key = obj["answer"]
    ids = tuple(o.id for o in options)
    if not isinstance(key, str):
        c.add(f"must be one option id (text), not {kind(key)}", qid, "answer")
        return None
    if key not in ids:
        c.add(f"points to option {key!r}, which does not exist (options: {', '.join(ids)})", qid, "answer")
        return None
    return {"options": options, "key": key}


def to_json(q: Question) -> dict[str, Any]:
    return {"options": labelled_json(q.options), "answer": q.key}


def normalize(q: Question, response: Any) -> Any:
    if response not in q.option_ids():
        raise ResponseError(f"question {q.id}: {response!r} is not one of its options ({', '.join(q.option_ids())})")
    return response


def is_complete(q: Question, response: Any) -> bool:
    return True


def credit(q: Question, response: Any) -> Fraction:
    return Fraction(int(response == q.key))


def answer_text(q: Question, value: Any) -> str:
    return option_text(q, value)


def question_text(q: Question) -> str:
    return with_options(q)
