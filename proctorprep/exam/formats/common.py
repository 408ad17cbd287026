"""What every importer shares: the result of an import (a bank plus the items left out, each with its line), ids
made from titles, and the last step from parsed entries to a validated `Bank` with problems pointing at lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proctorprep.exam.bank import Bank
from proctorprep.exam.errors import BankError, Problem
from proctorprep.exam.validate import build_bank

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE_RE = re.compile(rf"^\s*({_NUMBER})\s*\.\.\s*({_NUMBER})\s*$")
_TOLERANCE_RE = re.compile(rf"^\s*({_NUMBER})\s*(?::\s*({_NUMBER}))?\s*$")

DEFAULT_SKILL = "General"
MINUTES_PER_QUESTION = 1.5


@dataclass(frozen=True, slots=True)
class Imported:
    """A bank imported from another format. `skipped` names every item that could not become a question (an
    essay, a type proctorprep cannot score), one Problem each with its line: the rest of the file still imports."""

    bank: Bank
    skipped: tuple[Problem, ...] = ()
    format: str = ""


@dataclass
class Collector:
    """Entries (native JSON shape), problems and skipped items gathered while one file is parsed."""

    label: str
    questions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def fail(self, line: int | None, message: str, qid: str | None = None, fld: str | None = None) -> None:
        self.problems.append(Problem(self.label, message, question=qid, field=fld, line=line))

    def skip(self, line: int | None, message: str, qid: str | None = None) -> None:
        self.skipped.append(Problem(self.label, message, question=qid, line=line))

    def unique_id(self, wanted: str) -> str:
        qid, k = wanted, 2
        while qid in self.lines:
            qid, k = f"{wanted}-{k}", k + 1
        return qid

    def add(self, entry: dict[str, Any], line: int | None) -> None:
        self.lines[entry["id"]] = line or 0
        self.questions.append(entry)


def slug(text: str, fallback: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")[:64]
    return s or fallback


def numeric_answer(text: str) -> dict[str, float] | None:
    """`3.14`, `3.14:0.01` (value:tolerance) or `1..5` (a range) -> {"value", "tolerance"}; None if not a number.
    The notation is GIFT's; the CSV layout uses it too."""
    r, t = _RANGE_RE.match(text), _TOLERANCE_RE.match(text)
    if r:
        lo, hi = sorted((float(r.group(1)), float(r.group(2))))
        return {"value": (lo + hi) / 2, "tolerance": (hi - lo) / 2}
    if t:
        return {"value": float(t.group(1)), "tolerance": abs(float(t.group(2) or 0))}
    return None


def fallback_explanation(entry: dict[str, Any]) -> str:
    """An imported question without feedback gets its key in words as the explanation."""
    if entry.get("type") == "info":
        return ""
    texts = {o["id"]: o["text"] for o in entry.get("options", [])}
    key = entry.get("answer")
    if entry.get("type") == "numeric":
        shown = " or ".join(f"{a['value']:g}" + (f" ± {a['tolerance']:g}" if a.get("tolerance") else "")
                            for a in key or [])
    elif entry.get("type") == "short_answer":
        shown = " or ".join(key or [])
    elif isinstance(key, str):
        shown = texts.get(key, key)
    elif isinstance(key, list):
        shown = "; ".join(texts.get(k, k) for k in key)
    else:
        tt = {t["id"]: t["text"] for t in entry.get("targets", [])}
        shown = "; ".join(f"{tt.get(t, t)} -> {texts.get(o, o)}" for t, o in (key or {}).items())
    return f"Correct answer: {shown}" if shown else "No explanation was given in the imported file."


def finish(c: Collector, fmt: str, *, bank_id: str | None = None, title: str | None = None,
           duration_minutes: int | None = None) -> Imported:
    """Entries -> a validated bank, or BankError listing every problem (each pointing at its line)."""
    stem = Path(c.label).stem
    if not c.questions and not c.problems:
        c.problems.append(Problem(c.label, "contains no questions that can be imported"
                                  + (f" ({len(c.skipped)} skipped)" if c.skipped else "")))
    if c.problems:
        raise BankError(c.problems)
    for entry in c.questions:
        if entry.get("type") != "info" and not entry.get("explanation"):
            entry["explanation"] = fallback_explanation(entry)
    scored = sum(1 for e in c.questions if e.get("type") != "info")
    data = {
        "id": bank_id or slug(stem, "imported-bank"),
        "title": title or stem.replace("_", " ").replace("-", " ").strip() or "Imported bank",
        "description": f"Imported from the {fmt} file {Path(c.label).name}.",
        "duration_minutes": duration_minutes or max(5, min(600, round(scored * MINUTES_PER_QUESTION))),
        "questions": c.questions,
    }
    try:
        bank = build_bank(data, c.label)
    except BankError as exc:   # point each problem at the line its question started on
        raise BankError([Problem(q.file, q.message, q.question, q.field, c.lines.get(q.question or "") or None)
                         for q in exc.problems]) from None
    return Imported(bank, tuple(c.skipped), fmt)
