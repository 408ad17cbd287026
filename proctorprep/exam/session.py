"""One sitting of a mock exam: a pure model driven by the UI and tested with a fake clock.

The countdown never stops (there is no pause). Warnings fire once at 10 and 5 minutes left; when the time is up the
exam submits itself on the next call (`tick()` or any other), so a UI that ticks a few times a second sees the end
within that interval. Case-study sections lock once the candidate navigates out of them, and so do a bank's own
sections (bank.sections, as on Microsoft's exams with several parts): the exam runs them in order, a later one opens
only from the end of the one before, and a section left is locked. A bank that allows unscheduled breaks
(Bank.breaks, as many Microsoft exams do) lets the candidate take one: the clock keeps running, every question seen
so far locks, nothing can be answered until the break ends, and the exam goes on at the first question not seen
yet. Every change is reported to an optional listener as (kind, data) with data["t_s"] = seconds since start, for
the session journal."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from proctorprep.exam import review as rv
from proctorprep.exam.bank import Bank, CaseStudy, Option, Question, Section
from proctorprep.exam.question_types import question_type
from proctorprep.exam.result import ExamResult, score_exam
from proctorprep.exam.scoring import is_complete, normalize_response

Listener = Callable[[str, dict[str, Any]], None]

WARNINGS_S: tuple[int, ...] = (600, 300)   # 10 and 5 minutes left
READY, RUNNING, FINISHED = "ready", "running", "finished"
MAX_COMMENT = 1000                          # characters of one comment


class SessionError(RuntimeError):
    """Misuse of the session by the caller (e.g. an unknown question id)."""


@dataclass(frozen=True, slots=True)
class QuestionView:
    """What the exam page shows for one question. `options` are in presented (possibly shuffled) order."""

    index: int
    number: int
    total: int
    question: Question
    options: tuple[Option, ...]
    case: CaseStudy | None
    response: Any
    marked: bool
    locked: bool
    complete: bool
    series: Any = None         # the problem-solution series (scenario, goal) of a solution question
    assets: Any = None         # the bank's files (exam/assets.py), for pictures


class ExamSession:
    def __init__(self, bank: Bank, clock: Callable[[], float] = time.monotonic, shuffle_seed: int | None = None,
                 duration_s: float | None = None, listener: Listener | None = None, *,
                 question_ids: list[str] | None = None, timed: bool = True, mode: str = "exam",
                 forward_only: bool = False, breaks: bool | None = None):
        self.bank = bank
        # Unscheduled breaks: the bank says (a round without a clock has nothing to break from)
        self.breaks_allowed = bool(bank.breaks if breaks is None else breaks) and timed and mode == "exam"
        self.mode = mode
        # Forward-only (a renewal round): Next is the only move, and a question left behind is locked.
        self.forward_only = forward_only
        self.timed = timed
        self.shuffle_seed = shuffle_seed
        self.duration_s: float | None = (float(duration_s) if duration_s is not None
                                         else bank.duration_minutes * 60.0) if timed else None
        self.listener = listener
        self.listener_errors: list[str] = []   # a failing journal must not stop the exam
        self._clock = clock
        unknown = [q for q in question_ids or () if q not in {x.id for x in bank.questions}]
        if unknown:
            raise SessionError(f"questions {', '.join(map(repr, unknown))} are not in bank {bank.id!r}")
        chosen = list(bank.questions) if question_ids is None else [bank.question(q) for q in question_ids]
        # A bank's sections shape the whole exam only; a round of a few drawn questions has none.
        self.sections: tuple[Section, ...] = bank.sections if question_ids is None else ()
        self._section_no = {qid: k for k, sec in enumerate(self.sections) for qid in sec.question_ids}
        self._questions, self._options = _arrange(chosen, shuffle_seed, bank.id, self._section_no)
        self._index_of = {q.id: i for i, q in enumerate(self._questions)}
        self._responses: dict[str, Any] = {}
        self._marked: set[str] = set()
        self._time_spent: dict[str, float] = {q.id: 0.0 for q in self._questions}
        self._locked: set[str] = set()
        self._sections_left: set[int] = set()     # bank sections moved out of: locked for good
        self._comments: dict[str, str] = {}
        self._left: set[str] = set()        # questions moved past; they lock if forward-only or in a series
        self._seen: set[str] = set()        # questions shown at least once ...
        self._break_locked: set[str] = set()   # ... and those locked by a break
        self._break_since: float | None = None
        self._warned: set[int] = set()
        self._state = READY
        self._index = 0
        self._t0 = 0.0
        self._end_t = 0.0
        self._shown_since: float | None = None     # None while the review screen is open
        self._result: ExamResult | None = None

    @classmethod
    def quick_round(cls, bank: Bank, count: int = 5, seed: int | None = None,
                    clock: Callable[[], float] = time.monotonic, listener: Listener | None = None) -> ExamSession:
        """A renewal-style round: `count` random questions outside case studies, no clock, options shuffled."""
        pool = ([q.id for q in bank.questions if q.case_id is None and q.scored]
                or [q.id for q in bank.questions if q.scored])
        rng = random.Random(seed)
        picked = rng.sample(pool, min(max(1, count), len(pool)))
        return cls(bank, clock=clock, shuffle_seed=rng.randrange(2**31) if seed is None else seed,
                   listener=listener, question_ids=picked, timed=False, mode="quick")

    @classmethod
    def renewal(cls, bank: Bank, question_ids: list[str], seed: int | None = None,
                clock: Callable[[], float] = time.monotonic, listener: Listener | None = None) -> ExamSession:
        """A renewal round over the drawn questions (proctorprep.exam.renewal.draw_renewal): no clock, options
        shuffled, forward-only."""
        return cls(bank, clock=clock, shuffle_seed=seed, listener=listener, question_ids=question_ids,
                   timed=False, mode="renewal", forward_only=True)

    # --- state ----------------------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        self._check_time()
        return self._state

    @property
    def finished(self) -> bool:
        return self.state == FINISHED

    @property
    def result(self) -> ExamResult | None:
        self._check_time()
        return self._result

    def __len__(self) -> int:
        return len(self._questions)

    @property
    def questions(self) -> tuple[Question, ...]:
        """In presented order."""
        return tuple(self._questions)

    @property
    def index(self) -> int:
        return self._index

    def elapsed_s(self) -> float:
        if self._state == READY:
            return 0.0
        end = self._end_t if self._state == FINISHED else self._clock()
        t = end - self._t0
        return min(t, self.duration_s) if self.duration_s is not None else t

    def remaining_s(self) -> float | None:
        """Seconds left (never negative), or None for an untimed round."""
        if self.duration_s is None:
            return None
        return max(0.0, self.duration_s - self.elapsed_s())

    # --- lifecycle --------------------------------------------------------------------------------------------

    def start(self) -> None:
        if self._state != READY:
            return
        self._t0 = self._clock()
        self._state = RUNNING
        self._emit("started", {"exam_id": self.bank.id, "exam_title": self.bank.title, "mode": self.mode,
                               "questions": len(self._questions), "duration_s": self.duration_s,
                               "seed": self.shuffle_seed, "breaks": self.breaks_allowed})
        self._show(0)

    def tick(self) -> list[str]:
        """Call a few times a second: fires time warnings and the auto-submit. Returns the event kinds fired."""
        fired: list[str] = []
        self._check_time(fired)
        return fired

    def submit(self) -> ExamResult:
        """End the exam (idempotent: a second call returns the same result)."""
        self._check_time()
        if self._state == READY:
            self.start()
        if self._state == RUNNING:
            self._finish(auto=False, now=self._clock())
        assert self._result is not None
        return self._result

    # --- breaks -----------------------------------------------------------------------------------------------

    @property
    def on_break(self) -> bool:
        return self._break_since is not None and self.state == RUNNING

    def break_would_lock(self) -> int:
        """How many questions a break now would lock (seen and not locked yet): the page says so first."""
        return len(self._seen - self._break_locked)

    def can_take_break(self) -> bool:
        return self.breaks_allowed and self.state == RUNNING and self._break_since is None

    def take_break(self) -> bool:
        """Start a break now. False if the bank allows none, the exam is over or a break is on already."""
        if not self.can_take_break():
            return False
        now = self._clock()
        self._account(now)
        newly = sorted(self._seen - self._break_locked)
        self._break_locked |= self._seen
        self._break_since = now
        self._emit("break_started", {"locked": newly, "locked_total": len(self._break_locked)})
        return True

    def end_break(self) -> bool:
        """Back from the break: the exam goes on at the first question not locked (the review screen if none)."""
        if self._break_since is None or self.state != RUNNING:
            return False
        now = self._clock()
        start, self._break_since = self._break_since, None
        nxt = next((i for i, q in enumerate(self._questions) if not self._is_locked(q)), None)
        self._emit("break_ended", {"break_s": round(now - start, 3), "next": None if nxt is None else nxt + 1})
        if nxt is not None and self.sections:
            # every question of the section was seen before the break: the exam goes on in the next one, and
            # the sections passed are left as Next would leave them
            for k in range(self.section_number(), self.section_number(nxt)):
                self._leave_section(k)
        self._show(self._index if nxt is None else nxt, now)
        return True

    # --- navigation -------------------------------------------------------------------------------------------

    def view(self, index: int | None = None) -> QuestionView:
        i = self._index if index is None else index
        if not 0 <= i < len(self._questions):
            raise SessionError(f"no question at index {i} (0..{len(self._questions) - 1})")
        q = self._questions[i]
        resp = self._responses.get(q.id)
        return QuestionView(index=i, number=i + 1, total=len(self._questions), question=q,
                            options=self._options[q.id], case=self.bank.case_studies.get(q.case_id or ""),
                            response=resp, marked=q.id in self._marked, locked=self._is_locked(q),
                            complete=is_complete(q, resp), series=self.bank.series.get(q.series_id or ""),
                            assets=self.bank.assets)

    @property
    def current(self) -> QuestionView:
        return self.view()

    def would_lock(self, index: int) -> str | None:
        """The case study that moving to `index` would lock (ask the candidate first), or None."""
        here = self._questions[self._index].case_id
        if here is None or not 0 <= index < len(self._questions):
            return None
        return here if self._questions[index].case_id != here else None

    def can_goto(self, index: int) -> bool:
        if self.forward_only and index not in (self._index, self._index + 1):
            return False
        if self.sections and 0 <= index < len(self._questions) and not self._section_allows(index):
            return False
        return (self.state == RUNNING and 0 <= index < len(self._questions) and self._break_since is None
                and not self._is_locked(self._questions[index]))

    # --- bank sections ----------------------------------------------------------------------------------------

    def section_number(self, index: int | None = None) -> int | None:
        """0-based number of the bank section question `index` (default: the current one) is in; None without
        sections."""
        if not self.sections:
            return None
        return self._section_no[self._questions[self._index if index is None else index].id]

    def current_section(self) -> Section | None:
        k = self.section_number()
        return None if k is None else self.sections[k]

    def next_section_start(self) -> int | None:
        """Index of the first question of the section after the current one, or None (no sections, the last)."""
        k = self.section_number()
        if k is None or k + 1 >= len(self.sections):
            return None
        return next(i for i, q in enumerate(self._questions) if self._section_no[q.id] == k + 1)

    def leaving_section(self, index: int) -> Section | None:
        """The bank section that moving to `index` would lock (ask the candidate first), or None."""
        if not self.sections or not 0 <= index < len(self._questions):
            return None
        k = self.section_number()
        return self.sections[k] if self.section_number(index) != k else None

    def _leave_section(self, k: int) -> None:
        if k in self._sections_left:
            return
        self._sections_left.add(k)
        part = self.sections[k]
        self._emit("section_locked", {"section_id": part.id, "title": part.title, "number": k + 1,
                                      "of": len(self.sections)})

    def _section_allows(self, index: int) -> bool:
        # Within the current section anywhere; into the next one only at its first question (from the end of
        # this one, as "Next" or the review screen's "Finish this section" does); never back, never ahead.
        here, there = self.section_number(), self.section_number(index)
        return there == here or (there is not None and here is not None and there == here + 1
                                 and index == self.next_section_start())

    def goto(self, index: int) -> bool:
        """Show question `index`. False (nothing changes) if the exam is over, the index is out of range or the
        question sits in a locked case study. Leaving a case study locks it."""
        if not self.can_goto(index):
            return False
        now = self._clock()
        self._account(now)
        leaving = self.would_lock(index)
        if leaving is not None:
            self._locked.add(leaving)
            self._emit("section_locked", {"case_id": leaving})
        if self.leaving_section(index) is not None:
            self._leave_section(self.section_number())
        if index != self._index:
            left = self._questions[self._index].id
            if left not in self._left:
                self._left.add(left)
                if self.forward_only or self._questions[self._index].series_id is not None:
                    self._emit("question_locked", {"qid": left})
        self._show(index, now)
        return True

    def next(self) -> bool:
        return self.goto(self._index + 1)

    def prev(self) -> bool:
        return self.goto(self._index - 1)

    def open_review(self, which: str = "all") -> list[rv.ReviewRow]:
        """The candidate opens the review screen: time stops counting against the current question."""
        if self.state == RUNNING and self._shown_since is not None:
            self._account(self._clock())
            self._shown_since = None
            s = rv.summarize(self.review())
            self._emit("review_shown", {"answered": s.answered, "unanswered": s.unanswered + s.incomplete,
                                        "marked": s.marked})
        return self.review(which)

    def reference_text(self, index: int) -> str:
        """The text of the bank's reference page `index` (open book), journaled as "reference_opened". The clock
        keeps running while it is read, as on the real exam: reading costs exam time."""
        from proctorprep.exam.assets import AssetError, read_reference

        refs = self.bank.references
        if not 0 <= index < len(refs):
            raise SessionError(f"no reference page {index} (the bank has {len(refs)})")
        self._emit("reference_opened", {"title": refs[index].title,
                                        "qid": self._questions[self._index].id if self._questions else None})
        if self.bank.assets is None:
            return f"[{refs[index].file} is not available]"
        try:
            return read_reference(self.bank.assets, refs[index].file)
        except AssetError as exc:     # the files changed since the bank was checked: say so, never crash
            return f"[{exc}]"

    # --- answers and marks ------------------------------------------------------------------------------------

    def answer(self, qid: str, response: Any) -> bool:
        """Record a response (see scoring.py for its shape per type; None clears it). False if the exam is over
        or the question is locked; ResponseError if the response does not fit the question."""
        q = self._question(qid)
        value = normalize_response(q, response)
        if self.state != RUNNING or self._is_locked(q) or self._break_since is not None:
            return False
        self._responses[qid] = value
        if value is None:
            self._responses.pop(qid)
        self._emit("answered", {"qid": qid, "response": value, "complete": is_complete(q, value)})
        return True

    def comment(self, qid: str, text: str) -> bool:
        """The candidate's optional comment on a question (as on the real exam: it never changes the score).
        Journaled as "commented"; kept in the result and shown in the report. Empty text removes it. False if the
        exam is over. Comments are allowed on locked questions too: a comment is about the question, not an answer."""
        self._question(qid)
        if self.state != RUNNING:
            return False
        text = " ".join(str(text).split())[:MAX_COMMENT]
        if text:
            self._comments[qid] = text
        else:
            self._comments.pop(qid, None)
        self._emit("commented", {"qid": qid, "comment": text})
        return True

    def comment_of(self, qid: str) -> str:
        return self._comments.get(qid, "")

    def response(self, qid: str) -> Any:
        self._question(qid)
        return self._responses.get(qid)

    def mark(self, qid: str, marked: bool = True) -> bool:
        q = self._question(qid)
        if self.state != RUNNING or self._is_locked(q):
            return False
        if (qid in self._marked) != marked:
            (self._marked.add if marked else self._marked.discard)(qid)
            self._emit("marked", {"qid": qid, "marked": marked})
        return True

    def is_marked(self, qid: str) -> bool:
        self._question(qid)
        return qid in self._marked

    def time_spent(self, qid: str) -> float:
        """Seconds the question has been on screen so far (the current visit included)."""
        self._question(qid)
        t = self._time_spent[qid]
        if self._state == RUNNING and self._shown_since is not None and self._questions[self._index].id == qid:
            t += max(0.0, min(self._clock(), self._deadline()) - self._shown_since)
        return t

    def review(self, which: str = "all") -> list[rv.ReviewRow]:
        rows = []
        for i, q in enumerate(self._questions):
            resp = self._responses.get(q.id)
            status = rv.ANSWERED if is_complete(q, resp) else rv.INCOMPLETE if resp is not None else rv.UNANSWERED
            k = self._section_no.get(q.id)
            rows.append(rv.ReviewRow(index=i, number=i + 1, qid=q.id, excerpt=rv.excerpt(q.prompt), status=status,
                                     marked=q.id in self._marked, locked=self._is_locked(q), case_id=q.case_id,
                                     section=None if k is None else self.sections[k].title,
                                     ahead=k is not None and k > (self.section_number() or 0)))
        return [r for r in rows if rv.matches(r, which)]

    # --- internals --------------------------------------------------------------------------------------------

    def _question(self, qid: str) -> Question:
        i = self._index_of.get(qid)
        if i is None:
            raise SessionError(f"question {qid!r} is not in this session")
        return self._questions[i]

    def leaves_for_good(self, index: int) -> bool:
        """True when moving to `index` locks the current question itself (a solution of a problem-solution
        series, or any question of a forward-only round): the page says so before."""
        if not 0 <= index < len(self._questions) or index == self._index:
            return False
        here = self._questions[self._index]
        return self.forward_only or here.series_id is not None

    def _is_locked(self, q: Question) -> bool:
        if q.id in self._break_locked:      # seen before a break
            return True
        # A solution of a problem-solution series locks once left, as on the real exam (answered or not).
        if (self.forward_only or q.series_id is not None) and q.id in self._left:
            return True
        if self._section_no.get(q.id, -1) in self._sections_left:
            return True
        return q.case_id is not None and q.case_id in self._locked

    def _deadline(self) -> float:
        return self._t0 + self.duration_s if self.duration_s is not None else float("inf")

    def _account(self, now: float) -> None:
        if self._shown_since is not None:
            qid = self._questions[self._index].id
            self._time_spent[qid] += max(0.0, min(now, self._deadline()) - self._shown_since)
            self._shown_since = None

    def _show(self, index: int, now: float | None = None) -> None:
        self._index = index
        self._shown_since = self._clock() if now is None else now
        q = self._questions[index]
        self._seen.add(q.id)
        self._emit("question_shown", {"qid": q.id, "number": index + 1})

    def _check_time(self, fired: list[str] | None = None) -> None:
        if self._state != RUNNING or self.duration_s is None:
            return
        now = self._clock()
        left = self.duration_s - (now - self._t0)
        if left <= 0:
            self._finish(auto=True, now=self._deadline())
            if fired is not None:
                fired.append("auto_submitted")
            return
        crossed = [w for w in WARNINGS_S if left <= w and w not in self._warned and w < self.duration_s]
        if crossed:
            # A clock that jumps past both marks at once warns once, with the more urgent one.
            self._warned.update(crossed)
            most = min(crossed)
            self._emit("time_warning", {"minutes_left": most // 60, "remaining_s": round(left, 3)})
            if fired is not None:
                fired.append("time_warning")

    def _finish(self, auto: bool, now: float) -> None:
        self._account(now)
        self._end_t = now
        self._state = FINISHED
        self._result = score_exam(self.bank, self._questions, self._responses, self._marked, self._time_spent,
                                  mode=self.mode, auto_submitted=auto, duration_s=self.duration_s,
                                  time_used_s=now - self._t0 if self.duration_s is None
                                  else min(now - self._t0, self.duration_s), comments=self._comments)
        self._emit("auto_submitted" if auto else "submitted",
                   {"score": self._result.score, "passed": self._result.passed, "answered": self._result.answered,
                    "questions": len(self._questions)})

    def _emit(self, kind: str, data: dict[str, Any]) -> None:
        if self.listener is None:
            return
        data = {"t_s": round(self.elapsed_s(), 3), **data}
        try:
            self.listener(kind, data)
        except Exception as exc:   # the journal reports its own errors; the exam goes on regardless
            self.listener_errors.append(f"{kind}: {type(exc).__name__}: {exc}")


def _arrange(questions: list[Question], seed: int | None, bank_id: str, section_no: dict[str, int] | None = None
             ) -> tuple[list[Question], dict[str, tuple[Option, ...]]]:
    """Presented order of questions and of each question's options. With a seed, standalone questions and whole
    case studies are shuffled as blocks (a case study stays together) — within their bank section, the sections
    keep their order — then the questions inside each case study and every option list. Keys are by option id, so
    they stay right whatever the order. Then each type has its say (QuestionType.present: a build list is never
    shown in its answer order, shuffled or not)."""
    section_no = section_no or {}
    blocks: list[list[Question]] = []
    def group(q: Question) -> tuple[str, str] | None:
        if q.case_id is not None:
            return ("case", q.case_id)
        return ("series", q.series_id) if q.series_id is not None else None

    for q in questions:
        if group(q) is not None and blocks and group(blocks[-1][0]) == group(q):
            blocks[-1].append(q)
        else:
            blocks.append([q])
    rng = random.Random(seed) if seed is not None else None
    if rng is not None:
        parts: dict[int, list[list[Question]]] = {}
        for b in blocks:
            parts.setdefault(section_no.get(b[0].id, 0), []).append(b)
        for part in parts.values():
            rng.shuffle(part)
        blocks = [b for k in sorted(parts) for b in parts[k]]
        for b in blocks:
            if b[0].series_id is None:      # a series keeps its order: it is read as one story
                rng.shuffle(b)
    ordered = [q for b in blocks for q in b]
    options: dict[str, tuple[Option, ...]] = {}
    for q in ordered:
        opts = list(q.options)
        if rng is not None:
            rng.shuffle(opts)
        options[q.id] = tuple(question_type(q.type).present(q, opts, bank_id))
    return ordered, options
