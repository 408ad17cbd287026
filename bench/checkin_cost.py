"""What the check-in and the identity check cost, in CPU time of this process (not wall time: the machine may be
shared).

    .venv/bin/python bench/checkin_cost.py [--seconds 30] [--json OUT]

1. Per check-in photo (models already loaded, median of 3): headshot, ID card, workspace; and the models' first
   load.
2. The live pipeline on a rendered 640x480 clip at 15 frames/s, analysed as the app does, with and without the
   identity check (an IdentityWatcher on the clip's own face): CPU seconds per second of session, and the identity
   check's own share (IdentityWatcher.cpu_s / checks: the per-detector hook for the live budget table).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def photo_costs() -> dict[str, float]:
    from proctorprep.checkin.run import Checkin
    from tests.fixtures import id_card as idc
    from tests.fixtures.face_render import _photo, render_face

    out: dict[str, float] = {}
    t = time.process_time()
    ck = Checkin("Eileen Collins")
    ck.judge("headshot", render_face())
    ck.judge("workspace_front", idc.desk(text=False))
    out["first_load_s"] = time.process_time() - t
    photos = {"headshot": render_face(), "id": idc.held_card(idc.card("Eileen Collins", _photo("astronaut"))),
              "workspace_front": idc.desk(text=True)}
    for kind, img in photos.items():
        out[f"{kind}_s"] = statistics.median(ck.judge(kind, img).cpu_s for _ in range(3))
    return out


def live_costs(seconds: float) -> dict[str, float]:
    from proctorprep.perception.identity import FaceIdentifier, IdentityWatcher
    from proctorprep.session.pipeline import PipelineConfig
    from proctorprep.session.recording import analyze_recording
    from tests.fixtures.face_render import render_face, write_clip

    import math

    with tempfile.TemporaryDirectory() as tmp:
        clip = write_clip(Path(tmp) / "seat.avi", (render_face(yaw=3 * math.sin(i / 9)) for i in
                                                   range(int(seconds * 15))), fps=15.0)
        ident = FaceIdentifier()
        ref = ident.describe_all(render_face())[0].vector
        out: dict[str, float] = {}
        for name, watcher in (("without", None), ("with", IdentityWatcher(ref, identifier=ident))):
            t = time.process_time()
            analyze_recording(clip, config=PipelineConfig(analysis_fps=15.0, keep_snapshots=False),
                              journal_dir=False, identity=watcher)
            out[f"pipeline_{name}_identity_cpu_per_s"] = (time.process_time() - t) / seconds
            if watcher is not None:
                out["identity_checks"] = watcher.checks
                out["identity_ms_per_check"] = 1000 * watcher.cpu_s / max(1, watcher.checks)
                out["identity_cpu_per_s"] = watcher.cpu_s / seconds
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    res = {**photo_costs(), **live_costs(args.seconds)}
    for k, v in res.items():
        print(f"{k:40s} {v:8.3f}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
