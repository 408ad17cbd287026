"""The candidate's whole journey with file sources, offscreen, at the two window sizes a candidate is likely to
have (a small laptop 1024x700 and the common 1366x768): home -> check -> calibration -> exam (every item type, a
live proctor message) -> review -> submit -> results -> export -> history -> reopen two reports one after the
other -> settings. Asserts what a person would see: one report on the results page, answers neither elided nor
clipped, no sideways scrolling in the exam, a proctor message that moves nothing, no "(s)" plurals or internal
keys in any text on screen."""

from __future__ import annotations

import gc

import json
import re
import threading

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QTableWidget, QWidget

from tests.ui_clip import END_S, make_clip

# The offscreen platform warns that it cannot propagate size hints when a window is shown: not our warning.
pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.qt_log_ignore("propagateSizeHints")]

# Words a candidate must never read: internal keys (incident types, device kinds, threshold names).
INTERNAL = re.compile(r"\b(?:[a-z]+_){1,4}[a-z]+\b")


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("ui_clip"))


def _visible_texts(root: QWidget) -> list[str]:
    texts = []
    for w in root.findChildren(QLabel) + root.findChildren(QAbstractButton):
        if w.isVisibleTo(root) and w.text():
            texts.append(w.text())
    for t in root.findChildren(QTableWidget):
        if t.isVisibleTo(root):
            texts += [t.item(r, c).text() for r in range(t.rowCount()) for c in range(t.columnCount())
                      if t.item(r, c) is not None]
            texts += [t.horizontalHeaderItem(c).text() for c in range(t.columnCount()) if t.horizontalHeaderItem(c)]
    return texts


def _wording_problems(root: QWidget) -> list[str]:
    bad = []
    for text in _visible_texts(root):
        if "/" in text or "\\\\" in text:          # a file path may hold anything
            continue
        if "(s)" in text or INTERNAL.search(text):
            bad.append(text)
    return bad


def _clipped(label: QLabel, viewport: QWidget) -> str | None:
    """Why `label` does not show its whole text, or None."""
    if not label.isVisibleTo(viewport) or not label.text():
        return None
    if label.wordWrap():
        if label.heightForWidth(label.width()) > label.height() + 1:
            return f"cut at the bottom: {label.text()!r}"
    elif label.fontMetrics().horizontalAdvance(label.text()) > label.contentsRect().width() + 1:
        return f"cut at the right: {label.text()!r}"
    right = label.mapTo(viewport, QPoint(label.width(), 0)).x()
    if right > viewport.width() + 1:
        return f"runs {right - viewport.width()} px past the pane: {label.text()!r}"
    return None


def _geometry(page) -> dict[str, tuple[int, int, int, int]]:
    win = page.window()
    widgets = {"prompt": page.prompt, "item": page.item, "next": page.next_btn, "prev": page.prev_btn,
               "scroll": page.scroll}
    widgets.update({f"answer_{k}": w for k, w in getattr(page.item, "rows", {}).items()})
    out = {}
    for name, w in widgets.items():
        p = w.mapTo(win, QPoint(0, 0))
        out[name] = (p.x(), p.y(), w.width(), w.height())
    return out


