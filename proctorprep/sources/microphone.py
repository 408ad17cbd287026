"""The microphone as an AudioSource: sounddevice.InputStream -> ring buffer -> 32 ms blocks at 16 kHz mono.

- The PortAudio callback only copies into a preallocated `AudioRing` (no logging, no allocation, no locks).
- A worker (whoever iterates `blocks()` or calls `read_available()`) drains the ring, down-mixes, resamples with soxr
  and cuts 512-sample blocks stamped on the injected session clock.
- Nothing raises on a device problem: a missing PortAudio library, no input device, or a device that stops
  delivering produce a `DeviceEvent` (to `on_event` and `.events`) with a message for the user, and the session goes
  on video-only. A lost device is re-opened with back-off when `reconnect` is on.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any, Callable, Iterator

import numpy as np

from proctorprep.oscompat import audio as osaudio
from proctorprep.sources.base import AudioBlock, DeviceEvent
from proctorprep.sources.resample import ANALYSIS_RATE, StreamResampler, to_mono_float32
from proctorprep.sources.ring import AudioRing

CHUNK = 512                   # samples per block at 16 kHz = 32 ms, the VAD's window
PORTAUDIO_MISSING = ("the PortAudio library is missing, so the microphone cannot be used ({err}); {hint}. The exam "
                     "goes on video-only and talking cannot be detected.")


def load_sounddevice() -> Any:
    """Import sounddevice; it raises OSError when libportaudio cannot be loaded."""
    import sounddevice
    return sounddevice


def rescan_devices(sd: Any) -> None:
    """Make PortAudio list devices afresh (it only looks once, at start-up). Only safe with no stream open."""
    terminate, initialize = getattr(sd, "_terminate", None), getattr(sd, "_initialize", None)
    if terminate is None or initialize is None:
        return
    try:
        terminate()
        initialize()
    except Exception:   # a failed rescan leaves the old device list; opening will say what is wrong
        pass


class MicrophoneSource:
    """Live microphone input. `device`: PortAudio index, a (part of a) device name, or None for the default input.

    `clock()` returns the session clock in seconds (the same one the camera uses); `backend` replaces the sounddevice
    module in tests. `on_event` is called on the thread that reads blocks (never on PortAudio's thread).
    """

    def __init__(self, device: int | str | None = None, on_event: Callable[[DeviceEvent], None] | None = None,
                 clock: Callable[[], float] = time.monotonic, channels: int | None = None,
                 ring_seconds: float = 4.0, reconnect: bool = True, stall_timeout_s: float = 2.0,
                 poll_s: float = 0.25, block_s: float = 0.1, retry_s: float = 1.0, backend: Any = None,
                 backend_loader: Callable[[], Any] = load_sounddevice):
        self.device = device
        self.rate = ANALYSIS_RATE
        self.on_event = on_event
        self.events: list[DeviceEvent] = []
        self.state = "idle"            # idle | running | lost | unavailable | closed
        self.last_message = ""
        self.device_name: str | None = None
        self.native_rate: int | None = None
        self.channels: int | None = None
        self._want_channels = channels
        self._clock = clock
        self._ring_seconds = ring_seconds
        self._reconnect = reconnect
        self._stall_timeout_s = stall_timeout_s
        # CPU, measured through PulseAudio (docs/readme/audio.md): PortAudio's default tiny blocks cost ~14 ms of CPU
        # per second of audio in callbacks alone, ~0.1 s blocks ~3-4 ms; and Silero run on ~8 chunks in a row instead
        # of one at a time (caches stay warm) costs a fraction per chunk: 12 ms/s in all against 18-19 with 46 ms
        # blocks drained every 0.1 s. The ~0.35 s of latency is inside the rules' allowance for late audio (0.5 s)
        # and nothing to a detector that waits seconds before it calls something talking.
        self._poll_s = poll_s
        self._block_s = block_s
        self._retry_s = retry_s           # first reconnection delay; doubles up to 10 s
        self._sd = backend
        self._loader = backend_loader
        self._stream: Any = None
        self._ring: AudioRing | None = None
        self._closing = False
        self._overflows_base = 0       # overflows of streams closed before the current one
        self._reset_stream_state()
        # Counters kept across reconnections.
        self.overflows = 0
        self.dropped_frames = 0
        self._overflow_reported = 0
        self._last_overflow_event = -1e9
        self._next_retry = 0.0
        self._retry_delay = retry_s
        self._announced_retry = False
        self._ever_opened = False

    # ---- PortAudio thread ------------------------------------------------------------------------------------
    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # Copy and return: everything else happens in the worker.
        if self._t_first is None:
            self._t_first = self._clock() - frames / self._native_rate_f
        if status:
            self._pa_flags += 1
        ring = self._ring
        if ring is not None:       # None only while a lost stream is being torn down
            ring.write(indata)

    def _finished(self) -> None:
        self._stream_finished = True

    # ---- opening ---------------------------------------------------------------------------------------------
    def _reset_stream_state(self) -> None:
        self._t_first: float | None = None
        self._native_rate_f = 1.0
        self._pa_flags = 0
        self._stream_finished = False
        self._resampler: StreamResampler | None = None
        self._pending = np.zeros(0, np.float32)
        self._emitted = 0              # 16 kHz samples handed out since this stream opened
        self._dropped_seen = 0
        self._last_data = 0.0
        self._seen_data = False

    def start(self) -> bool:
        """Open the device. False (with an 'unavailable' event) when there is no PortAudio or no usable input."""
        if self.state == "running":
            return True
        if self._sd is None:
            try:
                self._sd = self._loader()
            except OSError as exc:
                self._unavailable(PORTAUDIO_MISSING.format(err=exc, hint=osaudio.portaudio_hint()), permanent=True)
                return False
            except ImportError as exc:
                self._unavailable(f"the Python package sounddevice is not installed ({exc}); reinstall proctorprep. "
                                  "The exam goes on video-only.", permanent=True)
                return False
        ok, message = self._open()
        if ok:
            self.state = "running"
            self._ever_opened = True
            self._emit("opened", message)
            return True
        self._unavailable(message, permanent=not self._reconnect)
        return False

    def _open(self, rescan_if_missing: bool = True) -> tuple[bool, str]:
        sd = self._sd
        info, problem = self._find_device()
        if info is None and rescan_if_missing:
            rescan_devices(sd)      # a device plugged in (or a sound server started) after PortAudio looked
            info, problem = self._find_device()
        if info is None:
            return False, problem
        self.device_name = str(info.get("name", self.device))
        self.native_rate = int(round(float(info.get("default_samplerate") or 48000)))
        self.channels = int(self._want_channels or max(1, min(2, int(info.get("max_input_channels", 1)))))
        self._reset_stream_state()
        self._native_rate_f = float(self.native_rate)
        self._ring = AudioRing(int(self._ring_seconds * self.native_rate), self.channels)
        self._resampler = StreamResampler(self.native_rate, self.rate)
        try:
            blocksize = 1 << max(6, round(math.log2(self.native_rate * self._block_s)))   # 2048 at 44.1/48 kHz
            stream = sd.InputStream(device=info.get("index", self.device), channels=self.channels,
                                    samplerate=self.native_rate, dtype="float32", callback=self._callback,
                                    finished_callback=self._finished, blocksize=blocksize)
            stream.start()
        except Exception as exc:   # sounddevice.PortAudioError, ValueError for bad settings
            return False, f"the microphone '{self.device_name}' could not be opened: {exc}"
        self._stream = stream
        self._last_data = time.monotonic()
        return True, (f"microphone '{self.device_name}' opened at {self.native_rate} Hz, "
                      f"{self.channels} channel{'s' if self.channels > 1 else ''}")

    def _find_device(self) -> tuple[dict | None, str]:
        sd = self._sd
        try:
            if self.device is None:
                info = dict(sd.query_devices(kind="input"))
            else:
                info = dict(sd.query_devices(self.device, kind="input"))
        except Exception as exc:   # ValueError (no match / no default), PortAudioError
            try:
                names = [d["name"] for d in sd.query_devices() if d.get("max_input_channels", 0) > 0]
            except Exception:
                names = []
            if not names:
                return None, ("no microphone was found. Plug one in (or check that the sound server is running); "
                              "the exam goes on video-only.")
            wanted = "the default input" if self.device is None else f"'{self.device}'"
            return None, (f"the microphone {wanted} is not available ({exc}). Inputs present: "
                          f"{', '.join(names)}. The exam goes on video-only.")
        if int(info.get("max_input_channels", 0)) <= 0:
            return None, f"'{info.get('name')}' has no input channels; choose a microphone in the settings."
        return info, ""

    # ---- worker side -----------------------------------------------------------------------------------------
    def read_available(self) -> list[AudioBlock]:
        """Drain the ring: every complete 512-sample block captured so far. Never blocks; checks device health."""
        if self.state != "running":
            self._maybe_reconnect()
            return []
        ring = self._ring
        if ring is None:             # close() from another thread got here first
            return []
        data = ring.read()
        now = time.monotonic()
        if len(data):
            self._last_data = now
            self._seen_data = True
        # The frames just read are older than any block dropped while the ring was full, so they are stamped
        # before the drops are added to the clock.
        blocks = self._cut_blocks(data) if len(data) else []
        self._account_overflows(ring)
        self._check_health(now)
        return blocks

    def _cut_blocks(self, data: np.ndarray) -> list[AudioBlock]:
        mono = self._resampler.process(to_mono_float32(data))
        pending = np.concatenate((self._pending, mono)) if len(self._pending) else mono
        n = len(pending) // CHUNK
        t_base = (self._t_first or 0.0) + self._dropped_seen / self._native_rate_f
        blocks = [AudioBlock(t_s=t_base + (self._emitted + i * CHUNK) / self.rate,
                             samples=pending[i * CHUNK:(i + 1) * CHUNK].copy(), rate=self.rate) for i in range(n)]
        self._emitted += n * CHUNK
        self._pending = pending[n * CHUNK:].copy()
        return blocks

    def _account_overflows(self, ring: AudioRing) -> None:
        # Dropped frames keep the clock honest: later blocks are stamped after the gap.
        new_drops = ring.dropped_frames - self._dropped_seen
        if new_drops > 0:
            self._dropped_seen = ring.dropped_frames
            self.dropped_frames += new_drops
        total = self._overflows_base + ring.overflows + self._pa_flags
        if total > self.overflows:
            self.overflows = total
        if self.overflows > self._overflow_reported and time.monotonic() - self._last_overflow_event >= 5.0:
            self._emit("overflow", f"{self.overflows - self._overflow_reported} audio block(s) were dropped because "
                                   "the analysis fell behind the microphone.")
            self._overflow_reported = self.overflows
            self._last_overflow_event = time.monotonic()

    def _check_health(self, now: float) -> None:
        reason = None
        if self._stream_finished:
            reason = "the device stream ended"
        elif not _stream_active(self._stream):
            reason = "the device stream stopped"
        elif self._seen_data and now - self._last_data > self._stall_timeout_s:
            reason = f"no sound data for {now - self._last_data:.1f} s"
        if reason is None or self._closing:
            return
        self._drop_stream()
        self.state = "lost"
        self._retry_delay = self._retry_s
        self._announced_retry = False
        self._next_retry = now + self._retry_delay
        tail = "trying to reconnect." if self._reconnect else "the exam goes on without sound analysis."
        self._emit("lost", f"the microphone '{self.device_name}' was lost ({reason}); {tail}")

    def _maybe_reconnect(self) -> None:
        if self.state != "lost" or not self._reconnect or self._closing:
            return
        now = time.monotonic()
        if now < self._next_retry:
            return
        if not self._announced_retry:
            self._announced_retry = True
            self._emit("reconnecting", f"looking for the microphone '{self.device_name}' again.")
        self._retry_delay = min(self._retry_delay * 2, 10.0)
        self._next_retry = now + self._retry_delay
        # A replugged device may come back under another index: always look afresh (our stream is closed, so a
        # rescan cannot break it).
        rescan_devices(self._sd)
        ok, message = self._open(rescan_if_missing=False)
        if ok:
            self.state = "running"
            self._emit("reconnected" if self._ever_opened else "opened", message)
            self._ever_opened = True

    def _drop_stream(self) -> None:
        stream, self._stream = self._stream, None
        if self._ring is not None:
            self._overflows_base = self._overflows_base + self._ring.overflows + self._pa_flags
            self._ring, self._pa_flags = None, 0
        if stream is None:
            return
        for op in (stream.abort, stream.close):
            try:
                op()
            except Exception:   # a vanished device makes PortAudio complain on close; it is gone either way
                pass

    def blocks(self, stop: threading.Event | None = None) -> Iterator[AudioBlock]:
        """Yield 32 ms blocks until close() or `stop` is set (both are checked even while the device is lost and
        no block arrives). Ends at once when the microphone is permanently unavailable."""
        if self.state == "idle":
            self.start()
        while not self._closing and not (stop is not None and stop.is_set()):
            if self.state == "unavailable":
                return
            got = self.read_available()
            for block in got:
                yield block
            if not got:
                time.sleep(self._poll_s)

    def close(self) -> None:
        self._closing = True
        self._drop_stream()
        self.state = "closed"

    # ---- events ----------------------------------------------------------------------------------------------
    def _unavailable(self, message: str, permanent: bool) -> None:
        self.state = "unavailable" if permanent else "lost"
        if not permanent:
            self._announced_retry = True     # 'unavailable' already told the user; retries stay quiet
            self._retry_delay = max(self._retry_s, 2.0)
            self._next_retry = time.monotonic() + self._retry_delay
        self._emit("unavailable", message)

    def _emit(self, kind: str, message: str) -> None:
        message = message[:1].upper() + message[1:]
        self.last_message = message
        ev = DeviceEvent(t_s=float(self._clock()), device="microphone", kind=kind, message=message)
        self.events.append(ev)
        if self.on_event is not None:
            self.on_event(ev)


def _stream_active(stream: Any) -> bool:
    try:
        return bool(stream.active)
    except Exception:
        return False
