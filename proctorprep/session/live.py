"""The live exam session without Qt: setup, calibration (collect, then fit), the session record, journal and pipeline,
the exam model, the proctor's decisions (session/proctor.py) and the end. The GUI's SessionController is a thin
adapter: it runs the devices and workers, calls this object and turns what it returns into signals.

The thresholds are resolved ONCE per session (resolve_thresholds: the profile plus the valid overrides; a bad
override is replaced by its default and said in `threshold_notes`), and that one resolution feeds the calibration
fit (the gaze gains), the pipeline and the session record the report reads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from proctorprep.journal.record import SessionKind, SessionRecord, open_journal
from proctorprep.rules import conditions as cd
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.policy import PolicyAction
from proctorprep.rules.thresholds import ResolvedThresholds, resolve_thresholds
from proctorprep.session.proctor import ExamEnd, ExamState, LiveWarning, ProctorDesk
from proctorprep.sources.feeds import SessionClock

DOT_SETTLE_S = 0.4     # after a calibration dot moves, the eyes are still travelling: not looking at it yet
BREAK_RETURN_S = 1.0   # after a break, a face seen this long (and just now) lets the candidate resume


@dataclass
class SessionSetup:
    """What the candidate chose on the home page."""

    bank_ref: str | None = None           # bundled bank id or a file path
    video_file: str | None = None         # None: the camera
    camera_index: int = 0
    audio_file: str | None = None         # None: the microphone (or the video's soundtrack if it has one)
    microphone: str = ""                  # "" = system default
    use_microphone: bool = True
    profile: str = "standard"
    live_warnings: bool = True
    keep_snapshots: bool = True
    analysis_fps: float = 15.0
    speed: float = 1.0                    # file playback speed (tests only; 1.0 = real time)
    exam_minutes: int = 0                 # the exam's length chosen on Home; 0 = the bank's own time limit

    def source_meta(self) -> dict[str, Any]:
        if self.audio_file:
            audio = self.audio_file
        elif self.use_microphone:
            audio = self.microphone or "default microphone"
        else:
            audio = "none"
        return {"video": self.video_file or f"camera {self.camera_index}", "audio": audio}


@dataclass
class CalibrationCollector:
    """Observations gathered during the calibration step (worker threads add, the fit reads a copy)."""

    face: list[Any] = field(default_factory=list)
    audio: list[Any] = field(default_factory=list)
    marks: list[tuple[float, str]] = field(default_factory=list)    # (t_s, dot name) when each dot was shown
    scenes: list[Any] = field(default_factory=list)   # background signatures (perception.scene), the reference
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_scene(self, sig: Any) -> None:
        with self.lock:
            self.scenes.append(sig)

    def scene_reference(self, until_s: float | None = None) -> Any:
        """The check-in's view of the background: the median of the usable views up to `until_s`."""
        from proctorprep.perception.scene import median_signature

        with self.lock:
            views = [v for v in self.scenes if until_s is None or v.t_s <= until_s]
        return median_signature(views[-15:])

    def face_after(self, t_s: float) -> list[Any]:
        """The face observations after `t_s` (between the check-in and the first question)."""
        with self.lock:
            return [o for o in self.face if o.t_s > t_s]

    def add_face(self, obs: Any) -> None:
        with self.lock:
            self.face.append(obs)

    def add_audio(self, obs: Any) -> None:
        with self.lock:
            self.audio.append(obs)

    def mark(self, t_s: float, name: str) -> None:
        with self.lock:
            self.marks.append((t_s, name))

    def clear(self) -> None:
        with self.lock:
            self.face.clear()
            self.audio.clear()
            self.marks.clear()
            self.scenes.clear()

    def snapshot(self) -> tuple[list[Any], list[Any], list[tuple[float, str]]]:
        with self.lock:
            return list(self.face), list(self.audio), list(self.marks)

    def fit(self, resolved: ResolvedThresholds, follow_dots: bool) -> Calibration:
        """The calibration, with the gaze gains the detectors will use. A live candidate follows the dots, so the
        on-screen range is learned from the corners; a video file cannot follow dots: like `proctorprep analyze`,
        its first seconds are taken as "looking at the screen". Raises CalibrationError with a plain reason."""
        from proctorprep.rules.calibration import CalibrationBuilder, from_dot_calibration

        th = resolved.thresholds
        face, audio, marks = self.snapshot()
        if not follow_dots:
            builder = CalibrationBuilder(th.gaze_gain_x_deg, th.gaze_gain_y_deg)
            builder.extend(face, audio)
            return builder.build()
        points: dict[str, list[Any]] = {}
        for o in face:
            current = None
            for t, name in marks:
                if t <= o.t_s:
                    current = (t, name)
            if current is not None and o.t_s - current[0] >= DOT_SETTLE_S:
                points.setdefault(current[1], []).append(o)
        return from_dot_calibration(points, audio, th.gaze_gain_x_deg, th.gaze_gain_y_deg)


