"""Recording answers and sessions: persistence, one transaction per answer, the clock."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import fsrs
import pytest
from progress_helpers import T0, at, sql

from quizapp.progress import AnswerRecord, open_store


BOOM = "CREATE TRIGGER boom BEFORE INSERT ON cards BEGIN SELECT RAISE(ABORT, 'card write failed'); END"


def answer_rows(store) -> int:
    return sql(store.path, "SELECT COUNT(*) FROM answers")[0][0]


def test_answers_and_card_state_survive_reopening(data_dir):
    store = open_store(data_dir, tz=timezone.utc)
    assert store.path == data_dir / "progress.db"
    sid = store.start_session("practice", now=at(0))
    store.record_answer("q1", ["C", "A"], True, 42.5, mode="practice", now=at(0), session_id=sid)
    store.record_answer("q2", ["B"], False, 5, mode="exam", now=at(1))
    store.close()

    store = open_store(data_dir, tz=timezone.utc)
    assert store.recovery_message is None
    assert store.history("q1") == [AnswerRecord("q1", ["A", "C"], True, 42.5, "practice", at(0), sid)]
    assert store.history("q2") == [AnswerRecord("q2", ["B"], False, 5.0, "exam", at(1), None)]
    # q1's card remembers its first (Good) review: a second Good after the 10-minute learning step
    # graduates it to review with an interval of days. A card rebuilt from scratch would be due again
    # within minutes.
    store.record_answer("q1", ["A"], True, 60, now=at(10))
    store.close()
    store = open_store(data_dir, tz=timezone.utc)
    assert store.due_count(["q1"], now=at(30)) == 0
    assert store.due_count(["q1"], now=at(days=1)) == 0
    assert store.due_count(["q1"], now=at(days=30)) == 1
    assert len(store.history("q1")) == 2
    store.close()


def test_the_database_uses_wal(store):
    store.record_answer("q1", ["A"], True, 10, now=T0)
    assert sql(store.path, "PRAGMA journal_mode") == [("wal",)]


def test_a_failed_card_write_leaves_no_answer_row(store):
    sql(store.path, BOOM)
    with pytest.raises(sqlite3.DatabaseError, match="card write failed"):
        store.record_answer("q1", ["A"], True, 10, now=at(0))
    assert store.history("q1") == []
    assert answer_rows(store) == 0
    assert store.review_queue(["q1"], now=at(days=9999)) == []

    # the store is still usable, and a later failure on an existing card is rolled back too
    sql(store.path, "DROP TRIGGER boom")
    store.record_answer("q1", ["B"], False, 10, now=at(0))
    assert store.review_queue(["q1"], now=at(2)) == ["q1"]  # the miss is due after the 1-minute step
    sql(store.path, BOOM)
    with pytest.raises(sqlite3.DatabaseError):
        store.record_answer("q1", ["A"], True, 10, now=at(1))
    assert [r.correct for r in store.history("q1")] == [False]
    assert store.review_queue(["q1"], now=at(2)) == ["q1"]  # card unchanged: still due


def test_a_scheduler_failure_after_the_answer_insert_leaves_no_answer_row(store, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("scheduler exploded")

    monkeypatch.setattr(fsrs.Scheduler, "review_card", broken)
    with pytest.raises(RuntimeError, match="scheduler exploded"):
        store.record_answer("q1", ["A"], True, 10, now=T0)
    assert answer_rows(store) == 0
    monkeypatch.undo()
    store.record_answer("q1", ["A"], True, 10, now=T0)
    assert answer_rows(store) == 1


def test_sessions_score_and_last_session(store):
    assert store.last_session() is None
    first = store.start_session("practice", now=at(0))
    store.record_answer("q1", ["A"], True, 10, now=at(1), session_id=first)
    store.record_answer("q2", ["A"], False, 10, now=at(2), session_id=first)
    store.record_answer("q3", ["A"], True, 10, now=at(3), session_id=first)
    store.record_answer("q4", ["A"], True, 10, now=at(3))  # no session: not in any score
    assert store.last_session() is None  # not ended yet
    store.end_session(first, now=at(4))
    assert store.last_session() == ("practice", 2, 3)

    empty = store.start_session("exam", now=at(5))
    store.end_session(empty, now=at(6))  # ended but without answers: ignored
    assert store.last_session() == ("practice", 2, 3)

    exam = store.start_session("exam", now=at(7))
    assert exam not in (first, empty)
    store.record_answer("q1", ["B"], False, 10, mode="exam", now=at(8), session_id=exam)
    store.end_session(exam, now=at(9))
    assert store.last_session() == ("exam", 0, 1)


def test_last_session_survives_reopening(data_dir):
    with open_store(data_dir) as store:
        sid = store.start_session("review", now=T0)
        store.record_answer("q1", ["A"], True, 10, mode="review", now=T0, session_id=sid)
        store.end_session(sid, now=at(1))
    with open_store(data_dir) as store:
        assert store.last_session() == ("review", 1, 1)


def test_ending_an_unknown_session_is_an_error(store):
    with pytest.raises(KeyError):
        store.end_session(12345, now=T0)


def test_answers_to_an_unknown_session_are_refused(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.record_answer("q1", ["A"], True, 10, now=T0, session_id=999)
    assert store.history("q1") == []


def test_history_is_oldest_first_and_only_that_question(store):
    store.record_answer("q1", ["A"], True, 1, now=at(5))
    store.record_answer("q2", ["A"], True, 2, now=at(6))
    store.record_answer("q1", ["B"], False, 3, now=at(1))  # recorded later, happened earlier
    assert [(r.answered_at, r.chosen) for r in store.history("q1")] == [(at(1), ["B"]), (at(5), ["A"])]
    assert store.history("never") == []


def test_now_must_be_timezone_aware_and_is_stored_as_utc(store):
    with pytest.raises(ValueError, match="timezone-aware"):
        store.record_answer("q1", ["A"], True, 1, now=datetime(2025, 3, 10, 10, 0))
    seoul = timezone(timedelta(hours=9))
    store.record_answer("q1", ["A"], True, 1, now=datetime(2025, 3, 10, 19, 0, tzinfo=seoul))
    (record,) = store.history("q1")
    assert record.answered_at == T0
    assert record.answered_at.utcoffset() == timedelta(0)


def test_negative_or_nan_seconds_are_stored_as_zero(store):
    store.record_answer("q1", ["A"], True, -3, now=at(0))
    store.record_answer("q1", ["A"], True, float("nan"), now=at(1))
    assert [r.seconds for r in store.history("q1")] == [0.0, 0.0]


def test_two_open_stores_on_one_file_see_each_others_answers(data_dir):
    with open_store(data_dir) as first, open_store(data_dir) as second:
        first.record_answer("q1", ["A"], True, 10, now=at(0))
        second.record_answer("q1", ["B"], False, 10, now=at(1))
        first.record_answer("q1", ["A"], True, 10, now=at(2))
        assert [r.correct for r in second.history("q1")] == [True, False, True]
        assert first.summary(["q1"], now=at(3)).attempts == 3


def test_the_store_can_be_used_from_worker_threads(store):
    def work(n: int) -> None:
        for i in range(10):
            store.record_answer(f"t{n}", ["A"], i % 2 == 0, 10, now=at(i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    summary = store.summary([f"t{n}" for n in range(4)], now=at(10))
    assert (summary.answered, summary.attempts, summary.correct) == (4, 40, 20)
