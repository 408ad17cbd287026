"""What was said, offline: did the candidate read the question on screen aloud, or call a voice assistant?

Runs on one stretch of speech at a time (the stretches Silero already calls speech, see `speech_stretch.py`), so
silence costs nothing. The recogniser is PocketSphinx 5.1.1, whose wheel carries its US-English acoustic model and
pronouncing dictionary; nothing is downloaded. Two passes over each stretch, both measured against the alternatives
in docs/readme/audio.md:

- Reading aloud: a finite-state grammar built in memory from the bank's questions (a word bigram graph: any question
  word may start, a word seen before another in a question leads to it with most of the weight, else back to the
  start). It costs ~0.05 s of CPU per second of speech and recovers the words of a question read aloud even from
  robotic espeak voices that the default language model turns into nonsense. Because a grammar can only answer with
  its own words, unrelated speech also comes out as question words; what tells them apart is ORDER: reading yields
  long runs in the question's own word order, while unrelated speech yields scattered function words
  ("the of of which the"). `match_reading` asks for a run of consecutive question words with several content words.
- Voice assistants: PocketSphinx's key-phrase search with a threshold per phrase (data/wake_words.kws), tuned on
  voices that are not the ones evaluated.

Pure: no Qt, no threads, no files written. One analyser per worker thread (the decoder is not thread-safe).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

RATE = 16000

# Words that say nothing about WHICH question was read: function words and the stock phrasing every exam question
# shares ("which of the following ... select two"). A run counts only its other (content) words.
STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as into onto over under than then that this these those
there here is are was were be been being am do does did done has have had having will would shall should can could
may might must it its it's they them their you your yours we our us i me my he him his she her what which who whom
whose when where why how not no yes all any each both some such so too very also only just more most other another
one two three four following select choose true false statement statements answer answers option options question
following best correct apply applies
""".split())

# Wake words the dictionary does not spell; ARPAbet as CMUdict would write them.
EXTRA_PRONUNCIATIONS = {"cortana": "K AO R T AE N AH"}

# Which assistant a key phrase calls (the "phrase class" kept in the journal).
WAKE_CLASSES = {"hey siri": "siri", "siri": "siri", "ok google": "google", "okay google": "google",
                "hey google": "google", "alexa": "alexa", "hey cortana": "cortana", "cortana": "cortana"}

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_BACKOFF = 0.25        # share of the weight from a word back to the start rather than to a word that followed it
_MAX_GRAMMAR_WORDS = 4000


def words_of(text: str) -> list[str]:
    """Lower-case word tokens of a question text or a transcript ("IaaS" -> "iaas", "it's" kept whole)."""
    return _WORD.findall(text.lower())


# ----------------------------------------------------------------------------------------------- questions
@dataclass(frozen=True, slots=True)
class QuestionText:
    """The words of one question as they appear on screen: the prompt, then options, statements and targets."""

    question_id: str
    phrases: tuple[str, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for p in self.phrases for w in words_of(p))

    @property
    def content_words(self) -> frozenset[str]:
        return frozenset(w for w in self.words if w not in STOPWORDS)


def question_text(question: Any) -> QuestionText:
    """From an `exam.bank.Question` (or anything with the same fields)."""
    phrases = [question.prompt]
    for group in ("targets", "statements", "options"):
        phrases += [o.text for o in getattr(question, group, ()) or ()]
    return QuestionText(str(question.id), tuple(p for p in phrases if p and p.strip()))


def bank_texts(bank: Any) -> list[QuestionText]:
    return [question_text(q) for q in bank.questions]


# ----------------------------------------------------------------------------------------------- matching
@dataclass(frozen=True, slots=True)
class ReadingMatch:
    question_id: str
    matched_words: tuple[str, ...]   # the longest run heard in the question's own order (content words only)
    run_words: int                   # how many words that run has in all (function words included)
    share: float                     # distinct content words heard in order / content words of the question


@dataclass(frozen=True, slots=True)
class MatchRule:
    """A stretch was a question read aloud when it has a run of >= min_run consecutive words of that question, in
    its order, holding >= min_content content words. Tuned on the proctoring-etiquette bank and voices that are
    not evaluated (bench/bench_speech.py --tune)."""

    # tuned (24 readings by espeak en-us and flite kal16 at 20 and 10 dB, 2.5 min of unrelated speech): 6/2/1 found
    # 0.96 of the readings with no false match on another question's text or on unrelated speech; 4/2/1 found them
    # all but matched a neighbouring question 8% of the time and unrelated speech 3 times per 10 minutes
    min_run: int = 6
    min_content: int = 2
    skip: int = 1           # a run may step over this many misheard words on either side


