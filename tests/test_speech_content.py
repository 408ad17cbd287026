"""What was said: the reading-aloud match, wake words, speech stretches, the detectors, and the pipeline end to end.

The voices here are the evaluation voices' siblings only by kind; the thresholds were tuned on other voices and
another bank (bench/bench_speech.py --tune), so these tests check behaviour, not the tuning."""

from __future__ import annotations

import json

import numpy as np
import pytest

from proctorprep.exam.catalog import load_bundled
from proctorprep.perception import speech_content as sc
from proctorprep.perception.observations import AudioObservation
from proctorprep.perception.speech_stretch import StretchCollector
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors.speech_content import ReadingAloudDetector, VoiceAssistantDetector
from proctorprep.rules.engine import RuleEngine
from proctorprep.rules.incidents import READING_ALOUD, VOICE_ASSISTANT
from tests.fixtures import speech_render as sr

Q = sc.QuestionText("q7", ("Which storage service keeps objects in buckets that are replicated across regions?",
                           "Object storage", "Block storage", "A managed file share"))
OTHER = sc.QuestionText("q8", ("Which database service scales automatically and bills you per request?",
                               "A serverless database", "A virtual machine with a database"))


# ------------------------------------------------------------------------------------------------ matching
def test_a_question_read_in_order_is_matched_with_its_share():
    m = sc.match_reading(sc.words_of("which storage service keeps objects in buckets"), Q)
    assert m is not None and m.question_id == "q7"
    assert m.matched_words == ("storage", "service", "keeps", "objects", "buckets")
    assert m.run_words == 7
    assert m.share == pytest.approx(5 / len(Q.content_words))


def test_a_misheard_word_inside_the_run_is_stepped_over():
    m = sc.match_reading(sc.words_of("which storage service keep objects in buckets"), Q)
    assert m is not None and "buckets" in m.matched_words and "storage" in m.matched_words


def test_scattered_question_words_are_not_reading():
    # what a question grammar makes of unrelated speech: its own words, out of order, mostly function words
    assert sc.match_reading(sc.words_of("the of objects the of which the in across of the regions"), Q) is None
    assert sc.match_reading(sc.words_of("which of the"), Q) is None           # stock phrasing only
    assert sc.match_reading([], Q) is None


def test_the_best_match_names_the_question_that_was_read():
    hyp = sc.words_of("which database service scales automatically and bills you")
    assert sc.match_reading(hyp, Q) is None
    assert sc.best_match(hyp, [Q, OTHER]).question_id == "q8"


def test_question_text_takes_prompt_options_statements_and_targets():
    bank = load_bundled("cloud-fundamentals")
    q = next(q for q in bank.questions if q.type == "matching")
    t = sc.question_text(q)
    assert t.phrases[0] == q.prompt
    assert {o.text for o in q.targets} <= set(t.phrases) and {o.text for o in q.options} <= set(t.phrases)


def test_the_bundled_wake_word_file_parses_and_bad_lines_are_named():
    phrases = sc.parse_kws(sc.wake_file().read_text(encoding="utf-8"))
    assert {p.assistant for p in phrases} == {"siri", "google", "alexa", "cortana"}
    with pytest.raises(ValueError, match="line 2"):
        sc.parse_kws("hey siri /1e-10/\nhey jarvis /1e-5/\n")


# ------------------------------------------------------------------------------------------------ stretches
def _obs(t: float, p: float) -> AudioObservation:
    return AudioObservation(t, 512 / 16000, -30.0, -20.0, -60.0, p)


def _feed(col: StretchCollector, probs: list[float], t0: float = 0.0) -> list:
    out = []
    for i, p in enumerate(probs):
        t = t0 + i * 512 / 16000
        samples = np.full(512, (i + 1) / 10000, np.float32)     # sample value says which chunk it came from
        out += col.add(samples, t, [_obs(t, p)])
    return out


def test_a_stretch_covers_the_speech_with_a_little_before_and_after():
    col = StretchCollector(pre_s=0.128, hang_s=0.32, min_s=0.2)
    probs = [0.0] * 20 + [0.9] * 30 + [0.0] * 20 + [0.9] * 2 + [0.0] * 20     # then a cough: too short
    stretches = _feed(col, probs) + col.flush()
    assert len(stretches) == 1
    s = stretches[0]
    assert s.start_s == pytest.approx(20 * 0.032 - 0.128, abs=1e-3)
    assert s.end_s == pytest.approx(50 * 0.032 + 0.128, abs=1e-3)
    assert s.voiced_s == pytest.approx(30 * 0.032)
    assert s.samples[0] == pytest.approx(17 / 10000)      # 0.512 s is where chunk 16 (value 17) starts
    assert len(s.samples) == round((s.end_s - s.start_s) * 16000)


def test_a_long_monologue_is_cut_into_pieces_and_a_pause_bridged():
    col = StretchCollector(max_s=2.0, hang_s=0.6, min_s=0.2)
    probs = ([0.9] * 20 + [0.1] * 10) * 5          # pauses of 0.32 s: bridged, so only max_s cuts
    stretches = _feed(col, probs) + col.flush()
    assert len(stretches) >= 2
    assert all(s.end_s - s.start_s <= 2.0 + 0.05 for s in stretches)


