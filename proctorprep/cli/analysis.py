"""One recording's analysis as `proctorprep analyze` runs it, for one file (cli/analyze.py) and for each file of a
batch (cli/analyze_batch.py, in its worker processes): the settings and options decided once (`Setup`), the
pipeline call with the single-file contract's one-line errors and exit codes, and the start-up preload.

Start-up: the heavy libraries (numpy, OpenCV, PyAV, then mediapipe) are imported on a thread as soon as the command
is known, while the settings load and the options are checked; the model itself loads while the sources open (see
session/recording.py). Native libraries' start-up logs are hidden unless --verbose.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterator


@dataclass(frozen=True)
class Setup:
    """What every file of one command is analysed with: the settings and options, decided once (picklable, so a
    batch's worker processes get it as it is)."""

    config: Any                       # PipelineConfig
    profile: str
    calibration_seconds: float
    candidate_name: str = ""
    keep_speech_snippets: bool = False
    exam: str | None = None
    verbose: bool = False
    headshot: tuple[float, ...] | None = None     # --headshot: its face descriptor (identity_changed's reference)


def setup(args: argparse.Namespace) -> Setup:
    """Settings (their problems said on a terminal) and options, checked: one line and exit 2 for a bad one."""
    from proctorprep import paths
    from proctorprep import settings as settings_mod
    from proctorprep.cli import UserError
    from proctorprep.session.pipeline import PipelineConfig

    st, problems = settings_mod.load()
    if sys.stderr.isatty():
        for line in problems:
            print(f"proctorprep: {line}", file=sys.stderr)
    profile = args.profile or st.profile
    cal_s = st.calibration_seconds if args.calibration_seconds is None else args.calibration_seconds
    if not 1.0 <= cal_s <= 60.0:
        raise UserError(f"--calibration-seconds {cal_s:g}: expected 1 to 60 seconds")
    fps = st.analysis_fps if args.analysis_fps is None else args.analysis_fps
    if not 1.0 <= fps <= 60.0:
        raise UserError(f"--analysis-fps {fps:g}: expected 1 to 60 frames a second")
    overrides = st.threshold_overrides.get(profile) or None   # a bad one is replaced by its default and said below
    exam = getattr(args, "exam", None)
    if exam:
        _exam_questions(exam)          # a bad bank id: one line now, not once per file
    paths.ensure_private_dir(paths.sessions_dir())    # a folder we cannot write: one line now, not after the work
    config = PipelineConfig(profile=profile, calibration_seconds=cal_s, analysis_fps=fps,
                            keep_snapshots=st.keep_snapshots and not args.no_snapshots, overrides=overrides)
    headshot = getattr(args, "headshot", None)
    return Setup(config, profile, cal_s, st.candidate_name, st.keep_speech_snippets, exam or None, args.verbose,
                 headshot_descriptor(headshot) if headshot is not None else None)


def headshot_descriptor(photo: Any) -> tuple[float, ...]:
    """The face descriptor of a check-in headshot photo (--headshot), found as the check-in finds it (the face mesh
    for the one face, dlib for its descriptor), or UserError (exit 2) saying what is wrong with the photo."""
    from pathlib import Path

    import cv2
    import numpy as np

    from proctorprep.checkin.headshot import judge_headshot
    from proctorprep.checkin.run import CheckinModels
    from proctorprep.cli import UserError
    from proctorprep.perception.identity import IdentityModelMissing

    try:
        raw = np.frombuffer(Path(photo).read_bytes(), dtype=np.uint8)
    except OSError as exc:
        raise UserError(f"--headshot {photo}: {exc.strerror or exc}") from None
    image = cv2.imdecode(raw, cv2.IMREAD_COLOR) if raw.size else None
    if image is None:
        raise UserError(f"--headshot {photo}: not a picture OpenCV can read (JPEG, PNG, ...)")
    models = CheckinModels()
    try:
        with models as m:
            res = judge_headshot(image, m.face(), m.identifier())
    except IdentityModelMissing as exc:
        raise UserError(f"--headshot: {exc}") from None
    finally:
        models.close()
    one_face = next((v for v in res.verdict.verdicts if v.check == "one_face"), None)
    if res.descriptor is None or (one_face is not None and one_face.passed is False):
        words = one_face.words if one_face is not None else "no face could be described"
        raise UserError(f"--headshot {photo}: {words.lower() if words[:1].isupper() else words}; "
                        "use a photo of the candidate alone, facing the camera")
    return tuple(float(v) for v in res.descriptor.vector)


def analyse_file(video: Any, audio: Any, st: Setup, observations: Any = None,
                 progress: Callable[[float, float], None] | None = None, keep_existing: bool = False) -> Any:
    """One recording through the pipeline (AnalysisResult); UserError with the single-file contract's one line
    and exit code for what went wrong on the way."""
    from proctorprep.cli import UserError
    from proctorprep.session.recording import analyze_recording
    from proctorprep.sources.base import SourceError

    questions = _exam_questions(st.exam) if st.exam else None
    identity = None
    if st.headshot is not None:                # a watcher per file: each recording is its own session
        import numpy as np

        from proctorprep.perception.identity import IdentityWatcher

        identity = IdentityWatcher(np.asarray(st.headshot, dtype=np.float32))
    try:
        with _native_logs_hidden(not st.verbose):
            return analyze_recording(video, audio=audio, config=st.config, progress=progress,
                                     observations_csv=observations, candidate_name=st.candidate_name,
                                     questions=questions, keep_speech_snippets=st.keep_speech_snippets,
                                     keep_existing=keep_existing, identity=identity)
    except SourceError as exc:
        raise UserError(str(exc)) from None
    except KeyboardInterrupt:
        raise UserError("interrupted: the session is kept as interrupted; `proctorprep report --recover` "
                        "finishes its report", code=130) from None
    except OSError as exc:      # e.g. the CSV cannot be written: the error names the CSV
        raise UserError(f"{exc.filename or video}: {exc.strerror or exc}") from None


def checked(result: Any, video: Any, st: Setup) -> None:
    """A journal the disk refused (exit 1, no report) or a recording too short to judge (exit 2, forgotten)."""
    from proctorprep.cli import UserError

    if result.journal_error:
        raise UserError(_kept(result), code=1)
    if result.duration_s <= st.calibration_seconds:
        _forget(result)
        cal_s = st.calibration_seconds
        raise UserError(f"{video}: the recording is {result.duration_s:.1f} s long, not longer than the "
                        f"{cal_s:g} s calibration: nothing could be judged; record at least {cal_s + 10:g} s "
                        "(or lower --calibration-seconds)")


# third-party only: a thread importing proctorprep's own modules while the main thread imports others could meet
# a circular import between them (Python then raises _DeadlockError in one of the two)
_PRELOAD = ("numpy", "cv2", "av")


def preload() -> None:
    """Import the heavy libraries on a thread while the main thread reads the settings and checks the options
    (Python's import lock makes the main thread wait for a module only if it needs it before it is done); then
    mediapipe, the longest of them (~0.6 s of CPU)."""
    import importlib
    import threading

    def run() -> None:
        try:
            for name in _PRELOAD:
                importlib.import_module(name)
            from proctorprep.perception.mp_import import import_mediapipe

            import_mediapipe()
        except Exception:        # noqa: BLE001 - whoever needs the module imports it again and says what is wrong
            pass

    threading.Thread(target=run, name="analyze-preload", daemon=True).start()


def quiet_native_libraries(active: bool) -> None:
    """mediapipe (TensorFlow Lite, absl) and OpenCV read these when they start: set before the preload."""
    import os

    if active:
        for var, value in (("GLOG_minloglevel", "2"), ("TF_CPP_MIN_LOG_LEVEL", "2"), ("OPENCV_LOG_LEVEL", "ERROR")):
            os.environ.setdefault(var, value)


def _exam_questions(bank_id: str) -> Any:
    """`--exam ID`: the bank's questions as the speech-content analyser wants them; a clear error for a bad id."""
    from proctorprep.cli import UserError
    from proctorprep.exam.catalog import find_bank
    from proctorprep.exam.errors import BankError
    from proctorprep.perception.speech_content import bank_texts

    try:
        return bank_texts(find_bank(bank_id))
    except BankError as exc:
        raise UserError(f"--exam {bank_id}: {exc}") from None


def _kept(result: Any) -> str:
    """One line for a journal the disk refused: what is kept, and that no report was written."""
    from proctorprep.journal.store import JournalError, JournalReader

    kept = "nothing of it was kept"
    try:
        with JournalReader(result.journal_path) as reader:
            kept = (f"the journal in {result.session_dir} keeps only the first {reader.last_time_s():.1f} s "
                    f"of {result.duration_s:.1f} s")
    except JournalError:
        pass
    return (f"the session could not be saved: {result.journal_error}; {kept}; no report was written (free some "
            "space and run analyze again)")


def _forget(result: Any) -> None:
    """A session in which nothing was judged is not history (it would read as a clean pass)."""
    import shutil

    if result.session_dir is not None:
        shutil.rmtree(result.session_dir, ignore_errors=True)


@contextlib.contextmanager
def _native_logs_hidden(active: bool) -> Iterator[None]:
    """mediapipe's (TensorFlow Lite, absl) and FFmpeg's C++ start-up chatter means nothing to a candidate and would
    break the progress bar: ask the libraries to be quiet, and send file descriptor 2 to /dev/null while the
    analysis runs (our own messages are printed after it is restored; the progress bar has its own descriptor)."""
    import os

    if not active:
        yield
        return
    quiet_native_libraries(True)
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)
