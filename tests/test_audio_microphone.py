"""The microphone path: ring buffer, MicrophoneSource faults with a fake PortAudio, and the real path through a
private PulseAudio server (null sink monitor -> ALSA 'pulse' -> PortAudio -> sounddevice)."""

from __future__ import annotations

import threading
import time
import tracemalloc

import numpy as np
import pytest

from proctorprep.perception.voice import AudioAnalyser
from proctorprep.sources.base import AudioSource, DeviceEvent
from proctorprep.sources.microphone import MicrophoneSource
from proctorprep.sources.ring import AudioRing
from tests.fixtures import audio_clips as ac
from tests.fixtures.pulse_server import pulse_server  # noqa: F401  (pytest fixture)


# ---------------------------------------------------------------------------------------------- ring buffer
def test_ring_wraps_around_and_keeps_order():
    ring = AudioRing(10, 2)
    data = np.arange(14, dtype=np.float32).reshape(7, 2)
    assert ring.write(data)
    assert ring.read(5).tolist() == data[:5].tolist()
    more = (100 + np.arange(12, dtype=np.float32)).reshape(6, 2)
    assert ring.write(more)                 # crosses the end of the buffer
    assert ring.available() == 8
    out = ring.read()
    assert out.tolist() == np.concatenate([data[5:], more]).tolist()
    assert ring.available() == 0 and ring.read().shape == (0, 2)


def test_ring_drops_and_counts_the_block_that_does_not_fit():
    ring = AudioRing(8, 1)
    assert ring.write(np.ones((6, 1), np.float32))
    assert not ring.write(np.full((3, 1), 2, np.float32))
    assert (ring.overflows, ring.dropped_frames) == (1, 3)
    assert ring.read().ravel().tolist() == [1.0] * 6      # the old data survives intact


# ---------------------------------------------------------------------------------------------- fake PortAudio
class FakeStream:
    def __init__(self, backend, device, channels, samplerate, dtype, callback, finished_callback):
        assert dtype == "float32"
        self.backend, self.channels, self.rate = backend, channels, samplerate
        self.callback, self.finished_callback = callback, finished_callback
        self.active = False
        backend.streams.append(self)

    def start(self):
        if self.backend.fail_open:
            raise RuntimeError("Error opening InputStream: Device unavailable [PaErrorCode -9985]")
        self.active = True

    def push(self, block: np.ndarray, status: int = 0):
        """What PortAudio's thread does: call the callback with frames x channels float32."""
        self.callback(block, len(block), None, status)

    def vanish(self):
        self.active = False
        self.finished_callback()

    def abort(self):
        self.active = False

    def close(self):
        self.active = False


class FakeSoundDevice:
    """Just enough of the sounddevice module for MicrophoneSource."""

    def __init__(self, devices=None):
        self.devices = devices if devices is not None else [
            {"index": 0, "name": "HD Webcam Mic", "max_input_channels": 2, "default_samplerate": 44100.0}]
        self.streams: list[FakeStream] = []
        self.fail_open = False
        self.rescans = 0

    def query_devices(self, device=None, kind=None):
        inputs = [d for d in self.devices if d["max_input_channels"] > 0]
        if device is None and kind is None:
            return self.devices
        if device is None:
            if not inputs:
                raise ValueError("No input device available (-1)")
            return inputs[0]
        for d in inputs:
            if device == d["index"] or (isinstance(device, str) and device.lower() in d["name"].lower()):
                return d
        raise ValueError(f"No input device matching {device!r}")

    def InputStream(self, device, channels, samplerate, dtype, callback, finished_callback, blocksize):  # noqa: N802
        assert blocksize == 4096         # ~93 ms at 44.1 kHz: fewer wake-ups than PortAudio's default
        return FakeStream(self, device, channels, samplerate, dtype, callback, finished_callback)

    def _terminate(self):
        self.rescans += 1

    def _initialize(self):
        pass


def stereo_sine(seconds: float, rate: int, amp: float = 0.5, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    s = (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return np.stack([s, s], axis=1)


def push_all(stream: FakeStream, data: np.ndarray, block: int = 441):
    for i in range(0, len(data) - block + 1, block):
        stream.push(data[i:i + block])


def test_missing_portaudio_is_an_event_not_a_crash():
    events: list[DeviceEvent] = []

    def no_portaudio():
        raise OSError("PortAudio library not found")

    mic = MicrophoneSource(on_event=events.append, backend_loader=no_portaudio)
    assert isinstance(mic, AudioSource)
    assert mic.start() is False
    assert list(mic.blocks()) == []            # returns at once: the session goes on video-only
    assert [e.kind for e in events] == ["unavailable"]
    assert "PortAudio" in events[0].message and "libportaudio2" in events[0].message
    assert events[0].device == "microphone" and mic.state == "unavailable"
    mic.close()


def test_real_sounddevice_without_the_portaudio_library_gives_the_event(tmp_path):
    """The real loader, in a child process where ctypes cannot find libportaudio (as on a machine without it)."""
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "sitecustomize.py").write_text(
        "import ctypes.util\n_orig = ctypes.util.find_library\n"
        "ctypes.util.find_library = lambda name: None if 'portaudio' in name else _orig(name)\n")
    code = ("from proctorprep.sources.microphone import MicrophoneSource\n"
            "m = MicrophoneSource()\nprint(m.start(), list(m.blocks()), m.state)\nprint(m.last_message)\n")
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=root,
                       env={"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{tmp_path}:{root}"})
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    first, message = r.stdout.splitlines()[:2]
    assert first == "False [] unavailable"
    assert "PortAudio library is missing" in message and "libportaudio2" in message


