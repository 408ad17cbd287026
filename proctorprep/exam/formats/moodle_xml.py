"""Import of Moodle XML (the question bank's own export format).

Imported: `multichoice` (single or multiple answers: positive `fraction` = right), `truefalse`, `shortanswer`
(answers with fraction 100 are accepted), `numerical` (answers with fraction 100, each with its `tolerance`),
`matching` (`subquestion` pairs; a subquestion without text is a distractor), and `description` (an information
item). `category` entries set the skill area (the last segment of the path). `essay` and the types proctorprep
cannot score (cloze, drag-and-drop plug-ins, calculated, random...) are skipped with one note each naming the line.
The question's `name` becomes its id, `generalfeedback` its explanation, `defaultgrade` its points (1-10).
HTML in texts is turned into plain text. The XML is read by exam/formats/xml_tree.py (defusedxml): a file with a
DOCTYPE or entity declarations is refused, since a question bank never needs one, and refusing them closes the
door on entity-expansion and external-entity tricks."""

from __future__ import annotations

import os
from typing import Any

from proctorprep.exam.formats.common import DEFAULT_SKILL, Collector, Imported, finish, slug
from proctorprep.exam.formats.limits import Readable, read_limited
from proctorprep.exam.formats.xml_tree import Node, parse_xml as parse_any_xml, plain

DIALECT = "Moodle XML"


def parse_xml(raw: bytes, label: str) -> Node:
    """Bytes -> a small tree with line numbers (exam/formats/xml_tree.py, through defusedxml), or BankError."""
    return parse_any_xml(raw, label, DIALECT)


def _fraction(node: Node) -> float | None:
    try:
        return float(node.attrs.get("fraction", "0"))
    except ValueError:
        return None


