"""dropdown (a hot area in text): a sentence or a line of code with drop-down lists in it, e.g.
`Set-VMProcessor -VMName VM1 [[switch]] 4`. Each `[[id]]` is a blank with its own options. Response: blank id ->
option id ({"switch": "count"}); some may be left empty. Earns the share of blanks answered right."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Option, Question
from proctorprep.exam.checker import Checker, kind
from proctorprep.exam.items.common import answer_map, share_of_parts_right

BLANK_RE = re.compile(r"\[\[([A-Za-z0-9_-]{1,32})\]\]")


@dataclass(frozen=True, slots=True)
class Dropdowns:
    parts: tuple[str, ...]                      # text, blank id, text, blank id, ... (even indexes are text)
    blanks: tuple[tuple[str, tuple[Option, ...]], ...]   # blank id -> its options, in template order
    code: bool = False                          # show the template in a monospace font (a code line)

    def options(self, blank: str) -> tuple[Option, ...]:
        return dict(self.blanks)[blank]


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    template = c.text(obj, "template", qid, "template")
    raw = c.items(obj, "blanks", qid, "blanks", 1)
    code = obj.get("code", False)
    if not isinstance(code, bool):
        c.add(f"must be true or false, not {kind(code)}", qid, "code")
        return None
    if template is None or raw is None:
        return None
    blanks: dict[str, tuple[Option, ...]] = {}
    for i, b in enumerate(raw):
        if not isinstance(b, dict):
            c.add(f"must be an object with id and options, not {kind(b)}", qid, f"blanks[{i}]")
            return None
        c.unknown_fields(b, {"id", "options"}, qid, f"blanks[{i}]")
        bid = c.text(b, "id", qid, f"blanks[{i}].id")
        opts = c.labelled(b, "options", qid, 2)
        if bid is None or opts is None:
            return None
        if bid in blanks:
            c.add(f"duplicate blank id {bid!r}", qid, f"blanks[{i}].id")
            return None
        blanks[bid] = opts
    pieces = BLANK_RE.split(template)
    used = pieces[1::2]
    for bid in used:
        if bid not in blanks:
            c.add(f"has [[{bid}]] but no blank with that id (blanks: {', '.join(blanks)})", qid, "template")
            return None
    for bid in blanks:
        if used.count(bid) != 1:
            c.add(f"must place blank {bid!r} exactly once as [[{bid}]], found {used.count(bid)}", qid, "template")
            return None
    key = obj.get("answer")
    if not isinstance(key, dict):
        c.add(f"must map every blank id to one of its option ids, not {kind(key)}", qid, "answer")
        return None
    for bid, opts in blanks.items():
        ids = [o.id for o in opts]
        if key.get(bid) not in ids:
            c.add(f"blank {bid!r} must be keyed to one of its options ({', '.join(ids)}), not {key.get(bid)!r}",
                  qid, f"answer.{bid}")
            return None
    extra = [k for k in key if k not in blanks]
    if extra:
        c.add(f"names blank(s) {', '.join(map(repr, extra))} that the template does not have", qid, "answer")
        return None
    ordered = tuple((bid, blanks[bid]) for bid in used)
    return {"key": {bid: key[bid] for bid in used}, "detail": Dropdowns(tuple(pieces), ordered, code)}


def to_json(q: Question) -> dict[str, Any]:
    d: Dropdowns = q.detail
    out: dict[str, Any] = {"template": "".join(f"[[{p}]]" if i % 2 else p for i, p in enumerate(d.parts)),
                           "blanks": [{"id": b, "options": [{"id": o.id, "text": o.text} for o in opts]}
                                      for b, opts in d.blanks],
                           "answer": dict(q.key)}
    if d.code:
        out["code"] = True
    return out


def normalize(q: Question, response: Any) -> Any:
    d: Dropdowns = q.detail
    return answer_map(q, response, [b for b, _ in d.blanks], lambda v: True, "blank id -> option id") \
        if _fits(q, response) else _refuse(q, response)


def _fits(q: Question, response: Any) -> bool:
    d: Dropdowns = q.detail
    return isinstance(response, dict) and all(
        k in dict(d.blanks) and (v is None or v in [o.id for o in d.options(k)]) for k, v in response.items())


def _refuse(q: Question, response: Any) -> Any:
    from proctorprep.exam.errors import ResponseError

    raise ResponseError(f"question {q.id}: {response!r} is not blank id -> one of that blank's option ids")


def is_complete(q: Question, response: Any) -> bool:
    return len(response) == len(q.key)


def credit(q: Question, response: Any) -> Fraction:
    return share_of_parts_right(q, response)


def answer_text(q: Question, value: Any) -> str:
    d: Dropdowns = q.detail
    words = {b: {o.id: o.text for o in opts} for b, opts in d.blanks}
    return "".join(p if i % 2 == 0 else f"[{words[p].get(value.get(p), '…')}]" for i, p in enumerate(d.parts))


def question_text(q: Question) -> str:
    d: Dropdowns = q.detail
    lines = [q.prompt, answer_text(q, {})]
    lines += [f"- blank {n}: " + " / ".join(o.text for o in opts) for n, (_, opts) in enumerate(d.blanks, 1)]
    return "\n".join(lines)