def _runs(hyp: Sequence[str], ref: Sequence[str], skip: int) -> list[tuple[int, int, int, int]]:
    """Maximal in-order alignments of hyp against ref: (hyp_start, hyp_end, ref_start, ref_end), ends exclusive.

    Dynamic programming over (i, j) pairs where hyp[i] == ref[j]: a pair extends the run ending at (i', j') when
    0 < i - i' <= skip + 1 and 0 < j - j' <= skip + 1, i.e. at most `skip` words inserted or missed between."""
    pos: dict[str, list[int]] = {}
    for j, w in enumerate(ref):
        pos.setdefault(w, []).append(j)
    best: dict[tuple[int, int], tuple[int, int, int]] = {}   # (i, j) -> (length, start_i, start_j)
    for i, w in enumerate(hyp):
        for j in pos.get(w, ()):
            length, si, sj = 1, i, j
            for di in range(1, skip + 2):
                for dj in range(1, skip + 2):
                    prev = best.get((i - di, j - dj))
                    if prev is not None and prev[0] + 1 > length:
                        length, si, sj = prev[0] + 1, prev[1], prev[2]
            best[(i, j)] = (length, si, sj)
    return [(si, i + 1, sj, j + 1) for (i, j), (length, si, sj) in best.items()]


def match_reading(hyp_words: Sequence[str], question: QuestionText, rule: MatchRule = MatchRule()
                  ) -> ReadingMatch | None:
    """The reading-aloud match of a transcript against one question, or None when it is not one."""
    ref = question.words
    if not hyp_words or not ref:
        return None
    best: tuple[int, int, tuple[str, ...]] | None = None
    heard: set[str] = set()
    for hs, he, rs, re_ in _runs(hyp_words, ref, rule.skip):
        run = [w for w in hyp_words[hs:he] if w in ref[rs:re_]]
        content = tuple(w for w in run if w not in STOPWORDS)
        if len(run) >= rule.min_run and len(content) >= rule.min_content:
            heard.update(content)
            key = (len(content), len(run), content)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        return None
    total = len(question.content_words) or 1
    return ReadingMatch(question.question_id, best[2], best[1], min(1.0, len(heard) / total))


def best_match(hyp_words: Sequence[str], questions: Iterable[QuestionText], rule: MatchRule = MatchRule()
               ) -> ReadingMatch | None:
    """The question the transcript reads best (longest content run, then longest run, then largest share)."""
    found = [m for q in questions if (m := match_reading(hyp_words, q, rule)) is not None]
    if not found:
        return None
    return max(found, key=lambda m: (len(m.matched_words), m.run_words, m.share))


# ----------------------------------------------------------------------------------------------- wake words
# The key-phrase search runs with every phrase at PocketSphinx's floor threshold (data/wake_words.kws) and a phrase
# counts only when the detection's score (the segment's posterior, 0..1) reaches its minimum here: one decode gives
# every candidate, so the minimums can be tuned from one pass (bench/bench_speech.py --tune, on the tuning voices and
# bank: the highest score any unrelated or question-reading clip gave the phrase, plus 0.005).
WAKE_MIN_SCORE = {"hey siri": 0.816, "siri": 0.851, "hey google": 0.824, "alexa": 0.827,
                  # never proposed on the unrelated tuning speech at all: held at the low end of the scores seen
                  "ok google": 0.78, "hey cortana": 0.78}


@dataclass(frozen=True, slots=True)
class WakePhrase:
    phrase: str          # "hey siri"
    threshold: float     # PocketSphinx kws threshold (smaller: more candidates)

    @property
    def assistant(self) -> str:
        return WAKE_CLASSES[self.phrase]


