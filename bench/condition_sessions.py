"""The exam-condition sessions of bench/evaluate_rules.py (kept here so that file's own session list stays small).

Two kinds:
- clips a recording can show, rendered once into --out and analysed with `proctorprep analyze` like every other
  session (tests/fixtures/condition_clips.py): `camera_moved` (the view pans 3-5 % and stays) against `lighting`
  (a lamp switched on, the room dimmed: compliant), `other_voice` (speech, lips closed) against `own_voice` (the
  same speech, lips moving: talking). Rooms ROOM_SEEDS_BENCH and voices BENCH_VOICES are not the ones the thresholds
  were chosen on (tests.fixtures.conditions_render.ROOM_SEEDS_TUNE, the tests' voices).
- what only the live app knows (screens, the exam window, the phase before the first question): a recording has
  none, so these sessions are scripted streams of the exam client's events with random timings and hand-made face
  observations, run through the same SessionPipeline the app runs. Their truth comes from the rule as the exam
  clients publish it (spec_* below), written apart from the detectors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

CLIP_SESSIONS = ("camera_moved", "lighting", "other_voice", "own_voice")
EVENT_SESSIONS = ("screens", "window", "before_start")
ALL = CLIP_SESSIONS + EVENT_SESSIONS
BENCH_VOICES = ["espeak:2", "espeak:3", "alsa:Rear_Left", "alsa:Side_Right"]   # the tests use espeak:0/1


def clip_session(out: Path, name: str, seed: int, fps: float) -> tuple[str, dict[str, Any]]:
    """Render (or reuse) one clip session; returns (tag, truth)."""
    from tests.fixtures import condition_clips as cc
    from tests.fixtures.conditions_render import ROOM_SEEDS_BENCH

    tag = f"{name}-s{seed}"
    truth = out / f"{tag}.truth.json"
    if truth.exists() and (out / f"{tag}.avi").exists():
        return tag, json.loads(truth.read_text())
    room = ROOM_SEEDS_BENCH[seed % len(ROOM_SEEDS_BENCH)]
    if name in ("camera_moved", "lighting"):
        return tag, cc.camera_clip(out, tag, room, 100 + seed, moved=name == "camera_moved", fps=fps)
    return tag, cc.voice_clip(out, tag, 200 + seed, own=name == "own_voice", sources=BENCH_VOICES, fps=fps)


# --------------------------------------------------------------------------------------------- event sessions
def _face(t: float, present: bool) -> Any:
    from proctorprep.perception.observations import FaceObservation

    if not present:
        return FaceObservation(t_s=t, faces=0, frame_size=(640, 480))
    return FaceObservation(t_s=t, faces=1, trustworthy=True, yaw_deg=0.0, pitch_deg=0.0, roll_deg=0.0, gaze_x=0.0,
                           gaze_y=0.0, eyes_open=0.3, mouth_open=0.02, face_x=0.5, face_y=0.5, face_size=0.25,
                           frame_size=(640, 480))


def spec_window(exits: list[tuple[float, float]], thr: Any) -> list[dict[str, Any]]:
    """Leaving the exam window, as the clients' rule reads: an absence of the grace or longer, or the N-th absence
    within the window however short (a counted set starts the count again)."""
    out, recent = [], []
    for s, e in exits:
        recent = [x for x in recent if x > s - thr.window_exits_s] + [s]
        often = len(recent) >= thr.window_exits
        if often:
            recent = []
        if often or e - s >= thr.window_grace_s:
            out.append({"type": "left_exam_window", "start_s": s, "end_s": e})
    return out


def event_sessions(name: str, seed: int, profile: str, per_seed: int = 3
                   ) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """`per_seed` scripted sessions for one seed (they are cheap: no rendering), each (tag, truth, report)."""
    return [event_session(name, seed * per_seed + k, profile) for k in range(per_seed)]


def event_session(name: str, seed: int, profile: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Run one scripted session through the live pipeline; returns (tag, truth, report-like dict)."""
    from proctorprep.rules import conditions as cd
    from proctorprep.rules.calibration import Calibration
    from proctorprep.rules.thresholds import thresholds_for
    from proctorprep.session.pipeline import PipelineConfig, SessionPipeline

    rng = np.random.default_rng(1000 * (ALL.index(name) + 1) + seed)
    thr = thresholds_for(profile)
    events: list[cd.ConditionEvent] = []
    truth: list[dict[str, Any]] = []
    away: list[tuple[float, float]] = []          # spans out of the camera's view
    if name == "screens":
        dur = 600.0
        if seed % 2:      # two screens at the check-in, the second unplugged after a while
            off = float(rng.uniform(30, 90))
            events += [cd.ConditionEvent(0.0, cd.SCREENS, 2, {"names": ["Built-in", "HDMI-1"]}),
                       cd.ConditionEvent(off, cd.SCREENS, 1)]
            truth.append({"type": "second_screen", "start_s": 0.0, "end_s": off})
            t = off + 60
        else:
            events.append(cd.ConditionEvent(0.0, cd.SCREENS, 1))
            t = 60.0
        while t < dur - 120:
            t += float(rng.uniform(40, 120))
            if rng.random() < 0.5:    # the display settings announce the one screen again: not a second one
                events.append(cd.ConditionEvent(t, cd.SCREENS, 1))
                continue
            e = t + float(rng.uniform(5, 60))
            events += [cd.ConditionEvent(t, cd.SCREENS, 2), cd.ConditionEvent(e, cd.SCREENS, 1)]
            truth.append({"type": "second_screen", "start_s": round(t, 2), "end_s": round(e, 2)})
            t = e
    elif name == "window":
        dur = 1500.0
        exits, t = [], 30.0
        while t < dur - 120:
            kind = rng.choice(["short", "long", "burst"])
            if kind == "burst":       # several short absences in a row (a chat window, notifications)
                for _ in range(int(rng.integers(2, 5))):
                    s = t + float(rng.uniform(10, 40))
                    exits.append((s, s + float(rng.uniform(1, 4))))
                    t = exits[-1][1]
            else:
                s = t + float(rng.uniform(40, 200))
                length = (float(rng.uniform(0.5 * thr.window_grace_s, 0.93 * thr.window_grace_s)) if kind == "short"
                          else float(rng.uniform(1.07 * thr.window_grace_s, 3 * thr.window_grace_s)))
                exits.append((s, s + length))
                t = s + length
        exits = [(s, e) for s, e in exits if e < dur - 5]      # every absence ends inside the session
        for s, e in exits:
            state = [cd.INACTIVE, cd.MINIMISED, cd.LEFT_FULL_SCREEN][int(rng.integers(3))]
            events += [cd.ConditionEvent(round(s, 2), cd.WINDOW, state), cd.ConditionEvent(round(e, 2), cd.WINDOW,
                                                                                         cd.ACTIVE)]
        events.insert(0, cd.ConditionEvent(0.0, cd.WINDOW, cd.ACTIVE))
        truth = spec_window([(round(s, 2), round(e, 2)) for s, e in exits], thr)
    else:                 # before_start: out of view after the check-in (strict), then in the exam (face_missing)
        dur = 120.0
        start = float(rng.uniform(20, 40))            # the first question
        events += [cd.ConditionEvent(5.0, cd.PHASE, cd.PRE_START), cd.ConditionEvent(start, cd.PHASE, cd.EXAM)]
        gone = [0.5 * thr.before_start_dwell_s, 0.7 * thr.before_start_dwell_s, 3 * thr.before_start_dwell_s]
        g = gone[int(rng.integers(3))] if seed % 3 else float(rng.uniform(1.5, 5) * thr.before_start_dwell_s)
        s = float(rng.uniform(8, start - g - 3))
        away.append((s, s + g))
        if g >= thr.before_start_dwell_s:
            truth.append({"type": "left_before_start", "start_s": round(s, 2), "end_s": round(s + g, 2)})
        s = start + float(rng.uniform(10, 40))        # in the exam the usual rule applies
        g = float(rng.uniform(1.3, 2.5) * thr.missing_dwell_s)
        away.append((s, s + g))
        truth.append({"type": "face_missing", "start_s": round(s, 2), "end_s": round(s + g, 2)})
    pipe = SessionPipeline(PipelineConfig(profile=profile, live=False), calibration=Calibration(source="dots"))
    items = [(e.t_s, 0, e) for e in events]
    items += [(float(t), 1, _face(float(t), not any(a <= t < b for a, b in away))) for t in np.arange(0, dur, 0.1)]
    for _, kind, item in sorted(items, key=lambda x: (x[0], x[1])):
        if kind == 0:
            pipe.process_event(item)
        else:
            pipe.process_face_observation(item)
    incidents = pipe.finish(dur)
    compliant = _complement([(i["start_s"], i["end_s"]) for i in truth], dur, pad=1.0)
    report = {"incidents": [i.to_dict() for i in incidents]}
    return f"{name}-s{seed}", {"incidents": truth, "compliant": compliant, "duration_s": dur}, report


def _complement(spans: list[tuple[float, float]], end: float, pad: float) -> list[list[float]]:
    out, t = [], 0.0
    for s, e in sorted(spans):
        if s - pad > t:
            out.append([round(t, 2), round(s - pad, 2)])
        t = max(t, e + pad)
    if t < end:
        out.append([round(t, 2), end])
    return out
