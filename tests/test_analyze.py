"""`proctorprep analyze` end to end on a short generated session (real face frames, real voices), and its errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from proctorprep.cli import main
from tests.fixtures.sessions import Behaviour, make_session, mux

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = [Behaviour("compliant", 7), Behaviour("looking_away", 3.5, "left"), Behaviour("compliant", 4),
          Behaviour("talking", 4), Behaviour("compliant", 3), Behaviour("face_missing", 3), Behaviour("compliant", 2)]


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    return make_session(tmp_path_factory.mktemp("session"), "short", SCRIPT, fps=15, seed=3)


def matches(found: list[dict], truth: list[dict], tol: float = 1.0) -> bool:
    """Same types in the same order, each overlapping its true span (start within tol)."""
    if [f["type"] for f in found] != [t["type"] for t in truth]:
        return False
    return all(abs(f["start_s"] - t["start_s"]) <= tol and f["end_s"] > t["start_s"] and f["start_s"] < t["end_s"]
               for f, t in zip(found, truth))


@pytest.mark.slow
def test_analyze_finds_each_behaviour_and_writes_the_contract(session, tmp_path, isolated_data_dir, capsys):
    out, obs = tmp_path / "r.json", tmp_path / "obs.csv"
    rc = main(["analyze", str(session.video), "--audio", str(session.audio), "--json", str(out),
               "--observations", str(obs), "--html", str(tmp_path / "r.html")])
    assert rc == 0
    assert capsys.readouterr().err == ""              # quiet when stderr is not a terminal
    doc = json.loads(out.read_text())
    assert doc["version"] == 1 and doc["duration_s"] == pytest.approx(session.duration_s, abs=0.2)
    assert doc["calibration"]["source"] == "recording" and doc["calibration"]["range_x_deg"] >= 8
    assert matches(doc["incidents"], session.truth["incidents"]), doc["incidents"]
    look = doc["incidents"][0]
    assert look["direction"] == "left" and look["severity"] == "warning" and 0.5 <= look["confidence"] <= 1
    assert look["evidence"]["peak_angle_deg"] > 24 and "to the left" in look["explanation"]
    assert set(doc["summary"]) >= {"by_type", "verdict", "compliant_fraction"}
    assert doc["summary"]["by_type"]["talking"]["count"] == 1 and doc["summary"]["verdict"] == "warned"
    assert 0.5 < doc["summary"]["compliant_fraction"] < 0.9
    assert (tmp_path / "r.html").read_text().lstrip().lower().startswith("<!doctype html")
    rows = list(csv.DictReader(obs.open()))
    assert list(rows[0]) == ["t_s", "faces", "yaw_deg", "pitch_deg", "roll_deg", "gaze_x", "gaze_y", "eyes_open",
                             "mouth_open", "face_x", "face_y", "face_size", "brightness", "rms_dbfs", "speech_prob",
                             "mouth_dark"]
    assert len(rows) == pytest.approx(session.duration_s * 15, abs=2)
    _, talking, missing = session.truth["incidents"]
    empty = [r for r in rows if missing["start_s"] + 0.1 < float(r["t_s"]) < missing["end_s"] - 0.1]
    assert empty and all(r["faces"] == "0" and r["yaw_deg"] == "" and r["rms_dbfs"] != "" for r in empty)
    assert all(r["mouth_dark"] == "" for r in empty) and any(r["mouth_dark"] != "" for r in rows)
    talk = [float(r["speech_prob"]) for r in rows if talking["start_s"] < float(r["t_s"]) < talking["end_s"]]
    assert max(talk) > 0.9
    # journaled as an analysis session in the user's data folder, so `report` can export it again
    (sdir,) = (isolated_data_dir / "sessions").iterdir()
    assert (sdir / "journal.sqlite").stat().st_mode & 0o777 == 0o600


@pytest.mark.slow
def test_analyze_uses_the_videos_own_soundtrack_and_says_when_there_is_none(session, tmp_path):
    both = mux(session.video, session.audio, tmp_path / "both.mkv")
    out = tmp_path / "a.json"
    assert main(["analyze", str(both), "--json", str(out), "--analysis-fps", "10"]) == 0
    doc = json.loads(out.read_text())
    assert [i["type"] for i in doc["incidents"]] == ["looking_away", "talking", "face_missing"]
    # without any audio the talking face is lips moving with nothing heard: reported, and said to be uncertain
    out2 = tmp_path / "b.json"
    assert main(["analyze", str(session.video), "--json", str(out2), "--analysis-fps", "10"]) == 0
    doc2 = json.loads(out2.read_text())
    kinds = [i["type"] for i in doc2["incidents"]]
    assert "talking" not in kinds and "mouthing" in kinds
    mouthing = next(i for i in doc2["incidents"] if i["type"] == "mouthing")
    assert mouthing["evidence"]["no_audio"] is True and "no sound was being recorded" in mouthing["explanation"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "proctorprep", "analyze", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "missing.mp4", "not found"),
    (lambda d: (d / "empty.mp4").write_bytes(b"") or d / "empty.mp4", "empty"),
    (lambda d: (d / "notes.mp4").write_text("just text\n" * 50) and d / "notes.mp4", "not a video"),
])
def test_bad_video_is_one_line_and_exit_2(tmp_path, make, words):
    path = make(tmp_path)
    r = run_cli(str(path))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and str(path) in lines[0] and "Traceback" not in r.stderr


def test_bad_options_are_one_line_and_exit_2(session, tmp_path):
    bad_audio = tmp_path / "voice.wav"
    bad_audio.write_text("not audio")
    for args, words in (
        ([str(session.video), "--audio", str(bad_audio)], str(bad_audio)),
        ([str(session.video), "--calibration-seconds", "0"], "--calibration-seconds"),
        ([str(session.video), "--json", str(tmp_path / "nope" / "r.json")], "does not exist"),
    ):
        r = run_cli(*args)
        assert r.returncode == 2, r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and "Traceback" not in r.stderr


def test_a_bad_threshold_override_in_the_settings_is_named_and_replaced_by_its_default(session, isolated_data_dir,
                                                                                     capsys):
    # issue 15 item 9: a bad override never stops the analysis (it used to exit 2); it is named and its default used
    (isolated_data_dir / "settings.json").write_text(json.dumps(
        {"profile": "strict", "threshold_overrides": {"strict": {"away_dwell": 3, "speech_prob": 5,
                                                                 "away_margin_deg": 4.0}}}))
    assert main(["analyze", str(session.video)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["proctorprep: settings threshold_overrides['strict']: threshold override 'away_dwell' is not a "
                   "known threshold; ignored",
                   "proctorprep: settings threshold_overrides['strict']: threshold override 'speech_prob': expected "
                   "0.05 to 0.99, got 5; the strict default 0.5 is used"]
    from proctorprep.journal.history import list_sessions
    from proctorprep.report.model import build_report

    info = list_sessions()[-1]
    report = build_report(info.path)
    assert report.thresholds["speech_prob"] == 0.5 and report.thresholds["away_margin_deg"] == 4.0   # the valid one
    assert any("speech_prob" in n for n in report.threshold_notes)


def test_progress_bar_draws_one_line_and_reaches_100_percent():
    import io

    from proctorprep.cli.analyze import ProgressBar

    buf = io.StringIO()
    bar = ProgressBar(buf, width=10)
    for t in (0.0, 5.0, 10.0):
        bar(t, 10.0)
    bar.done()
    text = buf.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1
    assert "[##########] 100%  10/10 s" in text.split("\r")[-1]


@pytest.mark.slow
def test_a_truncated_video_is_analysed_as_far_as_it_goes_then_exit_2(session, tmp_path, capsys):
    cut = tmp_path / "cut.avi"
    data = session.video.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    out = tmp_path / "cut.json"
    assert main(["analyze", str(cut), "--json", str(out)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert str(cut) in line and "truncated" in line and "were written" in line
    doc = json.loads(out.read_text())
    assert 5 < doc["duration_s"] < session.duration_s * 0.75


@pytest.mark.slow
def test_a_soundtrack_shorter_than_the_video_is_said_and_stops_hearing(session, tmp_path):
    import soundfile as sf

    from proctorprep.session.pipeline import PipelineConfig
    from proctorprep.session.recording import analyze_recording

    samples, rate = sf.read(str(session.audio), dtype="float32")
    short = tmp_path / "short.wav"
    sf.write(str(short), samples[: rate * 10], rate)
    r = analyze_recording(session.video, short, PipelineConfig(analysis_fps=10), journal_dir=False)
    assert r.journal_path is None and not r.truncated
    assert any("soundtrack ends at 10.0 s" in n for n in r.notes)
    # the talking after the soundtrack's end cannot be heard; the moving lips are reported as such
    kinds = [i.type for i in r.incidents]
    assert "talking" not in kinds and "mouthing" in kinds