@pytest.mark.parametrize("size", [(1024, 700), (1366, 768)], ids=["1024x700", "1366x768"])
def test_the_candidates_journey_reads_right_at_every_step(qtbot, clip, tmp_path, size, isolated_data_dir, cues):
    from proctorprep import paths
    from proctorprep.report.demo import write_demo_session
    from proctorprep.ui.app import build_window
    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.session import LiveWarning
    from proctorprep.ui.tour import run_session

    video, audio = clip
    # An earlier session in the history, so two different reports are opened one after the other.
    write_demo_session(paths.sessions_dir(isolated_data_dir), duration_s=120.0, fps=5.0, snapshots=False)
    before = {t.ident for t in threading.enumerate()}
    launch = LaunchOptions(video=str(video), audio=str(audio), exam="cloud-fundamentals", profile="standard",
                           calibration_dot_s=5.0 / 6)
    window = build_window(launch)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    seen: dict[str, list] = {"questions": [], "results": [], "wording": [], "moved": [], "clipped": [],
                             "sideways": []}

    def inspect(stage: str, widget) -> None:
        qtbot.wait(30)                              # let the layout settle, as a person's eye would
        seen["wording"] += [(stage, t) for t in _wording_problems(widget)]  # noqa
        if stage == "question":
            page = widget
            seen["questions"].append(page.item.question.type)
            viewport = page.scroll.viewport()
            answers = [r.label for r in getattr(page.item, "rows", {}).values()]
            answers += [w for w in page.item.findChildren(QLabel) if w.objectName() == "yesno_statement"]
            answers += [page.prompt]
            seen["clipped"] += [why for a in answers if (why := _clipped(a, viewport))]
            for area in page.findChildren(QAbstractScrollArea):
                if area.isVisibleTo(page) and area.horizontalScrollBar().isVisible():
                    seen["sideways"].append(area.objectName() or type(area).__name__)
            if page.scroll.widget().width() > viewport.width():
                seen["sideways"].append("question pane wider than its view")
            win = page.window()
            for w in (page.next_btn, page.clock_toggle, page.self_view, page.full_btn):
                if w.isVisible() and w.mapTo(win, QPoint(w.width(), 0)).x() > win.width():
                    seen["clipped"].append(f"{w.objectName() or type(w).__name__} off the window")
        elif stage == "warning":
            page = widget
            page.card.dismiss()
            window.ctx.clear_banner("camera")
            qtbot.wait(30)
            still = _geometry(page)
            page.show_warning(LiveWarning(page.ctx.session.clock.now(), "looking_away", "", "warn",
                                          "Please keep your eyes on the screen.",
                                          "Head turned 32° to the left for 4.5 s.", "Doing this once more ends "
                                          "the exam."))
            window.ctx.show_banner("camera", "The camera stopped delivering pictures.", "warning")
            qtbot.wait(30)
            assert page.card.isVisible() and len(page.log.entries) >= 2
            seen["clipped"] += [why for a in (page.card.request, page.card.reason) if (why := _clipped(a, page.card))]
            if _geometry(page) != still:
                seen["moved"].append((still, _geometry(page)))
            window.ctx.clear_banner("camera")
        elif stage == "results":
            bodies = [w for w in widget.findChildren(QWidget) if w.objectName() == "report_body"]
            verdicts = [w for w in widget.findChildren(QLabel) if w.objectName() == "verdict_label"]
            seen["results"].append((widget.report.session_id, len(bodies), len(verdicts)))

    try:
        # A 90-character title: the clock, Next and the self-view must stay on the window.
        window.ctx.session.exam_ready.connect(lambda: window.page("exam").title.setText(
            "Cloud Fundamentals — a practice exam with a title long enough to push everything off the bar"))
        frozen: list[int] = []       # the exam's long-lived objects are out of the collector's way (gc_pauses.py)
        window.ctx.session.exam_ready.connect(lambda: frozen.append(gc.get_freeze_count()))
        out = run_session(window, lambda pred, t: qtbot.waitUntil(pred, timeout=int(t * 1000)), END_S + 0.5,
                          tmp_path / "export", inspect=inspect)
        assert frozen and frozen[0] > 10_000, frozen
        assert gc.get_freeze_count() == 0              # handed back when the exam ended
    finally:
        window._leave_confirmed = True     # a failure mid-exam must still stop every thread
        window.close()
    assert {"single", "multiple", "yesno", "order", "matching"} <= set(seen["questions"]), seen["questions"]
    assert seen["clipped"] == []
    assert seen["sideways"] == []
    assert seen["moved"] == [], "a proctor message moved the question"
    assert seen["wording"] == []
    # The results page holds exactly one report, each time one is opened, and each is the one asked for.
    assert all(bodies == 1 and verdicts == 1 for _sid, bodies, verdicts in seen["results"]), seen["results"]
    assert len(set(out["opened"])) == 2
    assert cues, "the warning sound was not played"

    assert out["marked_rows"] == 1
    assert "eyes on the screen" in out["warning"].lower(), out["warning"]   # the proctor speaks to the candidate
    report = out["report"]
    types = {r.type for r in report.incidents}
    assert {"looking_away", "face_missing", "talking"} <= types, types
    away = next(r for r in report.incidents if r.type == "looking_away")
    assert 6.5 <= away.start_s <= 10.5
    assert report.exam is not None and report.exam.score is not None
    data = json.loads((tmp_path / "export" / "report.json").read_text())
    assert {i["type"] for i in data["incidents"]} >= {"looking_away", "face_missing"}
    assert (tmp_path / "export" / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "<html" in (tmp_path / "export" / "report.html").read_text().lower()
    leftover = [t for t in threading.enumerate() if t.ident not in before and t.is_alive() and not t.daemon]
    assert leftover == []


def test_the_live_face_analyser_keeps_opencv_on_its_callers_threads():
    import cv2

    from proctorprep.ui.session import make_face_analyser

    before = cv2.getNumThreads()
    try:
        cv2.setNumThreads(2)
        make_face_analyser().close()
        assert cv2.getNumThreads() == 1       # the pool's wake-ups cost more than it saves here (session/threads.py)
    finally:
        cv2.setNumThreads(before)
