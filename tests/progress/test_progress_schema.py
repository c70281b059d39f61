"""schema_version and migrations: a new file is the latest version; a pre-versioning (v0) file is upgraded."""

from __future__ import annotations

from datetime import timezone

import pytest
from progress_helpers import at, sql

from quizapp.progress import MIGRATIONS, SCHEMA_VERSION, NewerSchemaError, open_store


def version_rows(path) -> list[tuple]:
    return sql(path, "SELECT version FROM schema_version")


def columns(path, table) -> set[str]:
    return {row[1] for row in sql(path, f"PRAGMA table_info({table})")}


def test_a_new_database_is_the_latest_version_with_the_documented_tables(store):
    assert SCHEMA_VERSION == 4 == len(MIGRATIONS)
    assert {"question_id", "flagged_at"} <= columns(store.path, "flags")
    assert version_rows(store.path) == [(4,)]
    assert {"started_at", "saved_at", "finished_at", "state", "score", "total", "passed", "result"} <= columns(
        store.path, "exam_attempts"
    )
    assert {"question_id", "chosen", "correct", "seconds", "answered_at", "mode", "session_id"} <= columns(
        store.path, "answers"
    )
    assert {"question_id", "card", "due"} <= columns(store.path, "cards")
    assert {"mode", "started_at", "ended_at", "correct", "total"} <= columns(store.path, "sessions")


def make_v0(path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sql(path, "CREATE TABLE answers (question_id TEXT, chosen TEXT, correct INTEGER, seconds REAL, answered_at TEXT)")
    for row in rows:
        sql(path, "INSERT INTO answers VALUES (?, ?, ?, ?, ?)", row)


V0_ROWS = [
    ("q1", "B", 0, 12.0, "2025-03-10T10:00:00+00:00"),
    ("q2", "A,C", 1, 50.0, "2025-03-10T10:01:00+00:00"),
    ("q3", "A", 1, 5.0, "2025-03-10T10:02:00+00:00"),
    ("q1", "A", 1, 70.0, "2025-03-10T10:03:00+00:00"),
    ("q4", "D", 0, 20.0, "2025-03-10T10:04:00+00:00"),
]


def test_v0_database_is_migrated_keeping_answers_and_rebuilding_cards(tmp_path):
    old = tmp_path / "old"
    make_v0(old / "progress.db", V0_ROWS)
    migrated = open_store(old, tz=timezone.utc)
    assert version_rows(migrated.path) == [(SCHEMA_VERSION,)]
    assert migrated.recovery_message is None
    assert [(r.chosen, r.correct, r.seconds, r.mode, r.answered_at) for r in migrated.history("q1")] == [
        (["B"], False, 12.0, "practice", at(0)),
        (["A"], True, 70.0, "practice", at(3)),
    ]
    assert migrated.history("q2")[0].chosen == ["A", "C"]

    # the same answers recorded live give the same schedule
    live = open_store(tmp_path / "live", tz=timezone.utc)
    for minute, (qid, chosen, correct, seconds, _) in enumerate(V0_ROWS):
        live.record_answer(qid, chosen.split(","), bool(correct), seconds, now=at(minute))
    ids = ["q1", "q2", "q3", "q4"]
    for moment in (at(4.5), at(12), at(20), at(days=3), at(days=30)):
        assert migrated.review_queue(ids, now=moment) == live.review_queue(ids, now=moment)
    assert migrated.due_forecast(ids, days=30, now=at(5)) == live.due_forecast(ids, days=30, now=at(5))
    assert migrated.review_queue(ids, now=at(4.5)) == ["q4"]  # q1's last answer was right (Good, 10 min)
    migrated.close()
    live.close()

    with open_store(old) as again:  # migrations run once
        assert version_rows(again.path) == [(SCHEMA_VERSION,)]
        assert len(again.history("q1")) == 2


def test_an_empty_v0_database_is_migrated(data_dir):
    data_dir.mkdir(parents=True)
    sql(data_dir / "progress.db", "CREATE TABLE unrelated (x)")
    with open_store(data_dir) as store:
        assert version_rows(store.path) == [(SCHEMA_VERSION,)]
        store.record_answer("q1", ["A"], True, 10, now=at(0))
        assert len(store.history("q1")) == 1


def test_a_failed_migration_leaves_the_old_file_as_it_was(data_dir):
    make_v0(data_dir / "progress.db", [("q1", "A", 1, 5.0, "2025-03-10T10:00:00+00:00"), ("q2", "A", 1, 5.0, "not a time")])
    before = (data_dir / "progress.db").read_bytes()
    with pytest.raises(ValueError):
        open_store(data_dir)
    assert sql(data_dir / "progress.db", "SELECT name FROM sqlite_master WHERE type = 'table'") == [("answers",)]
    assert sql(data_dir / "progress.db", "SELECT COUNT(*) FROM answers") == [(2,)]
    assert not [p for p in data_dir.iterdir() if ".corrupt-" in p.name]
    assert (data_dir / "progress.db").read_bytes() == before


def test_a_newer_schema_is_refused_not_treated_as_corrupt(data_dir):
    with open_store(data_dir) as store:
        store.record_answer("q1", ["A"], True, 10, now=at(0))
    sql(data_dir / "progress.db", "UPDATE schema_version SET version = 99")
    with pytest.raises(NewerSchemaError, match="99"):
        open_store(data_dir)
    assert not [p for p in data_dir.iterdir() if ".corrupt-" in p.name]
    assert version_rows(data_dir / "progress.db") == [(99,)]
