"""`proctorprep exams`: list the question banks (bundled and the user's), validate one, or import one.

    proctorprep exams                    id, title, questions, minutes of every bank found
    proctorprep exams validate FILE      exit 0 with a summary, or exit 2 with every problem, one per line
    proctorprep exams import FILE        validate a JSON or GIFT bank and copy it into the user's exams folder
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("exams", help=help_text, description=help_text)
    p.set_defaults(handler=run_list)
    actions = p.add_subparsers(dest="exams_action", metavar="ACTION")
    v = actions.add_parser("validate", help="check a question bank (JSON, or GIFT as .gift/.txt)",
                           description="Check a question bank and list every problem (file, question id, field).")
    v.add_argument("file", type=Path)
    v.set_defaults(handler=run_validate)
    i = actions.add_parser("import", help="validate a JSON or GIFT bank and copy it into your exams folder",
                           description="Validate a bank and store it (as JSON) in your exams folder.")
    i.add_argument("file", type=Path)
    i.add_argument("--id", dest="bank_id", help="bank id for a GIFT file (default: from the file name)")
    i.add_argument("--title", help="title for a GIFT file (default: from the file name)")
    i.add_argument("--minutes", type=int, help="duration for a GIFT file (default: 1.5 min per question)")
    i.add_argument("--replace", action="store_true", help="overwrite a user bank with the same id")
    i.set_defaults(handler=run_import)


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


def _load(path: Path, **gift_options):
    from proctorprep.exam.catalog import GIFT_SUFFIXES, load_bank
    from proctorprep.exam.formats.gift import load_gift_bank

    if path.name.lower().endswith(GIFT_SUFFIXES):
        return load_gift_bank(path, **{k: v for k, v in gift_options.items() if v is not None})
    return load_bank(path)


def run_validate(args: argparse.Namespace) -> int:
    from proctorprep.exam.errors import BankError

    try:
        bank = _load(args.file)
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
    from proctorprep.cli import UserError
    from proctorprep.exam.catalog import bundled_banks
    from proctorprep.exam.errors import BankError
    from proctorprep.exam.formats.json_bank import bank_to_dict

    try:
        bank = _load(args.file, bank_id=args.bank_id, title=args.title, duration_minutes=args.minutes)
    except BankError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{args.file}: not imported ({len(exc.problems)} problem(s))", file=sys.stderr)
        return 2
    if bank.id in {b.id for b in bundled_banks()}:
        raise UserError(f"{args.file}: bank id {bank.id!r} belongs to a bundled bank; choose another id")
    dest = paths.user_exams_dir() / f"{bank.id}.json"
    if dest.exists() and not args.replace:
        raise UserError(f"{args.file}: {dest} already exists; use --replace to overwrite it")
    paths.write_private(dest, json.dumps(bank_to_dict(bank), ensure_ascii=False, indent=1) + "\n")
    print(f"Imported {bank.question_count} questions as {bank.id!r} into {dest}")
    return 0