class _MoodleReader:
    def __init__(self, label: str) -> None:
        self.c = Collector(label)
        self.skill = DEFAULT_SKILL
        self.n = 0

    def read(self, root: Node) -> None:
        quiz = root.find("quiz")
        if quiz is None:
            tag = root.children[0].tag if root.children else "nothing"
            self.c.fail(root.children[0].line if root.children else 1,
                        f"is not a Moodle XML question file: the top element is <{tag}>, not <quiz>")
            return
        for q in quiz.all("question"):
            self.question(q)

    def question(self, q: Node) -> None:
        qtype = q.attrs.get("type", "")
        if qtype == "category":
            path = q.inner_text("category")
            segments = [s.strip() for s in path.split("/") if s.strip() and s.strip() not in ("$course$", "top")]
            self.skill = segments[-1] if segments else DEFAULT_SKILL
            return
        self.n += 1
        name = q.inner_text("name")
        qid = self.c.unique_id(slug(name, f"q{self.n}"))
        handler = getattr(self, f"_{qtype}", None)
        if qtype == "essay":
            self.c.skip(q.line, "skipped: an essay question cannot be scored", qid)
            return
        if handler is None:
            self.c.skip(q.line, f"skipped: Moodle question type {qtype or '(none)'!r} is not one proctorprep "
                                "can score", qid)
            return
        entry: dict[str, Any] = {"id": qid, "skill": self.skill, "prompt": q.inner_text("questiontext")}
        if not entry["prompt"]:
            self.c.fail(q.line, "has no question text (<questiontext><text>...)", qid, "questiontext")
            return
        parts = handler(q, qid)
        if parts is None:
            return
        entry.update(parts)
        if qtype != "description":
            entry["explanation"] = q.inner_text("generalfeedback")
            grade = q.inner_text("defaultgrade")
            try:
                points = round(float(grade)) if grade else 1
            except ValueError:
                self.c.fail(q.line, f"defaultgrade {grade!r} is not a number", qid, "defaultgrade")
                return
            if points != 1:
                entry["points"] = max(1, min(10, points))
        self.c.add(entry, q.line)

    def _answers(self, q: Node, qid: str) -> list[tuple[Node, float]] | None:
        out = []
        for a in q.all("answer"):
            f = _fraction(a)
            if f is None:
                self.c.fail(a.line, f"answer fraction {a.attrs.get('fraction')!r} is not a number", qid, "answer")
                return None
            out.append((a, f))
        if not out:
            self.c.fail(q.line, "has no <answer> elements", qid, "answer")
            return None
        return out

    def _description(self, q: Node, qid: str) -> dict[str, Any]:
        return {"type": "info"}

    def _multichoice(self, q: Node, qid: str) -> dict[str, Any] | None:
        answers = self._answers(q, qid)
        if answers is None:
            return None
        options = [{"id": f"o{i}", "text": plain((a.find("text") or a).text)}
                   for i, (a, _) in enumerate(answers, start=1)]
        right = [o["id"] for o, (_, f) in zip(options, answers) if f > 0]
        single = q.inner_text("single").lower() not in ("false", "0")
        if not right:
            self.c.fail(q.line, "has no answer with a positive fraction: nothing is right", qid, "answer")
            return None
        if single:
            best = max(range(len(answers)), key=lambda i: answers[i][1])
            return {"type": "single", "options": options, "answer": options[best]["id"]}
        return {"type": "multiple", "options": options, "choose": len(right), "answer": right}

    def _truefalse(self, q: Node, qid: str) -> dict[str, Any] | None:
        answers = self._answers(q, qid)
        if answers is None:
            return None
        right = [plain((a.find("text") or a).text).lower() for a, f in answers if f > 0]
        if right not in (["true"], ["false"]):
            self.c.fail(q.line, "a true/false question needs exactly one right answer, 'true' or 'false'", qid,
                        "answer")
            return None
        return {"type": "single", "options": [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}],
                "answer": right[0]}

    def _shortanswer(self, q: Node, qid: str) -> dict[str, Any] | None:
        answers = self._answers(q, qid)
        if answers is None:
            return None
        accepted: list[str] = []
        for a, f in answers:
            text = plain((a.find("text") or a).text)
            if f >= 100 and text and " ".join(text.split()).casefold() not in [x.casefold() for x in accepted]:
                accepted.append(" ".join(text.split()))
        if not accepted:
            self.c.fail(q.line, "has no full-credit answer (fraction 100)", qid, "answer")
            return None
        return {"type": "short_answer", "answer": accepted}

    def _numerical(self, q: Node, qid: str) -> dict[str, Any] | None:
        answers = self._answers(q, qid)
        if answers is None:
            return None
        accepted = []
        for a, f in answers:
            if f < 100:
                continue
            text, tol = plain((a.find("text") or a).text), a.inner_text("tolerance") or "0"
            try:
                accepted.append({"value": float(text), "tolerance": abs(float(tol))})
            except ValueError:
                self.c.fail(a.line, f"numerical answer {text!r} with tolerance {tol!r} is not a number", qid,
                            "answer")
                return None
        if not accepted:
            self.c.fail(q.line, "has no full-credit answer (fraction 100)", qid, "answer")
            return None
        return {"type": "numeric", "answer": accepted}

    def _matching(self, q: Node, qid: str) -> dict[str, Any] | None:
        targets, options, key = [], [], {}
        for i, sub in enumerate(q.all("subquestion"), start=1):
            left = plain((sub.find("text") or sub).text)
            right = sub.inner_text("answer")
            if not right:
                self.c.fail(sub.line, "a subquestion has no answer text", qid, "subquestion")
                return None
            if right not in [o["text"] for o in options]:
                options.append({"id": f"o{len(options) + 1}", "text": right})
            oid = next(o["id"] for o in options if o["text"] == right)
            if left:
                targets.append({"id": f"t{i}", "text": left})
                key[f"t{i}"] = oid
        if not targets:
            self.c.fail(q.line, "a matching question needs at least one subquestion with text", qid, "subquestion")
            return None
        return {"type": "matching", "targets": targets, "options": options, "answer": key}


def import_moodle_xml(raw: bytes | str, label: str = "<moodle-xml>", **kw: Any) -> Imported:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    r = _MoodleReader(label)
    r.read(parse_xml(data, label))
    return finish(r.c, "Moodle XML", **kw)


def load_moodle_xml(path: str | os.PathLike[str] | Readable, label: str | None = None, **kw: Any) -> Imported:
    label, raw = read_limited(path, label)
    return import_moodle_xml(raw, label, **kw)
