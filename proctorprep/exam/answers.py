"""A key or a response in words ("B. 443", "SSH -> 22; DNS -> 53"), for places that show answers outside the exam
page: the Anki export, the CLI."""

from __future__ import annotations

from typing import Any

from proctorprep.exam.bank import INFO, MATCHING, MULTIPLE, NUMERIC, ORDER, SHORT_ANSWER, SINGLE, YESNO, Question


def answer_text(q: Question, value: Any) -> str:
    """`value` in the shape of a response or of `Question.correct_answer()`; "" for no answer."""
    if value is None or q.type == INFO:
        return ""
    texts = {o.id: o.text for o in q.options}
    if q.type == SINGLE:
        return texts.get(value, str(value))
    if q.type in (MULTIPLE, ORDER):
        sep = "; " if q.type == MULTIPLE else " -> "
        return sep.join(texts.get(v, str(v)) for v in value)
    if q.type == YESNO:
        return "; ".join(f"{s.text}: {'Yes' if value[s.id] else 'No'}" for s in q.statements if s.id in value)
    if q.type == MATCHING:
        return "; ".join(f"{t.text} -> {texts.get(value[t.id], value[t.id])}" for t in q.targets if t.id in value)
    if q.type == SHORT_ANSWER:
        return " or ".join(value) if isinstance(value, (list, tuple)) else str(value)
    if q.type == NUMERIC:
        if isinstance(value, (list, tuple)):
            return " or ".join(f"{a['value']:g}" + (f" (± {a['tolerance']:g})" if a.get("tolerance") else "")
                               for a in value)
        return f"{value:g}"
    return str(value)


def question_text(q: Question) -> str:
    """The prompt with what the candidate chose from (options, statements, targets), as plain text."""
    lines = [q.prompt]
    if q.type in (SINGLE, MULTIPLE, ORDER):
        if q.type == MULTIPLE:
            lines.append(f"(choose {q.choose})")
        lines += [f"- {o.text}" for o in q.options]
    elif q.type == YESNO:
        lines += [f"- {s.text} (Yes/No)" for s in q.statements]
    elif q.type == MATCHING:
        lines += [f"- {t.text} -> ?" for t in q.targets]
        lines.append("Choices: " + "; ".join(o.text for o in q.options))
    return "\n".join(lines)
