"""`proctorprep analyze VIDEO`: the live pipeline on a recording; `analyze A.mp4 B.mp4 ...` or a folder: a batch.

    proctorprep analyze VIDEO [--audio FILE] [--profile NAME] [--calibration-seconds N] [--analysis-fps N]
                              [--json OUT] [--html OUT] [--pdf OUT] [--observations OUT.csv] [--no-snapshots]
    proctorprep analyze VIDEO|FOLDER ... [--jobs N] [--out DIR] [--formats html,json,pdf,csv] [the same options]

The video's own soundtrack is used when it has one and no --audio is given. The session is journaled under the
user's data folder (kind "analysis"), so `proctorprep report` can export it again. A short summary (verdict,
incidents by type, where the reports went) goes to stdout (to stderr when a report itself goes to stdout as "-");
a progress bar is drawn on a terminal (stderr). Native libraries' start-up logs (TensorFlow Lite, absl, FFmpeg) are
hidden unless --verbose.

Exit 0 on success; 2 with a one-line reason on bad input (including a recording too short to judge anything);
1 with a one-line reason when the journal could not be written (a full disk): then no report is written, because a
report of what was saved would tell a wrong story ("pass" for a session whose incidents were never stored).

A batch (several videos, a folder, or --out/--formats) is cli/analyze_batch.py: each file its own session in its own
process, its reports beside it or under --out, never over an existing file; its exit code is the worst file's.
What both run for one file (settings, the pipeline call, its errors, the start-up preload): cli/analysis.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from proctorprep.settings import PROFILES


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("analyze", help=help_text, description=help_text)
    p.add_argument("videos", nargs="+", metavar="VIDEO", help="the recording to analyse (any format OpenCV/FFmpeg "
                   "reads); several, or a folder of them, make a batch")
    p.add_argument("--audio", metavar="FILE", help="a separate audio recording (default: the video's own soundtrack)")
    p.add_argument("--profile", choices=PROFILES, help="proctor strictness (default: from settings)")
    p.add_argument("--calibration-seconds", type=float, metavar="N",
                   help="the first N seconds are the candidate looking at the screen (default: settings, 5)")
    p.add_argument("--analysis-fps", type=float, metavar="N",
                   help="analyse at most N frames a second (default: settings.analysis_fps, 15)")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the JSON report here")
    p.add_argument("--html", type=Path, metavar="OUT", help="write the HTML report here")
    p.add_argument("--pdf", type=Path, metavar="OUT", help="write the PDF report here")
    p.add_argument("--observations", type=Path, metavar="OUT.csv", help="write one CSV row per analysed frame")
    p.add_argument("--no-snapshots", action="store_true", help="keep no pictures of incidents")
    p.add_argument("--headshot", type=Path, metavar="PHOTO",
                   help="the candidate's check-in headshot: the face in the recording is compared with it every few "
                        "seconds (identity_changed), as in a mock exam after the check-in; in a batch, every file "
                        "is compared with the same face")
    p.add_argument("--exam", metavar="ID", help="match what was said against this bank's questions (which question "
                   "was read aloud) and listen for voice-assistant wake words")
    p.add_argument("--verbose", action="store_true", help="show the native libraries' own log lines on stderr")
    b = p.add_argument_group("batch (several videos or a folder)")
    b.add_argument("--jobs", type=int, metavar="N", help="analyse N files at once, each in its own process "
                   "(default: the number of CPU cores)")
    b.add_argument("--out", type=Path, metavar="DIR", help="write each file's reports here (default: beside each "
                   "video); an existing file is never replaced: the new one gets the next free name (-2, -3...)")
    b.add_argument("--formats", metavar="LIST", help="the reports each file gets, comma-separated: html, json, pdf, "
                   "csv (the observations) (default: html,json)")
    p.set_defaults(handler=run)


def _check_outputs(args: argparse.Namespace) -> None:
    """Every output is a regular file we may write (or "-" for stdout), none is an input, no two are the same."""
    from proctorprep.cli import UserError
    from proctorprep.exports import UnsafeTarget, check_target, is_stdout

    outputs = [(o, p) for o, p in (("--json", args.json), ("--html", args.html), ("--pdf", args.pdf),
                                   ("--observations", args.observations)) if p is not None]
    inputs = [args.video, args.audio]
    seen: list[tuple[str, Path]] = []
    for option, path in outputs:
        if is_stdout(path) and option == "--observations":
            raise UserError("--observations -: give a file name (the CSV is written while the analysis runs)")
        try:
            check_target(path, inputs)
        except UnsafeTarget as exc:
            raise UserError(f"{option} {exc}") from None
        parent = path.parent if str(path.parent) else Path(".")
        if not is_stdout(path) and not parent.is_dir():
            raise UserError(f"{option} {path}: the folder {parent} does not exist")
        for other, other_path in seen:
            if is_stdout(path) and is_stdout(other_path):
                raise UserError(f"{other} - and {option} -: only one report can go to stdout")
            if not is_stdout(path) and Path(path).absolute() == Path(other_path).absolute():
                raise UserError(f"{other} and {option} both name {path}; give each its own file")
        seen.append((option, path))


class ProgressBar:
    """A one-line bar on stderr, redrawn at most 10 times a second."""

    def __init__(self, stream: Any = sys.stderr, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self._last = 0.0
        self._start = time.monotonic()

    def __call__(self, done_s: float, total_s: float) -> None:
        now = time.monotonic()
        if now - self._last < 0.1 and done_s < total_s:
            return
        self._last = now
        frac = min(1.0, done_s / total_s) if total_s > 0 else 0.0
        bar = "#" * int(frac * self.width) + "." * (self.width - int(frac * self.width))
        rate = done_s / max(now - self._start, 1e-6)
        total = f"{total_s:.0f}" if total_s > 0 else "?"
        self.stream.write(f"\ranalysing [{bar}] {frac * 100:3.0f}%  {done_s:.0f}/{total} s  ({rate:.1f}x real time)   ")
        self.stream.flush()

    def done(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def run(args: argparse.Namespace) -> int:
    import os

    # FFmpeg inside OpenCV would print its own line ("moov atom not found") before our one-line reason
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    from proctorprep.cli import analyze_batch
    from proctorprep.cli.analysis import analyse_file, checked, preload, quiet_native_libraries, setup

    quiet_native_libraries(not args.verbose)
    if analyze_batch.is_batch(args):
        return analyze_batch.run(args, setup(args))
    preload()
    args.video = args.videos[0]
    _check_outputs(args)
    st = setup(args)
    bar = ProgressBar(_terminal()) if sys.stderr.isatty() else None
    try:
        result = analyse_file(args.video, args.audio, st, observations=args.observations, progress=bar)
    finally:
        if bar is not None:
            bar.done()
    for note in result.threshold_notes:     # always said, terminal or not: the session ran with other values
        print(f"proctorprep: settings threshold_overrides[{st.profile!r}]: {note}", file=sys.stderr)
    checked(result, args.video, st)
    written = _export(result.journal_path, args) if args.json or args.html or args.pdf else []
    out = sys.stderr if any(is_stdout(p) for p in (args.json, args.html, args.pdf)) else sys.stdout
    print("\n".join(summary_lines(result, written)), file=out)
    out.flush()
    if result.truncated:       # bad input, but what could be read is analysed and saved: say so, exit 2
        from proctorprep.cli import UserError

        raise UserError(f"{result.notes[0]}; the reports of that part were written")
    return 0


def summary_lines(result: Any, written: list[Path]) -> list[str]:
    """The few lines a person reads after an analysis: the verdict, incidents by type, notes, where things went."""
    from proctorprep.rules.incident_types import recorded_type

    s = result.summary
    counts = {t: int(v.get("count", 0)) for t, v in (s.get("by_type") or {}).items() if v.get("count")}
    lines = [f"Verdict: {s.get('verdict', '?')}. {s.get('verdict_text', '')}".rstrip()]
    if counts:
        parts = [f"{recorded_type(t).label.lower()} {n}" for t, n in sorted(counts.items())]
        lines.append(f"Incidents in {result.duration_s:.0f} s: " + ", ".join(parts))
    else:
        lines.append(f"No incidents in {result.duration_s:.0f} s.")
    for note in ([result.calibration_note] if result.calibration_note else []) + list(result.notes):
        lines.append(f"Note: {note}")
    if not result.has_audio:
        lines.append("Note: no soundtrack and no --audio: talking could not be heard")
    for path in written:
        lines.append(f"Report: {'stdout' if is_stdout(path) else path}")
    lines.append(f"Saved as session {Path(result.session_dir).name} (`proctorprep report "
                 f"{Path(result.session_dir).name}` exports it again)")
    return lines


def is_stdout(path: Any) -> bool:
    from proctorprep.exports import is_stdout as _is_stdout

    return _is_stdout(path)


def _terminal() -> Any:
    """A stream on the terminal that stays there while native logs are hidden (a duplicate of stderr's fd)."""
    import os

    return os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1)


def _export(journal_path: Path, args: argparse.Namespace) -> list[Path]:
    from proctorprep.cli import UserError
    from proctorprep.report.export import export_report

    try:
        return export_report(journal_path, html=args.html, pdf=args.pdf, json=args.json,
                             inputs=(args.video, args.audio))
    except OSError as exc:
        raise UserError(f"cannot write the report: {exc.filename or ''} {exc.strerror or exc}".strip()) from None
