"""identity_changed and the face model behind it: real photos of two people (the test extras' astronaut, Eileen
Collins, and Grace Hopper), rendered heads of the same people moving, and a recorded exam clip where the person in
the chair changes. The wider evaluation on 14 people from packages is bench/checkin_identity.py (it downloads
their photos; docs/readme/checkin.md has its numbers)."""

from __future__ import annotations

import itertools
import math

import cv2
import numpy as np
import pytest

from proctorprep.perception.identity import MATCH_DISTANCE, FaceIdentifier, IdentityWatcher
from proctorprep.perception.observations import IdentityObservation
from proctorprep.rules.detectors.identity import IdentityChangedDetector
from proctorprep.rules.incident_types import incident_type
from proctorprep.rules.thresholds import thresholds_for
from tests.fixtures.face_render import _photo, render_face, write_clip

PEOPLE = ("astronaut", "hopper")
POSES = ((0, 0), (20, 0), (-20, 5), (0, -12))


@pytest.fixture(scope="module")
def identifier() -> FaceIdentifier:
    return FaceIdentifier()


def _descr(identifier: FaceIdentifier, bgr: np.ndarray):
    faces = identifier.describe_all(bgr)     # largest first (the astronaut's photo has a small second face found)
    assert faces
    return faces[0]


def test_same_person_matches_and_different_people_do_not(identifier: FaceIdentifier) -> None:
    """Each person's photo against renders of the same head turned and tilted (genuine pairs), and every face of one
    person against every face of the other (impostor pairs); distances are printed with the threshold."""
    faces = {p: [_descr(identifier, cv2.cvtColor(_photo(p), cv2.COLOR_RGB2BGR))] +
             [_descr(identifier, render_face(yaw=y, pitch=pi, person=p)) for y, pi in POSES] for p in PEOPLE}
    genuine = [a.distance(b) for p in PEOPLE for a, b in itertools.combinations(faces[p], 2)]
    impostor = [a.distance(b) for a in faces[PEOPLE[0]] for b in faces[PEOPLE[1]]]
    fnmr = sum(d > MATCH_DISTANCE for d in genuine) / len(genuine)
    fmr = sum(d <= MATCH_DISTANCE for d in impostor) / len(impostor)
    print(f"\nthreshold {MATCH_DISTANCE}; genuine {len(genuine)} pairs, max {max(genuine):.3f}; impostor "
          f"{len(impostor)} pairs, min {min(impostor):.3f}; FNMR {fnmr:.2f}, FMR {fmr:.2f}")
    assert fnmr == 0 and fmr == 0
    assert max(genuine) < min(impostor) - 0.1          # a margin, not a knife's edge


def _frames(seconds: float, fps: float, switch_s: float | None, size=(320, 240)):
    """A candidate reading at the screen: sways, blinks every ~4 s, turns to the left for 2 s every 12 s and looks
    down for 1.5 s; from switch_s on another person sits in the chair doing the same."""
    for i in range(int(seconds * fps)):
        t = i / fps
        person = "hopper" if switch_s is not None and t >= switch_s else "astronaut"
        yaw = 3 * math.sin(t / 1.7) + (30.0 if t % 12 > 9.5 else 0.0)
        pitch = -2 + (-22.0 if 5.0 < t % 12 < 6.5 else 0.0)
        blink = (t % 4.1) < 0.2
        yield render_face(yaw=yaw, pitch=pitch, roll=2 * math.sin(t / 3), eyes_closed=blink, size=size,
                          offset=(6 * math.sin(t / 2.3), 3 * math.sin(t / 3.1)), person=person,
                          mouth=0.02 + 0.02 * math.sin(t * 2))


def _analyse(tmp_path, name: str, switch_s: float | None, seconds: float, identifier: FaceIdentifier):
    from proctorprep.session.pipeline import PipelineConfig
    from proctorprep.session.recording import analyze_recording

    clip = write_clip(tmp_path / f"{name}.avi", _frames(seconds, 5.0, switch_s), fps=5.0)
    ref = _descr(identifier, render_face(size=(640, 480))).vector        # the check-in headshot
    watcher = IdentityWatcher(ref, identifier=identifier)
    res = analyze_recording(clip, config=PipelineConfig(analysis_fps=5.0, keep_snapshots=False),
                            journal_dir=False, identity=watcher)
    return res, watcher


@pytest.mark.slow
def test_another_person_in_the_chair_raises_identity_changed_within_its_dwell(tmp_path, identifier) -> None:
    res, watcher = _analyse(tmp_path, "switch", 16.0, 36.0, identifier)
    found = [i for i in res.incidents if i.type == "identity_changed"]
    dwell = thresholds_for("standard").identity_dwell_s
    print(f"\nidentity checks {watcher.checks}, CPU {watcher.cpu_s / max(1, watcher.checks) * 1000:.0f} ms each; "
          f"incidents {[(round(i.start_s, 1), round(i.end_s, 1)) for i in found]}")
    assert len(found) == 1
    inc = found[0]
    assert 16.0 <= inc.start_s <= 16.0 + 2 * watcher.interval_s       # the first comparisons of the new face
    assert inc.evidence["decided_s"] <= 16.0 + dwell + 2 * watcher.interval_s
    assert inc.severity == "critical" and inc.evidence["mean_distance"] > inc.evidence["limit"]
    assert watcher.checks <= 36.0 / watcher.interval_s + 1          # every few seconds, never every frame
    assert not [i for i in res.incidents if i.type == "identity_changed" and i.start_s < 16.0]


@pytest.mark.slow
def test_the_same_person_moving_turning_and_blinking_never_raises_it(tmp_path, identifier) -> None:
    res, watcher = _analyse(tmp_path, "same", None, 30.0, identifier)
    # after the 5 s calibration: at once, then every 30 s while the face clearly matches (sooner when its picture
    # changes; 3 s otherwise), turned heads not compared
    assert watcher.checks >= max(1.0, (30.0 - 5.0) / watcher.settled_interval_s - 1)
    assert [i for i in res.incidents if i.type == "identity_changed"] == []


def test_the_detector_needs_its_dwell_and_ignores_turned_faces() -> None:
    """On comparisons alone: one far reading among near ones (a bad frame) never opens; "cannot tell" (a turned
    head) neither builds nor breaks a run; a run opens after identity_dwell_s and closes after identity_off_s."""
    thr = thresholds_for("standard")
    det = IdentityChangedDetector(thr)
    ups = []
    seq = [0.35, 0.4, 0.9, 0.38, None, 0.4] + [0.8, None, 0.82, 0.76, 0.79, 0.81] + [0.3] * 4
    for k, d in enumerate(seq):
        ups += det.feed_identity(IdentityObservation(3.0 * k, d, "" if d is not None else "head turned"))
    ups += det.finish(3.0 * len(seq))
    opened = [u for u in ups if u.kind == "opened"]
    closed = [u for u in ups if u.kind == "closed"]
    assert len(opened) == 1 and len(closed) == 1
    assert opened[0].incident.start_s == 18.0 and opened[0].incident.evidence["decided_s"] >= 18.0 + thr.identity_dwell_s
    assert closed[0].incident.end_s == 36.0


def test_identity_changed_is_a_registered_type_with_its_threshold() -> None:
    t = incident_type("identity_changed")
    assert t.dwell_threshold == "identity_dwell_s" and t.severity == "critical" and "strict" in t.ends_in
    assert thresholds_for("strict").identity_dwell_s < thresholds_for("lenient").identity_dwell_s


def test_a_bad_reference_is_refused() -> None:
    with pytest.raises(ValueError, match="128 numbers"):
        IdentityWatcher(np.zeros(5))
