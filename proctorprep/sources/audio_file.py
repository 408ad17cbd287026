"""Audio files (WAV, FLAC, OGG, ... anything libsndfile reads) as an AudioSource: 16 kHz mono float32 blocks.

Files are streamed block by block, so an hour-long recording never sits in memory. Bad files fail early with a
`SourceError` that names the file and says what is wrong with it (empty, not audio, truncated, unsupported).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import soundfile as sf

from proctorprep.sources.base import AudioBlock, SourceError
from proctorprep.sources.resample import ANALYSIS_RATE, StreamResampler, to_mono_float32

# libsndfile notes a WAV/AIFF whose data chunk is shorter than its header claims as "data : 64000 (should be 29956)".
_SHORT_DATA = re.compile(r"^\s*data\s*:\s*(\d+)\s*\(should be (\d+)\)", re.MULTILINE)
_OGG_CUT = ("lacks an end-of-stream", "Junk after the last page", "unexpectedly without an End-Of-Stream")


def check_readable_file(path: Path) -> None:
    """Raise SourceError for a missing, unreadable or zero-byte file (shared by every file source)."""
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if not path.is_file():
        raise SourceError(f"{path}: not a file")
    try:
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise SourceError(f"{path}: the file is empty (0 bytes)")


class AudioFileSource:
    """Stream a sound file as AudioBlocks of `block_samples` 16 kHz samples (the last one may be shorter).

    `t0_s` puts the first sample on the session clock (0 for a recording analysed on its own).
    """

    def __init__(self, path: str | Path, t0_s: float = 0.0, block_samples: int = 8000):
        self.path = Path(path)
        self.rate = ANALYSIS_RATE
        self.t0_s = float(t0_s)
        self.block_samples = int(block_samples)
        check_readable_file(self.path)
        try:
            self._file = sf.SoundFile(str(self.path))
        except (sf.LibsndfileError, RuntimeError) as exc:
            raise SourceError(f"{self.path}: not an audio file this app can read "
                              f"({_libsndfile_reason(exc)})") from exc
        try:
            self._check_complete()
        except SourceError:
            self._file.close()
            raise
        self.native_rate = int(self._file.samplerate)
        self.channels = int(self._file.channels)
        self.format = f"{self._file.format}/{self._file.subtype}"
        self.duration_s = self._file.frames / self.native_rate

    def _check_complete(self) -> None:
        f, info = self._file, self._file.extra_info or ""
        short = _SHORT_DATA.search(info)
        if short and int(short.group(2)) < int(short.group(1)):
            bytes_per_s = f.samplerate * f.channels * _sample_bytes(f.subtype)
            promised, present = int(short.group(1)) / bytes_per_s, int(short.group(2)) / bytes_per_s
            raise SourceError(f"{self.path}: the file is truncated (its header promises {promised:.2f} s of audio, "
                              f"only {present:.2f} s are there)")
        if f.format == "OGG" and any(s in info for s in _OGG_CUT):
            raise SourceError(f"{self.path}: the file is truncated (the Ogg stream ends without its last page)")
        if f.frames <= 0:
            raise SourceError(f"{self.path}: contains no audio samples")
        if f.samplerate <= 0 or f.channels <= 0:
            raise SourceError(f"{self.path}: unsupported audio layout ({f.samplerate} Hz, {f.channels} channels)")

    def blocks(self) -> Iterator[AudioBlock]:
        rs = StreamResampler(self.native_rate, self.rate)
        # Read about `block_samples` output samples' worth of input per step.
        step = max(256, int(round(self.block_samples * self.native_rate / self.rate)))
        emitted = 0
        read = 0
        self._file.seek(0)
        while True:
            try:
                data = self._file.read(step, dtype="float32", always_2d=True)
            except (sf.LibsndfileError, RuntimeError) as exc:
                raise SourceError(f"{self.path}: the file is damaged or truncated after "
                                  f"{read / self.native_rate:.2f} s ({_libsndfile_reason(exc)})") from exc
            last = len(data) < step
            read += len(data)
            out = rs.process(to_mono_float32(data), last=last)
            if len(out):
                yield AudioBlock(t_s=self.t0_s + emitted / self.rate, samples=out, rate=self.rate)
                emitted += len(out)
            if last:
                break
        if read < self._file.frames:
            raise SourceError(f"{self.path}: the file is truncated (its header promises "
                              f"{self._file.frames / self.native_rate:.2f} s, only {read / self.native_rate:.2f} s "
                              "could be decoded)")

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "AudioFileSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _sample_bytes(subtype: str) -> int:
    fixed = {"FLOAT": 4, "DOUBLE": 8, "ULAW": 1, "ALAW": 1}
    if subtype in fixed:
        return fixed[subtype]
    m = re.search(r"(\d+)", subtype)
    return max(1, int(m.group(1)) // 8) if m else 2


def _libsndfile_reason(exc: BaseException) -> str:
    """libsndfile's own words without the repeated "Error opening '<path>':" prefix."""
    text = str(exc)
    text = re.sub(r"^Error opening .*?: ", "", text)
    return text.strip().rstrip(".") or type(exc).__name__
