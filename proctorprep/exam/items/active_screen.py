"""active_screen: change settings in a mock dialog (a drop-down, a switch, a number box, a text field), as on the
exam's "active screen" items. Only the controls named in the answer are scored; the others are there to be left
alone or to mislead. Response: control id -> value (what the candidate set; an untouched control may be absent).
Earns the share of scored controls set right."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Option, Question
from proctorprep.exam.checker import Checker, kind
from proctorprep.exam.errors import ResponseError

KINDS = ("choice", "toggle", "number", "text")


@dataclass(frozen=True, slots=True)
class Control:
    id: str
    label: str
    kind: str
    initial: Any
    options: tuple[Option, ...] = ()     # choice
    minimum: int = 0                     # number
    maximum: int = 0

    def fits(self, value: Any) -> bool:
        if self.kind == "choice":
            return value in [o.id for o in self.options]
        if self.kind == "toggle":
            return isinstance(value, bool)
        if self.kind == "number":
            return isinstance(value, int) and not isinstance(value, bool) and self.minimum <= value <= self.maximum
        return isinstance(value, str) and len(value) <= 200


@dataclass(frozen=True, slots=True)
class Dialog:
    title: str
    controls: tuple[Control, ...]

    def control(self, cid: str) -> Control:
        return next(c for c in self.controls if c.id == cid)


def _value_text(ctl: Control, value: Any) -> str:
    if ctl.kind == "choice":
        return next((o.text for o in ctl.options if o.id == value), str(value))
    if ctl.kind == "toggle":
        return "On" if value else "Off"
    return str(value)


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    title = c.text(obj, "dialog", qid, "dialog")
    raw = c.items(obj, "controls", qid, "controls", 1)
    if title is None or raw is None:
        return None
    controls: list[Control] = []
    for i, r in enumerate(raw):
        path = f"controls[{i}]"
        if not isinstance(r, dict):
            c.add(f"must be an object, not {kind(r)}", qid, path)
            return None
        c.unknown_fields(r, {"id", "label", "kind", "initial", "options", "min", "max"}, qid, path)
        cid = c.text(r, "id", qid, f"{path}.id")
        label = c.text(r, "label", qid, f"{path}.label")
        k = r.get("kind")
        if k not in KINDS:
            c.add(f"must be one of {', '.join(KINDS)}, not {k!r}", qid, f"{path}.kind")
            return None
        if cid is None or label is None:
            return None
        if cid in [x.id for x in controls]:
            c.add(f"duplicate control id {cid!r}", qid, f"{path}.id")
            return None
        opts: tuple[Option, ...] = ()
        lo = hi = 0
        if k == "choice":
            found = c.labelled(r, "options", qid, 2)
            if found is None:
                return None
            opts = found
        if k == "number":
            lo_, hi_ = (c.integer(r, "min", qid, f"{path}.min", -10**9, 10**9),
                        c.integer(r, "max", qid, f"{path}.max", -10**9, 10**9))
            if lo_ is None or hi_ is None:
                return None
            if lo_ > hi_:
                c.add(f"min {lo_} is more than max {hi_}", qid, f"{path}.min")
                return None
            lo, hi = lo_, hi_
        default = {"choice": opts[0].id if opts else None, "toggle": False, "number": lo, "text": ""}[k]
        ctl = Control(cid, label, k, default, opts, lo, hi)
        initial = r.get("initial", default)
        if not ctl.fits(initial):
            c.add(f"is not a valid starting value for this {k} control: {initial!r}", qid, f"{path}.initial")
            return None
        controls.append(Control(cid, label, k, initial, opts, lo, hi))
    dialog = Dialog(title, tuple(controls))
    key = obj.get("answer")
    if not isinstance(key, dict) or not key:
        c.add(f"must map the control ids to set to their right values, not {kind(key)}", qid, "answer")
        return None
    for cid, value in key.items():
        if cid not in [x.id for x in controls]:
            c.add(f"names control {cid!r}, which does not exist", qid, f"answer.{cid}")
            return None
        if not dialog.control(cid).fits(value):
            c.add(f"{value!r} is not a value control {cid!r} can take", qid, f"answer.{cid}")
            return None
    if all(dialog.control(cid).initial == v for cid, v in key.items()):
        c.add("every keyed control already starts at its right value: nothing to change", qid, "answer")
        return None
    return {"key": dict(key), "detail": dialog}


def to_json(q: Question) -> dict[str, Any]:
    d: Dialog = q.detail
    controls = []
    for ctl in d.controls:
        item: dict[str, Any] = {"id": ctl.id, "label": ctl.label, "kind": ctl.kind, "initial": ctl.initial}
        if ctl.kind == "choice":
            item["options"] = [{"id": o.id, "text": o.text} for o in ctl.options]
        if ctl.kind == "number":
            item["min"], item["max"] = ctl.minimum, ctl.maximum
        controls.append(item)
    return {"dialog": d.title, "controls": controls, "answer": dict(q.key)}


def normalize(q: Question, response: Any) -> Any:
    d: Dialog = q.detail
    if not isinstance(response, dict):
        raise ResponseError(f"question {q.id}: an active-screen answer must be a dict, not {type(response).__name__}")
    out = {}
    for ctl in d.controls:
        if ctl.id in response:
            v = response[ctl.id]
            if not ctl.fits(v):
                raise ResponseError(f"question {q.id}: {v!r} does not fit control {ctl.id!r}")
            out[ctl.id] = v
    extra = [k for k in response if k not in out]
    if extra:
        raise ResponseError(f"question {q.id}: no control {extra[0]!r}")
    # Only what differs from the dialog's starting state is an answer; an untouched dialog is unanswered.
    changed = {k: v for k, v in out.items() if v != d.control(k).initial}
    return changed or None


def is_complete(q: Question, response: Any) -> bool:
    return True


def state(q: Question, response: Any) -> dict[str, Any]:
    """Every control's value: its starting value unless the response changed it."""
    d: Dialog = q.detail
    return {ctl.id: (response or {}).get(ctl.id, ctl.initial) for ctl in d.controls}


def credit(q: Question, response: Any) -> Fraction:
    now = state(q, response)
    return Fraction(sum(1 for k, v in q.key.items() if now[k] == v), len(q.key))


def correct_answer(q: Question) -> Any:
    return {k: v for k, v in q.key.items() if v != q.detail.control(k).initial}


def answer_text(q: Question, value: Any) -> str:
    d: Dialog = q.detail
    now = state(q, value)
    return "; ".join(f"{d.control(k).label}: {_value_text(d.control(k), now[k])}" for k in q.key)


def key_text(q: Question) -> str:
    d: Dialog = q.detail
    return "; ".join(f"{d.control(k).label}: {_value_text(d.control(k), v)}" for k, v in q.key.items())


def question_text(q: Question) -> str:
    d: Dialog = q.detail
    return "\n".join([q.prompt, f"Dialog: {d.title}", *(f"- {c.label}" for c in d.controls)])
