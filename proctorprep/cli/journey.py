"""`proctorprep journey`: your certifications and exams, renewals, readiness, practice plans, calendar and badges.

    proctorprep journey                                   everything, in plain words (--json for the same as JSON)
    proctorprep journey add-cert NAME [--code AZ-104] [--kind role-based] [--earned 2026-01-10] [--bank ID]
    proctorprep journey edit-cert ID [--expires 2027-01-10] [--validity-months 12] [--window-months 6] ...
    proctorprep journey renew ID [--on 2026-12-01]        record a passed renewal (expiry + one validity period)
    proctorprep journey add-exam CODE [--title T] [--status booked] [--date D] [--time 09:30] [--cert ID] [--bank ID]
    proctorprep journey edit-exam ID [--status failed --score 640 --skill "Manage identities=45" ...]
    proctorprep journey remove ID
    proctorprep journey renewals                          the renewal windows that are open or closing
    proctorprep journey readiness [EXAM_ID]               the "ready to book" rule, with its reasons
    proctorprep journey plan EXAM_ID [--weak SKILL ...]   a practice plan after a failed exam
    proctorprep journey ics FILE                          exam dates and renewal windows as iCalendar
    proctorprep journey badge-import FILE --cert ID       attach a badge downloaded from a badge wallet
    proctorprep journey badge-show FILE                   what a badge file says, without importing it
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-12-31, got {text!r}") from None


def _cert_options(p: argparse.ArgumentParser, editing: bool) -> None:
    if editing:
        p.add_argument("--name")
    p.add_argument("--code", action="append", dest="codes", metavar="EXAM_CODE",
                   help="an exam that leads to it (repeat for several)")
    p.add_argument("--kind", choices=("role-based", "specialty", "fundamentals", "other"),
                   help="role-based and specialty expire yearly (Microsoft); fundamentals do not")
    p.add_argument("--earned", type=_date, metavar="DATE", help="the day you earned it")
    p.add_argument("--expires", type=_date, metavar="DATE", help="its expiry date (default: earned + validity)")
    p.add_argument("--validity-months", type=int, metavar="N", help="how long it is valid (default by kind)")
    p.add_argument("--window-months", type=int, metavar="N", help="renewal opens N months before expiry (6)")
    p.add_argument("--bank", metavar="BANK_ID", help="practice bank for readiness and the renewal round")
    p.add_argument("--notes")


def _exam_options(p: argparse.ArgumentParser, editing: bool) -> None:
    if editing:
        p.add_argument("--code")
    p.add_argument("--title")
    p.add_argument("--status", choices=("planned", "booked", "passed", "failed"))
    p.add_argument("--date", type=_date, metavar="DATE")
    p.add_argument("--time", metavar="HH:MM", help="start time of a booked exam (your local time)")
    p.add_argument("--score", type=int, help="your score, 1..1000 (700 passes)")
    p.add_argument("--cert", metavar="CERT_ID", help="the certification it leads to")
    p.add_argument("--bank", metavar="BANK_ID", help="practice bank (default: the certification's)")
    p.add_argument("--skill", action="append", dest="skills", metavar="NAME=PERCENT",
                   help="a skill bar of the real score report (repeat; replaces the ones entered before)")
    p.add_argument("--notes")


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    # --today: tests and demos run the renewal rules on a fixed day (hidden from --help)
    today = argparse.ArgumentParser(add_help=False)
    today.add_argument("--today", type=_date, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    p = sub.add_parser("journey", help=help_text, description=help_text, parents=[today])
    p.add_argument("--json", action="store_true", help="print the journey as JSON")
    p.set_defaults(handler=run_show)
    a = p.add_subparsers(dest="journey_action", metavar="ACTION")
    a_add = a.add_parser

    def add(name: str, **kw: Any) -> argparse.ArgumentParser:
        return a_add(name, parents=[today], **kw)

    a.add_parser = add  # type: ignore[method-assign]

    # the four editing actions: (name, positional, its options, editing?, handler, help)
    for name, positional, options, editing, handler, help_ in (
        ("add-cert", "name", _cert_options, False, run_add_cert, "add a certification you hold or aim at"),
        ("edit-cert", "cert_id", _cert_options, True, run_edit_cert, "change a certification"),
        ("add-exam", "code", _exam_options, False, run_add_exam, "add an exam you plan, booked, passed or failed"),
        ("edit-exam", "exam_id", _exam_options, True, run_edit_exam,
         "change an exam (e.g. after taking it: --status failed --score 640)"),
    ):
        c = a.add_parser(name, help=help_)
        c.add_argument(positional)
        options(c, editing=editing)
        c.set_defaults(handler=handler)
    r = a.add_parser("renew", help="record a passed renewal (the expiry moves on by one validity period)")
    r.add_argument("cert_id")
    r.add_argument("--on", type=_date, metavar="DATE", help="the day you renewed (default: today)")
    r.set_defaults(handler=run_renew)

    d = a.add_parser("remove", help="remove a certification or an exam")
    d.add_argument("entry_id")
    d.set_defaults(handler=run_remove)

    a.add_parser("renewals", help="renewal windows that are open or closing").set_defaults(handler=run_renewals)
    rd = a.add_parser("readiness", help="are you ready to book? the rule and its reasons")
    rd.add_argument("exam_id", nargs="?")
    rd.set_defaults(handler=run_readiness)
    pl = a.add_parser("plan", help="a practice plan of rounds on the weakest skills of a failed exam")
    pl.add_argument("exam_id")
    pl.add_argument("--weak", action="append", metavar="SKILL",
                    help="a weak skill from the score report (repeat; default: its lowest skill bars)")
    pl.set_defaults(handler=run_plan)
    i = a.add_parser("ics", help="write exam dates and renewal windows as an iCalendar file")
    i.add_argument("file", type=Path)
    i.set_defaults(handler=run_ics)
    b = a.add_parser("badge-import", help="attach a badge image (Open Badges 2.0/3.0 PNG or SVG) to a certification")
    b.add_argument("file", type=Path)
    b.add_argument("--cert", required=True, metavar="CERT_ID")
    b.set_defaults(handler=run_badge_import)
    s = a.add_parser("badge-show", help="what a badge image says, without importing it")
    s.add_argument("file", type=Path)
    s.set_defaults(handler=run_badge_show)


# ------------------------------------------------------------------------------------------------ helpers


def _today(args: argparse.Namespace) -> date:
    return getattr(args, "today", None) or date.today()


def _load():
    from proctorprep import paths
    from proctorprep.progress import journey as jr

    journey = jr.load(paths.data_dir())
    for line in journey.problems:
        print(f"proctorprep: {line}")
    return journey


def _save(journey) -> None:
    from proctorprep.cli import UserError
    from proctorprep.progress import journey as jr

    try:
        jr.save(journey)
    except jr.JourneyError as exc:
        raise UserError(str(exc)) from exc


def _edit(fn, *a: Any, **kw: Any) -> Any:
    """Run an edit; a JourneyError becomes the one-line UserError."""
    from proctorprep.cli import UserError
    from proctorprep.progress.journey import JourneyError

    try:
        return fn(*a, **kw)
    except JourneyError as exc:
        raise UserError(str(exc)) from exc


def _changes(args: argparse.Namespace, mapping: dict[str, str]) -> dict[str, Any]:
    return {field: getattr(args, opt) for opt, field in mapping.items() if getattr(args, opt, None) is not None}


CERT_FIELDS = {"name": "name", "kind": "kind", "earned": "earned_on", "expires": "expires_on",
               "validity_months": "validity_months", "window_months": "window_months", "bank": "bank_id",
               "notes": "notes"}
EXAM_FIELDS = {"code": "code", "title": "title", "status": "status", "date": "date", "time": "time",
               "score": "score", "cert": "cert_id", "bank": "bank_id", "notes": "notes"}


def _skills(args: argparse.Namespace) -> dict[str, Any]:
    from proctorprep.progress.journey import parse_skill

    return {"skills": tuple(_edit(parse_skill, s) for s in args.skills)} if args.skills else {}


# ------------------------------------------------------------------------------------------------ commands


def run_add_cert(args: argparse.Namespace) -> int:
    from proctorprep.progress import journey as jr

    journey = _load()
    fields = _changes(args, CERT_FIELDS)
    fields.pop("name", None)
    cert = _edit(jr.add_certification, journey, jr.Certification(id="", name=args.name,
                                                                 exam_codes=tuple(args.codes or ()),
                                                                 **fields))
    _save(journey)
    print(f"Added certification {cert.name} as {cert.id!r}.")
    _print_renewal(cert, _today(args))
    return 0


def run_edit_cert(args: argparse.Namespace) -> int:
    from proctorprep.progress import journey as jr

    journey = _load()
    fields = _changes(args, CERT_FIELDS)
    if args.codes:
        fields["exam_codes"] = tuple(args.codes)
    cert = _edit(jr.update_certification, journey, args.cert_id, **fields)
    _save(journey)
    print(f"Changed {cert.name} ({cert.id}).")
    _print_renewal(cert, _today(args))
    return 0


def _print_renewal(cert, today: date) -> None:
    from proctorprep.progress.renewal_window import status

    print(f"  {status(cert, today).text}")


def run_renew(args: argparse.Namespace) -> int:
    from proctorprep.progress import journey as jr
    from proctorprep.progress.journey import day_words
    from proctorprep.progress.renewal_window import renew

    journey = _load()
    on = args.on or _today(args)
    renewed = _edit(renew, _edit(journey.cert, args.cert_id), on)
    _edit(jr.update_certification, journey, args.cert_id, expires_on=renewed.expires_on,
          renewed_on=renewed.renewed_on)
    _save(journey)
    print(f"Renewed {renewed.name} on {day_words(on)}: it now expires on {day_words(renewed.expires_on)}.")
    return 0


def run_add_exam(args: argparse.Namespace) -> int:
    from proctorprep.progress import journey as jr

    journey = _load()
    fields = _changes(args, EXAM_FIELDS) | _skills(args)
    fields.pop("code", None)
    exam = _edit(jr.add_exam, journey, jr.Exam(id="", code=args.code, **fields))
    _save(journey)
    print(f"Added exam {exam.label} ({exam.status}) as {exam.id!r}.")
    if exam.status == "failed":
        print(f"  Next: `proctorprep journey plan {exam.id}` makes a practice plan from your weakest skills.")
    return 0


def run_edit_exam(args: argparse.Namespace) -> int:
    from proctorprep.progress import journey as jr

    journey = _load()
    fields = _changes(args, EXAM_FIELDS) | _skills(args)
    exam = _edit(jr.update_exam, journey, args.exam_id, **fields)
    _save(journey)
    print(f"Changed exam {exam.label} ({exam.status}).")
    if exam.status == "failed" and exam.plan is None:
        print(f"  Next: `proctorprep journey plan {exam.id}` makes a practice plan from your weakest skills.")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from proctorprep.progress import journey as jr

    journey = _load()
    what = _edit(jr.remove, journey, args.entry_id)
    _save(journey)
    print(f"Removed {what}.")
    return 0


def run_renewals(args: argparse.Namespace) -> int:
    from proctorprep import paths
    from proctorprep.progress.journey_overview import startup_reminders

    due = startup_reminders(paths.data_dir(), _today(args))
    if not due:
        print("No renewal window is open.")
        return 0
    for s in due:
        print(s.text)
    print("In the app, the start-up banner and the Journey page offer the renewal round of its practice bank.")
    return 0


def run_readiness(args: argparse.Namespace) -> int:
    from proctorprep import paths
    from proctorprep.cli import UserError
    from proctorprep.progress.journey_overview import load_overview
    from proctorprep.progress.readiness import RULE_TEXT

    ov = load_overview(paths.data_dir(), _today(args))
    for line in ov.problems:
        print(f"proctorprep: {line}")
    wanted = [args.exam_id] if args.exam_id else list(ov.readiness)
    if args.exam_id and args.exam_id not in ov.readiness:
        raise UserError(f"{args.exam_id!r} is not a planned or booked exam in your journey "
                        f"(those are: {', '.join(ov.readiness) or 'none'})")
    if not wanted:
        print("No planned or booked exam in your journey: add one with `proctorprep journey add-exam CODE`.")
        return 0
    print(RULE_TEXT)
    for exam_id in wanted:
        exam = ov.journey.exam(exam_id)
        print(f"\n{exam.label}:")
        for line in ov.readiness[exam_id].lines():
            print(f"  {line}")
    return 0


def run_plan(args: argparse.Namespace) -> int:
    from proctorprep import paths
    from proctorprep.progress.journey_overview import load_overview, plan_for_failed

    journey = _load()
    exam = _edit(plan_for_failed, journey, args.exam_id, args.weak or [], paths.data_dir(), _today(args))
    _save(journey)
    ov = load_overview(paths.data_dir(), _today(args))
    _print_plan(ov, exam.id)
    return 0


def _print_plan(ov, exam_id: str, indent: str = "") -> None:
    from proctorprep.progress.plan import plan_lines

    exam = ov.journey.exam(exam_id)
    if exam.plan is None:
        return
    for line in plan_lines(exam.plan, ov.plans.get(exam_id, []), ov.bank_title(exam.plan.bank_id)):
        print(indent + line)


def run_ics(args: argparse.Namespace) -> int:
    from proctorprep.cli import UserError
    from proctorprep.progress.calendar_export import write_calendar

    journey = _load()
    try:
        path = write_calendar(journey, args.file, _today(args))
    except OSError as exc:
        raise UserError(f"cannot write {args.file}: {exc.strerror or exc}") from exc
    dated = sum(1 for e in journey.exams if e.date)
    print(f"wrote {path}: {dated} exam date(s) and the renewal windows of "
          f"{len(journey.certifications)} certification(s). Import it into your calendar.")
    return 0


def run_badge_import(args: argparse.Namespace) -> int:
    from proctorprep import paths
    from proctorprep.cli import UserError
    from proctorprep.progress.journey_overview import import_badge
    from proctorprep.progress.openbadges import BadgeFileError

    journey = _load()
    try:
        badge = _edit(import_badge, journey, args.cert, args.file, paths.data_dir(), _today(args))
    except BadgeFileError as exc:
        raise UserError(str(exc)) from exc
    _save(journey)
    print(f"Attached to {journey.cert(args.cert).name}: {_badge_line(badge)}")
    return 0


def _badge_line(b) -> str:
    expires = f", expires {b.expires}" if b.expires else ""
    return (f"{b.name!r} from {b.issuer or 'an unnamed issuer'!r} (Open Badges {b.version}), issued "
            f"{b.issued or 'on an unknown date'}{expires}; {b.signature}")


def run_badge_show(args: argparse.Namespace) -> int:
    from proctorprep.cli import UserError
    from proctorprep.progress.openbadges import BadgeFileError, read_badge

    try:
        info, baked, _data = read_badge(args.file)
    except BadgeFileError as exc:
        raise UserError(str(exc)) from exc
    print(f"{args.file.name}: Open Badges {info.version} ({baked.kind.upper()})")
    print(f"  name:      {info.name}")
    print(f"  issuer:    {info.issuer}")
    print(f"  issued:    {info.issued}")
    print(f"  expires:   {info.expires or '-'}")
    print(f"  signature: {info.signature}")
    if info.practice:
        print("  This is a proctorprep PRACTICE badge: a practice achievement, not a certification.")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from proctorprep import paths
    from proctorprep.progress.journey import day_words, to_dict
    from proctorprep.progress.journey_overview import load_overview
    from proctorprep.progress.plan import plan_lines

    ov = load_overview(paths.data_dir(), _today(args))
    if args.json:
        doc = to_dict(ov.journey)
        doc["renewals"] = [{"cert_id": s.cert_id, "state": s.state, "opens_on": s.opens_on and s.opens_on.isoformat(),
                            "expires_on": s.expires_on and s.expires_on.isoformat(), "text": s.text}
                           for s in ov.renewals]
        doc["readiness"] = {k: r.to_dict() for k, r in ov.readiness.items()}
        doc["plans"] = {k: plan_lines(ov.journey.exam(k).plan, steps, ov.bank_title(ov.journey.exam(k).plan.bank_id))
                        for k, steps in ov.plans.items()}
        doc["problems"] = ov.problems
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    for line in ov.problems:
        print(f"proctorprep: {line}")
    j = ov.journey
    if not j.certifications and not j.exams:
        print("Your journey is empty. Add a certification and the exams that lead to it, e.g.\n"
              "  proctorprep journey add-cert \"Azure Administrator Associate\" --code AZ-104 --earned 2026-03-02\n"
              "  proctorprep journey add-exam AZ-305 --status booked --date 2027-01-20 --time 09:30")
        return 0
    if ov.reminders:
        print("Renewals:")
        for s in ov.reminders:
            print(f"  {s.text}")
        print()
    print(f"Certifications ({len(j.certifications)}):")
    for c in j.certifications:
        st = ov.renewal(c.id)
        codes = f" [{', '.join(c.exam_codes)}]" if c.exam_codes else ""
        print(f"  {c.id}: {c.name}{codes} ({c.kind})")
        if st is not None:
            print(f"      {st.text}")
        for b in c.badges:
            print(f"      badge: {_badge_line(b)}")
    print(f"\nExams ({len(j.exams)}):")
    for e in j.exams:
        when = f" on {day_words(e.date)}{' ' + e.time if e.time else ''}" if e.date else ""
        score = f", score {e.score}" if e.score is not None else ""
        print(f"  {e.id}: {e.label} — {e.status}{when}{score}")
        if e.skills:
            print("      score report: " + "; ".join(f"{s.skill} {s.percent:.0f}%" for s in e.skills))
        if e.id in ov.readiness:
            print(f"      {ov.readiness[e.id].headline}")
        _print_plan(ov, e.id, "      ")
    return 0
