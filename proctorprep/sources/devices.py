"""Device probing: which cameras and microphones can be opened. Used by `proctorprep devices` and the home page.
Never raises for a missing device or library: a missing PortAudio or no device at all is a finding."""

from __future__ import annotations

import os
from typing import Any

from proctorprep.oscompat import audio as osaudio
from proctorprep.oscompat import camera as oscamera


def open_camera(index: int, cv2: Any = None) -> tuple[Any, str]:
    """Open camera `index` with this platform's back-ends in turn (oscompat.camera says which and why); returns the
    capture and the back-end's name ("CAP_DSHOW", ...). When none opens, the last attempt's (closed) capture."""
    if cv2 is None:
        import cv2
    cap, name = None, "CAP_ANY"
    for name in oscamera.backend_names():
        api = getattr(cv2, name, None)
        if api is None:            # an OpenCV build without this back-end
            continue
        if cap is not None:
            cap.release()
        cap = cv2.VideoCapture(index, api)
        if cap.isOpened():
            return cap, name
    if cap is None:
        cap = cv2.VideoCapture(index)
    return cap, name


def list_cameras(max_index: int = 6) -> list[dict]:
    """Try camera indices 0..max_index-1; returns the ones that deliver a frame."""
    os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")
    os.environ.setdefault("OPENCV_VIDEOIO_DEBUG", "0")
    import cv2

    found = []
    for index in range(max_index):
        if not oscamera.worth_probing(index):
            continue   # probing a missing V4L2 node only prints warnings
        cap, backend = open_camera(index, cv2)
        try:
            if cap.isOpened():
                ok, frame = cap.read()
                if ok and frame is not None:
                    h, w = frame.shape[:2]
                    found.append({"index": index, "size": (w, h), "fps": cap.get(cv2.CAP_PROP_FPS) or None,
                                  "backend": backend.removeprefix("CAP_")})
        finally:
            cap.release()
    return found


def list_microphones() -> tuple[list[dict], str | None]:
    """Input devices as PortAudio sees them, and a problem line (PortAudio missing, query failed) or None."""
    try:
        import sounddevice as sd
    except OSError as exc:   # sounddevice raises OSError when libportaudio cannot be loaded
        return [], (f"the PortAudio library is missing ({exc}); {osaudio.portaudio_hint()}. "
                    "Until then proctorprep runs video-only.")
    try:
        devices = sd.query_devices()
        default_in = sd.default.device[0] if sd.default.device else -1
    except Exception as exc:  # PortAudio errors are not one class
        return [], f"PortAudio could not list devices: {exc}"
    mics = []
    for i, d in enumerate(devices):
        if d.get("max_input_channels", 0) > 0:
            mics.append({"index": i, "name": d["name"], "channels": d["max_input_channels"],
                         "rate": d.get("default_samplerate"), "default": i == default_in})
    return mics, None
