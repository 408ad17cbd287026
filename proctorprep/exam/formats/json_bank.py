"""The native bank format: one JSON file (see proctorprep/schema/question-bank.schema.json)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from proctorprep.exam.bank import FORMAT_NAME, FORMAT_VERSION, Bank
from proctorprep.exam.errors import BankError, Problem
from proctorprep.exam.formats.limits import Readable, check_json_depth, decode_text, read_limited
from proctorprep.exam.question_types import question_type
from proctorprep.exam.validate import build_bank


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a question bank")


def parse_json_data(text: str, label: str) -> Any:
    """JSON text -> plain data, or BankError with line and column (never RecursionError, never NaN)."""
    check_json_depth(text, label)
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise BankError([Problem(label, f"is not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno)]) \
            from None
    except ValueError as exc:      # NaN / Infinity
        raise BankError([Problem(label, f"is not valid JSON: {exc}")]) from None
    except RecursionError:         # belt and braces: check_json_depth should have refused it already
        raise BankError([Problem(label, "is nested too deeply to be a question bank")]) from None


def parse_json_bank(text: str, label: str = "<text>") -> Bank:
    return build_bank(parse_json_data(text, label), label)


def load_json_bank(path: str | os.PathLike[str] | Readable, label: str | None = None) -> Bank:
    """A bank file, with its pictures and reference pages (a folder or zip of the same stem next to it) attached
    and checked. A bundled bank read through importlib.resources is a real folder too."""
    label, raw = read_limited(path, label)
    bank = parse_json_bank(decode_text(raw, label), label)
    if bank.uses_files():
        from dataclasses import replace

        from proctorprep.exam.assets import attach_files

        where = Path(path) if isinstance(path, (str, os.PathLike)) else Path(str(path))
        bank = attach_files(replace(bank, source=label), where)
    return bank


def bank_to_dict(bank: Bank) -> dict[str, Any]:
    """The native JSON form of a bank (used to store imported GIFT banks); build_bank(bank_to_dict(b)) == b."""
    def question(q: Any) -> dict[str, Any]:
        d: dict[str, Any] = {"id": q.id, "type": q.type, "skill": q.skill, "prompt": q.prompt,
                             **({"image": q.image} if q.image else {}), **question_type(q.type).to_json(q)}
        if q.points != 1 and q.scored:
            d["points"] = q.points
        if q.explanation or q.scored:
            d["explanation"] = q.explanation
        return d

    entries: list[dict[str, Any]] = []
    done: set[str] = set()
    for q in bank.questions:
        if q.series_id is not None:
            if q.series_id not in done:
                done.add(q.series_id)
                ser = bank.series[q.series_id]
                sols = [bank.question(i) for i in ser.question_ids]
                entry: dict[str, Any] = {"id": ser.id, "type": "series", "title": ser.title, "scenario": ser.scenario,
                                         "goal": ser.goal, "skill": q.skill}
                if q.points != 1:
                    entry["points"] = q.points
                entry["solutions"] = [{"id": s.id, "text": s.prompt, "answer": s.key, "explanation": s.explanation}
                                      for s in sols]
                entries.append(entry)
        elif q.case_id is None:
            entries.append(question(q))
        elif q.case_id not in done:
            done.add(q.case_id)
            case = bank.case_studies[q.case_id]
            entries.append({"id": case.id, "type": "case_study", "title": case.title,
                            "tabs": [{"title": t.title, "text": t.text} for t in case.tabs],
                            "questions": [question(bank.question(i)) for i in case.question_ids]})
    out: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "id": bank.id, "title": bank.title}
    if bank.description:
        out["description"] = bank.description
    out["duration_minutes"] = bank.duration_minutes
    if bank.pass_fraction != 0.7:
        out["pass_fraction"] = bank.pass_fraction
    if bank.breaks:
        out["breaks"] = True
    out["skill_areas"] = list(bank.skill_areas)
    if bank.references:
        out["references"] = [{"title": r.title, "file": r.file} for r in bank.references]
    if bank.sections:
        out["sections"] = [{"id": sec.id, "title": sec.title, "questions": list(sec.entries)}
                           for sec in bank.sections]
    out["questions"] = entries
    return out
