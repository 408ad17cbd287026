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

from proctorprep.exam.bank import (
    ACTIVE_SCREEN, CASE_STUDY, DRAG_DROP, DROPDOWN, HOT_AREA, INFO, MATCHING, MULTIPLE, NUMERIC, ORDER, SHORT_ANSWER,
    SINGLE, SOLUTION, YESNO, Option, Question,
)
from proctorprep.exam.checker import Checker
from proctorprep.exam.items import (
    active_screen, drag_drop, dropdown, hot_area, info, matching, multiple, numeric, order, short_answer, single,
    solution, yesno,
)
from proctorprep.registry import Registry

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class UnknownQuestionType(LookupError):
    """A type nobody registered."""


def _as_given(q: Question, options: list[Option], bank_id: str) -> list[Option]:
    return options


def _key_as_response(q: Question) -> Any:
    """The key in the shape of a response (dict and list copies), for types whose key already has that shape."""
    if isinstance(q.key, dict):
        return dict(q.key)
    if isinstance(q.key, tuple):
        return list(q.key)
    return q.key


def _prompt_only(q: Question) -> str:
    return q.prompt


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
    answer_text: Callable[[Question, Any], str]          # a response in words ("B. 443"), for Anki and the CLI
    credit_rule: str              # one sentence for the score report's partial-credit rule
    correct_answer: Callable[[Question], Any] = _key_as_response   # the key in the shape of a response
    key_text: Callable[[Question], str] | None = None    # every accepted answer in words (default: answer_text)
    question_text: Callable[[Question], str] = _prompt_only   # the prompt with what to choose from, plain text
    present: Callable[[Question, list[Option], str], list[Option]] = _as_given   # the options as shown
    needs_answer: bool = True     # the entry must carry an "answer" key (yesno answers per statement)
    scored: bool = True           # False: information only (no points, no answer, explanation optional)

    def __post_init__(self) -> None:
        if not _KEY.match(self.key) or self.key == CASE_STUDY:
            raise ValueError(f"question type {self.key!r}: the key must be lower_snake_case and not {CASE_STUDY!r}")
        for name in ("build", "to_json", "normalize", "is_complete", "credit", "answer_text", "correct_answer",
                     "question_text", "present"):
            if not callable(getattr(self, name)):
                raise ValueError(f"question type {self.key!r}: {name} is not callable")
        if not self.title.strip() or not self.credit_rule.strip():
            raise ValueError(f"question type {self.key!r}: title and credit_rule must not be empty")
        object.__setattr__(self, "fields", frozenset(self.fields))
        if self.key_text is None:
            object.__setattr__(self, "key_text", lambda q: self.answer_text(q, self.correct_answer(q)))


_REGISTRY: Registry[QuestionType] = Registry("question type", "proctorprep/exam/question_types.py",
                                             UnknownQuestionType)
register = _REGISTRY.register
registered = _REGISTRY.registered
question_type = _REGISTRY.get
question_types = _REGISTRY.items
type_keys = _REGISTRY.keys


def _from(module: Any, key: str, title: str, fields: set[str], credit_rule: str, **extra: Any) -> QuestionType:
    """The descriptor of a type whose module (exam/items/<type>.py) defines the standard functions."""
    functions = {name: getattr(module, name) for name in ("correct_answer", "key_text", "question_text", "present")
                 if hasattr(module, name)}
    return QuestionType(key=key, title=title, fields=frozenset(fields), build=module.build, to_json=module.to_json,
                        normalize=module.normalize, is_complete=module.is_complete, credit=module.credit,
                        answer_text=module.answer_text, credit_rule=credit_rule, **functions, **extra)


BUILTIN: tuple[QuestionType, ...] = (
    _from(single, SINGLE, "Single choice", {"options"}, "Single choice is all or nothing."),
    _from(multiple, MULTIPLE, "Multiple response", {"options", "choose"},
          "Multiple response earns the share of the required choices that are right (2 of 3 right = 2/3)."),
    _from(yesno, YESNO, "Yes/No series", {"statements"}, "Yes/No series earn the share of statements answered right.",
          needs_answer=False),
    _from(order, ORDER, "Build list", {"options"},
          "Build lists earn the share of positions holding the right option, out of the longer of the key and the "
          "answer, so extra steps cost credit."),
    _from(matching, MATCHING, "Matching", {"targets", "options"},
          "Matching earns the share of targets answered right."),
    _from(short_answer, SHORT_ANSWER, "Short answer", set(),
          "Short answers are all or nothing, compared ignoring case and extra spaces."),
    _from(numeric, NUMERIC, "Numeric", set(), "Numeric answers are right within the item's tolerance of an accepted "
          "value."),
    _from(info, INFO, "Information", set(), "Information items carry no points.", needs_answer=False, scored=False),
    _from(dropdown, DROPDOWN, "Hot area (drop-downs in text)", {"template", "blanks", "code"},
          "Drop-downs in a sentence or code line earn the share of lists set right."),
    _from(hot_area, HOT_AREA, "Hot area (picture)", {"regions"},
          "A hot area on a picture earns the share of the right regions selected (at most as many as the key)."),
    _from(drag_drop, DRAG_DROP, "Drag and drop", {"targets", "options", "reuse"},
          "Drag and drop earns the share of targets holding the right tile."),
    _from(active_screen, ACTIVE_SCREEN, "Active screen", {"dialog", "controls"},
          "An active screen earns the share of the required settings left at the right value."),
    _from(solution, SOLUTION, "Problem-solution", set(),
          "Each solution of a problem-solution series is all or nothing, Yes or No.", needs_answer=False),
)

for _qt in BUILTIN:
    register(_qt)
