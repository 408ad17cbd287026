"""Exam conditions end to end through Qt: a break in a scripted exam (the page, the live session, the pipeline),
screens from Qt's offscreen platform configured with two screens, a screen added mid-exam (Qt's screenAdded), and
the exam window's focus taken by another program's window under Xvfb."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from proctorprep.exam.catalog import load_bundled
from proctorprep.exam.session import ExamSession
from proctorprep.perception.observations import FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.session.pipeline import PipelineConfig, SessionPipeline
from tests.test_ui_pages import window  # noqa: F401  (the app window fixture)

ROOT = Path(__file__).resolve().parents[1]


def _face(t: float, faces: int = 1) -> FaceObservation:
    if not faces:
        return FaceObservation(t_s=t, faces=0, frame_size=(640, 480))
    return FaceObservation(t_s=t, faces=1, trustworthy=True, yaw_deg=0.0, pitch_deg=0.0, roll_deg=0.0, gaze_x=0.0,
                           gaze_y=0.0, eyes_open=0.3, mouth_open=0.02, face_x=0.5, face_y=0.5, face_size=0.25,
                           frame_size=(640, 480))


def _exam(window, bank_id: str):  # noqa: F811
    s = window.ctx.session
    live = s.live
    live.exam = ExamSession(load_bundled(bank_id), clock=s.clock.now, listener=live._exam_event)
    live.pipeline = SessionPipeline(PipelineConfig(live=True), calibration=Calibration(source="dots"))
    live.exam_t0 = s.clock.now()
    live.exam.start()
    live.replay_check_in()                     # as the controller does once the pipeline runs
    window.navigate("exam")
    page = window.page("exam")
    page._ready()
    return s, page


def test_a_break_in_a_scripted_exam(window, qtbot):  # noqa: F811
    s, page = _exam(window, "cloud-fundamentals")
    assert page.break_btn.isVisibleTo(page) and page.break_btn.isEnabled()
    page.next()
    seen = [s.exam.questions[0].id, s.exam.questions[1].id]
    assert page.take_break()
    assert page.stack.currentWidget() is page.break_screen and not page.next_btn.isEnabled()
    assert "The clock keeps running" in page.break_text.text() and "2 questions are locked" in page.break_text.text()
    pipe = s.pipeline
    now = s.clock.now()
    for k in range(40):                       # the candidate leaves the camera's view: fine during a break
        pipe.process_face_observation(_face(now + k * 0.1, faces=0))
    page._tick()
    assert not page.resume_btn.isEnabled() and "sit in front of the camera" in page.break_status.text()
    assert not page.end_break()                # no face, no return
    qtbot.wait(50)
    t = s.clock.now()
    for k in range(16):                        # back in view for 1.5 s, up to now
        pipe.process_face_observation(_face(t - 1.5 + k * 0.1))
    page._tick()
    assert page.resume_btn.isEnabled() and page.break_status.text() == "You are in view again."
    page.resume_btn.click()
    assert page.stack.currentIndex() == 1 and s.exam.index == 2
    assert all(s.exam.view(i).locked for i in (0, 1)) and not s.exam.view(2).locked
    assert not s.exam.goto(0)
    pipe.finish(s.clock.now() + 1)
    assert [i.type for i in pipe.incidents()] == []      # 4 s out of view, during the break


def test_no_break_button_when_the_bank_allows_none(window):  # noqa: F811
    s, page = _exam(window, "proctoring-etiquette")
    assert not page.break_btn.isVisibleTo(page)
    window.ctx.actions.trigger("exam_break")
    assert page.stack.currentIndex() == 1 and not s.exam.on_break


def test_a_screen_added_mid_exam_is_heard_through_qt_at_once(window, qtbot, monkeypatch):  # noqa: F811
    from PySide6.QtGui import QGuiApplication

    from proctorprep.ui.conditions import ConditionsWatcher

    s, page = _exam(window, "cloud-fundamentals")
    heard = []
    w = ConditionsWatcher(window, lambda ev: heard.append(ev) or s.live.condition(ev), s.clock.now)
    w.start()
    app = QGuiApplication.instance()
    one = list(QGuiApplication.screens())
    assert [e.value for e in heard if e.kind == "screens"] == [len(one)] == [1]
    monkeypatch.setattr(QGuiApplication, "screens", staticmethod(lambda: one + one))
    app.screenAdded.emit(one[0])               # what Qt emits when a monitor is plugged in
    w.stop()
    assert [e.value for e in heard if e.kind == "screens"] == [1, 2]
    s.pipeline.finish(s.clock.now())
    (inc,) = [i for i in s.pipeline.incidents() if i.type == "second_screen"]
    assert inc.start_s == heard[-1].t_s and "during the exam" in inc.explanation


SCRIPT = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication, QWidget
from PySide6.QtCore import QTimer
from proctorprep.rules.calibration import Calibration
from proctorprep.session.pipeline import PipelineConfig, SessionPipeline
from proctorprep.ui.conditions import ConditionsWatcher

mode = sys.argv[1]
app = QApplication(sys.argv[:1])
w = QWidget(); w.setWindowTitle("exam"); w.resize(400, 300); w.show(); w.activateWindow()
t0 = time.monotonic()
clock = lambda: time.monotonic() - t0
pipe = SessionPipeline(PipelineConfig(overrides={"window_grace_s": 1.0}), calibration=Calibration(source="dots"))
events = []
def publish(ev):
    events.append([round(ev.t_s, 2), ev.kind, ev.value])
    pipe.process_event(ev)
watcher = ConditionsWatcher(w, publish, clock)
other = []
def start():
    watcher.start()
    if mode == "focus":        # another program's window takes the focus for ~3 s
        other.append(__import__("subprocess").Popen([sys.executable, "-c", OTHER]))
def tick():                    # the camera's frames: the engine's clock
    from proctorprep.perception.observations import FaceObservation
    pipe.process_face_observation(FaceObservation(t_s=clock(), faces=1))
def done():
    watcher.stop()
    pipe.finish(clock())
    print(json.dumps({"events": events, "incidents": [i.to_dict() for i in pipe.incidents()]}))
    app.quit()
OTHER = '''
import sys
from PySide6.QtWidgets import QApplication, QWidget
from PySide6.QtCore import QTimer
app = QApplication(sys.argv); o = QWidget(); o.setWindowTitle("other"); o.show(); o.activateWindow(); o.raise_()
QTimer.singleShot(3000, app.quit); app.exec()
'''
timer = QTimer(); timer.timeout.connect(tick); timer.start(100)
QTimer.singleShot(300, start)
QTimer.singleShot(int(float(sys.argv[2]) * 1000), done)
app.exec()
for p in other:
    p.wait(10)
"""


