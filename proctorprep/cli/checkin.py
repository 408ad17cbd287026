"""`proctorprep checkin`: the check-in's photo checks on files, as the app runs them on camera pictures.

    proctorprep checkin --headshot F --id F [--workspace F ...] [--name NAME] [--json OUT]

Prints each photo's verdict, the failed checks with their fix. Exit 0 when every photo given passes, 1 when a check
fails, 2 for bad input (a missing or unreadable file, too many workspace photos). Nothing is kept: the photos are
read, judged in memory and forgotten; --json writes the verdicts only (0600, never over an input)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from proctorprep.checkin.verdict import HEADSHOT, ID_CARD, WORKSPACE_SIDES


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("checkin", help=help_text, description=__doc__.split("\n\n")[0])
    p.add_argument("--headshot", required=True, metavar="FILE", help="a photo of your face, as the webcam takes it")
    p.add_argument("--id", required=True, metavar="FILE", dest="id_photo", help="a photo of your ID card")
    p.add_argument("--workspace", action="append", default=[], metavar="FILE",
                   help=f"a workspace photo, up to {len(WORKSPACE_SIDES)}, in the order "
                        f"{', '.join(WORKSPACE_SIDES)}")
    p.add_argument("--name", default=None, help="your name as on the ID (default: the name in the settings)")
    p.add_argument("--json", metavar="OUT", help="write the verdicts as JSON ('-' for stdout)")
    p.set_defaults(handler=run)


def _read(path: str, what: str):
    import cv2

    from proctorprep.cli import UserError

    p = Path(path)
    if not p.is_file():
        raise UserError(f"{what} {path}: no such file")
    img = cv2.imread(str(p), cv2.IMREAD_COLOR)
    if img is None:
        raise UserError(f"{what} {path}: not a picture OpenCV can read (JPEG, PNG, BMP, TIFF, WebP)")
    if min(img.shape[:2]) < 32:
        raise UserError(f"{what} {path}: too small ({img.shape[1]}x{img.shape[0]} pixels)")
    return img


def run(args: argparse.Namespace) -> int:
    from proctorprep.cli import UserError

    if len(args.workspace) > len(WORKSPACE_SIDES):
        raise UserError(f"at most {len(WORKSPACE_SIDES)} --workspace photos ({', '.join(WORKSPACE_SIDES)}), "
                        f"got {len(args.workspace)}")
    photos = [(HEADSHOT, _read(args.headshot, "--headshot")), (ID_CARD, _read(args.id_photo, "--id"))]
    photos += [(f"workspace_{side}", _read(f, "--workspace")) for side, f in zip(WORKSPACE_SIDES, args.workspace)]
    if args.json:
        from proctorprep.exports import check_target

        try:
            check_target(args.json, [args.headshot, args.id_photo, *args.workspace])
        except (OSError, ValueError) as exc:
            raise UserError(str(exc)) from exc
    name = args.name
    if name is None:
        from proctorprep import settings

        name = settings.load()[0].candidate_name
    from proctorprep.checkin.run import Checkin

    from proctorprep.exports import is_stdout

    from proctorprep.cli.analysis import _native_logs_hidden

    ck = Checkin(candidate_name=name or "")
    with _native_logs_hidden(True):      # mediapipe's and onnxruntime's start-up chatter means nothing here
        verdicts = [ck.judge(kind, img) for kind, img in photos]
    ck.close()
    out = sys.stderr if args.json and is_stdout(args.json) else sys.stdout     # JSON on stdout stays parseable
    for pv in verdicts:
        print(f"{'PASS' if pv.passed else 'FAIL'}  {pv.title}  ({pv.cpu_s:.1f} s)", file=out)
        for v in pv.verdicts:
            mark = {True: "ok ", False: "BAD", None: " ? "}[v.passed]
            print(f"   {mark} {v.title}: {v.words}", file=out)
            if v.fix:
                print(f"       fix: {v.fix}", file=out)
    if not name:
        print("note: no name given (--name) and none in the settings: the ID's name was not compared", file=out)
    if args.json:
        from proctorprep.exports import write_file

        doc = {"version": 1, "passed": all(p.passed for p in verdicts), "name_checked": bool(name),
               "photos": [p.to_dict() for p in verdicts]}
        try:
            write_file(args.json, json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
                       inputs=[args.headshot, args.id_photo, *args.workspace])
        except OSError as exc:
            raise UserError(f"could not write {args.json}: {exc}", code=1) from exc
    return 0 if all(p.passed for p in verdicts) else 1
