"""Import of questions kept in a spreadsheet: CSV (comma or semicolon) or TSV (tab), one question per row.

The first row names the columns (any order, case ignored):

    column        needed   what it holds
    prompt        yes      the question text
    answer        yes*     the key (see below); *not for type info
    A, B, ... Z   -        the options, one column per letter; leave the cells a question does not use empty
    type          -        single (default: one letter answer), multiple (default: several letters), order,
                           short_answer, numeric, info
    skill         -        skill area (default "General")
    id            -        question id (default q<row number>)
    explanation   -        shown after the exam (default "Correct answer: ...")
    points        -        1-10 (default 1)

The answer cell, by type: single `B`; multiple `A|C` (letters split by |, comma, semicolon or spaces); order the
letters in the right order `C|A|B`; short_answer the accepted texts `Azure Policy|Policy`; numeric `3.14`,
`3.14:0.01` (value:tolerance) or `1..5`, several split by `|`. Every problem names its line and column."""

from __future__ import annotations

import csv
import io
import os
import re
from typing import Any

from proctorprep.exam.formats.common import DEFAULT_SKILL, Collector, Imported, finish, numeric_answer, slug
from proctorprep.exam.formats.limits import Readable, decode_text, read_limited

KNOWN = {"prompt", "answer", "type", "skill", "id", "explanation", "points"}
TYPES = ("single", "multiple", "order", "short_answer", "numeric", "info")
_LETTERS_SPLIT = re.compile(r"[|,;\s]+")


def _delimiter(text: str, tsv: bool) -> str:
    if tsv:
        return "\t"
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def import_table(text: str, label: str = "<csv>", *, tsv: bool = False, **kw: Any) -> Imported:
    c = Collector(label)
    fmt = "TSV" if tsv else "CSV"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, tsv), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            c.fail(1, "is empty: the first row must name the columns (prompt, answer, A, B, ...)")
            return finish(c, fmt, **kw)
        cols = [h.strip().lower() for h in header]
        letters = []
        for i, name in enumerate(cols, start=1):
            if len(name) == 1 and name.isalpha():
                letters.append(name.upper())
            elif name not in KNOWN:
                c.fail(1, f"column {i} {header[i - 1]!r} is not a known column (known: "
                          f"{', '.join(sorted(KNOWN))}, and option letters A-Z)", fld=f"column {i}")
        dupes = sorted({n for n in cols if n and cols.count(n) > 1})
        for d in dupes:
            c.fail(1, f"column {d!r} appears more than once")
        for need in ("prompt", "answer"):
            if need not in cols:
                c.fail(1, f"has no {need!r} column; the first row must name the columns")
        if c.problems:
            return finish(c, fmt, **kw)
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(cols):
                c.fail(line, f"has {len(row)} cells but the header names {len(cols)} columns")
                continue
            cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(cols)}
            _row(c, cells, letters, line)
    except csv.Error as exc:
        c.fail(reader.line_num, f"is not valid {fmt}: {exc}")
    return finish(c, fmt, **kw)


def _row(c: Collector, cells: dict[str, str], letters: list[str], line: int) -> None:
    qid = c.unique_id(slug(cells.get("id", ""), f"q{line}"))
    options = [(L, cells[L.lower()]) for L in letters if cells[L.lower()]]
    answer = cells["answer"]
    kind = cells.get("type", "").lower() or None
    chosen = [a.upper() for a in _LETTERS_SPLIT.split(answer) if a]
    if kind is None:
        kind = "multiple" if len(chosen) > 1 else "single"
    if kind not in TYPES:
        c.fail(line, f"type {cells['type']!r} is not one of {', '.join(TYPES)}", qid, "type")
        return
    entry: dict[str, Any] = {"id": qid, "type": kind, "skill": cells.get("skill") or DEFAULT_SKILL,
                             "prompt": cells["prompt"]}
    if cells.get("explanation"):
        entry["explanation"] = cells["explanation"]
    if cells.get("points"):
        try:
            entry["points"] = int(cells["points"])
        except ValueError:
            c.fail(line, f"points {cells['points']!r} is not a whole number", qid, "points")
            return
    if kind in ("single", "multiple", "order"):
        have = [L for L, _ in options]
        missing = [a for a in chosen if a not in have]
        if not chosen:
            c.fail(line, "the answer cell is empty: give the letter(s) of the right option(s)", qid, "answer")
            return
        if missing:
            c.fail(line, f"the answer names option(s) {', '.join(missing)}, whose cells are empty or missing "
                         f"(options given: {', '.join(have) or 'none'})", qid, "answer")
            return
        entry["options"] = [{"id": L, "text": t} for L, t in options]
        entry["answer"] = chosen[0] if kind == "single" and len(chosen) == 1 else chosen
        if kind == "multiple":
            entry["choose"] = len(chosen)
    elif kind == "short_answer":
        entry["answer"] = [a.strip() for a in answer.split("|") if a.strip()]
    elif kind == "numeric":
        accepted = []
        for part in (p for p in answer.split("|") if p.strip()):
            parsed = numeric_answer(part)
            if parsed is not None:
                accepted.append(parsed)
            else:
                c.fail(line, f"numeric answer {part.strip()!r} is not a number, value:tolerance or min..max",
                       qid, "answer")
                return
        entry["answer"] = accepted
    elif answer:
        c.fail(line, "an info row has nothing to answer: leave the answer cell empty", qid, "answer")
        return
    c.add(entry, line)


def load_table(path: str | os.PathLike[str] | Readable, label: str | None = None, *, tsv: bool | None = None,
               **kw: Any) -> Imported:
    label, raw = read_limited(path, label)
    if tsv is None:
        tsv = str(label).lower().endswith(".tsv")
    return import_table(decode_text(raw, label), label, tsv=tsv, **kw)