def _run(mode: str, seconds: float, env: dict) -> dict:
    r = subprocess.run([sys.executable, "-c", SCRIPT, mode, str(seconds)], cwd=ROOT, env={**os.environ, **env},
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_two_screens_at_the_check_in_from_qts_offscreen_platform(tmp_path):
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [
        {"name": "Built-in", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1},
        {"name": "HDMI-1", "x": 1366, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96,
         "logicalBaseDpi": 96, "dpr": 1}]}))
    out = _run("screens", 1.5, {"QT_QPA_PLATFORM": f"offscreen:configfile={config}"})
    assert ["screens", 2] in [e[1:] for e in out["events"]]
    (inc,) = [i for i in out["incidents"] if i["type"] == "second_screen"]
    assert inc["evidence"]["at_check_in"] and inc["evidence"]["names"][1].startswith("HDMI-1")
    one = _run("screens", 1.0, {"QT_QPA_PLATFORM": "offscreen"})
    assert [i for i in one["incidents"] if i["type"] == "second_screen"] == []


@pytest.mark.slow
def test_focus_taken_by_another_window_under_xvfb():
    assert shutil.which("Xvfb"), "the UI tests need Xvfb (as the screenshot tour does)"
    display = f":{170 + os.getpid() % 50}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        out = _run("focus", 7.0, {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    states = [e[2] for e in out["events"] if e[1] == "window"]
    assert states[0] == "active" and "inactive" in states
    (inc,) = [i for i in out["incidents"] if i["type"] == "left_exam_window"]
    assert inc["evidence"]["state"] == "inactive" and inc["end_s"] - inc["start_s"] >= 1.0
    assert "another window was in front" in inc["explanation"]


def test_a_window_manager_flicker_is_not_leaving_the_window_and_a_real_absence_is(qtbot):
    """A few milliseconds away (a window going full screen) publish nothing; an absence that lasts is published
    once it has lasted SETTLE_S, and coming back at once."""
    from PySide6.QtWidgets import QWidget

    from proctorprep.ui.conditions import SETTLE_S, ConditionsWatcher

    w = QWidget()
    qtbot.addWidget(w)
    heard: list[tuple[float, str]] = []
    t0 = time.monotonic()
    watcher = ConditionsWatcher(w, lambda ev: heard.append((ev.t_s, ev.value)) if ev.kind == "window" else None,
                                lambda: time.monotonic() - t0)
    state = ["active"]
    watcher.window_state = lambda: state[0]          # what Qt would say, scripted
    watcher.start()
    assert [v for _, v in heard] == ["active"]
    state[0] = "inactive"                             # the flicker
    watcher._update()
    qtbot.wait(int(SETTLE_S * 1000 / 5))
    state[0] = "active"
    watcher._update()
    qtbot.wait(int(SETTLE_S * 1000 * 2))
    assert [v for _, v in heard] == ["active"]
    state[0] = "inactive"                             # another program in front, for real
    left = time.monotonic() - t0
    watcher._update()
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=2000)
    assert heard[1][1] == "inactive" and heard[1][0] - left >= SETTLE_S * 0.9
    state[0] = "minimised"                            # one kind of absence to another: at once
    watcher._update()
    state[0] = "active"
    watcher._update()
    assert [v for _, v in heard] == ["active", "inactive", "minimised", "active"]
    watcher.stop()
