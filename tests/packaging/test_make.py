"""The README's make commands, dry-run (`make -n`): what they would execute, not executed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(*args: str) -> list[str]:
    result = subprocess.run(["make", "-n", *args], cwd=REPO, capture_output=True, text=True, timeout=30,
                            stdin=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_run_passes_args_to_quizapp():
    assert dry_run("run", "ARGS=--data-dir /tmp/x")[-1] == ".venv/bin/quizapp --data-dir /tmp/x"
    assert dry_run("run")[-1].strip() == ".venv/bin/quizapp"


def test_make_test_runs_the_suite_on_every_core_and_test_fast_skips_the_slow_tests():
    assert dry_run("test")[-1].split() == [".venv/bin/python", "-m", "pytest", "-n", "auto", "--dist", "loadgroup"]
    assert dry_run("test-fast")[-1].rstrip().endswith('-m "not slow"')
