"""`proctorprep analyze A B C --jobs 2`: each file its own session and reports, bad files do not stop the others,
nothing existing is overwritten, the exit code is the worst file's."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from proctorprep.cli import main
from proctorprep.cli.analyze_batch import collect, worst
from proctorprep.exports import write_file
from tests.fixtures.sessions import Behaviour, make_session, mux

# short clips (rendering is the costly part): 2 s of calibration, then something to judge; the middle one has an
# empty seat, the third is a copy of the first under another name
SCRIPTS = ([Behaviour("compliant", 6)], [Behaviour("compliant", 3), Behaviour("face_missing", 3.5)])


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> list[Path]:
    d = tmp_path_factory.mktemp("clips")
    out = []
    for i, script in enumerate(SCRIPTS):
        s = make_session(d, f"raw{i}", script, fps=10, size=(320, 240), seed=i)
        out.append(mux(s.video, s.audio, d / f"clip{i}.mkv"))
    out.append(d / "clip2.mkv")
    out[2].write_bytes(out[0].read_bytes())
    return out


def sessions(data: Path) -> list[Path]:
    root = data / "sessions"
    return sorted(p for p in root.iterdir() if (p / "journal.sqlite").exists()) if root.exists() else []


@pytest.mark.slow
def test_three_clips_and_a_bad_file_with_two_jobs(clips, tmp_path, isolated_data_dir, capsys):
    videos = tmp_path / "videos"
    videos.mkdir()
    for c in clips:
        (videos / c.name).write_bytes(c.read_bytes())
    (videos / "broken.mp4").write_text("not a video\n" * 20)
    (videos / "notes.txt").write_text("not a video either, and not looked at")
    out = tmp_path / "reports"
    rc = main(["analyze", str(videos), "--jobs", "2", "--calibration-seconds", "2", "--out", str(out),
               "--formats", "json,html,csv"])
    cap = capsys.readouterr()
    assert rc == 2                                         # the worst file: a bad input
    err = cap.err.strip().splitlines()
    assert len(err) == 1 and "broken.mp4" in err[0] and "not a video" in err[0]
    progress = [ln for ln in cap.out.splitlines() if ln.startswith("[")]
    assert len(progress) == 3 and all("/4]" in ln for ln in progress)      # one line per good file
    for i in range(3):
        doc = json.loads((out / f"clip{i}-report.json").read_text())
        assert doc["duration_s"] == pytest.approx(6.0 if i != 1 else 6.5, abs=0.3)
        assert (out / f"clip{i}-report.html").read_text().lstrip().lower().startswith("<!doctype html")
        assert (out / f"clip{i}-observations.csv").read_text().startswith("t_s,faces,")
        assert (out / f"clip{i}-report.json").stat().st_mode & 0o777 == 0o600
    kinds = [i["type"] for i in json.loads((out / "clip1-report.json").read_text())["incidents"]]
    assert kinds == ["face_missing"]
    assert [i["type"] for i in json.loads((out / "clip0-report.json").read_text())["incidents"]] == []
    assert len(sessions(isolated_data_dir)) == 3           # each file its own session
    table = cap.out.splitlines()[-6:]
    assert table[0].split()[:3] == ["file", "result", "incidents"]
    assert any("broken.mp4" in ln and "exit 2" in ln for ln in table)
    assert table[-1].startswith("3 of 4 files analysed without a problem") and "2 jobs" in table[-1]


@pytest.mark.slow
def test_reports_beside_each_video_never_replace_an_existing_file(clips, tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    first, second = a / "clip.mkv", b / "clip2.mkv"
    first.write_bytes(clips[0].read_bytes())
    second.write_bytes(clips[2].read_bytes())
    mine = a / "clip-report.json"
    mine.write_text("the user's own notes")
    os.chmod(mine, 0o644)
    rc = main(["analyze", str(first), str(second), "--jobs", "1", "--calibration-seconds", "2"])
    assert rc == 0, capsys.readouterr().err
    assert mine.read_text() == "the user's own notes" and mine.stat().st_mode & 0o777 == 0o644
    assert json.loads((a / "clip-report-2.json").read_text())["version"] == 1
    assert (a / "clip-report.html").exists() and (b / "clip2-report.json").exists()
    # run again: the reports of the first run stay, the new ones take the next free names
    assert main(["analyze", str(first), "--formats", "json", "--calibration-seconds", "2"]) == 0
    assert (a / "clip-report-3.json").exists() and mine.read_text() == "the user's own notes"


def test_batch_refuses_single_file_options_and_a_bad_out(tmp_path, capsys):
    clip = tmp_path / "x.mp4"
    clip.write_bytes(b"\0" * 100)
    for args, words in ((["--json", str(tmp_path / "r.json")], "--formats json"),
                        (["--audio", str(clip)], "one soundtrack"),
                        (["--formats", "html,docx"], "--formats html,docx"),
                        (["--jobs", "0"], "--jobs 0"),
                        (["--out", str(clip)], "is not a folder")):
        assert main(["analyze", str(clip), str(clip), *args]) == 2
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert words in line
    assert not list(tmp_path.glob("*-report*"))


def test_a_folder_gives_its_videos_in_name_order_once_and_an_empty_folder_is_said(tmp_path):
    d = tmp_path / "clips"
    (d / "sub").mkdir(parents=True)
    for name in ("b.mp4", "a.MKV", "notes.txt", ".hidden.mp4", "sub/c.mp4"):
        (d / name).write_bytes(b"x")
    empty = tmp_path / "empty"
    empty.mkdir()
    videos, failed = collect([str(d), str(d / "b.mp4"), str(empty), str(tmp_path / "gone.mp4")])
    assert [v.name for v in videos] == ["a.MKV", "b.mp4", "gone.mp4"]
    assert len(failed) == 1 and failed[0].code == 2 and "no video files" in failed[0].message


def test_the_exit_code_is_the_worst_files():
    assert worst([0, 0]) == 0 and worst([0, 2, 0]) == 2 and worst([2, 1, 0]) == 1 and worst([1, 130, 2]) == 130
    assert worst([]) == 0


def test_keep_existing_takes_the_next_free_name_and_never_replaces_anything(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("old")
    (tmp_path / "r-2.json").symlink_to(tmp_path / "elsewhere")       # a dangling link is a taken name too
    (tmp_path / "r-3.json").mkdir()                                   # and so is a folder
    assert write_file(target, "new", keep_existing=True) == tmp_path / "r-4.json"
    assert write_file(target, "newer", keep_existing=True) == tmp_path / "r-5.json"
    assert target.read_text() == "old" and not (tmp_path / "elsewhere").exists()
    assert (tmp_path / "r-4.json").read_text() == "new" and (tmp_path / "r-5.json").read_text() == "newer"
    assert (tmp_path / "r-5.json").stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".*.tmp"))
