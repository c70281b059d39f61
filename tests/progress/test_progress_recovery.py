"""Where the database lives, and what happens to a damaged one."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timezone
from pathlib import Path

import platformdirs
import pytest
from progress_helpers import T0, at, sql

from quizapp.progress import open_store, resolve_data_dir

GARBAGE = bytes(range(256)) * 40 + b"definitely not a database"


def corrupt_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".corrupt-" in p.name)


def test_garbage_file_is_set_aside_byte_for_byte_and_a_new_database_works(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "progress.db").write_bytes(GARBAGE)
    (data_dir / "progress.db-wal").write_bytes(b"old wal")
    (data_dir / "progress.db-shm").write_bytes(b"old shm")

    store = open_store(data_dir, now=T0)
    moved = data_dir / "progress.db.corrupt-20250310T100000"
    assert store.recovery_message is not None
    assert str(moved) in store.recovery_message
    assert moved.read_bytes() == GARBAGE
    assert (data_dir / "progress.db.corrupt-20250310T100000-wal").read_bytes() == b"old wal"
    assert (data_dir / "progress.db.corrupt-20250310T100000-shm").read_bytes() == b"old shm"
    # the message is also kept in the new database
    assert sql(store.path, "SELECT message FROM events") == [(store.recovery_message,)]

    store.record_answer("q1", ["A"], True, 10, now=T0)
    store.close()
    store = open_store(data_dir, now=at(1))
    assert store.recovery_message is None  # the new database is healthy
    assert [r.correct for r in store.history("q1")] == [True]
    store.close()
    assert moved.read_bytes() == GARBAGE
    assert corrupt_files(data_dir) == [
        "progress.db.corrupt-20250310T100000",
        "progress.db.corrupt-20250310T100000-shm",
        "progress.db.corrupt-20250310T100000-wal",
    ]


def test_an_earlier_corrupt_copy_is_never_overwritten(data_dir):
    data_dir.mkdir(parents=True)
    earlier = data_dir / "progress.db.corrupt-20250310T100000"
    earlier.write_bytes(b"first damaged copy")
    (data_dir / "progress.db").write_bytes(GARBAGE)

    store = open_store(data_dir, now=T0)  # the same second as the earlier copy's name
    store.close()
    assert earlier.read_bytes() == b"first damaged copy"
    (second,) = [n for n in corrupt_files(data_dir) if n != earlier.name]
    assert (data_dir / second).read_bytes() == GARBAGE
    assert second in store.recovery_message


def damaged_copy(data_dir, first_bad_page: int | None) -> bytes:
    """A real store with 300 answers, then pages from ``first_bad_page`` (default: the last two) overwritten."""
    with open_store(data_dir, tz=timezone.utc) as store:
        for i in range(300):
            store.record_answer(f"question-{i:04d}", ["A", "B"], i % 3 == 0, i, now=at(i))
    db = data_dir / "progress.db"
    assert not (data_dir / "progress.db-wal").exists() or (data_dir / "progress.db-wal").stat().st_size == 0
    content = bytearray(db.read_bytes())
    page = 4096
    assert content[:16] == b"SQLite format 3\x00" and len(content) > 8 * page
    start = page * first_bad_page if first_bad_page is not None else len(content) - 2 * page
    content[start:] = bytes([0xA5]) * (len(content) - start)
    db.write_bytes(bytes(content))
    return bytes(content)


@pytest.mark.parametrize("first_bad_page", [1, None], ids=["all-but-header", "last-pages-only"])
def test_a_sqlite_file_that_fails_the_integrity_check_is_set_aside(data_dir, first_bad_page):
    content = damaged_copy(data_dir, first_bad_page)
    store = open_store(data_dir, now=T0)
    moved = data_dir / "progress.db.corrupt-20250310T100000"
    assert store.recovery_message is not None and str(moved) in store.recovery_message
    assert moved.read_bytes() == content
    if first_bad_page == 1:  # nothing but the header is left: nothing to salvage
        assert store.history("question-0000") == [] and "no answers could be read" in store.recovery_message
    store.record_answer("q1", ["A"], True, 10, now=T0)
    store.close()


def test_a_readable_file_that_fails_quick_check_is_set_aside(data_dir):
    """Every query still works, only PRAGMA quick_check notices: a page no table or free list owns."""
    with open_store(data_dir) as store:
        store.record_answer("q1", ["A"], True, 10, now=T0)
    db = data_dir / "progress.db"
    content = bytearray(db.read_bytes())
    page_size = int.from_bytes(content[16:18], "big")
    pages = int.from_bytes(content[28:32], "big")
    content[28:32] = (pages + 1).to_bytes(4, "big")  # header claims one more page ...
    content += bytes(page_size)  # ... which nothing uses
    db.write_bytes(bytes(content))
    assert sql(f"file:{db}?mode=ro", "SELECT COUNT(*) FROM answers", uri=True) == [(1,)]
    assert sql(f"file:{db}?mode=ro", "PRAGMA quick_check", uri=True) != [("ok",)]

    with open_store(data_dir, now=T0) as store:
        moved = data_dir / "progress.db.corrupt-20250310T100000"
        assert str(moved) in store.recovery_message and "quick_check" in store.recovery_message
        assert moved.read_bytes() == bytes(content)
        assert len(store.history("q1")) == 1 and "1 answer could still be read" in store.recovery_message


def test_a_crash_with_a_live_wal_is_not_mistaken_for_corruption(data_dir):
    """A process that dies without closing leaves -wal/-shm behind; its answers must all be there."""
    code = (
        "import os, sys; from datetime import datetime, timezone; from quizapp.progress import open_store\n"
        "s = open_store(sys.argv[1])\n"
        "t = datetime(2025, 3, 10, 10, 0, tzinfo=timezone.utc)\n"
        "for i in range(20): s.record_answer(f'q{i}', ['A'], True, 10, now=t)\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)
    assert (data_dir / "progress.db-wal").stat().st_size > 0
    with open_store(data_dir) as store:
        assert store.recovery_message is None
        assert store.summary([f"q{i}" for i in range(20)], now=T0).attempts == 20
    assert corrupt_files(data_dir) == []


def test_an_empty_file_is_a_new_database_not_a_corrupt_one(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "progress.db").write_bytes(b"")
    with open_store(data_dir) as store:
        assert store.recovery_message is None
        store.record_answer("q1", ["A"], True, 10, now=T0)
    assert corrupt_files(data_dir) == []


def test_a_healthy_database_is_left_alone(data_dir):
    with open_store(data_dir) as store:
        store.record_answer("q1", ["A"], True, 10, now=T0)
    with open_store(data_dir) as store:
        assert store.recovery_message is None
        assert len(store.history("q1")) == 1
    assert corrupt_files(data_dir) == []


def test_env_var_chooses_the_folder_and_an_argument_beats_it(tmp_path, monkeypatch):
    env_dir = tmp_path / "from-env" / "nested"
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(env_dir))
    assert resolve_data_dir() == env_dir
    with open_store() as store:
        assert store.path == env_dir / "progress.db"
        store.record_answer("q1", ["A"], True, 10, now=T0)
    assert (env_dir / "progress.db").is_file()

    arg_dir = tmp_path / "from-arg"
    assert resolve_data_dir(arg_dir) == arg_dir
    with open_store(arg_dir) as store:
        assert store.path == arg_dir / "progress.db"
        assert store.history("q1") == []


def test_default_folder_is_the_platform_user_data_dir(monkeypatch):
    monkeypatch.delenv("QUIZAPP_DATA_DIR", raising=False)
    assert resolve_data_dir() == Path(platformdirs.user_data_dir("quizapp"))
    monkeypatch.setenv("QUIZAPP_DATA_DIR", "")  # empty means unset
    assert resolve_data_dir() == Path(platformdirs.user_data_dir("quizapp"))


def test_folders_are_created(tmp_path):
    target = tmp_path / "a" / "b" / "c"
    with open_store(target) as store:
        assert store.path.is_file()
    assert sql(target / "progress.db", "PRAGMA quick_check") == [("ok",)]
    assert os.listdir(tmp_path / "a" / "b") == ["c"]


def answers_in(store, count: int = 300) -> dict[str, tuple]:
    return {
        r.question_id: (r.chosen, r.correct, r.seconds, r.answered_at)
        for i in range(count)
        for r in store.history(f"question-{i:04d}")
    }


@pytest.mark.parametrize("where", ["middle", "last-pages"])
def test_what_sqlite_can_still_read_is_salvaged_and_counted(data_dir, where):
    with open_store(data_dir, tz=timezone.utc) as store:
        for i in range(300):
            store.record_answer(f"question-{i:04d}", ["A", "B"], i % 3 == 0, i, now=at(i))
        original = answers_in(store)
    db = data_dir / "progress.db"
    content = bytearray(db.read_bytes())
    if where == "middle":  # the probe: 100 bytes overwritten inside the file
        start = len(content) // 2
        content[start : start + 100] = bytes([0xA5]) * 100
    else:
        content[len(content) - 2 * 4096 :] = bytes([0xA5]) * (2 * 4096)
    db.write_bytes(bytes(content))

    with open_store(data_dir, now=T0) as store:
        moved = data_dir / "progress.db.corrupt-20250310T100000"
        assert moved.read_bytes() == bytes(content)  # the damaged file is set aside untouched
        kept = answers_in(store)
        assert 240 <= len(kept) <= 300, len(kept)  # two damaged pages cost at most a few dozen answers (rows carry a rating since v4)
        assert all(original[qid] == values for qid, values in kept.items())  # nothing made up
        assert f"{len(kept)} answers could still be read and were kept" in store.recovery_message
        assert sql(store.path, "PRAGMA quick_check") == [("ok",)]
        store.record_answer("new", ["A"], True, 10, now=T0)
