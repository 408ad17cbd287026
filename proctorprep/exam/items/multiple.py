"""multiple: "choose N", exactly N options are right. Response: option ids (["a", "d"]), at most N, order not
counted. Earns the share of the required choices that are right."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.checker import Checker
from proctorprep.exam.errors import ResponseError
from proctorprep.exam.items.common import labelled_json, option_ids_in, option_text, with_options


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    options = c.labelled(obj, "options", qid, 2, images=True)
    choose = c.integer(obj, "choose", qid, "choose", 1, 100)
    if options is None or "answer" not in obj:
        return None
    key = c.id_list(obj["answer"], qid, "answer", tuple(o.id for o in options))
    if key is None or choose is None:
        return None
    if choose != len(key):
        c.add(f"says choose {choose} but the answer key lists {len(key)} option(s)", qid, "choose")
        return None
    if choose >= len(options):
        c.add(f"choose {choose} of {len(options)} options leaves nothing to get wrong", qid, "choose")
        return None
    return {"options": options, "key": key, "choose": choose}


def to_json(q: Question) -> dict[str, Any]:
    return {"options": labelled_json(q.options), "choose": q.choose, "answer": list(q.key)}


def normalize(q: Question, response: Any) -> Any:
    chosen = option_ids_in(q, response, "a multiple-response answer")
    if len(chosen) > (q.choose or 0):
        raise ResponseError(f"question {q.id}: choose {q.choose}, got {len(chosen)}")
    return [o for o in q.option_ids() if o in chosen] or None     # bank order: the same set, the same value


def is_complete(q: Question, response: Any) -> bool:
    return len(response) == q.choose


def credit(q: Question, response: Any) -> Fraction:
    return Fraction(len(set(response) & set(q.key)), q.choose)


def answer_text(q: Question, value: Any) -> str:
    return "; ".join(option_text(q, v) for v in value)


def question_text(q: Question) -> str:
    return with_options(q, f"(choose {q.choose})")
