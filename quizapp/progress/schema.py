"""The database layout and its migrations.

``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``; the version lives in the
one-row ``schema_version`` table (no table means version 0). ``migrate`` applies the missing
steps in order inside a single transaction, so a failed upgrade leaves the file as it was.

Version 0 is a database without ``schema_version``: a new (empty) file, or the bare pre-versioning
layout of a single ``answers(question_id, chosen, correct, seconds, answered_at)`` table. Migration 1
keeps those answers (mode "practice", no session) and rebuilds each question's FSRS card by
replaying them in time order. Migration 2 adds the ``exam_attempts`` table, migration 3 ``flags``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone

from quizapp.progress.scheduling import from_text, new_card, new_scheduler, rating_for, to_text


class NewerSchemaError(RuntimeError):
    """The database was written by a newer quizapp (its schema version is unknown here)."""


def _table_exists(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return row is not None


def _v0_chosen(value) -> list[str]:
    if value is None:
        return []
    text = str(value).strip()
    if text.startswith("["):
        try:
            return sorted(str(x) for x in json.loads(text))
        except (ValueError, TypeError):
            pass
    if "," in text:
        return sorted(part.strip() for part in text.split(",") if part.strip())
    return sorted(ch for ch in text if not ch.isspace())


def _v0_time(value) -> str:
    if isinstance(value, (int, float)):
        return to_text(datetime.fromtimestamp(value, timezone.utc))
    return to_text(from_text(str(value)))


_V1_TABLES = """
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    mode        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    correct     INTEGER,
    total       INTEGER
);
CREATE TABLE answers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id  TEXT NOT NULL,
    chosen       TEXT NOT NULL,            -- JSON list of option letters
    correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
    seconds      REAL NOT NULL,
    answered_at  TEXT NOT NULL,            -- UTC ISO 8601, fixed width
    mode         TEXT NOT NULL,
    session_id   INTEGER REFERENCES sessions(id)
);
CREATE INDEX answers_by_question ON answers (question_id, answered_at);
CREATE INDEX answers_by_time ON answers (answered_at);
CREATE INDEX answers_by_session ON answers (session_id);
CREATE TABLE cards (
    question_id  TEXT PRIMARY KEY,
    card_id      INTEGER NOT NULL,
    card         TEXT NOT NULL,            -- fsrs.Card.to_json()
    due          TEXT NOT NULL             -- UTC ISO 8601, fixed width
);
CREATE INDEX cards_by_due ON cards (due);
CREATE TABLE events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    message  TEXT NOT NULL
);
"""


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    had_v0_answers = _table_exists(conn, "answers")
    if had_v0_answers:
        conn.execute("ALTER TABLE answers RENAME TO answers_v0")
    # one statement at a time: executescript() would COMMIT the migration's open transaction
    for statement in _V1_TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)
    if not had_v0_answers:
        return
    columns = {row[1] for row in conn.execute("PRAGMA table_info(answers_v0)")}
    chosen = "chosen" if "chosen" in columns else "NULL"
    seconds = "seconds" if "seconds" in columns else "0"
    rows = conn.execute(
        f"SELECT question_id, {chosen}, correct, {seconds}, answered_at FROM answers_v0 ORDER BY answered_at, rowid"
    ).fetchall()
    scheduler = new_scheduler()
    cards = {}
    for question_id, old_chosen, correct, secs, answered_at in rows:
        at = _v0_time(answered_at)
        secs = float(secs or 0)
        correct = bool(correct)
        conn.execute(
            "INSERT INTO answers (question_id, chosen, correct, seconds, answered_at, mode, session_id)"
            " VALUES (?, ?, ?, ?, ?, 'practice', NULL)",
            (str(question_id), json.dumps(_v0_chosen(old_chosen)), int(correct), secs, at),
        )
        when = from_text(at)
        card = cards.get(question_id) or new_card(str(question_id), when)
        cards[question_id], _ = scheduler.review_card(card, rating_for(correct, secs), review_datetime=when)
    for question_id, card in cards.items():
        conn.execute(
            "INSERT INTO cards (question_id, card_id, card, due) VALUES (?, ?, ?, ?)",
            (str(question_id), card.card_id, card.to_json(), to_text(card.due)),
        )
    conn.execute("DROP TABLE answers_v0")


_V2_TABLES = """
CREATE TABLE exam_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at   TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    finished_at  TEXT,                    -- NULL while the attempt can be resumed
    state        TEXT NOT NULL,           -- JSON: ExamAttempt.to_state()
    score        INTEGER,
    total        INTEGER,
    passed       INTEGER,
    result       TEXT                     -- JSON: per-domain/tag breakdown and per-question rows
);
CREATE INDEX exam_attempts_open ON exam_attempts (finished_at);
"""


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    """Version 2 adds exam attempts (saved after every answer, so an exam can be resumed)."""
    for statement in _V2_TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migrate_to_3(conn: sqlite3.Connection) -> None:
    """Version 3 keeps the questions a learner flagged for later, across runs of the app."""
    conn.execute("CREATE TABLE flags (question_id TEXT PRIMARY KEY, flagged_at TEXT NOT NULL)")


def _migrate_to_4(conn: sqlite3.Connection) -> None:
    """Version 4 keeps the FSRS rating of every answer (and whether the learner chose it), and
    each card's state before its latest answer, so the learner can override the rating."""
    conn.execute("ALTER TABLE answers ADD COLUMN rating INTEGER")  # 1 Again .. 4 Easy; NULL before v4
    conn.execute("ALTER TABLE answers ADD COLUMN rating_chosen INTEGER NOT NULL DEFAULT 0")  # 1: keys 1-4
    conn.execute("ALTER TABLE cards ADD COLUMN previous TEXT")  # Card JSON before the latest answer


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_to_1, _migrate_to_2, _migrate_to_3, _migrate_to_4]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    if not _table_exists(conn, "schema_version"):
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring ``conn`` (autocommit mode) up to ``SCHEMA_VERSION``; returns the version it started at."""
    conn.execute("BEGIN IMMEDIATE")  # re-read the version under the write lock: one upgrader at a time
    try:
        start = current_version(conn)
        if start > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"the progress database has schema version {start}, newer than this quizapp understands "
                f"({SCHEMA_VERSION}); upgrade quizapp or use another --data-dir"
            )
        for version in range(start, SCHEMA_VERSION):
            MIGRATIONS[version](conn)
        if start != SCHEMA_VERSION:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return start
