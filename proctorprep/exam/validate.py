"""Check a parsed question bank (plain JSON data) and build the `Bank` model from it.

Every problem is collected (file, question id, field, plain words) before anything is raised, so an author fixes a
file in one go. The rules mirror proctorprep/schema/question-bank.schema.json; the checks a JSON Schema cannot express
(unique ids, keys pointing at real options, "choose N" matching the key) live only here."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import (
    CASE_STUDY, ENTRY_TYPES, FORMAT_NAME, FORMAT_VERSION, INFO, MATCHING, MULTIPLE, NUMERIC, ORDER, SHORT_ANSWER,
    SINGLE, YESNO,
    Bank, CaseStudy, Option, Question, Statement, Tab,
)
from proctorprep.exam.errors import BankError, Problem

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")    # bank ids become file names on import
MAX_ID_LEN = 100
MAX_TEXT = 20_000            # characters in one text field: a generous page of scenario text
MAX_QUESTIONS = 2_000
MAX_POINTS = 10
MAX_ACCEPTED = 50            # accepted answers of one short-answer or numeric item
MAX_MAGNITUDE = 1e15         # numeric answers: beyond this a float no longer holds every whole number
DEFAULT_PASS_FRACTION = 0.7

BANK_FIELDS = {"format", "version", "id", "title", "description", "duration_minutes", "pass_fraction",
               "skill_areas", "questions"}
COMMON_FIELDS = {"id", "type", "skill", "prompt", "explanation", "points", "answer"}
TYPE_FIELDS = {
    SINGLE: {"options"},
    MULTIPLE: {"options", "choose"},
    YESNO: {"statements"},
    ORDER: {"options"},
    MATCHING: {"targets", "options"},
    SHORT_ANSWER: set(),
    NUMERIC: set(),
    INFO: set(),
}
INFO_FIELDS = {"id", "type", "skill", "prompt", "explanation"}   # nothing to answer, nothing to score
CASE_FIELDS = {"id", "type", "title", "tabs", "questions"}


def normalize_text(text: str) -> str:
    """How short answers are compared: case folded, runs of white space as one space, ends trimmed."""
    return " ".join(text.split()).casefold()


def _kind(value: Any) -> str:
    """A JSON type name for messages ("a number", not "float")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class _Checker:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.seen_ids: set[str] = set()
        self.skills: list[str] = []

    def add(self, message: str, qid: str | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(self.source, message, question=qid, field=field))

    # --- primitive checks: return the value when it is right, else None (and record why) ---------------------

    def text(self, obj: dict, key: str, qid: str | None, path: str, required: bool = True) -> str | None:
        if key not in obj:
            if required:
                self.add("is missing", qid, path)
            return None
        value = obj[key]
        if not isinstance(value, str):
            self.add(f"must be text, not {_kind(value)}", qid, path)
            return None
        if required and not value.strip():
            self.add("must not be empty", qid, path)
            return None
        if len(value) > MAX_TEXT:
            self.add(f"is {len(value)} characters long; the limit is {MAX_TEXT}", qid, path)
            return None
        return value

    def integer(self, obj: dict, key: str, qid: str | None, path: str, lo: int, hi: int,
                required: bool = True) -> int | None:
        if key not in obj:
            if required:
                self.add("is missing", qid, path)
            return None
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"must be a whole number, not {_kind(value)}", qid, path)
            return None
        if not lo <= value <= hi:
            self.add(f"must be between {lo} and {hi}, not {value}", qid, path)
            return None
        return value

    def items(self, obj: dict, key: str, qid: str | None, path: str, minimum: int) -> list | None:
        if key not in obj:
            self.add("is missing", qid, path)
            return None
        value = obj[key]
        if not isinstance(value, list):
            self.add(f"must be a list, not {_kind(value)}", qid, path)
            return None
        if len(value) < minimum:
            self.add(f"must list at least {minimum}, found {len(value)}", qid, path)
            return None
        return value

    def unknown_fields(self, obj: dict, allowed: set[str], qid: str | None, path: str = "") -> None:
        for key in obj:
            if key not in allowed:
                name = f"{path}.{key}" if path else str(key)
                self.add(f"is not a known field (allowed: {', '.join(sorted(allowed))})", qid, name)

    def entry_id(self, obj: dict, path: str, fallback: str) -> str:
        """The entry's id for messages (or a positional stand-in) and the duplicate check."""
        value = obj.get("id")
        if "id" not in obj:
            self.add("is missing", fallback, "id")
            return fallback
        if not isinstance(value, str) or not value.strip():
            self.add(f"must be non-empty text, not {_kind(value)}", fallback, "id")
            return fallback
        if len(value) > MAX_ID_LEN:
            self.add(f"must be at most {MAX_ID_LEN} characters", fallback, "id")
            return fallback
        if value in self.seen_ids:
            self.add(f"duplicate id {value!r} (ids must be unique in the bank, case studies included)", value, "id")
        self.seen_ids.add(value)
        return value

    def records(self, obj: dict, key: str, qid: str, minimum: int,
                with_answer: bool = False) -> list[tuple[str, str, Any]] | None:
        """A list of {id, text} objects (plus a true/false answer for statements) with ids unique in the list.
        Returns (id, text, answer) per item, or None if anything in the list is wrong (all of it reported)."""
        raw = self.items(obj, key, qid, key, minimum)
        if raw is None:
            return None
        fields = {"id", "text", "answer"} if with_answer else {"id", "text"}
        out: list[tuple[str, str, Any]] = []
        seen: set[str] = set()
        ok = True
        for i, item in enumerate(raw):
            path = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.add(f"must be an object with {', '.join(sorted(fields))}, not {_kind(item)}", qid, path)
                ok = False
                continue
            self.unknown_fields(item, fields, qid, path)
            rid = self.text(item, "id", qid, f"{path}.id")
            text = self.text(item, "text", qid, f"{path}.text")
            answer = item.get("answer")
            if with_answer and "answer" not in item:
                self.add("is missing (true for Yes, false for No)", qid, f"{path}.answer")
            elif with_answer and not isinstance(answer, bool):
                self.add(f"must be true or false, not {_kind(answer)}", qid, f"{path}.answer")
                answer = None
            if rid is not None and rid in seen:
                self.add(f"duplicate id {rid!r}", qid, f"{path}.id")
                rid = None
            if rid is None or text is None or (with_answer and not isinstance(answer, bool)):
                ok = False
                continue
            seen.add(rid)
            out.append((rid, text, answer))
        return out if ok else None

    def labelled(self, obj: dict, key: str, qid: str, minimum: int) -> tuple[Option, ...] | None:
        """Options and matching targets."""
        found = self.records(obj, key, qid, minimum)
        return None if found is None else tuple(Option(rid, text) for rid, text, _ in found)

    def id_list(self, value: Any, qid: str, path: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.add(f"must be a list of option ids, not {_kind(value)}", qid, path)
            return None
        out: list[str] = []
        ok = True
        for i, v in enumerate(value):
            if not isinstance(v, str):
                self.add(f"must be an option id (text), not {_kind(v)}", qid, f"{path}[{i}]")
                ok = False
            elif v not in allowed:
                self.add(f"points to option {v!r}, which does not exist (options: {', '.join(allowed)})",
                         qid, f"{path}[{i}]")
                ok = False
            elif v in out:
                self.add(f"lists option {v!r} twice", qid, f"{path}[{i}]")
                ok = False
            else:
                out.append(v)
        return tuple(out) if ok else None

    # --- entries ------------------------------------------------------------------------------------------------

    def question(self, obj: dict, index_path: str, case_id: str | None) -> Question | None:
        qid = self.entry_id(obj, index_path, index_path)
        qtype = obj.get("type")
        if "type" not in obj:
            self.add("is missing", qid, "type")
            return None
        if qtype not in ENTRY_TYPES:
            self.add(f"unknown type {qtype!r} (known: {', '.join(ENTRY_TYPES)})", qid, "type")
            return None
        if qtype == CASE_STUDY:
            self.add("a case study cannot contain another case study", qid, "type")
            return None
        self.unknown_fields(obj, INFO_FIELDS if qtype == INFO else COMMON_FIELDS | TYPE_FIELDS[qtype], qid)
        skill = self.text(obj, "skill", qid, "skill")
        prompt = self.text(obj, "prompt", qid, "prompt")
        explanation = self.text(obj, "explanation", qid, "explanation", required=qtype != INFO)
        if qtype == INFO:
            explanation = explanation or ""
        points = self.integer(obj, "points", qid, "points", 1, MAX_POINTS, required=False)
        if skill is not None and skill not in self.skills:
            self.skills.append(skill)
        if "answer" not in obj and qtype not in (YESNO, INFO):
            self.add("is missing (the answer key)", qid, "answer")
        build = getattr(self, f"_{qtype}")
        parts = build(obj, qid)
        if parts is None or None in (skill, prompt, explanation):
            return None
        return Question(id=qid, type=qtype, skill=skill, prompt=prompt, explanation=explanation,
                        points=0 if qtype == INFO else points or 1, case_id=case_id, **parts)

    def _single(self, obj: dict, qid: str) -> dict | None:
        options = self.labelled(obj, "options", qid, 2)
        if options is None or "answer" not in obj:
            return None
        key = obj["answer"]
        ids = tuple(o.id for o in options)
        if not isinstance(key, str):
            self.add(f"must be one option id (text), not {_kind(key)}", qid, "answer")
            return None
        if key not in ids:
            self.add(f"points to option {key!r}, which does not exist (options: {', '.join(ids)})", qid, "answer")
            return None
        return {"options": options, "key": key}

    def _multiple(self, obj: dict, qid: str) -> dict | None:
        options = self.labelled(obj, "options", qid, 2)
        choose = self.integer(obj, "choose", qid, "choose", 1, 100)
        if options is None or "answer" not in obj:
            return None
        key = self.id_list(obj["answer"], qid, "answer", tuple(o.id for o in options))
        if key is None or choose is None:
            return None
        if choose != len(key):
            self.add(f"says choose {choose} but the answer key lists {len(key)} option(s)", qid, "choose")
            return None
        if choose >= len(options):
            self.add(f"choose {choose} of {len(options)} options leaves nothing to get wrong", qid, "choose")
            return None
        return {"options": options, "key": key, "choose": choose}

    def _yesno(self, obj: dict, qid: str) -> dict | None:
        if "answer" in obj:
            self.add("is not used by yesno questions: each statement carries its own answer", qid, "answer")
        found = self.records(obj, "statements", qid, 1, with_answer=True)
        if found is None:
            return None
        statements = tuple(Statement(sid, text, answer) for sid, text, answer in found)
        return {"statements": statements, "key": {st.id: st.answer for st in statements}}

    def _order(self, obj: dict, qid: str) -> dict | None:
        options = self.labelled(obj, "options", qid, 2)
        if options is None or "answer" not in obj:
            return None
        key = self.id_list(obj["answer"], qid, "answer", tuple(o.id for o in options))
        if key is None:
            return None
        if len(key) < 2:
            self.add(f"must put at least 2 options in order, found {len(key)}", qid, "answer")
            return None
        return {"options": options, "key": key}

    def _matching(self, obj: dict, qid: str) -> dict | None:
        targets = self.labelled(obj, "targets", qid, 1)
        options = self.labelled(obj, "options", qid, 1)
        if targets is None or options is None or "answer" not in obj:
            return None
        raw = obj["answer"]
        if not isinstance(raw, dict):
            self.add(f"must be an object mapping each target id to an option id, not {_kind(raw)}", qid, "answer")
            return None
        target_ids = [t.id for t in targets]
        option_ids = [o.id for o in options]
        key: dict[str, str] = {}
        ok = True
        for tid, oid in raw.items():
            if tid not in target_ids:
                self.add(f"names target {tid!r}, which does not exist (targets: {', '.join(target_ids)})",
                         qid, f"answer.{tid}")
                ok = False
            elif not isinstance(oid, str) or oid not in option_ids:
                self.add(f"points to option {oid!r}, which does not exist (options: {', '.join(option_ids)})",
                         qid, f"answer.{tid}")
                ok = False
            else:
                key[tid] = oid
        for tid in target_ids:
            if tid not in raw:
                self.add(f"has no option for target {tid!r}", qid, "answer")
                ok = False
        return {"targets": targets, "options": options, "key": key} if ok else None

    def _short_answer(self, obj: dict, qid: str) -> dict | None:
        if "answer" not in obj:
            return None
        raw = obj["answer"]
        if not isinstance(raw, list) or not raw:
            self.add(f"must be a non-empty list of accepted answers (text), not {_kind(raw)}", qid, "answer")
            return None
        if len(raw) > MAX_ACCEPTED:
            self.add(f"lists {len(raw)} accepted answers; the limit is {MAX_ACCEPTED}", qid, "answer")
            return None
        out: list[str] = []
        for i, v in enumerate(raw):
            if not isinstance(v, str) or not normalize_text(v):
                self.add(f"must be a non-empty accepted answer (text), not {_kind(v)}", qid, f"answer[{i}]")
                return None
            if len(v) > MAX_ID_LEN * 2:
                self.add(f"is {len(v)} characters long; an accepted answer is at most {MAX_ID_LEN * 2}",
                         qid, f"answer[{i}]")
                return None
            if normalize_text(v) in map(normalize_text, out):
                self.add(f"repeats the accepted answer {v!r} (case and spacing are ignored)", qid, f"answer[{i}]")
                return None
            out.append(v)
        return {"key": tuple(out)}

    def _numeric(self, obj: dict, qid: str) -> dict | None:
        if "answer" not in obj:
            return None
        raw = obj["answer"]
        if isinstance(raw, dict):
            raw = [raw]
        if not isinstance(raw, list) or not raw or len(raw) > MAX_ACCEPTED:
            self.add("must be an object {\"value\": number, \"tolerance\": number} or a list of 1-"
                     f"{MAX_ACCEPTED} of them, not {_kind(raw)}", qid, "answer")
            return None
        out: list[tuple[float, float]] = []
        for i, item in enumerate(raw):
            path = f"answer[{i}]"
            if not isinstance(item, dict):
                self.add(f"must be an object with value and tolerance, not {_kind(item)}", qid, path)
                return None
            self.unknown_fields(item, {"value", "tolerance"}, qid, path)
            nums = []
            for name, required in (("value", True), ("tolerance", False)):
                v = item.get(name, 0)
                if name not in item and required:
                    self.add("is missing", qid, f"{path}.{name}")
                    return None
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not abs(v) <= MAX_MAGNITUDE:
                    self.add(f"must be a number of at most {MAX_MAGNITUDE:.0e} in size, not {v!r}", qid,
                             f"{path}.{name}")
                    return None
                nums.append(float(v))
            if nums[1] < 0:
                self.add(f"must not be negative, not {nums[1]:g}", qid, f"{path}.tolerance")
                return None
            out.append((nums[0], nums[1]))
        return {"key": tuple(out)}

    def _info(self, obj: dict, qid: str) -> dict | None:
        return {"key": None}

    def case_study(self, obj: dict, index_path: str) -> tuple[CaseStudy, list[Question]] | None:
        cid = self.entry_id(obj, index_path, index_path)
        self.unknown_fields(obj, CASE_FIELDS, cid)
        title = self.text(obj, "title", cid, "title")
        tabs: list[Tab] = []
        raw_tabs = self.items(obj, "tabs", cid, "tabs", 1)
        for i, tab in enumerate(raw_tabs or []):
            if not isinstance(tab, dict):
                self.add(f"must be an object with title and text, not {_kind(tab)}", cid, f"tabs[{i}]")
                continue
            self.unknown_fields(tab, {"title", "text"}, cid, f"tabs[{i}]")
            t_title = self.text(tab, "title", cid, f"tabs[{i}].title")
            t_text = self.text(tab, "text", cid, f"tabs[{i}].text")
            if t_title is not None and t_text is not None:
                tabs.append(Tab(t_title, t_text))
        questions: list[Question] = []
        raw_qs = self.items(obj, "questions", cid, "questions", 1) or []
        ok = title is not None and raw_tabs is not None and len(tabs) == len(raw_tabs) and bool(raw_qs)
        for i, q in enumerate(raw_qs):
            path = f"{cid}.questions[{i}]"
            if not isinstance(q, dict):
                self.add(f"must be an object, not {_kind(q)}", cid, f"questions[{i}]")
                ok = False
                continue
            built = self.question(q, path, cid)
            if built is None:
                ok = False
            else:
                questions.append(built)
        if not ok:
            return None
        return CaseStudy(cid, title, tuple(tabs), tuple(q.id for q in questions)), questions


def build_bank(data: Any, source: str) -> Bank:
    """Check `data` (as parsed from JSON) and build a Bank, or raise BankError listing every problem."""
    c = _Checker(source)
    if not isinstance(data, dict):
        raise BankError([Problem(source, f"the bank must be a JSON object, not {_kind(data)}")])
    c.unknown_fields(data, BANK_FIELDS, None)
    if "format" in data and data["format"] != FORMAT_NAME:
        c.add(f"must be {FORMAT_NAME!r}", None, "format")
    if "version" in data:
        v = data["version"]
        if isinstance(v, int) and not isinstance(v, bool) and v > FORMAT_VERSION:
            c.add(f"is {v}: this bank was written for a newer proctorprep (this one reads version {FORMAT_VERSION})",
                  None, "version")
        elif v != FORMAT_VERSION:
            c.add(f"must be {FORMAT_VERSION}", None, "version")
    bank_id = c.text(data, "id", None, "id")
    if bank_id is not None and not ID_RE.match(bank_id):
        c.add("must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", None, "id")
    title = c.text(data, "title", None, "title")
    description = c.text(data, "description", None, "description", required=False) or ""
    minutes = c.integer(data, "duration_minutes", None, "duration_minutes", 1, 600)
    pass_fraction = DEFAULT_PASS_FRACTION
    if "pass_fraction" in data:
        pf = data["pass_fraction"]
        if isinstance(pf, bool) or not isinstance(pf, (int, float)) or not 0 < pf < 1:
            c.add(f"must be a number between 0 and 1 (exclusive), not {pf!r}", None, "pass_fraction")
        else:
            pass_fraction = float(pf)
    declared: list[str] | None = None
    if "skill_areas" in data:
        sa = data["skill_areas"]
        if not isinstance(sa, list) or not all(isinstance(s, str) and s.strip() for s in sa):
            c.add("must be a list of non-empty texts", None, "skill_areas")
        else:
            declared = list(sa)

    questions: list[Question] = []
    cases: dict[str, CaseStudy] = {}
    raw = c.items(data, "questions", None, "questions", 1)
    if raw is not None and len(raw) > MAX_QUESTIONS:
        c.add(f"lists {len(raw)} entries; the limit is {MAX_QUESTIONS}", None, "questions")
        raw = None
    for i, entry in enumerate(raw or []):
        path = f"questions[{i}]"
        if not isinstance(entry, dict):
            c.add(f"must be an object, not {_kind(entry)}", path)
            continue
        if entry.get("type") == CASE_STUDY:
            built = c.case_study(entry, path)
            if built is not None:
                case, qs = built
                cases[case.id] = case
                questions.extend(qs)
        else:
            q = c.question(entry, path, None)
            if q is not None:
                questions.append(q)

    if raw and questions and not any(q.scored for q in questions) and not c.problems:
        c.add("has only information items: a bank needs at least one question that can be scored", None,
              "questions")
    if declared is not None:
        for q in questions:
            if q.skill not in declared:
                c.add(f"skill {q.skill!r} is not one of the bank's skill_areas", q.id, "skill")
    if c.problems:
        raise BankError(c.problems)
    skills = tuple(declared) if declared is not None else tuple(c.skills)
    # Fraction(str(x)) keeps 0.7 exactly 7/10, so "passed" and "score >= 700" can never disagree by rounding.
    return Bank(id=bank_id, title=title, description=description, duration_minutes=minutes,
                pass_fraction=float(Fraction(str(pass_fraction))), questions=tuple(questions),
                case_studies=cases, skill_areas=skills, source=source)
