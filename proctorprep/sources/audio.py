"""Audio sources behind one interface (`AudioSource`: `.rate == 16000`, `blocks()` of float32 mono, `close()`).

- `open_audio_file(path)`: WAV/FLAC/OGG/... via soundfile; other containers (M4A, MP4, WebM) via PyAV.
- `VideoAudioSource(path)` / `has_audio_track(path)`: the soundtrack of a video file.
- `MicrophoneSource(device=None, on_event=...)`: a live input through sounddevice/PortAudio.
"""

from __future__ import annotations

from pathlib import Path

import soundfile as sf

from proctorprep.sources.audio_file import AudioFileSource, check_readable_file
from proctorprep.sources.base import SourceError
from proctorprep.sources.microphone import MicrophoneSource
from proctorprep.sources.resample import ANALYSIS_RATE
from proctorprep.sources.video_audio import VideoAudioSource, has_audio_track

__all__ = ["ANALYSIS_RATE", "AudioFileSource", "MicrophoneSource", "VideoAudioSource", "has_audio_track",
           "open_audio_file"]


def open_audio_file(path: str | Path, t0_s: float = 0.0) -> AudioFileSource | VideoAudioSource:
    """Open any audio recording: libsndfile formats directly, other containers through FFmpeg.

    Raises SourceError naming the file when it is missing, empty, truncated, not audio or unsupported.
    """
    p = Path(path)
    check_readable_file(p)
    try:
        sf.info(str(p))
    except (sf.LibsndfileError, RuntimeError):
        # Not a libsndfile format: an .m4a, .mp4 or .webm recording still has a soundtrack FFmpeg can read.
        if has_audio_track(p):
            return VideoAudioSource(p, t0_s=t0_s)
        if _is_media_without_audio(p):
            raise SourceError(f"{p}: is a video file with no audio track") from None
        return AudioFileSource(p, t0_s=t0_s)   # raises the SourceError with libsndfile's reason
    return AudioFileSource(p, t0_s=t0_s)


def _is_media_without_audio(path: Path) -> bool:
    try:
        import av
        with av.open(str(path)) as c:
            return not c.streams.audio and bool(c.streams.video) and c.format.name not in ("image2", "tty")
    except Exception:   # not something FFmpeg can open
        return False
