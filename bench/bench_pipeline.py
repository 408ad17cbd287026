"""Pipeline speed: `proctorprep analyze` as a multiple of real time, the whole command against bare mediapipe Face
Mesh on the same frames, a batch's `--jobs 2` against one at a time, and the live per-frame latency from capture to
incident decision, on generated 640x480 30 fps sessions with their soundtrack.

    .venv/bin/python bench/bench_pipeline.py [--latency-seconds 30] [--ratio-clip-seconds 120] [--json OUT]

whole command / bare: `python -m proctorprep analyze CLIP --json OUT` and bench/bare_facemesh.py (decode every
frame, Face Mesh on the 15 a second analyze takes), each a fresh process, alternated (bare, analyze, analyze, bare,
...) so both see the same load; the ratio of the median wall times is the figure (goal >= 0.95), the ratio of
their CPU times (process and children, getrusage) beside it: analyze does more work (voice, rules, journal,
report) and hides it on the second core. The clip is the mixed session twice (2 minutes).

batch: `analyze A B C D --jobs 1` against `--jobs 2` on four copies of a 20 s clip (fresh processes, alternated);
wall time, so the machine's load average is printed with it.

analyze: the real command (`python -m proctorprep analyze CLIP.mkv --json OUT`, a fresh process, the soundtrack
read from the clip), wall time from start to exit including start-up, model loading and the JSON report. The clip
is a labelled 60 s session (tests/fixtures/sessions.py: the rendered real face, typing, speech, a look away, an
empty seat, mouthing), MPEG-4 video + PCM audio in .mkv.

latency: the live objects as the app wires them, without Qt: CameraSource on the clip (its capture thread plays the
file at 30 fps and keeps only the newest frame), SessionPipeline with a real journal, FaceAnalyser on every frame,
the soundtrack fed in real time on another thread. Latency of a frame = time from the moment the capture thread
had it to the moment process_frame returned (perception + rules decided). Frames dropped while the analyser was
busy are counted.

Prints each figure with its goal and ok/short; exits 1 only when something could not be measured.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import ROOT, Figure, bench_clip, cache_dir, failed, finish  # noqa: E402

ANALYZE_GOAL = ">= 3"
LATENCY_GOAL = "<= 40"
RATIO_GOAL = ">= 0.95"
RATIO_NAME = "analyze / bare Face Mesh, whole command (wall)"
BATCH_NAME = "analyze batch of 4: --jobs 2 speed-up over --jobs 1"


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall s, CPU s of the child and its children, the result) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), r


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def measure_ratio(clip: Path, rounds: int = 3, warm_clip: Path | None = None, warm: bool = True) -> list[Figure]:
    """`analyze` against bare Face Mesh as whole commands on the same clip, alternated (see the module doc); one
    unmeasured run of each on `warm_clip` first (bytecode, the disk cache) unless `warm` is False (the smoke test:
    the figures' shape, not their value)."""
    import statistics

    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "analyze": [], "bare1": []}
    with tempfile.TemporaryDirectory() as d:
        def cmds(video: Path) -> dict[str, list[str]]:
            bare = [sys.executable, str(ROOT / "bench" / "bare_facemesh.py"), str(video)]
            return {"bare": bare, "bare1": bare + ["--max-faces", "1"],
                    "analyze": [sys.executable, "-m", "proctorprep", "analyze", str(video), "--json", f"{d}/r.json"]}

        for cmd in cmds(warm_clip or clip).values() if warm else ():
            _timed(cmd, child_env(d))
        load0 = _load()
        for k in range(rounds):
            for name in (("bare", "analyze", "bare1") if k % 2 == 0 else ("bare1", "analyze", "bare")):
                wall, cpu, r = _timed(cmds(clip)[name], child_env(d))
                if r.returncode != 0:
                    tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
                    return [failed(RATIO_NAME, "x", RATIO_GOAL, f"{name} exited {r.returncode}: {tail}")]
                runs[name].append((wall, cpu))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
    walls = {k: ", ".join(f"{w:.1f}" for w, _ in v) for k, v in runs.items()}
    return [Figure(RATIO_NAME, med["bare"][0] / med["analyze"][0], "x", RATIO_GOAL,
                   f"median of {rounds}, alternated: bare {walls['bare']} s, analyze {walls['analyze']} s; "
                   f"load average {load0} before, {_load()} after"),
            Figure("  same, by CPU time (process + children)", med["bare"][1] / med["analyze"][1], "x", "",
                   f"CPU s, medians: bare {med['bare'][1]:.1f}, analyze {med['analyze'][1]:.1f} (analyze also "
                   "hears the soundtrack, judges, journals and writes the report)"),
            Figure("  against bare Face Mesh for 1 face (wall)", med["bare1"][0] / med["analyze"][0], "x", "",
                   f"bare --max-faces 1 {walls['bare1']} s: the graph analyze tracks the candidate with (it asks a "
                   "face detector a few times a second for anyone else)"),
            Figure("  against bare Face Mesh for 1 face (CPU)", med["bare1"][1] / med["analyze"][1], "x", "",
                   f"CPU s, median: bare --max-faces 1 {med['bare1'][1]:.1f}")]


