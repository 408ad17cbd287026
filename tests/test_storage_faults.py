"""Issue 15, "nothing lost, nothing clobbered": storage, export and recovery under real faults.

Each test reproduces one fault the way a user meets it: a real tmpfs that fills up, real device nodes and FIFOs,
read-only bind mounts, a child killed with SIGKILL, a variable-frame-rate clip. This machine runs the suite as root
(mount, mknod); where a test cannot mount it says so by failing, never by skipping.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from proctorprep import exports, paths
from proctorprep.cli import main
from tests.fixtures.face_render import render_face, write_clip
from tests.fixtures.sessions import Behaviour, make_session


# ------------------------------------------------------------------------------------------------ fixtures
def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


@pytest.fixture()
def small_disk(tmp_path):
    """A real 2 MB file system (tmpfs); `fill(leave)` fills it up to `leave` bytes free."""
    root = tmp_path / "disk"
    root.mkdir()
    _mount("-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(root))

    def fill(leave: int = 0) -> None:
        with open(root / ".filler", "ab") as fh:
            while True:
                free = os.statvfs(root).f_bavail * os.statvfs(root).f_frsize
                if free <= leave:
                    return
                try:
                    fh.write(b"\0" * min(16384, max(free - leave, 1)))
                    fh.flush()
                except OSError:
                    return

    try:
        yield root, fill
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


@pytest.fixture()
def read_only_view(tmp_path):
    """`view(src)` -> a read-only bind mount of src (read-only even for root, like a backup on a mounted disk)."""
    mounts: list[Path] = []

    def view(src: Path) -> Path:
        dst = tmp_path / f"ro{len(mounts)}"
        dst.mkdir()
        _mount("--bind", str(src), str(dst))
        mounts.append(dst)
        _mount("-o", "remount,bind,ro", str(dst))
        return dst

    try:
        yield view
    finally:
        for m in reversed(mounts):
            subprocess.run(["umount", "-l", str(m)], check=False)


@pytest.fixture(scope="module")
def talk_clip(tmp_path_factory):
    """10 s: compliant, then 4 s of talking (a real voice), then compliant."""
    return make_session(tmp_path_factory.mktemp("talk"), "talk",
                        [Behaviour("compliant", 5), Behaviour("talking", 4), Behaviour("compliant", 1)],
                        fps=10, seed=5)


@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny")
    return write_clip(d / "tiny.avi", [render_face(size=(320, 240))] * 20, fps=10.0)


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------------------ 1. a journal that cannot be written
@pytest.mark.slow
def test_a_disk_that_fills_during_analyze_is_exit_1_with_what_was_kept_never_a_pass(small_disk, talk_clip,
                                                                                    monkeypatch, capsys, tmp_path):
    disk, fill = small_disk
    monkeypatch.setenv("PROCTORPREP_DATA_DIR", str(disk / "data"))
    filled = threading.Event()

    def fill_once_the_journal_writes() -> None:
        import sqlite3

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for journal in (disk / "data" / "sessions").glob("*/journal.sqlite"):
                try:
                    with sqlite3.connect(journal, timeout=1) as conn:
                        rows = conn.execute("SELECT count(*) FROM face_obs").fetchone()[0]
                except sqlite3.Error:
                    rows = 0
                if rows:                 # the analysis is under way and its first rows are saved: now the disk fills
                    fill()
                    filled.set()
                    return
            time.sleep(0.05)

    threading.Thread(target=fill_once_the_journal_writes, daemon=True).start()
    out = tmp_path / "r.json"
    rc = main(["analyze", str(talk_clip.video), "--audio", str(talk_clip.audio), "--calibration-seconds", "3",
               "--json", str(out)])
    assert filled.is_set()
    captured = capsys.readouterr()
    line = _one_line(captured.err)
    assert rc == 1, line
    assert "could not be saved" in line and "keeps only the first" in line and "no report was written" in line
    assert "pass" not in captured.out.lower() and not out.exists()


def test_no_space_at_all_is_exit_1_and_one_line_not_a_traceback(small_disk, tiny_clip, monkeypatch, capsys,
                                                                tmp_path):
    disk, fill = small_disk
    (disk / "data").mkdir()
    fill()
    monkeypatch.setenv("PROCTORPREP_DATA_DIR", str(disk / "data"))
    rc = main(["analyze", str(tiny_clip), "--calibration-seconds", "1", "--json", str(tmp_path / "r.json")])
    line = _one_line(capsys.readouterr().err)
    assert rc == 1 and "could not be saved" in line and "no report was written" in line
    assert not (tmp_path / "r.json").exists()


# ------------------------------------------------------------------ 2. exports replace only regular files
def _device(tmp_path: Path) -> Path:
    node = tmp_path / "null-device"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))      # like /dev/null
    return node


def test_exports_refuse_a_device_a_fifo_a_link_a_folder_and_a_read_only_file(tmp_path):
    device, fifo, folder = _device(tmp_path), tmp_path / "pipe", tmp_path / "folder"
    os.mkfifo(fifo)
    folder.mkdir()
    link = tmp_path / "stdout-link"
    link.symlink_to("/dev/stdout")
    read_only = tmp_path / "kept.html"
    read_only.write_text("mine")
    read_only.chmod(0o444)
    for target, words in ((device, "a device"), (fifo, "FIFO"), (folder, "a folder"), (link, "symbolic link"),
                          (read_only, "read-only")):
        with pytest.raises(exports.UnsafeTarget, match=words):
            exports.write_file(target, "<html>")
    assert stat.S_ISCHR(device.lstat().st_mode) and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert link.is_symlink() and read_only.read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_existing_world_readable_file_is_replaced_private_and_dash_is_stdout(tmp_path, capsys):
    old = tmp_path / "r.html"
    old.write_text("old")
    old.chmod(0o644)
    exports.write_file(old, "new")
    assert old.read_text() == "new" and stat.S_IMODE(old.stat().st_mode) == 0o600
    exports.write_file("-", "to the screen")
    assert capsys.readouterr().out == "to the screen"


def test_analyze_never_overwrites_its_input_nor_a_device(tiny_clip, tmp_path, capsys):
    before = tiny_clip.read_bytes()
    alias = tmp_path / "alias.avi"
    alias.hardlink_to(tiny_clip)
    for option, target in (("--html", tiny_clip), ("--pdf", alias), ("--observations", tiny_clip),
                           ("--json", _device(tmp_path))):
        rc = main(["analyze", str(tiny_clip), option, str(target)])
        line = _one_line(capsys.readouterr().err)
        assert rc == 2 and option in line, line
    assert tiny_clip.read_bytes() == before
    assert stat.S_ISCHR((tmp_path / "null-device").lstat().st_mode)


def test_report_export_refuses_a_device_node(tmp_path, capsys):
    from proctorprep.report.demo import write_demo_session

    session = write_demo_session(paths.sessions_dir(), duration_s=20.0, fps=5.0)
    device = _device(tmp_path)
    rc = main(["report", session.name, "--html", str(device)])
    line = _one_line(capsys.readouterr().err)
    assert rc == 2 and "is a device" in line
    assert stat.S_ISCHR(device.lstat().st_mode)


# ------------------------------------------------------------------ issue 17 items 6 and 11
def test_a_recording_shorter_than_the_calibration_says_nothing_was_judged(tiny_clip, capsys):
    from proctorprep.journal.history import list_sessions

    rc = main(["analyze", str(tiny_clip), "--calibration-seconds", "5"])
    line = _one_line(capsys.readouterr().err)
    assert rc == 2 and "nothing could be judged" in line and "5 s calibration" in line
    assert list_sessions(paths.sessions_dir()) == []          # not a clean "pass" in history


def test_a_csv_that_cannot_be_written_is_named(small_disk, tiny_clip, capsys):
    disk, fill = small_disk
    fill()
    csv_path = disk / "obs.csv"
    rc = main(["analyze", str(tiny_clip), "--calibration-seconds", "1", "--observations", str(csv_path)])
    line = _one_line(capsys.readouterr().err)
    assert rc == 2 and str(csv_path) in line and "No space" in line and str(tiny_clip) not in line


# ------------------------------------------------------------------ 5. an incident in progress survives a kill
TALKER = r"""
import sys, time
from pathlib import Path
from proctorprep.journal.store import SessionJournal
from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.session.pipeline import PipelineConfig, SessionPipeline
from proctorprep.rules.calibration import Calibration

