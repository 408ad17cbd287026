"""What the screenshot tour at 1024x700 showed cut off: the navigation's longest page name ("Renewal round" drawn
as "Renewal rou…") and the badges page, whose three columns of cards were wider than the page (the right-hand
column, the "Start a quick round" button and the end of every line were cut off, with no scroll bar)."""

from __future__ import annotations

import pytest

from tests.test_progress_badges import utc_clock  # noqa: F401  (fixture)
from tests.test_progress_journal import history  # noqa: F401  (fixture)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture()
def window(qtbot, isolated_data_dir):
    from proctorprep.ui.app import build_window
    from proctorprep.ui.context import LaunchOptions

    w = build_window(LaunchOptions())
    qtbot.addWidget(w)
    yield w
    w.shutdown()


def test_every_page_name_fits_the_navigation_unelided(window, qtbot):
    from proctorprep.ui.main_window import NAV_ITEM_MARGIN

    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    nav = window.nav
    titles = [nav.item(i).text() for i in range(nav.count())]
    assert "Renewal round" in titles
    for i, title in enumerate(titles):
        needed = nav.sizeHintForIndex(nav.model().index(i, 0)).width() + 2 * NAV_ITEM_MARGIN
        assert needed <= nav.viewport().width(), title


@pytest.mark.usefixtures("utc_clock")
def test_badge_cards_fit_the_page_at_1024_and_take_three_columns_at_1366(window, qtbot, history):  # noqa: F811
    window.resize(1024, 700)
    window.show()
    window.navigate("badges")
    page = window.page("badges")
    qtbot.waitUntil(lambda: page.progress is not None and bool(page.cards), timeout=10000)
    qtbot.waitUntil(lambda: page.columns == page.fitting_columns())
    body, view = page.scroll.widget(), page.scroll.viewport()
    assert body.minimumSizeHint().width() <= view.width()      # nothing pushed out past the right edge
    assert body.width() <= view.width()
    for card in page.cards:
        right = card.mapTo(body, card.rect().topRight()).x()
        assert right < view.width(), card.status.badge.id
    assert page.quick_btn.mapTo(body, page.quick_btn.rect().topRight()).x() < view.width()
    assert page.columns < 3

    window.resize(1366, 768)
    qtbot.waitUntil(lambda: page.columns == 3)
    assert body.minimumSizeHint().width() <= view.width()
