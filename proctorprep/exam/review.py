"""The review screen: one row per question with its state, and the filters a Microsoft-style review offers."""

from __future__ import annotations

from dataclasses import dataclass

ANSWERED = "answered"        # every part has an answer
INCOMPLETE = "incomplete"    # some parts answered (e.g. 1 of "choose 2")
UNANSWERED = "unanswered"

FILTERS: tuple[str, ...] = ("all", "answered", "unanswered", "marked", "incomplete")


@dataclass(frozen=True, slots=True)
class ReviewRow:
    index: int               # 0-based position; pass to ExamSession.goto()
    number: int              # 1-based, as shown
    qid: str
    excerpt: str             # first line of the prompt, shortened
    status: str              # answered | incomplete | unanswered
    marked: bool
    locked: bool             # in a case study or section that was left: can be seen here but not opened
    case_id: str | None
    section: str | None = None   # the title of the bank section it is in (None: the bank has no sections)
    ahead: bool = False          # in a later section: it opens when the current section is finished


def excerpt(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def matches(row: ReviewRow, which: str) -> bool:
    """`unanswered` includes incomplete items, as on the real review screen: both still need work."""
    if which == "all":
        return True
    if which == "answered":
        return row.status == ANSWERED
    if which == "unanswered":
        return row.status != ANSWERED
    if which == "incomplete":
        return row.status == INCOMPLETE
    if which == "marked":
        return row.marked
    raise ValueError(f"unknown review filter {which!r} (known: {', '.join(FILTERS)})")


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    total: int
    answered: int
    incomplete: int
    unanswered: int
    marked: int
    locked: int


def summarize(rows: list[ReviewRow]) -> ReviewSummary:
    return ReviewSummary(
        total=len(rows),
        answered=sum(r.status == ANSWERED for r in rows),
        incomplete=sum(r.status == INCOMPLETE for r in rows),
        unanswered=sum(r.status == UNANSWERED for r in rows),
        marked=sum(r.marked for r in rows),
        locked=sum(r.locked for r in rows),
    )
