"""`proctorprep install-desktop-entry`: put proctorprep in a Linux desktop's applications menu (or take it out with
--remove). Writes two files of its own under the user's data folder and says which (proctorprep.desktop_entry)."""

from __future__ import annotations

import argparse
from pathlib import Path

from proctorprep import desktop_entry


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("install-desktop-entry", help=help_text,
                       description=help_text + ". Writes applications/proctorprep.desktop and "
                                   "icons/hicolor/scalable/apps/proctorprep.svg under $XDG_DATA_HOME "
                                   "(~/.local/share), and nothing else.")
    p.add_argument("--remove", action="store_true", help="remove the entry and the icon proctorprep installed")
    p.add_argument("--data-home", type=Path, metavar="DIR",
                   help="install under DIR instead of $XDG_DATA_HOME (for a test, or another desktop's folder)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from proctorprep.cli import UserError

    if args.remove:
        removed, kept = desktop_entry.remove(args.data_home)
        for path in removed:
            print(f"Removed {path}")
        for path in kept:
            print(f"Left {path}: it was not made by proctorprep")
        if not removed and not kept:
            folder = desktop_entry.targets(args.data_home).entry.parent
            print(f"Nothing to remove: no proctorprep desktop entry in {folder}")
        return 1 if kept else 0
    try:
        files = desktop_entry.install(args.data_home)
    except desktop_entry.DesktopEntryError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"could not write {exc.filename or 'the desktop entry'}: {exc.strerror or exc}", code=1) \
            from None
    print("Installed proctorprep in the applications menu:")
    print(f"  {files.entry}")
    print(f"  {files.icon}")
    print(f"It starts: {' '.join(desktop_entry.launch_command())}")
    print("Take it out again with: proctorprep install-desktop-entry --remove")
    return 0
