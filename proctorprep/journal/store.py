"""The session journal: an append-only SQLite database (WAL) written while a session runs.

Why this shape:
- Every write goes through a queue to ONE writer thread that commits about every 0.5 s, so the GUI and the analysis
  workers never wait on the disk, and a SIGKILL loses at most the last commit interval (plus one 0.2 s bin).
- Observations arrive at 15-30 face frames and ~31 audio chunks per second; the writer folds them into 0.2 s bins
  (~5 rows/s): mean pose/gaze/mouth, max speech probability, max level. That is enough for the report's plots and
  keeps an hour-long session to a few MB.
- A full disk or an unwritable folder must never stop the exam: the error goes to `on_error` once, the rows stay
  queued and are retried every few seconds (the oldest observation rows are dropped if the backlog grows), and
  everything committed before stays intact because SQLite rolls back only the failed transaction.
- A lock file held while the writer runs (flock; on Windows a byte-range lock: oscompat.locks) tells a reader whether
  a session without a final status is still running or was interrupted; the OS drops the lock when the process
  dies, even when it is killed.
"""

from __future__ import annotations

import json
import math
import os
import queue
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from proctorprep import paths
from proctorprep.oscompat import files as osfiles
from proctorprep.oscompat import locks
from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules.incidents import Incident
from proctorprep.sources.base import DeviceEvent

