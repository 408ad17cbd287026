"""The Qt adapter over the live session (proctorprep.session.live.LiveSession, which holds the logic: calibration,
record, journal, pipeline, exam model, the proctor's decisions and the end). This file runs the devices (or files
standing in for them) on worker threads and turns what the session decides into signals. Pages drive it and
listen to its signals; the main window knows nothing of it.

Heavy modules (OpenCV, mediapipe, the VAD, the pipeline) are imported here lazily, on the worker threads where
possible, so the first window shows fast and the GUI never waits for a model to load.
"""

from __future__ import annotations

import importlib
import logging
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

from PySide6.QtCore import QObject, Signal

from proctorprep.session.live import LiveSession, SessionSetup
from proctorprep.session.proctor import ExamState, LiveWarning
from proctorprep.sources.base import PICTURE_DEVICES, AudioBlock, DeviceEvent
from proctorprep.sources.feeds import (SessionClock, microphone_blocks, open_camera_feed, open_video_file_feed,
                                       paced_audio_file)
from proctorprep.ui.workers import AudioWorker, ProcessResult, VideoWorker, WorkerThread

__all__ = ["LiveWarning", "SessionController", "SessionSetup"]

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------------------------
# Adapters over the core objects (kept in one place so a change of their API is a change here only)

def make_face_analyser() -> Any:
    from proctorprep.perception.face import FaceAnalyser
    from proctorprep.session.threads import keep_opencv_on_callers_threads

    keep_opencv_on_callers_threads()          # the live budget: see session/threads.py
    return FaceAnalyser(max_faces=3, hands=True)


def make_audio_analyser() -> Any:
    from proctorprep.perception.voice import AudioAnalyser

    return AudioAnalyser()


def analyse_frame(frame: Any, analyser: Any) -> ProcessResult:
    if analyser is None:
        return ProcessResult()
    return ProcessResult(observations=(analyser.analyse(frame.image, frame.t_s),))


def analyse_audio(block: AudioBlock, analyser: Any) -> ProcessResult:
    if analyser is None:
        return ProcessResult()
    return ProcessResult(observations=tuple(analyser.feed(block)))


