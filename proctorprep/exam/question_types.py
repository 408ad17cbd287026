"""The question-type registry: one descriptor per item type, binding how a bank states it, how it is written back,
what a response looks like and what it earns. Validation (validate.py), the native format (formats/json_bank.py),
scoring (scoring.py) and the exam session (session.py) dispatch through it; the widget that shows the type is
registered under the same key in ui/widgets/items/. An unknown key raises `UnknownQuestionType`.

To add a type: write exam/items/<type>.py and add one `QuestionType(...)` to `BUILTIN` below (or call `register()`),
then its widget (see docs/architecture.md). The keys are part of the bank format: add, never rename.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

from proctorprep.exam.bank import MATCHING, MULTIPLE, ORDER, SINGLE, YESNO, CASE_STUDY, Option, Question
from proctorprep.exam.checker import Checker
from proctorprep.exam.items import matching, multiple, order, single, yesno
from proctorprep.registry import Registry

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class UnknownQuestionType(LookupError):
    """A type nobody registered."""


def _as_given(q: Question, options: list[Option], bank_id: str) -> list[Option]:
    return options


@dataclass(frozen=True, slots=True)
class QuestionType:
    key: str                      # the "type" of a bank entry ("single")
    title: str                    # plain name for people: "Single choice"
    fields: frozenset[str]        # the JSON fields of the type besides the common ones (others are refused)
    build: Callable[[Checker, dict, str], dict | None]   # checks the entry, returns Question fields (key, ...)
    to_json: Callable[[Question], dict[str, Any]]        # the type's fields back in bank JSON (answer included)
    normalize: Callable[[Question, Any], Any]            # a non-None response, checked, in canonical JSON form
    is_complete: Callable[[Question, Any], bool]         # every part answered (a non-None normalized response)
    credit: Callable[[Question, Any], Fraction]          # share earned by a non-None normalized response, 0..1
    credit_rule: str              # one sentence for the score report's partial-credit rule
    needs_answer: bool = True     # the entry must carry an "answer" key (yesno answers per statement)
    present: Callable[[Question, list[Option], str], list[Option]] = _as_given   # the options as shown

    def __post_init__(self) -> None:
        if not _KEY.match(self.key) or self.key == CASE_STUDY:
            raise ValueError(f"question type {self.key!r}: the key must be lower_snake_case and not {CASE_STUDY!r}")
        for name in ("build", "to_json", "normalize", "is_complete", "credit", "present"):
            if not callable(getattr(self, name)):
                raise ValueError(f"question type {self.key!r}: {name} is not callable")
        if not self.title.strip() or not self.credit_rule.strip():
            raise ValueError(f"question type {self.key!r}: title and credit_rule must not be empty")
        object.__setattr__(self, "fields", frozenset(self.fields))


_REGISTRY: Registry[QuestionType] = Registry("question type", "proctorprep/exam/question_types.py",
                                             UnknownQuestionType)
register = _REGISTRY.register
registered = _REGISTRY.registered
question_type = _REGISTRY.get
question_types = _REGISTRY.items
type_keys = _REGISTRY.keys


BUILTIN: tuple[QuestionType, ...] = (
    QuestionType(SINGLE, "Single choice", frozenset({"options"}), single.build, single.to_json, single.normalize,
                 single.is_complete, single.credit, "Single choice is all or nothing."),
    QuestionType(MULTIPLE, "Multiple response", frozenset({"options", "choose"}), multiple.build, multiple.to_json,
                 multiple.normalize, multiple.is_complete, multiple.credit,
                 "Multiple response earns the share of the required choices that are right (2 of 3 right = 2/3)."),
    QuestionType(YESNO, "Yes/No series", frozenset({"statements"}), yesno.build, yesno.to_json, yesno.normalize,
                 yesno.is_complete, yesno.credit, "Yes/No series earn the share of statements answered right.",
                 needs_answer=False),
    QuestionType(ORDER, "Build list", frozenset({"options"}), order.build, order.to_json, order.normalize,
                 order.is_complete, order.credit,
                 "Build lists earn the share of positions holding the right option, out of the longer of the key "
                 "and the answer, so extra steps cost credit.", present=order.present),
    QuestionType(MATCHING, "Matching", frozenset({"targets", "options"}), matching.build, matching.to_json,
                 matching.normalize, matching.is_complete, matching.credit,
                 "Matching earns the share of targets answered right."),
)

for _qt in BUILTIN:
    register(_qt)
