"""`proctorprep devices`: which cameras and microphones can be opened. Never a traceback: a missing PortAudio
library or no device at all is a finding, reported plainly, exit 0."""

from __future__ import annotations

import argparse

from proctorprep.sources.devices import list_cameras, list_microphones


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("devices", help=help_text, description=help_text)
    p.add_argument("--max-cameras", type=int, default=6, help="camera indices to probe (default 6)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    cams = list_cameras(args.max_cameras)
    print("Cameras:")
    if cams:
        for c in cams:
            fps = f" @ {c['fps']:.0f} fps" if c["fps"] else ""
            via = f" via {c['backend']}" if c.get("backend") else ""     # which OpenCV back-end opened it
            print(f"  [{c['index']}] {c['size'][0]}x{c['size'][1]}{fps}{via}")
    else:
        print("  none found. Without a camera you can still practise with a recording: "
              "`proctorprep --video FILE` or `proctorprep analyze FILE`.")
    mics, problem = list_microphones()
    print("Microphones:")
    if problem:
        print(f"  {problem}")
    elif mics:
        for m in mics:
            star = " (default)" if m["default"] else ""
            rate = f", {m['rate']:.0f} Hz" if m["rate"] else ""
            print(f"  [{m['index']}] {m['name']}: {m['channels']} ch{rate}{star}")
    else:
        print("  none found. The exam still runs, video-only; talking cannot be detected.")
    return 0
