"""Small interfaces every source implements, so the pipeline treats a camera and a file alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True, slots=True)
class Frame:
    t_s: float            # session clock, seconds
    index: int            # frame number from the source (gaps = dropped frames)
    image: np.ndarray     # BGR uint8, H x W x 3 (as cv2 gives it); owned by the receiver


@dataclass(frozen=True, slots=True)
class AudioBlock:
    t_s: float            # session-clock time of the first sample
    samples: np.ndarray   # float32 mono at `rate`, -1..1
    rate: int = 16000


# Device names and event kinds every consumer of DeviceEvents agrees on (the pipeline, the history, the report).
PICTURE_DEVICES: tuple[str, ...] = ("camera", "video_file")
SOUND_DEVICES: tuple[str, ...] = ("microphone", "audio_file")
LOST_KINDS: tuple[str, ...] = ("lost", "unavailable", "ended", "reconnecting")
BACK_KINDS: tuple[str, ...] = ("reconnected", "opened")


@dataclass(frozen=True, slots=True)
class DeviceEvent:
    """Something happened to a device: lost, reopened, overflow, missing library. Goes to the journal and UI."""

    t_s: float
    device: str           # "camera" | "microphone" | "video_file" | "audio_file"
    kind: str             # "opened" | "lost" | "reconnecting" | "reconnected" | "unavailable" | "overflow" | "ended"
    message: str


class SourceError(Exception):
    """A source could not be opened or read; the message is for the user and names the file or device."""


@runtime_checkable
class FrameSource(Protocol):
    fps: float
    size: tuple[int, int]

    def frames(self) -> Iterator[Frame]: ...
    def close(self) -> None: ...


@runtime_checkable
class AudioSource(Protocol):
    rate: int

    def blocks(self) -> Iterator[AudioBlock]: ...
    def close(self) -> None: ...
