"""Problems found in a question bank, and the one exception every loader raises for bad input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a bank: where (file, line, question id, field) and what, in plain words."""

    file: str
    message: str
    question: str | None = None    # question or case-study id; None for bank-level problems
    field: str | None = None       # dotted path inside the question, e.g. "options[2].id"
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        parts = [where]
        if self.question is not None:
            parts.append(f"question {self.question}")
        if self.field is not None:
            parts.append(f"field {self.field}")
        return ": ".join(parts) + f": {self.message}"


class BankError(ValueError):
    """A bank could not be loaded. `problems` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid question bank")

    @property
    def file(self) -> str:
        return self.problems[0].file if self.problems else ""


class ResponseError(ValueError):
    """A response that does not fit its question (unknown option id, wrong shape): a programming error in the
    caller, never something a candidate can cause through the UI."""
