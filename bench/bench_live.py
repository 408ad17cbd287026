"""A live session in the real app, fed at 30 fps from files: CPU share of one core, the longest GUI event-loop stall,
peak memory and memory growth; and the time from command to first window.

    .venv/bin/python bench/bench_live.py [--minutes 10] [--json OUT] [--no-session] [--no-first-window]
                                         [--bare-after SECONDS]

Session: the app's own objects (build_window, SessionController, its video and audio workers, the paced file
feeds that stand in for camera and microphone, the exam page with its self-view), offscreen Qt; a check-in
headshot taken from the clip's first frame, so the identity check runs as after a real check-in. The calibration
page runs its dots on the clip, then the feeds are restarted looping (a 30 s compliant clip, 640x480 at 30 fps, and
its soundtrack) so the session can last as long as asked, and the exam (Cloud Fundamentals, 45 min) starts: from
then on the pipeline analyses frames at the settings' analysis rate, journals, and the GUI shows the self-view.
Measured from 15 s after the exam's first analysed frame (the one-off start, such as the identity check's child
process loading its model, is over by then), in alternating 20 s windows with the stall heartbeat off and on (the
heartbeat alone costs ~1.2 % of a core, so it is kept out of the CPU figure):
  - CPU: process CPU time (all threads and the app's child process, including decoding the file a camera would
    not need) / wall time, over the windows without the heartbeat; beside it the same over the windows with it;
  - stall: a 10 ms precise QTimer on the GUI thread, in the other windows; the longest gap between two ticks, minus
    the 10 ms; beside it the same for a bare 10 ms sleep loop in a separate process at the same time (what the busy
    machine alone does);
  - memory: RSS sampled every second; peak, and growth = median of the last minute - median of the minute after
    the first minute (short runs: last fifth - second fifth).
First window: `python -m proctorprep` in a fresh process with PROCTORPREP_EXIT_WHEN_SHOWN=1 (proctorprep/ui/app.py
prints a line once the window is exposed and quits), on a virtual X screen (Xvfb) when there is one, else offscreen;
the median of 3 starts, timed from the command to the line.

--bare-after SECONDS: on a quiet machine, run the bare Face Mesh control after the session (for SECONDS, alone)
instead of beside it: two processes running Face Mesh on two cores (which may be hyperthreads of one) slow each
other down and inflate both CPU times, which is what the control beside is for on a shared machine, but on a quiet
one it measures the contention it causes.

Prints each figure with its goal and ok/short; exits 1 only when something could not be measured.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import ROOT, Figure, bench_clip, failed, finish  # noqa: E402

# the live budget (issue 23): every detector on, 15 analysed frames a second from a 30 fps 640x480 feed
CPU_GOAL, STALL_GOAL, GROWTH_GOAL, START_GOAL = "<= 15", "<= 50", "<= 30", "<= 3"
HEARTBEAT_MS = 10
# The heartbeat is not free: a 10 ms precise QTimer with a Python slot costs ~1.2 % of a core by itself (an idle
# Qt process, measured 2026-12-02), which is most of the live budget's slack. So the session alternates windows of
# BEAT_WINDOW_S: the heartbeat on (the stall is measured there) and off (the CPU figure is measured there).
BEAT_WINDOW_S = 20.0
WARMUP_S = 15.0          # from the first analysed frame to the first measured window


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def growth_mb(samples: list[tuple[float, float]], total_s: float) -> float:
    """Median RSS at the end minus median RSS after warm-up (see the module doc)."""
    if total_s >= 180:
        early = [r for t, r in samples if 60 <= t < 120]
        late = [r for t, r in samples if t >= total_s - 60]
    else:
        rs, fifth = [r for _, r in samples], max(1, len(samples) // 5)
        early, late = rs[fifth:2 * fifth], rs[-fifth:]
    return statistics.median(late) - statistics.median(early)


# A bare process beside the app during the session: a 10 ms sleep loop recording its own gaps. On a shared machine
# the app's GUI stalls partly because the whole machine is busy; this shows how much the machine alone stalls.
_CONTROL = """
import json, sys, time
end = time.monotonic() + float(sys.argv[1]); last = time.monotonic(); gaps = []
while time.monotonic() < end:
    time.sleep(0.01)
    now = time.monotonic()
    if now - last > 0.015:
        gaps.append((now, now - last))
    last = now
