"""Every benchmark function runs on a tiny input and returns well-formed figures. Their VALUES are never asserted
(timings on a shared machine mean nothing in a unit test); that they were measured, with a unit and a verdict, is."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from figures import Figure, failed, table  # noqa: E402

pytestmark = [pytest.mark.slow]
CLIP_S = 7.0          # a tiny compliant clip: five seconds of calibration and a little exam


@pytest.fixture(scope="module")
def bench_cache(tmp_path_factory):
    d = tmp_path_factory.mktemp("bench_cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("PROCTORPREP_BENCH_CACHE", str(d))
    yield d
    mp.undo()


def well_formed(figs: list[Figure], names: int) -> None:
    assert len(figs) >= names
    for f in figs:
        assert f.measured, f"{f.name}: {f.note}"
        assert math.isfinite(f.value), f
        # a growth is a difference and may be negative (memory given back after start-up); the rest are amounts
        assert f.value >= 0 or f.name.startswith("memory growth"), f
        assert f.verdict in ("ok", "short", "-")
        assert f.unit


def test_figure_verdicts_and_table():
    assert Figure("x", 2.0, "ms", "<= 3").verdict == "ok"
    assert Figure("x", 4.0, "ms", "<= 3").verdict == "short"
    assert Figure("x", 4.0, "x", ">= 3").verdict == "ok"
    assert Figure("x", 1.0, "x", ">= 3").verdict == "short"
    assert Figure("x", 1.0, "x").verdict == "-"
    bad = failed("y", "ms", "<= 3", RuntimeError("no camera"))
    assert not bad.measured and bad.verdict == "NOT MEASURED"
    text = table([Figure("x", 2.0, "ms", "<= 3"), bad])
    assert "| x | 2.00 | ms | <= 3 | ok |" in text
    assert "NOT MEASURED (RuntimeError: no camera)" in text


def test_live_memory_growth_is_end_minus_warmed_up():
    from bench_live import growth_mb

    long_run = [(float(t), 100.0 + t / 60) for t in range(600)]          # +1 MB a minute for 10 minutes
    assert growth_mb(long_run, 600.0) == pytest.approx(8.0, abs=0.1)   # minute 2 to minute 10
    short = [(float(t), 100.0) for t in range(10)]
    assert growth_mb(short, 10.0) == 0.0


def test_whole_command_ratio_and_batch_speed_up_on_a_tiny_clip(bench_cache):
    from bench_pipeline import measure_batch, measure_ratio

    from figures import bench_clip

    _video, _audio, muxed = bench_clip("mixed", seconds=CLIP_S)
    ratio = measure_ratio(muxed, rounds=1, warm=False)
    well_formed(ratio, 4)                      # wall and CPU, against bare Face Mesh for 3 faces and for 1
    assert "load average" in ratio[0].note
    well_formed(measure_batch(muxed, files=2), 1)


def test_the_floor_of_the_live_budget_on_a_tiny_clip(bench_cache):
    from face_floor import measure

    figs = measure(seconds=2.0, clip_seconds=CLIP_S)      # the clip the other smoke tests share
    well_formed(figs, 9)
    assert figs[0].name.startswith("floor:") and "left for the app" in figs[0].note


def test_the_thread_table_names_python_threads_and_native_ones():
    import threading

    from bench_live import thread_cpu

    stop = threading.Event()
    busy = threading.Thread(target=lambda: [None for _ in iter(stop.is_set, True)], name="burner-7")
    busy.start()
    try:
        import time

        deadline = time.monotonic() + 10.0       # on a loaded machine the burner may get little CPU at first
        threads = thread_cpu()
        while threads.get("burner", 0) <= 0.02 and time.monotonic() < deadline:
            time.sleep(0.1)
            threads = thread_cpu()
    finally:
        stop.set()
        busy.join()
    assert threads.get("burner", 0) > 0.02 and "MainThread" in threads      # digits dropped: one row a kind


def test_the_cost_table_names_every_part_and_the_rest():
    from bench_live import cost_figures

    from proctorprep.session.costs import Cost

    parts = {"face analysis": Cost(900, 0.9), "rule: looking away": Cost(900, 0.045)}
    threads = {"mediapipe": 6.0, "MainThread": 1.0, "Dummy": 3.0}
    figs = {f.name.strip(): f.value for f in cost_figures(parts, threads, wall_s=60.0, cpu_s=12.0)}
    assert figs["part: face analysis, mediapipe graph threads (Face Mesh, Hands)"] == pytest.approx(10.0)
    assert figs["part: face analysis, our side (video worker)"] == pytest.approx(1.5)
    assert figs["part: rule: looking away"] == pytest.approx(0.075)
    assert figs["part: everything else (decoding the feed, GUI, self-view, journal, Qt)"] == pytest.approx(
        (12.0 - 6.0 - 0.945) / 60 * 100)
    assert figs["thread: mediapipe"] == pytest.approx(10.0)


def test_pipeline_benchmarks_on_a_tiny_clip(bench_cache):
    from bench_pipeline import measure_analyze, measure_latency

    from figures import bench_clip

    _video, audio, muxed = bench_clip("mixed", seconds=CLIP_S)
    assert muxed.exists() and muxed.parent == bench_cache
    well_formed(measure_analyze(muxed, CLIP_S), 1)
    lat = measure_latency(muxed, audio, seconds=1.5)
    well_formed(lat, 2)
    assert lat[0].value <= lat[1].value                  # p50 <= p95


@pytest.mark.gui
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_live_benchmarks_on_a_tiny_session(bench_cache, qapp):
    from bench_live import measure_first_window, run_session

    figs = run_session(0.1, clip_seconds=CLIP_S)
    well_formed(figs, 5)
    names = " ".join(f.name for f in figs)
    assert "CPU" in names and "stall" in names and "memory growth" in names
    assert "windows with the 10 ms stall heartbeat" in names     # the CPU figure is taken without it
    parts = [f.name for f in figs if f.name.startswith("  part:")]      # the per-detector cost table
    assert any("mediapipe graph" in n for n in parts) and any("everything else" in n for n in parts)
    if any("face analysis, our side" in n for n in parts):    # frames judged in the (6 s) window: rules too
        assert any("rule: " in n for n in parts), parts
    well_formed(measure_first_window(runs=1), 1)
