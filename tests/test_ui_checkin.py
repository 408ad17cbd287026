"""The check-in page (offscreen): a clip of a real face stands in for the camera; the headshot is taken and passes,
the ID photo is taken and fails (no card in view), the workspace photos are skipped, the checklist is ticked but for
one item; rehearsed from Home it journals nothing and goes back Home; before an exam its result is in the session
record and its headshot's face is the identity reference."""

from __future__ import annotations

import pytest

from tests.fixtures.face_render import render_face, write_clip

pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture()
def window(qtbot, isolated_data_dir, tmp_path):
    from proctorprep.ui.app import build_window
    from proctorprep.ui.context import LaunchOptions

    clip = write_clip(tmp_path / "seat.avi", (render_face(yaw=0.5 * (i % 5)) for i in range(30)), fps=10.0)
    w = build_window(LaunchOptions())
    qtbot.addWidget(w)
    setup = w.ctx.session.setup
    setup.video_file, setup.use_microphone = str(clip), False
    w.ctx.settings.candidate_name = "Eileen Collins"
    yield w
    w.shutdown()


def _wait(qtbot):
    return lambda cond, timeout_s: qtbot.waitUntil(cond, timeout=int(timeout_s * 1000))


def test_rehearsing_the_check_in_from_home(window, qtbot, isolated_data_dir) -> None:
    from proctorprep.ui.tour import run_checkin

    home = window.page("home")
    assert home.checkin_btn.text() == "Rehearse the check-in"
    window.navigate("checkin", rehearsal=True)
    page = window.page("checkin")
    assert page.title.text() == "Rehearse the check-in"
    run_checkin(window, _wait(qtbot))
    res = page.checkin.result()
    photos = {p.kind: p for p in res.photos}
    assert photos["headshot"].passed
    assert not photos["id"].passed and "card_found" in {v.check for v in photos["id"].failures}
    assert all(photos[f"workspace_{s}"].skipped for s in ("front", "left", "right", "behind"))
    assert dict(res.confirmations.ticked)["one_monitor"] is False and not res.passed
    assert window.current_key == "home"
    sessions = isolated_data_dir / "sessions"
    assert not sessions.exists() or not any(sessions.iterdir())          # a rehearsal journals nothing


def test_the_check_in_before_an_exam_goes_into_the_record_and_the_identity_check(window, qtbot) -> None:
    from types import SimpleNamespace

    from proctorprep.ui.tour import run_checkin

    window.navigate("check")
    window.navigate("checkin")
    run_checkin(window, _wait(qtbot))
    assert window.current_key == "calibrate"
    live = window.ctx.session.live
    record = live.new_record(SimpleNamespace(id="x", title="X"))
    assert record.checkin is not None and record.checkin["rehearsal"] is False
    assert {p["kind"]: p["passed"] for p in record.checkin["photos"]}["headshot"] is True
    ref = live.checkin_reference
    assert ref is not None and ref.face is not None and ref.face.shape == (128,)
    assert ref.headshot_frame is not None and ref.headshot_frame.shape[:2] == (480, 640)
