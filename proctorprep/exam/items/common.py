"""Response checks shared by several question types."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Option, Question
from proctorprep.exam.errors import ResponseError


def option_ids_in(q: Question, value: Any, what: str) -> list[str]:
    """A list of distinct option ids of `q`, in the order given."""
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise ResponseError(f"question {q.id}: {what} must be a list of option ids, not {type(value).__name__}")
    out: list[str] = []
    valid = q.option_ids()
    for v in value:
        if v not in valid:
            raise ResponseError(f"question {q.id}: {v!r} is not one of its options ({', '.join(valid)})")
        if v in out:
            raise ResponseError(f"question {q.id}: option {v!r} given twice")
        out.append(v)
    return out


def answer_map(q: Question, response: Any, order: list[str], fits: Any, what: str) -> dict[str, Any] | None:
    """A dict response (part id -> answer) checked part by part, in the question's order; None when empty."""
    if not isinstance(response, dict):
        raise ResponseError(f"question {q.id}: a {q.type} answer must be a dict, not {type(response).__name__}")
    for k, v in response.items():
        if k not in order or not (v is None or fits(v)):
            raise ResponseError(f"question {q.id}: {k!r}: {v!r} is not {what}")
    return {k: response[k] for k in order if response.get(k) is not None} or None


def labelled_json(items: tuple[Option, ...]) -> list[dict[str, str]]:
    return [{"id": o.id, "text": o.text, **({"image": o.image} if o.image else {})} for o in items]


def share_of_parts_right(q: Question, response: dict[str, Any]) -> Fraction:
    """Credit of a dict-keyed item (statements, targets): the share of parts answered right."""
    return Fraction(sum(1 for k, v in q.key.items() if response.get(k) == v), len(q.key))


def option_text(q: Question, oid: Any) -> str:
    return next((o.text for o in q.options if o.id == oid), str(oid))


def with_options(q: Question, *before: str) -> str:
    """The prompt, then the options it offers, as plain text lines."""
    return "\n".join([q.prompt, *before, *(f"- {o.text}" for o in q.options)])
