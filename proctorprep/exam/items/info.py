"""info: information only (an imported GIFT/Moodle "description"): shown, nothing to answer, no points. Its
descriptor is marked unscored, so validation refuses points and an answer and scoring gives it nothing."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.checker import Checker


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    return {"key": None}


def to_json(q: Question) -> dict[str, Any]:
    return {}


def normalize(q: Question, response: Any) -> Any:
    return None


def is_complete(q: Question, response: Any) -> bool:
    return True


def credit(q: Question, response: Any) -> Fraction:
    return Fraction(0)


def answer_text(q: Question, value: Any) -> str:
    return ""
