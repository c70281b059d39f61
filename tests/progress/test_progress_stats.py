"""Summary, accuracy by domain/tag, answers per day, weakest facts and the due forecast on a small history."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from fsrs import Card, Rating, Scheduler
from progress_helpers import T0, at, make_question

from quizapp.progress import Summary, open_store

QUESTIONS = {
    "q1": make_question("q1", domain="monitoring", tags=["drift", "baseline"], covers=["f-drift", "f-baseline"]),
    "q2": make_question("q2", domain="monitoring", tags=["alarms"], covers=["f-alarm"]),
    "q3": make_question("q3", domain="cloudwatch", tags=["alarms", "drift"], covers=["f-alarm", "f-drift"]),
    "q4": make_question("q4", domain="sns", tags=[], covers=["f-sns"]),  # never answered
}
IDS = list(QUESTIONS)
NOW = datetime(2025, 3, 10, 23, 0, tzinfo=timezone.utc)


@pytest.fixture
def history(store):
    # (day offset from 2025-03-10, hh:mm UTC, question, correct); right answers take 60 s (Good)
    answers = [
        (-2, "09:00", "q1", True),
        (-2, "09:05", "q2", False),
        (-1, "20:00", "q1", False),
        (0, "09:00", "q3", True),
        (0, "09:01", "q3", True),
        (0, "09:02", "q2", True),
        (0, "09:03", "gone", False),  # a question since deleted from the content
    ]
    for offset, hhmm, qid, correct in answers:
        hh, mm = map(int, hhmm.split(":"))
        moment = datetime(2025, 3, 10, hh, mm, tzinfo=timezone.utc) + timedelta(days=offset)
        store.record_answer(qid, ["A"] if correct else ["B"], correct, 60, now=moment)
    return store


def test_summary(history):
    assert history.summary(IDS, now=NOW) == Summary(
        questions=4,
        answered=3,
        attempts=6,
        correct=4,
        accuracy=pytest.approx(4 / 6),
        due=2,  # q1 (missed yesterday) and q2 (learning step long past); q3 graduated to days out
        streak_days=3,
    )


def test_summary_of_an_empty_store(store):
    assert store.summary(IDS, now=NOW) == Summary(4, 0, 0, 0, None, 0, 0)


def test_accuracy_by_domain_and_tag(history):
    assert history.accuracy_by(QUESTIONS, "domain") == [("cloudwatch", 2, 2), ("monitoring", 4, 2)]
    assert history.accuracy_by(QUESTIONS, "tag") == [("alarms", 4, 3), ("baseline", 2, 1), ("drift", 4, 3)]
    with pytest.raises(ValueError):
        history.accuracy_by(QUESTIONS, "colour")


def test_answers_per_day_includes_zero_days_and_deleted_questions(history):
    assert history.answers_per_day(days=4, now=NOW) == [
        (date(2025, 3, 7), 0, 0),
        (date(2025, 3, 8), 2, 1),
        (date(2025, 3, 9), 1, 0),
        (date(2025, 3, 10), 4, 3),
    ]
    thirty = history.answers_per_day(now=NOW)
    assert len(thirty) == 30 and thirty[0][0] == date(2025, 2, 9) and thirty[-1] == (date(2025, 3, 10), 4, 3)
    assert sum(n for _, n, _ in thirty) == 7


def test_weakest_facts(history):
    # f-baseline 1/2; f-alarm and f-drift 3/4 each (tie: same attempts, then by id); f-sns never answered
    assert history.weakest_facts(QUESTIONS) == [("f-baseline", 2, 0.5), ("f-alarm", 4, 0.75), ("f-drift", 4, 0.75)]
    assert history.weakest_facts(QUESTIONS, limit=1) == [("f-baseline", 2, 0.5)]


def test_weakest_facts_puts_more_attempts_first_on_equal_accuracy(store):
    questions = {"x": make_question("x", covers=["f-once"]), "y": make_question("y", covers=["f-twice"])}
    store.record_answer("x", ["B"], False, 60, now=at(0))
    store.record_answer("y", ["B"], False, 60, now=at(1))
    store.record_answer("y", ["B"], False, 60, now=at(2))
    assert store.weakest_facts(questions) == [("f-twice", 2, 0.0), ("f-once", 1, 0.0)]


def test_due_forecast(store):
    fsrs_due = Scheduler(enable_fuzzing=False).review_card(Card(), Rating.Easy, review_datetime=T0)[0].due
    easy_days = (fsrs_due.date() - T0.date()).days
    assert easy_days >= 2
    store.record_answer("overdue", ["B"], False, 60, now=at(days=-3))  # due 3 days ago: counts today
    store.record_answer("later-today", ["A"], True, 60, now=T0)  # Good: due in 10 minutes
    store.record_answer("easy", ["A"], True, 1, now=T0)  # Easy (fast): due in easy_days days
    store.record_answer("deleted", ["B"], False, 60, now=T0)
    ids = ["overdue", "later-today", "easy", "never-answered"]
    forecast = store.due_forecast(ids, days=easy_days + 2, now=T0)
    assert [d for d, _ in forecast] == [T0.date() + timedelta(days=i) for i in range(easy_days + 2)]
    assert [n for _, n in forecast] == [2] + [0] * (easy_days - 1) + [1, 0]
    assert store.due_forecast(ids, days=easy_days, now=T0) == forecast[:easy_days]  # beyond the horizon: left out
    assert store.due_forecast(ids, now=T0)[0] == (T0.date(), 2)
    assert len(store.due_forecast(ids, now=T0)) == 7


@pytest.mark.parametrize(
    ("day_offsets", "streak"),
    [([], 0), ([0], 1), ([0, -1, -2], 3), ([-1, -2], 2), ([-2, -3], 0), ([0, -2, -3], 1), ([0, 0, -1], 2)],
)
def test_streak_days(store, day_offsets, streak):
    for i, offset in enumerate(day_offsets):
        store.record_answer(f"q{i}", ["A"], True, 60, now=at(minutes=i, days=offset))
    assert store.summary([], now=at(60)).streak_days == streak


def test_calendar_days_follow_the_store_time_zone(tmp_path):
    late = datetime(2025, 3, 10, 16, 0, tzinfo=timezone.utc)  # 01:00 on 11 March in Seoul
    seoul = timezone(timedelta(hours=9))
    with open_store(tmp_path / "seoul", tz=seoul) as store:
        store.record_answer("q1", ["A"], True, 60, now=late)
        assert store.answers_per_day(days=2, now=late) == [(date(2025, 3, 10), 0, 0), (date(2025, 3, 11), 1, 1)]
    with open_store(tmp_path / "utc", tz=timezone.utc) as store:
        store.record_answer("q1", ["A"], True, 60, now=late)
        assert store.answers_per_day(days=2, now=late) == [(date(2025, 3, 9), 0, 0), (date(2025, 3, 10), 1, 1)]
