"""`proctorprep` with no command: the desktop app."""

from __future__ import annotations

import argparse
import os
import sys

from proctorprep import oscompat


def add_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("desktop app")
    g.add_argument("--video", metavar="FILE", help="use a video file instead of the camera")
    g.add_argument("--audio", metavar="FILE", help="use an audio file instead of the microphone")
    g.add_argument("--exam", metavar="ID_OR_FILE", help="pre-select a mock exam (bank id or JSON/GIFT file)")
    g.add_argument("--profile", choices=("lenient", "standard", "strict"), help="proctor strictness")
    g.add_argument("--data-dir", metavar="DIR", help="keep data here instead of the user data folder")


def display_problem() -> str | None:
    """Why a window cannot open here, or None. Checked before Qt is imported, so Qt never aborts the process."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return None   # offscreen, vnc, ...: the user chose a platform
    if oscompat.needs_display_variable() and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return (
            "no display found (DISPLAY and WAYLAND_DISPLAY are not set), so the window cannot open.\n"
            "  - On a desktop, start proctorprep from a terminal inside your graphical session.\n"
            "  - Over SSH, connect with `ssh -X`, or run it on a virtual screen: `xvfb-run ./run`.\n"
            "  - To check a recording without a window: `proctorprep analyze VIDEO --json out.json`."
        )
    return None


def run(args: argparse.Namespace) -> int:
    problem = display_problem()
    if problem:
        print(f"proctorprep: {problem}", file=sys.stderr)
        return 2
    if args.data_dir:
        os.environ["PROCTORPREP_DATA_DIR"] = os.path.abspath(args.data_dir)
    from proctorprep.ui.app import run_app

    return run_app(args)
