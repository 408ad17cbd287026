"""Which OpenCV video back-end opens a webcam on this platform, in the order to try them.

- Windows: DirectShow first. Media Foundation (OpenCV's default there) takes seconds to open many webcams and to
  deliver the first frame, and often ignores the size and rate we ask for; DirectShow honours them. Media
  Foundation stays as the fallback for cameras that only have a Media Foundation driver (some Surface cameras).
- macOS: AVFoundation, the only one there. The first open asks the user for camera access (Terminal's or the app's).
- Linux: Video4Linux2, then anything else OpenCV has (a build with GStreamer reaches PipeWire cameras).
A video file always goes through OpenCV's default (FFmpeg) and needs none of this.
"""

from __future__ import annotations

import os

from proctorprep import oscompat

BACKENDS: dict[str, tuple[str, ...]] = {
    "windows": ("CAP_DSHOW", "CAP_MSMF"),
    "macos": ("CAP_AVFOUNDATION",),
    "linux": ("CAP_V4L2", "CAP_ANY"),
    "other": ("CAP_ANY",),
}


def backend_names() -> tuple[str, ...]:
    """The cv2 constant names (cv2.CAP_DSHOW, ...) to open a camera with, best first."""
    return BACKENDS[oscompat.platform_name()]


def worth_probing(index: int) -> bool:
    """Whether `proctorprep devices` should try camera `index`. On Linux a camera is a /dev/videoN node, and
    opening a missing one only prints warnings; elsewhere there is no such node to look for (macOS has /dev but no
    /dev/video*), so every index is tried."""
    if not oscompat.is_linux() or not os.path.isdir("/dev"):
        return True
    return os.path.exists(f"/dev/video{index}")
