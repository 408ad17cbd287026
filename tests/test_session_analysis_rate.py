"""The live analysis rate: the settings' rate while the machine keeps up, one fixed step lower (announced as a "slow"
device event that the session journals) when the analyser is busy most of the time. No timings are asserted."""

from __future__ import annotations

import time

import numpy as np
import pytest

from proctorprep.sources.base import Frame
from proctorprep.session.analysis_rate import AnalysisRate


def feed_rate(rate: AnalysisRate, seconds: float, analysis_s: float, fps: float = 30.0) -> list[float]:
    """Frames at `fps` for `seconds`; each analysed one 'takes' analysis_s. Returns the rates it dropped to."""
    drops = []
    for i in range(int(seconds * fps)):
        t = i / fps
        if rate.due(t):
            new = rate.record(t, analysis_s)
            if new is not None:
                drops.append(new)
    return drops


def test_a_30fps_feed_is_analysed_at_the_requested_rate():
    rate = AnalysisRate(15.0)
    due = [rate.due(i / 30.0) for i in range(300)]
    assert sum(due) == 150


def test_a_machine_that_keeps_up_keeps_its_rate():
    rate = AnalysisRate(15.0)
    assert feed_rate(rate, 30.0, analysis_s=0.030) == []      # busy 45 % of the time
    assert rate.fps == 15.0


def test_a_busy_analyser_drops_one_step_and_the_new_rate_stays_fixed():
    rate = AnalysisRate(15.0)
    # 55 ms a frame at 15 fps is 82 % busy; at 12 fps 66 %: one drop, then steady
    assert feed_rate(rate, 30.0, analysis_s=0.055) == [12.0]
    assert rate.fps == 12.0
    assert "12 times a second instead of 15" in rate.message()
    assert feed_rate(rate, 30.0, analysis_s=0.010) == []      # never climbs back: one rate per session
    assert rate.fps == 12.0


def test_a_very_slow_machine_stops_at_the_floor():
    rate = AnalysisRate(30.0)
    drops = feed_rate(rate, 60.0, analysis_s=0.5)
    assert drops == [20.0, 15.0, 12.0, 10.0]
    assert rate.fps == 10.0


def test_a_low_requested_rate_is_kept():
    assert AnalysisRate(2.0).fps == 2.0


class _FakeFeed:
    """Frames as fast as they are taken, with 30 fps timestamps; stops the worker after `n`."""

    def __init__(self, worker, n: int) -> None:
        self.worker, self.n, self.i = worker, n, 0
        self.ended, self.dropped = False, 0
        self.image = np.zeros((48, 64, 3), np.uint8)

    def take(self, timeout: float = 0.1):
        if self.i >= self.n:
            self.worker.stop()
            return None
        self.i += 1
        return Frame(t_s=(self.i - 1) / 30.0, index=self.i - 1, image=self.image)

    def close(self) -> None:
        pass


@pytest.mark.gui
def test_video_worker_announces_a_lowered_rate_as_a_slow_device_event(qapp):
    from proctorprep.ui.workers import ProcessResult, VideoWorker

    holder = {}
    worker = VideoWorker(lambda on_event: holder.setdefault("feed", _FakeFeed(worker, 60)), None, 15.0,
                         display=False)
    worker.rate = AnalysisRate(15.0, window_s=0.5)
    events = []
    worker.device_event.connect(events.append)

    def slow(frame, _analyser):
        if worker.rate.fps == 15.0:
            time.sleep(0.06)        # at least 60 ms: 90 % of a 15 fps period; quick once the rate is lowered
        return ProcessResult()

    worker.set_processor(slow)
    worker.run()                    # on this thread: the feed stops it after 60 frames
    slow_events = [e for e in events if e.kind == "slow"]
    assert len(slow_events) == 1
    assert slow_events[0].device == "camera"
    assert "instead of 15" in slow_events[0].message
    # a new processor (the exam starting after the calibration) hears the lowered rate again, for its journal
    worker.set_processor(slow)
    assert [e.kind for e in events].count("slow") == 2