print(json.dumps(gaps))
"""


def run_session(minutes: float, clip_seconds: float | None = None, bare_after_s: float | None = None) -> list[Figure]:
    """The live session (see the module doc). Must run in its own process (Qt, RSS). `clip_seconds`: a shorter
    looping clip (the smoke test)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    data = tempfile.mkdtemp(prefix="proctorprep-bench-live-")
    os.environ["PROCTORPREP_DATA_DIR"] = data
    _video, audio, muxed = bench_clip("compliant", seconds=clip_seconds)

    from PySide6.QtCore import QEventLoop, Qt, QTimer

    from proctorprep.ui.app import build_window, create_app
    from proctorprep.ui.context import LaunchOptions

    app = create_app()
    window = build_window(LaunchOptions(video=str(muxed), audio=str(audio), exam="cloud-fundamentals",
                                        profile="standard", calibration_dot_s=5.0 / 6))
    window.resize(1180, 820)
    window.show()
    ctx = window.ctx
    session = ctx.session

    def wait(pred, timeout_s: float, what: str, poll_ms: int = 50) -> None:
        """Run the event loop (idle, not spinning) until pred() or the timeout, asking pred() every poll_ms."""
        deadline = time.monotonic() + timeout_s
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(poll_ms)
        poll.timeout.connect(lambda: (pred() or time.monotonic() > deadline) and loop.quit())
        poll.start()
        if not pred():
            loop.exec()
        poll.stop()
        if not pred():
            raise RuntimeError(f"timed out after {timeout_s:.0f} s waiting for {what}")

    # heartbeat: gaps between ticks of a precise 10 ms timer on the GUI thread
    beat: dict = {"last": None, "max": 0.0, "on": False, "gaps": []}

    def tick() -> None:
        now = time.monotonic()
        if beat["on"] and beat["last"] is not None:
            gap = now - beat["last"]
            beat["max"] = max(beat["max"], gap)
            if gap > 0.015:
                beat["gaps"].append((now, gap))
        beat["last"] = now

    heart = QTimer()
    heart.setTimerType(Qt.TimerType.PreciseTimer)
    heart.setInterval(HEARTBEAT_MS)
    heart.timeout.connect(tick)
    heart.start()
    # the windows with and without the heartbeat: CPU and wall seconds, and (for the breakdown) each thread's and
    # each ledger part's CPU seconds, summed over the windows of each kind
    windows: dict = {k: {"cpu": 0.0, "wall": 0.0, "threads": {}, "parts": {}} for k in ("beat", "quiet")}
    windows["mark"] = None
    windows["ledger"] = None

    def process_cpu() -> float:
        return time.process_time() + sum(children_cpu().values())

    def open_window(kind: str) -> None:
        ledger = windows["ledger"]
        windows["mark"] = (kind, process_cpu(), time.monotonic(), thread_cpu(),
                           ledger.snapshot() if ledger is not None else {})

    def close_window() -> None:
        if windows["mark"] is not None:
            kind, c0, w0, th0, parts0 = windows["mark"]
            acc = windows[kind]
            acc["cpu"] += process_cpu() - c0
            acc["wall"] += time.monotonic() - w0
            for name, v in threads_since(th0).items():
                acc["threads"][name] = acc["threads"].get(name, 0.0) + v
            if windows["ledger"] is not None:
                from proctorprep.session.costs import Cost

                for name, c in windows["ledger"].since(parts0).items():
                    a = acc["parts"].setdefault(name, Cost())
                    a.calls += c.calls
                    a.cpu_s += c.cpu_s
        windows["mark"] = None

    def toggle_beat() -> None:
        close_window()
        on = not heart.isActive()
        if on:
            beat["last"] = None          # the gap across a window without the heartbeat is not a stall
            heart.start()
        else:
            heart.stop()
        open_window("beat" if on else "quiet")

    beat_switch = QTimer()
    beat_switch.timeout.connect(toggle_beat)
    samples: list[tuple[float, float]] = []
    mem = QTimer()
    mem.setInterval(1000)
    t_start = [0.0]
    mem.timeout.connect(lambda: samples.append((time.monotonic() - t_start[0], rss_mb())))
    control: subprocess.Popen | None = None
    mesh_control: subprocess.Popen | None = None
    try:
        # every detector on: a check-in headshot taken from the clip itself, so identity_changed compares the face
        # in the feed with it (on its own thread, every 3-6 s) as in an exam after a real check-in
        import cv2

        cap = cv2.VideoCapture(str(muxed))
        ok, first = cap.read()
        cap.release()
        if not ok or session.live.begin_checkin().judge("headshot", first).kind != "headshot" or \
                session.live.checkin_reference is None or session.live.checkin_reference.face is None:
            raise RuntimeError("no face for the check-in headshot in the bench clip")
        window.navigate("calibrate")
        cal = window.page("calibrate")
        wait(lambda: not cal.running and cal.start_btn.isEnabled(), 60, "the calibration")
        session.start_devices(loop_files=True)        # the same feeds, looping, so the session lasts `minutes`
        cal.start_exam()
        exam = window.page("exam")
        from proctorprep.ui.tour import pass_intro   # the agreement and the welcome screen come first

        pass_intro(exam, lambda ok, t: wait(ok, t, "the agreement"))
        wait(lambda: exam.stack.currentIndex() == 1 and session.pipeline is not None, 60, "the exam to start")
        wait(lambda: session.video_stats()[0] > 0, 30, "the first analysed frame")
        total = minutes * 60.0
        # the session's one-off start (the identity check's child process loading dlib, the speech recogniser
        # loading its model: ~2-3 s of CPU) is over before the measured minutes begin: they are the steady state
        # a 45-minute exam spends nearly all its time in
        warm_until = time.monotonic() + min(WARMUP_S, total / 4)
        wait(lambda: time.monotonic() >= warm_until, WARMUP_S + 30, "the warm-up")
        control = subprocess.Popen([sys.executable, "-c", _CONTROL, str(total)], stdout=subprocess.PIPE, text=True)
        # what decoding the same clip and bare Face Mesh at the same rate cost on this machine meanwhile
        mesh_control = None if bare_after_s else _bare_control(muxed, total, session.setup.analysis_fps)
        beat["on"], beat["last"] = True, None
        t_start[0] = time.monotonic()
        windows["ledger"] = session.pipeline.costs
        cpu0, wall0 = process_cpu(), time.monotonic()
        heart.stop()
        open_window("quiet")
        beat_switch.start(int(min(BEAT_WINDOW_S, total / 4) * 1000))      # at least two windows of each
        mem.start()
        # polled twice a second: the bench's own timers are on the GUI thread it measures
        wait(lambda: time.monotonic() - wall0 >= total or session.exam is None or session.ended_by_proctor,
             total + 30, "the end of the session", poll_ms=500)
        cpu1, wall1 = process_cpu(), time.monotonic()
        beat_switch.stop()
        close_window()
        beat["on"] = False
        mem.stop()
        control_gaps = [tuple(g) for g in json.loads(control.communicate(timeout=60)[0] or "[]")]
        bare1_pct = None
        if mesh_control is None:         # --bare-after: alone, once the session's threads are idle
            one = _bare_control(muxed, bare_after_s, session.setup.analysis_fps, max_faces=1)
            out1 = one.communicate(timeout=bare_after_s + 120)[0].strip().splitlines()
            bare1_pct = json.loads(out1[-1])["cpu_pct"] if out1 else None
            mesh_control = _bare_control(muxed, bare_after_s, session.setup.analysis_fps)
        bare_out = mesh_control.communicate(timeout=(bare_after_s or 0) + 120)[0].strip().splitlines()
        bare_pct = json.loads(bare_out[-1])["cpu_pct"] if bare_out else None
        if os.environ.get("PROCTORPREP_BENCH_GAPS"):     # for looking into stalls: both gap lists, timestamped
            Path(os.environ["PROCTORPREP_BENCH_GAPS"]).write_text(json.dumps(
                {"gui": beat["gaps"], "control": control_gaps}))
        analysed, dropped, mean_ms = session.video_stats()
        analysis_fps = session.setup.analysis_fps
        worker_rate = getattr(getattr(getattr(session, "_video", None), "worker", None), "rate", None)
        used_fps = worker_rate.fps if worker_rate is not None else analysis_fps   # lowered if the CPU was short
        ended = session.ended_by_proctor
        session.finish_exam("submitted")
        wait(lambda: window.current_key == "results", 120, "the results page")
    finally:
        for proc in (control, mesh_control):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        heart.stop()
        window.close()
        app.processEvents()
        shutil.rmtree(data, ignore_errors=True)
    wall = wall1 - wall0
    if ended:
        raise RuntimeError("the practice proctor ended the session early; the run is not comparable")
    if len(samples) < 5:
        raise RuntimeError(f"only {len(samples)} memory samples")
    quiet_cpu, quiet_wall = windows["quiet"]["cpu"], windows["quiet"]["wall"]
    beat_cpu, beat_wall = windows["beat"]["cpu"], windows["beat"]["wall"]
    parts, threads = windows["quiet"]["parts"], windows["quiet"]["threads"]
    if quiet_wall < 0.25 * wall or beat_wall < 0.25 * wall:
        raise RuntimeError(f"the heartbeat windows came out uneven ({quiet_wall:.0f} s without, {beat_wall:.0f} s "
                           f"with, of {wall:.0f} s)")
    cpu = quiet_cpu / quiet_wall * 100.0
    return [
        Figure("live session CPU, % of one core (30 fps file feed)", cpu, "%", CPU_GOAL,
               f"{wall / 60:.1f} min, CPU over the {quiet_wall:.0f} s of it without the stall heartbeat; face "
               f"analysis at {used_fps:g} of 30 fps (settings: {analysis_fps:g}), "
               f"{analysed} frames analysed, {mean_ms:.1f} ms each, {dropped} feed frames dropped; "
               "includes decoding the file"),
        Figure("  same, in the windows with the 10 ms stall heartbeat", beat_cpu / beat_wall * 100.0, "%", "",
               f"{beat_wall:.0f} s; the difference is what the bench's own heartbeat costs"),
        Figure("longest GUI event-loop stall", max(0.0, beat["max"] * 1000 - HEARTBEAT_MS), "ms", STALL_GOAL,
               f"{HEARTBEAT_MS} ms heartbeat on the GUI thread during the exam; "
               f"{sum(g > 0.06 for _, g in beat['gaps'])} gaps over 50 ms"
               + "".join(f", {(g - HEARTBEAT_MS / 1000) * 1000:.0f} ms at {t - g - t_start[0]:.1f} s"
                         for t, g in beat["gaps"] if g > 0.06)),
        Figure("  machine noise: longest stall of a bare process meanwhile", max(
            0.0, max((g for _, g in control_gaps), default=0.0) * 1000 - HEARTBEAT_MS), "ms", "",
               f"a {HEARTBEAT_MS} ms sleep loop in a separate process during the session; "
               f"{sum(g > 0.06 for _, g in control_gaps)} gaps over 50 ms"),
        Figure("peak memory (RSS) during the session", max(r for _, r in samples), "MB", ""),
        Figure(f"memory growth over the {wall / 60:.0f}-minute session", growth_mb(samples, wall), "MB",
               GROWTH_GOAL, "median RSS of the last minute - median of minute 2"
               if wall >= 180 else "short run: median RSS of the last fifth - the second fifth"),
    ] + bare_figures(cpu, bare_pct, bare1_pct, after=bool(bare_after_s)) + cost_figures(parts, threads, quiet_wall,
                                                                                         quiet_cpu)


