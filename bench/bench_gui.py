"""The desktop app under a live load: the longest GUI event-loop stall while a 640x480 video file is fed at 30 fps
as if it were the camera (system check → calibration → exam), the CPU it uses, and the time from command to first
window. One run, one table.

    .venv/bin/python bench/bench_gui.py [--exam-seconds 25]        (about 60 s; offscreen Qt, no display needed)

Stall: a 5 ms precise QTimer stamps every timeout; the longest gap minus 5 ms is the longest time the event loop
was busy (slots, painting, QImage conversion). Analysis runs on worker threads at the settings' analysis rate.
Prints each figure with its goal and ok/short; exits 1 only when something could not be measured.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GLOG_minloglevel", "2")


def make_media(folder: Path, seconds: float, fps: int = 30) -> tuple[Path, Path]:
    import numpy as np

    from tests.fixtures.audio_clips import RATE, speech_track, write_wav
    from tests.fixtures.face_render import render_face, write_clip

    poses = [render_face(yaw=3 * math.sin(k), pitch=2 * math.cos(k), mouth=0.02 * (k % 2)) for k in range(6)]
    away = [render_face(yaw=40.0), render_face(yaw=41.5)]
    frames = []
    for i in range(int(seconds * fps)):
        t = i / fps
        frames.append((away if 14 <= t < 18 else poses)[(i // 4) % 2 if 14 <= t < 18 else (i // 4) % len(poses)])
    video = write_clip(folder / "live.avi", frames, fps=fps)
    rng = np.random.default_rng(3)
    audio = (rng.standard_normal(int(seconds * RATE)) * 10 ** (-60 / 20)).astype(np.float32)
    speech = speech_track().samples
    a = int(22 * RATE)
    n = min(len(speech), len(audio) - a)
    audio[a:a + n] += speech[:n]
    return video, write_wav(folder / "live.wav", audio)


def first_window_s(video: Path, audio: Path, data: Path) -> float:
    """Seconds from starting a fresh interpreter to the main window's first paint (offscreen)."""
    code = (
        "import sys, time, os\n"
        "t0 = float(os.environ['PP_T0'])\n"
        "from proctorprep.ui.app import build_window, launch_options\n"
        "import argparse\n"
        "from PySide6.QtCore import QTimer, QObject, QEvent\n"
        "w = build_window(launch_options(argparse.Namespace(video=sys.argv[1], audio=sys.argv[2], exam=None,"
        " profile=None)))\n"
        "class F(QObject):\n"
        "    def eventFilter(self, o, e):\n"
        "        if e.type() == QEvent.Type.Paint:\n"
        "            print('SHOWN', time.time() - t0, flush=True); os._exit(0)\n"
        "        return False\n"
        "f = F(); w.installEventFilter(f); w.show()\n"
        "from PySide6.QtWidgets import QApplication; QApplication.instance().exec()\n"
    )
    env = dict(os.environ, PP_T0=repr(time.time()), PROCTORPREP_DATA_DIR=str(data))
    r = subprocess.run([sys.executable, "-c", code, str(video), str(audio)], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=120)
    for line in r.stdout.splitlines():
        if line.startswith("SHOWN"):
            return float(line.split()[1])
    raise RuntimeError(f"the window did not show: {r.stderr[-400:]}")


