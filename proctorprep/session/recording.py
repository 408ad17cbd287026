"""The recording driver: a video (and its soundtrack or a separate audio file) analysed with the live pipeline, as
fast as the CPU allows. `proctorprep analyze` and the benchmarks call analyze_recording; the GUI's live session
uses the same SessionPipeline on devices.

Why the threads: the whole command's speed is set by the chain of face analyses, so everything else is taken off
that chain. Decoding runs ahead on one thread, the soundtrack's voice analysis on another, the Face Mesh model is
loaded on a third while the sources open (and the decoder fills its queue), and the rules, the journal and the CSV
take each analysed frame on a fourth ("judge") in the same order as before, so the incidents are the same ones;
the main thread only runs the face analysis. Measured on a 2-minute clip: see docs/readme/bench.md."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.incidents import Incident
from proctorprep.journal.record import SessionKind, SessionRecord, open_journal
from proctorprep.session.pipeline import PipelineConfig, SessionPipeline
from proctorprep.sources.base import DeviceEvent

AUDIO_AHEAD_S = 5.0          # the soundtrack's analysis runs at most this far ahead of the picture
CSV_COLUMNS = ("t_s", "faces", "yaw_deg", "pitch_deg", "roll_deg", "gaze_x", "gaze_y", "eyes_open", "mouth_open",
               "face_x", "face_y", "face_size", "brightness", "rms_dbfs", "speech_prob", "mouth_dark")
ProgressCallback = Callable[[float, float], None]      # (seconds analysed, total seconds or 0 if unknown)


@dataclass(frozen=True)
class AnalysisResult:
    journal_path: Any                 # Path of the session's journal.sqlite (None if no journal was kept)
    session_dir: Any
    incidents: list[Incident]
    duration_s: float
    calibration: Calibration
    calibration_note: str
    summary: dict[str, Any]
    has_audio: bool
    frames_analysed: int
    video_fps: float
    notes: tuple[str, ...] = ()       # plain-words remarks: a truncated video, a soundtrack shorter than the video
    truncated: bool = False           # the video ended before its header's frame count
    threshold_notes: tuple[str, ...] = ()   # threshold overrides refused and replaced by their defaults
    journal_error: str | None = None  # the journal could not be written completely: what was lost and why
    observations_path: Any = None     # where the observations CSV went (another name when keep_existing)


class _AudioFeed:
    """Voice analysis of a whole soundtrack on its own thread, consumed in time order by the analysis loop."""

    def __init__(self, source: Any, speech: Any | None = None) -> None:
        self._source = source
        self._speech = speech          # a SpeechListener also gets the samples of the stretches heard as speech
        self._obs: list[AudioObservation] = []
        self._cond = threading.Condition()
        self._done = False
        self.error: BaseException | None = None
        self._read = 0
        self._wanted = 0.0                 # how far the picture has asked for; the analysis keeps near it
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="analyze-audio", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from proctorprep.perception.voice import AudioAnalyser

        try:
            analyser = AudioAnalyser()
            for block in self._source.blocks():
                out = analyser.feed(block)
                if self._speech is not None:
                    self._speech.add(block.samples, block.t_s, out)
                with self._cond:
                    self._obs.extend(out)
                    self._cond.notify_all()
                    # only the overlap with the picture is analysed: a 2-hour sound file beside a 12 s video
                    # waits here, and is dropped when the video ends
                    self._cond.wait_for(lambda: self._stopped or block.t_s < self._wanted + AUDIO_AHEAD_S)
                    if self._stopped:
                        return
        except BaseException as exc:   # handed to the analysis loop, which reports it
            self.error = exc
        finally:
            with self._cond:
                self._done = True
                self._cond.notify_all()

    def until(self, t_s: float) -> list[AudioObservation]:
        """Observations starting before t_s not handed out yet (waits for the analysis to get there)."""
        with self._cond:
            self._wanted = max(self._wanted, t_s)
            self._cond.notify_all()
            self._cond.wait_for(lambda: self._done or (self._obs and self._obs[-1].t_s >= t_s))
            end = self._read
            while end < len(self._obs) and self._obs[end].t_s < t_s:
                end += 1
            out, self._read = self._obs[self._read:end], end
            return out

    def rest(self) -> list[AudioObservation]:
        return self.until(float("inf"))

    def ended_at(self) -> float | None:
        """End time of the soundtrack once it has all been analysed, else None."""
        with self._cond:
            if not self._done:
                return None
            return self._obs[-1].t_s + self._obs[-1].duration_s if self._obs else 0.0

    def close(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._thread.join(timeout=5)
        close = getattr(self._source, "close", None)
        if close is not None:
            close()


def _frames_ahead(source: Any, wants: Callable[[float], bool], size: int = 8) -> Any:
    """Decode on a second thread (frames the analysis would skip are dropped there), hand frames over a queue."""
    import queue

    q: queue.Queue = queue.Queue(maxsize=size)
    stop = threading.Event()
    box: list[BaseException] = []

    def run() -> None:
        try:
            for frame in source.frames():
                if stop.is_set():
                    break
                if wants(frame.t_s):
                    q.put(frame)
        except BaseException as exc:
            box.append(exc)
        finally:
            q.put(None)

    th = threading.Thread(target=run, name="analyze-decode", daemon=True)
    th.start()
    try:
        while (frame := q.get()) is not None:
            yield frame
        if box:
            raise box[0]
    finally:
        stop.set()
        while th.is_alive():            # unblock a producer waiting on a full queue
            try:
                q.get_nowait()
            except queue.Empty:
                th.join(timeout=0.05)


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.5g}" if np.isfinite(v) else ""
    return str(v)


class _CsvWriter:
    """One row per analysed frame; audio aligned to the frame (loudest level and highest speech probability of the
    chunks overlapping it). Empty cells where there is no face or no audio."""

    def __init__(self, path: Any, frame_dt: float, inputs: tuple = (), keep_existing: bool = False) -> None:
        import csv

        from proctorprep.exports import AtomicTextFile

        # private (0600) and safe like every export: it describes the candidate's face frame by frame; it replaces
        # the target only when the analysis succeeds (never, with keep_existing), and a write error names the CSV
        self._fh = AtomicTextFile(path, inputs, keep_existing=keep_existing)
        self._w = csv.writer(self._fh)
        self._w.writerow(CSV_COLUMNS)
        self._half = frame_dt / 2
        self._audio: list[AudioObservation] = []

    def add_audio(self, obs: list[AudioObservation]) -> None:
        self._audio.extend(obs)

    def row(self, o: FaceObservation) -> None:
        lo, hi = o.t_s - self._half, o.t_s + self._half
        self._audio = [a for a in self._audio if a.t_s + a.duration_s > lo - 1.0]
        near = [a for a in self._audio if a.t_s < hi and a.t_s + a.duration_s > lo]
        rms = max((a.rms_dbfs for a in near), default=None)
        sp = max((a.speech_prob for a in near), default=None)
        face = o.faces > 0
        vals = [round(o.t_s, 4), o.faces] + [getattr(o, c) if face else None for c in CSV_COLUMNS[2:13]] + [rms, sp] \
            + [o.mouth_dark if face else None]      # the mouthing rule's second view of the lips (perception/mouth.py)
        self._w.writerow([_fmt(v) for v in vals])

    @property
    def path(self) -> Any:
        return self._fh.target

    def close(self, ok: bool = True) -> None:
        if ok:
            self._fh.commit()
        else:
            self._fh.abort()


class _ModelLoad:
    """The Face Mesh model loaded on its own thread while the sources open and the decoder starts."""

    def __init__(self) -> None:
        # our own module here, on the calling thread: the loader thread then imports only mediapipe (a thread
        # importing proctorprep modules beside another could meet a circular import, _DeadlockError)
        from proctorprep.perception.face import FaceAnalyser

        self._make = FaceAnalyser
        self._box: list[Any] = []
        self._thread = threading.Thread(target=self._run, name="analyze-model", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._box.append(self._make())
        except BaseException as exc:     # raised where the analyser is wanted
            self._box.append(exc)

    def get(self) -> Any:
        self._thread.join()
        if isinstance(self._box[0], BaseException):
            raise self._box[0]
        return self._box[0]

    def discard(self) -> None:
        """Close the analyser if it was never taken (an error before the first frame)."""
        self._thread.join()
        close = getattr(self._box[0], "close", None) if self._box else None
        if close is not None:
            close()


_DONE = object()


class _Judge:
    """The rules side of the analysis on its own thread: for each analysed frame, the audio heard up to it (waiting
    for the voice analysis if need be), what was said, then the face observation, fed to the pipeline and the CSV in
    frame order (what the loop did inline before the face analysis had the main thread to itself). An error stops
    the analysis at the next frame."""

    def __init__(self, pipe: SessionPipeline, feed: Any | None, speech: Any | None, csv_out: Any | None,
                 depth: int = 16) -> None:
        import queue

        self.pipe, self.feed, self.speech, self.csv_out = pipe, feed, speech, csv_out
        self.audio_end: float | None = None
        self.error: BaseException | None = None
        self._q: queue.Queue = queue.Queue(maxsize=depth)
        self._thread = threading.Thread(target=self._run, name="analyze-judge", daemon=True)
        self._thread.start()

    def put(self, obs: FaceObservation, image: np.ndarray) -> None:
        if self.error is not None:
            raise self.error
        self._q.put((obs, image))

    def _run(self) -> None:
        pipe = self.pipe
        lag = pipe.thresholds.audio_lag_s + 0.1
        while (item := self._q.get()) is not _DONE:
            if self.error is not None:
                continue                     # drain: the main thread raises the error at its next put
            obs, image = item
            try:
                # audio a little ahead of the picture, so mouthing never waits on it; waiting for the voice
                # analysis to get there is this thread's business, never the face analysis's
                chunk = self.feed.until(obs.t_s + lag) if self.feed is not None else []
                for a in chunk:
                    pipe.process_audio_observation(a)
                if self.speech is not None:
                    pipe.process_speech(self.speech.poll())
                if self.csv_out is not None:
                    self.csv_out.add_audio(chunk)
                if self.feed is not None and self.audio_end is None:
                    end = self.feed.ended_at()
                    if end is not None and obs.t_s > end + 1.0:
                        self.audio_end = end
                        pipe.audio_ended(end)
                pipe.process_face_observation(obs, image)
                if self.csv_out is not None:
                    self.csv_out.row(obs)
            except BaseException as exc:
                self.error = exc

    def close(self) -> None:
        """Wait until every frame given is judged; raise what went wrong on the way."""
        self._q.put(_DONE)
        self._thread.join()
        if self.error is not None:
            raise self.error


def analyze_recording(video: Any, audio: Any | None = None, config: PipelineConfig | None = None,
                      journal_dir: Any | None = None, progress: ProgressCallback | None = None,
                      observations_csv: Any | None = None, candidate_name: str = "",
                      face: Any | None = None, questions: Any | None = None,
                      keep_speech_snippets: bool = False, keep_existing: bool = False,
                      identity: Any | None = None) -> AnalysisResult:
    """Analyse a recording with the live pipeline: decoding and voice analysis on their own threads, face analysis
    and rules here. The session is journaled (kind "analysis") under `journal_dir` (default: the user's sessions
    folder); journal_dir=False keeps no journal. Raises SourceError naming the file for unreadable input.

    `questions` (QuestionText of a bank, `analyze --exam`): what was said is matched against all of them (which
    question was read aloud) and wake words are listened for; without it only that speech was heard is judged.

    Bad threshold overrides in `config` do not stop it: each is replaced by its default and said in
    `threshold_notes` (and in the journal, so the report says it too). `keep_existing`: the CSV never replaces a
    file, it takes the first free numbered name (`observations_path` says which)."""
    from pathlib import Path

    from proctorprep import paths
    from proctorprep.sources.audio import VideoAudioSource, has_audio_track, open_audio_file
    from proctorprep.sources.video import VideoFileSource

    config = dataclasses.replace(config or PipelineConfig(), live=False)
    events: list[DeviceEvent] = []
    model = _ModelLoad() if face is None else None
    asrc = None
    try:
        vsrc = VideoFileSource(video, on_event=events.append)
    except BaseException:
        if model is not None:
            model.discard()
        raise
    try:
        if audio is not None:
            asrc = open_audio_file(audio)
        elif has_audio_track(video):
            asrc = VideoAudioSource(video)
    except BaseException:
        vsrc.close()
        if model is not None:
            model.discard()
        raise
    config.has_audio = asrc is not None
    record = SessionRecord.new(
        SessionKind.ANALYSIS, config.profile, config.overrides, candidate_name=candidate_name,
        source={"video": str(Path(video).resolve()), "audio": str(Path(audio).resolve()) if audio else None,
                "audio_from_video": audio is None and asrc is not None, "fps": vsrc.fps, "size": list(vsrc.size)},
        settings={"calibration_seconds": config.calibration_seconds, "analysis_fps": config.analysis_fps,
                  "keep_snapshots": config.keep_snapshots})
    config.overrides = dict(record.overrides) or None     # only the valid ones reach the rules
    journal = None
    if journal_dir is not False:
        root = paths.sessions_dir() if journal_dir is None else paths.ensure_private_dir(Path(journal_dir))
        journal = open_journal(root, record)
    speech = None
    if questions is not None and asrc is not None:
        from proctorprep.perception.speech_worker import SpeechListener

        speech = SpeechListener(questions, keep_snippets=keep_speech_snippets, live=False)
        speech.set_on_screen(None)        # a recording does not say which question was shown: any of the bank
    # identity: an IdentityWatcher holding a check-in headshot's face (identity_changed); None: not checked
    pipe = SessionPipeline(config, journal=journal, face=face, speech=speech, identity=identity)
    feed = _AudioFeed(asrc, speech=speech) if asrc is not None else None
    eff_fps = min(vsrc.fps, config.analysis_fps or vsrc.fps)
    try:
        csv_out = (_CsvWriter(observations_csv, 1.0 / eff_fps, (video, audio), keep_existing)
                   if observations_csv else None)
    except BaseException:
        if feed is not None:
            feed.close()
        if model is not None:
            model.discard()
        vsrc.close()
        if journal is not None:
            import shutil

            journal.close()
            shutil.rmtree(journal.session_dir, ignore_errors=True)
        raise
    total = vsrc.duration_s
    last_t = 0.0
    notes: list[str] = []
    journal_error: str | None = None
    csv_ok = True
    judge: _Judge | None = None
    try:
        judge = _Judge(pipe, feed, speech, csv_out)
        for frame in _frames_ahead(vsrc, pipe.wants, size=32):
            if pipe.face is None:
                pipe.face = model.get() if model is not None else None
                model = None
            with pipe.costs.measure("face analysis"):
                obs = pipe.face.analyse(frame.image, frame.t_s)
            judge.put(obs, frame.image)
            last_t = frame.t_s
            if progress is not None:
                progress(frame.t_s, total)
        judge, closing = None, judge
        closing.close()
        audio_end = closing.audio_end
        if feed is not None:
            rest = feed.until(last_t + 1.0 / vsrc.fps)      # the overlap only; the rest is never analysed
            for a in rest:
                pipe.process_audio_observation(a)
            if feed.error is not None:
                raise feed.error
            if getattr(asrc, "damage_note", None):
                notes.append(asrc.damage_note)
        for ev in events:
            pipe.device_event(ev)
        duration = max(getattr(vsrc, "end_s", vsrc.frames_read / vsrc.fps), last_t)
        if vsrc.ended_early:
            notes.append(f"{video} ended after {vsrc.frames_read} of {vsrc.frame_count} frames (the file looks "
                         f"truncated): only the first {duration:.1f} s were analysed")
        if audio_end is not None:
            notes.append(f"the soundtrack ends at {audio_end:.1f} s, {duration - audio_end:.1f} s before the video: "
                         "talking after it could not be heard")
        incidents = pipe.finish(duration)
        summary = pipe.summary(duration)
        cal = pipe.calibration or Calibration()
        if journal is not None:
            journal.finish({**summary, "duration_s": round(duration, 3), "calibration_note": pipe.calibration_note,
                            "has_audio": config.has_audio, "frames_analysed": pipe.frames_analysed,
                            "notes": notes})
            journal_error = journal.write_error()
        if progress is not None:
            progress(duration, duration)
    except BaseException as exc:
        csv_ok = False
        if judge is not None:
            try:
                judge.close()
            except BaseException:      # noqa: BLE001 - the first error is the one reported
                pass
        if journal is not None:
            journal.close()
            # a failed analysis leaves no half session behind; an interrupted one (Ctrl-C) is kept, recoverable
            # like a killed one
            if not isinstance(exc, KeyboardInterrupt):
                import shutil

                shutil.rmtree(journal.session_dir, ignore_errors=True)
        raise
    finally:
        if feed is not None:
            feed.close()
        if speech is not None:
            speech.close()
        vsrc.close()
        if csv_out is not None:
            csv_out.close(csv_ok)
        if pipe.face is not None and face is None:
            pipe.face.close()
        if model is not None:
            model.discard()
    return AnalysisResult(
        journal_path=journal.path if journal is not None else None,
        session_dir=journal.session_dir if journal is not None else None, incidents=incidents, duration_s=duration,
        calibration=cal, calibration_note=pipe.calibration_note, summary=summary, has_audio=config.has_audio,
        frames_analysed=pipe.frames_analysed, video_fps=vsrc.fps, notes=tuple(notes), truncated=vsrc.ended_early,
        threshold_notes=record.threshold_notes, journal_error=journal_error,
        observations_path=csv_out.path if csv_out is not None else None)
