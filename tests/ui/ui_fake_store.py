"""Stand-in for ``quizapp.progress`` used only while the real store is not importable.

Implements the agreed API in memory so the UI tests can run; conftest installs it under
the name ``quizapp.progress`` only if the real package fails to import.
"""

from __future__ import annotations

import types
from collections import namedtuple
from datetime import datetime, timedelta, timezone

Summary = namedtuple("Summary", "questions answered attempts correct accuracy due streak_days")


class FakeStore:
    recovery_message = None

    def __init__(self):
        self.answers = []  # (qid, chosen, correct, seconds, mode, now, session)
        self.sessions = {}

    def _now(self, now):
        return now or datetime.now(timezone.utc)

    def record_answer(self, question_id, chosen, correct, seconds, mode="practice", now=None, session_id=None):
        self.answers.append((question_id, tuple(chosen), bool(correct), seconds, mode, self._now(now), session_id))

    def start_session(self, mode):
        sid = len(self.sessions) + 1
        self.sessions[sid] = mode
        return sid

    def end_session(self, session_id):
        pass

    def last_session(self):
        if not self.sessions:
            return None
        sid = max(self.sessions)
        rows = [a for a in self.answers if a[6] == sid]
        return (self.sessions[sid], sum(a[2] for a in rows), len(rows))

    def _last(self, qid):
        rows = [a for a in self.answers if a[0] == qid]
        return rows[-1] if rows else None

    def _due(self, qid, now):
        last = self._last(qid)
        return last is not None and last[5] + (timedelta(days=3) if last[2] else timedelta(minutes=10)) <= now

    def review_queue(self, question_ids, now=None, limit=None):
        now = self._now(now)
        due = [q for q in question_ids if self._due(q, now)]
        missed = [q for q in question_ids if q not in due and self._last(q) and not self._last(q)[2]]
        out = due + missed
        return out[:limit] if limit else out

    def due_count(self, question_ids, now=None):
        return sum(self._due(q, self._now(now)) for q in question_ids)

    def summary(self, question_ids, now=None):
        rows = [a for a in self.answers if a[0] in set(question_ids)]
        correct = sum(a[2] for a in rows)
        answered = len({a[0] for a in rows})
        return Summary(len(question_ids), answered, len(rows), correct, correct / len(rows) if rows else None,
                       self.due_count(question_ids, now), 1 if rows else 0)

    def accuracy_by(self, questions, key):
        out = {}
        for a in self.answers:
            q = questions.get(a[0])
            if q is None:
                continue
            names = [q.domain] if key == "domain" else q.tags
            for name in names:
                t = out.setdefault(name, [0, 0])
                t[0] += 1
                t[1] += a[2]
        return [(n, t[0], t[1]) for n, t in sorted(out.items())]

    def answers_per_day(self, days=30, now=None):
        now = self._now(now)
        out = []
        for i in range(days - 1, -1, -1):
            day = (now - timedelta(days=i)).date()
            rows = [a for a in self.answers if a[5].date() == day]
            out.append((day, len(rows), sum(a[2] for a in rows)))
        return out

    def weakest_facts(self, questions, limit=5):
        out = {}
        for a in self.answers:
            for f in getattr(questions.get(a[0]), "covers", []):
                t = out.setdefault(f, [0, 0])
                t[0] += 1
                t[1] += a[2]
        rows = sorted(((f, t[0], t[1] / t[0]) for f, t in out.items()), key=lambda r: r[2])
        return rows[:limit]

    def due_forecast(self, question_ids, days=7, now=None):
        now = self._now(now)
        return [((now + timedelta(days=i)).date(), 0) for i in range(days)]

    def close(self):
        pass


def module() -> types.ModuleType:
    mod = types.ModuleType("quizapp.progress")
    mod.open_store = lambda data_dir=None: FakeStore()
    mod.rating_for = lambda correct, seconds: 3 if correct else 1
    return mod
