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
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            wal = list((disk / "data" / "sessions").glob("*/journal.sqlite-wal"))
            if wal and wal[0].stat().st_size > 0:
                fill()
                filled.set()
                return
            time.sleep(0.02)

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
