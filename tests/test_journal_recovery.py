"""A session killed with SIGKILL mid-exam is found on the next start, finished, and reported up to its last ~2 s."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from proctorprep.journal.history import list_sessions
from proctorprep.journal.recovery import find_interrupted, finish_interrupted
from proctorprep.journal.store import JournalReader
from proctorprep.report.model import build_report

ROOT = Path(__file__).resolve().parents[1]

# The child runs a session in real time: 30 fps face, 32 ms audio, a question every 0.5 s, an incident every 1 s.
# After each step it prints the session time it has handed to the journal, so the parent knows what was written.
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from proctorprep.journal.store import SessionJournal
    from proctorprep.perception.observations import AudioObservation, FaceObservation
    from proctorprep.rules.incidents import Incident

    j = SessionJournal.create(Path(sys.argv[1]), {"kind": "exam", "exam_title": "Killed exam", "profile": "standard"})
    j.set_calibration({"yaw_deg": 0.0, "pitch_deg": 0.0})
    print("SESSION", j.session_dir, flush=True)
    t0 = time.monotonic()
    frame = 0
    next_q = next_inc = 0.0
    while True:
        t = time.monotonic() - t0
        while frame / 30 <= t:
            j.add_face(FaceObservation(t_s=frame / 30, faces=1, trustworthy=True, yaw_deg=1.0, pitch_deg=0.0,
                                       gaze_x=0.0, gaze_y=0.0, mouth_open=0.02))
            j.add_audio(AudioObservation(t_s=frame / 30, duration_s=0.032, rms_dbfs=-50.0, peak_dbfs=-44.0,
                                         noise_floor_dbfs=-60.0, speech_prob=0.1))
            frame += 1
        if t >= next_q:
            n = int(next_q / 0.5) + 1
            j.add_exam_event(next_q, "question_shown", {"qid": f"q{n}", "number": n})
            next_q += 0.5
        if t >= next_inc:
            j.add_incident(Incident("looking_away", next_inc, next_inc + 0.4, direction="left",
                                    explanation="turned left"))
            next_inc += 1.0
        print("T", round(frame / 30, 3), round(next_q - 0.5, 3), round(next_inc - 1.0, 3), flush=True)
        time.sleep(0.01)
""")


def _run_and_kill(sessions: Path, run_for_s: float) -> tuple[Path, float, float, float]:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(sessions)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env=dict(os.environ))
    try:
        session_dir = None
        last = (0.0, 0.0, 0.0)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("SESSION"):
                session_dir = Path(line.split(" ", 1)[1].strip())
            elif line.startswith("T "):
                last = tuple(float(x) for x in line.split()[1:])
                if last[0] >= run_for_s:
                    # while it runs, the session is "running", never offered for recovery
                    assert [s.status for s in list_sessions(sessions)] == ["running"]
                    assert find_interrupted(sessions) == []
                    break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    assert session_dir is not None
    return session_dir, *last


def test_sigkill_mid_exam_loses_at_most_the_last_two_seconds(tmp_path):
    sessions = tmp_path / "sessions"
    session_dir, t_face, t_question, t_incident = _run_and_kill(sessions, run_for_s=3.0)

    interrupted = find_interrupted(sessions)
    assert [s.id for s in interrupted] == [session_dir.name]
    assert interrupted[0].status == "interrupted"

    info = finish_interrupted(session_dir)
    assert info.status == "recovered"
    assert find_interrupted(sessions) == []
    assert info.duration_s >= t_face - 2.0

    with JournalReader(session_dir) as r:
        events = r.exam_events()
        incidents = r.incidents()
        face_rows = r.face_rows()
        audio_rows = r.audio_rows()
    # every question shown, incident and observation up to 2 s before the kill is in the journal
    shown = {e.data["number"] for e in events if e.kind == "question_shown"}
    assert set(range(1, int((t_question - 2.0) / 0.5) + 2)) <= shown
    starts = {round(i.incident.start_s, 3) for i in incidents}
    assert {float(k) for k in range(int(t_incident - 2.0) + 1)} <= starts
    assert face_rows and face_rows[-1].t_s >= t_face - 2.0
    assert audio_rows and audio_rows[-1].t_s >= t_face - 2.0
    # and nothing was invented: rows are complete 0.2 s bins of 30 fps frames
    assert all(row.n <= 6 for row in face_rows)

    report = build_report(session_dir)
    assert report.status == "recovered"
    assert len(report.incidents) == len(incidents)
    assert [m.label for m in report.questions][:3] == ["Q1", "Q2", "Q3"]
    assert report.plots and report.duration_s == info.duration_s


def test_rebuilding_a_recovered_report_gives_identical_files(tmp_path):
    from proctorprep.report.html import render_html
    from proctorprep.report.json_report import dumps
    from proctorprep.report.pdf import render_pdf_bytes

    sessions = tmp_path / "sessions"
    session_dir, *_ = _run_and_kill(sessions, run_for_s=1.0)
    finish_interrupted(session_dir)
    first, second = build_report(session_dir), build_report(session_dir)
    assert render_html(first) == render_html(second)
    assert dumps(first) == dumps(second)
    assert render_pdf_bytes(first) == render_pdf_bytes(second)
    # finishing twice changes nothing
    assert finish_interrupted(session_dir).status == "recovered"
    assert render_html(build_report(session_dir)) == render_html(first)
