"""Copy what SQLite can still read from a damaged progress database into a fresh one.

SQLite's ``.recover`` is a command of the sqlite3 shell, not of the Python module, so this does
the same by hand: for every table the fresh database has (answers, sessions, cards, exam
attempts, flags, events), read the damaged table in rowid order until SQLite reports damage,
then find the first rowid past the damaged part whose b-tree path still reads (doubling steps,
then halving) and go on from there, so one bad page loses little more than the rows stored on it. Rows are
inserted with their ids; an answer whose session was lost keeps its data without the session.
The damaged file is never changed: rows are read from a temporary copy of it and its ``-wal``
(SQLite writes to the ``-shm`` even of a read-only connection).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

TABLES = ("sessions", "answers", "cards", "exam_attempts", "flags", "events")  # sessions before answers
MAX_SKIP = 1 << 24  # rowids to look past a damaged part when the table's last rowid cannot be read


@dataclass
class SalvageReport:
    kept: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    unreadable: bool = False  # the file could not be opened at all

    @property
    def answers(self) -> int:
        return self.kept.get("answers", 0)


def _open_copy(damaged: Path, folder: Path) -> sqlite3.Connection | None:
    """A connection to a copy of ``damaged`` (and its -wal) in ``folder``, or None if SQLite cannot read it."""
    copy = folder / "damaged.db"
    shutil.copyfile(damaged, copy)
    wal = damaged.with_name(damaged.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, folder / "damaged.db-wal")
    try:
        conn = sqlite3.connect(copy, timeout=1)
        conn.execute("SELECT name FROM sqlite_master").fetchall()
        return conn
    except sqlite3.DatabaseError:
        return None


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")').fetchall()]
    except sqlite3.DatabaseError:
        return []


def _edge_rowid(src: sqlite3.Connection, table: str, which: str) -> int | None:
    """min or max rowid (0 for an empty table), None if that edge of the b-tree cannot be read."""
    try:
        value = src.execute(f'SELECT {which}(rowid) FROM "{table}"').fetchone()[0]
        return int(value) if value is not None else 0
    except sqlite3.DatabaseError:
        return None


def _seek_works(src: sqlite3.Connection, table: str, rowid: int) -> bool:
    try:
        src.execute(f'SELECT rowid FROM "{table}" WHERE rowid >= ? ORDER BY rowid LIMIT 1', (rowid,)).fetchone()
        return True
    except sqlite3.DatabaseError:
        return False


def _next_readable(src: sqlite3.Connection, table: str, bad: int, last: int | None) -> int | None:
    """The first rowid after ``bad`` whose b-tree path can be read (None: none up to the end)."""
    step = 1
    while not _seek_works(src, table, bad + step):
        step *= 2
        if (last is not None and bad + step > last) or step > MAX_SKIP:
            return None
    lo, hi = bad + step // 2, bad + step  # lo fails (or is ``bad``), hi works: find the first that works
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if _seek_works(src, table, mid) else (mid, hi)
    return hi


def _readable_rows(src: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple]:
    """Every row that can be read, in rowid order: read on until an error, skip the damaged part, go on."""
    cols = ", ".join(f'"{c}"' for c in columns)
    select = f'SELECT rowid, {cols} FROM "{table}" WHERE rowid >= ? ORDER BY rowid'
    rows: list[tuple] = []
    last = _edge_rowid(src, table, "max")
    start = _edge_rowid(src, table, "min")
    if start is None and last is None:  # every path from the root fails: its root page is gone
        return rows
    start = start or 1
    while True:
        try:
            for row in src.execute(select, (start,)):
                rows.append(row[1:])
                start = row[0] + 1
            return rows
        except sqlite3.DatabaseError:
            found = _next_readable(src, table, start, last)
            if found is None:
                return rows
            start = found


def salvage(damaged: Path, fresh: sqlite3.Connection) -> SalvageReport:
    """Copy every readable row of ``damaged`` into ``fresh`` (already migrated); returns the counts."""
    with tempfile.TemporaryDirectory(prefix="quizapp-salvage-") as folder:
        try:
            src = _open_copy(damaged, Path(folder))
        except OSError:
            src = None
        if src is None:
            return SalvageReport(unreadable=True)
        try:
            return _copy_tables(src, fresh)
        finally:
            src.close()


def _copy_tables(src: sqlite3.Connection, fresh: sqlite3.Connection) -> SalvageReport:
    report = SalvageReport()
    try:
        fresh.execute("PRAGMA foreign_keys = OFF")
        fresh.execute("BEGIN IMMEDIATE")
        for table in TABLES:
            wanted = _columns(fresh, table)
            columns = [c for c in _columns(src, table) if c in wanted]
            if not columns:
                continue
            insert = f'INSERT OR IGNORE INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
            kept = 0
            for row in _readable_rows(src, table, columns):
                try:
                    kept += fresh.execute(insert, row).rowcount
                except sqlite3.DatabaseError:  # a row that breaks a constraint of the fresh schema
                    continue
            report.kept[table] = kept
        if "answers" in report.kept:
            fresh.execute("UPDATE answers SET session_id = NULL WHERE session_id NOT IN (SELECT id FROM sessions)")
        fresh.execute("COMMIT")
    except BaseException:
        if fresh.in_transaction:
            fresh.execute("ROLLBACK")
        raise
    finally:
        fresh.execute("PRAGMA foreign_keys = ON")
    return report
