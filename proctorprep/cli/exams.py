"""`proctorprep exams`: list the question banks (bundled and the user's), validate one, or import one.

    proctorprep exams                    id, title, questions, minutes of every bank found
    proctorprep exams validate FILE      exit 0 with a summary, or exit 2 with every problem, one per line
    proctorprep exams import FILE        import a bank (JSON, GIFT, Aiken, Moodle XML, CSV/TSV, QTI) into the exams folder
    proctorprep exams anki ID|latest     write the questions missed in a session to an Anki deck (.apkg)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from proctorprep.exam.formats import FORMATS


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("exams", help=help_text, description=help_text)
    p.set_defaults(handler=run_list)
    actions = p.add_subparsers(dest="exams_action", metavar="ACTION")
    formats = ", ".join(FORMATS)
    v = actions.add_parser("validate", help="check a question bank in any supported format",
                           description="Check a question bank and list every problem (file, line, question id, "
                                       "field), and every item an import would skip.")
    v.add_argument("file", type=Path)
    v.add_argument("--format", dest="fmt", choices=list(FORMATS), help=f"the file's format ({formats}); "
                   "default: from the suffix (.txt: GIFT or Aiken by content)")
    v.set_defaults(handler=run_validate)
    i = actions.add_parser("import", help="import a bank (JSON, GIFT, Aiken, Moodle XML, CSV/TSV, IMS QTI) into your exams "
                                          "folder", description="Validate a bank and store it (as JSON) in your "
                                                                "exams folder. Items that cannot be scored (essays) "
                                                                "are skipped, one line each.")
    i.add_argument("file", type=Path)
    i.add_argument("--format", dest="fmt", choices=list(FORMATS), help="the file's format (default: from the suffix)")
    i.add_argument("--id", dest="bank_id", help="bank id for an imported file (default: from the file name)")
    i.add_argument("--title", help="title for an imported file (default: from the file name)")
    i.add_argument("--minutes", type=int, help="duration for an imported file (default: 1.5 min per question)")
    i.add_argument("--replace", action="store_true", help="overwrite a user bank with the same id")
    i.set_defaults(handler=run_import)
    a = actions.add_parser("anki", help="write the questions missed in a session to an Anki deck (.apkg)",
                           description="Export every question that earned less than full credit in the session's "
                                       "exam to an Anki deck: front the question, back the right answer, your "
                                       "answer and the explanation. Exporting again updates the same cards.")
    a.add_argument("session", metavar="ID", help="session id from `proctorprep report`, or 'latest'")
    a.add_argument("--out", type=Path, help="the .apkg file to write (default: ID-missed.apkg here)")
    a.set_defaults(handler=run_anki)


def run_list(args: argparse.Namespace) -> int:
    from proctorprep.exam.catalog import list_banks
    from proctorprep.paths import user_exams_dir

    user_dir = user_exams_dir()
    banks = list_banks(user_dir)
    rows = [(b.id, b.title or "(cannot be loaded)", str(b.question_count) if b.error is None else "-",
             str(b.duration_minutes) if b.error is None else "-", b.origin) for b in banks]
    header = ("ID", "TITLE", "QUESTIONS", "MINUTES", "FROM")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    for r in [header] + rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    for b in banks:
        if b.error is not None:
            print(f"\n{b.path} cannot be loaded:\n{b.error}", file=sys.stderr)
    print(f"\nYour exams folder: {user_dir}")
    return 0


def _load(path: Path, fmt: str | None, **options):
    from proctorprep.exam.formats import import_file

    imported = import_file(path, fmt, **{k: v for k, v in options.items() if v is not None})
    for note in imported.skipped:
        print(note, file=sys.stderr)
    return imported.bank


def run_validate(args: argparse.Namespace) -> int:
    from proctorprep.exam.errors import BankError

    try:
        bank = _load(args.file, args.fmt)
    except BankError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        n = len(exc.problems)
        print(f"{args.file}: {n} problem{'s' if n != 1 else ''}", file=sys.stderr)
        return 2
    types: dict[str, int] = {}
    for q in bank.questions:
        types[q.type] = types.get(q.type, 0) + 1
    print(f"{args.file}: OK: {bank.id!r} \"{bank.title}\": {bank.question_count} questions, "
          f"{bank.duration_minutes} minutes, {len(bank.case_studies)} case stud{'y' if len(bank.case_studies) == 1 else 'ies'}")
    print("  types: " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())))
    print("  skill areas: " + ", ".join(bank.skill_areas))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from proctorprep import paths
    from proctorprep.exam.catalog import install_bank
    from proctorprep.exam.errors import BankError

    try:
        bank = _load(args.file, args.fmt, bank_id=args.bank_id, title=args.title, duration_minutes=args.minutes)
        dest = install_bank(bank, paths.user_exams_dir(), replace=args.replace)
    except BankError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{args.file}: not imported ({len(exc.problems)} problem(s))", file=sys.stderr)
        return 2
    print(f"Imported {bank.question_count} questions as {bank.id!r} into {dest}")
    return 0


def run_anki(args: argparse.Namespace) -> int:
    from proctorprep import paths
    from proctorprep.cli import UserError
    from proctorprep.exam.anki import AnkiExportError
    from proctorprep.journal.history import find_session, list_sessions
    from proctorprep.journal.store import JournalError
    from proctorprep.report.anki import export_session_missed

    root = paths.sessions_dir()
    try:
        if args.session == "latest":
            done = [s for s in list_sessions(root) if s.status != "running" and s.score is not None]
            if not done:
                raise UserError(f"no finished exam sessions yet in {root}")
            session_dir = done[-1].path
        else:
            session_dir = find_session(args.session, root)
        out = args.out or Path(f"{session_dir.name}-missed.apkg")
        n = export_session_missed(session_dir, out, paths.user_exams_dir())
    except KeyError as exc:
        raise UserError(str(exc.args[0])) from None
    except (AnkiExportError, JournalError) as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot write {exc.filename or out}: {exc.strerror or exc}") from None
    print(f"wrote {n} card{'s' if n != 1 else ''} to {out}")
    return 0
