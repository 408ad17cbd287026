"""What the screenshot tour at 1024x700 showed cut off: the navigation's longest page name ("Renewal round" drawn
as "Renewal rou…") and the badges page, whose three columns of cards were wider than the page (the right-hand
column, the "Start a quick round" button and the end of every line were cut off, with no scroll bar)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.test_progress_badges import utc_clock  # noqa: F401  (fixture)
from tests.test_progress_journal import history  # noqa: F401  (fixture)
from tests.test_ui_pages import _start_exam, window  # noqa: F401  (window: fixture)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _exam_page_at_1024(window, bank_id: str = "cloud-fundamentals"):
    """The exam page at 1024x700 with the first question of a bundled bank on screen (no devices)."""
    from proctorprep.exam.catalog import load_bundled

    window.resize(1024, 700)
    window.show()
    return _start_exam(window, load_bundled(bank_id))


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


def test_the_reference_pane_at_1024_wraps_its_heading_and_draws_its_tab_arrows(window, qtbot):
    from PySide6.QtWidgets import QToolButton

    page = _exam_page_at_1024(window, "cloud-operations-lab")
    s = window.ctx.session
    s.exam.goto([q.id for q in s.exam.questions].index("numeric-memory"))
    page.render()
    page.reference_btn.setChecked(True)
    pane = page.reference
    qtbot.waitUntil(lambda: pane.isVisible() and pane.width() > 0)
    # the heading was cut at "the clock keeps r" in the 310 px pane
    assert pane.head.wordWrap()
    assert pane.head.heightForWidth(pane.head.width()) <= pane.head.height()
    bar = pane.tabs.tabBar()
    if bar.sizeHint().width() > bar.width():             # the tabs overflow: their scroll arrows must be drawn
        arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
        assert arrows
        for b in arrows:
            img = b.grab().toImage()
            colours = {img.pixel(x, y) for x in range(img.width()) for y in range(img.height())}
            assert len(colours) > 2, "an empty scroll button: no arrow drawn"
    page._timer.stop()


def test_device_messages_on_the_system_check_float_over_the_picture_not_the_checklist(window, qtbot):
    # tools/screenshot_no_devices.py: at the page's top right the two cards covered "Face found" and its fix
    window.resize(1024, 700)
    window.show()
    window.navigate("check")
    check = window.page("check")
    window.ctx.show_banner("camera", "Camera unavailable: camera 9 could not be opened; check that no other app "
                           "uses it and that the app may access the camera", "warning")
    window.ctx.show_banner("microphone", "No microphone was found. Plug one in (or check that the sound server is "
                           "running); the exam goes on video-only.", "warning")
    qtbot.waitUntil(lambda: window.banners.isVisible() and check.view.width() > 0)
    stack = window.stack

    def rect(w):
        return w.rect().translated(w.mapTo(stack, w.rect().topLeft()))

    cards = window.banners.geometry()
    assert not cards.intersects(rect(check.lamps["face"].parentWidget()))     # the Checklist box
    assert rect(check.view).contains(cards)
    window.navigate("home")                         # other pages: the top right, as before
    assert window.banners.geometry().right() > rect(check.view).right()


def test_message_cards_in_the_exams_side_column_give_their_text_the_width_and_the_height(window, qtbot):
    # tools/screenshot_proctor_end.py: beside its Dismiss button the text had 80 px of the 196 px card, and the
    # threshold message was cut at its top, its bottom and in 'speech_prob'
    from proctorprep.ui.widgets.banner import Banner

    page = _exam_page_at_1024(window)
    window.ctx.show_banner("thresholds", "Threshold overrides in the settings not used: 'speech_prob': expected "
                           "0.05 to 0.99, got 5; the standard default 0.5 is used. Correct them on the Settings "
                           "page.", "warning")
    window.ctx.show_banner("camera", "No camera. The exam still runs; this gap is not counted against you.",
                           "warning")
    qtbot.waitUntil(lambda: window.banners.isVisible())
    qtbot.wait(50)
    area = window.banners
    assert area.width() <= page.overlay_width
    for card in area.findChildren(Banner):
        label = card.label
        assert label.width() >= card.width() - 40, card.key          # the buttons are under the text
        assert label.height() >= label.heightForWidth(label.width()), card.key
        assert label.minimumSizeHint().width() <= label.width(), card.key
        assert card.geometry().bottom() < area.height()
    page._timer.stop()


def _contrast(a, b) -> float:
    def lum(c):
        def ch(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_a_refused_threshold_stays_readable_in_both_themes(window, theme):
    # the refused cell's background was red.lighter(170), near white: the dark theme's light text vanished on it
    window.apply_theme(theme)
    try:
        window.navigate("settings")
        page = window.page("settings")
        page.table.item(0, 2).setText("abc")
        page._collect_overrides()
        cell = page.table.item(0, 2)
        text = page.table.palette().text().color()
        assert _contrast(cell.background().color(), text) >= 4.5
    finally:
        window.apply_theme("light")


@pytest.mark.parametrize("dark", [True, False])
def test_a_disabled_button_looks_disabled_but_stays_legible(dark):
    # tools/screenshot_conditions.py break screen, dark: the disabled footer's text was the secondary-text grey
    # (8.3:1 against 13.4:1), and the buttons looked as clickable as ever
    from PySide6.QtGui import QColor

    from proctorprep.ui.theme import stylesheet, tokens

    t = tokens(dark)
    text, muted, disabled = (_contrast(QColor(c), QColor(t.window)) for c in (t.text, t.muted, t.disabled))
    assert 2.5 <= disabled <= 0.6 * muted and disabled <= text / 3
    assert f"QPushButton:disabled {{ color: {t.disabled};" in stylesheet(t)


def test_the_exams_key_hint_at_1024_names_every_key_instead_of_ending_in_an_ellipsis(window, qtbot):
    page = _exam_page_at_1024(window)
    page.break_btn.show()                     # this bank allows breaks: the footer's fullest at 1024
    qtbot.wait(50)
    hint = page.keys_hint
    assert "…" not in hint.text() and all(k in hint.text() for k in ("Alt+P", "Alt+N", "Alt+M", "Alt+R"))
    assert hint.toolTip() == "Alt+P previous · Alt+N next · Alt+M mark · Alt+R review"
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: hint.text() == hint.full_text())
    page._timer.stop()


def test_button_icons_are_tinted_as_their_text_and_follow_a_theme_change(window):
    # results 'Practise weak areas': a black cap on blue (light) and a near-white one on light blue (dark); and
    # after a theme chosen in Settings the other buttons kept the old theme's icon colour
    from PySide6.QtGui import QColor

    from proctorprep.ui.theme import tokens

    def ink(button):
        img = button.icon().pixmap(20, 20).toImage()
        seen = [img.pixelColor(x, y) for x in range(20) for y in range(20)]
        return max(seen, key=lambda c: c.alpha()).name()

    results = window.page("results")
    for theme, dark in (("dark", True), ("light", False)):
        window.apply_theme(theme)
        t = tokens(dark)
        assert ink(results.practice_btn) == QColor(t.accent_text).name()
        assert ink(results.retake_btn) == window.palette().color(window.palette().ColorRole.WindowText).name()


def test_no_page_of_the_navigation_needs_a_sideways_scroll_bar_at_1024(window, qtbot):
    # the navigation grew to 190 px: Home's mock exam row (a 40-character combo box and two buttons) was 825 px
    # on an 818 px page
    from PySide6.QtWidgets import QApplication, QScrollArea

    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    for i in range(window.nav.count()):
        key = window.nav.item(i).data(Qt.ItemDataRole.UserRole)
        window.navigate(key)
        page = window.page(key)
        if key == "home":
            qtbot.waitUntil(lambda: page.exam_combo.count() > 0, timeout=20000)
        QApplication.processEvents()
        for area in page.findChildren(QScrollArea):
            if area.isVisible() and area.widgetResizable() and area.widget() is not None:
                need, room = area.widget().minimumSizeHint().width(), area.viewport().width()
                assert need <= room, f"{key}: {need} px of content on a {room} px page"
