"""`proctorprep badges`: the badges earned from your sessions, what is missing for the next ones, your streaks.

    proctorprep badges                 list them
    proctorprep badges --json          the same as JSON
    proctorprep badges --export DIR    write an SVG and a PNG of every earned badge into DIR
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("badges", help=help_text, description=help_text)
    p.add_argument("--export", metavar="DIR", type=Path, help="write SVG and PNG images of the earned badges here")
    p.add_argument("--name", help="name printed on exported badges (default: candidate_name from the settings)")
    p.add_argument("--json", action="store_true", help="print badges and streaks as JSON")
    p.set_defaults(handler=run)


def _when(status) -> str:
    from proctorprep.progress.summary import day_text

    return day_text(status.earned_at) if status.earned_at else ""


def run(args: argparse.Namespace) -> int:
    from proctorprep import paths, settings
    from proctorprep.cli import UserError
    from proctorprep.progress.credential import CredentialError
    from proctorprep.progress.overview import export_earned, load_progress

    progress = load_progress(paths.data_dir())
    for line in progress.problems:
        print(f"proctorprep: {line}")
    if args.json:
        t = progress.trends
        print(json.dumps({
            "badges": [b.to_dict() for b in progress.badges],
            "streaks": {"clean_in_a_row": t.current_clean_streak, "best_clean_in_a_row": t.best_clean_streak,
                        "sessions": t.sessions, "lines": t.lines()},
        }, indent=2))
    else:
        earned = progress.earned
        print(f"Badges earned: {len(earned)} of {len(progress.badges)}")
        for b in earned:
            print(f"  [x] {b.badge.name} — {_when(b)}, in {b.session_label} (session {b.session_id})")
        for b in progress.badges:
            if not b.earned:
                print(f"  [ ] {b.badge.name} — {b.missing}")
        goal = progress.next_goal
        if goal:
            print(f"Next: {goal.badge.name}. {goal.badge.how}")
        print()
        print("\n".join(progress.trends.lines()))
    if args.export is not None:
        name = args.name if args.name is not None else settings.load()[0].candidate_name
        if not progress.earned:
            print("No badge earned yet: nothing exported.")
            return 0
        try:
            written = export_earned(progress, name, args.export, paths.data_dir())
        except CredentialError as exc:
            raise UserError(str(exc)) from exc
        except OSError as exc:
            raise UserError(f"cannot write badges into {args.export}: {exc.strerror or exc}") from exc
        for path in written:
            print(f"wrote {path}")
        if not name.strip():
            print("Tip: set your name (candidate_name in the settings, or --name) to print it on your badges.")
    return 0
