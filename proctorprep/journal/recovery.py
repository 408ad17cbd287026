"""Interrupted sessions: found on the next start, finished so their report can be built.

A session is interrupted when its journal has no final status and no live writer holds its lock (the process was
killed, crashed or lost power). Everything committed before (all but the last ~1 s) is in the journal; finishing
records how long it ran and marks it "recovered"; the report is then built from the journal like any other.

An incident in progress at the kill has only its "opened" row (written when the rules decided, its end the moment
of that decision): its real end is rebuilt from the observation rows, which the writer kept committing until the
kill. The journal's 0.2 s rows are replayed through the same rules with the session's calibration and thresholds;
the replayed incident of that type overlapping the stored one gives the end. If the replay does not reproduce it
(a rule that needs every frame, such as mouthing), the behaviour is taken to last until that stream's last row:
its closing would have been committed had it come more than one commit interval plus the rule's own "off" time
before the kill, so this errs by at most that (~1-2.5 s).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

from proctorprep import paths
from proctorprep.journal.history import SessionInfo, list_sessions, session_info
from proctorprep.journal.store import (OBS_BIN_S, JournalError, JournalReader, dumps, is_locked, journal_file,
                                       now_iso)
from proctorprep.rules.incidents import Incident


def find_interrupted(sessions_root: Path | None = None) -> list[SessionInfo]:
    """Sessions that stopped without finishing (oldest first)."""
    return [s for s in list_sessions(sessions_root) if s.status == "interrupted"]


def finish_interrupted(path: Path) -> SessionInfo:
    """Mark an interrupted session (its folder or journal file) as "recovered". Idempotent for finished sessions.

    Raises JournalError naming the file if it is unreadable, or if a live process is still writing it."""
    jpath = journal_file(Path(path))
    session_dir = jpath.parent
    if is_locked(session_dir):
        raise JournalError(f"{jpath}: the session is still running in another proctorprep window")
    with JournalReader(jpath) as reader:
        if reader.final_status() is not None:
            return session_info(session_dir)
        duration = reader.last_time_s()
        rebuilt = running_incidents(reader)
    try:
        paths.private_file(jpath)   # keep 0600 even if someone loosened it
        conn = sqlite3.connect(str(jpath), timeout=5.0)
        try:
            conn.executemany("INSERT INTO incidents (type, start_s, end_s, data, snapshot) VALUES (?,?,?,?,NULL)",
                             [(i.type, i.start_s, i.end_s, dumps(i.to_dict())) for i in rebuilt])
            conn.execute("INSERT INTO status (wall_time, status, summary) VALUES (?,?,?)",
                         (now_iso(), "recovered", dumps({"duration_s": round(duration, 3), "recovered": True})))
            conn.commit()
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        raise JournalError(f"{jpath}: could not mark the session as recovered ({exc})") from None
    return session_info(session_dir)


def _still_open(rows: list[Incident]) -> bool:
    """Only the "opened" row was written: its end is the moment the rules decided (see detectors.base.make)."""
    if len(rows) != 1:
        return False
    decided = rows[0].evidence.get("decided_s")
    return isinstance(decided, (int, float)) and round(float(decided), 3) == round(rows[0].end_s, 3)


def running_incidents(reader: JournalReader) -> list[Incident]:
    """The incidents that were still going on when the session stopped, with their end rebuilt (see module doc).
    Returns only those whose end moved; the reader keeps the last row, so writing them is enough."""
    groups: dict[tuple, list[Incident]] = {}
    for data, in reader._rows("SELECT data FROM incidents ORDER BY id"):
        try:
            inc = Incident.from_dict(json.loads(data))
        except (ValueError, KeyError, TypeError):
            continue                       # a damaged row: the report says so; nothing to rebuild from it
        groups.setdefault((inc.type, round(inc.start_s, 3)), []).append(inc)
    running = [rows[0] for rows in groups.values() if _still_open(rows)]
    if not running:
        return []
    face, audio = reader.face_rows(), reader.audio_rows()
    last = {"face": face[-1].t_s + OBS_BIN_S if face else 0.0, "audio": audio[-1].t_s + OBS_BIN_S if audio else 0.0}
    replayed, sound_only = _replay(reader, face, audio)
    out: list[Incident] = []
    for inc in running:
        stream = "audio" if inc.type in sound_only else "face"
        same = [r for r in replayed if r.type == inc.type and r.start_s <= inc.end_s + 1.0 and r.end_s >= inc.start_s]
        end = max((r.end_s for r in same), default=last[stream])
        end = min(max(end, inc.end_s), max(last.values()))
        if end <= inc.end_s:
            continue
        evidence = {**inc.evidence, "duration_s": round(end - inc.start_s, 2), "end_rebuilt": True}
        text = max(same, key=lambda r: r.end_s).explanation if same else inc.explanation
        out.append(dataclasses.replace(inc, end_s=end, evidence=evidence, explanation=text))
    return out


def _replay(reader: JournalReader, face: list, audio: list) -> tuple[list[Incident], set[str]]:
    """The journal's observation rows through the rules, as the session ran them; and the incident types judged
    from the sound alone (their detectors listen to no picture)."""
    from proctorprep.journal.record import read_record
    from proctorprep.perception.observations import AudioObservation, FaceObservation
    from proctorprep.rules.calibration import Calibration, CalibrationError
    from proctorprep.rules.engine import RuleEngine
    from proctorprep.rules.incident_types import DetectorSetup, build_detectors
    from proctorprep.rules.thresholds import ThresholdError

    try:
        record = read_record(reader)
        cal = Calibration.from_dict(record.calibration or {})
        engine = RuleEngine(cal, record.profile, dict(record.thresholds), has_audio=bool(audio))
    except (ThresholdError, CalibrationError, ValueError, KeyError, TypeError):
        return [], set()
    sound_only = {str(getattr(d, "type", "")) for d in build_detectors(DetectorSetup(cal, engine.thresholds, True))
                  if hasattr(d, "feed_audio") and not hasattr(d, "feed_face")}
    stream: list[tuple[float, int, object]] = []
    for r in face:
        stream.append((r.t_s, 1, FaceObservation(
            t_s=r.t_s, faces=r.faces, trustworthy=r.trusted >= 0.5, yaw_deg=r.yaw, pitch_deg=r.pitch,
            roll_deg=r.roll, gaze_x=r.gaze_x, gaze_y=r.gaze_y, mouth_open=r.mouth, eyes_open=r.eyes,
            face_x=r.face_x, face_y=r.face_y, face_size=r.face_size, brightness=r.brightness,
            face_covered=r.covered)))
    for r in audio:
        stream.append((r.t_s, 0, AudioObservation(t_s=r.t_s, duration_s=OBS_BIN_S, rms_dbfs=r.rms_dbfs,
                                                  peak_dbfs=r.peak_dbfs, noise_floor_dbfs=r.noise_floor_dbfs,
                                                  speech_prob=r.speech_prob)))
    stream.sort(key=lambda x: (x[0], x[1]))
    for _, kind, obs in stream:
        engine.feed_face(obs) if kind else engine.feed_audio(obs)   # type: ignore[arg-type]
    engine.finish(max((x[0] for x in stream), default=0.0) + OBS_BIN_S)
    return engine.incidents(), sound_only


def finish_all_interrupted(sessions_root: Path | None = None) -> list[SessionInfo]:
    """Recover every interrupted session; returns them as recovered."""
    return [finish_interrupted(s.path) for s in find_interrupted(sessions_root)]
