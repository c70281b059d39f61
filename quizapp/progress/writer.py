"""Progress writes off the UI thread: one background thread runs them in the order they were given.

The key handler that grades an answer only queues the write, so a database locked by another
program can never freeze the screen. The thread has a connection of its own (SQLite's WAL lets the
UI's connection keep reading meanwhile); each write is still one committed transaction, so what
a kill -9 leaves behind is always every answer up to some point, in order. A write that finds the
database locked or busy is retried until it goes through; any other failure is reported through
``on_error`` and the next write goes on.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from typing import Callable

from quizapp.progress.store import ProgressStore

Job = Callable[[ProgressStore], object]
RETRY_SECONDS = 0.5


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class ProgressWriter:
    def __init__(self, store: ProgressStore, on_error: Callable[[BaseException], None] | None = None,
                 on_saved: Callable[[], None] | None = None, lock_timeout: float = 5.0):
        self.store = store
        self.on_error = on_error or (lambda exc: None)
        self.on_saved = on_saved or (lambda: None)
        # its own connection to the same file; an in-memory store (nothing saved) is shared
        self._target = store.another_connection(lock_timeout) if store.saving else store
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._idle = threading.Condition()
        self._pending = 0
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="progress-writer", daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> None:
        """Queue ``job(store)``; returns at once."""
        with self._idle:
            self._pending += 1
        self._jobs.put(job)

    @property
    def pending(self) -> int:
        with self._idle:
            return self._pending

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued write is done (True), or ``timeout`` passed (False)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float | None = 10.0) -> int:
        """Finish the queued writes (up to ``timeout`` seconds) and stop; returns how many were not written."""
        done = self.wait(timeout)
        with self._idle:
            self._closing = True
            left = self._pending
        self._jobs.put(None)
        if done:
            self._thread.join(timeout)
        if self._target is not self.store:
            if self._thread.is_alive():  # stuck on a lock: leave the connection to the daemon thread
                return left
            self._target.close()
        return left

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            while True:
                try:
                    job(self._target)
                except Exception as exc:  # noqa: BLE001 - reported, and the next write goes on
                    if _is_busy(exc) and not self._closing:
                        time.sleep(RETRY_SECONDS)
                        continue
                    self.on_error(exc)
                break
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()
            self.on_saved()
