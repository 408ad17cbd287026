"""The exam: one question at a time (every item type), clock (hideable), progress, mark for review, device status,
optional self-view and live proctor warnings. Under the strict profile a warning pauses the exam until the
candidate acknowledges it. When the proctor's policy ends the exam, a screen says what ended it, when and the rule,
and offers the report or practice mode (decided in proctorprep.session.proctor; this page only shows it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox, QFrame, QHBoxLayout, QMessageBox, QPushButton, QScrollArea, QStackedWidget, QTabWidget,
    QVBoxLayout, QWidget,
)

from proctorprep.rules.incident_types import incident_type
from proctorprep.ui.context import AppContext
from proctorprep.ui.widgets.items import make_item_widget
from proctorprep.ui.widgets.items.base import plain_label
from proctorprep.ui.widgets.meters import DeviceStatus
from proctorprep.ui.widgets.video_view import VideoView


def create_page(ctx: AppContext) -> QWidget:
    return ExamPage(ctx)


def format_clock(seconds: float | None) -> str:
    if seconds is None:
        return "untimed"
    s = int(max(0, seconds) + 0.999)
    return f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"


class ExamPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.item: Any = None
        self._connected = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)

        header = QHBoxLayout()
        self.title = plain_label("", wrap=False)
        self.title.setStyleSheet("font-weight: 600;")
        header.setSpacing(18)
        header.addWidget(self.title, 1)
        self.devices = DeviceStatus()
        header.addWidget(self.devices)
        self.progress = plain_label("", wrap=False)
        self.progress.setObjectName("exam_progress")
        self.progress.setStyleSheet("font-weight: 600;")
        header.addWidget(self.progress)
        self.clock = plain_label("", wrap=False)
        self.clock.setObjectName("exam_clock")
        self.clock.setStyleSheet("font-family: monospace; font-size: 13pt;")
        header.addWidget(self.clock)
        self.clock_toggle = QCheckBox("Show time")
        self.clock_toggle.setChecked(ctx.settings.show_timer)
        self.clock_toggle.toggled.connect(self._toggle_clock)
        header.addWidget(self.clock_toggle)
        outer.addLayout(header)

        self.notice = plain_label("")
        self.notice.setObjectName("exam_notice")
        self.notice.hide()
        outer.addWidget(self.notice)
        self.proctor = plain_label("")
        self.proctor.setObjectName("proctor_warning")
        self.proctor.setStyleSheet("background: #b71c1c; color: white; padding: 8px; border-radius: 4px;"
                                   " font-weight: 600;")
        self.proctor.hide()
        outer.addWidget(self.proctor)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        # 0: waiting, 1: the question, 2: paused by the proctor, 3: ended by the proctor
        self.waiting = plain_label("Preparing the exam and the proctor…")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.waiting)

        qpage = QWidget()
        qlay = QHBoxLayout(qpage)
        qlay.setContentsMargins(0, 0, 0, 0)
        self.case_tabs = QTabWidget()
        self.case_tabs.setObjectName("case_tabs")
        self.case_tabs.setMinimumWidth(320)
        qlay.addWidget(self.case_tabs, 2)
        right = QVBoxLayout()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        right.addWidget(self.scroll, 1)
        qlay.addLayout(right, 3)
        side = QVBoxLayout()
        self.self_view = VideoView(placeholder="camera")
        self.self_view.setFixedSize(200, 150)
        side.addWidget(self.self_view)
        side.addStretch(1)
        qlay.addLayout(side)
        self.stack.addWidget(qpage)

        paused = QWidget()
        play = QVBoxLayout(paused)
        play.addStretch(1)
        self.pause_text = plain_label("")
        self.pause_text.setObjectName("pause_text")
        self.pause_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pause_text.setStyleSheet("font-size: 14pt;")
        play.addWidget(self.pause_text)
        self.ack_btn = QPushButton("I understand — continue the exam")
        self.ack_btn.setObjectName("acknowledge_warning")
        self.ack_btn.clicked.connect(self.acknowledge)
        play.addWidget(self.ack_btn, 0, Qt.AlignmentFlag.AlignCenter)
        play.addStretch(1)
        self.stack.addWidget(paused)
        self.stack.addWidget(self._end_screen())

        footer = QHBoxLayout()
        self.prev_btn = QPushButton("←  Previous")
        self.mark_btn = QPushButton("Mark for review")
        self.mark_btn.setCheckable(True)
        self.mark_btn.setObjectName("mark_button")
        self.review_btn = QPushButton("Review screen")
        self.next_btn = QPushButton("Next  →")
        self.next_btn.setObjectName("next_button")
        for b in (self.prev_btn, self.mark_btn):
            footer.addWidget(b)
        footer.addStretch(1)
        self.keys_hint = plain_label("Alt+P previous · Alt+N next · Alt+M mark · Alt+R review", wrap=False)
        self.keys_hint.setStyleSheet("color: palette(mid);")
        footer.addWidget(self.keys_hint)
        footer.addStretch(1)
        for b in (self.review_btn, self.next_btn):
            footer.addWidget(b)
        outer.addLayout(footer)
        self.prev_btn.clicked.connect(self.prev)
        self.next_btn.clicked.connect(self.next)
        self.mark_btn.clicked.connect(self.toggle_mark)
        self.review_btn.clicked.connect(self.open_review)

        a = ctx.actions
        menu = "&Exam" if hasattr(ctx.window, "menuBar") else None
        a.register("exam_next", "Next question", "Alt+N", self.next, page="exam", menu=menu)
        a.register("exam_prev", "Previous question", "Alt+P", self.prev, page="exam", menu=menu)
        a.register("exam_mark", "Mark for review", "Alt+M", self.toggle_mark, page="exam", menu=menu)
        a.register("exam_review", "Review screen", "Alt+R", self.open_review, page="exam", menu=menu)
        a.register("exam_clock", "Show or hide the clock", "Alt+T",
                   lambda: self.clock_toggle.toggle(), page="exam", menu=menu)

        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        self._proctor_timer = QTimer(self)
        self._proctor_timer.setSingleShot(True)
        self._proctor_timer.timeout.connect(self.proctor.hide)

    def _end_screen(self) -> QWidget:
        ended = QWidget()
        ended.setObjectName("proctor_ended")
        outer = QHBoxLayout(ended)
        box = QWidget()
        box.setMaximumWidth(640)               # a readable measure at any window width
        lay = QVBoxLayout(box)
        lay.setSpacing(12)
        lay.addStretch(1)
        title = plain_label("The proctor ended your exam")
        title.setObjectName("end_title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        lay.addWidget(title)
        self.end_text = plain_label("")
        self.end_text.setObjectName("end_text")
        self.end_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.end_text.setStyleSheet("font-size: 12pt;")
        lay.addWidget(self.end_text)
        self.end_hint = plain_label(
            "In a real exam it would stop here. This is a rehearsal, so you can finish it for practice: the clock "
            "and the scoring go on, and anything the proctor sees from now on is marked \"after the end\" in the "
            "report.")
        self.end_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.end_hint)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addStretch(1)
        self.report_btn = QPushButton("See the report")
        self.report_btn.setObjectName("end_see_report")
        self.report_btn.setDefault(True)
        self.report_btn.clicked.connect(self.see_report)
        self.practice_btn = QPushButton("Continue in practice mode")
        self.practice_btn.setObjectName("end_practice")
        self.practice_btn.clicked.connect(self.continue_in_practice)
        row.addWidget(self.report_btn)
        row.addWidget(self.practice_btn)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(1)
        outer.addStretch(1)
        outer.addWidget(box, 10)
        outer.addStretch(1)
        return ended

    # ---- lifecycle ------------------------------------------------------------------------------------------
    @property
    def exam(self) -> Any:
        return self.ctx.session.exam

    def on_enter(self, start: bool = False, **_kw: Any) -> None:
        s = self.ctx.session
        self.ctx.lock_navigation(True)
        if not self._connected:
            s.exam_ready.connect(self._ready)
            s.exam_finished.connect(self._finished)
            s.live_warning.connect(self.show_warning)
            s.device_changed.connect(self._device)
            s.frame_ready.connect(self._frame)
            s.failed.connect(self._failed)
            self._connected = True
        for dev, state in (("camera", s.camera_state), ("microphone", s.mic_state)):
            self.devices.set_device(dev, state)
        self.self_view.setVisible(self.ctx.settings.show_self_view)
        if start:
            self.stack.setCurrentIndex(0)
            self.waiting.setText("Preparing the exam and the proctor…")
            self._load_bank_and_start()
        elif self.exam is not None:
            self.render()
            self._timer.start()

    def on_leave(self) -> None:
        # The clock keeps ticking on the review screen (auto-submit must still happen there).
        pass

    def shutdown(self) -> None:
        self._timer.stop()

    def _load_bank_and_start(self) -> None:
        ref = self.ctx.session.setup.bank_ref
        user_dir = self.ctx.data_dir / "exams"

        def load() -> Any:
            from pathlib import Path

            from proctorprep.exam.catalog import find_bank, load_bank

            if ref and Path(ref).is_file():
                return load_bank(ref)
            return find_bank(ref or "", user_dir)

        self.ctx.run_background(load, self.ctx.session.start_exam, self._failed)

    def _ready(self) -> None:
        exam = self.exam
        self.title.setText(exam.bank.title)
        self.notice.hide()
        self.notice.setStyleSheet("")
        self.report_btn.setEnabled(True)
        self.practice_btn.setEnabled(True)
        self.stack.setCurrentIndex(1)
        self._set_footer(True)
        self.render()
        self._timer.start()

    def _failed(self, message: str) -> None:
        self.waiting.setText(message)
        self.stack.setCurrentIndex(0)
        self.ctx.lock_navigation(False)

    # ---- rendering ------------------------------------------------------------------------------------------
    def render(self) -> None:
        exam = self.exam
        if exam is None or exam.finished:
            return
        view = exam.current
        self.progress.setText(f"Question {view.number} of {view.total}")
        self.mark_btn.setChecked(view.marked)
        self.mark_btn.setText("Marked for review" if view.marked else "Mark for review")
        self.prev_btn.setEnabled(exam.can_goto(view.index - 1))
        self.next_btn.setEnabled(view.index + 1 < view.total)
        self.case_tabs.clear()
        if view.case is not None:
            for tab in view.case.tabs:
                page = QScrollArea()
                page.setWidgetResizable(True)
                text = plain_label(tab.text)
                text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                text.setContentsMargins(8, 8, 8, 8)
                page.setWidget(text)
                self.case_tabs.addTab(page, tab.title.replace("&", "&&"))
            self.case_tabs.show()
        else:
            self.case_tabs.hide()
        host = QWidget()
        lay = QVBoxLayout(host)
        if view.case is not None:
            title = view.case.title
            case = plain_label(title if title.lower().startswith("case study") else f"Case study: {title}")
            case.setStyleSheet("font-weight: 600;")
            lay.addWidget(case)
        self.prompt = plain_label(view.question.prompt)
        self.prompt.setObjectName("question_prompt")
        self.prompt.setStyleSheet("font-size: 12pt;")
        lay.addWidget(self.prompt)
        self.item = make_item_widget(view)
        self.item.setObjectName("item_widget")
        self.item.changed.connect(self._answered)
        self.item.set_locked(view.locked)
        lay.addWidget(self.item, 1)
        self.scroll.setWidget(host)
        first = self.item.first_focus()
        if first is not None:
            first.setFocus()
        self._tick()

    def _answered(self) -> None:
        if self.exam is not None and self.item is not None:
            self.exam.answer(self.item.question.id, self.item.response())

    def _toggle_clock(self, on: bool) -> None:
        self.ctx.settings.show_timer = on
        self._tick()

    def _tick(self) -> None:
        exam = self.exam
        if exam is None:
            return
        fired = exam.tick()
        left = exam.remaining_s()
        near_end = left is not None and left <= 300
        # The clock may be hidden, but the last five minutes always show it, as on the real exam.
        self.clock.setVisible(self.clock_toggle.isChecked() or near_end)
        self.clock.setText(f"Time left {format_clock(left)}")
        self.clock.setStyleSheet("font-family: monospace; font-size: 13pt;"
                                 + (" color: #e53935; font-weight: 600;" if near_end else ""))
        if "time_warning" in fired and left is not None:
            self.notice.setText(f"{int(left // 60) + 1} minutes left. The exam submits itself when the time is up.")
            self.notice.show()
        if "auto_submitted" in fired or exam.finished:
            self._timer.stop()
            self.ctx.session.finish_exam("submitted")

    # ---- navigation -----------------------------------------------------------------------------------------
    def _go(self, index: int) -> None:
        exam = self.exam
        if exam is None or exam.finished or self.stack.currentIndex() != 1:
            return
        case = exam.would_lock(index)
        if case is not None:
            box = QMessageBox(QMessageBox.Icon.Question, "Leave the case study?",
                              "After you leave this case study you cannot come back to its questions.",
                              QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            if box.exec() != QMessageBox.StandardButton.Ok:
                return
        if exam.goto(index):
            self.render()

    def next(self) -> None:
        if self.exam is not None:
            if self.exam.index + 1 >= len(self.exam):
                self.open_review()
            else:
                self._go(self.exam.index + 1)

    def prev(self) -> None:
        if self.exam is not None:
            self._go(self.exam.index - 1)

    def goto(self, index: int) -> None:
        if self.exam is not None and self.exam.goto(index):
            self.render()

    def toggle_mark(self) -> None:
        exam = self.exam
        if exam is None or exam.finished or self.stack.currentIndex() != 1:
            return
        view = exam.current
        exam.mark(view.question.id, not view.marked)
        self.render()

    def open_review(self) -> None:
        if self.exam is not None and not self.exam.finished and self.stack.currentIndex() == 1:
            self.ctx.navigate("review")

    # ---- live proctor ---------------------------------------------------------------------------------------
    def show_warning(self, w: Any) -> None:
        text = w.message or f"Proctor: {incident_type(w.incident_type).warning_label}"
        if w.action in ("end", "pause") and getattr(self.ctx.window, "current_key", "exam") != "exam":
            self.ctx.navigate("exam")       # from the review screen: the candidate must see it
        if w.action == "end":
            # The clock keeps running (practice mode goes on with it); the candidate chooses what comes next.
            end = getattr(w, "end", None)
            if end is not None:
                self.end_text.setText(f"What ended it: {end.label}, at {end.when} into the exam.\n"
                                      f"The rule: {end.rule_sentence}")
            else:
                self.end_text.setText(text)
            self.end_text.setToolTip(text)
            self.stack.setCurrentIndex(3)
            self._set_footer(False)
            self.report_btn.setFocus()
            return
        if w.action == "pause":
            self.pause_text.setText(f"The exam is paused by the proctor.\n\n{text}\n\n"
                                    "The clock keeps running, as in a real exam.")
            self.ack_btn.show()
            self.stack.setCurrentIndex(2)
            self._set_footer(False)
            self.ack_btn.setFocus()
            return
        self.proctor.setText(text if text.lower().startswith("proctor") else f"Proctor warning: {text}")
        self.proctor.show()
        self._proctor_timer.start(8000)

    def _set_footer(self, enabled: bool) -> None:
        for b in (self.prev_btn, self.mark_btn, self.review_btn, self.next_btn):
            b.setEnabled(enabled)

    def acknowledge(self) -> None:
        if self.exam is not None and not self.exam.finished and self.stack.currentIndex() == 2:
            self.ctx.session.acknowledge()
            self.stack.setCurrentIndex(1)
            self._set_footer(True)
            self.render()

    def see_report(self) -> None:
        """From the end screen: the session ends here and the results open."""
        self._timer.stop()
        self.report_btn.setEnabled(False)
        self.practice_btn.setEnabled(False)
        self.ctx.session.finish_exam("terminated")

    def continue_in_practice(self) -> None:
        """From the end screen: back to the questions, as practice."""
        if self.exam is None or self.exam.finished:
            return
        self.ctx.session.continue_in_practice()
        end = self.ctx.session.live.proctor_end
        when = f" at {end.when}" if end is not None else ""
        self.notice.setText(f"Practice mode: the proctor ended the exam{when}. The clock and the scoring go on; "
                            "what the proctor sees from now on is marked \"after the end\" in the report.")
        self.notice.setStyleSheet("font-weight: 600;")
        self.notice.show()
        self.stack.setCurrentIndex(1)
        self._set_footer(True)
        self.render()

    def _device(self, device: str, state: str, _message: str) -> None:
        self.devices.set_device(device, state)
        if device == "camera" and state in ("lost", "none"):
            self.self_view.clear("no camera")

    def _frame(self) -> None:
        if self.ctx.window is not None and getattr(self.ctx.window, "current_key", "exam") != "exam":
            return
        if self.self_view.isVisible():
            self.ctx.session.set_display_width(self.self_view.wanted_width())
            self.self_view.set_view(self.ctx.session.take_view())
        else:
            self.ctx.session.take_view()   # keep the newest-wins mailbox flowing

    def _finished(self, path: Any) -> None:
        self._timer.stop()
        self.ctx.lock_navigation(False)
        self.ctx.navigate("results", journal_path=path)