SCHEMA_VERSION = 1
JOURNAL_NAME = "journal.sqlite"
LOCK_NAME = "journal.lock"
COMMIT_INTERVAL_S = 0.5
OBS_BIN_S = 0.2
RETRY_INTERVAL_S = 2.0
MAX_BACKLOG = 50_000          # queued statements kept while the disk refuses writes (~3 h of binned observations)
COMMIT_CHUNK = 200            # statements per transaction when catching up on a backlog
FINAL_STATUSES = ("complete", "recovered")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS calibration (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS face_obs (
    id INTEGER PRIMARY KEY, t_s REAL NOT NULL, n INTEGER NOT NULL, faces INTEGER NOT NULL, trusted REAL NOT NULL,
    yaw REAL, pitch REAL, roll REAL, gaze_x REAL, gaze_y REAL, mouth REAL, eyes REAL,
    face_x REAL, face_y REAL, face_size REAL, brightness REAL, covered REAL);
CREATE TABLE IF NOT EXISTS audio_obs (
    id INTEGER PRIMARY KEY, t_s REAL NOT NULL, n INTEGER NOT NULL, rms_dbfs REAL NOT NULL, peak_dbfs REAL NOT NULL,
    noise_floor_dbfs REAL NOT NULL, speech_prob REAL NOT NULL);
CREATE TABLE IF NOT EXISTS incidents (
    id INTEGER PRIMARY KEY, type TEXT NOT NULL, start_s REAL NOT NULL, end_s REAL NOT NULL, data TEXT NOT NULL,
    snapshot BLOB);
CREATE TABLE IF NOT EXISTS warnings (
    id INTEGER PRIMARY KEY, t_s REAL NOT NULL, incident_type TEXT NOT NULL, message TEXT NOT NULL,
    action TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exam_events (id INTEGER PRIMARY KEY, t_s REAL NOT NULL, kind TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS device_events (id INTEGER PRIMARY KEY, t_s REAL NOT NULL, device TEXT NOT NULL,
    kind TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exam_result (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS status (id INTEGER PRIMARY KEY, wall_time TEXT NOT NULL, status TEXT NOT NULL,
    summary TEXT);
"""


class JournalError(Exception):
    """A journal file cannot be read; the message names the file."""


def dumps(value: Any) -> str:
    # sort_keys + fixed separators: the same data always gives the same bytes (reports must rebuild identically);
    # NaN/inf become null so every stored document is valid JSON
    return json.dumps(_clean(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_json_default, allow_nan=False)


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):   # numpy scalars
        return _clean(value.item())
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "item"):          # numpy scalars
        return value.item()
    return repr(value)


def _finite(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in (_finite(x) for x in values) if v is not None]
    return sum(vals) / len(vals) if vals else None


def _open_connection(path: Path) -> sqlite3.Connection:
    """The writer's connection. A module-level function so tests can wrap it to inject disk errors."""
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level="DEFERRED", timeout=5.0)
    conn.execute("PRAGMA journal_mode=WAL")
    # NORMAL: a commit survives a process kill (the WAL is in the OS cache); only a power cut can lose the last one.
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


# --------------------------------------------------------------------------------------------------- binning


class _Bin:
    """Collects the observations of one 0.2 s bin; `add` returns the finished row of the previous bin."""

    def __init__(self) -> None:
        self.key: int | None = None
        self.items: list = []

    def add(self, obs: FaceObservation | AudioObservation) -> tuple | None:
        key = math.floor(obs.t_s / OBS_BIN_S + 1e-6)   # 0.4 / 0.2 is 1.999..., not 2
        row = self.flush() if self.key is not None and key != self.key else None
        self.key = key
        self.items.append(obs)
        return row

    def flush(self) -> tuple | None:
        items, self.items, self.key = self.items, [], None
        return self.row(items) if items else None

    def row(self, items: list) -> tuple:
        raise NotImplementedError


class _FaceBin(_Bin):
    """Mean pose, gaze, mouth and position of the trustworthy frames; most faces seen; strongest covering."""

    def row(self, items: list[FaceObservation]) -> tuple:
        covered = [c for c in (_finite(o.face_covered) for o in items) if c is not None]
        trusted = [o for o in items if o.trustworthy]
        return (
            float(items[0].t_s), len(items), int(max(o.faces for o in items)), len(trusted) / len(items),
            _mean(o.yaw_deg for o in trusted), _mean(o.pitch_deg for o in trusted),
            _mean(o.roll_deg for o in trusted), _mean(o.gaze_x for o in trusted), _mean(o.gaze_y for o in trusted),
            _mean(o.mouth_open for o in trusted), _mean(o.eyes_open for o in trusted),
            _mean(o.face_x for o in items), _mean(o.face_y for o in items), _mean(o.face_size for o in items),
            _mean(o.brightness for o in items), max(covered) if covered else None,
        )


class _AudioBin(_Bin):
    """Loudest level and highest speech probability of the 32 ms chunks (a short word must not be averaged away)."""

    def row(self, items: list[AudioObservation]) -> tuple:
        floor = _finite(items[-1].noise_floor_dbfs)
        return (
            float(items[0].t_s), len(items),
            max(_finite(o.rms_dbfs) or -120.0 for o in items),
            max(_finite(o.peak_dbfs) or -120.0 for o in items),
            floor if floor is not None else -120.0,
            max(_finite(o.speech_prob) or 0.0 for o in items),
        )


_FACE_SQL = ("INSERT INTO face_obs (t_s, n, faces, trusted, yaw, pitch, roll, gaze_x, gaze_y, mouth, eyes, "
             "face_x, face_y, face_size, brightness, covered) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
_AUDIO_SQL = "INSERT INTO audio_obs (t_s, n, rms_dbfs, peak_dbfs, noise_floor_dbfs, speech_prob) VALUES (?,?,?,?,?,?)"
_OBS_SQL = (_FACE_SQL, _AUDIO_SQL)

# queue messages
_FACE, _AUDIO, _SQL, _FLUSH, _STOP = range(5)


# --------------------------------------------------------------------------------------------------- writer


class SessionJournal:
    """Write side of one session's journal. All add_* methods are thread-safe and return at once.

    `on_error(message)` is called at most once, from the writer thread, the first time the disk refuses a write
    (disk full, folder unwritable, I/O error). The session goes on; rows are retried until `finish`/`close`.
    """

    def __init__(self, session_dir: Path, session_id: str, on_error: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.session_id = session_id
        self.session_dir = session_dir
        self.path = session_dir / JOURNAL_NAME
        self._on_error = on_error
        self._undelivered_error: str | None = None
        self._error_told = False
        self._err_lock = threading.Lock()
        self._clock = clock
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        self.dropped_rows = 0           # statements given up while the disk refused writes
        self.bad_rows = 0               # items with values that cannot be stored (NaN time, odd types), skipped
        self.write_failures = 0
        self._lock_fd: int | None = None
        self._last_error: str | None = None
        self._last_commit_ok = False
        self._thread = threading.Thread(target=self._run, name=f"journal-{session_id}", daemon=True)

    # ---- creation

    @classmethod
    def create(cls, sessions_root: Path, meta: dict[str, Any], on_error: Callable[[str], None] | None = None,
               now: datetime | None = None) -> "SessionJournal":
        """Start a new session under `sessions_root/<session_id>/`. Never raises for disk problems: if the folder
        or the database cannot be created, `on_error` is told and the journal drops what it is given."""
        started = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
        session_id, error = _claim_session_id(Path(sessions_root), started)
        journal = cls(Path(sessions_root) / session_id, session_id, on_error=on_error)
        if error is not None:
            journal._report_error(error)      # told at once (or when on_error is set); the writer retries
        full_meta = {
            "kind": "exam", "exam_id": None, "exam_title": None, "profile": "standard", "source": {}, "settings": {},
            **meta,
            "session_id": session_id, "started_at": started.isoformat().replace("+00:00", "Z"),
            "schema_version": SCHEMA_VERSION,
        }
        try:
            from proctorprep import __version__
            full_meta.setdefault("app_version", __version__)
        except ImportError:  # pragma: no cover
            pass
        journal._meta = full_meta
        journal._thread.start()
        return journal

    def write_error(self) -> str | None:
        """After close/finish: None if everything given was written; else what was lost and why (one line)."""
        if self._closed and self._thread.is_alive():
            self._thread.join(10.0)
        if self.dropped_rows == 0 and not self._thread.is_alive() and self._last_commit_ok:
            return None
        why = self._last_error or "the writer did not finish"
        return f"{self.dropped_rows} journal rows could not be written ({why})"

    # ---- error reporting

    @property
    def on_error(self) -> Callable[[str], None] | None:
        return self._on_error

    @on_error.setter
    def on_error(self, callback: Callable[[str], None] | None) -> None:
        # An error that happened before the callback was set is delivered now, so nobody misses it.
        with self._err_lock:
            self._on_error = callback
            message, self._undelivered_error = self._undelivered_error, None
        if message is not None and callback is not None:
            callback(message)

    def _report_error(self, exc: BaseException) -> None:
        self.write_failures += 1
        self._last_error = str(exc)
        with self._err_lock:
            if self._error_told:
                return
            self._error_told = True
            message = (f"The session journal cannot be written ({exc}) in {self.session_dir}. "
                       "The exam goes on; everything saved so far is kept, and saving is retried. "
                       "Free some disk space to keep the rest of this session.")
            callback = self._on_error
            if callback is None:
                self._undelivered_error = message
        if callback is not None:
            try:
                callback(message)
            except Exception:  # a broken callback must not kill the writer
                pass

    # ---- public write API (any thread)

    def _put(self, item: tuple) -> None:
        if not self._closed:
            self._queue.put(item)

    def _sql(self, sql: str, params: tuple) -> None:
        self._put((_SQL, sql, params))

    def set_calibration(self, cal: dict[str, Any]) -> None:
        self._sql("INSERT INTO calibration (data) VALUES (?)", (dumps(cal),))

    def add_face(self, obs: FaceObservation) -> None:
        self._put((_FACE, obs))

    def add_audio(self, obs: AudioObservation) -> None:
        self._put((_AUDIO, obs))

    def add_incident(self, incident: Incident, snapshot_jpeg: bytes | None = None) -> None:
        """Store an incident. May be called again for the same incident (same type and start) as it
        grows or closes; readers keep the last row, and the first snapshot if a later row has none."""
        self._sql("INSERT INTO incidents (type, start_s, end_s, data, snapshot) VALUES (?,?,?,?,?)",
                  (incident.type, float(incident.start_s), float(incident.end_s), dumps(incident.to_dict()),
                   bytes(snapshot_jpeg) if snapshot_jpeg else None))

    def add_warning(self, t_s: float, incident_type: str, message: str, action: str) -> None:
        self._sql("INSERT INTO warnings (t_s, incident_type, message, action) VALUES (?,?,?,?)",
                  (float(t_s), str(incident_type), str(message), str(action)))

    def add_exam_event(self, t_s: float, kind: str, data: dict[str, Any] | None = None) -> None:
        self._sql("INSERT INTO exam_events (t_s, kind, data) VALUES (?,?,?)", (float(t_s), str(kind), dumps(data or {})))

    def add_device_event(self, ev: DeviceEvent) -> None:
        self._sql("INSERT INTO device_events (t_s, device, kind, message) VALUES (?,?,?,?)",
                  (float(ev.t_s), ev.device, ev.kind, ev.message))

    def set_exam_result(self, result: dict[str, Any]) -> None:
        self._sql("INSERT INTO exam_result (data) VALUES (?)", (dumps(result),))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far is committed (or the disk refused it). True if committed."""
        if self._closed or not self._thread.is_alive():
            return False
        done = threading.Event()
        box: list[bool] = []
        self._queue.put((_FLUSH, done, box))
        return done.wait(timeout) and bool(box and box[0])

    def finish(self, summary: dict[str, Any] | None = None, status: str = "complete") -> None:
        """Mark the session finished (status "complete", or "recovered"), write everything, stop the writer."""
        self._sql("INSERT INTO status (wall_time, status, summary) VALUES (?,?,?)",
                  (now_iso(), status, dumps(summary) if summary is not None else None))
        self.close()

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued and stop the writer. Without `finish` first, the session stays "interrupted"."""
        if self._closed:
            return
        self._queue.put((_STOP,))
        self._closed = True
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def __enter__(self) -> "SessionJournal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writer thread

    def _connect(self) -> sqlite3.Connection:
        paths.ensure_private_dir(self.session_dir)      # claimed at create(); made here if that failed then
        self._take_lock()
        paths.private_file(self.path)   # create 0600 first: SQLite gives the -wal/-shm files the same mode
        conn = _open_connection(self.path)
        conn.executescript(_SCHEMA)
        conn.executemany("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                         [(k, dumps(v)) for k, v in sorted(self._meta.items())])
        conn.commit()
        return conn

    def _take_lock(self) -> None:
        if self._lock_fd is not None:
            return
        # flock on POSIX, a byte-range lock on Windows (oscompat.locks): dropped by the OS when the process dies
        self._lock_fd = locks.hold(self.session_dir / LOCK_NAME, paths.FILE_MODE)

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            locks.release(self._lock_fd, self.session_dir / LOCK_NAME)
            self._lock_fd = None

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        pending: list[tuple[str, tuple]] = []
        face_bin, audio_bin = _FaceBin(), _AudioBin()
        next_commit = self._clock() + COMMIT_INTERVAL_S
        waiters: list[tuple[threading.Event, list]] = []
        stopping = False
        # Open at once: the folder, meta and lock exist from the start, and an unwritable folder is told at once.
        conn, ok = self._commit(None, [])
        if not ok:
            next_commit = self._clock() + RETRY_INTERVAL_S
        try:
            while True:
                try:
                    item = self._queue.get(timeout=max(0.0, next_commit - self._clock()))
                except queue.Empty:
                    item = None
                force = False
                if item is not None:
                    tag = item[0]
                    if tag == _FACE:
                        self._fold(face_bin, item[1], _FACE_SQL, pending)
                    elif tag == _AUDIO:
                        self._fold(audio_bin, item[1], _AUDIO_SQL, pending)
                    elif tag == _SQL:
                        pending.append((item[1], item[2]))
                    elif tag == _FLUSH:
                        waiters.append((item[1], item[2]))
                        force = True
                    elif tag == _STOP:
                        stopping = force = True
                if force:
                    # a flush or stop writes the partial bins too: the caller wants everything on disk
                    for b, sql in ((face_bin, _FACE_SQL), (audio_bin, _AUDIO_SQL)):
                        self._fold(b, None, sql, pending)
                if not (force or self._clock() >= next_commit):
                    continue
                ok = True
                if pending or conn is None:
                    conn, ok = self._commit(conn, pending)
                next_commit = self._clock() + (COMMIT_INTERVAL_S if ok else RETRY_INTERVAL_S)
                for event, box in waiters:
                    box.append(ok)
                    event.set()
                waiters.clear()
                if stopping:
                    self._last_commit_ok = ok
                    self.dropped_rows += len(pending)
                    return
        finally:
            if conn is not None:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._release_lock()

    def _fold(self, bin_: _Bin, obs: Any, sql: str, pending: list[tuple[str, tuple]]) -> None:
        """Add an observation to its bin (None: close the bin); a malformed one is skipped, never fatal."""
        try:
            row = bin_.add(obs) if obs is not None else bin_.flush()
        except (ValueError, TypeError, OverflowError, AttributeError):
            self.bad_rows += 1
            bin_.items, bin_.key = [], None
            return
        if row is not None:
            pending.append((sql, row))

    def _commit(self, conn: sqlite3.Connection | None, pending: list[tuple[str, tuple]]
                ) -> tuple[sqlite3.Connection | None, bool]:
        try:
            if conn is None:
                conn = self._connect()
            # in chunks, so a nearly full disk still takes as much of a large backlog as fits
            while pending:
                chunk = pending[:COMMIT_CHUNK]
                for sql, params in chunk:
                    try:
                        conn.execute(sql, params)
                    except (sqlite3.InterfaceError, sqlite3.ProgrammingError, sqlite3.IntegrityError, ValueError,
                            TypeError, OverflowError):
                        self.bad_rows += 1      # a value SQLite cannot store: drop the row, never block the rest
                conn.commit()
                del pending[:len(chunk)]
            return conn, True
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                try:
                    conn.rollback()
                except sqlite3.Error:
                    conn = None      # a broken connection is reopened on the next retry
            self._report_error(exc)
            self._trim_backlog(pending)
            return conn, False

    def _trim_backlog(self, pending: list[tuple[str, tuple]]) -> None:
        """Keep the backlog bounded: drop the oldest observation rows first, events and incidents last."""
        excess = len(pending) - MAX_BACKLOG
        if excess <= 0:
            return
        keep: list[tuple[str, tuple]] = []
        for stmt in pending:
            if excess > 0 and stmt[0] in _OBS_SQL:
                excess -= 1
                self.dropped_rows += 1
                continue
            keep.append(stmt)
        if excess > 0:
            self.dropped_rows += excess
            keep = keep[excess:]
        pending[:] = keep


def _claim_session_id(root: Path, started: datetime) -> tuple[str, OSError | None]:
    """A new session id whose folder this process created (exclusive mkdir): two sessions started in the same
    second never share one. If the folder cannot be made, the id is returned with the error (the writer retries)."""
    stamp = f"{started:%Y%m%d-%H%M%S}"
    try:
        paths.ensure_private_dir(root)
    except OSError as exc:
        return f"{stamp}-{secrets.token_hex(2)}", exc
    for _ in range(1000):
        session_id = f"{stamp}-{secrets.token_hex(2)}"
        try:
            os.mkdir(root / session_id, paths.DIR_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            return session_id, exc
        osfiles.restrict(root / session_id, paths.DIR_MODE)
        return session_id, None
    return session_id, FileExistsError(f"no free session id in {root} for {stamp}")


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------------------------------- reader


@dataclass(frozen=True, slots=True)
class FaceRow:
    t_s: float
    n: int
    faces: int
    trusted: float
    yaw: float | None
    pitch: float | None
    roll: float | None
    gaze_x: float | None
    gaze_y: float | None
    mouth: float | None
    eyes: float | None
    face_x: float | None
    face_y: float | None
    face_size: float | None
    brightness: float | None
    covered: float | None


@dataclass(frozen=True, slots=True)
class AudioRow:
    t_s: float
    n: int
    rms_dbfs: float
    peak_dbfs: float
    noise_floor_dbfs: float
    speech_prob: float


@dataclass(frozen=True, slots=True)
class StoredIncident:
    incident: Incident
    snapshot_jpeg: bytes | None


@dataclass(frozen=True, slots=True)
class StoredWarning:
    t_s: float
    incident_type: str
    message: str
    action: str


@dataclass(frozen=True, slots=True)
class ExamEvent:
    t_s: float
    kind: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StatusRow:
    wall_time: str
    status: str
    summary: dict[str, Any] | None


def journal_file(path: Path) -> Path:
    """Accept a session folder or its journal file."""
    path = Path(path)
    return path / JOURNAL_NAME if path.is_dir() else path


class JournalReader:
    """Read-only access to a journal, used by the report model, history and recovery. Rows come in write order."""

    def __init__(self, path: Path) -> None:
        self.path = journal_file(path)
        if not self.path.is_file():
            raise JournalError(f"{self.path}: no session journal there")
        try:
            self._conn = _open_for_reading(self.path)
        except sqlite3.Error as exc:
            raise JournalError(f"{self.path}: not a readable session journal ({exc})") from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "JournalReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str) -> list[tuple]:
        try:
            return self._conn.execute(sql).fetchall()
        except sqlite3.Error as exc:
            raise JournalError(f"{self.path}: damaged session journal ({exc})") from None

    def _parse(self, table: str, parse: Callable[[], Any]) -> Any:
        """Run `parse` over rows of `table`; a damaged row (bad JSON, a missing key, a wrong type) is a
        JournalError naming the file and the table, so one bad row skips its session, never the whole history."""
        try:
            return parse()
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            what = f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError) else str(exc)
            raise JournalError(f"{self.path}: a damaged row in its {table} table ({what})") from None

    @property
    def session_dir(self) -> Path:
        return self.path.parent

    def meta(self) -> dict[str, Any]:
        rows = self._rows("SELECT key, value FROM meta ORDER BY key")
        return self._parse("meta", lambda: {k: json.loads(v) for k, v in rows})

    def calibration(self) -> dict[str, Any] | None:
        rows = self._rows("SELECT data FROM calibration ORDER BY id DESC LIMIT 1")
        return self._parse("calibration", lambda: json.loads(rows[0][0]) if rows else None)

    def face_rows(self) -> list[FaceRow]:
        return [FaceRow(*r) for r in self._rows(
            "SELECT t_s, n, faces, trusted, yaw, pitch, roll, gaze_x, gaze_y, mouth, eyes, face_x, face_y, "
            "face_size, brightness, covered FROM face_obs ORDER BY t_s, id")]

    def audio_rows(self) -> list[AudioRow]:
        return [AudioRow(*r) for r in self._rows(
            "SELECT t_s, n, rms_dbfs, peak_dbfs, noise_floor_dbfs, speech_prob FROM audio_obs ORDER BY t_s, id")]

    def incidents(self) -> list[StoredIncident]:
        """One entry per incident (latest row wins), ordered by start time."""
        return self._parse("incidents", self._incidents)

    def _incidents(self) -> list[StoredIncident]:
        latest: dict[tuple, tuple[Incident, bytes | None]] = {}
        for data, snapshot in self._rows("SELECT data, snapshot FROM incidents ORDER BY id"):
            inc = Incident.from_dict(json.loads(data))
            # one incident = one type and start: a look's direction may be settled only when it closes
            key = (inc.type, round(inc.start_s, 3))
            prev = latest.get(key)
            latest[key] = (inc, snapshot if snapshot is not None else (prev[1] if prev else None))
        items = sorted(latest.values(), key=lambda p: (p[0].start_s, p[0].type, p[0].direction or ""))
        return [StoredIncident(inc, bytes(snap) if snap is not None else None) for inc, snap in items]

    def warnings(self) -> list[StoredWarning]:
        return [StoredWarning(*r) for r in self._rows(
            "SELECT t_s, incident_type, message, action FROM warnings ORDER BY t_s, id")]

    def exam_events(self) -> list[ExamEvent]:
        rows = self._rows("SELECT t_s, kind, data FROM exam_events ORDER BY t_s, id")
        return self._parse("exam_events", lambda: [ExamEvent(t, k, json.loads(d)) for t, k, d in rows])

    def device_events(self) -> list[DeviceEvent]:
        return [DeviceEvent(*r) for r in self._rows(
            "SELECT t_s, device, kind, message FROM device_events ORDER BY t_s, id")]

    def exam_result(self) -> dict[str, Any] | None:
        rows = self._rows("SELECT data FROM exam_result ORDER BY id DESC LIMIT 1")
        return self._parse("exam_result", lambda: json.loads(rows[0][0]) if rows else None)

    def final_status(self) -> StatusRow | None:
        rows = self._rows("SELECT wall_time, status, summary FROM status ORDER BY id DESC LIMIT 1")
        if not rows:
            return None
        w, s, summary = rows[0]
        return StatusRow(w, s, self._parse("status", lambda: json.loads(summary) if summary else None))

    def last_time_s(self) -> float:
        """The latest session-clock time anything was recorded at: the duration of an unfinished session."""
        best = 0.0
        for sql in ("SELECT max(t_s) FROM face_obs", "SELECT max(t_s) FROM audio_obs", "SELECT max(end_s) FROM incidents",
                    "SELECT max(t_s) FROM exam_events", "SELECT max(t_s) FROM device_events",
                    "SELECT max(t_s) FROM warnings"):
            value = self._rows(sql)[0][0]
            if value is not None:
                best = max(best, float(value))
        return best


def _open_for_reading(path: Path) -> sqlite3.Connection:
    """A normal connection first (not mode=ro), so a WAL left by a killed writer is read and recovered. On a
    read-only folder (a backup, a mount) SQLite cannot make the WAL index there: read the file as immutable then,
    which is exact when no WAL is left beside it and otherwise reads what was checkpointed."""
    try:
        conn = sqlite3.connect(str(path), timeout=5.0)
        conn.execute("SELECT count(*) FROM meta").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc) and "unable to open" not in str(exc) and "read-only" not in str(exc):
            raise
    # as_uri percent-encodes %, ?, # and spaces, and writes a Windows path as file:///C:/... as SQLite wants it
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, timeout=5.0)
    conn.execute("SELECT count(*) FROM meta").fetchone()
    return conn


def is_locked(session_dir: Path) -> bool:
    lock = Path(session_dir) / LOCK_NAME
    if not lock.exists():
        return False
    return locks.is_held(lock)     # only reads: works on a read-only folder too