def test_a_gap_in_the_stream_ends_the_stretch_where_the_sound_stopped():
    col = StretchCollector(min_s=0.2)
    first = _feed(col, [0.9] * 20)
    later = _feed(col, [0.0] * 5, t0=10.0)
    assert not first and len(later) == 1 and later[0].end_s <= 20 * 0.032 + 1e-6


# ------------------------------------------------------------------------------------------------ detectors
def _content(start: float, end: float, reading=None, wake=(), transcript=None) -> sc.SpeechContent:
    return sc.SpeechContent(start, end, "q7", reading, tuple(wake), 0.01, transcript)


def test_reading_the_same_question_in_two_breaths_is_one_incident_without_words_by_default():
    det = ReadingAloudDetector()
    m1 = sc.ReadingMatch("q7", ("storage", "service", "keeps"), 5, 0.2)
    m2 = sc.ReadingMatch("q7", ("objects", "buckets", "replicated", "regions"), 7, 0.3)
    opened = det.feed_speech(_content(10.0, 13.0, m1))
    assert [u.kind for u in opened] == ["opened"]
    assert det.feed_speech(_content(14.0, 17.5, m2)) == []
    closed = det.finish(30.0)
    inc = closed[0].incident
    assert inc.type == READING_ALOUD and (inc.start_s, inc.end_s) == (10.0, 17.5)
    r = inc.evidence
    assert r == {"question_id": "q7", "matched_words": 4, "run_words": 7, "share": 0.3, "stretches": 2}
    assert "storage" not in json.dumps(inc.to_dict())          # privacy: no words heard are kept
    assert "question q7" in inc.explanation and "30%" in inc.explanation


def test_with_snippets_kept_the_words_are_in_the_evidence_and_explanation():
    det = ReadingAloudDetector()
    det.feed_speech(_content(1.0, 3.0, sc.ReadingMatch("q7", ("storage", "service"), 4, 0.1),
                             transcript="which storage service keeps"))
    inc = det.finish(5.0)[0].incident
    assert inc.evidence["snippets"] == ["which storage service keeps"]
    assert "which storage service keeps" in inc.explanation


def test_another_question_read_later_is_a_new_incident():
    det = ReadingAloudDetector()
    det.feed_speech(_content(1.0, 3.0, sc.ReadingMatch("q7", ("a", "b"), 4, 0.1)))
    ups = det.feed_speech(_content(3.5, 6.0, sc.ReadingMatch("q8", ("c", "d"), 4, 0.1)))
    assert [u.kind for u in ups] == ["closed", "opened"]
    assert ups[0].incident.evidence["question_id"] == "q7"


def test_a_wake_word_is_a_note_through_the_engine_with_the_phrase_heard():
    engine = RuleEngine(Calibration(), "strict")
    ups = engine.feed_speech(_content(20.0, 22.0, wake=[sc.WakeWord("ok google", "google", 20.4)]))
    assert [u.kind for u in ups] == ["opened", "closed"]
    inc = ups[-1].incident
    # experimental (too many mishearings to warn): a note in the report, not a proctor warning
    assert inc.type == VOICE_ASSISTANT and inc.severity == "info" and inc.advice and "experimental" in inc.explanation
    assert inc.evidence == {"assistant": "google", "phrase": "ok google"}
    assert "Ok Google" in inc.explanation and "Google Assistant" in inc.explanation
    assert VoiceAssistantDetector().finish(1.0) == []


# ------------------------------------------------------------------------------------------------ recogniser
@pytest.fixture(scope="module")
def bank():
    return load_bundled("cloud-fundamentals")


@pytest.fixture(scope="module")
def analyser(bank):
    return sc.SpeechContentAnalyser(sc.bank_texts(bank))


@pytest.mark.slow
def test_a_question_read_aloud_in_room_noise_is_heard_and_everyday_talk_is_not(bank, analyser):
    q = bank.questions[3]
    read = sr.in_room(sr.say("flite:slt", sr.read_aloud_text(q)), 20)
    got = analyser.analyse(read, 5.0, [q.id])
    assert got.reading is not None and got.reading.question_id == q.id and got.question_id == q.id
    assert got.transcript is None and got.start_s == 5.0
    chat = sr.in_room(sr.say("flite:slt", sr.UNRELATED[0]), 20)
    assert analyser.analyse(chat, 9.0, [q.id]).reading is None
    assert analyser.analyse(read, 0.0, []).reading is None           # nothing on screen: nothing to read


@pytest.mark.slow
def test_hey_siri_is_heard_in_room_noise(analyser):
    x = sr.in_room(sr.say("flite:rms", "Hey Siri, what is the answer to this one"), 20)
    got = analyser.analyse(x, 2.0, [])
    assert [w.assistant for w in got.wake_words] == ["siri"]
    assert 2.0 <= got.wake_words[0].t_s < 3.0
