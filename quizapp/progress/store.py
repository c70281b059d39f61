"""The progress store: answers, sessions and FSRS cards in one SQLite file (``progress.db``).

* Where: ``data_dir`` argument > ``$QUIZAPP_DATA_DIR`` > ``platformdirs.user_data_dir("quizapp")``.
* WAL journal; every answer is one transaction (the answer row and the card update commit together).
* A file that is not SQLite or fails ``PRAGMA quick_check`` is renamed aside to
  ``progress.db.corrupt-YYYYmmddTHHMMSS`` (with its ``-wal``/``-shm``/``-journal``; never overwritten,
  never deleted), a fresh database is started, every row SQLite can still read from the damaged
  copy is copied into it (``salvage.py``), and ``recovery_message`` says where the file went and
  how many answers were kept.
* A data folder that cannot be written (read-only, full, locked by another program) does not stop
  the app: the store works on an in-memory copy of whatever history it can read, ``saving`` is
  False and ``not_saved_message`` says why progress will not be kept (the UI shows it as a banner).
* Progress is keyed by question id; the queue and counts take the current ids, so deleted
  questions keep their history but drop out.
* Every timestamp is stored as UTC. Calendar days (streaks, per-day counts, forecasts) are taken in
  ``tz`` -- the computer's local time zone unless one is given.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from fsrs import Card

from quizapp.data_dir import APP_NAME, ENV_VAR, resolve_data_dir  # noqa: F401 (re-exported)
from quizapp.progress.schema import migrate
from quizapp.progress.scheduling import from_text, new_card, new_scheduler, rating_for, to_text, utc

if TYPE_CHECKING:
    from quizapp.content.model import Question

DB_NAME = "progress.db"
SQLITE_MAGIC = b"SQLite format 3\x00"
_CORRUPTION_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_COMPANIONS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Summary:
    questions: int  # current questions
    answered: int  # distinct current questions answered at least once
    attempts: int  # answers to current questions
    correct: int
    accuracy: float | None  # correct / attempts, None before the first answer
    due: int  # cards due now among current questions
    streak_days: int  # consecutive days with answers, ending today or yesterday


@dataclass(frozen=True)
class ReviewOutcome:
    """What one answer did to its question's card: the rating used and when the question comes back."""

    answer_id: int
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    chosen: bool  # True when the learner picked the rating (keys 1-4), False when it was automatic
    due: datetime  # UTC, aware
    interval: timedelta  # due - answer time


@dataclass(frozen=True)
class ExamRecord:
    id: int
    started_at: datetime
    finished_at: datetime
    score: int
    total: int
    passed: bool
    result: dict  # breakdown as stored (by_domain, by_tag, questions, seconds_used, pass_mark)


@dataclass(frozen=True)
class AnswerRecord:
    question_id: str
    chosen: list[str]
    correct: bool
    seconds: float
    mode: str
    answered_at: datetime  # UTC, aware
    session_id: int | None = None


