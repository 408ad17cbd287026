"""The whole desktop flow with file sources, offscreen: home → check → calibration → exam (answer, mark, review,
submit) → results showing the incidents the clip contains → export."""

from __future__ import annotations

import json
import threading

import pytest

from tests.ui_clip import END_S, make_clip

# The offscreen platform warns that it cannot propagate size hints when a window is shown: not our warning.
pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("ui_clip"))


def test_whole_session_with_file_sources(qtbot, clip, tmp_path):
    from proctorprep.ui.app import build_window
    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import run_session

    video, audio = clip
    before = {t.ident for t in threading.enumerate()}
    launch = LaunchOptions(video=str(video), audio=str(audio), exam="proctoring-etiquette", profile="standard",
                           calibration_dot_s=5.0 / 6)
    window = build_window(launch)
    qtbot.addWidget(window)
    window.resize(1180, 820)
    window.show()

    def wait(pred, timeout_s):
        qtbot.waitUntil(pred, timeout=int(timeout_s * 1000))

    try:
        out = run_session(window, wait, END_S + 0.5, tmp_path / "export")
    finally:
        window._leave_confirmed = True     # a failure mid-exam must still stop every thread
        window.close()
    assert out["marked_rows"] == 1
    assert "looking away" in out["warning"].lower(), out["warning"]   # the live warning names the rule
    report = out["report"]
    types = {r.type for r in report.incidents}
    assert "looking_away" in types, types
    assert "face_missing" in types, types
    assert "talking" in types, types
    away = next(r for r in report.incidents if r.type == "looking_away")
    assert 6.5 <= away.start_s <= 10.5
    assert report.exam is not None and report.exam.score is not None
    results = window.page("results")
    labels = [results.incidents.item(r, 3).text() for r in range(results.incidents.rowCount())]
    assert any("away" in label.lower() for label in labels)
    data = json.loads((tmp_path / "export" / "report.json").read_text())
    assert {i["type"] for i in data["incidents"]} >= {"looking_away", "face_missing"}
    assert (tmp_path / "export" / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "<html" in (tmp_path / "export" / "report.html").read_text().lower()
    assert not window.ctx.session._video and not window.ctx.session._audio   # devices stopped after the exam
    # Closing the window stopped every thread this session started (feeds, background pool, journal writer).
    left = [t.name for t in threading.enumerate() if t.ident not in before
            and t.name.startswith(("proctorprep", "journal-", "camera-"))]
    assert left == [], left
