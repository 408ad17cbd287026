"""The exam: one question at a time (every item type), clock (hideable), progress, mark for review, device status,
optional self-view and live proctor warnings. Under the strict profile a warning pauses the exam until the
candidate acknowledges it. When the proctor's policy ends the exam, a screen says what ended it, when and the rule,
and offers the report or practice mode (decided in proctorprep.session.proctor; this page only shows it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QMessageBox, QProgressBar, QPushButton, QScrollArea, QStackedWidget,
    QTabWidget, QToolButton, QVBoxLayout, QWidget,
)

from proctorprep.ui.context import AppContext
from proctorprep.ui.icons import set_icon
from proctorprep.ui import sound
from proctorprep.ui.widgets.common import ElidedLabel
from proctorprep.ui.widgets.items import make_item_widget
from proctorprep.ui.widgets.items.base import plain_label
from proctorprep.ui.widgets.meters import DeviceStatus
from proctorprep.ui.widgets.palette import QuestionPalette
from proctorprep.ui.widgets.video_view import VideoView
from proctorprep.ui.widgets.warnings import WarningCard, WarningEntry, WarningLog, entry_from_warning


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
        self._case_tab: dict[str, int] = {}        # case id -> the tab the candidate last looked at
        self.setObjectName("exam_page")
        self.overlay_top = 60          # the app's message cards float below the top bar ...
        self.overlay_width = 196       # ... over the side column (self-view and palette), never over an answer
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        # Top bar: title, question n of N with a progress bar, the proctor's messages, devices, time.
        bar = QFrame()
        bar.setObjectName("exam_top_bar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        header = QHBoxLayout(bar)
        header.setContentsMargins(16, 8, 12, 8)
        header.setSpacing(14)
        self.title = ElidedLabel("")
        self.title.setObjectName("exam_title")
        header.addWidget(self.title, 1)
        where = QVBoxLayout()
        where.setSpacing(2)
        self.progress = plain_label("", wrap=False)
        self.progress.setObjectName("exam_progress")
        where.addWidget(self.progress)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("exam_progress_bar")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedHeight(6)
        self.progress_bar.setFixedWidth(150)
        self.progress_bar.setAccessibleName("Questions answered")
        where.addWidget(self.progress_bar)
        header.addLayout(where)
        self.log_btn = QToolButton()
        self.log_btn.setObjectName("warning_log_button")
        set_icon(self.log_btn, "bell")
        self.log_btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.log_btn.setToolTip("The proctor's messages so far")
        self.log_btn.setAccessibleName("The proctor's messages")
        header.addWidget(self.log_btn)
        self.devices = DeviceStatus()
        header.addWidget(self.devices)
        self.clock = plain_label("", wrap=False)
        self.clock.setObjectName("exam_clock")
        header.addWidget(self.clock)
        self.clock_toggle = QToolButton()
        self.clock_toggle.setObjectName("clock_toggle")
        set_icon(self.clock_toggle, "clock")
        self.clock_toggle.setCheckable(True)
        self.clock_toggle.setToolTip("Show or hide the time left (Alt+T); the last five minutes always show it")
        self.clock_toggle.setAccessibleName("Show the time left")
        self.clock_toggle.setChecked(ctx.settings.show_timer)
        self.clock_toggle.toggled.connect(self._toggle_clock)
        header.addWidget(self.clock_toggle)
        self.full_btn = QToolButton()
        self.full_btn.setObjectName("full_screen_button")
        set_icon(self.full_btn, "fullscreen")
        self.full_btn.setCheckable(True)
        self.full_btn.setToolTip("Full screen (F11), as real exam clients run")
        self.full_btn.setAccessibleName("Full screen")
        self.full_btn.toggled.connect(self.set_full_screen)
        header.addWidget(self.full_btn)
        outer.addWidget(bar)

        # A strip under the top bar for the mode the exam is in ("Practice mode: ..."). It appears only when the
        # candidate comes back from the end screen (the question is drawn afresh then); the five-minute notice and
        # the proctor's messages float in the card instead, so nothing moves the question while it is on screen.
        self.notice = plain_label("")
        self.notice.setObjectName("exam_notice")
        self.notice.setContentsMargins(0, 0, self.overlay_width, 0)    # its text wraps short of the message cards
        self.notice.hide()
        outer.addWidget(self.notice)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        # 0: waiting, 1: the question, 2: paused by the proctor, 3: ended by the proctor
        self.waiting = plain_label("Preparing the exam and the proctor…")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.waiting)

        self.qpage = QWidget()
        self.qpage.setObjectName("question_area")
        qlay = QHBoxLayout(self.qpage)
        qlay.setContentsMargins(16, 12, 12, 8)
        qlay.setSpacing(14)
        self.case_tabs = QTabWidget()
        self.case_tabs.setObjectName("case_tabs")
        self.case_tabs.setMinimumWidth(260)
        self.case_tabs.currentChanged.connect(self._case_tab_changed)
        # Many tabs in a narrow pane: shortened with "…" (whole title in the tooltip) and scroll arrows, never cut.
        self.case_tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.case_tabs.setUsesScrollButtons(True)
        qlay.addWidget(self.case_tabs, 2)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("question_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        # The question wraps to the pane's width; it never scrolls sideways.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        qlay.addWidget(self.scroll, 3)
        from proctorprep.ui.widgets.reference_pane import ReferencePane

        self.reference = ReferencePane()
        self.reference.hide()
        qlay.addWidget(self.reference, 2)
        side = QVBoxLayout()
        side.setSpacing(10)
        self.self_view = VideoView(placeholder="camera")
        self.self_view.setFixedSize(192, 144)
        side.addWidget(self.self_view)
        self.palette_grid = QuestionPalette()
        self.palette_grid.setObjectName("question_palette")
        self.palette_grid.chosen.connect(self._palette_chosen)
        side.addWidget(self.palette_grid, 1)
        qlay.addLayout(side)
        self.stack.addWidget(self.qpage)
        self.card = WarningCard(self.qpage)
        self.card.dismissed.connect(self._card_dismissed)
        self.log = WarningLog(self.qpage)
        self.log_btn.clicked.connect(self.log.toggle)

        paused = QWidget()
        paused.setObjectName("pause_screen")
        play = QVBoxLayout(paused)
        play.setContentsMargins(48, 24, 48, 24)
        play.addStretch(1)
        self.pause_title = plain_label("")
        self.pause_title.setObjectName("pause_title")
        self.pause_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        play.addWidget(self.pause_title)
        self.pause_text = plain_label("")
        self.pause_text.setObjectName("pause_text")
        self.pause_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        play.addWidget(self.pause_text)
        self.ack_btn = QPushButton("I understand — continue the exam")
        self.ack_btn.setObjectName("acknowledge_warning")
        self.ack_btn.setProperty("primary", True)
        self.ack_btn.clicked.connect(self.acknowledge)
        play.addSpacing(12)
        play.addWidget(self.ack_btn, 0, Qt.AlignmentFlag.AlignCenter)
        play.addStretch(1)
        self.stack.addWidget(paused)
        self.stack.addWidget(self._end_screen())
        # 4: the agreement, 5: the welcome screen (before the clock starts)
        from proctorprep.ui.widgets.exam_intro import AgreementPage, WelcomePage

        self.agreement = AgreementPage()
        self.welcome = WelcomePage()
        self.stack.addWidget(self.agreement)
        self.stack.addWidget(self.welcome)
        self.agreement.accepted.connect(self._agreed)
        self.agreement.declined.connect(self._declined)
        self.welcome.start.connect(self._begin)
        self._bank: Any = None
        self.break_screen = self._break_screen()
        self.stack.addWidget(self.break_screen)

        foot = QFrame()
        foot.setObjectName("exam_footer")
        foot.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        footer = QHBoxLayout(foot)
        footer.setContentsMargins(16, 8, 16, 10)
        self.prev_btn = QPushButton("Previous")
        set_icon(self.prev_btn, "previous")
        self.mark_btn = QPushButton("Mark for review")
        set_icon(self.mark_btn, "flag")
        self.mark_btn.setCheckable(True)
        self.mark_btn.setObjectName("mark_button")
        self.review_btn = QPushButton("Review")
        set_icon(self.review_btn, "review")
        self.review_btn.setObjectName("review_button")
        self.comment_btn = QPushButton("Comment…")
        self.comment_btn.setObjectName("comment_button")
        self.comment_btn.setToolTip("Leave a comment on this question (optional; it does not change your score)")
        self.comment_btn.clicked.connect(self.ask_comment)
        self.reference_btn = QPushButton("Reference")
        self.reference_btn.setObjectName("reference_button")
        self.reference_btn.setCheckable(True)
        self.reference_btn.setToolTip("The bank's reference pages (open book); the clock keeps running")
        self.reference_btn.toggled.connect(self.show_reference)
        self.reference_btn.hide()
        # Unscheduled breaks, where the bank allows them (Microsoft): the clock keeps running, seen questions lock
        self.break_btn = QPushButton("Take a break")
        self.break_btn.setObjectName("break_button")
        self.break_btn.setToolTip("A break (Alt+B): the clock keeps running and the questions you have seen lock")
        self.break_btn.clicked.connect(self.ask_break)
        self.break_btn.hide()
        self.next_btn = QPushButton("Next")
        self.next_btn.setProperty("primary", True)
        set_icon(self.next_btn, "next")
        self.next_btn.setLayoutDirection(Qt.LayoutDirection.RightToLeft)    # the arrow after the word
        self.next_btn.setObjectName("next_button")
        for b in (self.prev_btn, self.mark_btn, self.comment_btn):
            footer.addWidget(b)
        # the hint takes the middle and shortens itself: at 1024 px a fixed-width hint made the window wider
        # than the screen once the Comment and Reference buttons joined the footer
        # (at 1024 px with "Take a break" in the footer the whole hint lost "Alt+R review" to "…": the keys alone fit)
        self.keys_hint = ElidedLabel("Alt+P previous · Alt+N next · Alt+M mark · Alt+R review",
                                     short="Alt+P · Alt+N · Alt+M · Alt+R")
        self.keys_hint.setObjectName("keys_hint")
        self.keys_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        footer.addWidget(self.keys_hint, 1)
        for b in (self.break_btn, self.reference_btn, self.review_btn, self.next_btn):
            footer.addWidget(b)
        outer.addWidget(foot)
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
        a.register("exam_reference", "Open or close the reference pages", "Alt+F",
                   lambda: self.exam is not None and bool(self.exam.bank.references) and self.reference_btn.toggle(),
                   page="exam", menu=menu)
        a.register("exam_clock", "Show or hide the clock", "Alt+T",
                   lambda: self.clock_toggle.toggle(), page="exam", menu=menu)
        a.register("exam_full_screen", "Full screen", "F11", lambda: self.full_btn.toggle(), page="exam", menu=menu)
        a.register("exam_warnings", "The proctor's messages", "Alt+W", self.log.toggle, page="exam", menu=menu)
        a.register("exam_break", "Take a break (where the exam allows breaks)", "Alt+B", self.ask_break, page="exam",
                   menu=menu)

        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        self._update_log_button()

    def _end_screen(self) -> QWidget:
        ended = QWidget()
        ended.setObjectName("proctor_ended")
        outer = QHBoxLayout(ended)
        box = QWidget()
        # a readable measure at any window width, and clear of the message cards over the side column at 1024 px
        # (at 640 px its lines ran under them)
        box.setMaximumWidth(560)
        lay = QVBoxLayout(box)
        lay.setSpacing(12)
        lay.addStretch(1)
        title = plain_label("The proctor ended your exam")
        title.setObjectName("end_title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(title)
        self.end_text = plain_label("")
        self.end_text.setObjectName("end_text")
        self.end_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.end_text)
        self.end_hint = plain_label(
            "In a real exam it would stop here. This is a rehearsal, so you can finish it for practice: the clock "
            "and the scoring go on, and anything the proctor sees from now on is marked \"after the end\" in the "
            "report.")
        self.end_hint.setObjectName("end_hint")
        self.end_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.end_hint)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addStretch(1)
        self.report_btn = QPushButton("See the report")
        self.report_btn.setObjectName("end_see_report")
        self.report_btn.setDefault(True)
        set_icon(self.report_btn, "results")
        self.report_btn.clicked.connect(self.see_report)
        self.practice_btn = QPushButton("Continue in practice mode")
        self.practice_btn.setObjectName("end_practice")
        self.practice_btn.setProperty("primary", True)
        set_icon(self.practice_btn, "practice")
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

    def _break_screen(self) -> QWidget:
        screen = QWidget()
        screen.setObjectName("break_screen")
        outer = QHBoxLayout(screen)
        box = QWidget()
        box.setMaximumWidth(640)
        lay = QVBoxLayout(box)
        lay.setSpacing(12)
        lay.addStretch(1)
        title = plain_label("You are on a break")
        title.setObjectName("break_title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(title)
        self.break_text = plain_label("")
        self.break_text.setObjectName("break_text")
        self.break_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.break_text)
        self.break_status = plain_label("")
        self.break_status.setObjectName("break_status")
        self.break_status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.break_status)
        self.resume_btn = QPushButton("End the break")
        self.resume_btn.setObjectName("end_break")
        self.resume_btn.setProperty("primary", True)
        self.resume_btn.clicked.connect(self.end_break)
        lay.addWidget(self.resume_btn, 0, Qt.AlignmentFlag.AlignCenter)
        lay.addStretch(1)
        outer.addStretch(1)
        outer.addWidget(box, 10)
        outer.addStretch(1)
        return screen

    # ---- breaks ---------------------------------------------------------------------------------------------
    def ask_break(self) -> None:
        """"Take a break": says what it costs (as the real exam does) and starts it if the candidate agrees."""
        exam = self.exam
        if exam is None or exam.finished or not exam.can_take_break() or self.stack.currentIndex() != 1:
            return
        seen = exam.break_would_lock()
        box = QMessageBox(QMessageBox.Icon.Question, "Take a break?",
                          f"The clock keeps running during the break. The {seen} question{'s' if seen != 1 else ''} "
                          "you have seen will lock: you cannot go back to them. You may leave the camera's view; "
                          "to come back, sit in front of the camera again.",
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Ok).setText("Start the break")
        box.button(QMessageBox.StandardButton.Cancel).setText("Go on with the exam")
        box.setObjectName("break_dialog")
        self.break_dialog = box
        if box.exec() == QMessageBox.StandardButton.Ok:
            self.take_break()

    def take_break(self) -> bool:
        if self.exam is None or not self.ctx.session.take_break():
            return False
        self.card.hide()
        self.reference_btn.setChecked(False)
        self.stack.setCurrentWidget(self.break_screen)
        self._set_footer(False)
        self._update_break()
        self.resume_btn.setFocus()
        return True

    def end_break(self) -> bool:
        if self.stack.currentWidget() is not self.break_screen or not self.ctx.session.end_break():
            return False
        self.stack.setCurrentIndex(1)
        self._set_footer(True)
        self.render()
        return True

    def _update_break(self) -> None:
        exam = self.exam
        if exam is None or not exam.on_break:
            return
        locked = sum(1 for r in exam.review("all") if r.locked)
        self.break_text.setText(f"The clock keeps running: {format_clock(exam.remaining_s())} left. "
                                f"{locked} question{'s are' if locked != 1 else ' is'} locked; after the break you go "
                                "on with the first one you have not seen.\n\nYou may leave the camera's view. To "
                                "come back, sit in front of the camera.")
        back = self.ctx.session.back_in_view()
        self.break_status.setText("You are in view again." if back else "To end the break, sit in front of the "
                                  "camera: the proctor needs to see your face.")
        self.resume_btn.setEnabled(back)

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

        self.ctx.run_background(load, self._show_agreement, self._failed)

    def _show_agreement(self, bank: Any) -> None:
        self._bank = bank
        self.title.setText(bank.title)
        self._set_footer(False)            # nothing to navigate before the first question
        self.stack.setCurrentIndex(4)
        self.agreement.accept_btn.setFocus()

    def _agreed(self) -> None:
        self.welcome.set_bank(self._bank)
        self.stack.setCurrentIndex(5)
        self.welcome.start_btn.setFocus()

    def _declined(self) -> None:
        self._bank = None
        self._failed("You did not accept the agreement, so the exam did not start (a real exam would end here "
                     "without a score). Nothing was recorded.")

    def _begin(self) -> None:
        bank, self._bank = self._bank, None
        self.stack.setCurrentIndex(0)
        self.waiting.setText("Starting the exam and the proctor…")
        if bank is not None:
            self.ctx.session.start_exam(bank)

    def ask_comment(self) -> None:
        exam = self.exam
        if exam is None or exam.finished or self.stack.currentIndex() != 1:
            return
        from PySide6.QtWidgets import QInputDialog

        qid = exam.current.question.id
        text, ok = QInputDialog.getMultiLineText(self, "Comment on this question",
                                                 "Your comment (kept with your results; it does not change the "
                                                 "score):", exam.comment_of(qid))
        if ok:
            self.set_comment(text)

    def set_comment(self, text: str) -> None:
        exam = self.exam
        if exam is not None and exam.comment(exam.current.question.id, text):
            self.comment_btn.setText("Comment ✓" if text.strip() else "Comment…")

    def show_reference(self, on: bool) -> None:
        if on and self.exam is not None and self.reference.exam is not self.exam:
            self.reference.set_exam(self.exam)
        self.reference.setVisible(on)
        if on:
            self.reference.open_current()

    def _ready(self) -> None:
        exam = self.exam
        self.title.setText(exam.bank.title)
        self.reference_btn.setChecked(False)
        self.reference_btn.setVisible(bool(exam.bank.references))
        self.break_btn.setVisible(exam.breaks_allowed)
        self.log.clear()
        self.card.hide()
        self._case_tab.clear()
        self._update_log_button()
        if self.ctx.settings.full_screen_exam:
            self.set_full_screen(True)
        self.notice.hide()
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
        self.reference_btn.setVisible(bool(exam.bank.references))
        self.comment_btn.setText("Comment ✓" if exam.comment_of(view.question.id) else "Comment…")
        rows = exam.review("all")
        done = sum(r.status == "answered" for r in rows)
        self.progress_bar.setRange(0, max(1, view.total))
        self.progress_bar.setValue(done)
        self.progress_bar.setToolTip(f"{done} of {view.total} answered")
        self.palette_grid.set_rows(rows, view.index)
        self.mark_btn.setChecked(view.marked)
        self.mark_btn.setText("Marked for review" if view.marked else "Mark for review")
        self.prev_btn.setEnabled(exam.can_goto(view.index - 1))
        self.next_btn.setEnabled(True)
        section_end = exam.next_section_start() == view.index + 1
        self.next_btn.setText("Next section" if section_end else
                              "Next" if view.index + 1 < view.total else "Review and submit")
        part = exam.current_section()
        self.progress.setText(f"Question {view.number} of {view.total}" + (
            f" · section {exam.section_number() + 1} of {len(exam.sections)}" if part is not None else ""))
        self.progress.setToolTip(part.title if part is not None else "")
        case_id = view.question.case_id if view.case is not None else None
        self.case_tabs.blockSignals(True)
        self.case_tabs.clear()
        if view.case is not None:
            for tab in view.case.tabs:
                page = QScrollArea()
                page.setWidgetResizable(True)
                page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
                text = plain_label(tab.text)
                text.setObjectName("case_text")
                text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                text.setContentsMargins(12, 12, 12, 12)
                page.setWidget(text)
                i = self.case_tabs.addTab(page, tab.title.replace("&", "&&"))
                self.case_tabs.setTabToolTip(i, tab.title)
            # Each question of a case study opens on the tab the candidate was reading, not back on Overview.
            self.case_tabs.setCurrentIndex(min(self._case_tab.get(case_id, 0), self.case_tabs.count() - 1))
            self.case_tabs.show()
        else:
            self.case_tabs.hide()
        self._case_id = case_id
        self.case_tabs.blockSignals(False)
        host = QWidget()
        host.setObjectName("question_pane")
        lay = QVBoxLayout(host)
        lay.setContentsMargins(4, 4, 12, 12)
        lay.setSpacing(12)
        if view.case is not None:
            title = view.case.title
            case = plain_label(title if title.lower().startswith("case study") else f"Case study: {title}")
            case.setObjectName("case_title")
            lay.addWidget(case)
        self.prompt = plain_label(view.question.prompt)
        self.prompt.setObjectName("question_prompt")
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

    def _case_tab_changed(self, index: int) -> None:
        if getattr(self, "_case_id", None) is not None and index >= 0:
            self._case_tab[self._case_id] = index

    def _palette_chosen(self, index: int) -> None:
        if self.exam is not None and index != self.exam.index:
            self._go(index)

    def _answered(self) -> None:
        if self.exam is not None and self.item is not None:
            self.exam.answer(self.item.question.id, self.item.response())
            rows = self.exam.review("all")
            self.palette_grid.set_rows(rows, self.exam.index)
            done = sum(r.status == "answered" for r in rows)
            self.progress_bar.setValue(done)
            self.progress_bar.setToolTip(f"{done} of {len(rows)} answered")

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
        if self.clock.property("near_end") != near_end:
            self.clock.setProperty("near_end", near_end)
            self.clock.style().unpolish(self.clock)
            self.clock.style().polish(self.clock)
        if "time_warning" in fired and left is not None:
            minutes = int(left // 60) + 1
            text = f"{minutes} minute{'s' if minutes != 1 else ''} left. The exam submits itself when the time is up."
            self._tell(WarningEntry(exam.elapsed_s(), text, "", "", "time"), sound=False)
        if "auto_submitted" in fired or exam.finished:
            self._timer.stop()
            self.ctx.session.finish_exam("submitted")
        elif self.stack.currentWidget() is self.break_screen:
            self._update_break()

    # ---- navigation -----------------------------------------------------------------------------------------
    def _go(self, index: int) -> None:
        exam = self.exam
        if exam is None or exam.finished or self.stack.currentIndex() != 1:
            return
        case = exam.would_lock(index)
        if case is not None:
            todo = sum(1 for r in exam.review("all") if r.case_id == case and r.status != "answered")
            left = (f"{todo} of its questions {'is' if todo == 1 else 'are'} not answered yet. " if todo else
                    "All of its questions are answered. ")
            if not self._ask("Leave the case study?",
                             left + "After you leave this case study you cannot come back to its questions.",
                             "Leave the case study", "Stay", "leave_case_dialog"):
                return
        part = exam.leaving_section(index)
        if part is not None and not self.confirm_leave_section(part):
            return
        if exam.goto(index):
            self.render()

    def confirm_leave_section(self, part: Any) -> bool:
        """Ask before a bank section is left for good (as the real exam does at the end of each section)."""
        exam = self.exam
        todo = sum(1 for r in exam.review("all") if r.section == part.title and not r.locked
                   and r.status != "answered")
        marked = sum(1 for r in exam.review("all") if r.section == part.title and r.marked and not r.locked)
        said = (f"{todo} of its questions {'is' if todo == 1 else 'are'} not fully answered"
                + (f" and {marked} {'is' if marked == 1 else 'are'} marked for review" if marked else "") + ". "
                if todo or marked else "All of its questions are answered. ")
        return self._ask("Finish this section?", f"{part.title}: {said}After you leave this section you cannot come "
                         "back to its questions, not even from the review screen.", "Finish the section",
                         "Stay in the section", "leave_section_dialog")

    def _ask(self, title: str, text: str, go: str, stay: str, name: str) -> bool:
        """A question before something that cannot be undone (plain text; kept as self.<name> for the tests and
        the screenshot tour). True when the candidate chose `go`."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Ok).setText(go)
        box.button(QMessageBox.StandardButton.Cancel).setText(stay)
        box.setObjectName(name)
        setattr(self, name, box)
        return box.exec() == QMessageBox.StandardButton.Ok

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
        live = getattr(self.ctx.session, "live", None)
        entry = entry_from_warning(w, getattr(live, "exam_t0", 0.0))
        if w.action in ("end", "pause") and getattr(self.ctx.window, "current_key", "exam") != "exam":
            self.ctx.navigate("exam")       # from the review screen: the candidate must see it
        if w.action == "end":
            # The clock keeps running (practice mode goes on with it); the candidate chooses what comes next.
            self.log.add(entry)
            self._update_log_button()
            self.card.hide()
            end = getattr(w, "end", None)
            if end is not None:
                self.end_text.setText(f"What ended it: {end.label}, at {end.when} into the exam.\n"
                                      f"The rule: {end.rule_sentence}")
            else:
                self.end_text.setText(w.message or entry.request)
            self.end_text.setToolTip(w.message)
            self.stack.setCurrentIndex(3)
            self._set_footer(False)
            self.report_btn.setFocus()
            self._cue()
            return
        if w.action == "pause":
            self.log.add(entry)
            self._update_log_button()
            self.card.hide()
            self.pause_title.setText("The proctor paused your exam")
            self.pause_text.setText("\n\n".join(x for x in (entry.request, entry.reason, entry.consequence) if x)
                                    + "\n\nThe clock keeps running, as in a real exam.")
            self.ack_btn.show()
            self.stack.setCurrentIndex(2)
            self._set_footer(False)
            self.ack_btn.setFocus()
            self._cue()
            return
        self._tell(entry)

    def _tell(self, entry: WarningEntry, sound: bool = True) -> None:
        """Show a message in the floating card (over the question, which does not move) and keep it in the log."""
        self.log.add(entry)
        self._update_log_button()
        self.card.show_entry(entry)
        if sound:
            self._cue()

    def _card_dismissed(self) -> None:
        if self.item is not None:
            first = self.item.first_focus()
            if first is not None:
                first.setFocus()

    def _cue(self) -> None:
        if not self.ctx.settings.warning_sound:
            return
        from PySide6.QtWidgets import QApplication

        self.ctx.run_background(sound.play_chime, lambda ok: ok or QApplication.beep(),
                                lambda _m: QApplication.beep())

    def _update_log_button(self) -> None:
        n = len(self.log.entries)
        self.log_btn.setText(str(n) if n else "")
        self.log_btn.setToolTip(f"The proctor's messages so far: {n} (Alt+W)")

    def set_full_screen(self, on: bool) -> None:
        """Full screen for the exam (F11 or the top-bar button); leaving the exam restores the window."""
        win = self.window()
        if win is None or win is self:
            return
        if on and not win.isFullScreen():
            self._was_maximized = win.isMaximized()
            win.showFullScreen()
            self.ctx.session.full_screen(True)     # from now on, leaving full screen is leaving the exam window
        elif not on and win.isFullScreen():
            win.showMaximized() if getattr(self, "_was_maximized", False) else win.showNormal()
        if self.full_btn.isChecked() != on:
            self.full_btn.setChecked(on)

    def _set_footer(self, enabled: bool) -> None:
        for b in (self.prev_btn, self.mark_btn, self.comment_btn, self.review_btn, self.next_btn, self.break_btn):
            b.setEnabled(enabled)
        self.palette_grid.setEnabled(enabled)

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
        self.set_full_screen(False)
        self.card.hide()
        self.log.hide()
        self.ctx.lock_navigation(False)
        self.ctx.navigate("results", journal_path=path)
