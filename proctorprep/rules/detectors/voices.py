"""other_voice: speech heard while the candidate's lips are seen still and closed — someone else in the room, a TV,
a phone on speaker. It is the third of three: talking is sound with lips moving (or lips that cannot be seen),
mouthing is lips moving without sound, other_voice is sound without lips. It needs both the picture and the sound
and is judged only where both are trustworthy: a chunk whose window holds a frame without a trustworthy, facing
face is "cannot tell" (rules/detectors/lips.py), and a session without audio never feeds it."""

from __future__ import annotations

from typing import Any

from proctorprep.perception.observations import AudioObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors.base import confidence
from proctorprep.rules.detectors.lips import LipTrack, VoiceRule
from proctorprep.rules.detectors.talking import is_voiced
from proctorprep.rules.incidents import OTHER_VOICE, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds


class OtherVoiceDetector(VoiceRule):
    type = OTHER_VOICE

    def __init__(self, cal: Calibration, thr: Thresholds) -> None:
        super().__init__(thr.other_voice_dwell_s, thr.other_voice_off_s, bridge_s=thr.talk_bridge_s,
                         max_gap_s=max(thr.max_gap_s, 2 * thr.audio_lag_s + 0.5))
        self.cal, self.thr = cal, thr
        self.lips = LipTrack(cal, thr)

    def judge(self, obs: AudioObservation, still: bool | None) -> list[IncidentUpdate]:
        if not is_voiced(obs, self.cal, self.thr):
            cond: bool | None = False
        else:
            cond = still              # None: cannot see whose voice it is, not judged
        t = obs.t_s + obs.duration_s if cond else obs.t_s
        updates, in_run = self.step(t, cond, since=obs.t_s)
        if in_run:
            a = self.acc
            a["n"] = a.get("n", 0) + 1
            a["p_sum"] = a.get("p_sum", 0.0) + obs.speech_prob
            a["voiced_s"] = a.get("voiced_s", 0.0) + obs.duration_s
            a["db_max"] = max(a.get("db_max", -200.0), obs.rms_dbfs)
        return updates

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        a = self.acc
        mean_p = a.get("p_sum", 0.0) / max(1, a.get("n", 0))
        dur = end_s - start_s
        evidence = {"speech_prob_mean": round(mean_p, 3), "voiced_s": round(a.get("voiced_s", 0.0), 2),
                    "peak_dbfs": round(a.get("db_max", -120.0), 1),
                    "lips_still_within": round(self.lips.still_gap, 3)}
        text = (f"A voice was heard for {dur:.1f} s while your lips stayed still and closed: someone else, a TV "
                "or a speaker")
        return None, confidence(0.3 + 0.4 * dur / self.thr.other_voice_dwell_s + (mean_p - 0.5)), evidence, text
