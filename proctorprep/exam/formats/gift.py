"""Import of Moodle's GIFT text format into a proctorprep bank.

Every question that can be scored is imported: multiple choice (`=right ~wrong`), multiple answers with weights
(`~%50%a ~%-100%b`: positive weight = right), true/false (`{T}` `{FALSE}`), matching (`=left -> right`), short
answer (only `=` answers: each is accepted; `=%50%` partial answers are dropped), numeric (`{#3.14:0.01}`,
`{#1..5}`, `{#=2:0 =%50%3:0}`: full-credit answers are accepted), missing-word questions (text after the braces).
Descriptions (text with no braces) become information items. Essays (`{}`) cannot be scored: each is skipped with
a note naming its line, and the rest of the file imports. Also read: `$CATEGORY:` (its last path segment becomes the
skill area), `//` comment lines, `::title::` (becomes the question id), format markers (`[html]` etc. are dropped;
the text is kept literally), escapes `\\~ \\= \\# \\{ \\} \\: \\\\ \\n`, and general feedback `####text` (becomes the
explanation). Per-answer feedback (`#text`) is read and dropped. A question with no general feedback gets
"Correct answer: ..." as its explanation. A question that is broken (an unclosed brace, no right answer) is a
problem naming its line, and the file is not imported until it is fixed."""

from __future__ import annotations

import os
import re
from typing import Any

from proctorprep.exam.bank import Bank
from proctorprep.exam.formats.common import DEFAULT_SKILL, Collector, Imported, finish, numeric_answer, slug
from proctorprep.exam.formats.limits import Readable, decode_text, read_limited

_ESCAPABLE = "~=#{}:\\"
# Escaped characters are swapped for private-use code points while the structure is parsed, then restored.
_PLACEHOLDER = {c: chr(0xE000 + i) for i, c in enumerate(_ESCAPABLE)}
_RESTORE = {v: k for k, v in _PLACEHOLDER.items()}
_MARKER_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TITLE_RE = re.compile(r"^\s*::(.*?)::", re.DOTALL)
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}


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


class _GiftParser:
    def __init__(self, label: str):
        self.c = Collector(label)
        self.skill = DEFAULT_SKILL
        self.blocks_seen = 0   # positional ids count every question block, so "q4" is the fourth one

    def fail(self, line: int, message: str, qid: str | None = None) -> None:
        self.c.fail(line, message, qid)

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
        qid = self.c.unique_id(slug(title, f"q{n}"))
        open_at = block.find("{")
        close_at = block.find("}", open_at + 1)
        if open_at < 0:
            if "}" in block:
                self.fail(line, "closes an answer block with '}' that was never opened with '{'", qid)
                return
            # A description: shown in its place, nothing to answer.
            self.c.add({"id": qid, "type": "info", "skill": self.skill,
                        "prompt": _plain(_MARKER_RE.sub("", block))}, line)
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
        entry["explanation"] = _plain(feedback)
        self.c.add(entry, line)

    def answers(self, line: int, qid: str, body: str) -> dict[str, Any] | None:
        stripped = body.strip()
        if not stripped:
            self.c.skip(line, "skipped: an essay question ({}) cannot be scored", qid)
            return None
        if stripped.startswith("#"):
            return self.numeric(line, qid, stripped[1:])
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
        if all(m == "=" for m, _, _ in answers):
            accepted = [_plain(t) for _, w, t in answers if w is None or w >= 100]
            if not accepted:
                self.fail(line, "is a short-answer question with no full-credit answer (=text or =%100%text)", qid)
                return None
            seen: list[str] = []
            for a in accepted:   # "=HTTP =http" are one accepted answer: comparison ignores case
                if " ".join(a.split()).casefold() not in [" ".join(x.split()).casefold() for x in seen]:
                    seen.append(a)
            return {"type": "short_answer", "answer": seen}
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

    def numeric(self, line: int, qid: str, body: str) -> dict[str, Any] | None:
        """`3.14:0.01`, `1..5`, or `=3.14:0.01 =%50%3.1:0.1` (answers with less than full credit are dropped)."""
        parts = [(None, body)] if not body.strip().startswith("=") else []
        if not parts:
            for chunk in body.split("=")[1:]:
                chunk = chunk.split("#", 1)[0].strip()
                w = _WEIGHT_RE.match(chunk)
                parts.append((float(w.group(1)) if w else None, chunk[w.end():] if w else chunk))
        accepted = []
        for weight, text in parts:
            text = _plain(text.split("#", 1)[0])
            parsed = numeric_answer(text)
            if parsed is None:
                self.fail(line, f"numeric answer {text[:40]!r} is not a number, value:tolerance or min..max", qid)
                return None
            if weight is None or weight >= 100:
                accepted.append(parsed)
        if not accepted:
            self.fail(line, "is a numeric question with no full-credit answer", qid)
            return None
        return {"type": "numeric", "answer": accepted}


def import_gift(text: str, label: str = "<gift>", bank_id: str | None = None, title: str | None = None,
                duration_minutes: int | None = None) -> Imported:
    p = _GiftParser(label)
    p.parse(text)
    return finish(p.c, "GIFT", bank_id=bank_id, title=title, duration_minutes=duration_minutes)


def parse_gift(text: str, label: str = "<gift>", **kw: Any) -> Bank:
    return import_gift(text, label, **kw).bank


def load_gift(path: str | os.PathLike[str] | Readable, label: str | None = None, **kw: Any) -> Imported:
    label, raw = read_limited(path, label)
    return import_gift(decode_text(raw, label), label, **kw)


def load_gift_bank(path: str | os.PathLike[str] | Readable, label: str | None = None, **kw: Any) -> Bank:
    return load_gift(path, label, **kw).bank
