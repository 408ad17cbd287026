"""Application start-up: QApplication, theme, main window, the live session controller, the event loop.

Only Qt and the small settings/paths modules are imported before the window shows; OpenCV, mediapipe, the VAD and
the report renderers load later, on worker threads or when a page needs them (time to first window ≤ 3 s)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from proctorprep import paths
from proctorprep import settings as settings_mod

log = logging.getLogger(__name__)


def launch_options(args: argparse.Namespace) -> Any:
    from proctorprep.ui.context import LaunchOptions

    return LaunchOptions(video=getattr(args, "video", None), audio=getattr(args, "audio", None),
                         exam=getattr(args, "exam", None), profile=getattr(args, "profile", None))


def create_app() -> Any:
    from PySide6.QtWidgets import QApplication

    from proctorprep.ui import theme

    app = QApplication.instance()
    if app is None:
        theme.configure_before_app()
        app = QApplication(sys.argv[:1])
    app.setApplicationName("proctorprep")
    app.setApplicationDisplayName("proctorprep")
    set_app_identity(app)
    return app


def set_app_identity(app: Any) -> None:
    """The app's own icon in the title bar, task bar and dock, and the name the desktop knows it by: Wayland and
    GNOME match the window to proctorprep.desktop (`proctorprep install-desktop-entry`) by it; Windows groups
    the task-bar button under it instead of under python.exe."""
    from importlib import resources

    from PySide6.QtGui import QIcon

    from proctorprep import oscompat

    icon = resources.files("proctorprep.assets") / "desktop" / "proctorprep.svg"
    app.setWindowIcon(QIcon(str(icon)))
    app.setDesktopFileName("proctorprep")
    oscompat.set_windows_app_id("proctorprep")


def build_window(launch: Any, data_dir: Path | None = None) -> Any:
    """The main window with its context and session controller, on the home page (not shown yet)."""
    from proctorprep.ui import theme
    from proctorprep.ui.context import AppContext
    from proctorprep.ui.main_window import MainWindow
    from proctorprep.ui.session import SessionController

    data = paths.data_dir(data_dir)
    settings, problems = settings_mod.load(paths.settings_file(data))
    app = create_app()
    theme.apply_theme(app, settings.theme)
    if launch.profile:
        settings.profile = launch.profile
    ctx = AppContext(settings=settings, data_dir=data, actions=None, runner=None, launch=launch,
                     settings_problems=problems)
    window = MainWindow(ctx)          # creates ctx.actions and ctx.runner, parented to itself
    ctx.session = SessionController(ctx)
    ctx.session.setParent(window)
    s = ctx.session.setup
    s.profile = settings.profile
    s.live_warnings, s.keep_snapshots = settings.live_warnings, settings.keep_snapshots
    s.analysis_fps, s.camera_index, s.microphone = settings.analysis_fps, settings.camera_index, settings.microphone
    s.video_file, s.audio_file, s.bank_ref = launch.video, launch.audio, launch.exam
    window.navigate("home")
    return window


def after_show(window: Any) -> None:
    """Things that may take a moment, done once the window is on screen."""
    ctx = window.ctx
    for problem in ctx.settings_problems:
        ctx.show_banner("settings", problem + " (fix or delete the settings file to silence this)", "warning")

    def find() -> list[Any]:
        from proctorprep.journal.recovery import find_interrupted

        return list(find_interrupted(ctx.sessions_dir))

    ctx.run_background(find, lambda found: offer_recovery(window, found), lambda msg: None)
    remind_renewals(window)


def remind_renewals(window: Any) -> None:
    """Say which renewal windows are open or closing, with the way to the renewal round (the journey file only:
    cheap; a journey that cannot be read is the journey page's to explain)."""
    from datetime import date

    ctx = window.ctx
    data, today = ctx.data_dir, date.today()

    def find() -> tuple[list[Any], Any]:
        from proctorprep.progress import journey
        from proctorprep.progress.renewal_window import reminders

        j = journey.load(data)
        return reminders(j.certifications, today), j

    ctx.run_background(find, lambda found: show_renewals(window, *found), lambda msg: None)


def show_renewals(window: Any, due: list[Any], journey: Any) -> None:
    if not due or getattr(window, "current_key", None) == "journey":
        return           # the journey page shows the same in its Renewals box, with the same button
    from proctorprep.ui.pages.journey import renewal_page

    key, _words = renewal_page()
    text = " ".join(s.text for s in due)
    banks = [c.bank_id for c in journey.certifications if c.id in {s.cert_id for s in due} and c.bank_id]
    if len(due) == 1 and banks:
        cert = journey.cert(due[0].cert_id)
        # a short label: the message card is narrow, and a long button squeezes its text into a column
        if key != "quick_round":
            label = "Renewal round"
        else:
            label = "Practise now"
            text += " A quick round on its practice bank stands in for the renewal round."
        action = (label, lambda: window.navigate(key, bank_id=cert.bank_id,
                                                 reason=f"Renewal practice for {cert.name}"))
    else:
        action = ("Open the journey", lambda: window.navigate("journey"))
    level = "warning" if any(s.state == "closing" for s in due) else "info"
    window.banners.show_banner("renewal", text, level, action)


def offer_recovery(window: Any, found: list[Any]) -> None:
    if not found:
        return
    from proctorprep.ui.dialogs import ask_finish_interrupted

    ask_finish_interrupted(window, found)


PREFERRED_WINDOW_SIZE = (1180, 820)
# The pages are laid out for a 1024x700 window at the least (the smallest screen the tour checks).
SMALLEST_LAID_OUT = (1024, 700)


def initial_window_size(avail_w: int, avail_h: int) -> tuple[int, int] | None:
    """The first window size on a screen with this much room, or None to open maximised.

    A screen with room for the preferred size gets it. A smaller one gets a maximised window: 95 % of a 1024 px
    screen is 972 px, narrower than the pages are laid out for, and Home then needed a horizontal scroll bar."""
    pref_w, pref_h = PREFERRED_WINDOW_SIZE
    if avail_w >= pref_w + 40 and avail_h >= pref_h + 40:
        return pref_w, pref_h
    if avail_w * 0.95 >= SMALLEST_LAID_OUT[0] and avail_h * 0.92 >= SMALLEST_LAID_OUT[1]:
        return min(pref_w, int(avail_w * 0.95)), min(pref_h, int(avail_h * 0.92))
    return None


def run_app(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer

    app = create_app()
    window = build_window(launch_options(args))
    screen = app.primaryScreen()
    avail = screen.availableGeometry() if screen is not None else None
    size = initial_window_size(avail.width(), avail.height()) if avail is not None else PREFERRED_WINDOW_SIZE
    if os.environ.get(EXIT_WHEN_SHOWN_ENV):
        exit_when_shown(app, window)
    if size is None:
        # the full screen's size first, so that a desktop without a window manager to maximise it still fits
        window.resize(avail.width(), avail.height())
        window.showMaximized()
    else:
        window.resize(*size)
        window.show()
    QTimer.singleShot(0, lambda: after_show(window))
    code = app.exec()
    return int(code)


# For bench/bench_live.py (time from command to first window): print a line and quit once the window is exposed.
EXIT_WHEN_SHOWN_ENV = "PROCTORPREP_EXIT_WHEN_SHOWN"
SHOWN_MARKER = "proctorprep: first window shown"


def exit_when_shown(app: Any, window: Any) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _Watch(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:   # noqa: N802 - Qt's name
            if event.type() in (QEvent.Type.Expose, QEvent.Type.Paint) and not getattr(self, "done", False):
                self.done = True
                print(SHOWN_MARKER, flush=True)
                QTimer.singleShot(0, window.close)
            return False

    watch = _Watch(window)
    window.installEventFilter(watch)