def _bare_control(clip: Path, seconds: float, analysis_fps: float, max_faces: int = 3) -> subprocess.Popen:
    """bench/bare_facemesh.py --paced: the clip decoded in real time, bare Face Mesh at the analysed rate."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "bare_facemesh.py"), str(clip), "--paced", str(seconds),
         "--analysis-fps", str(analysis_fps), "--max-faces", str(max_faces)], stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True, env={**os.environ, "GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "2"})


def bare_figures(cpu_pct: float, bare_pct: float | None, bare1_pct: float | None = None,
                 after: bool = False) -> list[Figure]:
    """The app's CPU read against bare Face Mesh + decoding, measured beside it in the same minutes or (`after`,
    a quiet machine) alone after it; `bare1_pct`: the same for the one-face graph the app tracks with."""
    when = "alone after the session" if after else "beside it"
    name = f"  {when}: bare Face Mesh (3 faces) + decoding, % of one core"
    if bare_pct is None or bare_pct <= 0:
        return [failed(name, "%", "", "the control gave nothing")]
    figs = [Figure(name, bare_pct, "%", "",
                   "bench/bare_facemesh.py --paced in its own process " + ("after the session, alone" if after else
                                                                           "at the same time") +
                   ": the same clip decoded at 30 fps, Face Mesh at the same analysed rate"),
            Figure("  live session CPU / that bare program", cpu_pct / bare_pct, "x", "",
                   "what the whole app costs per unit of bare Face Mesh, measured under the same load")]
    if bare1_pct:
        figs += [Figure(f"  {when}: bare Face Mesh (1 face) + decoding, % of one core", bare1_pct, "%", "",
                        "the same with max_num_faces=1, the graph the app tracks the candidate with"),
                 Figure("  live session CPU / that bare program (1 face)", cpu_pct / bare1_pct, "x", "", "")]
    return figs


def thread_cpu() -> dict[str, float]:
    """CPU seconds of each live thread of this process, summed by name: a Python thread by its `threading` name
    (digits dropped: "Thread-3" -> "Thread"), a native one by its kernel name ("mediapipe/4711" -> "mediapipe").
    Linux only (/proc); elsewhere {} (the ledger still works everywhere)."""
    task = "/proc/self/task"
    if not os.path.isdir(task):
        return {}
    names = {t.native_id: t.name for t in threading.enumerate() if t.native_id is not None}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    out: dict[str, float] = {}
    for tid in os.listdir(task):
        try:
            with open(f"{task}/{tid}/stat") as fh:
                stat = fh.read()
            with open(f"{task}/{tid}/comm") as fh:
                comm = fh.read().strip()
        except OSError:          # the thread ended meanwhile
            continue
        fields = stat.rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / tick           # utime + stime
        name = names.get(int(tid)) or comm
        key = re.sub(r"[-_/ ]?\d+$", "", name) or name
        out[key] = out.get(key, 0.0) + cpu
    for name, cpu in children_cpu().items():
        out[f"process: {name}"] = cpu
    return out


def children_cpu() -> dict[str, float]:
    """CPU seconds of the app's own child processes (multiprocessing's: the identity check's descriptor process),
    by name: the live figure counts them, as the machine pays for them. Linux only (/proc); elsewhere {}."""
    import multiprocessing

    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    out: dict[str, float] = {}
    for child in multiprocessing.active_children():
        try:
            with open(f"/proc/{child.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[child.name] = out.get(child.name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def threads_since(before: dict[str, float]) -> dict[str, float]:
    """CPU seconds per thread name after `before` (a thread that ended meanwhile is not counted)."""
    now = thread_cpu()
    return {k: v - before.get(k, 0.0) for k, v in now.items() if v - before.get(k, 0.0) > 0}


def cost_figures(parts: dict, threads: dict[str, float], wall_s: float, cpu_s: float) -> list[Figure]:
    """The live CPU by part (session/costs.py): each detector and perception call in its own thread's CPU time,
    mediapipe's graph threads (Face Mesh, Hands) from the thread table, then every thread of the process by name."""
    from proctorprep.session.costs import iter_rows

    figs: list[Figure] = []
    graph = sum(v for k, v in threads.items() if k.startswith("mediapipe"))
    if threads:
        figs.append(Figure("  part: face analysis, mediapipe graph threads (Face Mesh, Hands)", graph / wall_s * 100,
                           "%", "", "the parts are CPU time over the same window as the session's CPU"))
    for name, pct, calls, us in iter_rows(parts, wall_s):
        label = "face analysis, our side (video worker)" if name == "face analysis" else name
        figs.append(Figure(f"  part: {label}", pct, "%", "", f"{calls} calls, {us:.0f} us each"))
    children = sum(v for k, v in threads.items() if k.startswith("process: "))
    if children:
        figs.append(Figure("  part: identity check's descriptor network (child process)", children / wall_s * 100,
                           "%", "", "perception/identity_process.py: dlib's ResNet, out of the GIL's way"))
    named = sum(c.cpu_s for c in parts.values()) + graph + children
    figs.append(Figure("  part: everything else (decoding the feed, GUI, self-view, journal, Qt)",
                       max(0.0, cpu_s - named) / wall_s * 100, "%", "", "process CPU minus the parts above"))
    for name, sec in sorted(threads.items(), key=lambda kv: -kv[1]):
        if sec / wall_s >= 0.001:          # 0.1 % of a core and up
            figs.append(Figure(f"  thread: {name}", sec / wall_s * 100, "%", ""))
    return figs


