"""Fuzzing the bank loaders (issue 10): whatever comes in, the only exception out is BankError, and any bank that
does load is consistent enough that answering with its keys scores 1000."""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proctorprep.exam import BankError, ExamSession, load_bank
from proctorprep.exam.formats.gift import parse_gift
from proctorprep.exam.formats.json_bank import parse_json_bank
from proctorprep.exam.validate import build_bank
from proctorprep.exam.scoring import correct_answer
from tests.test_exam_fixtures import SAMPLE, FakeClock

# PROCTORPREP_FUZZ_EXAMPLES=5000 for a deeper run than the quick default
FUZZ = settings(max_examples=int(os.environ.get("PROCTORPREP_FUZZ_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@dataclass
class MemoryFile:
    """A Readable (like an importlib.resources Traversable) over bytes."""

    name: str
    data: bytes

    def read_bytes(self) -> bytes:
        return self.data


def only_bank_error(load, *args):
    """Run a loader; BankError is the one allowed failure. Returns the bank or None."""
    try:
        return load(*args)
    except BankError:
        return None


def keys_score_full_marks(bank) -> None:
    s = ExamSession(bank, clock=FakeClock())
    s.start()
    for q in bank.questions:
        assert s.answer(q.id, correct_answer(q))
    assert s.submit().score == 1000


def _paths(value, prefix=()):
    """Every (path, container) position inside the sample bank, to replace with junk."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


PATHS = list(_paths(SAMPLE))


@FUZZ
@given(st.text(max_size=300))
def test_any_text_as_json_raises_only_bank_error(text):
    only_bank_error(parse_json_bank, text, "fuzz.json")


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_as_a_file_raise_only_bank_error(data):
    for name in ("fuzz.json", "fuzz.gift"):
        only_bank_error(load_bank, MemoryFile(name, data))


@FUZZ
@given(json_values)
def test_any_json_value_as_a_bank_raises_only_bank_error(value):
    only_bank_error(build_bank, value, "fuzz.json")


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PATHS), json_values | st.just("__delete__")), min_size=1, max_size=3))
def test_a_damaged_sample_bank_raises_only_bank_error_or_still_scores_right(edits):
    data = copy.deepcopy(SAMPLE)
    for path, junk in edits:
        target = data
        try:
            for step in path[:-1]:
                target = target[step]
            if junk == "__delete__":
                del target[path[-1]]
            else:
                target[path[-1]] = junk
        except (KeyError, IndexError, TypeError):
            continue      # an earlier edit removed this place
    bank = only_bank_error(build_bank, json.loads(json.dumps(data)), "fuzz.json")
    if bank is not None:
        keys_score_full_marks(bank)


GIFT_ALPHABET = st.sampled_from(list("{}=~#%->:\\$/ \n\tTFab019[]") + ["::", "->", "####", "$CATEGORY:", "//",
                                                                       "\\n", "%50%", "%-100%", "\n\n", "TRUE"])


@FUZZ
@given(st.lists(GIFT_ALPHABET, max_size=80).map("".join))
def test_gift_like_text_raises_only_bank_error_or_scores_right(text):
    bank = only_bank_error(parse_gift, text, "fuzz.gift")
    if bank is not None:
        keys_score_full_marks(bank)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_as_gift_raises_only_bank_error(text):
    only_bank_error(parse_gift, text, "fuzz.gift")


# --- the import formats of issue 21: any input -> a bank that scores right, or BankError ------------------------

AIKEN_ALPHABET = st.sampled_from(["A. ", "B) ", "C. ", "ANSWER: ", "ANSWER: A", "ANSWER: B", "\n", "\n\n", "Q?",
                                  "x", " ", "Z. ", "answer:"])
XML_ALPHABET = st.sampled_from([
    "<quiz>", "</quiz>", '<question type="multichoice">', '<question type="numerical">', '<question type="matching">',
    '<question type="shortanswer">', '<question type="truefalse">', '<question type="description">',
    '<question type="essay">', '<question type="category">', "</question>", "<questiontext><text>Q</text></questiontext>",
    '<answer fraction="100">', '<answer fraction="0">', '<answer fraction="x">', "</answer>", "<text>", "</text>",
    "1", "true", "a", "<single>false</single>", "<subquestion>", "</subquestion>", "<tolerance>1</tolerance>",
    "<name><text>n</text></name>", "<!DOCTYPE x>", "&amp;", "&bad;", "\n"])
CSV_ALPHABET = st.sampled_from(["prompt", "answer", "A", "B", "type", "skill", ",", ";", "\t", "\n", '"', "x",
                                "single", "multiple", "numeric", "short_answer", "info", "order", "A|B", "1..2",
                                "3:0.1", "id", "points", "2", ""])


@FUZZ
@given(st.lists(AIKEN_ALPHABET, max_size=60).map("".join))
def test_aiken_like_text_raises_only_bank_error_or_scores_right(text):
    from proctorprep.exam.formats.aiken import import_aiken

    im = only_bank_error(import_aiken, text, "fuzz.aiken")
    if im is not None:
        keys_score_full_marks(im.bank)


@FUZZ
@given(st.lists(XML_ALPHABET, max_size=60).map("".join))
def test_moodle_xml_like_text_raises_only_bank_error_or_scores_right(text):
    from proctorprep.exam.formats.moodle_xml import import_moodle_xml

    im = only_bank_error(import_moodle_xml, text, "fuzz.xml")
    if im is not None:
        keys_score_full_marks(im.bank)


@FUZZ
@given(st.lists(CSV_ALPHABET, max_size=60).map("".join), st.booleans())
def test_csv_like_text_raises_only_bank_error_or_scores_right(text, tsv):
    from proctorprep.exam.formats.table import import_table

    im = only_bank_error(lambda t: import_table(t, "fuzz.csv", tsv=tsv), text)
    if im is not None:
        keys_score_full_marks(im.bank)


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_in_any_import_format_raise_only_bank_error(data):
    from proctorprep.exam.formats import import_file

    for name in ("f.aiken", "f.xml", "f.csv", "f.tsv", "f.txt"):
        only_bank_error(import_file, MemoryFile(name, data))
