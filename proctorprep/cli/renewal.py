"""`proctorprep renewal`: a renewal round in the terminal, or whether the attempt rule lets you start one.

    proctorprep renewal BANK [--questions N] [--seed N]    25-40 questions, no clock, forward-only
    proctorprep renewal BANK --status                      may you start now? (after two failed attempts in a
                                                           row, 24 hours after the last one)

Each question is answered by typing: a letter (B), letters (A C), letters in order for a build list (C A B), y/n per
statement, a letter per target for matching, the text or the number. An empty line leaves the question
unanswered; there is no going back. End of input (Ctrl+D) stops the round, and it counts as a failed attempt.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, Callable, TextIO

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("renewal", help=help_text, description=help_text)
    p.add_argument("bank", metavar="BANK", help="bank id (see `proctorprep exams`)")
    p.add_argument("--questions", type=int, default=None, help="25-40 (default 30)")
    p.add_argument("--seed", type=int, default=None, help="draw and order the same questions again")
    p.add_argument("--status", action="store_true", help="only say whether a round may start now, and why")
    p.set_defaults(handler=run)


class _Stop(Exception):
    pass


def _ask(prompt: str, read: Callable[[], str], out: TextIO) -> str:
    out.write(prompt)
    out.flush()
    line = read()
    if line == "":
        raise _Stop
    return line.strip()


def _letters(text: str) -> list[str]:
    return [c for c in re.sub(r"[\s,;|]+", "", text.upper())]


def parse_answer(view: Any, text: str) -> Any:
    """What was typed -> a response for the session (None = unanswered); ValueError says what to type instead."""
    q, opts = view.question, view.options
    if not text:
        return None
    if q.type in ("single", "multiple", "order"):
        picked = _letters(text)
        bad = [c for c in picked if c not in LETTERS[: len(opts)]]
        if bad or len(set(picked)) != len(picked):
            raise ValueError(f"type letters from A to {LETTERS[len(opts) - 1]}, each once")
        ids = [opts[LETTERS.index(c)].id for c in picked]
        if q.type == "single":
            if len(ids) != 1:
                raise ValueError("type one letter")
            return ids[0]
        if q.type == "multiple" and len(ids) > (q.choose or 0):
            raise ValueError(f"choose at most {q.choose}")
        return ids
    if q.type == "numeric":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise ValueError("type a number") from None
    return text


def _answer_one(view: Any, read: Callable[[], str], out: TextIO) -> Any:
    q, opts = view.question, view.options
    if q.type == "yesno":
        answers: dict[str, bool] = {}
        for i, st in enumerate(q.statements, start=1):
            while True:
                t = _ask(f"  {i}. {st.text}  [y/n, empty = skip] ", read, out).lower()
                if t in ("", "y", "yes", "n", "no"):
                    break
                out.write("  type y or n\n")
            if t:
                answers[st.id] = t.startswith("y")
        return answers or None
    if q.type == "matching":
        for i, o in enumerate(opts):
            out.write(f"  {LETTERS[i]}. {o.text}\n")
        pairs: dict[str, str] = {}
        for t in q.targets:
            while True:
                c = _ask(f"  {t.text} -> [letter, empty = skip] ", read, out).upper()
                if c == "" or (len(c) == 1 and c in LETTERS[: len(opts)]):
                    break
                out.write(f"  type one letter from A to {LETTERS[len(opts) - 1]}\n")
            if c:
                pairs[t.id] = opts[LETTERS.index(c)].id
        return pairs or None
    if q.type == "info":
        _ask("  (information only) press Enter ", read, out)
        return None
    hint = {"single": "one letter", "multiple": f"{q.choose} letters", "order": "letters in order",
            "short_answer": "your answer", "numeric": "a number"}.get(q.type, "your answer")
    for i, o in enumerate(opts):
        out.write(f"  {LETTERS[i]}. {o.text}\n")
    while True:
        try:
            return parse_answer(view, _ask(f"  [{hint}, empty = skip] ", read, out))
        except ValueError as exc:
            out.write(f"  {exc}\n")


def run(args: argparse.Namespace, read: Callable[[], str] | None = None, out: TextIO | None = None) -> int:
    from proctorprep import paths
    from proctorprep.cli import UserError
    from proctorprep.exam.catalog import find_bank
    from proctorprep.exam.errors import BankError
    from proctorprep.exam.renewal import DEFAULT_QUESTIONS, RenewalError
    from proctorprep.progress.renewal_round import RenewalRound, gate, load_attempts

    out = out or sys.stdout
    read = read or sys.stdin.readline
    root = paths.sessions_dir()
    try:
        bank = find_bank(args.bank, paths.user_exams_dir())
    except BankError as exc:
        raise UserError(str(exc)) from None
    attempts = load_attempts(root)
    if args.status:
        from datetime import datetime

        g = gate(attempts, bank.id, datetime.now().astimezone())
        out.write(("You may start a renewal round of " if g.allowed else "Not yet: ") + f"{bank.title}.\n")
        if g.reason:
            out.write(g.reason + "\n")
        return 0 if g.allowed else 1
    try:
        rnd = RenewalRound(bank, root, attempts, count=args.questions or DEFAULT_QUESTIONS, seed=args.seed)
    except RenewalError as exc:
        raise UserError(str(exc)) from None
    s = rnd.session
    out.write(f"Renewal round: {bank.title} — {len(s)} questions, no time limit, no going back.\n"
              "No camera or microphone is used. An empty line leaves a question unanswered.\n")
    rnd.start()
    try:
        for i in range(len(s)):
            view = s.current
            out.write(f"\nQuestion {view.number} of {view.total} ({view.question.skill})\n{view.question.prompt}\n")
            s.answer(view.question.id, _answer_one(view, read, out))
            if i + 1 < len(s):
                s.next()
    except _Stop:
        rnd.abandon()
        out.write("\nStopped before the end: recorded as a failed attempt.\n")
        return 1
    result = rnd.submit()
    out.write(f"\n{'PASSED' if result.passed else 'NOT PASSED'}: {result.score} of 1000 ({result.pass_score} to "
              f"pass), {result.answered} of {len(result.rows)} answered.\nBy skill area:\n")
    for sk in result.by_skill:
        out.write(f"  {sk.percent:5.1f} %  {sk.skill} ({sk.questions} questions)\n")
    out.write(f"Recorded in your history as session {rnd.session_id}.\n")
    return 0 if result.passed else 1