def measure_batch(clip: Path, files: int = 4, rounds: int = 1) -> list[Figure]:
    """`analyze` on `files` copies of the clip with --jobs 1 and --jobs 2, alternated; wall time."""
    import shutil
    import statistics

    walls: dict[int, list[float]] = {1: [], 2: []}
    cpus: dict[int, list[float]] = {1: [], 2: []}
    load0 = _load()
    with tempfile.TemporaryDirectory() as d:
        videos = []
        for i in range(files):
            videos.append(Path(d) / f"clip{i}{clip.suffix}")
            shutil.copyfile(clip, videos[-1])
        for k in range(rounds):
            for jobs in ((1, 2) if k % 2 == 0 else (2, 1)):
                out = Path(d) / f"out-{k}-{jobs}"
                wall, cpu, r = _timed([sys.executable, "-m", "proctorprep", "analyze", *map(str, videos),
                                       "--jobs", str(jobs), "--out", str(out), "--formats", "json"], child_env(d))
                if r.returncode != 0 or len(list(out.glob("*.json"))) != files:
                    tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
                    return [failed(BATCH_NAME, "x", "", f"--jobs {jobs} exited {r.returncode}: {tail}")]
                walls[jobs].append(wall)
                cpus[jobs].append(cpu)
    one, two = statistics.median(walls[1]), statistics.median(walls[2])
    return [Figure(BATCH_NAME, one / two, "x", "",
                   f"{files} files: {one:.1f} s one at a time, {two:.1f} s two at once (wall; CPU "
                   f"{statistics.median(cpus[1]):.1f} / {statistics.median(cpus[2]):.1f} s); load average {load0} "
                   f"before, {_load()} after, on {os.cpu_count()} CPUs")]


def child_env(data_dir: str | os.PathLike) -> dict[str, str]:
    env = {**os.environ, "PROCTORPREP_DATA_DIR": str(data_dir), "GLOG_minloglevel": "2",
           "TF_CPP_MIN_LOG_LEVEL": "2", "OPENCV_LOG_LEVEL": "ERROR"}
    # What an installed copy runs: pip compiles the package to bytecode when it installs it. A checkout whose
    # environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE, set on these machines) would compile every
    # module of proctorprep anew in every run (~0.3-0.5 s of CPU that bare Face Mesh, all site-packages, never
    # pays); the bytecode goes to the bench's cache folder, not into the checkout.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache_dir() / "pycache")
    return env


def measure_analyze(clip: Path, duration_s: float, extra: list[str] = ()) -> list[Figure]:
    """Run `proctorprep analyze` on the clip in a fresh process: real-time multiple and CPU cores used."""
    name = "analyze speed, x real time (640x480 30 fps + audio)"
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "report.json"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "proctorprep", "analyze", str(clip), "--json", str(out), *extra],
                           cwd=ROOT, env=child_env(d), capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode != 0 or not out.exists():
            tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
            return [failed(name, "x", ANALYZE_GOAL, f"analyze exited {r.returncode}: {tail}")]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return [Figure(name, duration_s / wall, "x", ANALYZE_GOAL,
                   f"{duration_s:.0f} s clip in {wall:.1f} s, whole command (start-up, models, JSON report)"),
            Figure("  analyze: CPU cores busy on average", cpu / wall, "cores", "",
                   "decode and voice analysis overlap the face analysis")]


