"""The FSRS rating an answer earns, and card ids that never change."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from fsrs import Rating
from hypothesis import given
from hypothesis import strategies as st
from progress_helpers import T0, sql

from quizapp.progress import card_id_for, rating_for


@pytest.mark.parametrize(
    ("correct", "seconds", "expected", "rating"),
    [
        (False, 0.1, 60, Rating.Again),
        (False, 60, 60, Rating.Again),
        (False, 500, 60, Rating.Again),
        (True, 0, 60, Rating.Easy),
        (True, 29.99, 60, Rating.Easy),
        (True, 30, 60, Rating.Good),  # exactly 0.5x is not "fast"
        (True, 60, 60, Rating.Good),
        (True, 90, 60, Rating.Good),  # exactly 1.5x is not "slow"
        (True, 90.01, 60, Rating.Hard),
        (True, 4.9, 10, Rating.Easy),
        (True, 5, 10, Rating.Good),
        (True, 15, 10, Rating.Good),
        (True, 15.1, 10, Rating.Hard),
        (True, 1, 0, Rating.Good),  # no usable expected time: no time signal
        (True, 1000, -5, Rating.Good),
    ],
)
def test_rating_boundaries(correct, seconds, expected, rating):
    assert rating_for(correct, seconds, expected) == rating


def test_rating_default_expected_time_is_60_seconds():
    assert rating_for(True, 29) == Rating.Easy
    assert rating_for(True, 91) == Rating.Hard
    assert rating_for(True, 60) == Rating.Good


@given(st.floats(0, 1e6), st.floats(0.01, 1e4))
def test_wrong_is_always_again_and_right_never_is(seconds, expected):
    assert rating_for(False, seconds, expected) == Rating.Again
    assert rating_for(True, seconds, expected) != Rating.Again


@given(st.floats(0, 1e5), st.floats(0, 1e5), st.floats(0.01, 1e4))
def test_slower_right_answers_never_rate_higher(a, b, expected):
    fast, slow = sorted((a, b))
    assert rating_for(True, fast, expected) >= rating_for(True, slow, expected)


# Pinned values: SHA-256 based, so they never change between runs, processes or Python versions.
PINNED = {
    "weekly-mae-line-chart": 354982387633606082,
    "stale-baseline-after-retraining": 2971885431469596075,
    "a": 7299139317422481125,
    "한국어-질문": 727258002474987176,
}


def test_card_ids_are_pinned():
    assert {qid: card_id_for(qid) for qid in PINNED} == PINNED
    assert all(0 < v < 2**63 for v in PINNED.values())  # fits SQLite's signed 64-bit INTEGER


@pytest.mark.parametrize("hash_seed", ["1", "4242"])
def test_card_ids_are_the_same_in_another_process(hash_seed):
    code = "import json; from quizapp.progress import card_id_for; print(json.dumps({q: card_id_for(q) for q in %r}))"
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run(
        [sys.executable, "-c", code % list(PINNED)], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert json.loads(out) == PINNED


def test_stored_cards_carry_the_stable_id(store):
    store.record_answer("weekly-mae-line-chart", ["A"], True, 10, now=T0)
    store.record_answer("weekly-mae-line-chart", ["A"], False, 10, now=T0)
    ((card,),) = sql(store.path, "SELECT card FROM cards")
    assert json.loads(card)["card_id"] == PINNED["weekly-mae-line-chart"]
