"""Helpers shared by the progress tests: a fixed clock and small hand-made questions."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

from quizapp.content.model import Option, Question

T0 = datetime(2025, 3, 10, 10, 0, tzinfo=timezone.utc)  # a Monday, 10:00 UTC


def at(minutes: float = 0, days: float = 0) -> datetime:
    return T0 + timedelta(days=days, minutes=minutes)


def make_question(qid: str, domain: str = "monitoring", tags=(), covers=()) -> Question:
    return Question(
        id=qid,
        title=qid,
        stem=f"Stem of {qid}?",
        options=[Option("A", "yes"), Option("B", "no")],
        answer=frozenset({"A"}),
        domain=domain,
        tags=list(tags),
        covers=list(covers),
    )


def sql(path, statement: str, params=(), *, uri: bool = False) -> list[tuple]:
    """Run one statement on the database file directly (autocommit) and return its rows."""
    conn = sqlite3.connect(path, isolation_level=None, uri=uri)
    try:
        return conn.execute(statement, params).fetchall()
    finally:
        conn.close()
