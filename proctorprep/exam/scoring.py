"""Responses and credit, for any registered item type, and the 1-1000 scale.

What `ExamSession.answer(qid, response)` takes (None clears an answer) is each type's own shape, described at the
top of exam/items/<type>.py: "b" for single choice, ["a", "d"] for multiple response, {"s1": True} for a Yes/No
series, ...
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.errors import ResponseError
from proctorprep.exam.question_types import question_type, question_types

PASS_SCORE = 700
MIN_SCORE = 1
MAX_SCORE = 1000

GUESSING_RULE = "Wrong answers never cost more than the item: no penalty for guessing."


def partial_credit_rule() -> str:
    """Every registered type's own sentence, then the rule common to all."""
    return " ".join([*(qt.credit_rule for qt in question_types()), GUESSING_RULE])


PARTIAL_CREDIT_RULE = partial_credit_rule()    # the built-in types' wording, for the score report

SCALE_RULE = (
    "Points earned / points possible is mapped onto 1-1000 so that the bank's pass share (70 % unless the bank "
    "says otherwise) lands exactly on 700: linear from 1 to 700 below it and from 700 to 1000 above it."
)

__all__ = ["MAX_SCORE", "MIN_SCORE", "PARTIAL_CREDIT_RULE", "PASS_SCORE", "ResponseError", "SCALE_RULE",
           "correct_answer", "credit", "is_complete", "normalize_response", "partial_credit_rule", "scaled_score"]


def _type_of(q: Question) -> Any:
    try:
        return question_type(q.type)
    except LookupError:
        raise ResponseError(f"question {q.id}: unknown type {q.type!r}") from None


def normalize_response(q: Question, response: Any) -> Any:
    """Check a response against its question and return it in canonical, JSON-safe form (None = no answer)."""
    qt = _type_of(q)
    return None if response is None or not qt.scored else qt.normalize(q, response)


def is_complete(q: Question, response: Any) -> bool:
    """True when every part of the item has an answer (the review screen's "answered"); an item with nothing to
    answer always is."""
    qt = _type_of(q)
    return not qt.scored or (response is not None and qt.is_complete(q, response))


def credit(q: Question, response: Any) -> Fraction:
    """Share of the item earned by a normalized response, 0..1 (see partial_credit_rule())."""
    qt = _type_of(q)
    return Fraction(0) if response is None or not qt.scored else qt.credit(q, response)


def correct_answer(q: Question) -> Any:
    """The key in the shape of a response, JSON-safe (the first accepted answer where several are)."""
    return _type_of(q).correct_answer(q)


def scaled_score(earned: Fraction, possible: Fraction, pass_fraction: float) -> int:
    """1..1000 with the pass share on exactly 700 (integer arithmetic: no rounding can flip pass/fail)."""
    share = Fraction(earned) / Fraction(possible) if possible else Fraction(0)
    pf = Fraction(str(pass_fraction))
    if share < pf:
        return MIN_SCORE + int((PASS_SCORE - MIN_SCORE) * share / pf)
    return PASS_SCORE + int((MAX_SCORE - PASS_SCORE) * (share - pf) / (1 - pf))
