"""`proctorprep data`: show what is stored and where (with sizes), or delete all of it.

    proctorprep data                      what is stored, where, how big
    proctorprep data --json               the same as JSON
    proctorprep data --delete-all         asks for confirmation, then deletes and lists what it removed
    proctorprep data --delete-all --yes   no question (for scripts)
    proctorprep data --delete SESSION_ID  delete one practice session (its badges go with it)
"""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("data", help=help_text, description=help_text)
    p.add_argument("--delete-all", action="store_true",
                   help="delete everything proctorprep stored: sessions, reports, snapshots, settings, banks")
    p.add_argument("--delete", metavar="SESSION_ID", action="append", default=[],
                   help="delete one practice session (journal, snapshots, reports); may be repeated")
    p.add_argument("--yes", action="store_true", help="with --delete-all: do not ask for confirmation")
    p.add_argument("--json", action="store_true", help="print the storage report as JSON")
    p.set_defaults(handler=run)


def _confirm(report_lines: list[str]) -> bool:
    from proctorprep.cli import UserError

    if not sys.stdin or not sys.stdin.isatty():
        raise UserError("--delete-all needs confirmation: run it in a terminal, or add --yes")
    print("\n".join(report_lines))
    answer = input("Delete ALL of this for good? Type 'delete' to confirm: ")
    return answer.strip().lower() == "delete"


def _delete_sessions(ids: list[str], base) -> int:
    from proctorprep import paths
    from proctorprep.cli import UserError
    from proctorprep.journal.history import delete_session

    for sid in ids:
        try:
            removed = delete_session(sid, paths.sessions_dir(base))
        except (KeyError, RuntimeError) as exc:
            raise UserError(str(exc).strip("'\"")) from exc
        print(f"deleted session {sid} ({len(removed)} files)")
    return 0


def _print_sessions(base) -> None:
    """One line per session, so a candidate can see (and delete with --delete) each of them."""
    from proctorprep import paths, privacy
    from proctorprep.journal.history import list_sessions

    sessions = list_sessions(paths.sessions_dir(base))
    if not sessions:
        return
    print("\nSessions (delete one with: proctorprep data --delete ID):")
    for info in sessions:
        size = sum(p.stat().st_size for p in info.path.rglob("*") if p.is_file())
        what = info.exam_title or {"analysis": "recording", "quick": "quick round"}.get(info.kind, info.kind)
        print(f"  {info.id}  {info.started_at[:16].replace('T', ' ')}  {info.kind:<8} {info.status:<11} "
              f"{privacy.human_size(size):>9}  {what}")


def run(args: argparse.Namespace) -> int:
    from proctorprep import paths, privacy
    from proctorprep.cli import UserError

    try:
        base = paths.data_dir()
    except OSError as exc:
        raise UserError(f"cannot open the data folder: {exc}") from exc
    if args.delete:
        return _delete_sessions(args.delete, base)
    report = privacy.storage_report(base)
    if not args.delete_all:
        if args.json:
            print(json.dumps({
                "data_dir": str(report.data_dir), "total_bytes": report.total_bytes, "sessions": report.sessions,
                "items": [{"path": str(i.path), "what": i.what, "files": i.files, "bytes": i.bytes}
                          for i in report.items],
            }, indent=2))
        else:
            print("\n".join(report.lines()))
            _print_sessions(base)
        return 0
    if not report.items:
        print(f"Nothing to delete: {base} is empty.")
        return 0
    if not args.yes and not _confirm(report.lines()):
        print("Nothing deleted.")
        return 1
    failed: list = []
    try:
        removed = privacy.delete_all_data(base)
        kept = removed.kept
    except privacy.DeleteError as exc:
        removed, failed, kept = exc.removed, exc.failed, exc.kept
        for path, why in exc.failed:
            print(f"proctorprep: could not remove {path}: {why}", file=sys.stderr)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    for item in removed:
        count = f" ({privacy.plural(item.files, 'file')})" if item.is_dir else ""
        print(f"removed {item.path}{count}, {privacy.human_size(item.bytes)}: {item.what}")
    for path, why in kept:
        print(f"left alone {path}: {why}")
    total = sum(i.bytes for i in removed)
    done = f"Deleted {privacy.plural(len(removed), 'entry').replace('entrys', 'entries')}, " \
           f"{privacy.human_size(total)} in all."
    if kept:
        done += f" {privacy.plural(len(kept), 'entry').replace('entrys', 'entries')} not made by proctorprep " \
                "left alone."
    elif not failed:
        done += f" {base} is now empty."
    print(done)
    return 1 if failed else 0