def measure_latency(video: Path, audio: Path, seconds: float = 30.0) -> list[Figure]:
    """Per-frame latency capture -> incident decision with the live objects (no Qt), p50 and p95 in ms."""
    import numpy as np

    from proctorprep.journal.store import SessionJournal
    from proctorprep.perception.face import FaceAnalyser
    from proctorprep.session.pipeline import PipelineConfig, SessionPipeline
    from proctorprep.sources.audio import open_audio_file
    from proctorprep.sources.video import CameraSource
    from proctorprep.sources.feeds import SessionClock, paced_blocks    # Qt-free module

    names = ("latency capture -> decision p50, 640x480", "latency capture -> decision p95, 640x480")
    lat: list[float] = []
    stop = threading.Event()
    with tempfile.TemporaryDirectory() as d:
        face = FaceAnalyser()
        face.analyse(np.zeros((480, 640, 3), np.uint8), -1.0)      # model warm-up, as the app does before a session
        journal = SessionJournal.create(Path(d), {"kind": "analysis", "profile": "standard"})
        pipe = SessionPipeline(PipelineConfig(analysis_fps=None), journal, face=face)
        clock = SessionClock()
        cam = CameraSource(str(video), clock=time.monotonic, origin_s=clock.t0)

        def feed_audio() -> None:
            src = open_audio_file(audio)
            try:
                for block in paced_blocks(src.blocks(), clock, stop):
                    pipe.process_audio(block)
            finally:
                src.close()

        th = threading.Thread(target=feed_audio, name="bench-audio", daemon=True)
        th.start()
        try:
            for frame in cam.frames():
                pipe.process_frame(frame)
                lat.append((clock.now() - frame.t_s) * 1000.0)
                if frame.t_s >= seconds:
                    break
        finally:
            stop.set()
            cam.close()
            th.join(5)
            pipe.finish()
            journal.finish({})
            journal.close()
            face.close()
        dropped, delivered = cam.dropped, cam.delivered
    if len(lat) < 10:
        return [failed(n, "ms", "", f"only {len(lat)} frames analysed") for n in names]
    p50, p95 = (float(np.percentile(lat, q)) for q in (50, 95))
    return [Figure(names[0], p50, "ms", ""),
            Figure(names[1], p95, "ms", LATENCY_GOAL,
                   f"{len(lat)} frames analysed, {dropped} of {delivered} captured frames dropped (analyser busy)")]


def run(latency_seconds: float = 30.0, clip_seconds: float | None = None, ratio_clip: str = "mixed2",
        ratio_rounds: int = 3, batch_seconds: float = 20.0) -> list[Figure]:
    """Every figure of this module; `clip_seconds` shortens the clips (the smoke test), `ratio_clip` names the
    whole-command ratio's clip (figures.SCRIPTS)."""
    figs = _speed_and_latency(latency_seconds, clip_seconds)
    try:
        _v, _a, short = bench_clip("compliant", seconds=clip_seconds or batch_seconds)
        _v, _a, long_clip = bench_clip(ratio_clip, seconds=clip_seconds)
        figs += measure_ratio(long_clip, ratio_rounds, warm_clip=short)
    except Exception as exc:   # noqa: BLE001 - reported as "not measured"
        figs.append(failed(RATIO_NAME, "x", RATIO_GOAL, exc))
    try:
        _v, _a, short = bench_clip("compliant", seconds=clip_seconds or batch_seconds)
        figs += measure_batch(short)
    except Exception as exc:   # noqa: BLE001
        figs.append(failed(BATCH_NAME, "x", "", exc))
    return figs


def _speed_and_latency(latency_seconds: float, clip_seconds: float | None) -> list[Figure]:
    try:
        video, audio, muxed = bench_clip("mixed", seconds=clip_seconds)
        import cv2

        cap = cv2.VideoCapture(str(muxed))
        duration = cap.get(cv2.CAP_PROP_FRAME_COUNT) / (cap.get(cv2.CAP_PROP_FPS) or 30.0)
        cap.release()
    except Exception as exc:   # noqa: BLE001 - reported as "not measured"
        return [failed("analyze speed, x real time (640x480 30 fps + audio)", "x", ANALYZE_GOAL, exc),
                failed("latency capture -> decision p95, 640x480", "ms", LATENCY_GOAL, exc)]
    figs: list[Figure] = []
    try:
        figs += measure_analyze(muxed, duration)
    except Exception as exc:   # noqa: BLE001
        figs.append(failed("analyze speed, x real time (640x480 30 fps + audio)", "x", ANALYZE_GOAL, exc))
    try:
        figs += measure_latency(muxed, audio, latency_seconds)
    except Exception as exc:   # noqa: BLE001
        figs.append(failed("latency capture -> decision p95, 640x480", "ms", LATENCY_GOAL, exc))
    return figs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency-seconds", type=float, default=30.0, help="length of the latency run (default 30)")
    ap.add_argument("--ratio-clip", default="mixed2", choices=("mixed", "mixed2"),
                    help="the whole-command ratio's clip: mixed (60 s) or mixed2 (120 s, default)")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    figs = run(args.latency_seconds, ratio_clip=args.ratio_clip)
    return finish(figs, args.json)


if __name__ == "__main__":
    sys.exit(main())
