"""matching: drag and drop, each target gets one option (an option may fit several targets, or none). Response:
target id -> option id ({"t1": "o2"}); some targets may be left empty. Earns the share of targets answered right."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.checker import Checker, kind
from proctorprep.exam.items.common import answer_map, labelled_json, option_text, share_of_parts_right


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    targets = c.labelled(obj, "targets", qid, 1)
    options = c.labelled(obj, "options", qid, 1)
    if targets is None or options is None or "answer" not in obj:
        return None
    raw = obj["answer"]
    if not isinstance(raw, dict):
        c.add(f"must be an object mapping each target id to an option id, not {kind(raw)}", qid, "answer")
        return None
    target_ids = [t.id for t in targets]
    option_ids = [o.id for o in options]
    key: dict[str, str] = {}
    ok = True
    for tid, oid in raw.items():
        if tid not in target_ids:
            c.add(f"names target {tid!r}, which does not exist (targets: {', '.join(target_ids)})",
                  qid, f"answer.{tid}")
            ok = False
        elif not isinstance(oid, str) or oid not in option_ids:
            c.add(f"points to option {oid!r}, which does not exist (options: {', '.join(option_ids)})",
                  qid, f"answer.{tid}")
            ok = False
        else:
            key[tid] = oid
    for tid in target_ids:
        if tid not in raw:
            c.add(f"has no option for target {tid!r}", qid, "answer")
            ok = False
    return {"targets": targets, "options": options, "key": key} if ok else None


def to_json(q: Question) -> dict[str, Any]:
    return {"options": labelled_json(q.options), "targets": labelled_json(q.targets), "answer": dict(q.key)}


def normalize(q: Question, response: Any) -> Any:
    return answer_map(q, response, [t.id for t in q.targets], lambda v: v in q.option_ids(),
                      "target id -> option id")


def is_complete(q: Question, response: Any) -> bool:
    return len(response) == len(q.targets)


def credit(q: Question, response: Any) -> Fraction:
    return share_of_parts_right(q, response)


def answer_text(q: Question, value: Any) -> str:
    return "; ".join(f"{t.text} -> {option_text(q, value[t.id])}" for t in q.targets if t.id in value)


def question_text(q: Question) -> str:
    return "\n".join([q.prompt, *(f"- {t.text} -> ?" for t in q.targets),
                      "Choices: " + "; ".join(o.text for o in q.options)])
