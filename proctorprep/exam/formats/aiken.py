"""Import of the Aiken format (Moodle's simplest question format): single-choice questions only.

    Which port does SSH listen on by default?
    A. 21
    B) 22
    C. 443
    ANSWER: B

The question text comes first (it may run over several lines), then options, each a capital letter followed by
'.' or ')' and a space, in order A, B, C..., then `ANSWER: <letter>`. Blank lines between questions are optional.
Aiken has no categories, ids or feedback: every question gets the skill "General" (or `skill=` given to the
importer), a positional id q1, q2..., and "Correct answer: ..." as its explanation. Every problem names its line."""

from __future__ import annotations

import os
import re
from typing import Any

from proctorprep.exam.formats.common import DEFAULT_SKILL, Collector, Imported, finish
from proctorprep.exam.formats.limits import Readable, decode_text, read_limited

_OPTION_RE = re.compile(r"^([A-Z])[.)]\s+(\S.*)$")
_ANSWER_RE = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)


class _Question:
    def __init__(self, line: int) -> None:
        self.line = line
        self.prompt: list[str] = []
        self.options: list[tuple[str, str]] = []


def looks_like_aiken(text: str) -> bool:
    """For a .txt file: Aiken if it has an ANSWER: line after an option line and no GIFT braces."""
    return "{" not in text and re.search(r"^[A-Z][.)]\s+\S.*\n\s*ANSWER\s*:", text, re.MULTILINE) is not None


def import_aiken(text: str, label: str = "<aiken>", *, skill: str = DEFAULT_SKILL, bank_id: str | None = None,
                 title: str | None = None, duration_minutes: int | None = None) -> Imported:
    c = Collector(label)
    q: _Question | None = None
    n = 0

    def close(at: int) -> None:
        nonlocal q
        if q is not None:
            c.fail(q.line, f"has no 'ANSWER: <letter>' line (the question ends before line {at})", f"q{n}")
        q = None

    lines = text.splitlines()
    for no, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        opt = _OPTION_RE.match(line)
        ans = _ANSWER_RE.match(line)
        if q is None:
            if ans or opt:
                what = "an ANSWER line" if ans else f"option {opt.group(1)}"
                c.fail(no, f"{what} with no question text before it")
                continue
            n += 1
            q = _Question(no)
            q.prompt.append(line)
        elif ans:
            _finish_question(c, q, f"q{n}", ans.group(1).strip(), no, skill)
            q = None
        elif opt:
            letter = opt.group(1)
            expected = chr(ord("A") + len(q.options))
            if letter != expected:
                c.fail(no, f"option {letter} comes where option {expected} should (options go A, B, C...)",
                       f"q{n}")
            q.options.append((letter, opt.group(2).strip()))
        elif q.options:
            # Text after the options but before ANSWER: the answer line is missing and a new question began.
            close(no)
            n += 1
            q = _Question(no)
            q.prompt.append(line)
        else:
            q.prompt.append(line)
    close(len(lines) + 1)
    return finish(c, "Aiken", bank_id=bank_id, title=title, duration_minutes=duration_minutes)


def _finish_question(c: Collector, q: _Question, qid: str, answer: str, line: int, skill: str) -> None:
    letters = [letter for letter, _ in q.options]
    if len(q.options) < 2:
        c.fail(q.line, f"has {len(q.options)} option(s); an Aiken question needs at least 2 (A. ..., B. ...)", qid)
        return
    if answer not in letters:
        shown = answer or "nothing"
        c.fail(line, f"ANSWER names {shown!r}, which is not one of the options ({', '.join(letters)})", qid,
               "answer")
        return
    entry: dict[str, Any] = {
        "id": qid, "type": "single", "skill": skill, "prompt": "\n".join(q.prompt),
        "options": [{"id": letter, "text": text} for letter, text in q.options], "answer": answer,
    }
    c.add(entry, q.line)


def load_aiken(path: str | os.PathLike[str] | Readable, label: str | None = None, **kw: Any) -> Imported:
    label, raw = read_limited(path, label)
    return import_aiken(decode_text(raw, label), label, **kw)
