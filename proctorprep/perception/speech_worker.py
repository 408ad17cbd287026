"""The speech-content analyser on a thread of its own, so the audio path never waits for the recogniser.

    listener = SpeechListener(bank_questions, keep_snippets=False)
    listener.set_on_screen(["cf-012"])           # the exam page says which question is shown (or [] for none)
    listener.add(block.samples, block.t_s, observations)   # from the audio path, after the voice analyser
    for content in listener.poll(): engine.feed_speech(content)
    listener.close()

Live CPU budget: stretches wait in a short queue; when the recogniser falls behind (a slow machine, a long
monologue) the oldest waiting stretch is dropped and counted in `dropped`, never the audio path slowed. `drain()`
waits for the queue (recordings, where nothing is live).
"""

from __future__ import annotations

import collections
import threading
from typing import Any, Sequence

import numpy as np

from proctorprep.perception.speech_content import QuestionText, SpeechContent, SpeechContentAnalyser
from proctorprep.perception.speech_stretch import SpeechStretch, StretchCollector

QUEUE_STRETCHES = 4


class SpeechListener:
    def __init__(self, questions: Sequence[QuestionText] = (), keep_snippets: bool = False,
                 collector: StretchCollector | None = None, analyser: SpeechContentAnalyser | None = None,
                 live: bool = True) -> None:
        self._questions = list(questions)
        self._keep = keep_snippets
        self._collector = collector or StretchCollector()
        self._analyser = analyser
        self._live = live
        self._on_screen: tuple[str, ...] | None = ()    # () = no question shown; None = match the whole bank
        self._queue: collections.deque[tuple[SpeechStretch, tuple[str, ...] | None]] = collections.deque()
        self._results: list[SpeechContent] = []
        self._cond = threading.Condition()
        self._busy = False
        self._closed = False
        self.dropped = 0
        self.analysed_s = 0.0
        self.cpu_s = 0.0
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="speech-content", daemon=True)
        self._thread.start()

    # ---------------------------------------------------------------- the audio side
    def set_on_screen(self, question_ids: Sequence[str] | None) -> None:
        """Which question(s) are shown from now on; None: any question of the bank (a recording, `--exam`)."""
        with self._cond:
            self._on_screen = None if question_ids is None else tuple(question_ids)

    def add(self, samples: np.ndarray, t_s: float, observations: Sequence[Any]) -> None:
        for stretch in self._collector.add(samples, t_s, observations):
            self._submit(stretch)

    def end_of_stream(self) -> None:
        for stretch in self._collector.flush():
            self._submit(stretch)

    def _submit(self, stretch: SpeechStretch) -> None:
        with self._cond:
            if self._closed:
                return
            # the question shown when the stretch began is the one it may read
            self._queue.append((stretch, self._on_screen))
            if self._live and len(self._queue) > QUEUE_STRETCHES:
                self._queue.popleft()
                self.dropped += 1
            self._cond.notify_all()

    def poll(self) -> list[SpeechContent]:
        with self._cond:
            out, self._results = self._results, []
        return out

    def drain(self, timeout_s: float | None = None) -> list[SpeechContent]:
        """Wait until every stretch handed over is analysed; then what `poll` would return."""
        with self._cond:
            self._cond.wait_for(lambda: (not self._queue and not self._busy) or self._closed, timeout_s)
        return self.poll()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify_all()
        self._thread.join(timeout=10)

    # ---------------------------------------------------------------- the worker
    def _run(self) -> None:
        try:
            if self._analyser is None:
                self._analyser = SpeechContentAnalyser(self._questions, keep_transcript=self._keep)
        except Exception as exc:       # a broken install: say so once, hear nothing (talking still works)
            with self._cond:
                self.error = f"speech content analyser unavailable: {exc}"
                self._closed = True
                self._cond.notify_all()
            return
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._closed)
                if self._closed:
                    return
                stretch, on_screen = self._queue.popleft()
                self._busy = True
            content, error = None, None
            try:
                content = self._analyser.analyse(stretch.samples, stretch.start_s, on_screen)
            except Exception as exc:      # one bad stretch must not stop the listener for the rest of the exam
                error = f"speech content analysis failed at {stretch.start_s:.1f} s: {exc}"
            with self._cond:
                if content is not None:
                    self._results.append(content)
                    self.analysed_s += stretch.end_s - stretch.start_s
                    self.cpu_s += content.cpu_s
                self.error = error or self.error
                self._busy = False
                self._cond.notify_all()
