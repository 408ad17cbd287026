"""The check-in, between the system check and the calibration, in the real one's order: headshot, ID photo, the
workspace to the front, left, right and behind, then a checklist of what no model here can see. Each photo is taken
from the camera (a file stands in, as everywhere), judged at once off the GUI thread, then retaken, skipped or
accepted. The logic is proctorprep.checkin (no Qt); this page shows it.

Reached from the system check (then on to the calibration) or from Home's "Rehearse the check-in" (rehearsal=True:
then back to Home, nothing journaled)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from proctorprep.checkin.checklist import CONFIRM_ITEMS
from proctorprep.checkin.verdict import ID_CARD, KIND_PROMPTS, KIND_TITLES, KINDS
from proctorprep.ui.context import AppContext
from proctorprep.ui.widgets.common import page_title, plain_label
from proctorprep.ui.widgets.meters import Lamp
from proctorprep.ui.widgets.video_view import VideoView

CHECKLIST = "checklist"
STEPS: tuple[str, ...] = KINDS + (CHECKLIST,)
TITLES = {**KIND_TITLES, CHECKLIST: "Checklist"}
MARKS = {True: "✓", False: "✗", None: "?"}


def create_page(ctx: AppContext) -> QWidget:
    return CheckinPage(ctx)


class CheckinPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.checkin: Any = None
        self.rehearsal = False
        self.step = 0
        self.busy = False
        self._connected = False
        self._last_view: Any = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        # The title and the intro take the left column's width only: the app's message cards (no microphone, ...)
        # float at the top right, over the free space above the steps, never over these words.
        self.overlay_width = 300
        header = QHBoxLayout()
        words = QVBoxLayout()
        self.title = page_title("Check-in")
        words.addWidget(self.title)
        words.addWidget(plain_label("As at a real check-in, a greeter looks at these photos before the exam starts. "
                                    "Each is judged at once: retake it until it passes, or skip it."))
        header.addLayout(words, 3)
        header.addStretch(2)
        lay.addLayout(header)
        body = QHBoxLayout()
        lay.addLayout(body, 1)

        left = QVBoxLayout()
        self.stack = QStackedWidget()
        self.view = VideoView(placeholder="Starting the camera…")
        self.stack.addWidget(self.view)
        self.stack.addWidget(self._checklist_box())
        left.addWidget(self.stack, 1)
        self.prompt = plain_label("")
        self.prompt.setObjectName("checkin_prompt")
        left.addWidget(self.prompt)
        self.keep = QCheckBox("Keep this photo in the report")
        self.keep.setObjectName("checkin_keep")
        left.addWidget(self.keep)
        body.addLayout(left, 3)

        right = QVBoxLayout()
        steps_box = QGroupBox("Steps")
        sl = QVBoxLayout(steps_box)
        self.lamps: dict[str, Lamp] = {}
        for key in STEPS:
            lamp = Lamp(TITLES[key])
            lamp.setObjectName(f"checkin_step_{key}")
            sl.addWidget(lamp)
            self.lamps[key] = lamp
        right.addWidget(steps_box)
        self.verdict_box = QGroupBox("Verdict")
        self.verdict_grid = QGridLayout(self.verdict_box)
        self.verdict_grid.setColumnStretch(1, 1)
        self.verdict_text = plain_label("Take the photo: the verdict appears here.")
        self.verdict_text.setObjectName("checkin_verdict")
        self.verdict_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.verdict_grid.addWidget(self.verdict_text, 0, 0, 1, 2)
        right.addWidget(self.verdict_box)
        right.addStretch(1)
        body.addLayout(right, 2)

        buttons = QHBoxLayout()
        self.back_btn = QPushButton("Back")
        self.back_btn.clicked.connect(self._back)
        buttons.addWidget(self.back_btn)
        buttons.addStretch(1)
        self.skip_btn = QPushButton("Skip this photo")
        self.skip_btn.setObjectName("checkin_skip")
        self.skip_btn.clicked.connect(self.skip)
        buttons.addWidget(self.skip_btn)
        self.take_btn = QPushButton("Take the photo")
        self.take_btn.setObjectName("checkin_take")
        self.take_btn.setProperty("primary", True)
        self.take_btn.setDefault(True)
        self.take_btn.clicked.connect(self.take)
        buttons.addWidget(self.take_btn)
        self.next_btn = QPushButton("Next")
        self.next_btn.setObjectName("checkin_next")
        self.next_btn.clicked.connect(self.next_step)
        buttons.addWidget(self.next_btn)
        lay.addLayout(buttons)

    def _checklist_box(self) -> QWidget:
        box = QGroupBox("What no camera model here can see: confirm each")
        v = QVBoxLayout(box)
        v.addWidget(plain_label("A real greeter asks you to show these on camera. Nothing in proctorprep can see "
                                "them, so the report says they were confirmed by you, not seen."))
        self.confirms: dict[str, QCheckBox] = {}
        for item in CONFIRM_ITEMS:
            cb = QCheckBox(item.text)
            cb.setObjectName(f"confirm_{item.key}")
            cb.setToolTip(item.why)
            v.addWidget(cb)
            self.confirms[item.key] = cb
        v.addStretch(1)
        return box

    # ---- entering and leaving ---------------------------------------------------------------------------------
    def on_enter(self, rehearsal: bool = False, **_kw: Any) -> None:
        self.rehearsal = bool(rehearsal)
        s = self.ctx.session
        self.checkin = s.live.begin_checkin(rehearsal=self.rehearsal)
        self.title.setText("Rehearse the check-in" if self.rehearsal else "Check-in")
        self.step = 0
        for cb in self.confirms.values():
            cb.setChecked(False)
        for lamp in self.lamps.values():
            lamp.set_state("off")
        if not self._connected:
            s.frame_ready.connect(self._frame)
            s.device_changed.connect(self._device)
            self._connected = True
        s.set_display_width(None)           # the photo is the camera's whole picture, not the preview's
        if self.rehearsal or s.camera_state in ("none", "lost", "stopped", ""):
            s.start_devices(loop_files=True)
        self._show_step()

    def on_leave(self) -> None:
        s = self.ctx.session
        if self._connected:
            s.frame_ready.disconnect(self._frame)
            s.device_changed.disconnect(self._device)
            self._connected = False
        if self.rehearsal:
            s.stop_devices()
            if self.checkin is not None:
                self.checkin.close()

    def _frame(self) -> None:
        view = self.ctx.session.take_view()
        if view is None:
            return
        self._last_view = view
        if self.stack.currentIndex() == 0:
            self.view.set_view(view)

    def _device(self, device: str, state: str, message: str) -> None:
        if device == "camera" and state in ("lost", "none"):
            self.view.clear(message or "No camera picture")

    # ---- the steps --------------------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return STEPS[min(self.step, len(STEPS) - 1)]

    def _show_step(self) -> None:
        kind = self.kind
        done = self.step >= len(STEPS)
        on_checklist = kind == CHECKLIST and not done
        self.stack.setCurrentIndex(1 if on_checklist or done else 0)
        for i, key in enumerate(STEPS):
            if i == self.step and not done:
                self.lamps[key].set_state("warn", f"{TITLES[key]} (now)")
            elif self.lamps[key].state == "warn":        # left by Back: not judged yet
                self.lamps[key].set_state("off", TITLES[key])
        if done:
            self._show_summary()
            return
        if on_checklist:
            self.prompt.setText("Tick only what is true now: anything left unticked shows in the report as not "
                                "confirmed.")
        else:
            self.prompt.setText(KIND_PROMPTS[kind])
        self.keep.setVisible(not on_checklist)
        self.keep.setChecked(False)
        # The ID is kept only when asked for by name, never by a blanket choice.
        self.keep.setText("Keep this ID photo in the report (it is never kept unless you tick this)"
                          if kind == ID_CARD else "Keep this photo in the report")
        self.take_btn.setVisible(not on_checklist)
        self.take_btn.setText("Take the photo")
        self.skip_btn.setVisible(not on_checklist)
        self.next_btn.setText("Finish the check-in" if on_checklist else "Next")
        self.next_btn.setVisible(on_checklist)
        self._set_verdict(None)

    def take(self) -> None:
        """Judge the newest camera picture, off the GUI thread."""
        if self.busy or self.checkin is None:
            return
        view = self._last_view
        if view is None:
            self.verdict_text.setText("No camera picture yet: wait for the preview, then take the photo.")
            return
        kind, image, keep, ck = self.kind, view.image.copy(), self.keep.isChecked(), self.checkin
        self.busy = True
        self.take_btn.setEnabled(False)
        self.skip_btn.setEnabled(False)
        self._set_verdict(None, "Checking the photo…")
        self.ctx.run_background(lambda: ck.judge(kind, image, keep=keep, t_s=view.t_s), self._judged,
                                self._failed)

    def _judged(self, verdict: Any) -> None:
        self.busy = False
        self.take_btn.setEnabled(True)
        self.skip_btn.setEnabled(True)
        self.lamps[verdict.kind].set_state("on" if verdict.passed else "bad", verdict.title)
        self._set_verdict(verdict)
        self.take_btn.setText("Retake the photo")
        self.next_btn.setText("Next")
        self.next_btn.setVisible(verdict.passed)
        self.skip_btn.setText("Skip this photo" if verdict.passed else "Go on without a passing photo")

    def _failed(self, message: str) -> None:
        self.busy = False
        self.take_btn.setEnabled(True)
        self.skip_btn.setEnabled(True)
        self._set_verdict(None, f"The photo could not be checked: {message}")

    def skip(self) -> None:
        if self.busy or self.checkin is None:
            return
        kind = self.kind
        taken = self.checkin.verdicts.get(kind)
        if taken is None:
            self.checkin.skip(kind)
            self.lamps[kind].set_state("off", f"{TITLES[kind]} (skipped)")
        self.step += 1
        self._show_step()

    def next_step(self) -> None:
        if self.busy:
            return
        if self.kind == CHECKLIST and self.step < len(STEPS):
            confirmed = [k for k, cb in self.confirms.items() if cb.isChecked()]
            self.checkin.confirm(confirmed)
            all_ok = len(confirmed) == len(self.confirms)
            self.lamps[CHECKLIST].set_state("on" if all_ok else "bad",
                                            f"Checklist ({len(confirmed)} of {len(self.confirms)})")
        self.step += 1
        self._show_step()

    def _show_summary(self) -> None:
        res = self.checkin.result()
        problems = res.problems()
        self.prompt.setText("The check-in passed: a greeter would let you start." if res.passed else
                            f"{len(problems)} thing{'s' if len(problems) != 1 else ''} a greeter would stop you for.")
        self.keep.hide()
        self.take_btn.hide()
        self.skip_btn.hide()
        self._clear_grid()
        lines = [p.headline() for p in res.photos] + [
            f"Checklist: {sum(ok for _, ok in res.confirmations.ticked)} of {len(res.confirmations.ticked)} "
            "confirmed by you (not seen by any model)"]
        self.verdict_box.setTitle("The check-in")
        self.verdict_text.setText("\n".join(lines))
        self.verdict_grid.addWidget(self.verdict_text, 0, 0, 1, 2)
        self.next_btn.show()
        self.next_btn.setText("Back to Home" if self.rehearsal else "Continue to calibration")
        self.next_btn.clicked.disconnect()
        self.next_btn.clicked.connect(self._finish)

    def _finish(self) -> None:
        self.next_btn.clicked.disconnect()
        self.next_btn.clicked.connect(self.next_step)
        self.ctx.navigate("home" if self.rehearsal else "calibrate")

    def _back(self) -> None:
        if self.step > 0 and self.step <= len(STEPS):
            self.step -= 1
            if self.next_btn.text() in ("Back to Home", "Continue to calibration"):
                self.next_btn.clicked.disconnect()
                self.next_btn.clicked.connect(self.next_step)
            self._show_step()
            return
        self.ctx.navigate("home" if self.rehearsal else "check")

    # ---- the verdict box --------------------------------------------------------------------------------------
    def _clear_grid(self) -> None:
        while self.verdict_grid.count():
            w = self.verdict_grid.takeAt(0).widget()
            if w is not None and w is not self.verdict_text:
                w.deleteLater()

    def _set_verdict(self, verdict: Any, text: str | None = None) -> None:
        self._clear_grid()
        self.verdict_box.setTitle("Verdict")
        self.verdict_grid.addWidget(self.verdict_text, 0, 0, 1, 2)
        if verdict is None:
            self.verdict_text.setText(text or ("Confirm each item, then finish." if self.kind == CHECKLIST
                                               else "Take the photo: the verdict appears here."))
            return
        self.verdict_text.setText(f"{verdict.title}: {'passed' if verdict.passed else 'not passed'}")
        for row, v in enumerate(verdict.verdicts, start=1):
            mark = QLabel(MARKS[v.passed])
            mark.setTextFormat(Qt.TextFormat.PlainText)
            mark.setStyleSheet(f"color: {'#2e7d32' if v.passed else '#c62828' if v.passed is False else '#9e9e9e'};"
                               " font-weight: bold;")
            line = plain_label(v.title if v.passed else f"{v.title}: {v.words}" + (f" — {v.fix}" if v.fix else ""))
            line.setObjectName(f"checkin_check_{v.check}")
            self.verdict_grid.addWidget(mark, row, 0)
            self.verdict_grid.addWidget(line, row, 1)
