"""A data folder that cannot be written: the store starts anyway, keeps answers in memory and says so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from progress_helpers import T0

from quizapp.progress import open_store

REPORT = (
    "import json, sys\n"
    "from datetime import datetime, timezone\n"
    "from quizapp.progress import open_store\n"
    "s = open_store(sys.argv[1])\n"
    "before = len(s.history('q1'))\n"
    "s.record_answer('q1', ['A'], True, 3, now=datetime(2025, 3, 10, tzinfo=timezone.utc))\n"
    "print(json.dumps({'saving': s.saving, 'message': s.not_saved_message, 'before': before, 'after': len(s.history('q1'))}))\n"
    "s.close()\n"
)


def run_read_only(folder, code: str) -> dict:
    """Run ``code`` in a subprocess that sees ``folder`` read-only (a read-only bind mount for root)."""
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("needs unshare to make a read-only folder as root")
        script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" -c "$3" "$1"'
        command = ["unshare", "-m", "sh", "-c", script, "sh", str(folder), sys.executable, code]
    else:
        for path in [folder, *folder.iterdir()]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        command = [sys.executable, "-c", code, str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if done.returncode != 0 and "mount" in done.stderr:
        pytest.skip(f"cannot make a read-only mount here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_read_only_folder_with_history_starts_with_that_history_and_says_nothing_is_saved(data_dir):
    with open_store(data_dir) as store:
        store.record_answer("q1", ["A"], True, 10, now=T0)
    snapshot = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    report = run_read_only(data_dir, REPORT)
    assert report["saving"] is False and "Progress will NOT be saved" in report["message"]
    assert str(data_dir / "progress.db") in report["message"] and "--data-dir" in report["message"]
    assert (report["before"], report["after"]) == (1, 2)  # the old answer is there, the new one kept in memory
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == snapshot  # nothing written


def test_an_empty_read_only_folder_starts_empty(data_dir):
    data_dir.mkdir(parents=True)
    report = run_read_only(data_dir, REPORT)
    assert report["saving"] is False and (report["before"], report["after"]) == (0, 1)
    assert list(data_dir.iterdir()) == []


def test_a_data_dir_that_cannot_be_created_does_not_stop_the_store(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with open_store(blocker / "data") as store:
        assert not store.saving and "cannot be written" in store.not_saved_message
        store.record_answer("q1", ["A"], True, 10, now=T0)
        assert len(store.history("q1")) == 1


def test_a_writable_folder_saves(data_dir):
    with open_store(data_dir) as store:
        assert store.saving and store.not_saved_message is None
