"""reading_aloud and voice_assistant: what the speech said, from `perception.speech_content.SpeechContent`.

They are fed what the speech-content worker decided about each stretch of speech (`feed_speech`), not chunk by
chunk: the decision arrives a moment after the stretch ends. A talking incident for the same sound is raised by the
talking detector as before; these say what it was.

- reading_aloud: a stretch matched the question on screen. Stretches that read the same question with less than
  `MERGE_GAP_S` between them are one incident (a candidate reads a long question in several breaths).
- voice_assistant: a wake word was heard; one incident per call, at once.

Privacy: the evidence holds the question id, how many of its words were heard in order and the share of the
question; the words themselves and the transcript snippet only when the candidate chose to keep snippets (the
worker then passes `SpeechContent.transcript`).
"""

from __future__ import annotations

from typing import Any

from proctorprep.rules.incidents import READING_ALOUD, VOICE_ASSISTANT, Incident, IncidentUpdate

MERGE_GAP_S = 4.0
ASSISTANT_NAMES = {"siri": "Siri", "google": "Google Assistant", "alexa": "Alexa", "cortana": "Cortana"}


def _confidence(share: float, run_words: int) -> float:
    return round(min(0.99, 0.6 + 0.5 * share + 0.02 * run_words), 3)


class ReadingAloudDetector:
    type = READING_ALOUD

    def __init__(self) -> None:
        self._open: dict[str, Any] | None = None

    def feed_speech(self, content: Any) -> list[IncidentUpdate]:
        m = content.reading
        if m is None:
            return []
        out: list[IncidentUpdate] = []
        o = self._open
        if o is not None and o["question_id"] == m.question_id and content.start_s - o["end_s"] <= MERGE_GAP_S:
            o["end_s"] = max(o["end_s"], content.end_s)
            o["share"] = max(o["share"], m.share)
            o["run_words"] = max(o["run_words"], m.run_words)
            o["matched"] = max(o["matched"], len(m.matched_words))
            o["stretches"] += 1
            if content.transcript:
                o["snippets"].append(content.transcript)
                o["words"] = sorted(set(o["words"]) | set(m.matched_words))
            return out
        if o is not None:
            out.append(IncidentUpdate("closed", self._incident()))
        self._open = {"question_id": m.question_id, "start_s": content.start_s, "end_s": content.end_s,
                      "share": m.share, "run_words": m.run_words, "matched": len(m.matched_words), "stretches": 1,
                      "snippets": [content.transcript] if content.transcript else [],
                      "words": list(m.matched_words) if content.transcript else []}
        out.append(IncidentUpdate("opened", self._incident()))
        return out

    def _incident(self) -> Incident:
        o = self._open
        assert o is not None
        reading = {"question_id": o["question_id"], "matched_words": o["matched"], "run_words": o["run_words"],
                   "share": round(o["share"], 3), "stretches": o["stretches"]}
        text = (f"You read question {o['question_id']} aloud: {o['matched']} of its words in its order, "
                f"{o['share'] * 100:.0f}% of the question")
        if o["snippets"]:
            reading["words"] = o["words"]
            reading["snippets"] = o["snippets"]
            text += f": \u201c{' … '.join(o['snippets'])[:160]}\u201d"
        return Incident(READING_ALOUD, o["start_s"], o["end_s"], confidence=_confidence(o["share"], o["run_words"]),
                        evidence=reading, explanation=text)

    def finish(self, t: float) -> list[IncidentUpdate]:
        if self._open is None:
            return []
        inc = self._incident()
        self._open = None
        return [IncidentUpdate("closed", inc)]


REPEAT_S = 5.0     # the same assistant heard again this soon is the same call (a stretch cut in two, an echo)


class VoiceAssistantDetector:
    type = VOICE_ASSISTANT

    def __init__(self) -> None:
        self._last: dict[str, float] = {}

    def feed_speech(self, content: Any) -> list[IncidentUpdate]:
        out = []
        for w in content.wake_words:
            if w.t_s - self._last.get(w.assistant, -1e9) < REPEAT_S:
                continue
            self._last[w.assistant] = w.t_s
            name = ASSISTANT_NAMES.get(w.assistant, w.assistant)
            inc = Incident(VOICE_ASSISTANT, w.t_s, max(w.t_s, content.end_s), confidence=0.8,
                           evidence={"assistant": w.assistant, "phrase": w.phrase},
                           explanation=f"\u201c{w.phrase.title()}\u201d heard: a call to {name} "
                                       "(experimental: may be a mishearing)")
            out += [IncidentUpdate("opened", inc), IncidentUpdate("closed", inc)]
        return out

    def finish(self, t: float) -> list[IncidentUpdate]:
        return []
