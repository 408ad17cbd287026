"""What was said: reading a question aloud and voice-assistant wake words, measured on generated speech.

    .venv/bin/python bench/bench_speech.py [--quick] [--tune] [--per-bank N] [--json OUT]

Speech is synthesised by the voices the Debian registry carries (tests/fixtures/speech_render.py: espeak-ng and
flite voices; real recorded words from alsa-utils) and mixed with room noise at 20 and 10 dB SNR. Nothing is
evaluated on what it was tuned on: `--tune` uses TUNE_VOICES and the proctoring-etiquette bank; the default run
uses EVAL_VOICES and the other bundled banks.

Figures (each with its goal):
- reading recall: a question's prompt read aloud while it is on screen is matched to it (live);
- right question: with `analyze --exam` (no question known), the share of matched readings given the right id;
- false matches on a different question: reading question B while question A is on screen matches A;
- false matches per 10 minutes of unrelated speech (everyday talk and prose), live (one question on screen) and
  against the whole bank;
- wake-word recall (six phrases, three carrier sentences) and false alarms per 10 minutes of unrelated speech;
- CPU seconds per second of speech (process_time of the analyser, both passes).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from proctorprep.exam.catalog import load_bundled  # noqa: E402
from proctorprep.perception import speech_content as sc  # noqa: E402
from tests.fixtures import audio_clips as ac  # noqa: E402
from tests.fixtures import speech_render as sr  # noqa: E402

SNRS = (20.0, 10.0)
GOALS = {"reading_recall": 0.8, "right_question": 0.9, "false_per_10min": 1.0, "wake_recall": 0.8}


@dataclass
class Heard:
    voice: str
    snr: float | None
    seconds: float
    shown: str                    # the question on screen (live grammar)
    live: list[str]               # transcript in the grammar of the question on screen
    bank: list[str] | None        # transcript in the grammar of the whole bank (analyze --exam; None: not decoded)
    cpu_s: float                  # of the live decode (what the app spends)
    truth: str | None = None      # question id read (None: unrelated speech)
    other: str | None = None      # for a reading: another question shown instead
    other_words: list[str] | None = None


def _decode_all(analyser: sc.SpeechContentAnalyser, items: list[tuple[str, float | None, str | None, np.ndarray]],
                seed: int = 11, bank_limit: int | None = None, bank_snr: float | None = None) -> list[Heard]:
    """Each clip decoded as the app would: in the grammar of the question on screen (the one read, or for unrelated
    speech a random one), in the grammar of another question (the previous one is on screen instead), and in the
    whole bank's grammar (analyze --exam)."""
    rng = np.random.default_rng(seed)
    ids = list(analyser.questions)
    out = []
    for n, (voice, snr, truth, x) in enumerate(items):
        shown = truth if truth is not None else ids[int(rng.integers(len(ids)))]
        t0 = time.process_time()
        live = analyser.transcribe(x, [shown])
        cpu = time.process_time() - t0
        other = other_words = None
        if truth is not None:
            other = ids[(ids.index(truth) - 1) % len(ids)]
            other_words = analyser.transcribe(x, [other])
        wanted = (bank_limit is None or n < bank_limit) and (bank_snr is None or snr == bank_snr)
        bank = analyser.transcribe(x) if wanted else None
        out.append(Heard(voice, snr, len(x) / sc.RATE, shown, live, bank, cpu, truth, other, other_words))
    return out