def test_missing_sounddevice_package_is_an_event_too(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "sounddevice", None)       # import fails as if it were not installed
    mic = MicrophoneSource()
    assert mic.start() is False and mic.state == "unavailable"
    assert "sounddevice" in mic.last_message and list(mic.blocks()) == []


def test_no_input_device_and_unknown_name_say_what_exists():
    mic = MicrophoneSource(backend=FakeSoundDevice(devices=[]), reconnect=False)
    assert mic.start() is False and mic.state == "unavailable"
    assert "no microphone was found" in mic.last_message.lower()
    assert list(mic.blocks()) == []

    sd = FakeSoundDevice()
    mic = MicrophoneSource(device="Blue Yeti", backend=sd, reconnect=False)
    assert mic.start() is False
    assert "Blue Yeti" in mic.last_message and "HD Webcam Mic" in mic.last_message
    assert sd.rescans == 1       # looked again before giving up (a mic plugged in after start-up)


def test_blocks_are_16k_mono_512_samples_on_the_session_clock():
    sd = FakeSoundDevice()
    now = [100.0]
    mic = MicrophoneSource(device="webcam", backend=sd, clock=lambda: now[0])
    assert mic.start() and (mic.native_rate, mic.channels) == (44100, 2)
    push_all(sd.streams[0], stereo_sine(1.0, 44100))
    blocks = mic.read_available()
    assert 28 <= len(blocks) <= 31          # 1 s = 31.25 blocks, minus the resampler's delay
    assert all(b.rate == 16000 and b.samples.shape == (512,) and b.samples.dtype == np.float32 for b in blocks)
    assert blocks[0].t_s == pytest.approx(100.0 - 441 / 44100)
    assert np.diff([b.t_s for b in blocks]) == pytest.approx(0.032)
    steady = np.concatenate([b.samples for b in blocks[3:]])
    assert 20 * np.log10(np.sqrt(np.mean(steady ** 2))) == pytest.approx(-9.03, abs=0.1)   # 0.5-amplitude sine
    assert mic.overflows == 0
    mic.close()
    assert mic.state == "closed" and not sd.streams[0].active


def test_callback_only_copies_into_the_preallocated_ring():
    sd = FakeSoundDevice()
    mic = MicrophoneSource(backend=sd, ring_seconds=10.0)
    mic.start()
    stream, data = sd.streams[0], stereo_sine(2.0, 44100)
    stream.push(data[:441])
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    push_all(stream, data[441:])              # 200 callbacks of 441 x 2 float32 (3.5 kB each)
    grown = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    assert grown < 4096, f"the callback allocated {grown} bytes"
    assert mic.read_available()
    mic.close()


def test_overflow_is_counted_reported_and_keeps_time():
    sd = FakeSoundDevice()
    events: list[DeviceEvent] = []
    mic = MicrophoneSource(backend=sd, ring_seconds=0.25, on_event=events.append, clock=lambda: 5.0)
    mic.start()
    stream = sd.streams[0]
    push_all(stream, stereo_sine(1.0, 44100))      # nobody drains: 0.75 s cannot fit
    first = mic.read_available()
    assert mic.overflows > 0 and mic.dropped_frames >= 0.7 * 44100
    assert [e.kind for e in events] == ["opened", "overflow"]
    assert "dropped" in events[-1].message
    assert first[0].t_s == pytest.approx(5.0 - 441 / 44100)      # what was kept is stamped as it was captured
    dropped_before = mic.dropped_frames
    push_all(stream, stereo_sine(0.2, 44100))
    later = mic.read_available()
    # The dropped audio still took time: the next block starts after the gap, not straight after the last one.
    assert later[0].t_s - (first[-1].t_s + 0.032) == pytest.approx(dropped_before / 44100, abs=0.04)
    mic.close()


def test_a_vanishing_device_gives_lost_then_reconnects():
    sd = FakeSoundDevice()
    events: list[DeviceEvent] = []
    mic = MicrophoneSource(backend=sd, on_event=events.append, retry_s=0.05)
    mic.start()
    push_all(sd.streams[0], stereo_sine(0.3, 44100))
    assert mic.read_available()
    sd.streams[0].vanish()
    sd.fail_open = True
    assert mic.read_available() == [] and mic.state == "lost"
    lost = events[-1]
    assert lost.kind == "lost" and "HD Webcam Mic" in lost.message and "reconnect" in lost.message
    time.sleep(0.06)
    mic.read_available()                     # first retry fails: announced once
    assert [e.kind for e in events][-2:] == ["lost", "reconnecting"] and mic.state == "lost"
    sd.fail_open = False
    time.sleep(0.11)
    mic.read_available()
    assert mic.state == "running" and events[-1].kind == "reconnected"
    push_all(sd.streams[-1], stereo_sine(0.3, 44100))
    assert mic.read_available()
    mic.close()