def parse_kws(text: str) -> list[WakePhrase]:
    """Lines "phrase /1e-40/" (PocketSphinx's key-phrase file); '#' starts a comment."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([a-z ]+?)\s*/([0-9.e+-]+)/", line)
        if m is None or m.group(1) not in WAKE_CLASSES:
            raise ValueError(f"wake_words.kws line {n}: expected '<known phrase> /<threshold>/', got {line!r}")
        out.append(WakePhrase(m.group(1), float(m.group(2))))
    return out


def wake_file() -> Any:
    return resources.files("proctorprep.perception") / "data" / "wake_words.kws"


@dataclass(frozen=True, slots=True)
class WakeWord:
    phrase: str          # the key phrase heard ("hey siri")
    assistant: str       # its class ("siri")
    t_s: float           # when, on the session clock


# ----------------------------------------------------------------------------------------------- the analyser
@dataclass(frozen=True, slots=True)
class SpeechContent:
    """What one stretch of speech said, reduced to what the rules need. `transcript` is None unless the candidate
    chose to keep snippets (privacy: by default no words leave the worker)."""

    start_s: float
    end_s: float
    question_id: str | None              # the question on screen while it was said (None: none was)
    reading: ReadingMatch | None
    wake_words: tuple[WakeWord, ...] = ()
    cpu_s: float = 0.0
    transcript: str | None = field(default=None, compare=False)


class SpeechContentAnalyser:
    """SpeechContentAnalyser(questions); analyse(samples, start_s, on_screen) -> SpeechContent.

    `questions` are all the questions a stretch may be matched against (the bank); the grammar is built from them
    once. `on_screen` limits the match to the question(s) shown (live); None matches against all (`analyze --exam`).
    """

    def __init__(self, questions: Sequence[QuestionText] = (), wake_path: Any = None, rule: MatchRule = MatchRule(),
                 keep_transcript: bool = False) -> None:
        from pocketsphinx import Decoder

        self.rule = rule
        self.keep_transcript = keep_transcript
        self.questions = {q.question_id: q for q in questions}
        # Two decoders, one search each: switching a decoder's search rebuilds it. bestpath off: the lattice
        # rescoring it asks for costs 15-20x the search itself on a bigram grammar (measured 1.1 vs 0.06 s of CPU
        # per second of speech) for the same words. loglevel FATAL: PocketSphinx otherwise writes its
        # configuration to stderr.
        self._dec = Decoder(samprate=RATE, loglevel="FATAL", bestpath=False)
        self._kws = Decoder(samprate=RATE, loglevel="FATAL")
        for dec in (self._dec, self._kws):
            for word, phones in EXTRA_PRONUNCIATIONS.items():
                if dec.lookup_word(word) is None:
                    dec.add_word(word, phones, True)
        # wake_path: a key-phrase file of one's own (the benchmark's tuning); default the bundled one
        source = wake_file() if wake_path is None else Path(wake_path)
        self.wake_phrases = parse_kws(source.read_text(encoding="utf-8"))
        self._has_wake = bool(self.wake_phrases)
        if self._has_wake:
            with resources.as_file(source) as path:
                self._kws.add_kws("wake", str(path))
            self._kws.activate_search("wake")
        self._searches: dict[tuple[str, ...], str] = {}     # question ids -> the name of their grammar's search
        self._active: str | None = None

    def _use_grammar(self, ids: tuple[str, ...]) -> bool:
        """Activate the grammar of these questions (built once, kept: the exam goes back and forth). A grammar of
        the one question on screen is ten times cheaper and hears it better than one of a whole bank (measured:
        0.05 vs 0.5 s of CPU per second of speech for 40 vs 370 words)."""
        ids = tuple(q for q in ids if q in self.questions)
        if not ids:
            return False
        name = self._searches.get(ids)
        if name is None:
            name = f"q{len(self._searches)}"
            self._dec.add_fsg(name, self._grammar(self.questions[q] for q in ids))
            self._searches[ids] = name
        if name != self._active:
            self._dec.activate_search(name)
            self._active = name
        return True

    def _grammar(self, questions: Iterable[QuestionText]) -> Any:
        """The word bigram graph of the questions as an in-memory FSG. State 0 is the start (and where a word
        backs off to), 1 the end, one state per distinct word after it."""
        counts: dict[str, int] = {}
        follows: dict[str, dict[str, int]] = {}
        for q in questions:
            for phrase in q.phrases:
                ws = [w for w in words_of(phrase) if self._dec.lookup_word(w) is not None]
                for w in ws:
                    counts[w] = counts.get(w, 0) + 1
                for a, b in zip(ws, ws[1:]):
                    nxt = follows.setdefault(a, {})
                    nxt[b] = nxt.get(b, 0) + 1
        if not counts:
            raise ValueError("no question word is in the recogniser's dictionary")
        if len(counts) > _MAX_GRAMMAR_WORDS:
            raise ValueError(f"{len(counts)} distinct words is too many for one grammar (max {_MAX_GRAMMAR_WORDS})")
        state = {w: i + 2 for i, w in enumerate(counts)}
        total = sum(counts.values())
        trans: list[tuple] = [(0, state[w], c / total, w) for w, c in counts.items()]
        for w, s in state.items():
            nxt = follows.get(w, {})
            n = sum(nxt.values())
            trans += [(s, state[b], (1 - _BACKOFF) * c / n, b) for b, c in nxt.items()]
            trans.append((s, 0, _BACKOFF if nxt else 1.0))
        # The end is reached only through the start state: one null arc, not one per word (an arc from every word
        # to the end made the search ~20x slower).
        trans.append((0, 1, 0.01))
        return self._dec.create_fsg("questions", 0, 1, trans)

    @staticmethod
    def _decode(dec: Any, pcm: bytes) -> Any:
        dec.start_utt()
        dec.process_raw(pcm, full_utt=True)
        dec.end_utt()
        return dec.hyp()

    def transcribe(self, samples: np.ndarray, question_ids: Sequence[str] | None = None) -> list[str]:
        """The transcript of a stretch in the grammar of these questions (None: all of them)."""
        if not self._use_grammar(tuple(self.questions) if question_ids is None else tuple(question_ids)):
            return []
        hyp = self._decode(self._dec, _pcm16(samples))
        return words_of(hyp.hypstr) if hyp is not None else []

    def wake_candidates(self, samples: np.ndarray) -> list[tuple[str, float, float]]:
        """Every key phrase the search proposes: (phrase, score 0..1, offset in seconds), before the minimums."""
        if not self._has_wake:
            return []
        self._decode(self._kws, _pcm16(samples))
        frame_s = 1.0 / self._frame_rate()
        return [(" ".join(seg.word.split()), float(seg.prob), seg.start_frame * frame_s)
                for seg in self._kws.seg() or ()]

    def wake_words(self, samples: np.ndarray, start_s: float = 0.0,
                   min_score: dict[str, float] | None = None) -> list[WakeWord]:
        """The wake words said in a stretch (one per call of an assistant), with their time on the session clock."""
        floor = WAKE_MIN_SCORE if min_score is None else min_score
        out: list[WakeWord] = []
        for phrase, score, offset in self.wake_candidates(samples):
            if phrase in WAKE_CLASSES and score >= floor.get(phrase, 1.0):
                t = start_s + offset
                # "hey siri" also holds "siri", and the search proposes a phrase more than once while it is said:
                # one call of an assistant is one wake word
                same = [i for i, w in enumerate(out) if w.assistant == WAKE_CLASSES[phrase] and abs(t - w.t_s) < 1.5]
                if same:
                    w = out[same[0]]
                    if len(phrase) > len(w.phrase):
                        out[same[0]] = WakeWord(phrase, w.assistant, min(w.t_s, t))
                    continue
                out.append(WakeWord(phrase, WAKE_CLASSES[phrase], t))
        return sorted(out, key=lambda w: w.t_s)

    def _frame_rate(self) -> int:
        return int(self._kws.config["frate"])

    def analyse(self, samples: np.ndarray, start_s: float, on_screen: Sequence[str] | None = None
                ) -> SpeechContent:
        """One stretch (float32 mono at 16 kHz). `on_screen`: the ids of the questions shown while it was said;
        an empty sequence means no question was on screen (only wake words are looked for)."""
        t0 = time.process_time()
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        end_s = start_s + len(samples) / RATE
        reading = None
        hyp: list[str] = []
        candidates = list(self.questions.values()) if on_screen is None else \
            [self.questions[q] for q in on_screen if q in self.questions]
        if candidates:
            hyp = self.transcribe(samples, [q.question_id for q in candidates])
            reading = best_match(hyp, candidates, self.rule)
        wake = tuple(self.wake_words(samples, start_s))
        qid = None if on_screen is None else (on_screen[0] if on_screen else None)
        return SpeechContent(start_s, end_s, qid if reading is None else reading.question_id, reading, wake,
                             time.process_time() - t0, " ".join(hyp) if self.keep_transcript and hyp else None)


def _pcm16(samples: np.ndarray) -> bytes:
    x = np.clip(np.nan_to_num(np.asarray(samples, dtype=np.float32)), -1.0, 1.0)
    return (x * 32767.0).astype("<i2").tobytes()
