"""Pilot helpers for the UI tests: a content folder in tmp_path, the real store, screen text."""

from __future__ import annotations

import pytest

from ui_content import write_content
from ui_helpers import NOW


@pytest.fixture
def content_dir(tmp_path):
    return write_content(tmp_path)


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def make_app(content_dir, data_dir):
    """make_app(content=None, clock=..., shuffle=False) -> QuizApp with the real store in tmp_path.

    Practice keeps file order unless ``shuffle`` (most tests press the file's letters)."""
    from quizapp.ui.launch import build_app

    apps = []

    def _make(content=None, clock=lambda: NOW, shuffle=False):
        app = build_app(content or content_dir, data_dir, clock=clock)
        app.shuffle_practice = shuffle
        apps.append(app)
        return app

    yield _make
    for app in apps:
        app.close_progress()