class SessionController(QObject):
    frame_ready = Signal()            # take_view() for the newest frame
    level_ready = Signal()            # take_level() for the newest audio level
    device_changed = Signal(str, str, str)   # device ("camera"|"microphone"), state ("ok"|"lost"|"none"), message
    live_warning = Signal(object)     # LiveWarning: every one the candidate is shown (the policy paces them)
    incident_update = Signal(object)  # IncidentUpdate (every one)
    exam_ready = Signal()             # start_exam() finished: journal, pipeline and exam model exist
    exam_finished = Signal(object)    # Path of the finished journal
    failed = Signal(str)              # a step failed; the text is for the user
    _disk_error = Signal(str)
    _pipeline_update = Signal(object)   # (IncidentUpdate, PolicyAction | None) from worker threads

    def __init__(self, ctx: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self.live = LiveSession(SessionSetup(), ctx.settings, lambda: ctx.sessions_dir)
        self.watcher: Any = None          # ui.conditions.ConditionsWatcher: screens and the exam window
        self._video: WorkerThread | None = None
        self._audio: WorkerThread | None = None
        self.camera_state = "none"
        self.mic_state = "none"
        self.face_analyser: Any = None
        self.audio_analyser: Any = None
        self._finishing = False
        self.latest_view: Any = None
        self._messages: dict[str, str] = {}
        self.display_width: int | None = None
        self.latest_level: Any = None
        self._disk_error.connect(self._tell_disk)
        self._pipeline_update.connect(self._on_pipeline_update)

    # ---- the session's state, as pages and tools read it ------------------------------------------------------
    @property
    def setup(self) -> SessionSetup:
        return self.live.setup

    @property
    def clock(self) -> SessionClock:
        return self.live.clock

    @property
    def exam(self) -> Any:
        return self.live.exam

    @property
    def journal(self) -> Any:
        return self.live.journal

    @property
    def pipeline(self) -> Any:
        return self.live.pipeline

    @property
    def calibration(self) -> Any:
        return self.live.calibration

    @property
    def warnings(self) -> list[LiveWarning]:
        return self.live.warnings

    @property
    def exam_t0(self) -> float:
        return self.live.exam_t0

    @property
    def ended_by_proctor(self) -> bool:
        return self.live.proctor_end is not None

    @property
    def state(self) -> ExamState:
        return self.live.state

    # ---- devices --------------------------------------------------------------------------------------------
    def start_devices(self, loop_files: bool) -> None:
        """(Re)start video and audio from the beginning of the session clock. `loop_files`: the check page loops a
        file so the preview never ends; the session plays it once, as a recording."""
        self.stop_devices()
        self.live.restart_clock()
        s = self.setup
        self._set_state("camera", "starting", "")
        video = VideoWorker(self._video_opener(loop_files), make_face_analyser, s.analysis_fps)
        if self.face_analyser is not None:
            video._make_analyser = None
            video.analyser = self.face_analyser
        video.set_processor(analyse_frame)
        video.display_width = self.display_width
        video.frame_ready.connect(self._take_frame)
        video.device_event.connect(self._on_device_event)
        # Bound methods of this GUI-thread object (not lambdas): Qt then queues the call to the GUI thread.
        video.error.connect(self._camera_failed)
        video.ready.connect(self._video_ready)
        video.analysed.connect(self._on_result)
        self._video = WorkerThread(video, "proctorprep-video")
        self._video.start()

        if s.audio_file or s.use_microphone:
            audio = AudioWorker(self._audio_opener(loop_files), make_audio_analyser)
            if self.audio_analyser is not None:
                audio._make_analyser = None
                audio.analyser = self.audio_analyser
            audio.set_processor(analyse_audio)
            audio.level_ready.connect(self._take_level)
            audio.device_event.connect(self._on_device_event)
            audio.error.connect(self._microphone_failed)
            audio.ready.connect(self._audio_ready)
            audio.analysed.connect(self._on_result)
            self._audio = WorkerThread(audio, "proctorprep-audio")
            self._set_state("microphone", "starting", "")
            self._audio.start()
        else:
            self._set_state("microphone", "none", "No microphone or audio file chosen: talking cannot be checked.")

    def warm_up(self) -> None:
        """Import what the calibration and the exam will need on a worker thread now, while the candidate does
        the check, so no import runs on the GUI thread later (imports under load can take 100 ms and more)."""
        from proctorprep.ui.widgets.items import widget_modules

        modules = ("proctorprep.exam.session", "proctorprep.journal.store", "proctorprep.session.pipeline",
                   "proctorprep.rules.calibration", "proctorprep.rules.thresholds", "proctorprep.ui.pages.calibrate",
                   "proctorprep.ui.pages.exam", "proctorprep.ui.pages.review", *widget_modules())

        def imports() -> None:
            for name in modules:
                importlib.import_module(name)

        self.ctx.run_background(imports, None, lambda msg: log.warning("warm-up import failed: %s", msg))

    def _video_opener(self, loop: bool) -> Callable[[Callable[[DeviceEvent], None]], Any]:
        s, clock, st = self.setup, self.clock, self.ctx.settings

        def open_feed(on_event: Callable[[DeviceEvent], None]) -> Any:
            if s.video_file:
                return open_video_file_feed(s.video_file, clock, on_event, loop=loop, speed=s.speed)
            return open_camera_feed(s.camera_index, st.camera_width, st.camera_height, st.camera_fps, clock, on_event)

        return open_feed

    def _audio_opener(self, loop: bool) -> Callable[..., Iterator[AudioBlock]]:
        s, clock = self.setup, self.clock

        def open_blocks(stop: threading.Event, on_event: Callable[[DeviceEvent], None]) -> Iterator[AudioBlock]:
            if s.audio_file:
                return paced_audio_file(s.audio_file, clock, stop, on_event, loop=loop, speed=s.speed)
            return microphone_blocks(s.microphone, clock, stop, on_event)

        return open_blocks

    def _video_ready(self) -> None:
        if self._video is not None:
            self.face_analyser = self._video.worker.analyser
            if self.camera_state == "starting":
                self._set_state("camera", "ok", "")

    def _audio_ready(self) -> None:
        if self._audio is not None:
            self.audio_analyser = self._audio.worker.analyser
            if self.mic_state in ("none", "starting"):
                self._set_state("microphone", "ok", "")

    def stop_devices(self) -> None:
        for handle in (self._video, self._audio):
            if handle is not None:
                handle.stop()
        self._video = self._audio = None

    # The controller always drains the workers' newest-wins mailboxes (a page that does not show video, such as
    # the calibration, must not stall them); pages read the newest item with take_view()/take_level().
    def _take_frame(self) -> None:
        if self._video is not None:
            view = self._video.worker.take_view()
            if view is not None:
                self.latest_view = view
                self.frame_ready.emit()

    def _take_level(self) -> None:
        if self._audio is not None:
            level = self._audio.worker.take_level()
            if level is not None:
                self.latest_level = level
                self.level_ready.emit()

    def take_view(self) -> Any:
        view, self.latest_view = self.latest_view, None
        return view

    def set_display_width(self, width: int | None) -> None:
        """The widest view showing the camera now: the video worker shrinks frames to it (None: full size)."""
        self.display_width = width
        if self._video is not None:
            self._video.worker.display_width = width

    def take_level(self) -> Any:
        level, self.latest_level = self.latest_level, None
        return level

    def video_stats(self) -> tuple[int, int, float]:
        """(frames analysed, frames dropped, mean analysis ms) for the status bar and the benchmark."""
        if self._video is None:
            return 0, 0, 0.0
        w = self._video.worker
        ms = w.analysis_ms[-60:]
        dropped = int(getattr(w.feed, "dropped", 0)) if w.feed is not None else 0
        return w.analysed_frames, dropped, (sum(ms) / len(ms) if ms else 0.0)

    def _set_state(self, device: str, state: str, message: str) -> None:
        if message:
            self._messages[device] = message
        if device == "camera":
            self.camera_state = state
        else:
            self.mic_state = state
        if state in ("lost", "none") and message:
            tail = " The exam still runs; this gap is not counted against you." if self.exam is not None else ""
            self.ctx.show_banner(device, message + tail, "warning")
        elif state == "ok":
            self.ctx.clear_banner(device)
        self.device_changed.emit(device, state, message)

    def _on_device_event(self, ev: DeviceEvent) -> None:
        device = "camera" if ev.device in PICTURE_DEVICES else "microphone"
        state = {"opened": "ok", "reconnected": "ok", "lost": "lost", "reconnecting": "lost", "ended": "lost",
                 "unavailable": "none"}.get(ev.kind)
        if state is not None:
            self._set_state(device, state, ev.message)
        if ev.kind == "overflow":
            self.ctx.show_banner("audio_overflow", f"Audio is lagging: {ev.message}", "warning")
        if self.pipeline is not None:
            try:
                self.pipeline.device_event(ev)
            except Exception:   # noqa: BLE001 - a journal problem is reported by the journal itself
                log.exception("pipeline.device_event failed")
        elif self.journal is not None:
            self.journal.add_device_event(ev)

    def _camera_failed(self, message: str) -> None:
        self._worker_failed("camera", message)

    def _microphone_failed(self, message: str) -> None:
        self._worker_failed("microphone", message)

    def _worker_failed(self, device: str, message: str) -> None:
        nice = {"camera": "Camera", "microphone": "Microphone"}[device]
        self._set_state(device, "none", f"{nice} unavailable: {message}")
        if self.journal is not None:
            kind = "video_file" if device == "camera" and self.setup.video_file else device
            self._on_device_event(DeviceEvent(self.clock.now(), kind, "unavailable", message))

    # ---- calibration ----------------------------------------------------------------------------------------
    def begin_calibration(self) -> None:
        """Start the session clock and the recording-like feed; collect observations for the calibration."""
        col = self.live.begin_calibration()
        self.start_devices(loop_files=False)
        self._watch_conditions()
        from proctorprep.perception.scene import signature
        from proctorprep.session.pipeline import SCENE_EVERY_S

        next_scene = [float("-inf")]

        def collect_face(frame: Any, analyser: Any) -> ProcessResult:
            r = analyse_frame(frame, analyser)
            for o in r.observations:
                col.add_face(o)
                # the check-in's view of the background, for camera_moved (a few views a second, one face)
                if o.faces == 1 and o.face_box is not None and frame.t_s >= next_scene[0]:
                    next_scene[0] = frame.t_s + SCENE_EVERY_S
                    col.add_scene(signature(frame.image, frame.t_s, o.all_boxes or (o.face_box,)))
            return r

        def collect_audio(block: AudioBlock, analyser: Any) -> ProcessResult:
            r = analyse_audio(block, analyser)
            for o in r.observations:
                col.add_audio(o)
            return r

        if self._video:
            self._video.worker.set_processor(collect_face)
        if self._audio:
            self._audio.worker.set_processor(collect_audio)

    def mark_dot(self, name: str) -> None:
        self.live.mark_dot(name)

    def restart_collection(self) -> None:
        self.live.restart_collection()

    def build_calibration(self) -> Any:
        """Any thread. Raises CalibrationError with a plain reason when too few good frames were seen."""
        return self.live.build_calibration()

    # ---- exam -----------------------------------------------------------------------------------------------
    def start_exam(self, bank: Any) -> None:
        """Create record, journal and pipeline off the GUI thread, then the exam model; emits exam_ready or failed.
        A bad threshold override does not stop it: a banner says which value was replaced by its default."""
        self._finishing = False
        self.live.start_requested_at = self.clock.now()
        live, face, audio = self.live, self.face_analyser, self.audio_analyser
        has_audio = self._audio is not None and self.mic_state != "none"

        def build() -> tuple[Any, Any, Any]:
            from proctorprep.session.gc_pauses import freeze_long_lived

            parts = live.open_parts(bank, face, audio, has_audio)
            freeze_long_lived()        # no 80 ms full collections during the exam: see session/gc_pauses.py
            return parts

        self.ctx.run_background(build, lambda parts: self._exam_built(bank, parts), lambda msg: self.failed.emit(
            f"The exam could not start: {msg}"))

    def _exam_built(self, bank: Any, parts: tuple[Any, Any, Any]) -> None:
        self.live.start_exam(bank, parts)
        self.journal.on_error = self._disk_error.emit    # called from the writer thread; the signal queues it
        pipeline = self.pipeline
        notes = self.live.threshold_notes
        if notes:
            said = "; ".join(n.removeprefix("threshold override ") for n in notes)
            self.ctx.show_banner("thresholds", f"Threshold overrides in the settings not used: {said}. "
                                 "Correct them on the Settings page.", "warning")
        else:
            self.ctx.clear_banner("thresholds")

        # Incident updates and live actions reach us through on_update (from the worker threads, queued by the
        # signal); the per-call results carry only observations, so nothing is delivered twice.
        pipeline.on_update = lambda update, action: self._pipeline_update.emit((update, action))
        # what happened between the check-in and this first question (the greeter's rule), before new frames
        self.live.replay_check_in()

        def frame_proc(frame: Any, _an: Any) -> ProcessResult:
            r = pipeline.process_frame(frame)
            return ProcessResult((r.observation,) if r.observation is not None else ())

        def audio_proc(block: AudioBlock, _an: Any) -> ProcessResult:
            return ProcessResult(tuple(pipeline.process_audio(block)))

        if self._video:
            self._video.worker.set_processor(frame_proc)
        if self._audio:
            self._audio.worker.set_processor(audio_proc)
        for device, state in (("camera", self.camera_state), ("microphone", self.mic_state)):
            if state in ("none", "lost"):
                self.pipeline.device_event(DeviceEvent(self.clock.now(), device, "unavailable",
                                                       f"{device} not available when the exam started"))
                # Say it again now that the exam runs: it goes on, and the gap is not held against the candidate.
                self._set_state(device, state, self._messages.get(device) or f"No {device}.")
        self.exam_ready.emit()

    def _tell_disk(self, message: str) -> None:
        self.ctx.show_banner("disk", message, "error")

    def _on_pipeline_update(self, pair: tuple[Any, Any]) -> None:
        update, action = pair
        self._on_result(ProcessResult((), (update,) if update is not None else (),
                                      (action,) if action is not None else ()))

    def _on_result(self, result: ProcessResult) -> None:
        for u in result.updates:
            self.incident_update.emit(u)
        for action in result.actions:
            w = self.live.on_action(action)
            if w is not None:
                self.live_warning.emit(w)

    # ---- exam conditions and breaks -------------------------------------------------------------------------
    def _watch_conditions(self) -> None:
        """Screens and the exam window, from the check-in on (ui/conditions.py publishes into the live session)."""
        from PySide6.QtWidgets import QWidget

        from proctorprep.ui.conditions import ConditionsWatcher

        window = getattr(self.ctx, "window", None)
        if not isinstance(window, QWidget):
            return          # no window to watch (a headless test): the report says these rules were not judged
        self._stop_watching()
        # an exam client brings itself to the front; without a window manager (Xvfb) nothing else would
        window.activateWindow()
        self.watcher = ConditionsWatcher(window, self.live.condition, self.clock.now)
        self.watcher.start()

    def _stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    def full_screen(self, on: bool) -> None:
        """The exam went full screen (leaving it from now on counts as leaving the exam window), or left it."""
        if self.watcher is not None and on:
            self.watcher.full_screen_expected(True)

    def take_break(self) -> bool:
        return self.live.take_break()

    def back_in_view(self) -> bool:
        return self.live.back_in_view()

    def end_break(self) -> bool:
        return self.live.end_break()

    def acknowledge(self) -> bool:
        """The candidate read the pause ("I understand")."""
        return self.live.acknowledge()

    def continue_in_practice(self) -> bool:
        """After the proctor's end: the exam goes on as practice."""
        return self.live.continue_in_practice()

    def finish_exam(self, reason: str = "submitted") -> None:
        """Submit (or end) the exam, stop the devices, finish pipeline and journal off the GUI thread."""
        if self._finishing or self.exam is None:
            return
        self._finishing = True
        from proctorprep.session.gc_pauses import unfreeze

        unfreeze()                # the exam is over: what it leaves behind may be collected again
        self._stop_watching()
        for h in (self._video, self._audio):
            if h is not None:
                h.worker.set_processor(None)
        finish = self.live.finisher(reason)       # scores the exam now, on the session clock
        self.stop_devices()
        self.ctx.run_background(finish, self._finished, lambda msg: self.failed.emit(
            f"The session could not be finished: {msg}"))

    def _finished(self, path: Path) -> None:
        # The devices are stopped now: their "lost/ended" banners belonged to the exam that just ended.
        for key in ("camera", "microphone", "audio_overflow", "thresholds"):
            self.ctx.clear_banner(key)
        self.exam_finished.emit(path)

    def shutdown(self) -> None:
        from proctorprep.session.gc_pauses import unfreeze

        unfreeze()
        self._stop_watching()
        self.stop_devices()
        if self.journal is not None and not self._finishing:
            # The app closes mid-exam: leave the journal "interrupted" so the next start offers to finish it.
            self.journal.close()
        for an in (self.face_analyser,):
            close = getattr(an, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:   # noqa: BLE001
                    pass
        self.face_analyser = None
