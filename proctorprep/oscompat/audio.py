"""Where PortAudio (the microphone library under sounddevice) comes from, so a missing one is told with the fix
for this platform: on Windows and macOS the sounddevice wheel carries its own PortAudio, so a missing one means a
broken install of sounddevice; on Linux it is a system package."""

from __future__ import annotations

from proctorprep import oscompat

HINTS = {
    "linux": "install it with `sudo apt-get install libportaudio2` (Fedora: `sudo dnf install portaudio`)",
    "windows": "the sounddevice package brings its own PortAudio on Windows: reinstall it with "
               "`py -3.11 -m pip install --force-reinstall sounddevice`",
    "macos": "the sounddevice package brings its own PortAudio on macOS: reinstall it with "
             "`python3.11 -m pip install --force-reinstall sounddevice`",
    "other": "install PortAudio with your system's package manager",
}


def portaudio_hint() -> str:
    """How to get PortAudio here, as a clause to follow 'the PortAudio library is missing; '."""
    return HINTS[oscompat.platform_name()]