def live_session(video: Path, audio: Path, exam_seconds: float) -> dict[str, float]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from proctorprep.ui.app import build_window
    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import pump
    from proctorprep.ui.tour import wait_until as wait

    window = build_window(LaunchOptions(video=str(video), audio=str(audio), exam="cloud-fundamentals",
                                        calibration_dot_s=5.0 / 6))
    window.resize(1180, 820)
    window.show()
    app = QApplication.instance()
    stamps: list[float] = []
    phases: list[tuple[float, str]] = []       # (perf_counter, phase) to say where the longest stalls were
    recording = [False]
    beat = QTimer()
    beat.setTimerType(Qt.TimerType.PreciseTimer)
    beat.setInterval(5)
    cpu_stamps: list[float] = []

    def on_beat() -> None:
        if recording[0]:
            stamps.append(time.perf_counter())
            cpu_stamps.append(time.thread_time())   # CPU used by the GUI thread itself

    beat.timeout.connect(on_beat)
    beat.start()

    s = window.ctx.session
    home = window.page("home")
    wait(lambda: home.exam_combo.count() > 0, 30)
    home.start_btn.click()
    check = window.page("check")
    wait(lambda: check.view.frames_shown > 5, 60)
    recording[0] = True
    phases.append((time.perf_counter(), "check"))
    pump(5.0)
    phases.append((time.perf_counter(), "to calibration"))
    check.next_btn.click()
    from proctorprep.ui.tour import run_checkin   # the headshot taken: the exam's identity check runs

    run_checkin(window, wait, take=("headshot",))
    phases.append((time.perf_counter(), "calibration"))
    cal = window.page("calibrate")
    wait(lambda: not cal.running and cal.start_btn.isEnabled(), 60)
    phases.append((time.perf_counter(), "start exam"))
    cal.start_btn.click()
    exam = window.page("exam")
    from proctorprep.ui.tour import pass_intro   # the agreement and the welcome screen come first

    pass_intro(exam, wait)
    wait(lambda: exam.stack.currentIndex() == 1, 60)
    phases.append((time.perf_counter(), "exam"))
    ru0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    shown0, (analysed0, dropped0, _) = exam.self_view.frames_shown, s.video_stats()
    pump(exam_seconds)
    ru1, t1 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    analysed1, dropped1, ms = s.video_stats()
    shown1 = exam.self_view.frames_shown
    recording[0] = False
    beat.stop()
    gaps = [(b - a) * 1000.0 - 5.0 for a, b in zip(stamps, stamps[1:])]
    # Of each gap, the part the GUI thread spent computing (the rest it waited: for a core on a loaded machine, or
    # for the interpreter lock held by a worker).
    busy = [(b - a) * 1000.0 for a, b in zip(cpu_stamps, cpu_stamps[1:])]
    worst = sorted(range(len(gaps)), key=lambda i: -gaps[i])[:3]

    def phase_at(t: float) -> str:
        name = "?"
        for start, label in phases:
            if start <= t:
                name = label
        return name

    where = ", ".join(f"{gaps[i]:.0f} ms in {phase_at(stamps[i])}" for i in worst)
    wall = t1 - t0
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    window.ctx.session.finish_exam("submitted")
    wait(lambda: window.current_key == "results", 60)
    window.close()
    app.processEvents()
    if len(gaps) < 100:
        raise RuntimeError("too few event-loop samples")
    return {"stall_max_ms": max(0.0, max(gaps)), "stall_p99_ms": statistics.quantiles(gaps, n=100)[98],
            "cpu_share": cpu / wall, "analysed_fps": (analysed1 - analysed0) / wall,
            "shown_fps": (shown1 - shown0) / wall, "dropped": dropped1 - dropped0, "analysis_ms": ms,
            "where": where, "busy_max_ms": max(busy), "busy_p99_ms": statistics.quantiles(busy, n=100)[98]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exam-seconds", type=float, default=25.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["PROCTORPREP_DATA_DIR"] = str(tmp / "data")
        video, audio = make_media(tmp, seconds=5 + 5 + args.exam_seconds + 15)
        try:
            shown = first_window_s(video, audio, tmp / "data0")
            live = live_session(video, audio, args.exam_seconds)
        except Exception as exc:   # noqa: BLE001 - a benchmark that cannot measure says why and fails
            print(f"bench_gui: could not measure: {exc}", file=sys.stderr)
            return 1
    rows = [
        ("time from command to first window", f"{shown:.2f} s", "≤ 3 s", shown <= 3.0),
        ("longest GUI event-loop stall (30 fps live file)", f"{live['stall_max_ms']:.1f} ms", "≤ 50 ms",
         live["stall_max_ms"] <= 50.0),
        ("99th percentile event-loop delay", f"{live['stall_p99_ms']:.1f} ms", "—", None),
        ("longest GUI-thread computing between two beats", f"{live['busy_max_ms']:.1f} ms", "—", None),
        ("CPU of the live exam, share of one core", f"{live['cpu_share'] * 100:.0f} %", "≤ 60 %",
         live["cpu_share"] <= 0.60),
        ("frames analysed per second (setting: 15)", f"{live['analysed_fps']:.1f}", "—", None),
        ("frames shown per second (self-view)", f"{live['shown_fps']:.1f}", "—", None),
        ("mean analysis time per frame (worker thread)", f"{live['analysis_ms']:.1f} ms", "—", None),
        ("frames dropped by the newest-frame slot", f"{live['dropped']}", "—", None),
    ]
    print(f"{'measure':<50} {'value':>10}  {'goal':<8} result")
    for name, value, goal, ok in rows:
        print(f"{name:<50} {value:>10}  {goal:<8} {'' if ok is None else 'ok' if ok else 'short'}")
    print(f"longest stalls: {live['where']}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"Qt platform {os.environ.get('QT_QPA_PLATFORM')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
