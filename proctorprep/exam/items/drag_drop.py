"""drag_drop: tiles dragged onto targets (with the keyboard too: pick a tile, then a target). Like matching, but a
tile is used at most once unless the item says `"reuse": true`. Response: target id -> option id; some targets may
be left empty. Earns the share of targets answered right."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.checker import Checker, kind
from proctorprep.exam.errors import ResponseError
from proctorprep.exam.items import matching


@dataclass(frozen=True, slots=True)
class DragDrop:
    reuse: bool


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    reuse = obj.get("reuse", False)
    if not isinstance(reuse, bool):
        c.add(f"must be true or false, not {kind(reuse)}", qid, "reuse")
        return None
    parts = matching.build(c, obj, qid)
    if parts is None:
        return None
    used = list(parts["key"].values())
    if not reuse and len(set(used)) != len(used):
        twice = sorted({o for o in used if used.count(o) > 1})
        c.add(f"uses tile(s) {', '.join(map(repr, twice))} for more than one target; say \"reuse\": true if a tile "
              "may be dropped on several targets", qid, "answer")
        return None
    return {**parts, "detail": DragDrop(reuse)}


def to_json(q: Question) -> dict[str, Any]:
    out = matching.to_json(q)
    if q.detail.reuse:
        out["reuse"] = True
    return out


def normalize(q: Question, response: Any) -> Any:
    value = matching.normalize(q, response)
    if value and not q.detail.reuse and len(set(value.values())) != len(value):
        raise ResponseError(f"question {q.id}: each tile may be dropped once")
    return value


def is_complete(q: Question, response: Any) -> bool:
    return matching.is_complete(q, response)


def credit(q: Question, response: Any) -> Fraction:
    return matching.credit(q, response)


answer_text = matching.answer_text
question_text = matching.question_text
