"""Responses and credit: what an answer looks like per item type, how much it earns, and the 1-1000 scale.

Response shapes (what `ExamSession.answer(qid, response)` takes; None clears an answer):
    single    "b"                               one option id
    multiple  ["a", "d"]                        option ids, at most `choose` of them (order does not matter)
    yesno     {"s1": True, "s2": False}         statement id -> Yes (True) / No (False); some may be left out
    order     ["c", "a", "d"]                   option ids in the candidate's order (a build list)
    matching  {"t1": "o2", "t2": "o1"}          target id -> option id; some targets may be left empty
    short_answer  "Azure Policy"                the typed text (blank = no answer)
    numeric   3.5                               a finite number (the UI parses what was typed)
    info      None                              nothing to answer
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import INFO, MATCHING, MULTIPLE, NUMERIC, ORDER, SHORT_ANSWER, SINGLE, YESNO, Question
from proctorprep.exam.validate import MAX_MAGNITUDE, normalize_text

PASS_SCORE = 700
MIN_SCORE = 1
MAX_SCORE = 1000

PARTIAL_CREDIT_RULE = (
    "Single choice is all or nothing. Multiple response earns the share of the required choices that are right "
    "(2 of 3 right = 2/3). Yes/No series and matching earn the share of statements or targets answered right. "
    "Build lists earn the share of positions holding the right option, out of the longer of the key and the "
    "answer, so extra steps cost credit. Short answers are all or nothing, compared ignoring case and extra "
    "spaces; numeric answers are right within the item's tolerance of an accepted value. Information items "
    "carry no points. Wrong answers never cost more than the item: no penalty for guessing."
)

SCALE_RULE = (
    "Points earned / points possible is mapped onto 1-1000 so that the bank's pass share (70 % unless the bank "
    "says otherwise) lands exactly on 700: linear from 1 to 700 below it and from 700 to 1000 above it."
)


class ResponseError(ValueError):
    """A response that does not fit its question (unknown option id, wrong shape): a programming error in the
    caller, never something a candidate can cause through the UI."""


def _ids(q: Question, value: Any, what: str) -> list[str]:
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


def normalize_response(q: Question, response: Any) -> Any:
    """Check a response against its question and return it in canonical, JSON-safe form (None = no answer)."""
    if response is None or q.type == INFO:
        return None
    if q.type == SHORT_ANSWER:
        if not isinstance(response, str):
            raise ResponseError(f"question {q.id}: a short answer must be text, not {type(response).__name__}")
        text = " ".join(response.split())[:500]
        return text or None
    if q.type == NUMERIC:
        if isinstance(response, bool) or not isinstance(response, (int, float)) or not abs(response) <= MAX_MAGNITUDE:
            raise ResponseError(f"question {q.id}: a numeric answer must be a finite number, not {response!r}")
        return float(response)
    if q.type == SINGLE:
        if response not in q.option_ids():
            raise ResponseError(f"question {q.id}: {response!r} is not one of its options "
                                f"({', '.join(q.option_ids())})")
        return response
    if q.type == MULTIPLE:
        chosen = _ids(q, response, "a multiple-response answer")
        if len(chosen) > (q.choose or 0):
            raise ResponseError(f"question {q.id}: choose {q.choose}, got {len(chosen)}")
        return [o for o in q.option_ids() if o in chosen] or None     # bank order: the same set, the same value
    if q.type == ORDER:
        return _ids(q, response, "a build list") or None
    if q.type in (YESNO, MATCHING):
        if not isinstance(response, dict):
            raise ResponseError(f"question {q.id}: a {q.type} answer must be a dict, not {type(response).__name__}")
        if q.type == YESNO:
            order = [s.id for s in q.statements]
            for k, v in response.items():
                if k not in order or not (v is None or isinstance(v, bool)):
                    raise ResponseError(f"question {q.id}: {k!r}: {v!r} is not statement id -> True/False")
        else:
            order = [t.id for t in q.targets]
            for k, v in response.items():
                if k not in order or not (v is None or v in q.option_ids()):
                    raise ResponseError(f"question {q.id}: {k!r}: {v!r} is not target id -> option id")
        out = {k: response[k] for k in order if response.get(k) is not None}
        return out or None
    raise ResponseError(f"question {q.id}: unknown type {q.type!r}")


def is_complete(q: Question, response: Any) -> bool:
    """True when every part of the item has an answer (the review screen's "answered")."""
    if q.type == INFO:
        return True
    if response is None:
        return False
    if q.type == MULTIPLE:
        return len(response) == q.choose
    if q.type == YESNO:
        return len(response) == len(q.statements)
    if q.type == MATCHING:
        return len(response) == len(q.targets)
    if q.type == ORDER:
        return len(response) >= len(q.key)
    return True


def credit(q: Question, response: Any) -> Fraction:
    """Share of the item earned by a normalized response, 0..1 (see PARTIAL_CREDIT_RULE)."""
    if response is None or q.type == INFO:
        return Fraction(0)
    if q.type == SINGLE:
        return Fraction(int(response == q.key))
    if q.type == SHORT_ANSWER:
        return Fraction(int(normalize_text(response) in {normalize_text(a) for a in q.key}))
    if q.type == NUMERIC:
        # A hair of slack so 0.1 + 0.2 typed as 0.3 with tolerance 0 is still right.
        return Fraction(int(any(abs(response - v) <= t + 1e-9 * max(1.0, abs(v)) for v, t in q.key)))
    if q.type == MULTIPLE:
        return Fraction(len(set(response) & set(q.key)), q.choose)
    if q.type in (YESNO, MATCHING):
        return Fraction(sum(1 for k, v in q.key.items() if response.get(k) == v), len(q.key))
    if q.type == ORDER:
        right = sum(1 for a, b in zip(response, q.key) if a == b)
        return Fraction(right, max(len(q.key), len(response)))
    raise ResponseError(f"question {q.id}: unknown type {q.type!r}")


def scaled_score(earned: Fraction, possible: Fraction, pass_fraction: float) -> int:
    """1..1000 with the pass share on exactly 700 (integer arithmetic: no rounding can flip pass/fail)."""
    share = Fraction(earned) / Fraction(possible) if possible else Fraction(0)
    pf = Fraction(str(pass_fraction))
    if share < pf:
        return MIN_SCORE + int((PASS_SCORE - MIN_SCORE) * share / pf)
    return PASS_SCORE + int((MAX_SCORE - PASS_SCORE) * (share - pf) / (1 - pf))
