"""The soundtrack of a video file (MP4, MKV, WebM, ...) as an AudioSource, decoded with PyAV (FFmpeg).

`proctorprep analyze recording.mp4` hears what was recorded with it. The first block is placed on the same clock as
the video frames: its time is the audio stream's start minus the video stream's start.

A damaged soundtrack keeps what can be read: a packet that does not decode is replaced by silence of its length (so
the rest stays on the video's clock), a container that cannot be read further ends the track there; either way
`damage_note` says so in plain words, for the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import numpy as np

from proctorprep.sources.audio_file import check_readable_file
from proctorprep.sources.base import AudioBlock, SourceError
from proctorprep.sources.resample import ANALYSIS_RATE, StreamResampler


def has_audio_track(video_path: str | Path) -> bool:
    """True when the file opens and holds at least one audio stream; False otherwise (never raises)."""
    try:
        import av
        with av.open(str(video_path)) as container:
            return any(_stream_rate(s) > 0 for s in container.streams.audio)
    except Exception:   # any FFmpeg/OS error: there is no track we could use
        return False


def _stream_rate(stream) -> int:
    # FFmpeg "finds" an audio stream without a rate in some random data; such a stream is not sound.
    return int(stream.rate or stream.codec_context.sample_rate or 0)


def _stream_start_s(stream) -> float:
    if stream is None or stream.start_time is None or stream.time_base is None:
        return 0.0
    return float(stream.start_time * stream.time_base)


class VideoAudioSource:
    """Stream the first audio track of a media file as 16 kHz mono float32 AudioBlocks."""

    def __init__(self, path: str | Path, t0_s: float = 0.0):
        import av

        self.path = Path(path)
        self.rate = ANALYSIS_RATE
        check_readable_file(self.path)
        try:
            self._container = av.open(str(self.path))
        except Exception as exc:   # av.error.* (InvalidDataError, ...) and OSError
            raise SourceError(f"{self.path}: not a media file this app can read ({_av_reason(exc)})") from exc
        tracks = [s for s in self._container.streams.audio if _stream_rate(s) > 0]
        if not tracks:
            self._container.close()
            raise SourceError(f"{self.path}: has no audio track")
        self._stream = tracks[0]
        self.native_rate = _stream_rate(self._stream)
        video = self._container.streams.video[0] if self._container.streams.video else None
        # Audio that starts later than the video (common in MP4 muxing) keeps its offset on the session clock.
        self.t0_s = float(t0_s) + max(0.0, _stream_start_s(self._stream) - _stream_start_s(video))
        self.channels = int(self._stream.channels or 0)
        self.codec = self._stream.codec_context.name
        self._iterated = False
        self.damage_note: str | None = None

    def blocks(self) -> Iterator[AudioBlock]:
        import av

        # FFmpeg gives many sample formats; have it convert to planar float at the native rate and layout, then
        # average the channels ourselves (FFmpeg's down-mix adds +3 dB for a centred source) and let soxr change the
        # rate, exactly as for files and the microphone.
        to_float = av.AudioResampler(format="fltp", rate=self.native_rate)
        rs = StreamResampler(self.native_rate, self.rate)
        emitted = 0
        decoded = 0
        if self._iterated:           # a second pass starts from the beginning, like AudioFileSource does
            index = self._stream.index
            self._container.close()
            self._container = av.open(str(self.path))
            self._stream = self._container.streams[index]
        self._iterated = True
        lost_s = 0.0
        first_bad: float | None = None
        packets = self._container.demux(self._stream)
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                break
            except av.error.FFmpegError as exc:     # the container itself is unreadable from here on
                self._note_damage(decoded, lost_s, first_bad, exc, ended=True)
                break
            try:
                frames = packet.decode()
            except av.error.FFmpegError as exc:     # one bad packet: silence in its place keeps the clock
                gap = float(packet.duration * packet.time_base) if packet.duration and packet.time_base else 0.0
                first_bad = decoded / self.native_rate if first_bad is None else first_bad
                lost_s += gap
                silence = np.zeros(int(round(gap * self.native_rate)), np.float32)
                if len(silence):
                    emitted = yield from self._emit(rs, silence, emitted)
                    decoded += len(silence)
                self._note_damage(decoded, lost_s, first_bad, exc, ended=False)
                continue
            for frame in frames:
                for planar in to_float.resample(frame):
                    emitted = yield from self._emit(rs, _mean_channels(planar), emitted)
                decoded += frame.samples
        for planar in to_float.resample(None):
            emitted = yield from self._emit(rs, _mean_channels(planar), emitted)
        tail = rs.flush()
        if len(tail):
            yield AudioBlock(t_s=self.t0_s + emitted / self.rate, samples=tail, rate=self.rate)
        if decoded == 0:
            raise SourceError(f"{self.path}: the audio track holds no samples")

    def _emit(self, rs: StreamResampler, mono: np.ndarray, emitted: int):
        out = rs.process(mono)
        if len(out):
            yield AudioBlock(t_s=self.t0_s + emitted / self.rate, samples=out, rate=self.rate)
        return emitted + len(out)

    def _note_damage(self, decoded: int, lost_s: float, first_bad: float | None, exc: BaseException,
                     ended: bool) -> None:
        at = decoded / self.native_rate
        why = _av_reason(exc)
        if ended:
            self.damage_note = (f"the soundtrack of {self.path.name} is damaged after {at:.1f} s ({why}): "
                                "talking after it could not be heard")
        else:
            self.damage_note = (f"the soundtrack of {self.path.name} is damaged from {first_bad or 0.0:.1f} s "
                                f"({why}): {lost_s:.1f} s of it could not be decoded and was taken as silence, so "
                                "talking there could not be heard")

    def close(self) -> None:
        self._container.close()

    def __enter__(self) -> "VideoAudioSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _mean_channels(frame) -> np.ndarray:
    planes = frame.to_ndarray()            # channels x samples for a planar format
    return planes[0] if planes.shape[0] == 1 else planes.mean(axis=0, dtype=np.float32)


def _av_reason(exc: BaseException) -> str:
    text = str(exc)
    # "[Errno 1094995529] Invalid data found when processing input: '/path'" -> the middle part
    if "] " in text:
        text = text.split("] ", 1)[1]
    return text.split(": '", 1)[0].strip() or type(exc).__name__