def _start_xvfb() -> tuple[subprocess.Popen | None, str | None]:
    if shutil.which("Xvfb") is None:
        return None, None
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as fh:
        num = fh.readline().strip()
    if not num:
        proc.kill()
        return None, None
    return proc, f":{num}"


def measure_first_window(runs: int = 3) -> list[Figure]:
    name = "time from command to first window"
    from proctorprep.ui.app import EXIT_WHEN_SHOWN_ENV, SHOWN_MARKER

    xvfb, display = _start_xvfb()
    times: list[float] = []
    try:
        with tempfile.TemporaryDirectory() as d:
            env = {**os.environ, EXIT_WHEN_SHOWN_ENV: "1", "PROCTORPREP_DATA_DIR": d}
            if display:
                env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
            else:
                env["QT_QPA_PLATFORM"] = "offscreen"
            for _ in range(runs):
                t0 = time.perf_counter()
                p = subprocess.Popen([sys.executable, "-m", "proctorprep"], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                shown = None
                assert p.stdout is not None
                for line in p.stdout:
                    if line.startswith(SHOWN_MARKER):
                        shown = time.perf_counter() - t0
                        break
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
                if shown is None:
                    return [failed(name, "s", START_GOAL, f"the app exited {p.returncode} without showing a window")]
                times.append(shown)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)
    where = "Xvfb (xcb)" if display else "offscreen"
    return [Figure(name, statistics.median(times), "s", START_GOAL,
                   f"median of {runs} starts on {where}: " + ", ".join(f"{t:.2f}" for t in times) + " s")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="length of the live session (default 10; the "
                    "README's table comes from a 10-minute run)")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    ap.add_argument("--no-session", action="store_true", help="skip the live session")
    ap.add_argument("--no-first-window", action="store_true", help="skip the start-up measurement")
    ap.add_argument("--bare-after", type=float, metavar="SECONDS",
                    help="quiet machine: run the bare Face Mesh control alone after the session, not beside it")
    args = ap.parse_args(argv)
    figs: list[Figure] = []
    if not args.no_session:
        try:
            figs += run_session(args.minutes, bare_after_s=args.bare_after)
        except Exception as exc:   # noqa: BLE001 - reported as "not measured"
            figs += [failed(n, u, g, exc) for n, u, g in (
                ("live session CPU, % of one core (30 fps file feed)", "%", CPU_GOAL),
                ("longest GUI event-loop stall", "ms", STALL_GOAL),
                ("memory growth over the session", "MB", GROWTH_GOAL))]
    if not args.no_first_window:
        try:
            figs += measure_first_window()
        except Exception as exc:   # noqa: BLE001
            figs.append(failed("time from command to first window", "s", START_GOAL, exc))
    return finish(figs, args.json)


if __name__ == "__main__":
    sys.exit(main())