def reading_items(bank, voices, snrs, per_bank: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    qs = list(bank.questions)
    picked = [qs[i] for i in sorted(rng.choice(len(qs), min(per_bank, len(qs)), replace=False))]
    return [(v, snr, q.id, sr.in_room(sr.say(v, sr.read_aloud_text(q)), snr, seed=int(rng.integers(1000))))
            for q in picked for v in voices for snr in snrs]


def unrelated_items(voices, snrs, sentences: int, seed: int = 5):
    rng = np.random.default_rng(seed)
    lines = sr.unrelated_sentences(sentences)
    items = []
    for i, line in enumerate(lines):
        v = voices[i % len(voices)]
        items.append((v, snrs[i % len(snrs)], None, sr.in_room(sr.say(v, line), snrs[i % len(snrs)],
                                                                seed=int(rng.integers(1000)))))
    for name in ac.ALSA_SPEECH:    # real recorded words
        items.append(("alsa", 20.0, None, sr.in_room(ac.speech_clip(f"alsa:{name}").samples, 20.0)))
    return items


def reading_scores(bank_texts, heard: list[Heard], unrelated: list[Heard], rule: sc.MatchRule) -> dict:
    by_id = {q.question_id: q for q in bank_texts}
    hit = right = matched_any = diff_false = 0
    for h in heard:
        hit += sc.match_reading(h.live, by_id[h.truth], rule) is not None
        anym = sc.best_match(h.bank, bank_texts, rule) if h.bank is not None else None
        if anym is not None:
            matched_any += 1
            right += anym.question_id == h.truth
        diff_false += sc.match_reading(h.other_words or [], by_id[h.other], rule) is not None
    un_live = un_bank = 0
    bank_s = 0.0
    for h in unrelated:
        un_live += sc.match_reading(h.live, by_id[h.shown], rule) is not None
        if h.bank is not None:
            un_bank += sc.best_match(h.bank, bank_texts, rule) is not None
            bank_s += h.seconds
    minutes = sum(h.seconds for h in unrelated) / 60 or 1.0
    n = len(heard) or 1
    return {"readings": len(heard), "reading_recall": hit / n, "bank_readings": sum(h.bank is not None for h in heard),
            "matched_any": matched_any,
            "right_question": right / max(1, matched_any), "different_question_false": diff_false / n,
            "unrelated_minutes": round(minutes, 2), "false_per_10min_live": un_live / minutes * 10,
            "false_per_10min_bank": un_bank / (bank_s / 60) * 10 if bank_s else 0.0,
            "bank_unrelated_minutes": round(bank_s / 60, 2)}


def wake_items(voices, snrs, seed: int = 9):
    rng = np.random.default_rng(seed)
    return [(v, snr, sc.WAKE_CLASSES[w.lower()], sr.in_room(sr.say(v, c.format(w=w)), snr,
                                                             seed=int(rng.integers(1000))))
            for w in sr.WAKE_PHRASES for c in sr.WAKE_CARRIERS for v in voices for snr in snrs]


def tune_wake(unrel_items) -> dict:
    """One decode per clip at the search's floor, then per phrase the lowest minimum score that raises no false
    alarm on the unrelated tuning speech (with a small margin), and the recall it leaves."""
    a = sc.SpeechContentAnalyser([])
    wakes = wake_items(sr.TUNE_VOICES, SNRS)
    pos = [(cls, a.wake_candidates(x)) for _, _, cls, x in wakes]
    neg = [a.wake_candidates(it[3]) for it in unrel_items]
    chosen = {}
    for phrase in sorted({p.phrase for p in a.wake_phrases}):
        worst = max([s for c in neg for p, s, _ in c if p == phrase] or [0.0])
        best_true = [max([s for p, s, _ in c if p == phrase] or [0.0]) for cls, c in pos
                     if cls == sc.WAKE_CLASSES[phrase]]
        minimum = round(worst + 0.005, 3)
        recall = sum(b >= minimum for b in best_true) / max(1, len(best_true))
        chosen[phrase] = {"min_score": minimum, "worst_false": round(worst, 3), "recall_alone": round(recall, 2)}
        print(f"wake {phrase!r}: highest score on unrelated speech {worst:.3f} -> minimum {minimum:.3f}; "
              f"this phrase alone finds {recall:.2f} of its clips", flush=True)
    return chosen


def tune(args) -> dict:
    bank = load_bundled(sr.TUNE_BANK)
    texts = sc.bank_texts(bank)
    analyser = sc.SpeechContentAnalyser(texts)
    read_items = reading_items(bank, sr.TUNE_VOICES, SNRS, args.per_bank)
    heard = _decode_all(analyser, read_items)
    unrel_items = unrelated_items(sr.TUNE_VOICES, SNRS, args.unrelated)
    unrelated = _decode_all(analyser, unrel_items)
    rules = {}
    for min_run in (3, 4, 5, 6):
        for min_content in (2, 3):
            for skip in (0, 1):
                rule = sc.MatchRule(min_run, min_content, skip)
                rules[f"{min_run}/{min_content}/{skip}"] = reading_scores(texts, heard, unrelated, rule)
    for k, v in rules.items():
        print(f"rule run>={k.split('/')[0]} content>={k.split('/')[1]} skip={k.split('/')[2]}: "
              f"recall {v['reading_recall']:.2f} right {v['right_question']:.2f} "
              f"other-q false {v['different_question_false']:.2f} "
              f"unrelated false/10min live {v['false_per_10min_live']:.1f} bank {v['false_per_10min_bank']:.1f}")
    out = {"rules": rules, "kws": tune_wake(unrel_items + read_items)}    # reading a question calls no assistant
    print("WAKE_MIN_SCORE = " + json.dumps({k: v["min_score"] for k, v in out["kws"].items()}))
    return out


def decode_eval(args) -> dict:
    """Every evaluation clip decoded once per grammar it needs, and its wake-word candidates: the raw material the
    figures are computed from (so a changed rule or minimum rescores without decoding again, `--rescore`)."""
    unrel_items = unrelated_items(sr.EVAL_VOICES, SNRS, args.unrelated)
    raw: dict = {"voices": list(sr.EVAL_VOICES), "banks": {}, "snr_db": list(SNRS)}
    for bank_id in sr.EVAL_BANKS:
        bank = load_bundled(bank_id)
        analyser = sc.SpeechContentAnalyser(sc.bank_texts(bank))
        # the whole bank's grammar is 10x the cost: readings are decoded in it at 20 dB only, unrelated speech for a
        # subset only
        heard = _decode_all(analyser, reading_items(bank, sr.EVAL_VOICES, SNRS, args.per_bank), bank_snr=SNRS[0])
        unrelated = _decode_all(analyser, unrel_items, bank_limit=args.bank_unrelated)
        raw["banks"][bank_id] = {"heard": [h.__dict__ for h in heard], "unrelated": [h.__dict__ for h in unrelated]}
        print(f"{bank_id}: decoded {len(heard)} readings, {len(unrelated)} unrelated", flush=True)
    wa = sc.SpeechContentAnalyser([])
    wake = []
    for v, snr, cls, x in wake_items(sr.EVAL_VOICES, SNRS):
        t0 = time.process_time()
        wake.append({"voice": v, "snr": snr, "assistant": cls, "seconds": len(x) / sc.RATE,
                     "candidates": wa.wake_candidates(x), "cpu_s": time.process_time() - t0})
    negatives = []
    for v, snr, _, x in unrel_items:
        t0 = time.process_time()
        negatives.append({"voice": v, "seconds": len(x) / sc.RATE, "candidates": wa.wake_candidates(x),
                          "cpu_s": time.process_time() - t0})
    raw["wake"], raw["wake_negatives"] = wake, negatives
    return raw


def _kept(cands, min_score) -> list[str]:
    return [sc.WAKE_CLASSES[p] for p, score, _ in cands if p in sc.WAKE_CLASSES and score >= min_score.get(p, 1.0)]


def score_eval(raw: dict, rule: sc.MatchRule | None = None, min_score: dict | None = None) -> dict:
    rule = rule or sc.MatchRule()
    min_score = min_score or sc.WAKE_MIN_SCORE
    res: dict = {"voices": raw["voices"], "snr_db": raw["snr_db"],
                 "rule": {"min_run": rule.min_run, "min_content": rule.min_content, "skip": rule.skip},
                 "wake_min_score": min_score, "reading": {}}
    cpu = secs = 0.0
    all_heard, all_unrel = [], []
    for bank_id, d in raw["banks"].items():
        texts = sc.bank_texts(load_bundled(bank_id))
        heard = [Heard(**h) for h in d["heard"]]
        unrelated = [Heard(**h) for h in d["unrelated"]]
        score = reading_scores(texts, heard, unrelated, rule)
        score["recall_by_voice"] = {v: round(reading_scores(texts, [h for h in heard if h.voice == v], [], rule)
                                             ["reading_recall"], 2) for v in raw["voices"]}
        score["recall_by_snr"] = {str(s): round(reading_scores(texts, [h for h in heard if h.snr == s], [], rule)
                                                ["reading_recall"], 2) for s in raw["snr_db"]}
        res["reading"][bank_id] = score
        cpu += sum(h.cpu_s for h in heard + unrelated)
        secs += sum(h.seconds for h in heard + unrelated)
        all_heard.append((texts, heard))
        all_unrel.append((texts, unrelated))
    # pooled over the banks
    n = sum(len(h) for _, h in all_heard) or 1
    res["reading_recall"] = sum(res["reading"][b]["reading_recall"] * res["reading"][b]["readings"]
                                for b in res["reading"]) / n
    matched = sum(res["reading"][b]["matched_any"] for b in res["reading"]) or 1
    res["analyze_recall"] = matched / max(1, sum(res["reading"][b]["bank_readings"] for b in res["reading"]))
    res["right_question"] = sum(res["reading"][b]["right_question"] * res["reading"][b]["matched_any"]
                                for b in res["reading"]) / matched
    res["different_question_false"] = sum(res["reading"][b]["different_question_false"] * res["reading"][b]
                                          ["readings"] for b in res["reading"]) / n
    minutes = sum(res["reading"][b]["unrelated_minutes"] for b in res["reading"]) or 1
    res["false_per_10min_live"] = sum(res["reading"][b]["false_per_10min_live"] * res["reading"][b]
                                      ["unrelated_minutes"] for b in res["reading"]) / minutes
    res["unrelated_minutes_per_bank"] = minutes / max(1, len(res["reading"]))
    res["live_cpu_per_s"] = cpu / max(secs, 1e-9)
    # wake words
    hits = [any(c == w["assistant"] for c in _kept(w["candidates"], min_score)) for w in raw["wake"]]
    res["wake_recall"] = sum(hits) / max(1, len(hits))
    res["wake_recall_by_voice"] = {v: round(sum(h for h, w in zip(hits, raw["wake"]) if w["voice"] == v) /
                                            max(1, sum(w["voice"] == v for w in raw["wake"])), 2) for v in raw["voices"]}
    res["wake_recall_by_snr"] = {str(s): round(sum(h for h, w in zip(hits, raw["wake"]) if w["snr"] == s) /
                                               max(1, sum(w["snr"] == s for w in raw["wake"])), 2)
                                 for s in raw["snr_db"]}
    res["wake_recall_by_phrase_class"] = {a: round(sum(h for h, w in zip(hits, raw["wake"]) if w["assistant"] == a)
                                                   / max(1, sum(w["assistant"] == a for w in raw["wake"])), 2)
                                          for a in sorted({w["assistant"] for w in raw["wake"]})}
    neg_min = sum(w["seconds"] for w in raw["wake_negatives"]) / 60 or 1
    alarms = sum(len(set(_kept(w["candidates"], min_score))) for w in raw["wake_negatives"])
    res["wake_false_per_10min"] = alarms / neg_min * 10
    res["wake_negative_minutes"] = neg_min
    wsecs = sum(w["seconds"] for w in raw["wake"] + raw["wake_negatives"])
    res["wake_cpu_per_s"] = sum(w["cpu_s"] for w in raw["wake"] + raw["wake_negatives"]) / max(wsecs, 1e-9)
    res["cpu_per_s_speech"] = res["live_cpu_per_s"] + res["wake_cpu_per_s"]
    return res


def evaluate(args) -> dict:
    if args.rescore:
        raw = json.loads(args.rescore.read_text(encoding="utf-8"))
    else:
        raw = decode_eval(args)
        if args.raw:
            args.raw.write_text(json.dumps(raw), encoding="utf-8")
    res = score_eval(raw)
    for k in ("reading_recall", "analyze_recall", "right_question", "different_question_false", "false_per_10min_live",
              "wake_recall", "wake_false_per_10min", "live_cpu_per_s", "wake_cpu_per_s", "cpu_per_s_speech"):
        goal = {"reading_recall": ">= 0.8", "right_question": ">= 0.9", "false_per_10min_live": "<= 1",
                "wake_recall": ">= 0.8", "wake_false_per_10min": "<= 1"}.get(k, "")
        print(f"{k:28s} {res[k]:.3f}  {goal}")
    for b, r in res["reading"].items():
        print(b, json.dumps(r))
    for k in ("wake_recall_by_voice", "wake_recall_by_snr", "wake_recall_by_phrase_class"):
        print(k, json.dumps(res[k]))
    return res


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tune", action="store_true", help="tuning voices and bank: rule grid and kws thresholds")
    p.add_argument("--quick", action="store_true", help="fewer questions and sentences (a smoke run)")
    p.add_argument("--per-bank", type=int, default=10, help="questions read aloud per bank")
    p.add_argument("--unrelated", type=int, default=60, help="sentences of unrelated speech")
    p.add_argument("--bank-unrelated", type=int, default=16,
                   help="unrelated clips also decoded in the whole bank's grammar (10x the cost)")
    p.add_argument("--raw", type=Path, help="also save the decoded material (for --rescore)")
    p.add_argument("--rescore", type=Path, help="score saved material again instead of decoding")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    if args.quick:
        args.per_bank, args.unrelated, args.bank_unrelated = 3, 10, 4
    res = tune(args) if args.tune else evaluate(args)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
