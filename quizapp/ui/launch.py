"""Start the terminal app: load the content, open the progress store, run, close.

Kept light: no pandas, numpy, textual_plot or simulation modules are imported here.
"""

from __future__ import annotations

from pathlib import Path


def build_app(content_dir: Path | None = None, data_dir: Path | None = None, clock=None, exam=None):
    """The QuizApp for ``content_dir`` (bundled content by default) with its store opened."""
    from quizapp.content import load_content
    from quizapp.progress import open_store
    from quizapp.ui.app import QuizApp

    content = load_content(content_dir)
    store = open_store(data_dir)
    app = QuizApp(content, store, clock=clock)
    if exam is not None:  # `quizapp exam`: go straight into an exam with this ExamConfig
        app.initial_exam = exam
    return app


def launch(content_dir: Path | None = None, data_dir: Path | None = None, exam=None) -> int:
    """Run the app in this terminal; returns the process exit code."""
    app = build_app(content_dir, data_dir, exam=exam)
    try:
        result = app.run()
    finally:
        app.store.close()
    if app.return_code not in (None, 0):
        return app.return_code
    return int(result or 0)
