"""talking: the candidate's speech heard. A 32 ms chunk is voiced when the trained voice detector is sure enough AND
the chunk is louder than the room's calibrated noise floor; pauses between words are bridged; a cough or a key
press is far shorter than the dwell and never becomes an incident. Speech heard while the candidate's lips are seen
still and closed all along is someone else's voice (other_voice, rules/detectors/lips.py says how), not talking."""

from __future__ import annotations

from typing import Any

from proctorprep.perception.observations import AudioObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors.base import confidence
from proctorprep.rules.detectors.lips import LipTrack, VoiceRule
from proctorprep.rules.incidents import TALKING, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds


def is_voiced(obs: AudioObservation, cal: Calibration, thr: Thresholds, prob: float | None = None) -> bool:
    p = thr.speech_prob if prob is None else prob
    return obs.speech_prob >= p and obs.rms_dbfs >= cal.noise_floor_dbfs + thr.speech_margin_db


class TalkingDetector(VoiceRule):
    type = TALKING

    def __init__(self, cal: Calibration, thr: Thresholds) -> None:
        super().__init__(thr.talk_dwell_s, thr.talk_off_s, bridge_s=thr.talk_bridge_s, max_gap_s=thr.max_gap_s)
        self.cal, self.thr = cal, thr
        self.lips = LipTrack(cal, thr)

    def judge(self, obs: AudioObservation, still: bool | None) -> list[IncidentUpdate]:
        # lips seen still and closed all along: the voice is not the candidate's (other_voice)
        voiced = is_voiced(obs, self.cal, self.thr) and still is not True
        # the end of a voiced chunk is its start + its length; silence is judged at the chunk start
        t = obs.t_s + obs.duration_s if voiced else obs.t_s
        updates, in_run = self.step(t, voiced, since=obs.t_s)
        if in_run:
            a = self.acc
            a["n"] = a.get("n", 0) + 1
            a["p_sum"] = a.get("p_sum", 0.0) + obs.speech_prob
            a["p_max"] = max(a.get("p_max", 0.0), obs.speech_prob)
            a["db_max"] = max(a.get("db_max", -200.0), obs.rms_dbfs)
            a["voiced_s"] = a.get("voiced_s", 0.0) + obs.duration_s
        return updates

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        a = self.acc
        mean_p = a.get("p_sum", 0.0) / max(1, a.get("n", 0))
        above = a.get("db_max", self.cal.noise_floor_dbfs) - self.cal.noise_floor_dbfs
        dur = end_s - start_s
        evidence = {"speech_prob_mean": round(mean_p, 3), "speech_prob_max": round(a.get("p_max", 0.0), 3),
                    "voiced_s": round(a.get("voiced_s", 0.0), 2), "peak_dbfs": round(a.get("db_max", -120.0), 1),
                    "above_noise_db": round(above, 1)}
        text = (f"Speech heard for {dur:.1f} s (voice detector {mean_p * 100:.0f}% sure, "
                f"{above:.0f} dB above the room's noise)")
        return None, confidence((mean_p - self.thr.speech_prob) * 2 + 0.3 * dur / self.thr.talk_dwell_s), evidence, text