def test_blocks_iterator_ends_on_close_from_another_thread():
    sd = FakeSoundDevice()
    mic = MicrophoneSource(backend=sd, poll_s=0.002)
    got = []

    def producer():
        while not sd.streams:
            time.sleep(0.001)
        push_all(sd.streams[0], stereo_sine(0.5, 44100))
        time.sleep(0.05)
        mic.close()

    th = threading.Thread(target=producer)
    th.start()
    for b in mic.blocks():
        got.append(b)
    th.join(2)
    assert 12 <= len(got) <= 16 and mic.state == "closed"


def test_blocks_iterator_honours_a_stop_flag_while_the_device_is_lost():
    sd = FakeSoundDevice()
    mic = MicrophoneSource(backend=sd, poll_s=0.002, retry_s=60.0)
    mic.start()
    sd.streams[0].vanish()                     # lost: no block will ever arrive
    stop = threading.Event()
    threading.Timer(0.1, stop.set).start()
    t0 = time.monotonic()
    assert list(mic.blocks(stop)) == []
    assert time.monotonic() - t0 < 1.0 and mic.state == "lost"
    mic.close()


# ---------------------------------------------------------------------------------------------- real PulseAudio
@pytest.mark.pulseaudio
def test_real_microphone_through_pulseaudio_hears_speech_survives_the_server_dying_and_reconnects(
        pulse_server, tmp_path):
    clip = ac.concat([ac.speech_clip("alsa:Front_Center"), ac.speech_clip("alsa:Rear_Left")], gap_s=0.3,
                     lead_s=0.2)
    wav = ac.write_wav(tmp_path / "speech.wav", clip.samples)
    again = ac.write_wav(tmp_path / "again.wav", ac.concat([ac.speech_clip("alsa:Front_Left")]).samples)
    events: list[DeviceEvent] = []
    t0 = time.monotonic()
    mic = MicrophoneSource(device="pulse", on_event=events.append, clock=lambda: time.monotonic() - t0,
                           retry_s=0.3)
    assert mic.start(), mic.last_message
    analyser, obs = AudioAnalyser(), []
    player = pulse_server.play(wav)
    script: dict[str, object] = {}

    def wait_for(kind: str, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(e.kind == kind for e in events):
                return True
            time.sleep(0.02)
        return False

    def director():
        try:
            player.wait(timeout=30)
            time.sleep(0.4)
            script["stopped_at"] = time.monotonic() - t0
            pulse_server.stop()                        # the microphone vanishes mid-recording
            script["lost_seen"] = wait_for("lost", 5)
            pulse_server.start()                       # ... and comes back
            script["reconnected"] = wait_for("reconnected", 8)
            script["back_at"] = time.monotonic() - t0
            if script["reconnected"]:
                second = pulse_server.play(again)
                second.wait(timeout=30)
                time.sleep(0.4)
        finally:
            mic.close()                                # whatever happens, the test ends

    th = threading.Thread(target=director)
    th.start()
    for block in mic.blocks():
        obs.extend(analyser.feed(block))
    th.join(30)
    assert player.returncode == 0, player.stderr.read()

    kinds = [e.kind for e in events]
    assert kinds[0] == "opened" and script["lost_seen"], kinds
    lost = events[kinds.index("lost")]
    assert "pulse" in lost.message and "lost" in lost.message
    assert lost.t_s >= script["stopped_at"] and lost.t_s > obs[0].t_s
    assert script["reconnected"] and kinds.index("reconnected") > kinds.index("lost"), kinds

    first = [o for o in obs if o.t_s < script["stopped_at"]]
    after = [o for o in obs if o.t_s > script["back_at"]]
    probs = np.array([o.speech_prob for o in first])
    rms = np.array([o.rms_dbfs for o in first])
    speech_frames = int(np.sum(probs >= 0.5))
    voiced = int(clip.voiced.sum())
    # Most of the voice was heard as speech (played into a null sink: no noise, just the resampling chain)...
    assert speech_frames >= 0.8 * voiced, (speech_frames, voiced)
    # ...and nothing else was: at most a short hangover per utterance beyond the voiced frames.
    assert speech_frames <= voiced + 3 * 8
    # Recorded at the level it was played: loud frames match the clip's loud frames within 2 dB.
    played_db = np.sort(ac.frame_rms_db(clip.samples))[-voiced // 2:]
    assert np.median(np.sort(rms)[-voiced // 2:]) == pytest.approx(np.median(played_db), abs=2.0)
    # Timestamps are monotonic on the injected session clock, and after reconnecting the voice is heard again.
    assert np.all(np.diff([o.t_s for o in obs]) > 0)
    assert sum(o.speech_prob >= 0.5 for o in after) >= 0.6 * ac.speech_clip("alsa:Front_Left").voiced.sum()
