"""Voice activity on labelled clips: speech (real human voices and espeak-ng) in room noise is heard; keyboard, mouse,
fans, noise and music are not. The rates are measured frame by frame against the clean speech's voiced frames."""

from __future__ import annotations

import numpy as np
import pytest

from proctorprep.perception.voice import AudioAnalyser
from proctorprep.sources.base import AudioBlock
from tests.fixtures import audio_clips as ac

HUMAN = [s for s in ac.speech_sources() if s.startswith("alsa:")]
SYNTHETIC = [s for s in ac.speech_sources() if s.startswith("espeak:")]


def speech_probs(samples: np.ndarray) -> np.ndarray:
    obs = AudioAnalyser().feed(AudioBlock(0.0, samples))
    return np.array([o.speech_prob for o in obs])


@pytest.fixture(scope="module")
def rates() -> dict[tuple[str, int], float]:
    out = {}
    for name, sources in (("human", HUMAN), ("synthetic", SYNTHETIC)):
        for snr in (20, 10, 5):
            clip = ac.speech_in_noise(snr, sources)
            out[name, snr] = ac.detection_rate(speech_probs(clip.samples), clip.voiced)
    print("\nvoiced frames detected:", {f"{k[0]}@{k[1]}dB": round(v, 3) for k, v in out.items()})
    return out


@pytest.mark.parametrize("voices", ["human", "synthetic"])
def test_at_least_80_percent_of_voiced_frames_are_heard_at_10_db_snr(rates, voices):
    assert rates[voices, 10] >= 0.80


@pytest.mark.parametrize("voices", ["human", "synthetic"])
def test_detection_degrades_gracefully_with_noise(rates, voices):
    assert rates[voices, 20] >= 0.80
    assert rates[voices, 5] >= 0.70          # 5 dB: the voice barely above the hiss
    assert rates[voices, 20] >= rates[voices, 5] - 0.02


@pytest.mark.parametrize("kind", ac.NEGATIVES)
def test_sounds_that_are_not_speech_are_not_called_speech(kind):
    clip = ac.negative(kind, seconds=8.0)
    probs = speech_probs(clip.samples)
    assert len(probs) == clip.frames
    assert np.mean(probs >= 0.5) < 0.05, f"{kind}: {np.mean(probs >= 0.5):.1%} of frames called speech"


@pytest.mark.parametrize("kind", ["white_noise", "pink_noise"])
def test_loud_noise_is_not_speech_either(kind):
    loud = ac.set_rms(ac.negative(kind, seconds=4.0, seed=2).samples, -20.0)     # WebRTC VAD calls this 100 % speech
    assert np.mean(speech_probs(loud) >= 0.5) < 0.05


def test_a_loud_keyboard_right_next_to_the_mic_is_still_not_speech():
    clip = ac.negative("keyboard_typing", seconds=6.0, seed=9)
    loud = ac.set_rms(clip.samples, -24.0)       # peaks near 0 dBFS
    assert np.mean(speech_probs(loud) >= 0.5) < 0.05


def test_speech_over_typing_is_heard_and_the_typing_pauses_are_not():
    speech = ac.speech_track(["alsa:Front_Center", "espeak:0", "alsa:Rear_Right"])
    typing = ac.keyboard_typing(len(speech.samples) / ac.RATE, seed=4)[: len(speech.samples)]
    mixed = speech.samples + np.resize(typing, len(speech.samples)) * 10 ** (6 / 20)     # typing 6 dB louder
    probs = speech_probs(mixed)
    assert ac.detection_rate(probs, speech.voiced) >= 0.8
    # far from any speech (more than 0.5 s away) the typing alone must not count
    far = ~np.convolve(speech.voiced, np.ones(31), "same").astype(bool)
    assert ac.detection_rate(probs, far) < 0.05


def test_a_timeline_of_speech_and_desk_noises_is_labelled_frame_by_frame():
    parts = [("pause", 1.0), "alsa:Front_Left", ("keyboard_typing", 3.0), "espeak:1", ("mouse_clicks", 2.0),
             ("music", 3.0), "alsa:Rear_Right"]
    clip = ac.timeline(parts, room_snr_db=15)
    assert clip.label == "speech" and len(clip.voiced) == clip.frames
    assert [n for n, _, _ in clip.spans][:3] == ["silence", "alsa:Front_Left", "keyboard_typing"]
    assert clip.spans[2][1] == clip.spans[1][2] and clip.spans[-1][2] == pytest.approx(clip.frames * 0.032)
    probs = speech_probs(clip.samples)
    assert ac.detection_rate(probs, clip.voiced) >= 0.8
    far = ~np.convolve(clip.voiced, np.ones(31), "same").astype(bool)      # > 0.5 s from any speech
    assert far.sum() > 150 and ac.detection_rate(probs, far) < 0.05