# the live pipeline and journal in real time; the candidate starts talking at 2 s (lips moving) and does not stop
journal = SessionJournal.create(Path(sys.argv[1]), {"kind": "exam", "profile": "standard"})
pipe = SessionPipeline(PipelineConfig(), journal=journal, calibration=Calibration(source="dots"))
print("SESSION", journal.session_dir, flush=True)
t0 = time.monotonic()
n_face = n_audio = 0
while True:
    t = time.monotonic() - t0
    while n_face / 15 <= t:
        pipe.process_face_observation(FaceObservation(t_s=n_face / 15, faces=1, trustworthy=True, yaw_deg=0.0,
                                      pitch_deg=0.0, gaze_x=0.0, gaze_y=0.0, eyes_open=0.3,
                                      mouth_open=0.02 + (0.15 * (n_face % 3 != 0) if n_face >= 30 else 0.0),
                                      face_x=0.5, face_y=0.5, face_size=0.25))
        n_face += 1
    while n_audio * 0.032 <= t:
        ta = n_audio * 0.032
        talking = ta >= 2.0
        pipe.process_audio_observation(AudioObservation(t_s=ta, duration_s=0.032,
                                       rms_dbfs=-25.0 if talking else -58.0, peak_dbfs=-20.0 if talking else -52.0,
                                       noise_floor_dbfs=-60.0, speech_prob=0.97 if talking else 0.02))
        n_audio += 1
    print("T", round(t, 3), flush=True)
    time.sleep(0.01)
