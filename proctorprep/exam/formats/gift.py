"""Import of Moodle's GIFT text format into a proctorprep bank.

Supported: multiple choice (`=right ~wrong`), multiple answers with weights (`~%50%a ~%-100%b`: positive weight =
right), true/false (`{T}` `{FALSE}`), matching (`=left -> right`), missing-word questions (text after the braces),
`$CATEGORY:` (its last path segment becomes the skill area), `//` comment lines, `::title::` (becomes the question
id), format markers (`[html]` etc. are dropped; the text is kept literally), escapes `\\~ \\= \\# \\{ \\} \\: \\\\ \\n`,
and general feedback `####text` (becomes the explanation). Per-answer feedback (`#text`) is read and dropped.
Not supported, each reported with its line: numeric (`{#...}`), short answer (only `=` answers), essay (`{}`),
descriptions (no braces). A question with no general feedback gets "Correct answer: ..." as its explanation."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from proctorprep.exam.bank import Bank
from proctorprep.exam.errors import BankError, Problem
from proctorprep.exam.formats.limits import Readable, decode_text, read_limited
from proctorprep.exam.validate import build_bank

_ESCAPABLE = "~=#{}:\\"
# Escaped characters are swapped for private-use code points while the structure is parsed, then restored.
_PLACEHOLDER = {c: chr(0xE000 + i) for i, c in enumerate(_ESCAPABLE)}
_RESTORE = {v: k for k, v in _PLACEHOLDER.items()}
_MARKER_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TITLE_RE = re.compile(r"^\s*::(.*?)::", re.DOTALL)
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}
DEFAULT_SKILL = "General"
MINUTES_PER_QUESTION = 1.5


def _protect(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _PLACEHOLDER:
                out.append(_PLACEHOLDER[nxt])
                i += 2
                continue
            if nxt == "n":
                out.append("\n")
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _plain(text: str) -> str:
    """Restore escaped characters and tidy whitespace (GIFT text may wrap over lines)."""
    text = "".join(_RESTORE.get(c, c) for c in text)
    return "\n".join(line.strip() for line in text.strip().splitlines())


def slug(text: str, fallback: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")[:64]
    return s or fallback


class _GiftParser:
    def __init__(self, label: str):
        self.label = label
        self.problems: list[Problem] = []
        self.questions: list[dict[str, Any]] = []
        self.lines: dict[str, int] = {}
        self.skill = DEFAULT_SKILL
        self.blocks_seen = 0   # positional ids count every question block, so "q4" is the fourth one

    def fail(self, line: int, message: str, qid: str | None = None) -> None:
        self.problems.append(Problem(self.label, message, question=qid, line=line))

    def blocks(self, text: str) -> list[tuple[int, str]]:
        """Questions are separated by blank lines; comment lines are dropped but keep the line count."""
        out: list[tuple[int, str]] = []
        current: list[str] = []
        start = 0
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip().startswith("//"):
                continue
            if not line.strip():
                if current:
                    out.append((start, "\n".join(current)))
                    current = []
                continue
            if not current:
                start = n
            current.append(line)
        if current:
            out.append((start, "\n".join(current)))
        return out

    def parse(self, text: str) -> None:
        for line, block in self.blocks(_protect(text)):
            first, _, rest = block.partition("\n")
            if first.strip().startswith("$CATEGORY:"):
                path = _plain(first.strip()[len("$CATEGORY:"):])
                segments = [seg.strip() for seg in path.split("/") if seg.strip() and seg.strip() != "$course$"]
                self.skill = segments[-1] if segments else DEFAULT_SKILL
                if not rest.strip():
                    continue
                block, line = rest, line + 1
            self.question(line, block)

    def question(self, line: int, block: str) -> None:
        self.blocks_seen += 1
        n = self.blocks_seen
        title = ""
        m = _TITLE_RE.match(block)
        if m:
            title = _plain(m.group(1))
            block = block[m.end():]
        qid = slug(title, f"q{n}")
        base, k = qid, 2
        while qid in self.lines:
            qid, k = f"{base}-{k}", k + 1
        open_at = block.find("{")
        close_at = block.find("}", open_at + 1)
        if open_at < 0:
            self.fail(line, "has no answer block {...}: descriptions are not supported", qid)
            return
        if close_at < 0:
            self.fail(line, "opens an answer block with '{' but never closes it with '}'", qid)
            return
        before, body, after = block[:open_at], block[open_at + 1:close_at], block[close_at + 1:]
        if "{" in after or "}" in after:
            self.fail(line, "has more than one answer block; escape literal braces as \\{ and \\}", qid)
            return
        before = _MARKER_RE.sub("", before)
        prompt = _plain(before)
        if after.strip():
            prompt = f"{prompt} _____ {_plain(_MARKER_RE.sub('', after))}"   # missing-word format
        body, _, feedback = body.partition("####")
        entry: dict[str, Any] = {"id": qid, "skill": self.skill, "prompt": prompt}
        parts = self.answers(line, qid, body)
        if parts is None:
            return
        entry.update(parts)
        entry["explanation"] = _plain(feedback) or self.fallback_explanation(entry)
        self.lines[qid] = line
        self.questions.append(entry)

    def answers(self, line: int, qid: str, body: str) -> dict[str, Any] | None:
        stripped = body.strip()
        if not stripped:
            self.fail(line, "is an essay question ({}), which proctorprep cannot score: not supported", qid)
            return None
        if stripped.startswith("#"):
            self.fail(line, "is a numeric question ({#...}): not supported", qid)
            return None
        head = stripped.split("#", 1)[0].strip().upper()
        if head in _TF:
            return {"type": "single", "options": [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}],
                    "answer": "true" if _TF[head] else "false"}
        raw = [(m.group(1), m.start()) for m in re.finditer(r"([=~])", stripped)]
        if not raw or stripped[0] not in "=~":
            self.fail(line, "answers must start with '=' (right) or '~' (wrong); found "
                            f"{_plain(stripped)[:40]!r}", qid)
            return None
        answers = []
        for i, (marker, pos) in enumerate(raw):
            end = raw[i + 1][1] if i + 1 < len(raw) else len(stripped)
            chunk = stripped[pos + 1:end].split("#", 1)[0]     # per-answer feedback is dropped
            w = _WEIGHT_RE.match(chunk.strip())
            weight = float(w.group(1)) if w else None
            text = chunk.strip()[w.end():] if w else chunk
            answers.append((marker, weight, text))
        if any("->" in t for m, _, t in answers if m == "="):
            return self.matching(line, qid, answers)
        return self.choice(line, qid, answers)

    def matching(self, line: int, qid: str, answers: list) -> dict[str, Any] | None:
        targets, options, key = [], [], {}
        for i, (marker, _, text) in enumerate(answers, start=1):
            left, arrow, right = text.partition("->")
            if marker != "=" or not arrow:
                self.fail(line, "mixes matching pairs (=a -> b) with other answers", qid)
                return None
            right_text = _plain(right)
            if right_text not in [o["text"] for o in options]:
                options.append({"id": f"o{len(options) + 1}", "text": right_text})
            oid = next(o["id"] for o in options if o["text"] == right_text)
            if _plain(left):
                targets.append({"id": f"t{i}", "text": _plain(left)})
                key[f"t{i}"] = oid
            # Moodle allows "= -> extra" as a distractor: an option with no target.
        return {"type": "matching", "targets": targets, "options": options, "answer": key}

    def choice(self, line: int, qid: str, answers: list) -> dict[str, Any] | None:
        options = [{"id": f"o{i}", "text": _plain(t)} for i, (_, _, t) in enumerate(answers, start=1)]
        if all(m == "=" for m, _, _ in answers) and not any(w is not None for _, w, _ in answers):
            self.fail(line, "is a short-answer question (only '=' answers): not supported", qid)
            return None
        if any(w is not None for _, w, _ in answers):
            right = [o["id"] for o, (m, w, _) in zip(options, answers) if (w if w is not None else
                                                                           (100.0 if m == "=" else 0.0)) > 0]
            return {"type": "multiple", "options": options, "choose": len(right), "answer": right}
        right = [o["id"] for o, (m, _, _) in zip(options, answers) if m == "="]
        if len(right) != 1:
            self.fail(line, f"has {len(right)} answers marked '=': a multiple-choice question needs exactly one "
                            "(use ~%50% weights for multiple answers)", qid)
            return None
        return {"type": "single", "options": options, "answer": right[0]}

    @staticmethod
    def fallback_explanation(entry: dict[str, Any]) -> str:
        texts = {o["id"]: o["text"] for o in entry.get("options", [])}
        key = entry.get("answer")
        if isinstance(key, str):
            shown = texts.get(key, key)
        elif isinstance(key, list):
            shown = "; ".join(texts.get(k, k) for k in key)
        else:
            tt = {t["id"]: t["text"] for t in entry.get("targets", [])}
            shown = "; ".join(f"{tt.get(t, t)} -> {texts.get(o, o)}" for t, o in (key or {}).items())
        return f"Correct answer: {shown}" if shown else "No explanation was given in the imported file."


def parse_gift(text: str, label: str = "<gift>", bank_id: str | None = None, title: str | None = None,
               duration_minutes: int | None = None) -> Bank:
    p = _GiftParser(label)
    p.parse(text)
    stem = Path(label).stem
    if not p.questions and not p.problems:
        p.problems.append(Problem(label, "contains no questions"))
    if p.problems:
        raise BankError(p.problems)
    data = {
        "id": bank_id or slug(stem, "imported-bank"),
        "title": title or stem.replace("_", " ").replace("-", " ").strip() or "Imported bank",
        "description": f"Imported from the GIFT file {Path(label).name}.",
        "duration_minutes": duration_minutes or max(5, min(600, round(len(p.questions) * MINUTES_PER_QUESTION))),
        "questions": p.questions,
    }
    try:
        return build_bank(data, label)
    except BankError as exc:   # point each problem at the GIFT line its question started on
        raise BankError([Problem(q.file, q.message, q.question, q.field, p.lines.get(q.question or ""))
                         for q in exc.problems]) from None


def load_gift_bank(path: str | os.PathLike[str] | Readable, label: str | None = None, **kw: Any) -> Bank:
    label, raw = read_limited(path, label)
    return parse_gift(decode_text(raw, label), label, **kw)
