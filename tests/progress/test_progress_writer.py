"""Progress writes on a background thread: in order, never blocking the caller, nothing lost on kill -9."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

from progress_helpers import at

from quizapp.progress import open_store
from quizapp.progress.writer import ProgressWriter

from tests.conftest import REPO


def answer(i: int):
    return lambda store: store.record_answer(f"q{i:03d}", ["A"], i % 2 == 0, 1, now=at(i))


def saved_ids(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [qid for (qid,) in conn.execute("SELECT question_id FROM answers ORDER BY id")]
    finally:
        conn.close()


def test_writes_land_in_the_order_they_were_given(store):
    writer = ProgressWriter(store)
    for i in range(40):
        writer.submit(answer(i))
    assert writer.wait(10) and writer.pending == 0
    assert saved_ids(store.path) == [f"q{i:03d}" for i in range(40)]
    assert writer.close() == 0


def test_a_locked_database_never_blocks_the_caller_and_the_write_lands_after(store):
    writer = ProgressWriter(store, lock_timeout=0.2)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        started = time.perf_counter()
        for i in range(3):
            writer.submit(answer(i))
        assert time.perf_counter() - started < 0.05
        assert not writer.wait(1.0)  # still waiting for the lock, retrying
        assert saved_ids(store.path) == []
        assert store.summary(["q000"]).attempts == 0  # reading goes on meanwhile (WAL)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert writer.wait(10)
    assert saved_ids(store.path) == ["q000", "q001", "q002"]
    writer.close()


def test_a_failed_write_is_reported_and_the_next_one_goes_on(store):
    errors = []
    writer = ProgressWriter(store, on_error=errors.append)
    writer.submit(lambda s: s.record_answer("", ["A"], True, 1))  # refused: empty id
    writer.submit(answer(1))
    assert writer.wait(10)
    assert [type(e) for e in errors] == [ValueError] and saved_ids(store.path) == ["q001"]
    writer.close()


CHILD = (
    "import sys, time\n"
    "from datetime import datetime, timezone\n"
    "from quizapp.progress import open_store\n"
    "from quizapp.progress.writer import ProgressWriter\n"
    "store = open_store(sys.argv[1])\n"
    "done = [0]\n"
    "def saved():\n"
    "    done[0] += 1\n"
    "    print(done[0], flush=True)\n"
    "writer = ProgressWriter(store, on_saved=saved)\n"
    "t = datetime(2025, 3, 10, tzinfo=timezone.utc)\n"
    "for i in range(400):\n"
    "    writer.submit(lambda s, i=i: s.record_answer(f'q{i:03d}', ['A'], True, 1, now=t))\n"
    "time.sleep(60)\n"
)


def run_and_kill(data_dir, after: int) -> int:
    """Start a process writing 400 answers; kill -9 it once ``after`` are reported saved."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        for line in proc.stdout:
            if int(line) >= after:
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(30)
    return after


def test_kill_9_keeps_every_saved_answer_in_order(data_dir):
    run_and_kill(data_dir, after=400)
    with open_store(data_dir) as store:
        assert store.recovery_message is None
    assert saved_ids(data_dir / "progress.db") == [f"q{i:03d}" for i in range(400)]


def test_kill_9_mid_stream_leaves_a_prefix_of_the_answers(data_dir):
    run_and_kill(data_dir, after=50)
    ids = saved_ids(data_dir / "progress.db")
    assert len(ids) >= 50
    assert ids == [f"q{i:03d}" for i in range(len(ids))]  # no gap, no reordering
