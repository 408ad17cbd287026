"""A short labelled session clip for the UI tests and the screenshot tour: the rendered face (tests.fixtures) at
15 fps — 5 s looking at the screen (calibration), then looking away (7-11.5 s), leaving the view (13-16 s) and
talking (sentences read aloud, 16.5-21 s, the lips moving with them)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

FPS = 15
# (start_s, end_s, what)
TIMELINE = [(0, 7, "screen"), (7, 11.5, "away"), (11.5, 13, "screen"), (13, 16, "empty"), (16, 22, "screen")]
SPEECH = (16.5, 21.0)
END_S = 22.0


def make_clip(folder: Path) -> tuple[Path, Path]:
    from tests.fixtures.audio_clips import RATE, speech_track, write_wav
    from tests.fixtures.face_render import render_empty, render_face, write_clip

    folder.mkdir(parents=True, exist_ok=True)
    video, audio = folder / "session.avi", folder / "session.wav"
    if not video.exists():
        looks = {"screen": [render_face(yaw=y, pitch=p) for y, p in ((0, 0), (1.5, 0.5), (-1.5, -0.5))],
                 "away": [render_face(yaw=42.0), render_face(yaw=43.5)], "empty": [render_empty()],
                 # the candidate's own voice: the lips open and close with it (still lips would be another voice)
                 "talk": [render_face(mouth=m) for m in (0.0, 0.14, 0.22, 0.08, 0.18, 0.02)]}
        frames = []
        for i in range(int(END_S * FPS)):
            t = i / FPS
            what = next(w for a, b, w in TIMELINE if a <= t < b)
            if what == "screen" and SPEECH[0] <= t < SPEECH[1]:
                frames.append(looks["talk"][(i // 2) % len(looks["talk"])])    # a syllable every ~0.13 s
                continue
            choices = looks[what]
            frames.append(choices[(i // 5) % len(choices)])
        write_clip(video, frames, fps=FPS)
    if not audio.exists():
        rng = np.random.default_rng(1)
        samples = (rng.standard_normal(int(END_S * RATE)) * 10 ** (-62 / 20)).astype(np.float32)
        # Whole spoken sentences (synthetic voices): talking, not a word or two, as a proctor would flag it.
        speech = speech_track(["espeak:0", "espeak:1"]).samples
        a, b = int(SPEECH[0] * RATE), int(SPEECH[1] * RATE)
        n = min(b - a, len(speech))
        samples[a:a + n] += speech[:n]
        write_wav(audio, samples)
    return video, audio
