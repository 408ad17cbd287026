"""The thin Qt adapter for exam conditions: what Qt knows about screens and the exam window, published as plain
`ConditionEvent`s (proctorprep.rules.conditions) into the Qt-free session layer, which journals and judges them.

- Screens: `QGuiApplication.screens()` at the start (the check-in) and again on every `screenAdded` /
  `screenRemoved`, so a monitor plugged in mid-exam is heard at once.
- The exam window: the application's state (`applicationStateChanged`: another program in front makes it
  inactive), the window minimised, and full screen left after the exam ran full screen. A dialog of the app itself
  (leave the case study?) keeps the application active, so it never counts as leaving. A state away from the
  window is published only once it has lasted SETTLE_S: window managers deactivate a window for a few milliseconds
  while it goes full screen or is first shown (seen as "you left the exam window 1 time, 0 s" in a report), and no
  person can switch to another program and back that fast. Coming back is published at once.

Nothing here decides anything; the rules do (rules/detectors/conditions.py).
"""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from proctorprep.rules import conditions as cd

log = logging.getLogger(__name__)

Publish = Callable[[cd.ConditionEvent], None]
SETTLE_S = 0.25          # an absence from the window shorter than this is a window manager's transition


def screen_names(screens: list[QScreen]) -> list[str]:
    """What a report can name: the screen's name, or its model and size when the platform gives no name."""
    out = []
    for s in screens:
        size = s.size()
        name = s.name() or s.model() or "screen"
        out.append(f"{name} ({size.width()}x{size.height()})")
    return out


class ConditionsWatcher(QObject):
    """Watches Qt's screens and one window's state; calls `publish` with each change (GUI thread)."""

    def __init__(self, window: QWidget, publish: Publish, clock: Callable[[], float]) -> None:
        super().__init__(window)
        self.window = window
        self.publish = publish
        self.clock = clock
        self._running = False
        self._state: str | None = None
        self._screens: int | None = None
        self._was_full_screen = False       # the exam ran full screen: leaving it counts
        self._was_visible = False
        self._settle = QTimer(self)         # an absence is published once it has lasted SETTLE_S
        self._settle.setSingleShot(True)
        self._settle.setInterval(int(SETTLE_S * 1000))
        self._settle.timeout.connect(self._settled)

    # ---- life cycle ------------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._running:
            return
        app = QGuiApplication.instance()
        if app is None:
            return
        self._running = True
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screens_changed)
        app.applicationStateChanged.connect(self._app_state)
        self.window.installEventFilter(self)
        self._screens_changed()
        self._update()

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        app = QGuiApplication.instance()
        if app is not None:
            for sig, slot in ((app.screenAdded, self._screens_changed), (app.screenRemoved, self._screens_changed),
                              (app.applicationStateChanged, self._app_state)):
                try:
                    sig.disconnect(slot)
                except (RuntimeError, TypeError):   # already gone with the application
                    pass
        self.window.removeEventFilter(self)
        self._settle.stop()

    def full_screen_expected(self, on: bool) -> None:
        """The exam went full screen (or the candidate chose a window): from now on leaving it counts (or not)."""
        self._was_full_screen = on
        self._update()

    # ---- Qt --------------------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:   # noqa: N802 - Qt's name
        if obj is self.window and event.type() in (QEvent.Type.WindowStateChange, QEvent.Type.ActivationChange,
                                                   QEvent.Type.Hide, QEvent.Type.Show):
            self._update()
        return False

    def _screens_changed(self, *_args: object) -> None:
        if not self._running:
            return
        screens = list(QGuiApplication.screens())
        if len(screens) != self._screens:
            self._screens = len(screens)
            self._send(cd.ConditionEvent(self.clock(), cd.SCREENS, len(screens), {"names": screen_names(screens)}))

    def _app_state(self, *_args: object) -> None:
        self._update()

    def window_state(self) -> str:
        """The exam window's state now, in the rules' words."""
        w = self.window
        self._was_visible = self._was_visible or w.isVisible()
        # hidden after it was shown is as good as minimised (a window never shown is a test's holder)
        if w.isMinimized() or (self._was_visible and not w.isVisible()):
            return cd.MINIMISED
        if QGuiApplication.applicationState() != Qt.ApplicationState.ApplicationActive:
            return cd.INACTIVE
        if self._was_full_screen and not w.isFullScreen():
            return cd.LEFT_FULL_SCREEN
        return cd.ACTIVE

    def _update(self) -> None:
        if not self._running:
            return
        state = self.window_state()
        if state == self._state:
            self._settle.stop()                   # a flicker away and back: nothing happened
            return
        if state == cd.ACTIVE or self._state not in (None, cd.ACTIVE):
            self._settle.stop()                   # back in the exam, or one kind of absence to another: at once
            self._publish_state(state)
        elif not self._settle.isActive():
            self._settle.start()

    def _settled(self) -> None:
        if self._running:
            state = self.window_state()
            if state != self._state:
                self._publish_state(state)

    def _publish_state(self, state: str) -> None:
        self._state = state
        self._send(cd.ConditionEvent(self.clock(), cd.WINDOW, state))

    def _send(self, ev: cd.ConditionEvent) -> None:
        try:
            self.publish(ev)
        except Exception:   # noqa: BLE001 - a journal problem is reported by the journal; the exam goes on
            log.exception("publishing %s failed", ev.kind)
