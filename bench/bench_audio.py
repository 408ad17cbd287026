"""Audio path speed and voice-activity accuracy, measured in one run on generated, labelled audio.

    .venv/bin/python bench/bench_audio.py [--seconds 60] [--rounds 2] [--no-webrtc]

Speed: CPU milliseconds per second of audio for the whole path a recording takes in `proctorprep analyze`
(open_audio_file -> decode -> down-mix -> soxr to 16 kHz -> AudioAnalyser: level, noise floor, Silero VAD), on a
48 kHz stereo 16-bit WAV of speech in room noise. CPU time (process_time) of the best round counts, so other load on
the machine matters less than wall time would. Parts are shown too (decode+resample alone, one analyser chunk).

Accuracy: share of voiced 32 ms frames called speech (real human voices from alsa-utils and espeak-ng voices, in room
noise at 20/10/5 dB SNR), and share of frames called speech in sounds that are not speech. WebRTC VAD (mode 3, the
most aggressive; `pip install webrtcvad-wheels`) is measured beside Silero when it is installed.

Live microphone: when `pulseaudio` is installed, a private server (tests/fixtures/pulse_server.py) plays 8 s of speech
into a null sink and MicrophoneSource records it through PortAudio; the CPU of this process per second captured.

Prints each figure with its goal and ok/short; exits 1 only when something could not be measured.
`measure_speed()`, `measure_microphone()` and `measure_detection()` can be called from a combined benchmark.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from proctorprep.perception.voice import AudioAnalyser  # noqa: E402
from proctorprep.sources.audio import open_audio_file  # noqa: E402
from proctorprep.sources.base import AudioBlock  # noqa: E402
from tests.fixtures import audio_clips as ac  # noqa: E402


@dataclass
class Row:
    name: str
    value: float
    unit: str
    goal: str
    ok: bool | None          # None: reported, no goal

    def line(self) -> str:
        verdict = "" if self.ok is None else ("ok" if self.ok else "short")
        return f"{self.name:<50} {self.value:>9.3g} {self.unit:<6} {self.goal:<10} {verdict}"


def recording(seconds: float, d: Path) -> Path:
    clip = ac.speech_in_noise(10)
    reps = int(np.ceil(seconds * ac.RATE / len(clip.samples)))
    x = np.tile(clip.samples, reps)[: int(seconds * ac.RATE)]
    import soxr
    x48 = soxr.resample(x, ac.RATE, 48000, "HQ")
    return ac.write_wav(d / "bench_48k_stereo.wav", np.stack([x48, x48], axis=1), 48000, "PCM_16")


def cpu_path(path: Path, analyse: bool) -> tuple[float, float]:
    """(CPU seconds, audio seconds) for decode+resample, plus analysis when `analyse`."""
    analyser = AudioAnalyser() if analyse else None
    c0 = time.process_time()
    src = open_audio_file(path)
    n = 0
    for block in src.blocks():
        n += len(block.samples)
        if analyser is not None:
            analyser.feed(block)
    src.close()
    return time.process_time() - c0, n / 16000


def per_chunk_ms(fn, chunks: list[np.ndarray]) -> float:
    c0 = time.process_time()
    for i, c in enumerate(chunks):
        fn(c, i * 0.032)
    return (time.process_time() - c0) / len(chunks) * 1000


def webrtc_probs(samples: np.ndarray, mode: int = 3) -> np.ndarray:
    """WebRTC decides on 10/20/30 ms frames: the first 30 ms (480 samples) of each 32 ms chunk."""
    import webrtcvad
    vad = webrtcvad.Vad(mode)
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    return np.array([float(vad.is_speech(pcm[i * 512:i * 512 + 480].tobytes(), 16000))
                     for i in range(len(samples) // 512)])


def silero_probs(samples: np.ndarray) -> np.ndarray:
    return np.array([o.speech_prob for o in AudioAnalyser().feed(AudioBlock(0.0, samples))])


def measure_speed(seconds: float = 60.0, rounds: int = 2, webrtc: bool = False) -> list[Row]:
    """The audio path's CPU cost on a `seconds`-long 48 kHz stereo WAV (for a combined benchmark table too)."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as d:
        wav = recording(seconds, Path(d))
        cpu_path(wav, analyse=True)                     # warm-up: model load, page cache
        full = min(cpu_path(wav, True)[0] for _ in range(rounds)) / seconds * 1000
        dec = min(cpu_path(wav, False)[0] for _ in range(rounds)) / seconds * 1000
    rows.append(Row("audio path, CPU per second of audio", full, "ms/s", "<= 15", full <= 15))
    rows.append(Row("  of which decode + down-mix + resample", dec, "ms/s", "", None))
    chunks = [c.astype(np.float32) for c in np.split(ac.speech_in_noise(10).samples[:512 * 600], 600)]
    analyser = AudioAnalyser()
    rows.append(Row("  analyser, one 32 ms chunk (Silero + level)", per_chunk_ms(analyser.analyse, chunks),
                    "ms", "", None))
    if webrtc:
        import webrtcvad
        vad = webrtcvad.Vad(3)
        pcm = [(c * 32767).astype(np.int16)[:480].tobytes() for c in chunks]
        c0 = time.process_time()
        for p in pcm:
            vad.is_speech(p, 16000)
        rows.append(Row("  WebRTC VAD, one 30 ms frame (for comparison)",
                        (time.process_time() - c0) / len(pcm) * 1000, "ms", "", None))
    return rows


