"""The one home of what differs between Linux, macOS and Windows.

Everything else in proctorprep is written once for all three and calls these small helpers where the operating
systems disagree: file permissions and renames (files), the journal's lock (locks), which camera back-end OpenCV
uses (camera), where PortAudio comes from (audio), fonts for the PDF report (fonts), and the desktop session
(below). tests/test_portability.py fails on a POSIX-only call anywhere else in the package.

Each helper decides at call time from `os.name` / `sys.platform`, so the tests can run both branches on one machine.
"""

from __future__ import annotations

import os
import sys


def is_windows() -> bool:
    return os.name == "nt"


def is_macos() -> bool:
    return sys.platform == "darwin"


def is_linux() -> bool:
    return sys.platform.startswith("linux")


def platform_name() -> str:
    """"windows", "macos", "linux" or "other" (a BSD): the key the per-platform tables here use."""
    if is_windows():
        return "windows"
    if is_macos():
        return "macos"
    if is_linux():
        return "linux"
    return "other"


def needs_display_variable() -> bool:
    """A window needs an X11 or Wayland server named in DISPLAY / WAYLAND_DISPLAY (Linux, the BSDs). Windows and
    macOS always have their own window system, so there is nothing to check there."""
    return os.name == "posix" and not is_macos()


def set_windows_app_id(app_id: str) -> bool:
    """On Windows, give the process its own AppUserModelID so the taskbar groups its window under proctorprep's
    icon rather than python.exe's. Elsewhere (and if the call fails) nothing happens; True when it was set."""
    if not is_windows():
        return False
    try:
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(app_id)   # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return False
    return True
