"""order: a build list, some of the options put in order (options not in the key are distractors). Response:
option ids in the candidate's order (["c", "a", "d"]). Earns the share of positions holding the right option, out of
the longer of the key and the answer, so extra steps cost credit."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Option, Question
from proctorprep.exam.checker import Checker
from proctorprep.exam.items.common import labelled_json, option_ids_in, option_text, with_options


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    options = c.labelled(obj, "options", qid, 2)
    if options is None or "answer" not in obj:
        return None
    key = c.id_list(obj["answer"], qid, "answer", tuple(o.id for o in options))
    if key is None:
        return None
    if len(key) < 2:
        c.add(f"must put at least 2 options in order, found {len(key)}", qid, "answer")
        return None
    return {"options": options, "key": key}


def to_json(q: Question) -> dict[str, Any]:
    return {"options": labelled_json(q.options), "answer": list(q.key)}


def normalize(q: Question, response: Any) -> Any:
    return option_ids_in(q, response, "a build list") or None


def is_complete(q: Question, response: Any) -> bool:
    return len(response) >= len(q.key)


def credit(q: Question, response: Any) -> Fraction:
    right = sum(1 for a, b in zip(response, q.key) if a == b)
    return Fraction(right, max(len(q.key), len(response)))


def present(q: Question, options: list[Option], bank_id: str) -> list[Option]:
    """A build list is never shown in its answer order, shuffled or not."""
    opts = list(options)
    if [o.id for o in opts[: len(q.key)]] == list(q.key):
        # Seeded by bank and question id so an unshuffled exam still looks the same every time.
        local = random.Random(f"{bank_id}/{q.id}")
        for _ in range(20):
            local.shuffle(opts)
            if [o.id for o in opts[: len(q.key)]] != list(q.key):
                break
    return opts


def answer_text(q: Question, value: Any) -> str:
    return " -> ".join(option_text(q, v) for v in value)


def question_text(q: Question) -> str:
    return with_options(q)