"""


@pytest.mark.slow
def test_talking_in_progress_at_a_sigkill_is_recovered_up_to_the_kill(tmp_path):
    import signal
    import sys

    from proctorprep.journal.recovery import finish_interrupted
    from proctorprep.report.model import build_report

    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-c", TALKER, str(tmp_path / "sessions")], stdout=subprocess.PIPE,
                            text=True, cwd=root)
    session_dir, t_kill = None, 0.0
    try:
        for line in proc.stdout:
            if line.startswith("SESSION"):
                session_dir = Path(line.split(" ", 1)[1].strip())
            elif line.startswith("T ") and float(line.split()[1]) >= 9.0:
                t_kill = float(line.split()[1])
                break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert session_dir is not None and t_kill >= 9.0
    finish_interrupted(session_dir)
    [talk] = [i for i in build_report(session_dir).incidents if i.type == "talking"]
    assert talk.start_s == pytest.approx(2.0, abs=0.3)
    assert talk.end_s >= t_kill - 2.0, (talk.end_s, t_kill)     # at most ~2 s lost, not "1.5 s of talking"
    assert talk.end_s <= t_kill + 0.5


# ------------------------------------------------------------------ 7. variable frame rate keeps its clock
def _vfr_clip(path: Path) -> Path:
    """4 s at 30 fps with a face, then 6 s at 5 fps of an empty seat (as phones and OBS record): the average
    rate is 15 fps, so index / fps would put the leaving at 8 s instead of 4 s."""
    import fractions

    import av

    from tests.fixtures.face_render import render_empty

    face, empty = render_face(size=(320, 240)), render_empty(size=(320, 240))
    times = [i / 30 for i in range(120)] + [4.0 + i / 5 for i in range(30)]
    ms = fractions.Fraction(1, 1000)
    with av.open(str(path), "w") as box:
        vs = box.add_stream("mpeg4", rate=30)
        vs.width, vs.height, vs.pix_fmt = 320, 240, "yuv420p"
        vs.time_base = vs.codec_context.time_base = ms
        for t in times:
            frame = av.VideoFrame.from_ndarray(face if t < 4.0 else empty, format="bgr24")
            frame.pts, frame.time_base = int(round(t * 1000)), ms
            for packet in vs.encode(frame):
                box.mux(packet)
        for packet in vs.encode():
            box.mux(packet)
    return path


@pytest.mark.parametrize("ext", ["mp4", "mkv"])
def test_frame_times_of_a_variable_frame_rate_clip_are_its_timestamps(tmp_path, ext):
    from proctorprep.sources.video import VideoFileSource

    with VideoFileSource(_vfr_clip(tmp_path / f"vfr.{ext}")) as src:
        times = [f.t_s for f in src.frames()]
        assert not src.ended_early                  # a VFR file's frame-count estimate is not a truncation
    assert len(times) == 150
    assert times[119] == pytest.approx(119 / 30, abs=0.01) and times[120] == pytest.approx(4.0, abs=0.01)
    assert times[-1] == pytest.approx(9.8, abs=0.01)
    assert all(b > a for a, b in zip(times, times[1:]))


@pytest.mark.slow
def test_a_face_leaving_at_4_s_of_a_vfr_clip_is_reported_at_4_s(tmp_path):
    from proctorprep.session.pipeline import PipelineConfig
    from proctorprep.session.recording import analyze_recording

    result = analyze_recording(_vfr_clip(tmp_path / "vfr.mp4"), journal_dir=False,
                               config=PipelineConfig(calibration_seconds=2.0, analysis_fps=10))
    [missing] = [i for i in result.incidents if i.type == "face_missing"]
    assert missing.start_s == pytest.approx(4.0, abs=0.3)
    assert result.duration_s == pytest.approx(10.0, abs=0.1)


# ------------------------------------------------------------------ 3. a data folder we cannot write
@pytest.fixture()
def data_with_history(tmp_path):
    """A data folder with two finished sessions and one interrupted one (no final status, no live writer)."""
    from proctorprep.journal.store import SessionJournal
    from proctorprep.report.demo import DEMO_START, write_demo_session

    data = tmp_path / "data"
    write_demo_session(paths.sessions_dir(data), duration_s=70.0, fps=5.0, snapshots=False)   # with incidents
    write_demo_session(paths.sessions_dir(data), duration_s=20.0, fps=5.0, snapshots=False,
                       start=DEMO_START.replace(day=DEMO_START.day + 1))
    j = SessionJournal.create(paths.sessions_dir(data), {"kind": "exam", "exam_title": "Cut short"})
    j.add_exam_event(1.0, "question_shown", {"qid": "q1", "number": 1})
    j.close()                       # closed without finish: interrupted
    return data


def test_read_only_commands_work_on_a_read_only_data_folder(data_with_history, read_only_view, monkeypatch,
                                                            capsys, tmp_path):
    ro = read_only_view(data_with_history)
    monkeypatch.setenv("PROCTORPREP_DATA_DIR", str(ro))
    monkeypatch.chdir(tmp_path)
    for argv in (["report"], ["data"], ["exams"], ["badges"], ["report", "latest", "--json", "latest.json"]):
        assert main(argv) == 0, argv
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err and "skipped" not in captured.out, (argv, captured)
    assert json.loads((tmp_path / "latest.json").read_text())["version"] == 1
    # writing fails with one line that names the folder and the fix
    for argv in (["report", "--recover"], ["analyze", str(tmp_path / "missing.avi")]):
        rc = main(argv)
        line = _one_line(capsys.readouterr().err)
        assert rc in (1, 2) and str(ro) in line and ("writable" in line or "PROCTORPREP_DATA_DIR" in line), line


def test_a_data_folder_that_is_a_file_or_under_a_file_is_one_line(tmp_path, monkeypatch, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    for bad in (afile, afile / "under"):
        monkeypatch.setenv("PROCTORPREP_DATA_DIR", str(bad))
        for argv in (["report"], ["report", "latest"], ["report", "--recover"], ["exams"], ["badges"], ["data"]):
            rc = main(argv)
            line = _one_line(capsys.readouterr().err)
            assert rc == 1 and str(afile) in line and "not a folder" in line, (argv, line)
    assert afile.read_text() == "x"


# ------------------------------------------------------------------ 4. folders that are not ours
def test_a_shared_folder_named_as_data_folder_keeps_its_mode(tmp_path, monkeypatch, capsys, tiny_clip):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setenv("PROCTORPREP_DATA_DIR", str(shared))
    assert main(["data"]) == 0 and main(["report"]) == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    main(["analyze", str(tiny_clip), "--calibration-seconds", "1"])
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "sessions").stat().st_mode) == 0o700      # what we made is private


def test_report_all_into_a_users_folder_leaves_its_mode(data_with_history, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PROCTORPREP_DATA_DIR", str(data_with_history))
    out = tmp_path / "Desktop"
    out.mkdir(mode=0o755)
    out.chmod(0o755)
    assert main(["report", "--all", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o600}


HOLDER = r"""
import sys, time
from pathlib import Path
from proctorprep.journal.store import SessionJournal
j = SessionJournal.create(Path(sys.argv[1]), {"kind": "exam", "exam_title": "Still recording"})
j.add_exam_event(0.5, "question_shown", {"qid": "q1", "number": 1})
j.flush()
print(j.session_dir, flush=True)
time.sleep(60)
"""


def test_delete_all_keeps_a_running_session_and_what_is_not_ours(data_with_history, monkeypatch, capsys):
    import sys

    monkeypatch.setenv("PROCTORPREP_DATA_DIR", str(data_with_history))
    (data_with_history / "notes.txt").write_text("the user's own file")
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(paths.sessions_dir(data_with_history))],
                            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        running = Path(proc.stdout.readline().strip())
        assert running.is_dir()
        rc = main(["data", "--delete-all", "--yes"])
        captured = capsys.readouterr()
        assert rc == 1 and "still being recorded" in captured.err and str(running) in captured.err
        assert "left alone" in captured.out and "notes.txt" in captured.out
        assert running.is_dir() and (running / "journal.sqlite").is_file()
        assert (data_with_history / "notes.txt").read_text() == "the user's own file"
        assert [p for p in paths.sessions_dir(data_with_history).iterdir()] == [running]
    finally:
        proc.kill()
        proc.wait(10)


# ------------------------------------------------------------------ 6. one damaged row hides nothing else
@pytest.mark.parametrize("table, sql", [
    ("incidents", "UPDATE incidents SET data = '{not json' WHERE id = (SELECT min(id) FROM incidents)"),
    ("incidents", "UPDATE incidents SET data = '{\"type\": \"talking\"}' WHERE id = (SELECT min(id) FROM incidents)"),
    ("meta", "UPDATE meta SET value = '{broken' WHERE key = 'started_at'"),
])
def test_one_damaged_row_skips_its_session_with_a_note(data_with_history, monkeypatch, capsys, table, sql):
    import sqlite3

    monkeypatch.setenv("PROCTORPREP_DATA_DIR", str(data_with_history))
    first = sorted(paths.sessions_dir(data_with_history).iterdir())[0]
    conn = sqlite3.connect(first / "journal.sqlite")
    conn.execute(sql)
    conn.commit()
    conn.close()
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert f"skipped: {first / 'journal.sqlite'}" in out and table in out
    listed = [ln for ln in out.splitlines() if ln[:8].isdigit()]
    assert len(listed) == 2 and first.name not in "\n".join(listed)


# ------------------------------------------------------------------ 10. the smaller ones
def test_two_sessions_started_in_the_same_second_get_their_own_ids(tmp_path, monkeypatch):
    from datetime import datetime, timezone

    from proctorprep.journal import store

    suffixes = iter(["beef", "beef", "cafe"])        # the second session draws the first one's suffix first
    monkeypatch.setattr(store.secrets, "token_hex", lambda n: next(suffixes))
    now = datetime(2026, 12, 1, 12, 0, 0, tzinfo=timezone.utc)
    a = store.SessionJournal.create(tmp_path, {"kind": "exam"}, now=now)
    b = store.SessionJournal.create(tmp_path, {"kind": "exam"}, now=now)
    a.close()
    b.close()
    assert a.session_id != b.session_id and a.session_dir.is_dir() and b.session_dir.is_dir()
    with store.JournalReader(b.session_dir) as r:
        assert r.meta()["session_id"] == b.session_id


def _played_over(video: Path, times: int, out: Path) -> Path:
    import cv2

    cap = cv2.VideoCapture(str(video))
    fps = cap.get(cv2.CAP_PROP_FPS) or 15.0
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    for _ in range(times):
        for frame in frames:
            writer.write(frame)
    writer.release()
    return out


@pytest.mark.slow
def test_ctrl_c_during_analyze_keeps_the_session_recoverable(talk_clip, tmp_path):
    import signal
    import sys

    from proctorprep.journal.history import list_sessions
    from proctorprep.journal.recovery import finish_interrupted

    data = tmp_path / "data"
    env = {**os.environ, "PROCTORPREP_DATA_DIR": str(data)}
    # the clip played ten times over: analysed once it took well under a second on a quiet machine, so the
    # analysis could end before the Ctrl-C arrived (exit 0 instead of 130, seen on a clean run)
    video = _played_over(talk_clip.video, 10, tmp_path / "long.avi")
    # Ctrl-C in a terminal reaches the foreground job; a suite started in the background (nohup, `&`) hands its
    # children SIGINT ignored, and Python keeps an ignored SIGINT ignored: put Python's own handler back first
    run_cli = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
               "sys.argv = ['proctorprep', *sys.argv[1:]]; runpy.run_module('proctorprep', run_name='__main__')")
    proc = subprocess.Popen([sys.executable, "-c", run_cli, "analyze", str(video), "--analysis-fps", "5"],
                            env=env, stderr=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((data / "sessions").glob("*/journal.sqlite")):
        time.sleep(0.02)
    time.sleep(0.3)                  # the analysis is starting (mediapipe loads, the first frames go in)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "--recover" in _one_line(err), err
    [info] = list_sessions(data / "sessions")
    assert info.status == "interrupted"
    assert finish_interrupted(info.path).status == "recovered"


def test_notes_and_an_unreadable_snapshot_reach_every_report(tmp_path):
    import sqlite3

    from proctorprep.report.demo import write_demo_session
    from proctorprep.report.export import export_report

    session = write_demo_session(tmp_path / "sessions", duration_s=70.0, fps=5.0)
    conn = sqlite3.connect(session / "journal.sqlite")
    conn.execute("UPDATE status SET summary = ? WHERE id = (SELECT max(id) FROM status)",
                 (json.dumps({"duration_s": 70.0, "calibration_note": "could not calibrate: no clear face",
                              "notes": ["clip.mp4 ended after 10 of 20 frames (the file looks truncated)",
                                        "the soundtrack ends at 3.0 s, 7.0 s before the video"]}),))
    conn.execute("UPDATE incidents SET snapshot = ? WHERE snapshot IS NOT NULL",
                 (b"\xff\xd8\xff\xe0 this is not a picture",))
    assert conn.total_changes >= 2
    conn.commit()
    conn.close()
    out = {k: tmp_path / f"r.{k}" for k in ("html", "pdf", "json")}
    export_report(session, **out)
    doc = json.loads(out["json"].read_text())
    html = out["html"].read_text()
    pdf = subprocess.run(["pdftotext", str(out["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("could not calibrate", "looks truncated", "soundtrack ends at 3.0 s"):
        assert any(words in n for n in doc["notes"]) and words in html and words in " ".join(pdf.split())
    assert "snapshot unreadable" in " ".join(pdf.split())


def _damaged_mp4(path: Path) -> Path:
    """An MP4 (moov first, as phones write it) with a face and 10 s of AAC sound, then bytes in the middle of the
    sound overwritten: its decoder fails there."""
    import av

    rate = 16000
    face = render_face(size=(320, 240))
    with av.open(str(path), "w", options={"movflags": "faststart"}) as box:
        vs = box.add_stream("mpeg4", rate=10)
        vs.width, vs.height, vs.pix_fmt = 320, 240, "yuv420p"
        aus = box.add_stream("aac", rate=rate, layout="mono")
        for _ in range(100):
            for packet in vs.encode(av.VideoFrame.from_ndarray(face, format="bgr24")):
                box.mux(packet)
        for packet in vs.encode():
            box.mux(packet)
        t = np.arange(10 * rate) / rate
        sound = (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        for k in range(0, len(sound), 1024):
            frame = av.AudioFrame.from_ndarray(sound[None, k:k + 1024], format="flt", layout="mono")
            frame.sample_rate, frame.pts = rate, k
            for packet in aus.encode(frame):
                box.mux(packet)
        for packet in aus.encode(None):
            box.mux(packet)
    data = bytearray(path.read_bytes())
    at = int(len(data) * 0.6)
    data[at:at + 3000] = np.random.default_rng(1).integers(0, 256, 3000, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_mp4_soundtrack_keeps_the_readable_part(tmp_path):
    from proctorprep.sources.video_audio import VideoAudioSource

    src = VideoAudioSource(_damaged_mp4(tmp_path / "phone.mp4"))
    blocks = list(src.blocks())
    heard = sum(len(b.samples) for b in blocks) / src.rate
    assert heard >= 5.0                                      # before: the whole analysis was discarded
    assert src.damage_note and "damaged" in src.damage_note and "phone.mp4" in src.damage_note
    assert all(b2.t_s > b1.t_s for b1, b2 in zip(blocks, blocks[1:]))


@pytest.mark.gui
def test_the_results_page_shows_the_sessions_notes(qtbot, isolated_data_dir):
    from PySide6.QtWidgets import QLabel

    from proctorprep.journal.store import SessionJournal
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.results import create_page

    ctx = make_test_context(isolated_data_dir)
    j = SessionJournal.create(ctx.sessions_dir, {"kind": "analysis", "profile": "standard"})
    j.add_exam_event(0.5, "question_shown", {"qid": "q1", "number": 1})
    j.finish({"verdict": "pass", "duration_s": 12.0,
              "notes": ["the soundtrack ends at 3.0 s, 9.0 s before the video: talking after it could not be heard"]})
    page = create_page(ctx)
    qtbot.addWidget(page)
    page.on_enter(journal_path=j.path)
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)
    texts = [w.text() for w in page.findChildren(QLabel)]
    assert any(t.startswith("Note: the soundtrack ends at 3.0 s") for t in texts), texts
    ctx.runner.shutdown()


def test_only_the_overlap_of_a_long_audio_file_and_a_short_video_is_analysed(tiny_clip, tmp_path, monkeypatch):
    import soundfile as sf

    from proctorprep.perception import voice
    from proctorprep.session.recording import AUDIO_AHEAD_S, analyze_recording

    long_audio = tmp_path / "two-minutes.wav"
    noise = np.random.default_rng(3).normal(0, 0.003, 120 * 16000).astype(np.float32)
    sf.write(long_audio, noise, 16000)
    heard: list[float] = []
    real_feed = voice.AudioAnalyser.feed

    def counting_feed(self, block):
        heard.append(block.t_s + len(block.samples) / block.rate)
        return real_feed(self, block)

    monkeypatch.setattr(voice.AudioAnalyser, "feed", counting_feed)
    result = analyze_recording(tiny_clip, audio=long_audio, journal_dir=False)
    assert result.duration_s == pytest.approx(2.0, abs=0.1)
    assert heard and max(heard) <= result.duration_s + AUDIO_AHEAD_S + 1.0     # not 120 s of it
