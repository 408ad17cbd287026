"""numeric: type a number; right within the item's tolerance of an accepted value. Response: a finite number (3.5;
the UI parses what was typed). All or nothing."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.checker import Checker, kind
from proctorprep.exam.errors import ResponseError
from proctorprep.exam.items.short_answer import MAX_ACCEPTED

MAX_MAGNITUDE = 1e15         # beyond this a float no longer holds every whole number


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    if "answer" not in obj:
        return None
    raw = obj["answer"]
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not raw or len(raw) > MAX_ACCEPTED:
        c.add("must be an object {\"value\": number, \"tolerance\": number} or a list of 1-"
              f"{MAX_ACCEPTED} of them, not {kind(raw)}", qid, "answer")
        return None
    out: list[tuple[float, float]] = []
    for i, item in enumerate(raw):
        path = f"answer[{i}]"
        if not isinstance(item, dict):
            c.add(f"must be an object with value and tolerance, not {kind(item)}", qid, path)
            return None
        c.unknown_fields(item, {"value", "tolerance"}, qid, path)
        nums = []
        for name, required in (("value", True), ("tolerance", False)):
            v = item.get(name, 0)
            if name not in item and required:
                c.add("is missing", qid, f"{path}.{name}")
                return None
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not abs(v) <= MAX_MAGNITUDE:
                c.add(f"must be a number of at most {MAX_MAGNITUDE:.0e} in size, not {v!r}", qid, f"{path}.{name}")
                return None
            nums.append(float(v))
        if nums[1] < 0:
            c.add(f"must not be negative, not {nums[1]:g}", qid, f"{path}.tolerance")
            return None
        out.append((nums[0], nums[1]))
    return {"key": tuple(out)}


def to_json(q: Question) -> dict[str, Any]:
    return {"answer": [{"value": v, "tolerance": t} for v, t in q.key]}


def correct_answer(q: Question) -> Any:
    return q.key[0][0]


def normalize(q: Question, response: Any) -> Any:
    if isinstance(response, bool) or not isinstance(response, (int, float)) or not abs(response) <= MAX_MAGNITUDE:
        raise ResponseError(f"question {q.id}: a numeric answer must be a finite number, not {response!r}")
    return float(response)


def is_complete(q: Question, response: Any) -> bool:
    return True


def credit(q: Question, response: Any) -> Fraction:
    # A hair of slack so 0.1 + 0.2 typed as 0.3 with tolerance 0 is still right.
    return Fraction(int(any(abs(response - v) <= t + 1e-9 * max(1.0, abs(v)) for v, t in q.key)))


def answer_text(q: Question, value: Any) -> str:
    return f"{value:g}"


def key_text(q: Question) -> str:
    return " or ".join(f"{v:g}" + (f" (± {t:g})" if t else "") for v, t in q.key)
