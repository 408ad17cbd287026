"""Audio files and video soundtracks: any rate, channel count and sample format gives the same answer; bad files
give a clear error naming the file."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import soxr

from proctorprep.perception.voice import AudioAnalyser
from proctorprep.sources.audio import (AudioFileSource, VideoAudioSource, has_audio_track, open_audio_file)
from proctorprep.sources.base import AudioBlock, AudioSource, SourceError
from tests.fixtures import audio_clips as ac
from tests.fixtures.audio_clips import audio_cache_dir  # noqa: F401  (pytest fixture)

RATES = (8000, 11025, 16000, 22050, 32000, 44100, 48000)


@pytest.fixture(scope="module")
def reference() -> ac.Clip:
    """About 5 s: a real voice, a synthetic voice, a real voice, in room noise at 10 dB SNR."""
    return ac.mix_at_snr(ac.concat([ac.speech_clip("alsa:Side_Right"), ac.speech_clip("espeak:2"),
                                    ac.speech_clip("alsa:Front_Left")]), ac.room_noise(200_000), 10)


def analyse_source(src: AudioSource) -> tuple[np.ndarray, np.ndarray]:
    analyser, obs = AudioAnalyser(), []
    try:
        for block in src.blocks():
            assert isinstance(block, AudioBlock) and block.rate == 16000 and block.samples.dtype == np.float32
            obs.extend(analyser.feed(block))
    finally:
        src.close()
    return np.array([o.speech_prob for o in obs]), np.array([o.rms_dbfs for o in obs])


def as_format(clip: ac.Clip, rate: int, channels: int) -> np.ndarray:
    x = clip.samples if rate == 16000 else soxr.resample(clip.samples, 16000, rate, "VHQ")
    return np.stack([x] * channels, axis=1) if channels > 1 else x


@pytest.fixture(scope="module")
def reference_answer(reference) -> tuple[np.ndarray, np.ndarray]:
    analyser = AudioAnalyser()
    obs = analyser.feed(AudioBlock(0.0, reference.samples))
    return np.array([o.speech_prob for o in obs]), np.array([o.rms_dbfs for o in obs])


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("channels,subtype,suffix", [(1, "PCM_16", ".wav"), (2, "FLOAT", ".wav"),
                                                     (2, "PCM_24", ".flac")])
def test_same_sound_same_answer_at_any_rate_channels_and_format(rate, channels, subtype, suffix, reference,
                                                                 reference_answer, audio_cache_dir):
    path = ac.cached_wav(audio_cache_dir, f"ref_{rate}_{channels}_{subtype}{suffix}",
                         lambda: as_format(reference, rate, channels), rate=rate, subtype=subtype)
    src = open_audio_file(path)
    assert isinstance(src, AudioFileSource) and src.native_rate == rate and src.channels == channels
    probs, rms = analyse_source(src)
    ref_probs, ref_rms = reference_answer
    n = min(len(probs), len(ref_probs))
    assert abs(len(probs) - len(ref_probs)) <= 1
    voiced = reference.voiced[:n]
    # The same frames are called speech (the VAD is a little history-dependent, so allow a few flips at edges)...
    agree = np.mean((probs[:n] >= 0.5) == (ref_probs[:n] >= 0.5))
    assert agree >= (0.93 if rate == 8000 else 0.96), agree
    assert ac.detection_rate(probs[:n], voiced) >= 0.8
    # ...at the same level (8 kHz loses the energy above 4 kHz; PCM_16 adds quantisation noise at -96 dBFS).
    assert np.median(rms[:n][voiced]) == pytest.approx(np.median(ref_rms[:n][voiced]), abs=0.5)


def test_ogg_vorbis_is_read_too(reference, reference_answer, tmp_path):
    path = ac.write_wav(tmp_path / "ref.ogg", as_format(reference, 44100, 2), 44100, subtype="VORBIS")
    probs, _ = analyse_source(open_audio_file(path))
    n = min(len(probs), len(reference_answer[0]))
    assert np.mean((probs[:n] >= 0.5) == (reference_answer[0][:n] >= 0.5)) >= 0.93


def test_blocks_are_stamped_from_t0_without_gaps(reference, tmp_path):
    path = ac.write_wav(tmp_path / "r.wav", as_format(reference, 44100, 1), 44100)
    src = AudioFileSource(path, t0_s=12.5, block_samples=3000)
    blocks = list(src.blocks())
    src.close()
    assert blocks[0].t_s == 12.5
    for a, b in zip(blocks, blocks[1:]):
        assert b.t_s == pytest.approx(a.t_s + len(a.samples) / 16000)
    assert sum(len(b.samples) for b in blocks) == pytest.approx(len(reference.samples), abs=2)


def write_video(path: Path, audio: np.ndarray | None, rate: int = 44100, seconds: float = 2.0,
                audio_codec: str = "aac", audio_delay_s: float = 0.0) -> Path:
    """A tiny MP4: grey 64x48 frames at 10 fps and, optionally, a stereo soundtrack."""
    with av.open(str(path), "w") as out:
        v = out.add_stream("mpeg4", rate=10)
        v.width, v.height, v.pix_fmt = 64, 48, "yuv420p"
        a = None
        if audio is not None:
            a = out.add_stream(audio_codec, rate=rate)
            a.layout = "stereo"
        for i in range(int(seconds * 10)):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 100 + i, np.uint8), format="rgb24")
            out.mux(v.encode(frame))
        out.mux(v.encode(None))
        if a is not None:
            pcm = np.ascontiguousarray(np.clip(audio, -1, 1).T.astype(np.float32))   # planar: channels x n
            step = 1024
            for i in range(0, pcm.shape[1], step):
                af = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm[:, i:i + step]), format="fltp",
                                                layout="stereo")
                af.sample_rate = rate
                af.pts = i + int(audio_delay_s * rate)
                af.time_base = Fraction(1, rate)
                out.mux(a.encode(af))
            out.mux(a.encode(None))
    return path


def test_video_soundtrack_is_heard_like_the_file(reference, reference_answer, tmp_path):
    video = write_video(tmp_path / "rec.mp4", as_format(reference, 44100, 2), seconds=len(reference.samples) / 16000)
    silent = write_video(tmp_path / "silent.mp4", None)
    assert has_audio_track(video) and not has_audio_track(silent)
    assert not has_audio_track(tmp_path / "missing.mp4")
    src = VideoAudioSource(video)
    assert src.native_rate == 44100 and src.rate == 16000
    probs, rms = analyse_source(src)
    ref_probs, ref_rms = reference_answer
    n = min(len(probs), len(ref_probs))
    assert len(probs) >= len(ref_probs) - 2
    # AAC is lossy and its encoder delay shifts the track by about 1024 samples (1.5 frames): compare detections.
    assert ac.detection_rate(probs[:n], reference.voiced[:n]) >= 0.8
    assert np.mean(probs >= 0.5) == pytest.approx(np.mean(ref_probs >= 0.5), abs=0.06)
    assert np.median(rms[:n][reference.voiced[:n]]) == pytest.approx(
        np.median(ref_rms[:n][reference.voiced[:n]]), abs=1.0)
    # A second pass reads the track again from the start.
    with VideoAudioSource(video) as again:
        first, second = [b.samples for b in again.blocks()], [b.samples for b in again.blocks()]
    assert np.array_equal(np.concatenate(first), np.concatenate(second))
    # An audio-only container that libsndfile cannot read goes through FFmpeg.
    m4a = write_video(tmp_path / "voice.m4a", as_format(reference, 44100, 2), seconds=0.2)
    assert isinstance(open_audio_file(m4a), VideoAudioSource)


# ---------------------------------------------------------------------------------------------- bad files
def _bad_files(d: Path, good_wav: Path, good_flac: Path, good_ogg: Path) -> dict[str, tuple[Path, str]]:
    wav, flac, ogg = good_wav.read_bytes(), good_flac.read_bytes(), good_ogg.read_bytes()
    files = {
        "empty": ("empty.wav", b"", "empty"),
        "text": ("notes.wav", b"these are my exam notes, not audio\n" * 20, "not an audio file"),
        "random": ("noise.flac", np.random.default_rng(0).bytes(5000), "not an audio file"),
        "truncated_wav": ("cut.wav", wav[: len(wav) // 3], "truncated"),
        "header_only_wav": ("header.wav", wav[:44], "truncated"),
        "truncated_flac": ("cut.flac", flac[: len(flac) // 3], "truncated"),
        "truncated_ogg": ("cut.ogg", ogg[: len(ogg) // 3], "truncated"),
    }
    out = {}
    for key, (name, data, words) in files.items():
        p = d / name
        p.write_bytes(data)
        out[key] = (p, words)
    out["missing"] = (d / "nope.wav", "no such file")
    out["directory"] = (d, "not a file")
    out["video_without_sound"] = (write_video(d / "silent.mp4", None, seconds=0.5), "no audio track")
    return out


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, reference) -> dict[str, tuple[Path, str]]:
    d = tmp_path_factory.mktemp("bad_audio")
    x = as_format(reference, 44100, 2)
    return _bad_files(d, ac.write_wav(d / "g.wav", x, 44100), ac.write_wav(d / "g.flac", x, 44100),
                      ac.write_wav(d / "g.ogg", x, 44100, subtype="VORBIS"))


@pytest.mark.parametrize("kind", ["empty", "text", "random", "truncated_wav", "header_only_wav", "truncated_flac",
                                  "truncated_ogg", "missing", "directory", "video_without_sound"])
def test_bad_files_give_a_clear_error_naming_the_file(kind, bad_files):
    path, words = bad_files[kind]
    with pytest.raises(SourceError) as err:
        src = open_audio_file(path)
        try:
            for _ in src.blocks():      # some damage only shows while decoding
                pass
        finally:
            src.close()
    msg = str(err.value)
    assert str(path) in msg and words in msg, msg
    assert "\n" not in msg and "Traceback" not in msg


def test_video_source_errors_name_the_file(bad_files):
    for kind, words in (("text", "not a media file"), ("video_without_sound", "no audio track"),
                        ("empty", "empty")):
        path = bad_files[kind][0]
        with pytest.raises(SourceError, match=words) as err:
            VideoAudioSource(path)
        assert str(path) in str(err.value)


@pytest.mark.parametrize("suffix", [".mp4", ".mkv"])
def test_a_soundtrack_that_starts_after_the_video_keeps_its_offset(suffix, tmp_path):
    tone = np.repeat((0.1 * np.sin(np.arange(44100) / 10))[:, None], 2, axis=1).astype(np.float32)
    video = write_video(tmp_path / f"late{suffix}", tone, seconds=2.0, audio_delay_s=0.5)
    with VideoAudioSource(video, t0_s=10.0) as src:
        blocks = list(src.blocks())
    # 0.5 s late on the video's clock (AAC's encoder delay may take off up to 1024 samples = 23 ms)
    assert blocks[0].t_s == pytest.approx(10.5, abs=0.03)
    assert sum(len(b.samples) for b in blocks) / 16000 == pytest.approx(1.0, abs=0.1)


def test_sample_formats_are_scaled_to_full_scale_and_channels_averaged():
    from proctorprep.sources.resample import resample_to_analysis_rate, to_mono_float32

    assert to_mono_float32(np.array([-32768, 0, 16384], np.int16)).tolist() == [-1.0, 0.0, 0.5]
    assert to_mono_float32(np.array([0, 128, 192], np.uint8)).tolist() == [-1.0, 0.0, 0.5]
    assert to_mono_float32(np.array([-2 ** 31, 2 ** 30], np.int32)).tolist() == [-1.0, 0.5]
    stereo = np.array([[0.5, 0.1], [-0.2, -0.4]], np.float64)
    assert to_mono_float32(stereo).tolist() == pytest.approx([0.3, -0.3])
    with pytest.raises(ValueError, match="1-D or 2-D"):
        to_mono_float32(np.zeros((2, 2, 2)))
    tone = np.sin(2 * np.pi * 440 * np.arange(44100) / 44100)
    as_int16 = resample_to_analysis_rate((np.stack([tone, tone], 1) * 16384).astype(np.int16), 44100)
    as_float = resample_to_analysis_rate(tone * 0.5, 44100)
    assert as_int16.dtype == as_float.dtype == np.float32 and len(as_int16) == 16000
    assert np.max(np.abs(as_int16 - as_float)) < 1e-3
