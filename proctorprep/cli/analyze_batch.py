"""`proctorprep analyze A.mp4 B.mp4 ...` or a folder: many recordings, each its own session and reports.

    proctorprep analyze VIDEO|FOLDER ... [--jobs N] [--out DIR] [--formats html,json,pdf,csv] [--profile ...]

A training centre looks at many practice recordings at once. Each file is analysed exactly as `analyze VIDEO`
would (the same pipeline, journal and exit codes), in its own worker process: N at once (`--jobs`, default the
number of CPU cores), so one file's crash or bad input cannot stop the others. A folder stands for the video files
directly in it (by extension, not its sub-folders), in name order.

Reports go beside each video, or under `--out DIR`, named `<video name>-report.html` / `.json` / `.pdf` and
`<video name>-observations.csv`. These are names the user did not give, so nothing existing is ever replaced: a
name already taken (an earlier run, the user's own file) gets the next free number (`clip-report-2.html`), claimed
atomically so two files of the same name in one batch never collide either (proctorprep/exports.py).

Output: one line per file as it finishes (stdout; a file that failed gets its one-line reason on stderr instead),
then a table of all of them. Exit code: the worst file's, in the order 0 (all fine) < 2 (a bad input: that file's
line says why) < 1 (a session or report could not be written) < 130 (interrupted).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

VIDEO_SUFFIXES = (".mp4", ".m4v", ".mkv", ".webm", ".avi", ".mov", ".wmv", ".flv", ".mpg", ".mpeg", ".ts", ".3gp")
DEFAULT_FORMATS = ("html", "json")
CSV_FORMAT = "csv"
WORST = {0: 0, 2: 1, 1: 2, 130: 3}      # exit codes from least to most grave (see the module doc)
SINGLE_FILE_OPTIONS = (("--audio", "audio"), ("--json", "json"), ("--html", "html"), ("--pdf", "pdf"),
                       ("--observations", "observations"))


@dataclass(frozen=True)
class Job:
    index: int
    video: Path
    out_dir: Path
    formats: tuple[str, ...]
    setup: Any                          # cli.analysis.Setup


@dataclass(frozen=True)
class Outcome:
    """What became of one file (sent back from its worker process)."""

    video: Path
    code: int                           # the file's exit code under the single-file contract
    message: str = ""                   # the one-line reason when code != 0
    verdict: str = ""
    incidents: int = 0
    duration_s: float = 0.0
    session_id: str = ""
    written: tuple[Path, ...] = ()
    threshold_notes: tuple[str, ...] = ()
    cpu_s: float = 0.0                  # CPU time of the worker process for this file
    wall_s: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)


def is_batch(args: argparse.Namespace) -> bool:
    """Several videos, a folder, or a batch-only option: a batch. One file alone keeps the single-file command."""
    videos = args.videos
    return (len(videos) > 1 or any(Path(v).is_dir() for v in videos) or args.out is not None
            or args.formats is not None)


def worst(codes: Iterable[int]) -> int:
    return max(codes, key=lambda c: WORST.get(c, 2), default=0)


def parse_formats(text: str | None) -> tuple[str, ...]:
    from proctorprep.cli import UserError
    from proctorprep.report.formats import format_keys

    if text is None:
        return DEFAULT_FORMATS
    known = (*format_keys(), CSV_FORMAT)
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in wanted if f not in known]
    if bad or not wanted:
        raise UserError(f"--formats {text}: expected a comma-separated list of {', '.join(known)}")
    return wanted


def collect(inputs: Iterable[str]) -> tuple[list[Path], list[Outcome]]:
    """The videos to analyse (a folder: its video files, in name order; each file once) and the inputs that are
    not analysable at all (an empty folder) as failed outcomes. A missing or unreadable file is left to the
    analysis, which says what is wrong with it exactly as `analyze VIDEO` does."""
    videos: list[Path] = []
    failed: list[Outcome] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            videos.append(p)

    for raw in inputs:
        path = Path(raw)
        if not path.is_dir():
            add(path)
            continue
        try:
            found = sorted(c for c in path.iterdir() if c.is_file() and not c.name.startswith(".")
                           and c.suffix.lower() in VIDEO_SUFFIXES)
        except OSError as exc:
            failed.append(Outcome(path, 2, f"{path}: cannot list the folder ({exc.strerror or exc})"))
            continue
        if not found:
            failed.append(Outcome(path, 2, f"{path}: no video files in this folder (looked for "
                                           f"{', '.join(VIDEO_SUFFIXES)}; sub-folders are not searched)"))
        for c in found:
            add(c)
    return videos, failed


def _check_options(args: argparse.Namespace) -> None:
    from proctorprep.cli import UserError

    for option, dest in SINGLE_FILE_OPTIONS:
        if getattr(args, dest, None) is not None:
            what = ("one soundtrack cannot belong to several videos; each video's own soundtrack is used"
                    if dest == "audio" else
                    f"it names one file; in a batch use --formats {'csv' if dest == 'observations' else dest}"
                    " (each file's report goes beside its video, or under --out)")
            raise UserError(f"{option} is for a single video: {what}")
    if args.jobs is not None and not 1 <= args.jobs <= 64:
        raise UserError(f"--jobs {args.jobs}: expected 1 to 64")
    if args.out is not None:
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            raise UserError(f"--out {out}: is not a folder")
        try:
            out.mkdir(parents=True, exist_ok=True)   # the user's folder: made if missing, never re-permissioned
        except OSError as exc:
            raise UserError(f"--out {out}: cannot be created ({exc.strerror or exc})") from None
        if not os.access(out, os.W_OK | os.X_OK):
            raise UserError(f"--out {out}: the folder is not writable")


def report_targets(job: Job) -> dict[str, Path]:
    """{format key: the name it is first tried under}: `<video name>-report<suffix>` (the CSV: -observations)."""
    from proctorprep.report.formats import export_format

    stem = job.video.name.rsplit(".", 1)[0] if "." in job.video.name else job.video.name
    return {f: job.out_dir / (f"{stem}-observations.csv" if f == CSV_FORMAT
                              else f"{stem}-report{export_format(f).suffix}") for f in job.formats}


def analyse_job(job: Job) -> Outcome:
    """One file, in a worker process: analyse, check, export; never raises (the outcome carries the reason)."""
    from proctorprep.cli import UserError
    from proctorprep.cli.analysis import analyse_file, checked
    from proctorprep.report.export import export_report

    cpu0, wall0 = time.process_time(), time.monotonic()
    targets = report_targets(job)

    def done(code: int, message: str = "", result: Any = None, written: tuple[Path, ...] = ()) -> Outcome:
        summary = result.summary if result is not None else {}
        counts = sum(int(v.get("count", 0)) for v in (summary.get("by_type") or {}).values())
        return Outcome(job.video, code, message, verdict=str(summary.get("verdict", "")), incidents=counts,
                       duration_s=result.duration_s if result is not None else 0.0,
                       session_id=Path(result.session_dir).name if result is not None and result.session_dir else "",
                       written=written, threshold_notes=tuple(result.threshold_notes) if result is not None else (),
                       cpu_s=time.process_time() - cpu0, wall_s=time.monotonic() - wall0,
                       notes=tuple(result.notes) if result is not None else ())

    result = None
    try:
        result = analyse_file(job.video, None, job.setup, observations=targets.get(CSV_FORMAT), keep_existing=True)
        checked(result, job.video, job.setup)
        reports = {k: v for k, v in targets.items() if k != CSV_FORMAT}
        written = tuple(export_report(result.journal_path, inputs=(job.video,), keep_existing=True, **reports))
        if result.observations_path is not None:
            written += (Path(result.observations_path),)
    except UserError as exc:      # a journal the disk refused (1) still has its verdict; a too-short one is gone
        return done(exc.code, str(exc), result if exc.code == 1 else None)
    except OSError as exc:
        return done(1, f"cannot write the report: {exc.filename or ''} {exc.strerror or exc}".strip(), result)
    except Exception as exc:     # noqa: BLE001 - one file's unexpected failure must not stop the others
        return done(1, f"{job.video}: analysis failed ({type(exc).__name__}: {exc})")
    if result.truncated:         # what could be read is analysed and its reports written, as for one file
        return done(2, f"{result.notes[0]}; the reports of that part were written", result, written)
    return done(0, "", result, written)


def progress_line(n: int, total: int, o: Outcome) -> str:
    if o.code:
        return f"proctorprep: [{n}/{total}] {o.message}"
    return (f"[{n}/{total}] {o.video}: {o.verdict or '?'}, {o.incidents} incident"
            f"{'' if o.incidents == 1 else 's'} in {o.duration_s:.0f} s (analysed in {o.wall_s:.1f} s); "
            f"reports: {', '.join(p.name for p in o.written) or 'none'}")


def summary_table(outcomes: list[Outcome], wall_s: float, jobs: int) -> list[str]:
    rows = [("file", "result", "incidents", "length", "session", "reports")]
    for o in outcomes:
        result = o.verdict if o.code == 0 else f"exit {o.code}" + (f" ({o.verdict})" if o.verdict else "")
        rows.append((str(o.video), result, str(o.incidents) if o.verdict else "-",
                     f"{o.duration_s:.0f} s" if o.duration_s else "-", o.session_id or "-",
                     ", ".join(str(p) for p in o.written) or (o.message if o.code else "none")))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:-1], widths)) + "  " + r[-1] for r in rows]
    ok = sum(o.code == 0 for o in outcomes)
    lines.append(f"{ok} of {len(outcomes)} file{'' if len(outcomes) == 1 else 's'} analysed without a problem, "
                 f"in {wall_s:.1f} s with {jobs} job{'' if jobs == 1 else 's'} at once")
    return lines


def run(args: argparse.Namespace, setup: Any) -> int:
    """The batch: check the options, collect the files, run them (N at once), print as they end, then the table."""
    _check_options(args)
    formats = parse_formats(args.formats)
    videos, failed = collect(args.videos)
    jobs_n = max(1, min(args.jobs or os.cpu_count() or 1, len(videos) or 1))
    jobs = [Job(i, v, Path(args.out) if args.out is not None else (v.parent if str(v.parent) else Path(".")),
                formats, setup) for i, v in enumerate(videos)]
    total = len(jobs) + len(failed)
    outcomes: list[Outcome] = []
    said: set[str] = set()
    t0 = time.monotonic()

    def finished(o: Outcome) -> None:
        outcomes.append(o)
        for note in o.threshold_notes:       # the same settings for every file: said once
            if note not in said:
                said.add(note)
                print(f"proctorprep: settings threshold_overrides[{setup.profile!r}]: {note}", file=sys.stderr)
        line = progress_line(len(outcomes), total, o)
        print(line, file=sys.stderr if o.code else sys.stdout, flush=True)

    for o in failed:
        finished(o)
    try:
        if jobs_n == 1:
            from proctorprep.cli.analysis import preload

            preload()
            for job in jobs:
                finished(analyse_job(job))
                if outcomes[-1].code == 130:      # Ctrl-C reached the analysis: the batch stops here
                    raise KeyboardInterrupt
        else:
            _in_processes(jobs, jobs_n, finished)
    except KeyboardInterrupt:
        print("proctorprep: interrupted: the sessions being analysed are kept as interrupted; "
              "`proctorprep report --recover` finishes their reports", file=sys.stderr)
        return 130
    order = {v: i for i, v in enumerate([*(o.video for o in failed), *videos])}
    outcomes.sort(key=lambda o: order.get(o.video, 0))
    print("\n".join(summary_table(outcomes, time.monotonic() - t0, jobs_n)), flush=True)
    return worst(o.code for o in outcomes)


def _in_processes(jobs: list[Job], n: int, finished: Any) -> None:
    """Each file in a worker process, n at once (spawned, not forked: the same on every platform, and no copy of
    this process's threads). A worker that dies (a crash in a native library) fails its file; a fresh pool takes
    the files not yet done."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    pending = list(jobs)
    while pending:
        with ProcessPoolExecutor(max_workers=min(n, len(pending)),
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            running = {pool.submit(analyse_job, job): job for job in pending}
            pending = []
            broken = False
            try:
                while running:
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for fut in done:
                        job = running.pop(fut)
                        try:
                            finished(fut.result())
                        except BrokenProcessPool:
                            if not broken:       # the file whose process died first is the one blamed
                                broken = True
                                finished(Outcome(job.video, 1, f"{job.video}: the analysis process died "
                                                               "(a crash in a native library?)"))
                            else:
                                pending.append(job)
            except KeyboardInterrupt:
                pool.shutdown(wait=True, cancel_futures=True)   # the workers got the Ctrl-C too and save
                raise
        pending.sort(key=lambda j: j.index)
