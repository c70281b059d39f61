"""A simulated UTC clock that runs due work in time order as it advances.

Anything that acts at set times (monitoring schedules, periodic alarm evaluation) joins the
clock as a *participant*: an object with ``next_due() -> datetime | None`` (the next time it
wants to act) and ``run_due(now)`` (act for everything due at or before ``now``, then move its
own next-due time on). ``advance``/``run_until`` step from one due time to the next, so work
from several participants interleaves in true time order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Protocol

from .utc import as_utc


class Participant(Protocol):
    def next_due(self) -> datetime | None: ...

    def run_due(self, now: datetime) -> None: ...


class SimulatedClock:
    """``clock.now`` only moves forward, through ``advance`` or ``run_until``."""

    def __init__(self, start: datetime | str):
        self._now = as_utc(start, name="start")
        self._participants: list[Participant] = []

    @property
    def now(self) -> datetime:
        return self._now

    def add_participant(self, participant: Participant) -> None:
        self._participants.append(participant)

    def every(self, interval: timedelta, action: Callable[[datetime], object], *, first: datetime | None = None):
        """Call ``action(time)`` every ``interval``, first at ``first`` (default: now + interval)."""
        if interval <= timedelta(0):
            raise ValueError(f"interval must be positive, got {interval}")
        task = _PeriodicTask(interval, action, as_utc(first) if first is not None else self._now + interval)
        self.add_participant(task)
        return task

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError(f"the clock cannot go backwards (advance by {delta})")
        return self.run_until(self._now + delta)

    def run_until(self, until: datetime | str) -> datetime:
        """Run every participant's work due at or before ``until`` in time order; then now = until."""
        until = as_utc(until, name="until")
        if until < self._now:
            raise ValueError(f"the clock cannot go backwards: now is {self._now.isoformat()}, asked for {until.isoformat()}")
        while True:
            due = [(p.next_due(), i) for i, p in enumerate(self._participants)]
            due = [(t, i) for t, i in due if t is not None and t <= until]
            if not due:
                break
            at, index = min(due)
            self._now = max(self._now, at)
            participant = self._participants[index]
            participant.run_due(self._now)
            following = participant.next_due()
            if following is not None and following <= at:
                raise RuntimeError(f"{participant!r} did not move its next due time past {at.isoformat()}")
        self._now = until
        return self._now


@dataclass
class _PeriodicTask:
    interval: timedelta
    action: Callable[[datetime], object]
    next_time: datetime
    stopped: bool = False

    def next_due(self) -> datetime | None:
        return None if self.stopped else self.next_time

    def run_due(self, now: datetime) -> None:
        while not self.stopped and self.next_time <= now:
            at, self.next_time = self.next_time, self.next_time + self.interval
            self.action(at)

    def stop(self) -> None:
        self.stopped = True
