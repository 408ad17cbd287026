"""`proctorprep analyze`: placeholder until its issue lands (see README)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("analyze", help=help_text, description=help_text)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from proctorprep.cli import UserError

    raise UserError("'analyze' is not available in this build yet")