class LiveSession:
    """One live exam from the calibration to the end. Not thread-safe except where said: the GUI thread calls it;
    `open_parts` runs on a background thread; the collector is fed from the workers."""

    def __init__(self, setup: SessionSetup, settings: Any, sessions_root: Callable[[], Path] | Path) -> None:
        self.setup = setup
        self.settings = settings                  # proctorprep.settings.Settings (overrides, candidate name)
        self._sessions_root = sessions_root
        self.clock = SessionClock()
        self.collector = CalibrationCollector()
        self.calibration: Calibration | None = None
        self.bank: Any = None
        self.exam: Any = None
        self.record: SessionRecord | None = None
        self.journal: Any = None
        self.pipeline: Any = None
        self.desk = ProctorDesk(setup.live_warnings)
        self.exam_t0 = 0.0
        # Exam conditions (rules/conditions.py): what the exam client reports before the pipeline exists is kept
        # and replayed in order at the start, after the check-in's end and before the first question.
        self.checked_in_at: float | None = None
        self.start_requested_at: float | None = None   # the candidate pressed Start (the first question comes)
        self._early: list[cd.ConditionEvent] = []
        # The check-in before the exam (proctorprep.checkin.run.Checkin; None: not done or skipped). Its result
        # goes into the session record, its kept photos into the session's folder, its headshot's face into the
        # pipeline's identity check.
        self.checkin: Any = None

    # ---- the check-in -----------------------------------------------------------------------------------------
    def begin_checkin(self, rehearsal: bool = False) -> Any:
        """A new check-in for this session (the last one done counts)."""
        from proctorprep.checkin.run import Checkin

        if self.checkin is not None:
            self.checkin.close()
        self.checkin = Checkin(candidate_name=str(getattr(self.settings, "candidate_name", "") or ""),
                               rehearsal=rehearsal)
        return self.checkin

    @property
    def checkin_reference(self) -> Any:
        """What the exam keeps of the check-in (checkin.run.CheckinReference: the headshot's face descriptor, the
        camera's whole picture at the headshot, the workspace photos), in memory only; None without a check-in.
        identity_changed compares with its `face`; a camera-moved check can compare with its `headshot_frame`."""
        return None if self.checkin is None or self.checkin.rehearsal else self.checkin.reference()

    # ---- the one resolution of the thresholds -----------------------------------------------------------------
    def resolved(self) -> ResolvedThresholds:
        overrides = self.settings.threshold_overrides.get(self.setup.profile) or None
        return resolve_thresholds(self.setup.profile, overrides)

    @property
    def sessions_root(self) -> Path:
        root = self._sessions_root
        return Path(root() if callable(root) else root)

    # ---- calibration ------------------------------------------------------------------------------------------
    def restart_clock(self) -> SessionClock:
        """The session clock starts again (the devices restart with it at the calibration)."""
        self.clock = SessionClock()
        return self.clock

    def begin_calibration(self) -> CalibrationCollector:
        self.collector = CalibrationCollector()
        self.calibration = None
        return self.collector

    def mark_dot(self, name: str) -> None:
        self.collector.mark(self.clock.now(), name)

    def restart_collection(self) -> None:
        """Redo: keep the feed running, forget what was collected."""
        self.collector.clear()

    def build_calibration(self) -> Calibration:
        """Fit the calibration (any thread). Raises CalibrationError with a plain reason."""
        self.calibration = self.collector.fit(self.resolved(), follow_dots=not self.setup.video_file)
        self.checked_in_at = self.clock.now()
        return self.calibration

    # ---- the exam ---------------------------------------------------------------------------------------------
    def new_record(self, bank: Any) -> SessionRecord:
        s = self.setup
        overrides = self.settings.threshold_overrides.get(s.profile) or None
        return SessionRecord.new(
            SessionKind.EXAM, s.profile, overrides, exam_id=bank.id, exam_title=bank.title,
            candidate_name=self.settings.candidate_name, source=s.source_meta(),
            settings={"live_warnings": s.live_warnings, "keep_snapshots": s.keep_snapshots,
                      "analysis_fps": s.analysis_fps,
                      "calibration": "first seconds of the video" if s.video_file else "dots"},
            checkin=self.checkin.result().to_dict() if self.checkin is not None and not self.checkin.rehearsal
            else None)

    def open_parts(self, bank: Any, face: Any, audio: Any, has_audio: bool) -> tuple[SessionRecord, Any, Any]:
        """Record, journal and pipeline for this exam (slow: run off the GUI thread). Bad threshold overrides never
        stop it: the record says which were replaced."""
        from proctorprep.session.pipeline import PipelineConfig, SessionPipeline

        s = self.setup
        record = self.new_record(bank)
        journal = open_journal(self.sessions_root, record)
        try:
            config = PipelineConfig(profile=s.profile, keep_snapshots=s.keep_snapshots, analysis_fps=s.analysis_fps,
                                    has_audio=has_audio, live=True, overrides=dict(record.overrides) or None,
                                    # a pause waits for "I understand" only when the candidate is shown it
                                    wait_for_ack=s.live_warnings)
            speech = None
            if has_audio:     # what was said: matched against this bank's questions, on its own thread
                from proctorprep.perception.speech_content import bank_texts
                from proctorprep.perception.speech_worker import SpeechListener

                speech = SpeechListener(bank_texts(bank),
                                        keep_snippets=bool(getattr(self.settings, "keep_speech_snippets", False)))
            ref = self.checkin_reference
            identity = None
            if ref is not None and ref.face is not None:     # who checked in is who must sit the exam
                from proctorprep.perception.identity import IdentityWatcher

                identity = IdentityWatcher(ref.face)
            if self.checkin is not None and not self.checkin.rehearsal:
                self.checkin.write_kept(journal.session_dir)   # the photos the candidate chose to keep, 0600
            # the background as the check-in saw it: camera_moved compares the exam's views with it
            pipeline = SessionPipeline(config, journal, face=face, audio=audio, speech=speech,
                                       scene_reference=self.collector.scene_reference(self.checked_in_at),
                                       identity=identity)
            if self.calibration is not None:
                pipeline.set_calibration(self.calibration)
        except BaseException:
            # an exam that could not start leaves nothing in the history (no empty "pass" session)
            import shutil

            journal.close()
            shutil.rmtree(journal.session_dir, ignore_errors=True)
            raise
        return record, journal, pipeline

    def start_exam(self, bank: Any, parts: tuple[SessionRecord, Any, Any]) -> Any:
        """The exam model starts now, on the session clock (GUI thread)."""
        from proctorprep.exam.session import ExamSession

        self.bank = bank
        self.record, self.journal, self.pipeline = parts
        minutes = self.setup.exam_minutes
        self.exam = ExamSession(bank, clock=self.clock.now, listener=self._exam_event,
                                duration_s=minutes * 60.0 if minutes > 0 else None)
        self.exam_t0 = self.clock.now()
        self.desk = ProctorDesk(self.setup.live_warnings, self.exam_t0)
        self.exam.start()
        return self.exam

    # ---- exam conditions and breaks ---------------------------------------------------------------------------
    def condition(self, ev: cd.ConditionEvent) -> list[PolicyAction]:
        """What the exam client reports (the Qt adapter, ui/conditions.py): journaled and judged by the pipeline;
        before the pipeline exists (the check-in, the agreement) kept for replay_check_in()."""
        if self.pipeline is None:
            self._early.append(ev)
            return []
        return self.pipeline.process_event(ev)

    def replay_check_in(self) -> list[PolicyAction]:
        """Once the pipeline runs: what happened between the check-in and the first question, in time order — the
        phase "pre_start" from the check-in's end (left_before_start judges it, with the greeter's stricter rule),
        the candidate's face then, the screens and window reported meanwhile — then the exam phase from its start."""
        if self.pipeline is None:
            return []
        start = self.checked_in_at if self.checked_in_at is not None else self.exam_t0
        # the greeter's phase ends when the candidate presses Start: the app preparing the exam is not theirs
        first = min(self.exam_t0, self.start_requested_at) if self.start_requested_at is not None else self.exam_t0
        first = max(first, start)
        items: list[tuple[float, int, Any]] = [(start, 0, cd.ConditionEvent(start, cd.PHASE, cd.PRE_START))]
        items += [(ev.t_s, 1, ev) for ev in self._early]
        items += [(o.t_s, 2, o) for o in self.collector.face_after(start) if o.t_s < self.exam_t0]
        items.append((first, 3, cd.ConditionEvent(first, cd.PHASE, cd.EXAM)))
        self._early = []
        actions: list[PolicyAction] = []
        for _, kind, item in sorted(items, key=lambda x: (x[0], x[1])):
            if kind == 2:
                actions += self.pipeline.process_face_observation(item).actions
            else:
                actions += self.pipeline.process_event(item)
        return actions

    @property
    def breaks_allowed(self) -> bool:
        return self.exam is not None and self.exam.breaks_allowed

    @property
    def on_break(self) -> bool:
        return self.exam is not None and self.exam.on_break

    def take_break(self) -> bool:
        """An unscheduled break (the bank allows them): the clock keeps running, the questions seen so far lock,
        and nothing from camera or microphone is judged until the candidate is back."""
        if self.exam is None or not self.exam.take_break():
            return False
        if self.pipeline is not None:
            self.pipeline.process_event(cd.ConditionEvent(self.clock.now(), cd.PHASE, cd.BREAK))
        return True

    def back_in_view(self) -> bool:
        """The candidate sits in front of the camera again (a face for BREAK_RETURN_S, seen just now)."""
        return self.pipeline is not None and self.pipeline.face_present_for(self.clock.now(), BREAK_RETURN_S)

    def end_break(self) -> bool:
        """Back from the break; refused until a face is in view again (as the proctor checks)."""
        if self.exam is None or not self.exam.on_break or not self.back_in_view():
            return False
        self.exam.end_break()
        if self.pipeline is not None:
            self.pipeline.process_event(cd.ConditionEvent(self.clock.now(), cd.PHASE, cd.EXAM))
        return True

    @property
    def threshold_notes(self) -> tuple[str, ...]:
        return self.record.threshold_notes if self.record is not None else self.resolved().notes

    def _exam_event(self, kind: str, data: dict[str, Any]) -> None:
        if self.pipeline is not None and kind in ("question_shown", "review_shown", "submitted", "auto_submitted"):
            # the question on screen is the one a stretch of speech may read aloud
            self.pipeline.show_question([data["qid"]] if kind == "question_shown" else [])
        if self.journal is not None:
            # The exam model counts from its own start; the journal uses the session clock.
            self.journal.add_exam_event(self.exam_t0 + float(data.get("t_s", 0.0)), kind, data)

    # ---- the proctor ------------------------------------------------------------------------------------------
    @property
    def state(self) -> ExamState:
        return self.desk.state

    @property
    def proctor_end(self) -> ExamEnd | None:
        return self.desk.end

    @property
    def warnings(self) -> list[LiveWarning]:
        return self.desk.shown

    def on_action(self, action: PolicyAction) -> LiveWarning | None:
        """A policy action from the pipeline: what the candidate is shown (None: nothing). An end is journaled as
        the moment the proctor ended the exam."""
        self.desk.live_warnings = self.setup.live_warnings      # the setting may change during the exam
        w = self.desk.on_action(action, self.clock.now())
        if w is not None and w.end is not None and self.journal is not None:
            self.journal.add_exam_event(w.t_s, "ended_by_proctor", {
                "type": w.end.incident_type, "rule": w.end.rule, "message": w.end.message,
                "exam_s": round(w.end.exam_s, 3)})
        return w

    def acknowledge(self) -> bool:
        """The candidate acknowledged a pause: the proctor watches and counts again."""
        if not self.desk.acknowledge():
            return False
        now = self.clock.now()
        if self.pipeline is not None:
            self.pipeline.acknowledge(now)
        if self.journal is not None:
            self.journal.add_exam_event(now, "warning_acknowledged", {})
        return True

    def continue_in_practice(self) -> bool:
        """After the proctor's end: the clock and scoring go on; later incidents are marked after the end."""
        if not self.desk.continue_in_practice():
            return False
        if self.journal is not None:
            self.journal.add_exam_event(self.clock.now(), "practice_continued", {})
        return True

    # ---- the end ----------------------------------------------------------------------------------------------
    def submit(self) -> Any:
        """Score the exam now (it may have submitted itself when the time ran out). Returns the result or None."""
        try:
            return self.exam.submit()
        except Exception:   # noqa: BLE001 - already submitted (auto-submit at zero): its result stands
            return getattr(self.exam, "result", None)

    def finisher(self, reason: str = "submitted") -> Callable[[], Path]:
        """Submit now (GUI thread) and return the slow part (pipeline and journal finished), to run off the GUI
        thread; it returns the journal's path."""
        t_end = self.clock.now()
        result = self.submit()
        journal, pipeline = self.journal, self.pipeline
        if reason not in ("submitted", "terminated"):
            journal.add_exam_event(t_end, reason, {})

        def finish() -> Path:
            if result is not None:
                journal.set_exam_result(result.to_dict())
            pipeline.finish(t_end)
            journal.finish(pipeline.summary(t_end), status="complete")
            return Path(journal.path)

        return finish
