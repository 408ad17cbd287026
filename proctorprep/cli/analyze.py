"""`proctorprep analyze VIDEO`: the live pipeline on a recording.

    proctorprep analyze VIDEO [--audio FILE] [--profile NAME] [--calibration-seconds N] [--analysis-fps N]
                              [--json OUT] [--html OUT] [--pdf OUT] [--observations OUT.csv] [--no-snapshots]

The video's own soundtrack is used when it has one and no --audio is given. The session is journaled under the
user's data folder (kind "analysis"), so `proctorprep report` can export it again. A progress bar is drawn on a
terminal (stderr), nothing otherwise. Exit 0 on success, 2 with a one-line reason on bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from proctorprep.settings import PROFILES


def add_parser(sub: argparse._SubParsersAction, help_text: str) -> None:
    p = sub.add_parser("analyze", help=help_text, description=help_text)
    p.add_argument("video", metavar="VIDEO", help="the recording to analyse (any format OpenCV/FFmpeg reads)")
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
    p.set_defaults(handler=run)


def _check_output(option: str, path: Path | None) -> None:
    from proctorprep.cli import UserError

    if path is None:
        return
    if path.is_dir():
        raise UserError(f"{option} {path}: is a folder; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{option} {path}: the folder {parent} does not exist")


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
    from proctorprep import settings as settings_mod
    from proctorprep.cli import UserError
    from proctorprep.session.pipeline import PipelineConfig
    from proctorprep.session.recording import analyze_recording
    from proctorprep.sources.base import SourceError

    tty = sys.stderr.isatty()
    st, problems = settings_mod.load()
    if tty:
        for line in problems:
            print(f"proctorprep: {line}", file=sys.stderr)
    profile = args.profile or st.profile
    cal_s = st.calibration_seconds if args.calibration_seconds is None else args.calibration_seconds
    if not 1.0 <= cal_s <= 60.0:
        raise UserError(f"--calibration-seconds {cal_s:g}: expected 1 to 60 seconds")
    fps = st.analysis_fps if args.analysis_fps is None else args.analysis_fps
    if not 1.0 <= fps <= 60.0:
        raise UserError(f"--analysis-fps {fps:g}: expected 1 to 60 frames a second")
    overrides = st.threshold_overrides.get(profile) or None   # a bad one is replaced by its default and said below
    for option, path in (("--json", args.json), ("--html", args.html), ("--pdf", args.pdf),
                         ("--observations", args.observations)):
        _check_output(option, path)
    config = PipelineConfig(profile=profile, calibration_seconds=cal_s, analysis_fps=fps,
                            keep_snapshots=st.keep_snapshots and not args.no_snapshots, overrides=overrides)
    bar = ProgressBar(_terminal()) if tty else None
    progress: Callable[[float, float], None] | None = bar
    try:
        with _native_logs_hidden(tty):
            result = analyze_recording(args.video, audio=args.audio, config=config, progress=progress,
                                       observations_csv=args.observations, candidate_name=st.candidate_name)
    except SourceError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:      # e.g. the CSV cannot be written
        raise UserError(f"{exc.filename or args.video}: {exc.strerror or exc}") from None
    finally:
        if bar is not None:
            bar.done()
    for note in result.threshold_notes:     # always said, terminal or not: the session ran with other values
        print(f"proctorprep: settings threshold_overrides[{profile!r}]: {note}", file=sys.stderr)
    if args.json or args.html or args.pdf:
        _export(result.journal_path, args.json, args.html, args.pdf)
    if result.truncated:       # bad input, but what could be read is analysed and saved: say so, exit 2
        raise UserError(f"{result.notes[0]}; the reports of that part were written")
    if tty:
        s = result.summary
        print(f"{len(result.incidents)} incident(s) in {result.duration_s:.0f} s; {s['verdict_text']}",
              file=sys.stderr)
        for note in ([result.calibration_note] if result.calibration_note else []) + list(result.notes):
            print(f"note: {note}", file=sys.stderr)
        if not result.has_audio:
            print("note: no soundtrack and no --audio: talking could not be heard", file=sys.stderr)
        print(f"saved as session {Path(result.session_dir).name} (proctorprep report can export it again)",
              file=sys.stderr)
    return 0


def _terminal() -> Any:
    """A stream on the terminal that stays there while native logs are hidden (a duplicate of stderr's fd)."""
    import os

    return os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1)


@contextlib.contextmanager
def _native_logs_hidden(active: bool) -> Iterator[None]:
    """On a terminal, mediapipe's and FFmpeg's C++ start-up chatter would break the progress bar: send file
    descriptor 2 to /dev/null while the analysis runs (our own messages are printed after it is restored)."""
    import os

    if not active:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def _export(journal_path: Path, json_out: Path | None, html: Path | None, pdf: Path | None) -> None:
    from proctorprep.cli import UserError
    from proctorprep.report.export import export_report

    try:
        export_report(journal_path, html=html, pdf=pdf, json=json_out)
    except OSError as exc:
        raise UserError(f"cannot write the report: {exc.filename or ''} {exc.strerror or exc}".strip()) from None
