"""Shared test helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path_factory, monkeypatch):
    """Every test (and every process it starts) gets an empty data folder of its own: the
    developer's progress and own content never leak into a test, nor a test's into them."""
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def write(tmp_path):
    """write("questions/x.md", text) -> path; creates folders; text written as UTF-8 bytes as given."""

    def _write(rel: str, text: str | bytes) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    return _write


@pytest.fixture
def python() -> str:
    return sys.executable
