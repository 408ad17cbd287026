"""`proctorprep report`: list past sessions, export their reports, finish interrupted ones.

    proctorprep report                              # list every session
    proctorprep report ID|latest [--html F] [--pdf F] [--json F]   # export (no flag: every format, here)
    proctorprep report --all DIR                    # every session's report in every format into DIR

One --<format> option per registered export format (report/formats.py).
    proctorprep report --recover                    # finish sessions a crash interrupted
    proctorprep report --delete ID                  # remove a session and all its files
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    from proctorprep.report.formats import export_formats

    files = ", ".join(f"ID{f.suffix}" for f in export_formats())
    p = sub.add_parser("report", help=help_text, description=help_text,
                       epilog="Without arguments, lists the sessions. With a session id and no format option, "
                              f"writes {files} in the current folder.")
    p.add_argument("session", nargs="?", metavar="ID", help="session id from the list, or 'latest'")
    for f in export_formats():
        p.add_argument(f"--{f.key.replace('_', '-')}", dest=f"format_{f.key}", type=Path, metavar="OUT",
                       help=f"write the {f.title} report here")
    p.add_argument("--all", type=Path, metavar="DIR", help="export every session into DIR")
    p.add_argument("--recover", action="store_true", help="finish the reports of interrupted sessions")
    p.add_argument("--delete", metavar="ID", help="delete a session and every file of it")
    p.set_defaults(handler=run)


def _one_line(text: object, width: int) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= width else s[: width - 1] + "…"


def _list(root: Path) -> int:
    from proctorprep.journal.history import list_sessions
    from proctorprep.report.model import clock

    skipped: list[str] = []
    sessions = list_sessions(root, on_skip=lambda p, why: skipped.append(why))
    if not sessions:
        print(f"No sessions yet in {root}.")
    else:
        print(f"{'ID':<21} {'Started (UTC)':<17} {'Kind':<8} {'Exam':<30} {'Length':>7} {'Score':>5} "
              f"{'Verdict':<10} {'Compliant':>9} {'Incidents':>9}  Status")
        for s in sessions:
            print(f"{s.id:<21} {s.started_at.replace('T', ' ')[:16]:<17} {s.kind:<8} "
                  f"{_one_line(s.exam_title or '-', 30):<30} {clock(s.duration_s):>7} "
                  f"{'-' if s.score is None else s.score:>5} {s.verdict:<10} {100 * s.compliant_fraction:>8.0f}% "
                  f"{s.incident_total:>9}  {s.status}")
        interrupted = sum(1 for s in sessions if s.status == "interrupted")
        if interrupted:
            print(f"\n{interrupted} interrupted session(s): run `proctorprep report --recover` to finish them.")
    for why in skipped:
        print(f"skipped: {why}")
    return 0


def run(args: argparse.Namespace) -> int:
    from proctorprep import paths
    from proctorprep.cli import UserError
    from proctorprep.journal.history import delete_session, find_session, list_sessions
    from proctorprep.journal.recovery import finish_all_interrupted
    from proctorprep.journal.store import JournalError
    from proctorprep.report.export import export_all, export_report
    from proctorprep.report.formats import export_formats

    root = paths.sessions_dir()
    formats = {f.key: getattr(args, f"format_{f.key}") for f in export_formats()
               if getattr(args, f"format_{f.key}") is not None}
    try:
        if args.delete is not None:
            if args.session is not None or formats or args.all is not None or args.recover:
                raise UserError("--delete takes only the session id")
            try:
                removed = delete_session(args.delete, root)
            except KeyError as exc:
                raise UserError(str(exc.args[0])) from None
            except RuntimeError as exc:
                raise UserError(str(exc)) from None
            print(f"deleted session {args.delete} ({len(removed)} files):")
            for path in removed:
                print(f"  {path}")
            return 0
        if args.recover:
            done = finish_all_interrupted(root)
            for s in done:
                print(f"recovered {s.id} ({s.exam_title or s.kind}, {s.duration_s:.0f} s saved)")
            if not done:
                print("No interrupted sessions.")
            if args.session is None and args.all is None:
                return 0
        if args.all is not None:
            if args.session is not None or formats:
                raise UserError("--all exports every session in every format; give no ID or format option")
            written = export_all(args.all, root, progress=lambda s: print(f"exporting {s.id} ..."))
            print(f"wrote {len(written)} files to {args.all}")
            return 0
        if args.session is None:
            if formats:
                raise UserError("name the session to export (an ID from `proctorprep report`, or 'latest')")
            return _list(root)
        if args.session == "latest":
            sessions = [s for s in list_sessions(root) if s.status != "running"]
            if not sessions:
                raise UserError(f"no sessions yet in {root}")
            session_dir = sessions[-1].path
        else:
            try:
                session_dir = find_session(args.session, root)
            except KeyError as exc:
                raise UserError(str(exc.args[0])) from None
        if not formats:
            formats = {f.key: Path(f"{session_dir.name}{f.suffix}") for f in export_formats()}
        for path in export_report(session_dir, sessions_root=root, **formats):
            print(f"wrote {path}")
        return 0
    except JournalError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot write {exc.filename or 'the report'}: {exc.strerror or exc}") from None
