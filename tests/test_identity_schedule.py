"""When the face is compared with the check-in headshot (perception.identity.IdentityWatcher) and where (the live
session: on its own thread, session/identity_worker.py), with a scripted identifier: no model, exact times."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np

from proctorprep.perception.identity import (CHECK_INTERVAL_S, DESCRIPTOR_SIZE, SETTLED_INTERVAL_S,
                                             FaceDescriptor, IdentityWatcher)
from proctorprep.session.pipeline import PipelineConfig, SessionPipeline
from tests.fixtures.obs_streams import faces as _faces

REF = np.zeros(DESCRIPTOR_SIZE, dtype=np.float32)
IMAGE = np.zeros((240, 320, 3), dtype=np.uint8)


def faces(t0: float, t1: float, **kw):
    """The observation streams' faces, with the face box the identity check needs (160 px, frontal)."""
    return [dataclasses.replace(o, face_box=(240, 160, 160, 160)) if o.faces else o for o in _faces(t0, t1, **kw)]


class Scripted:
    """An identifier whose faces are at `distance(t)` from the reference; records the thread of each call."""

    def __init__(self, distance=lambda t: 0.3) -> None:
        self.distance, self.threads, self.t = distance, [], 0.0

    def describe(self, image, box) -> FaceDescriptor:
        self.threads.append(threading.current_thread().name)
        vec = np.zeros(DESCRIPTOR_SIZE, dtype=np.float32)
        vec[0] = self.distance(self.t)
        return FaceDescriptor(tuple(box), vec)


def _checked_at(watcher: IdentityWatcher, ident: Scripted, stream) -> list[float]:
    done = []
    for o in stream:
        ident.t = o.t_s
        if watcher.due(o.t_s, o.faces):
            watcher.check(IMAGE, o)
            if o.faces == 1:
                done.append(round(o.t_s, 2))
    return done


def test_a_clear_match_is_compared_less_often_than_a_doubtful_one():
    clear, doubtful = Scripted(lambda t: 0.30), Scripted(lambda t: 0.50)
    a = _checked_at(IdentityWatcher(REF, identifier=clear), clear, faces(0, 3 * SETTLED_INTERVAL_S + 1))
    b = _checked_at(IdentityWatcher(REF, identifier=doubtful), doubtful, faces(0, 30))
    assert len(a) == 4 and np.allclose(np.diff(a), SETTLED_INTERVAL_S, atol=0.1), a
    assert np.allclose(np.diff(b), CHECK_INTERVAL_S, atol=0.1), b


def test_a_face_back_after_an_empty_chair_is_compared_at_once():
    ident = Scripted(lambda t: 0.30 if t < 10 else 0.80)       # someone else sits down at 10 s
    watcher = IdentityWatcher(REF, identifier=ident)
    stream = faces(0, 8.5) + faces(8.5, 10, faces=0) + faces(10, 20)
    done = _checked_at(watcher, ident, stream)
    assert 10.0 in done                                          # not at the next settled time (12 s)
    after = [t for t in done if t >= 10]
    assert np.allclose(np.diff(after), CHECK_INTERVAL_S, atol=0.1), after    # not the reference: every 3 s


def test_the_live_pipeline_compares_on_its_own_thread_and_judges_the_result():
    ident = Scripted(lambda t: 0.80)                             # not the person of the headshot
    watcher = IdentityWatcher(REF, identifier=ident)
    updates = []
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=2, keep_snapshots=False, live=True),
                           identity=watcher)
    pipe.on_update = lambda u, action: updates.append(u)
    for o in faces(0, 30):
        ident.t = o.t_s
        pipe.process_face_observation(o, IMAGE)
    pipe.finish()
    assert ident.threads and set(ident.threads) == {"identity-check"}
    assert threading.current_thread().name not in ident.threads
    opened = [u for u in updates if u.kind == "opened" and u.incident.type == "identity_changed"]
    assert len(opened) == 1


def test_a_recording_compares_in_line():
    ident = Scripted(lambda t: 0.80)
    pipe = SessionPipeline(PipelineConfig(calibration_seconds=2, keep_snapshots=False, live=False),
                           identity=IdentityWatcher(REF, identifier=ident))
    for o in faces(0, 30):
        ident.t = o.t_s
        pipe.process_face_observation(o, IMAGE)
    incs = pipe.finish()
    assert set(ident.threads) == {threading.current_thread().name}
    assert [i.type for i in incs].count("identity_changed") == 1
