"""System check, before the check-in's photos (ui/pages/checkin.py): live preview with face box (and landmarks on request) and a checklist that
turns green item by item, each with a plain-language fix."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from proctorprep.ui.checklist import OK, PENDING, Checklist
from proctorprep.ui.context import AppContext
from proctorprep.wording import plural
from proctorprep.ui.widgets.common import page_title, plain_label
from proctorprep.ui.widgets.meters import Lamp, LevelMeter
from proctorprep.ui.widgets.video_view import VideoView


def create_page(ctx: AppContext) -> QWidget:
    return CheckPage(ctx)


def _plain(text: str = "") -> QLabel:
    return plain_label(text)


class CheckPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.checklist = Checklist()
        self._connected = False
        self._last_refresh = 0.0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(page_title("System check"))
        lay.addWidget(_plain("As at a real check-in: sit as you will during the exam. Each item turns green when it "
                             "is fine; follow the advice beside any that stay red."))
        body = QHBoxLayout()
        lay.addLayout(body, 1)

        left = QVBoxLayout()
        self.view = VideoView(placeholder="Starting the camera…")
        # the app's message cards (a camera or microphone that cannot be opened) float over the picture's top
        # right: at the page's top right they covered the checklist's first items, which say what to do
        self.overlay_anchor = self.view
        left.addWidget(self.view, 1)
        self.landmarks = QCheckBox("Show face landmarks")
        self.landmarks.setChecked(ctx.settings.show_landmarks)
        self.landmarks.toggled.connect(self._toggle_landmarks)
        self.view.show_landmarks = self.landmarks.isChecked()
        left.addWidget(self.landmarks)
        body.addLayout(left, 3)

        right = QVBoxLayout()
        box = QGroupBox("Checklist")
        self.grid = QGridLayout(box)
        self.grid.setColumnStretch(1, 1)
        self.lamps: dict[str, Lamp] = {}
        self.fixes: dict[str, QLabel] = {}
        for row, item in enumerate(self.checklist.items()):
            lamp = Lamp(item.title)
            lamp.setObjectName(f"check_{item.key}")
            fix = _plain("")
            fix.setObjectName(f"fix_{item.key}")
            fix.setStyleSheet("font-style: italic;")      # full-contrast text: it is what to do
            self.grid.addWidget(lamp, row * 2, 0, 1, 2)
            self.grid.addWidget(fix, row * 2 + 1, 1)
            self.lamps[item.key] = lamp
            self.fixes[item.key] = fix
        right.addWidget(box)
        audio = QGroupBox("Microphone")
        al = QVBoxLayout(audio)
        self.meter = LevelMeter()
        al.addWidget(self.meter)
        self.level_text = _plain("Level: —")
        al.addWidget(self.level_text)
        self.speech = Lamp("Speech")
        self.speech.setObjectName("speech_lamp")
        al.addWidget(self.speech)
        right.addWidget(audio)
        right.addStretch(1)
        body.addLayout(right, 2)

        buttons = QHBoxLayout()
        self.back_btn = QPushButton("Back")
        self.back_btn.clicked.connect(lambda: ctx.navigate("home"))
        buttons.addWidget(self.back_btn)
        buttons.addStretch(1)
        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        buttons.addWidget(self.summary)
        self.next_btn = QPushButton("Continue to the check-in")
        self.next_btn.setProperty("primary", True)
        self.next_btn.setObjectName("continue_calibration")
        self.next_btn.setDefault(True)
        self.next_btn.clicked.connect(self.continue_)
        self.confirming = False
        buttons.addWidget(self.next_btn)
        lay.addLayout(buttons)
        self._refresh()

    def failing(self) -> list[str]:
        """The checks that failed (not those still being checked), by title."""
        return [i.title for i in getattr(self, "items", []) if i.state not in (OK, PENDING)]

    def continue_(self) -> None:
        """On to calibration. With checks failing it asks once, in the page (a proctor would not let you start so):
        the button becomes "Continue anyway"."""
        bad = self.failing()
        if bad and not self.confirming:
            self.confirming = True
            self.summary.setText(f"{plural(len(bad), 'check')} not passed: {', '.join(bad)}. "
                                 "A real proctor would not start the exam like this.")
            self.next_btn.setText("Continue anyway")
            return
        self.confirming = False
        self.next_btn.setText("Continue to the check-in")
        self.ctx.navigate("checkin")

    def _toggle_landmarks(self, on: bool) -> None:
        self.view.show_landmarks = on
        self.ctx.settings.show_landmarks = on
        self.view.update()

    def on_enter(self, **_kw: Any) -> None:
        self.checklist = Checklist()
        self.view.clear("Starting the camera…")
        s = self.ctx.session
        if not self._connected:
            s.frame_ready.connect(self._frame)
            s.level_ready.connect(self._level)
            s.device_changed.connect(self._device)
            self._connected = True
        s.start_devices(loop_files=True)
        s.warm_up()
        self._refresh()
        self.next_btn.setFocus()

    def on_leave(self) -> None:
        s = self.ctx.session
        if self._connected:
            s.frame_ready.disconnect(self._frame)
            s.level_ready.disconnect(self._level)
            s.device_changed.disconnect(self._device)
            self._connected = False

    def _frame(self) -> None:
        view = self.ctx.session.take_view()
        if view is None:
            return
        self.ctx.session.set_display_width(self.view.wanted_width())
        self.view.set_view(view)
        self.checklist.add_face(view.observation)
        now = time.monotonic()
        if now - self._last_refresh >= 0.2:      # the checklist text changes at most 5 times a second
            self._last_refresh = now
            self._refresh()

    def _level(self) -> None:
        lv = self.ctx.session.take_level()
        if lv is None:
            return
        self.checklist.add_level(lv)
        self.meter.set_level(lv.rms_dbfs, lv.noise_floor_dbfs)
        self.level_text.setText(f"Level {lv.rms_dbfs:.0f} dBFS, background {lv.noise_floor_dbfs:.0f} dBFS")
        self.speech.set_state("on" if self.checklist.speech_now else "off",
                              "Speech: heard now" if self.checklist.speech_now else "Speech: none")

    def _device(self, device: str, state: str, message: str) -> None:
        if device == "camera" and state in ("lost", "none"):
            self.view.clear(message or "No camera picture")
        self._refresh()

    def _refresh(self) -> None:
        s = self.ctx.session
        camera = s is None or s.camera_state not in ("none", "lost")
        mic = s is None or s.mic_state not in ("none",)
        items = self.checklist.items(camera=camera, microphone=mic)
        passed = 0
        for item in items:
            lamp = self.lamps[item.key]
            state = {"ok": "on", "pending": "off"}.get(item.state, "bad")
            lamp.set_state(state, item.title + ("" if item.state != PENDING else " (checking…)"))
            fix = self.fixes[item.key]
            # The speech check waits for the candidate: say so while it waits, not only when it failed.
            waiting = "Say something now, for example your name: the light turns green when your voice is heard."
            fix.setText("" if item.state == OK else item.fix if item.state != PENDING else
                        waiting if item.key == "speech" else "")
            fix.setVisible(item.state != OK and (item.state != PENDING or item.key == "speech"))
            passed += item.state == OK
        self.items = items
        if not self.confirming:
            self.summary.setText(f"{passed} of {len(items)} checks passed")
