"""The badges page: shows earned and missing badges from the journals, streaks, exports a badge, keeps the name
in the settings, and forgets the badges of a deleted session on the next visit."""

from __future__ import annotations

import pytest
from PIL import Image

from proctorprep import settings
from proctorprep.journal.history import delete_session
from tests.test_progress_badges import utc_clock  # noqa: F401  (fixture)
from tests.test_progress_journal import history  # noqa: F401  (fixture)

# The offscreen platform warns that it cannot propagate size hints when a window is shown: not our warning.
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("utc_clock"), pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture()
def page(qtbot, isolated_data_dir):
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.badges import create_page

    ctx = make_test_context(isolated_data_dir)
    ctx.settings.candidate_name = "Ada Lovelace"
    p = create_page(ctx)
    qtbot.addWidget(p)
    yield p
    ctx.runner.shutdown()


def show(qtbot, page):
    page.progress = None
    page.on_enter()
    qtbot.waitUntil(lambda: page.progress is not None and bool(page.cards), timeout=10000)


def cards(page) -> dict:
    return {c.status.badge.id: c for c in page.cards}


def test_page_shows_badges_streaks_and_next_goal(qtbot, page, history):  # noqa: F811
    _, ids = history
    show(qtbot, page)
    got = cards(page)
    assert got["proctor-ready"].state.text() == "Earned 7 Nov 2026 in AZ-900 practice, 7 Nov 2026 18:00"
    assert got["proctor-ready"].export_btn.isEnabled()
    assert page.summary.text().startswith(f"7 of {len(page.cards)} badges earned.")
    assert "Clean sessions in a row: 4 (best 4)." in page.trend_text.text()
    assert len(page.chart.points) == 5 and page.chart.points[0].per_hour == 8.0
    assert not got["proctor-ready"].icon.pixmap().isNull()
    got["proctor-ready"].open_btn.click()
    assert page.ctx.navigated[-1] == ("results", {"journal_path": page.ctx.sessions_dir / ids["s6"] / "journal.sqlite"})
    assert got["proctor-ready"].open_btn.isVisibleTo(page)


def test_export_one_badge_and_remember_the_name(qtbot, page, history, tmp_path):  # noqa: F811
    show(qtbot, page)
    dest = tmp_path / "exported"
    page.choose_folder = lambda: str(dest)
    page.name_edit.setText("Grace Hopper")
    cards(page)["steady"].export_btn.click()
    qtbot.waitUntil(lambda: page.status_line.text().startswith("Saved"), timeout=10000)
    assert sorted(p.name for p in dest.iterdir()) == ["steady.png", "steady.svg"]
    assert "Grace Hopper" in (dest / "steady.svg").read_text()
    assert Image.open(dest / "steady.png").size == (600, 600)
    assert settings.load(page.ctx.data_dir / "settings.json")[0].candidate_name == "Grace Hopper"
    assert page.ctx.banners["badges"][1] == "info"


def test_cancelled_dialog_exports_nothing(qtbot, page, history):  # noqa: F811
    show(qtbot, page)
    page.choose_folder = lambda: ""
    page.export_all_btn.click()
    assert page.status_line.text() == "" and "badges" not in page.ctx.banners


def test_empty_history_and_deleted_sessions(qtbot, page, history):  # noqa: F811
    root, ids = history
    for sid in ids.values():
        delete_session(sid, root)
    show(qtbot, page)
    assert page.summary.text().startswith("0 of ")
    ready = cards(page)["proctor-ready"]
    assert not ready.export_btn.isEnabled() and not ready.open_btn.isVisibleTo(page)
    assert ready.state.text() == "No finished proctored session of at least 2 minutes yet: " \
                                 "start a mock exam."
    assert not page.export_all_btn.isEnabled()
    assert page.trend_text.text().startswith("No finished proctored session of 2 minutes")
