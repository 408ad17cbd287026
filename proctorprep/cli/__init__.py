"""Command line: `proctorprep` (the desktop app) and its sub-commands. Each sub-command lives in its own module
with `add_parser(subparsers)`; heavy modules are imported only by the command that needs them."""

from __future__ import annotations

import argparse
import importlib
import sys

from proctorprep import __version__
from proctorprep.paths import DataFolderError

# module name under proctorprep.cli -> one-line help
COMMANDS: dict[str, str] = {
    "analyze": "analyse a recording with the same pipeline as the app",
    "devices": "list the cameras and microphones proctorprep can open",
    "exams": "list question banks, or validate one",
    "report": "list past sessions and export their reports",
    "data": "show or delete everything proctorprep stored",
    "badges": "badges earned from your sessions, streaks, and badge images to export",
    "renewal": "take a renewal round (25-40 questions, no proctor, no clock, no going back) in the terminal",
    "checkin": "rehearse the check-in's photo checks on files: headshot, ID card, workspace",
    "journey": "your certifications and exams: renewals, readiness, practice plans, calendar, real badges",
    "install-desktop-entry": "add proctorprep (with its icon) to a Linux desktop's applications menu",
}


# the commands that read the data folder
DATA_COMMANDS = ("analyze", "exams", "report", "data", "badges")


class UserError(Exception):
    """Bad input from the user: printed as one line, exit code 2 (or `code`: 1 for a failed write), never a
    traceback."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="proctorprep",
        description="Rehearse an online-proctored exam at home. With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"proctorprep {__version__}")
    from proctorprep.cli import gui

    gui.add_arguments(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"proctorprep.cli.{name.replace('-', '_')}")
        module.add_parser(sub, COMMANDS[name])
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from proctorprep.cli import gui

            return gui.run(args)
        if args.command in DATA_COMMANDS:
            from proctorprep import paths

            paths.check_readable(paths.data_dir())     # a data folder that is a file: one line, not a traceback
        return int(handler(args) or 0)
    except UserError as exc:
        print(f"proctorprep: {exc}", file=sys.stderr)
        return exc.code
    except DataFolderError as exc:
        # a data folder that cannot be written (read-only, another user's, a file): one line with the fix
        print(f"proctorprep: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("proctorprep: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `proctorprep report | head`: the reader went away; that is not an error worth a traceback.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