def open_store(
    data_dir: Path | str | None = None, *, tz: tzinfo | None = None, now: datetime | None = None
) -> ProgressStore:
    """Open (creating folders and file as needed) ``progress.db`` in the resolved data dir.

    ``tz`` fixes the time zone used for calendar days (default: the computer's); ``now`` is only
    used to name a corrupt file that gets set aside.
    """
    directory = resolve_data_dir(data_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the store cannot open a file there either and says so (not_saved_message)
    return ProgressStore(directory / DB_NAME, tz=tz, now=now)


def _is_corruption(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _CORRUPTION_CODES
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def _corruption_reason(path: Path) -> str | None:
    """Why ``path`` is unusable, or None when it is fine, absent, empty or cannot be checked now."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return None
    if not head:
        return None  # an empty file is a valid, empty database
    if head != SQLITE_MAGIC:
        return "not a SQLite database file"
    try:
        # read-only, so checking never rewrites a damaged file or checkpoints its WAL into it
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if _is_corruption(exc):
            return str(exc)
        return None  # locked, no permission, ...: the normal open reports it
    problems = [str(row[0]) for row in rows if row and row[0] != "ok"]
    if problems:
        return "failed PRAGMA quick_check: " + "; ".join(problems[:3])
    return None


def _move(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst`` without ever replacing an existing ``dst``."""
    try:
        os.link(src, dst)  # atomic "create if absent"
    except FileExistsError:
        raise
    except OSError:  # no hard links on this file system
        if os.path.lexists(dst):
            raise FileExistsError(dst) from None
        os.rename(src, dst)
        return
    os.unlink(src)


def _set_aside(path: Path, now: datetime | None) -> Path:
    """Rename ``path`` (and its -wal/-shm/-journal) to a fresh ``<name>.corrupt-<UTC time>``."""
    stamp = utc(now).strftime("%Y%m%dT%H%M%S")
    for n in itertools.count(1):
        name = f"{path.name}.corrupt-{stamp}" + ("" if n == 1 else f"-{n}")
        target = path.with_name(name)
        pairs = [(path.with_name(path.name + s), path.with_name(name + s)) for s in _COMPANIONS]
        if os.path.lexists(target) or any(os.path.lexists(dst) for _, dst in pairs):
            continue
        try:
            _move(path, target)
        except FileExistsError:
            continue
        for src, dst in pairs:
            if os.path.lexists(src):
                _move(src, dst)
        return target
    raise AssertionError("unreachable")


class ProgressStore:
    """Answers, sessions and spaced-review state. Safe to share between threads (one lock)."""

    path: Path
    recovery_message: str | None
    not_saved_message: str | None  # set when the data folder cannot be written: nothing is kept

    def __init__(self, path: Path | str, *, tz: tzinfo | None = None, now: datetime | None = None) -> None:
        self.path = Path(path)
        self.tz = tz
        self.recovery_message = None
        self.not_saved_message = None
        self._lock = threading.RLock()
        self._scheduler = new_scheduler()
        self._conn = self._open(now)

    # -- opening -------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)  # before switching to WAL, so a failed upgrade leaves the old file untouched
            conn.execute("PRAGMA journal_mode = WAL")
        except BaseException:
            conn.close()
            raise
        return conn

    def another_connection(self, lock_timeout: float = 5.0) -> ProgressStore:
        """The same store on a second connection to the same file (for a writer thread).

        No corruption check and no migration: this store already did both.
        """
        other = object.__new__(ProgressStore)
        other.path, other.tz = self.path, self.tz
        other.recovery_message, other.not_saved_message = None, self.not_saved_message
        other._lock = threading.RLock()
        other._scheduler = new_scheduler()
        other._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=lock_timeout)
        other._conn.execute("PRAGMA foreign_keys = ON")
        return other

    @property
    def saving(self) -> bool:
        """False when answers go to an in-memory copy because the data folder cannot be written."""
        return self.not_saved_message is None

    def _open(self, now: datetime | None) -> sqlite3.Connection:
        try:
            return self._open_file(now)
        except (sqlite3.OperationalError, OSError) as exc:
            return self._open_in_memory(exc)

    def _open_in_memory(self, exc: BaseException) -> sqlite3.Connection:
        """A store in memory, starting from whatever the file still lets us read."""
        reason = getattr(exc, "strerror", None) or str(exc)
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        for options in ("mode=ro", "mode=ro&immutable=1"):  # immutable: a WAL database in a read-only folder
            try:
                source = sqlite3.connect(f"{self.path.resolve().as_uri()}?{options}", uri=True, timeout=1)
                try:
                    source.backup(conn)
                finally:
                    source.close()
                break
            except (sqlite3.DatabaseError, OSError):
                continue
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            migrate(conn)
        except sqlite3.DatabaseError:  # an unreadable copy: start empty
            conn.close()
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        self.not_saved_message = (
            f"Progress will NOT be saved: {self.path} cannot be written ({reason}). "
            "You can study, but answers from this run are lost when you quit; "
            f"use --data-dir DIR or ${ENV_VAR} to choose a writable folder."
        )
        return conn

    def _open_file(self, now: datetime | None) -> sqlite3.Connection:
        reason = _corruption_reason(self.path)
        if reason is None:
            try:
                return self._connect()
            except sqlite3.DatabaseError as exc:
                if not _is_corruption(exc):
                    raise
                reason = str(exc)
        from quizapp.progress.salvage import salvage

        moved = _set_aside(self.path, now)
        conn = self._connect()
        report = salvage(moved, conn)
        answers = f"{report.answers} answer{'s' * (report.answers != 1)}"
        self.recovery_message = (
            f"The progress database could not be read ({reason}). It was moved to {moved}; "
            + (f"{answers} could still be read and were kept in a new database at {self.path}."
               if report.answers else f"no answers could be read from it, and a new, empty one was started at {self.path}.")
        )
        conn.execute(
            "INSERT INTO events (at, kind, message) VALUES (?, 'recovery', ?)", (to_text(utc(now)), self.recovery_message)
        )
        return conn

    # -- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _day(self, moment: datetime) -> date:
        """The calendar day of an instant in the store's time zone."""
        return (moment.astimezone(self.tz) if self.tz is not None else moment.astimezone()).date()

    def _day_start(self, day: date) -> datetime:
        start = datetime.combine(day, time(0))
        return start.replace(tzinfo=self.tz) if self.tz is not None else start.astimezone()

    def _per_question(self) -> dict[str, tuple[int, int]]:
        rows = self._query("SELECT question_id, COUNT(*), SUM(correct) FROM answers GROUP BY question_id")
        return {qid: (int(n), int(c or 0)) for qid, n, c in rows}

    def _cards(self) -> list[tuple[str, datetime]]:
        return [(qid, from_text(due)) for qid, due in self._query("SELECT question_id, due FROM cards")]

    # -- recording ------------------------------------------------------------------------------

    def record_answer(
        self,
        question_id: str,
        chosen: Iterable[str],
        correct: bool,
        seconds: float,
        mode: str = "practice",
        now: datetime | None = None,
        session_id: int | None = None,
        *,
        expected_seconds: float = 60.0,
    ) -> ReviewOutcome:
        """Store one answer and update the question's FSRS card, in a single transaction.

        The rating comes from correctness and time (``rating_for``); ``override_rating`` can
        replace it afterwards. Returns the rating and when the question is due again.
        """
        if not isinstance(question_id, str) or not question_id:
            raise ValueError(f"question_id must be a non-empty string, not {question_id!r}")
        moment = utc(now)
        letters = sorted(str(letter) for letter in chosen)
        secs = float(seconds)
        secs = max(0.0, secs) if math.isfinite(secs) else 0.0
        correct = bool(correct)
        rating = rating_for(correct, secs, expected_seconds)
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO answers (question_id, chosen, correct, seconds, answered_at, mode, session_id, rating)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (question_id, json.dumps(letters), int(correct), secs, to_text(moment), str(mode), session_id, int(rating)),
            )
            row = conn.execute("SELECT card FROM cards WHERE question_id = ?", (question_id,)).fetchone()
            previous = row[0] if row else None
            card = self._review(conn, question_id, previous, rating, moment, secs)
            return ReviewOutcome(int(cursor.lastrowid), int(rating), False, card.due, card.due - moment)

    def _review(self, conn: sqlite3.Connection, question_id: str, previous: str | None, rating, moment: datetime, secs: float) -> Card:
        """Schedule the card from its ``previous`` state (JSON, None for a new card) and store both."""
        card = Card.from_json(previous) if previous else new_card(question_id, moment)
        card, _ = self._scheduler.review_card(card, rating, review_datetime=moment, review_duration=int(round(secs * 1000)))
        conn.execute(
            "INSERT INTO cards (question_id, card_id, card, due, previous) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (question_id) DO UPDATE SET card_id = excluded.card_id, card = excluded.card,"
            " due = excluded.due, previous = excluded.previous",
            (question_id, card.card_id, card.to_json(), to_text(card.due), previous),
        )
        return card

    def override_rating(self, answer_id: int, rating: int) -> ReviewOutcome:
        """Replace the automatic rating of the latest answer to its question by the learner's
        (1 Again .. 4 Easy): the card is re-scheduled from its state before that answer; the
        answer row stays the one row, now carrying the chosen rating."""
        from fsrs import Rating

        rating = Rating(int(rating))
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT question_id, seconds, answered_at FROM answers WHERE id = ?", (answer_id,)
            ).fetchone()
            if row is None:
                raise KeyError(f"no answer with id {answer_id}")
            question_id, secs, answered_at = row
            latest = conn.execute(
                "SELECT MAX(id) FROM answers WHERE question_id = ?", (question_id,)
            ).fetchone()[0]
            if latest != answer_id:
                raise ValueError("only the latest answer to a question can be re-rated")
            card_row = conn.execute("SELECT previous FROM cards WHERE question_id = ?", (question_id,)).fetchone()
            previous = card_row[0] if card_row else None
            moment = from_text(answered_at)
            card = self._review(conn, question_id, previous, rating, moment, float(secs))
            conn.execute("UPDATE answers SET rating = ?, rating_chosen = 1 WHERE id = ?", (int(rating), answer_id))
            return ReviewOutcome(answer_id, int(rating), True, card.due, card.due - moment)

    def start_session(self, mode: str, now: datetime | None = None) -> int:
        with self._transaction() as conn:
            cursor = conn.execute("INSERT INTO sessions (mode, started_at) VALUES (?, ?)", (str(mode), to_text(utc(now))))
            return int(cursor.lastrowid)

    def end_session(self, session_id: int, now: datetime | None = None) -> None:
        """Mark the session ended and store its score (correct, total) from its answers."""
        moment = utc(now)
        with self._transaction() as conn:
            total, right = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM answers WHERE session_id = ?", (session_id,)
            ).fetchone()
            cursor = conn.execute(
                "UPDATE sessions SET ended_at = ?, correct = ?, total = ? WHERE id = ?",
                (to_text(moment), int(right), int(total), session_id),
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no session with id {session_id}")

    def last_session(self) -> tuple[str, int, int] | None:
        """(mode, correct, total) of the most recently ended session that has answers."""
        rows = self._query(
            "SELECT mode, correct, total FROM sessions WHERE ended_at IS NOT NULL AND total > 0"
            " ORDER BY ended_at DESC, id DESC LIMIT 1"
        )
        return (rows[0][0], int(rows[0][1]), int(rows[0][2])) if rows else None

    # -- review queue ---------------------------------------------------------------------------

    def review_queue(
        self, question_ids: Iterable[str], now: datetime | None = None, limit: int | None = None
    ) -> list[str]:
        """Due cards (most overdue first), then recent misses not yet due (newest miss first).

        Only ids in ``question_ids``; questions never answered are not included.
        """
        ids = set(question_ids)
        moment = utc(now)
        due = sorted((when, qid) for qid, when in self._cards() if qid in ids and when <= moment)
        queue = [qid for _, qid in due]
        taken = set(queue)
        last_wrong = self._query(
            "SELECT question_id, answered_at FROM ("
            " SELECT question_id, correct, answered_at,"
            "  ROW_NUMBER() OVER (PARTITION BY question_id ORDER BY answered_at DESC, id DESC) AS rn"
            " FROM answers) WHERE rn = 1 AND correct = 0"
        )
        misses = sorted((qid, at) for qid, at in last_wrong if qid in ids and qid not in taken)
        misses.sort(key=lambda miss: miss[1], reverse=True)  # stable: ties stay in id order
        queue.extend(qid for qid, _ in misses)
        if limit is not None:
            queue = queue[: max(0, limit)]
        return queue

    def due_count(self, question_ids: Iterable[str], now: datetime | None = None) -> int:
        ids = set(question_ids)
        moment = utc(now)
        return sum(1 for qid, when in self._cards() if qid in ids and when <= moment)

    # -- statistics -----------------------------------------------------------------------------

    def summary(self, question_ids: Iterable[str], now: datetime | None = None) -> Summary:
        """Counts over the current questions (answers to deleted ones are left out, except in the streak)."""
        ids = set(question_ids)
        moment = utc(now)
        stats = [v for qid, v in self._per_question().items() if qid in ids]
        attempts = sum(n for n, _ in stats)
        right = sum(c for _, c in stats)
        return Summary(
            questions=len(ids),
            answered=len(stats),
            attempts=attempts,
            correct=right,
            accuracy=right / attempts if attempts else None,
            due=self.due_count(ids, now=moment),
            streak_days=self._streak(moment),
        )

    def _streak(self, moment: datetime) -> int:
        days = {self._day(from_text(at)) for (at,) in self._query("SELECT answered_at FROM answers")}
        today = self._day(moment)
        day = today if today in days else today - timedelta(days=1)
        streak = 0
        while day in days:
            streak += 1
            day -= timedelta(days=1)
        return streak

    def accuracy_by(self, questions: Mapping[str, Question], key: str) -> list[tuple[str, int, int]]:
        """(name, attempts, correct) per domain (``key="domain"``) or tag (``key="tag"``), sorted by name.

        Only names with at least one attempt; an answer counts once for each tag of its question.
        """
        if key in ("domain", "domains"):

            def names(q: Question) -> list[str]:
                return [str(q.domain)]

        elif key in ("tag", "tags"):

            def names(q: Question) -> list[str]:
                return list(dict.fromkeys(str(t) for t in q.tags))

        else:
            raise ValueError(f"key must be 'domain' or 'tag', not {key!r}")
        totals: dict[str, list[int]] = {}
        for qid, (n, c) in self._per_question().items():
            question = questions.get(qid)
            if question is None:
                continue
            for name in names(question):
                entry = totals.setdefault(name, [0, 0])
                entry[0] += n
                entry[1] += c
        return [(name, n, c) for name, (n, c) in sorted(totals.items()) if n > 0]

    def answers_per_day(self, days: int = 30, now: datetime | None = None) -> list[tuple[date, int, int]]:
        """(day, attempts, correct) for each of the last ``days`` days ending today, oldest first."""
        if days <= 0:
            return []
        today = self._day(utc(now))
        first = today - timedelta(days=days - 1)
        # generous UTC bounds; the exact day comes from _day()
        lower = to_text(self._day_start(first) - timedelta(days=1))
        upper = to_text(self._day_start(today) + timedelta(days=2))
        counts = {first + timedelta(days=i): [0, 0] for i in range(days)}
        rows = self._query(
            "SELECT answered_at, correct FROM answers WHERE answered_at >= ? AND answered_at < ?", (lower, upper)
        )
        for at, c in rows:
            entry = counts.get(self._day(from_text(at)))
            if entry is not None:
                entry[0] += 1
                entry[1] += int(c)
        return [(day, n, c) for day, (n, c) in counts.items()]

    def weakest_facts(self, questions: Mapping[str, Question], limit: int = 5) -> list[tuple[str, int, float]]:
        """(fact id, attempts, accuracy) for facts covered by answered questions, lowest accuracy first.

        Ties: more attempts first, then fact id.
        """
        totals: dict[str, list[int]] = {}
        for qid, (n, c) in self._per_question().items():
            question = questions.get(qid)
            if question is None:
                continue
            for fact in dict.fromkeys(question.covers):
                entry = totals.setdefault(str(fact), [0, 0])
                entry[0] += n
                entry[1] += c
        facts = [(fact, n, c / n) for fact, (n, c) in totals.items() if n > 0]
        facts.sort(key=lambda f: (f[2], -f[1], f[0]))
        return facts[: max(0, limit)]

    def card_counts(self, question_ids: Iterable[str], now: datetime | None = None) -> dict[str, int]:
        """Anki-style counts over the current questions: ``new`` (never answered), ``learning``
        (FSRS Learning/Relearning), ``review`` (in Review) and ``due`` (any card due now)."""
        from fsrs import Card, State

        ids = set(question_ids)
        moment = utc(now)
        counts = {"new": 0, "learning": 0, "review": 0, "due": 0}
        seen = set()
        for qid, card_json, due in self._query("SELECT question_id, card, due FROM cards"):
            if qid not in ids:
                continue
            seen.add(qid)
            state = Card.from_json(card_json).state
            counts["review" if state == State.Review else "learning"] += 1
            counts["due"] += from_text(due) <= moment
        counts["new"] = len(ids - seen)
        return counts

    def studied_today(self, now: datetime | None = None) -> dict[str, int]:
        """Today's use of the daily limits: ``new`` (questions first answered today) and
        ``reviews`` (answers today to questions first answered on an earlier day)."""
        moment = utc(now)
        start = to_text(self._day_start(self._day(moment)))
        rows = self._query(
            "SELECT a.question_id, a.answered_at >= ? AS today, f.first >= ? AS new_today FROM answers a"
            " JOIN (SELECT question_id, MIN(answered_at) AS first FROM answers GROUP BY question_id) f"
            " USING (question_id) WHERE a.answered_at >= ?",
            (start, start, start),
        )
        new = {qid for qid, _, new_today in rows if new_today}
        reviews = sum(1 for _, _, new_today in rows if not new_today)
        return {"new": len(new), "reviews": reviews}

    def due_forecast(
        self, question_ids: Iterable[str], days: int = 7, now: datetime | None = None
    ) -> list[tuple[date, int]]:
        """Cards coming due on each of the next ``days`` days, today first (today includes overdue)."""
        if days <= 0:
            return []
        ids = set(question_ids)
        today = self._day(utc(now))
        counts = [0] * days
        for qid, when in self._cards():
            if qid not in ids:
                continue
            offset = max(0, (self._day(when) - today).days)
            if offset < days:
                counts[offset] += 1
        return [(today + timedelta(days=i), counts[i]) for i in range(days)]

    def history(self, question_id: str) -> list[AnswerRecord]:
        """Every answer to ``question_id`` (even a deleted question), oldest first."""
        rows = self._query(
            "SELECT question_id, chosen, correct, seconds, mode, answered_at, session_id FROM answers"
            " WHERE question_id = ? ORDER BY answered_at, id",
            (question_id,),
        )
        return [
            AnswerRecord(
                question_id=qid,
                chosen=list(json.loads(chosen)),
                correct=bool(c),
                seconds=float(secs),
                mode=mode,
                answered_at=from_text(at),
                session_id=sid,
            )
            for qid, chosen, c, secs, mode, at, sid in rows
        ]

    # -- lifetime -------------------------------------------------------------------------------

    # -- flagged questions -------------------------------------------------------------------------

    def set_flag(self, question_id: str, flagged: bool, now: datetime | None = None) -> None:
        with self._transaction() as conn:
            if flagged:
                conn.execute(
                    "INSERT OR IGNORE INTO flags (question_id, flagged_at) VALUES (?, ?)", (question_id, to_text(utc(now)))
                )
            else:
                conn.execute("DELETE FROM flags WHERE question_id = ?", (question_id,))

    def flagged(self) -> set[str]:
        """Every flagged question id (ids of deleted questions too; callers intersect with the bank)."""
        return {qid for (qid,) in self._query("SELECT question_id FROM flags")}

    # -- exam attempts (resumable: saved after every answer) ----------------------------------------

    def start_exam(self, state: dict, now: datetime | None = None) -> int:
        stamp = to_text(utc(now))
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO exam_attempts (started_at, saved_at, state) VALUES (?, ?, ?)", (stamp, stamp, json.dumps(state))
            )
            return int(cursor.lastrowid)

    def save_exam(self, exam_id: int, state: dict, now: datetime | None = None) -> None:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE exam_attempts SET state = ?, saved_at = ? WHERE id = ? AND finished_at IS NULL",
                (json.dumps(state), to_text(utc(now)), exam_id),
            )

    def finish_exam(self, exam_id: int, state: dict, result, now: datetime | None = None) -> None:
        """Store the final state and the result (an ExamResult or anything with the same fields)."""
        from dataclasses import asdict, is_dataclass

        data = asdict(result) if is_dataclass(result) else dict(result)
        with self._transaction() as conn:
            conn.execute(
                "UPDATE exam_attempts SET state = ?, saved_at = ?, finished_at = ?, score = ?, total = ?, passed = ?, result = ?"
                " WHERE id = ?",
                (json.dumps(state), to_text(utc(now)), to_text(utc(now)), int(data["score"]), int(data["total"]),
                 int(bool(data["passed"])), json.dumps(data), exam_id),
            )

    def unfinished_exam(self) -> tuple[int, dict] | None:
        """The most recently saved exam that was not submitted, to offer resuming it."""
        rows = self._query("SELECT id, state FROM exam_attempts WHERE finished_at IS NULL ORDER BY saved_at DESC, id DESC LIMIT 1")
        return (int(rows[0][0]), json.loads(rows[0][1])) if rows else None

    def discard_exam(self, exam_id: int) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM exam_attempts WHERE id = ? AND finished_at IS NULL", (exam_id,))

    def finished_exam(self, exam_id: int) -> tuple[dict, dict] | None:
        """(saved state, stored result) of a submitted exam, to reopen it question by question."""
        rows = self._query("SELECT state, result FROM exam_attempts WHERE id = ? AND finished_at IS NOT NULL", (exam_id,))
        return (json.loads(rows[0][0]), json.loads(rows[0][1] or "{}")) if rows else None

    def accuracy_by_mode(self, question_ids: Iterable[str]) -> list[tuple[str, int, int]]:
        """(mode, attempts, correct) per answer mode (practice, review, exam), sorted by mode."""
        ids = set(question_ids)
        totals: dict[str, list[int]] = {}
        for qid, mode, n, c in self._query("SELECT question_id, mode, COUNT(*), SUM(correct) FROM answers GROUP BY question_id, mode"):
            if qid in ids:
                entry = totals.setdefault(str(mode), [0, 0])
                entry[0] += int(n)
                entry[1] += int(c or 0)
        return [(mode, n, c) for mode, (n, c) in sorted(totals.items())]

    def exam_history(self, limit: int = 10) -> list[ExamRecord]:
        rows = self._query(
            "SELECT id, started_at, finished_at, score, total, passed, result FROM exam_attempts"
            " WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [
            ExamRecord(int(i), from_text(s), from_text(f), int(sc), int(t), bool(p), json.loads(r or "{}"))
            for i, s, f, sc, t, p, r in rows
        ]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
