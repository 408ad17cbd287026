"""Check a parsed question bank (plain JSON data) and build the `Bank` model from it.

Every problem is collected (file, question id, field, plain words) before anything is raised, so an author fixes a
file in one go. The rules mirror proctorprep/schema/question-bank.schema.json; the checks a JSON Schema cannot express
(unique ids, keys pointing at real options, "choose N" matching the key) live only here and, per question type, in
exam/items/ (reached through the registry, exam/question_types.py)."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import (
    CASE_STUDY, FORMAT_NAME, FORMAT_VERSION, SERIES, SOLUTION, Bank, CaseStudy, Question, Reference, Section,
    Series, Tab,
)
from proctorprep.exam.checker import Checker, kind
from proctorprep.exam.errors import BankError, Problem
from proctorprep.exam.question_types import question_type, type_keys

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")    # bank ids become file names on import
MAX_QUESTIONS = 2_000
MAX_POINTS = 10
DEFAULT_PASS_FRACTION = 0.7

BANK_FIELDS = {"format", "version", "id", "title", "description", "duration_minutes", "pass_fraction",
               "skill_areas", "questions", "references", "sections", "breaks"}
SECTION_FIELDS = {"id", "title", "questions"}
MAX_SECTIONS = 20
COMMON_FIELDS = {"id", "type", "skill", "prompt", "explanation", "points", "answer", "image"}
UNSCORED_FIELDS = {"id", "type", "skill", "prompt", "explanation", "image"}   # information only: nothing to score
CASE_FIELDS = {"id", "type", "title", "tabs", "questions"}
SERIES_FIELDS = {"id", "type", "title", "scenario", "goal", "skill", "points", "solutions"}
SOLUTION_FIELDS = {"id", "text", "answer", "explanation"}
MAX_REFERENCES = 20


class _BankChecker(Checker):
    def question(self, obj: dict, index_path: str, case_id: str | None) -> Question | None:
        qid = self.entry_id(obj, index_path, index_path)
        qtype = obj.get("type")
        if "type" not in obj:
            self.add("is missing", qid, "type")
            return None
        if qtype in (CASE_STUDY, SERIES):
            self.add("a case study cannot contain another case study" if qtype == CASE_STUDY
                     else "a case study cannot contain a problem-solution series", qid, "type")
            return None
        if not isinstance(qtype, str) or qtype not in type_keys():
            self.add(f"unknown type {qtype!r} (known: {', '.join(type_keys() + (CASE_STUDY, SERIES))})", qid, "type")
            return None
        qt = question_type(qtype)
        self.unknown_fields(obj, (COMMON_FIELDS if qt.scored else UNSCORED_FIELDS) | qt.fields, qid)
        skill = self.text(obj, "skill", qid, "skill")
        prompt = self.text(obj, "prompt", qid, "prompt")
        explanation = self.text(obj, "explanation", qid, "explanation", required=qt.scored)
        if not qt.scored:
            explanation = explanation or ""
        points = self.integer(obj, "points", qid, "points", 1, MAX_POINTS, required=False)
        if skill is not None and skill not in self.skills:
            self.skills.append(skill)
        if "answer" not in obj and qt.needs_answer:
            self.add("is missing (the answer key)", qid, "answer")
        image = self.image_path(obj, qid, "image") if "image" in obj else None
        parts = qt.build(self, obj, qid)
        if parts is None or None in (skill, prompt, explanation) or ("image" in obj and image is None):
            return None
        return Question(id=qid, type=qtype, skill=skill, prompt=prompt, explanation=explanation,
                        points=(points or 1) if qt.scored else 0, case_id=case_id, image=image, **parts)

    def series(self, obj: dict, index_path: str) -> tuple[Series, list[Question]] | None:
        """A problem-solution series: one scenario and goal, then one Yes/No solution question per solution."""
        sid = self.entry_id(obj, index_path, index_path)
        self.unknown_fields(obj, SERIES_FIELDS, sid)
        title = self.text(obj, "title", sid, "title")
        scenario = self.text(obj, "scenario", sid, "scenario")
        goal = self.text(obj, "goal", sid, "goal")
        skill = self.text(obj, "skill", sid, "skill")
        points = self.integer(obj, "points", sid, "points", 1, MAX_POINTS, required=False) or 1
        if skill is not None and skill not in self.skills:
            self.skills.append(skill)
        raw = self.items(obj, "solutions", sid, "solutions", 2)
        questions: list[Question] = []
        ok = None not in (title, scenario, goal, skill) and raw is not None
        for i, sol in enumerate(raw or []):
            path = f"solutions[{i}]"
            if not isinstance(sol, dict):
                self.add(f"must be an object with {', '.join(sorted(SOLUTION_FIELDS))}, not {kind(sol)}", sid, path)
                ok = False
                continue
            qid = self.entry_id(sol, f"{sid}.{path}", f"{sid}.{path}")
            self.unknown_fields(sol, SOLUTION_FIELDS, qid)
            text = self.text(sol, "text", qid, "text")
            explanation = self.text(sol, "explanation", qid, "explanation")
            answer = sol.get("answer")
            if not isinstance(answer, bool):
                self.add(f"must be true (the solution meets the goal) or false, not {kind(answer)}", qid, "answer")
                ok = False
            if text is None or explanation is None or not ok:
                ok = False
                continue
            questions.append(Question(id=qid, type=SOLUTION, skill=skill, prompt=text, explanation=explanation,
                                      key=answer, points=points, series_id=sid))
        if not ok:
            return None
        return Series(sid, title, scenario, goal, tuple(q.id for q in questions)), questions

    def references(self, data: dict) -> tuple[Reference, ...]:
        raw = data.get("references", [])
        if not isinstance(raw, list) or len(raw) > MAX_REFERENCES:
            self.add(f"must be a list of at most {MAX_REFERENCES} {{title, file}} objects", None, "references")
            return ()
        out: list[Reference] = []
        for i, r in enumerate(raw):
            path = f"references[{i}]"
            if not isinstance(r, dict):
                self.add(f"must be an object with title and file, not {kind(r)}", None, path)
                continue
            self.unknown_fields(r, {"title", "file"}, None, path)
            title = self.text(r, "title", None, f"{path}.title")
            file = self.image_path(r, None, f"{path}.file", key="file")
            if title is not None and file is not None:
                out.append(Reference(title, file))
        return tuple(out)

    def sections(self, data: dict, entries: dict[str, tuple[str, ...]], inner: dict[str, str]
                 ) -> tuple[Section, ...]:
        """The bank's sections: 2+ parts that lock once left. `entries`: each top-level entry id (question, case
        study, series) -> its question ids, in bank order; `inner`: a question inside a case study or series ->
        that entry's id. Every entry must be in exactly one section; a case study or series is listed whole."""
        if "sections" not in data:
            return ()
        raw = data["sections"]
        if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_SECTIONS:
            self.add(f"must be a list of 2 to {MAX_SECTIONS} {{id, title, questions}} objects (one section is "
                     "no section: leave the field out)", None, "sections")
            return ()
        out: list[Section] = []
        placed: dict[str, str] = {}
        seen: set[str] = set()
        for i, sec in enumerate(raw):
            path = f"sections[{i}]"
            if not isinstance(sec, dict):
                self.add(f"must be an object with id, title and questions, not {kind(sec)}", None, path)
                continue
            self.unknown_fields(sec, SECTION_FIELDS, None, path)
            sid = self.text(sec, "id", None, f"{path}.id")
            title = self.text(sec, "title", None, f"{path}.title")
            if sid is not None and sid in seen:
                self.add(f"duplicate section id {sid!r}", None, f"{path}.id")
            seen.add(sid or "")
            listed = self.items(sec, "questions", None, f"{path}.questions", 1)
            ids: list[str] = []
            for j, eid in enumerate(listed or []):
                where = f"{path}.questions[{j}]"
                if not isinstance(eid, str):
                    self.add(f"must be the id of a question, case study or series, not {kind(eid)}", None, where)
                elif eid in inner:
                    self.add(f"{eid!r} belongs to {inner[eid]!r}: list {inner[eid]!r} itself (a case study or "
                             "series stays in one section)", None, where)
                elif eid not in entries:
                    self.add(f"names {eid!r}, which is not a question, case study or series of this bank", None,
                             where)
                elif eid in placed:
                    self.add(f"{eid!r} is already in section {placed[eid]!r}: each question is in one section",
                             None, where)
                else:
                    placed[eid] = sid or path
                    ids.append(eid)
            if sid is not None and title is not None and listed:
                out.append(Section(sid, title, tuple(ids), tuple(q for e in ids for q in entries[e])))
        missing = [e for e in entries if e not in placed]
        if missing and len(out) == len(raw):
            shown = ", ".join(map(repr, missing[:5])) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            self.add(f"{shown} {'is' if len(missing) == 1 else 'are'} in no section: with sections, every "
                     "question, case study and series is in one", None, "sections")
        return tuple(out)

    def case_study(self, obj: dict, index_path: str) -> tuple[CaseStudy, list[Question]] | None:
        cid = self.entry_id(obj, index_path, index_path)
        self.unknown_fields(obj, CASE_FIELDS, cid)
        title = self.text(obj, "title", cid, "title")
        tabs: list[Tab] = []
        raw_tabs = self.items(obj, "tabs", cid, "tabs", 1)
        for i, tab in enumerate(raw_tabs or []):
            if not isinstance(tab, dict):
                self.add(f"must be an object with title and text, not {kind(tab)}", cid, f"tabs[{i}]")
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
                self.add(f"must be an object, not {kind(q)}", cid, f"questions[{i}]")
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
    c = _BankChecker(source)
    if not isinstance(data, dict):
        raise BankError([Problem(source, f"the bank must be a JSON object, not {kind(data)}")])
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
    breaks = data.get("breaks", False)
    if not isinstance(breaks, bool):
        c.add(f"must be true or false, not {breaks!r}", None, "breaks")
        breaks = False
    declared: list[str] | None = None
    if "skill_areas" in data:
        sa = data["skill_areas"]
        if not isinstance(sa, list) or not all(isinstance(s, str) and s.strip() for s in sa):
            c.add("must be a list of non-empty texts", None, "skill_areas")
        else:
            declared = list(sa)

    questions: list[Question] = []
    cases: dict[str, CaseStudy] = {}
    series: dict[str, Series] = {}
    references = c.references(data)
    raw = c.items(data, "questions", None, "questions", 1)
    if raw is not None and len(raw) > MAX_QUESTIONS:
        c.add(f"lists {len(raw)} entries; the limit is {MAX_QUESTIONS}", None, "questions")
        raw = None
    entries: dict[str, tuple[str, ...]] = {}    # top-level id -> its question ids (what a section may list)
    inner: dict[str, str] = {}                    # a question inside a case study or series -> that entry
    for i, entry in enumerate(raw or []):
        path = f"questions[{i}]"
        if not isinstance(entry, dict):
            c.add(f"must be an object, not {kind(entry)}", path)
            continue
        if entry.get("type") == CASE_STUDY:
            built = c.case_study(entry, path)
            if built is not None:
                case, qs = built
                cases[case.id] = case
                questions.extend(qs)
                entries[case.id] = case.question_ids
                inner.update((q.id, case.id) for q in qs)
        elif entry.get("type") == SERIES:
            made = c.series(entry, path)
            if made is not None:
                ser, qs = made
                series[ser.id] = ser
                questions.extend(qs)
                entries[ser.id] = ser.question_ids
                inner.update((q.id, ser.id) for q in qs)
        else:
            q = c.question(entry, path, None)
            if q is not None:
                questions.append(q)
                entries[q.id] = (q.id,)

    if raw and questions and not any(q.scored for q in questions) and not c.problems:
        c.add("has only information items: a bank needs at least one question that can be scored", None,
              "questions")
    if declared is not None:
        for q in questions:
            if q.skill not in declared:
                c.add(f"skill {q.skill!r} is not one of the bank's skill_areas", q.id, "skill")
    sections = c.sections(data, entries, inner)
    if c.problems:
        raise BankError(c.problems)
    if sections:      # the exam runs section by section: the questions in that order
        rank = {qid: k for k, sec in enumerate(sections) for qid in sec.question_ids}
        questions.sort(key=lambda q: rank[q.id])    # stable: bank order within a section
    skills = tuple(declared) if declared is not None else tuple(c.skills)
    # Fraction(str(x)) keeps 0.7 exactly 7/10, so "passed" and "score >= 700" can never disagree by rounding.
    return Bank(id=bank_id, title=title, description=description, duration_minutes=minutes,
                pass_fraction=float(Fraction(str(pass_fraction))), questions=tuple(questions),
                case_studies=cases, skill_areas=skills, source=source, series=series, references=references,
                sections=sections, breaks=breaks)
