"""Every item type of the lab bank answered from the keyboard only (offscreen): focus moves to a control as Tab
would put it there, and only key presses change answers. All right gives 1000."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QRadioButton, QSpinBox

from proctorprep.exam import ExamSession
from proctorprep.exam.catalog import load_bundled
from proctorprep.exam.scoring import correct_answer
from proctorprep.ui.widgets.items import make_item_widget

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def key(qtbot, w, k, n: int = 1) -> None:
    w.setFocus()
    for _ in range(n):
        qtbot.keyClick(w, k)


def pick_in_combo(qtbot, combo: QComboBox, data) -> None:
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.findData(data)):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == data


def tick(qtbot, button) -> None:
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def answer_by_keyboard(qtbot, w, view) -> None:
    q = view.question
    kind, want = q.type, correct_answer(q)
    if kind == "single":
        tick(qtbot, w.buttons[want])
    elif kind == "multiple":
        for oid in want:
            tick(qtbot, w.boxes[oid])
    elif kind == "yesno":
        for sid, yes in want.items():
            tick(qtbot, w.groups[sid][0 if yes else 1])
    elif kind == "order":
        for oid in want:
            rows = [w.available.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.available.count())]
            w.available.setFocus()
            qtbot.keyClick(w.available, Qt.Key.Key_Home)
            for _ in range(rows.index(oid)):
                qtbot.keyClick(w.available, Qt.Key.Key_Down)
            qtbot.keyClick(w.available, Qt.Key.Key_Return)
    elif kind in ("matching",):
        for tid, oid in want.items():
            pick_in_combo(qtbot, w.boxes[tid], oid)
    elif kind == "dropdown":
        for bid, oid in want.items():
            pick_in_combo(qtbot, w.combos[bid], oid)
    elif kind in ("short_answer", "numeric"):
        w.first_focus().setFocus()
        qtbot.keyClicks(w.first_focus(), str(want) if kind == "short_answer" else f"{want:g}")
    elif kind == "info":
        pass
    elif kind == "hot_area":
        ids = [r.id for r in q.detail.regions]
        for rid in want:
            w.canvas.setFocus()
            steps = (ids.index(rid) - w.canvas.cursor_index) % len(ids)
            for _ in range(steps):
                qtbot.keyClick(w.canvas, Qt.Key.Key_Right)
            qtbot.keyClick(w.canvas, Qt.Key.Key_Space)
    elif kind == "drag_drop":
        for tid, oid in want.items():
            rows = [w.tiles.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.tiles.count())]
            w.tiles.setFocus()
            qtbot.keyClick(w.tiles, Qt.Key.Key_Home)
            for _ in range(rows.index(oid)):
                qtbot.keyClick(w.tiles, Qt.Key.Key_Down)
            key(qtbot, w.zones[tid], Qt.Key.Key_Return)
    elif kind == "active_screen":
        for ctl in q.detail.controls:
            if ctl.id not in want:
                continue
            c = w.controls[ctl.id]
            if isinstance(c, QComboBox):
                pick_in_combo(qtbot, c, want[ctl.id])
            elif isinstance(c, QCheckBox):
                if c.isChecked() != want[ctl.id]:
                    tick(qtbot, c)
            elif isinstance(c, QSpinBox):
                c.setFocus()
                qtbot.keyClick(c, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
                qtbot.keyClicks(c, str(want[ctl.id]))
            elif isinstance(c, QLineEdit):
                c.setFocus()
                qtbot.keyClicks(c, want[ctl.id])
    elif kind == "solution":
        tick(qtbot, w.yes if want else w.no)
    else:
        raise AssertionError(f"no keyboard recipe for {kind}")


def test_every_item_type_answered_with_the_keyboard_only(qtbot):
    bank = load_bundled("cloud-operations-lab")
    exam = ExamSession(bank)
    exam.start()
    seen = set()
    for i in range(len(exam)):
        assert exam.goto(i)
        view = exam.current
        w = make_item_widget(view)
        qtbot.addWidget(w)
        w.show()
        answer_by_keyboard(qtbot, w, view)
        if view.question.scored:
            assert w.response() is not None, view.question.id
        assert exam.answer(view.question.id, w.response())
        seen.add(view.question.type)
    assert seen >= {"single", "multiple", "yesno", "order", "matching", "short_answer", "numeric", "info",
                    "dropdown", "hot_area", "drag_drop", "active_screen", "solution"}
    r = exam.submit()
    assert r.score == 1000, [(x.qid, x.credit) for x in r.rows if x.credit < 1]


def test_drag_and_drop_is_really_dropped_and_tiles_are_used_once(qtbot):
    bank = load_bundled("cloud-operations-lab")
    exam = ExamSession(bank)
    exam.start()
    i = [q.id for q in exam.questions].index("drag-services")
    w = make_item_widget(exam.view(i))
    qtbot.addWidget(w)
    data = w.tiles.mimeData([w.tiles.item(0)])
    first = w.tiles.item(0).data(Qt.ItemDataRole.UserRole)
    zone = w.zones["files"]
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    zone.dropEvent(drop)
    assert w.response() == {"files": first}
    assert first not in [w.tiles.item(k).data(Qt.ItemDataRole.UserRole) for k in range(w.tiles.count())]
    key(qtbot, w.zones["orders"], Qt.Key.Key_Return)      # the list's current tile goes to "orders"
    assert len(w.response()) == 2 and len(set(w.response().values())) == 2
    key(qtbot, zone, Qt.Key.Key_Delete)
    assert "files" not in w.response()
    other = QMimeData()
    other.setText("not a tile")
    assert not other.hasFormat("application/x-proctorprep-tile")


def test_hot_area_click_selects_the_region_under_the_mouse(qtbot):
    bank = load_bundled("cloud-operations-lab")
    exam = ExamSession(bank)
    exam.start()
    i = [q.id for q in exam.questions].index("portal-nsg")
    w = make_item_widget(exam.view(i))
    qtbot.addWidget(w)
    assert w.canvas.pixmap is not None and w.canvas.width() == 600
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=w.canvas.rect().topLeft() + __import__(
        "PySide6.QtCore", fromlist=["QPoint"]).QPoint(60, 150))
    assert w.response() == ["networking"] and "Networking" in w.status.text()
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=w.canvas.rect().topLeft() + __import__(
        "PySide6.QtCore", fromlist=["QPoint"]).QPoint(60, 190))
    assert w.response() == ["disks"]                     # one to choose: a new click moves the choice
