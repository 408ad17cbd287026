"""A key or a response in words ("B. 443", "SSH -> 22; DNS -> 53"), for places that show answers outside the exam
page: the Anki export, the CLI. Each type says it in its own words (exam/items/<type>.py, through the registry)."""

from __future__ import annotations

from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.question_types import question_type


def answer_text(q: Question, value: Any) -> str:
    """A response in words; "" for no answer or an item with nothing to answer."""
    qt = question_type(q.type)
    return "" if value is None or not qt.scored else qt.answer_text(q, value)


def key_text(q: Question) -> str:
    """Every accepted answer in words."""
    qt = question_type(q.type)
    return qt.key_text(q) if qt.scored else ""


def question_text(q: Question) -> str:
    """The prompt with what the candidate chose from (options, statements, targets), as plain text."""
    return question_type(q.type).question_text(q)
