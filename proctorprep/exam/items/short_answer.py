"""short_answer: type a word or phrase; any accepted text is right, compared ignoring case and runs of spaces.
Response: the typed text ("Azure Policy"; blank = no answer). All or nothing."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.checker import MAX_ID_LEN, Checker, kind
from proctorprep.exam.errors import ResponseError

MAX_ACCEPTED = 50            # accepted answers of one short-answer or numeric item
MAX_RESPONSE = 500


def normalize_text(text: str) -> str:
    """How short answers are compared: case folded, runs of white space as one space, ends trimmed."""
    return " ".join(text.split()).casefold()


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    if "answer" not in obj:
        return None
    raw = obj["answer"]
    if not isinstance(raw, list) or not raw:
        c.add(f"must be a non-empty list of accepted answers (text), not {kind(raw)}", qid, "answer")
        return None
    if len(raw) > MAX_ACCEPTED:
        c.add(f"lists {len(raw)} accepted answers; the limit is {MAX_ACCEPTED}", qid, "answer")
        return None
    out: list[str] = []
    for i, v in enumerate(raw):
        if not isinstance(v, str) or not normalize_text(v):
            c.add(f"must be a non-empty accepted answer (text), not {kind(v)}", qid, f"answer[{i}]")
            return None
        if len(v) > MAX_ID_LEN * 2:
            c.add(f"is {len(v)} characters long; an accepted answer is at most {MAX_ID_LEN * 2}", qid, f"answer[{i}]")
            return None
        if normalize_text(v) in map(normalize_text, out):
            c.add(f"repeats the accepted answer {v!r} (case and spacing are ignored)", qid, f"answer[{i}]")
            return None
        out.append(v)
    return {"key": tuple(out)}


def to_json(q: Question) -> dict[str, Any]:
    return {"answer": list(q.key)}


def correct_answer(q: Question) -> Any:
    return q.key[0]


def normalize(q: Question, response: Any) -> Any:
    if not isinstance(response, str):
        raise ResponseError(f"question {q.id}: a short answer must be text, not {type(response).__name__}")
    return " ".join(response.split())[:MAX_RESPONSE] or None


def is_complete(q: Question, response: Any) -> bool:
    return True


def credit(q: Question, response: Any) -> Fraction:
    return Fraction(int(normalize_text(response) in {normalize_text(a) for a in q.key}))


def answer_text(q: Question, value: Any) -> str:
    return str(value)


def key_text(q: Question) -> str:
    return " or ".join(q.key)
