"""The live identity check's descriptor network in a child process (perception/identity_process.py): the same
descriptor as in this process, a clean end, and a check that goes on in this process when the child dies."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pytest

from proctorprep.perception.face import FaceAnalyser
from proctorprep.perception.identity import FaceIdentifier, IdentityWatcher
from proctorprep.perception.identity_process import DescriptorProcess, DescriptorProcessError
from proctorprep.session.identity_worker import IdentityWorker
from tests.fixtures.face_render import render_face


@pytest.fixture(scope="module")
def frame_and_obs():
    img = render_face()
    with FaceAnalyser(hands=False, static_image_mode=True) as fa:
        return img, fa.analyse(img, 0.0)


def test_the_child_describes_a_face_exactly_as_this_process_does(frame_and_obs):
    img, obs = frame_and_obs
    local = FaceIdentifier().describe(img, obs.face_box)
    proc = DescriptorProcess()
    try:
        remote = FaceIdentifier(remote=proc).describe(img, obs.face_box)
        other = FaceIdentifier(remote=proc).describe(render_face(person="hopper"), obs.face_box)
    finally:
        proc.close()
    assert local.distance(remote) < 1e-4
    assert local.distance(other) > 0.3                        # a real descriptor, not a constant
    assert proc._proc.exitcode == 0                           # ended by close(), not killed


def test_a_dead_child_is_said_and_the_live_check_goes_on_in_this_process(frame_and_obs):
    img, obs = frame_and_obs
    reference = FaceIdentifier().describe(img, obs.face_box).vector
    results, arrived = [], threading.Event()
    watcher = IdentityWatcher(reference)
    worker = IdentityWorker(watcher, lambda ident: (results.append(ident), arrived.set()))
    try:
        worker.submit(img, obs)
        assert arrived.wait(60)
        assert worker._process is not None and results[0].distance < 0.1       # checked in the child
        os.kill(worker._process.pid, signal.SIGKILL)
        worker._process._proc.join(10)
        with pytest.raises(DescriptorProcessError):
            FaceIdentifier(remote=worker._process).describe(img, obs.face_box)
        arrived.clear()
        worker.submit(img, obs)                          # this check meets the dead child and is dropped ...
        deadline = time.monotonic() + 30
        while worker._process is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker._process is None and worker.failed is None
        worker.submit(img, obs)                          # ... the next one is made in this process
        assert arrived.wait(60)
        assert len(results) == 2 and results[-1].distance < 0.1
    finally:
        worker.close()