def measure_microphone(seconds: float = 8.0) -> list[Row]:
    """The live path through a private PulseAudio server (null sink -> ALSA 'pulse' -> PortAudio -> ring -> drain
    -> soxr -> analyser): CPU of this process per second of captured audio, and overflows."""
    import os
    import threading

    from proctorprep.sources.microphone import MicrophoneSource
    from tests.fixtures.pulse_server import PulseServer

    with tempfile.TemporaryDirectory() as d:
        server = PulseServer(Path(d))
        saved = {k: os.environ.get(k) for k in server.env}
        os.environ.update(server.env)
        try:
            server.start()
            clip = ac.speech_in_noise(15)
            x = np.tile(clip.samples, int(np.ceil(seconds * ac.RATE / len(clip.samples))))[: int(seconds * ac.RATE)]
            wav = ac.write_wav(Path(d) / "mic.wav", x)
            mic = MicrophoneSource(device="pulse", reconnect=False)
            if not mic.start():
                raise RuntimeError(mic.last_message)
            analyser, n_obs = AudioAnalyser(), 0
            player = server.play(wav)
            threading.Thread(target=lambda: (player.wait(), time.sleep(0.3), mic.close()), daemon=True).start()
            c0, first = time.process_time(), None
            for block in mic.blocks():
                first = first if first is not None else time.process_time()
                n_obs += len(analyser.feed(block))
            cpu = time.process_time() - (first if first is not None else c0)
            bare = _bare_capture_cpu(server, wav)
        finally:
            server.stop()
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    audio_s = n_obs * 0.032
    if audio_s < 0.5 * seconds:
        raise RuntimeError(f"only {audio_s:.1f} s of the {seconds:.0f} s played came through the microphone")
    per_s = cpu / audio_s * 1000
    return [Row("live microphone path (PulseAudio), CPU per second", per_s, "ms/s", "<= 15", per_s <= 15),
            Row("  of which PortAudio + ALSA/pulse capture alone", bare, "ms/s", "", None),
            Row("  overflows during the capture", float(mic.overflows), "blocks", "0", mic.overflows == 0)]


def _bare_capture_cpu(server, wav: Path) -> float:
    """The floor under any app: a sounddevice stream on the same device and block size, whose callback only counts."""
    import sounddevice as sd

    frames = [0]

    def count(indata, n, t, status):
        frames[0] += n

    with sd.InputStream(device="pulse", channels=2, samplerate=44100, dtype="float32", blocksize=2048,
                        callback=count):
        player = server.play(wav)
        while frames[0] == 0 and player.poll() is None:
            time.sleep(0.01)
        c0, f0 = time.process_time(), frames[0]
        player.wait()
        cpu = time.process_time() - c0
    return cpu / max(1e-9, (frames[0] - f0) / 44100) * 1000


Detection = tuple[str, float, "float | None", str, bool]


def measure_detection(webrtc: bool = False) -> list[Detection]:
    """(name, Silero %, WebRTC % or None, goal text, ok) for speech at 20/10/5 dB and every negative."""
    table: list[Detection] = []
    for voices, sources in (("human", [s for s in ac.speech_sources() if s.startswith("alsa:")]),
                            ("espeak", [s for s in ac.speech_sources() if s.startswith("espeak:")])):
        for snr in (20, 10, 5):
            clip = ac.speech_in_noise(snr, sources)
            s = ac.detection_rate(silero_probs(clip.samples), clip.voiced) * 100
            w = ac.detection_rate(webrtc_probs(clip.samples), clip.voiced) * 100 if webrtc else None
            goal = 80 if snr >= 10 else 70
            table.append((f"speech heard: {voices} voices at {snr} dB SNR", s, w, f">= {goal} %", s >= goal))
    negatives = [(k.replace("_", " "), ac.negative(k, seconds=20.0).samples) for k in ac.NEGATIVES]
    # a hair-dryer-loud hiss: where level-driven VADs fail
    negatives += [(f"{k.replace('_', ' ')} at -20 dBFS", ac.set_rms(ac.negative(k, seconds=20.0).samples, -20.0))
                  for k in ("white_noise", "pink_noise")]
    for name, x in negatives:
        s = float(np.mean(silero_probs(x) >= 0.5)) * 100
        w = float(np.mean(webrtc_probs(x) >= 0.5)) * 100 if webrtc else None
        table.append((f"called speech: {name}", s, w, "< 5 %", s < 5))
    return table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="length of the timed recording (default 60)")
    ap.add_argument("--rounds", type=int, default=2, help="timed rounds, the best counts (default 2)")
    ap.add_argument("--no-webrtc", action="store_true", help="do not measure WebRTC VAD")
    ap.add_argument("--no-mic", action="store_true", help="skip the live microphone path (needs pulseaudio)")
    args = ap.parse_args()
    try:
        import webrtcvad  # noqa: F401
        webrtc = not args.no_webrtc
    except ImportError:
        webrtc = False
    import shutil
    try:
        rows = measure_speed(args.seconds, args.rounds, webrtc)
        if not args.no_mic and shutil.which("pulseaudio"):
            rows += measure_microphone()
        table = measure_detection(webrtc)
    except Exception as exc:   # the benchmark could not measure: say so and fail
        print(f"bench_audio: could not measure: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1

    print(f"{'audio path':<50} {'value':>9} {'unit':<6} {'goal':<10} result")
    for r in rows:
        print(r.line())
    print()
    head = f"{'voice activity (Silero, threshold 0.5)':<50} {'Silero':>9} {'WebRTC-3' if webrtc else '':>9} goal"
    print(head)
    for name, s, w, goal, ok in table:
        wtxt = f"{w:>8.1f}%" if w is not None else " " * 9
        print(f"{name:<50} {s:>8.1f}% {wtxt} {goal:<8} {'ok' if ok else 'short'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
