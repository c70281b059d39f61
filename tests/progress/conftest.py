"""Fixtures for the progress store tests: a real SQLite store in tmp_path."""

from __future__ import annotations

from datetime import timezone

import pytest

from quizapp.progress import open_store


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIZAPP_DATA_DIR", raising=False)
    return tmp_path / "data"


@pytest.fixture
def store(data_dir):
    s = open_store(data_dir, tz=timezone.utc)
    yield s
    s.close()
