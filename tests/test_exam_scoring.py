"""Scoring: every item type all right, all wrong and partly right; the 1-1000 scale with 700 to pass."""

from __future__ import annotations

from fractions import Fraction

import pytest

from proctorprep.exam.scoring import (
    PARTIAL_CREDIT_RULE, ResponseError, credit, is_complete, normalize_response, scaled_score,
)
from tests.test_exam_fixtures import FULL_MARKS, sample_bank

BANK = sample_bank()


def score(qid: str, response) -> Fraction:
    q = BANK.question(qid)
    return credit(q, normalize_response(q, response))


@pytest.mark.parametrize("qid", list(FULL_MARKS))
def test_the_key_earns_full_credit_for_every_item(qid):
    assert score(qid, FULL_MARKS[qid]) == 1


def test_single_choice_is_all_or_nothing():
    assert score("s1", "a") == 0
    assert score("s1", None) == 0


def test_multiple_response_right_wrong_and_partial():
    assert score("m1", ["c", "a"]) == 1                  # order does not matter
    assert score("m1", ["b", "d"]) == 0
    assert score("m1", ["a", "b"]) == Fraction(1, 2)
    assert score("m1", ["a"]) == Fraction(1, 2)          # one of the two required, no penalty for the gap
    with pytest.raises(ResponseError, match="choose 2, got 3"):
        normalize_response(BANK.question("m1"), ["a", "b", "c"])


def test_yes_no_series_scores_each_statement():
    assert score("y1", {"s1": False, "s2": True, "s3": False, "s4": True}) == 0
    assert score("y1", {"s1": True, "s2": True, "s3": True, "s4": True}) == Fraction(1, 2)
    assert score("y1", {"s1": True}) == Fraction(1, 4)    # unanswered statements earn nothing, cost nothing


def test_build_list_scores_positions_and_extra_steps_cost_credit():
    assert score("o1", ["a", "c", "b"]) == 0
    assert score("o1", ["b", "c", "a"]) == Fraction(1, 3)
    assert score("o1", ["b", "a", "c", "d"]) == Fraction(3, 4)   # the distractor added at the end
    assert score("o1", ["b", "a"]) == Fraction(2, 3)


def test_matching_scores_each_target():
    assert score("x1", {"t1": "p25", "t2": "p22", "t3": "p389", "t4": "p53"}) == 0
    assert score("x1", {"t1": "p22", "t2": "p3389", "t3": "p25", "t4": "p25"}) == Fraction(1, 2)
    assert score("x1", {"t1": "p22"}) == Fraction(1, 4)


def test_completeness_drives_the_review_screen():
    q = BANK.question("m1")
    assert not is_complete(q, normalize_response(q, ["a"]))
    assert is_complete(q, normalize_response(q, ["a", "b"]))
    y = BANK.question("y1")
    assert not is_complete(y, normalize_response(y, {"s1": True}))
    x = BANK.question("x1")
    assert is_complete(x, normalize_response(x, FULL_MARKS["x1"]))


@pytest.mark.parametrize("qid,bad", [
    ("s1", "zz"), ("m1", "a"), ("m1", ["a", "a"]), ("y1", {"nope": True}), ("y1", {"s1": "yes"}),
    ("o1", ["a", "zz"]), ("x1", {"t1": "zz"}), ("x1", ["p22"]),
])
def test_malformed_responses_are_refused_plainly(qid, bad):
    with pytest.raises(ResponseError, match=qid):
        normalize_response(BANK.question(qid), bad)


def test_scale_puts_the_pass_share_exactly_on_700():
    assert scaled_score(Fraction(0), Fraction(10), 0.7) == 1
    assert scaled_score(Fraction(10), Fraction(10), 0.7) == 1000
    assert scaled_score(Fraction(7), Fraction(10), 0.7) == 700
    assert scaled_score(Fraction(699, 100), Fraction(10), 0.7) == 699   # just below: never rounds up to a pass
    assert scaled_score(Fraction(85, 10), Fraction(10), 0.7) == 850
    assert scaled_score(Fraction(35, 10), Fraction(10), 0.7) == 350
    assert scaled_score(Fraction(6), Fraction(10), 0.6) == 700


def test_scale_is_monotonic():
    scores = [scaled_score(Fraction(i), Fraction(200), 0.7) for i in range(201)]
    assert scores == sorted(scores)
    assert all(1 <= s <= 1000 for s in scores)


def test_the_rule_is_stated_in_words():
    assert "all or nothing" in PARTIAL_CREDIT_RULE and "no penalty for guessing" in PARTIAL_CREDIT_RULE
