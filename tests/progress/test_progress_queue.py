"""The review queue with a fixed clock: due first (most overdue first), then recent misses."""

from __future__ import annotations

import pytest
from progress_helpers import at

ALL = ["zeta", "alpha", "mid", "beta", "omega", "fresh"]


@pytest.fixture
def answered(store):
    # FSRS defaults, no fuzz: a wrong answer is due again 1 minute later; a right one (Good) 10 minutes later.
    store.record_answer("zeta", ["B"], False, 20, now=at(0))  # due 10:01
    store.record_answer("alpha", ["B"], False, 20, now=at(2))  # due 10:03
    store.record_answer("mid", ["A"], True, 60, now=at(3))  # due 10:13
    store.record_answer("beta", ["B"], False, 20, now=at(4))  # due 10:05
    store.record_answer("omega", ["B"], False, 20, now=at(4.5))  # due 10:05:30
    return store


def test_due_first_most_overdue_first_then_misses_newest_first(answered):
    # 10:04:45 -- zeta and alpha are due; beta and omega were missed but are not due yet
    assert answered.review_queue(ALL, now=at(4.75)) == ["zeta", "alpha", "omega", "beta"]
    assert answered.due_count(ALL, now=at(4.75)) == 2


def test_later_everything_is_due_in_due_order(answered):
    assert answered.review_queue(ALL, now=at(20)) == ["zeta", "alpha", "beta", "omega", "mid"]
    assert answered.due_count(ALL, now=at(20)) == 5


def test_right_answers_that_are_not_due_are_not_queued(answered):
    assert "mid" not in answered.review_queue(ALL, now=at(12))
    assert "mid" in answered.review_queue(ALL, now=at(13))


def test_never_answered_questions_are_not_queued(answered):
    assert "fresh" not in answered.review_queue(ALL, now=at(days=365))


def test_a_right_answer_takes_a_miss_out_of_the_queue(answered):
    answered.record_answer("beta", ["A"], True, 60, now=at(4.6))
    assert answered.review_queue(ALL, now=at(4.75)) == ["zeta", "alpha", "omega"]


def test_limit_and_subset_and_no_duplicates(answered):
    assert answered.review_queue(ALL, now=at(4.75), limit=3) == ["zeta", "alpha", "omega"]
    assert answered.review_queue(ALL, now=at(4.75), limit=0) == []
    assert answered.review_queue(["beta", "alpha", "alpha"], now=at(4.75)) == ["alpha", "beta"]
    assert answered.review_queue(iter(ALL + ALL), now=at(20)) == ["zeta", "alpha", "beta", "omega", "mid"]


def test_a_deleted_question_leaves_the_queue_but_keeps_its_history(answered):
    remaining = [q for q in ALL if q != "alpha"]
    assert answered.review_queue(remaining, now=at(20)) == ["zeta", "beta", "omega", "mid"]
    assert answered.due_count(remaining, now=at(20)) == 4
    assert [r.correct for r in answered.history("alpha")] == [False]
    # and it comes back with its progress if the question is restored
    assert answered.review_queue(ALL, now=at(20))[1] == "alpha"
