"""Start the terminal app: load the content, open the progress store, run, close.

Kept light: no pandas, numpy, textual_plot or simulation modules are imported here.
``launch`` paints Home first and loads content and store in a worker thread.
"""

from __future__ import annotations

from pathlib import Path


def load_data(content_dir: Path | None = None, data_dir: Path | None = None, store=None):
    """(ContentSet, progress store) — the slow part of start-up (Markdown/YAML parser, FSRS, SQLite).
    ``store``: one already opened by ``early_data``."""
    from quizapp.content.loader import load_bank

    if store is None:
        from quizapp.progress import open_store

        store = open_store(data_dir)
    try:
        return load_bank(content_dir, data_dir), store
    except BaseException:
        store.close()
        raise


def early_data(content_dir: Path | None = None, data_dir: Path | None = None):
    """(progress store, question ids from the front matter alone): enough for Home's counts,
    about a tenth of the full load (no Markdown parsing)."""
    from quizapp.content.quick_ids import quick_question_ids
    from quizapp.content.sources import content_sources
    from quizapp.progress import open_store

    store = open_store(data_dir)
    sources = content_sources(content_dir, data_dir)
    return store, quick_question_ids(sources.bank, sources.user)


def build_app(content_dir: Path | None = None, data_dir: Path | None = None, clock=None, exam=None, lazy: bool = False):
    """The QuizApp for ``content_dir`` (bundled content by default) and the store in ``data_dir``.

    ``lazy``: paint Home first and load content and store in a worker (what ``launch`` does);
    otherwise both are loaded before the app is built (tests, scripts).
    """
    from quizapp.settings import settings_path
    from quizapp.ui.app import QuizApp

    settings_file = settings_path(data_dir)
    if lazy:
        app = QuizApp(clock=clock, loader=lambda store=None: load_data(content_dir, data_dir, store=store),
                      early=lambda: early_data(content_dir, data_dir), settings_file=settings_file)
    else:
        content, store = load_data(content_dir, data_dir)
        app = QuizApp(content, store, clock=clock, settings_file=settings_file)
    if exam is not None:  # `quizapp exam`: go straight into an exam with this ExamConfig
        app.initial_exam = exam
    return app


def launch(content_dir: Path | None = None, data_dir: Path | None = None, exam=None) -> int:
    """Run the app in this terminal; returns the process exit code. A missing bundled bank is
    reported by the loader worker ("quizapp could not start: ContentNotFound: ...")."""
    app = build_app(content_dir, data_dir, exam=exam, lazy=True)
    try:
        result = app.run()
    finally:
        app.close_progress()
    if app.return_code not in (None, 0):
        return app.return_code
    return int(result or 0)
