"""Is the name read from an ID the candidate's name? Tolerant of what OCR and cards do to names: accents dropped or
kept (Müller / MULLER / Mueller), upper case, the order (surname first), a middle name missing on one side, a
letter misread, spaces lost between words ("GRACEHOPPER").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

MATCH_SCORE = 0.8             # at or above: the same name
_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def fold(text: str) -> str:
    """Case and accents folded away, punctuation to spaces: "  Zoë O'Brien-Núñez" -> "zoe o brien nunez"."""
    t = unicodedata.normalize("NFKD", text.casefold())
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", t).split())


def tokens(text: str) -> list[str]:
    return [w for w in fold(text).split() if len(w) > 1 or w.isdigit()]


def _variants(name: str) -> list[str]:
    """A German umlaut may be written with an e after it on the card (Müller, MUELLER): both are tried."""
    low = name.casefold()
    alt = "".join(_GERMAN.get(ch, ch) for ch in low)
    return [name] if alt == low else [name, alt]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


@dataclass(frozen=True, slots=True)
class NameMatch:
    score: float              # 0..1: the share of the candidate's name words found on the card (fuzzily)
    best_line: str            # the text on the card that matched best
    matches: bool


def match_name(expected: str, lines: list[str]) -> NameMatch:
    """The candidate's name against the text lines read from a card. Every word of the expected name (at least
    the first and the last) is looked for among all the card's words, each scored by similarity; the score is
    the mean over the expected words. Order does not matter; so a card printing "HOPPER, GRACE" matches."""
    best = NameMatch(0.0, "", False)
    card_words = [(w, line) for line in lines for w in tokens(line)]
    joined = [(fold(line).replace(" ", ""), line) for line in lines]
    for variant in _variants(expected):
        want = tokens(variant)
        if not want or not card_words:
            continue
        scores, where = [], []
        for w in want:
            s, line = max(((_ratio(w, cw), ln) for cw, ln in card_words), key=lambda x: x[0])
            # a word run into its neighbour by the OCR ("GRACEHOPPER"): found inside a line with spaces removed
            for j, ln in joined:
                if len(w) >= 3 and w in j and s < 1.0:
                    s, line = 1.0, ln
            scores.append(s)
            where.append(line)
        # a missing middle name is fine: the first and last words must be there, the others count half
        ends = [scores[0], scores[-1]]
        middle = scores[1:-1]
        score = (sum(ends) + 0.5 * sum(middle)) / (len(ends) + 0.5 * len(middle)) if len(want) > 1 else scores[0]
        score = min(score, min(ends))       # a wrong surname is never made up for by the others
        if score > best.score:
            best = NameMatch(round(score, 3), max(set(where), key=where.count), score >= MATCH_SCORE)
    return best
