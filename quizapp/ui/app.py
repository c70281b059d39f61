"""The Textual application: owns the content, the progress store and navigation between screens.

Screens other than Home are imported when first opened, so start-up only pays for Home.
Nothing here imports pandas, numpy, textual_plot or the simulations. Given a ``loader``
instead of content and store, the app paints Home first and loads both in a thread worker
(the Markdown/YAML parser and the scheduler are then imported off the first-frame path).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from textual import work
from textual.app import App
from textual.binding import Binding

from quizapp.ui.commands import QuizCommands
from quizapp.ui.home_screen import HomeScreen

if TYPE_CHECKING:
    from quizapp.content import ContentSet, Question

DATA_ACTIONS = {"practice", "review", "notes", "lab", "statistics", "exam", "open_question", "show_problems"}


class NoContent:
    """Stands in for the ContentSet until the loader has run."""

    questions: dict = {}
    notes: dict = {}
    facts: dict = {}
    problems: list = []

    def domains(self) -> list[str]:
        return []

    def tags(self) -> list[str]:
        return []


class QuizApp(App[int]):
    """Study and quiz app for monitoring ML models in production."""

    TITLE = "Monitoring ML models — study & quiz"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {QuizCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", show=False),  # shown on Home's footer; elsewhere ? lists it
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Keys"),
    ]

    def __init__(
        self,
        content: ContentSet | None = None,
        store=None,
        clock: Callable[[], datetime] | None = None,
        loader: Callable[[], tuple[ContentSet, object]] | None = None,
        settings_file=None,
        early: Callable[[], tuple[object, list[str]]] | None = None,
    ) -> None:
        super().__init__()
        from quizapp.settings import Settings, load_settings

        self.settings_file = settings_file  # settings.json in the data folder; None: not kept
        self.settings = load_settings(settings_file) if settings_file is not None else Settings()
        self.content = content if content is not None else NoContent()
        self.store = store
        self.clock = clock  # tests pass a fixed clock; None lets the store use the real time
        self.flagged: set[str] = set()  # flagged question ids, kept in the progress store
        self.loader = loader
        self.early = early  # (store, question ids) for Home's counts before the questions are parsed
        self.writer = None  # ProgressWriter: answers, sessions, flags and exam saves, off the UI thread
        self._loop: asyncio.AbstractEventLoop | None = None
        self.data_ready = content is not None and store is not None
        if self.data_ready:
            self.flagged = store.flagged() & set(content.questions)
            self._start_writer()
        self.initial_exam = None  # an ExamConfig to start with (`quizapp exam`)
        self._practice_seed: str | None = None

    # Practice shuffles options per learner; tests of file-order behaviour turn this off.
    shuffle_practice = True

    @property
    def practice_seed(self) -> str | None:
        """The learner's option-order seed (see practice_order), or None for file order."""
        if not self.shuffle_practice:
            return None
        if self._practice_seed is None:
            from quizapp.ui.practice_order import learner_seed

            path = getattr(self.store, "path", None)
            self._practice_seed = learner_seed(Path(path).parent if path else None)
        return self._practice_seed

    # -- helpers shared by the screens -------------------------------------------------
    def now(self) -> datetime | None:
        return self.clock() if self.clock is not None else None

    @property
    def questions(self) -> dict[str, Question]:
        return self.content.questions

    @property
    def question_ids(self) -> list[str]:
        return list(self.content.questions)

    # -- progress writes (one background thread, in order) ----------------------------------
    def _start_writer(self) -> None:
        from quizapp.progress.writer import ProgressWriter

        self.writer = ProgressWriter(self.store, on_error=self._write_failed, on_saved=self._written)

    def save_progress(self, job: Callable) -> None:
        """Queue ``job(store)`` on the writer thread; the key handler never waits for the database."""
        self.writer.submit(job)

    def settle_progress(self, timeout: float = 1.0) -> None:
        """Before reading progress: give queued writes up to ``timeout`` seconds to land."""
        if self.writer is not None:
            self.writer.wait(timeout)

    def close_progress(self) -> None:
        """Finish queued writes, then close the store (the app's last word on progress)."""
        if self.writer is not None:
            left = self.writer.close()
            if left:
                import sys

                print(f"quizapp: {left} progress write(s) could not be finished (the database stayed locked)", file=sys.stderr)
        if self.store is not None:
            self.store.close()

    def _on_loop(self, callback: Callable, *args) -> None:
        """Run ``callback`` on the UI's event loop, from the writer thread, without waiting for it."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(callback, *args)
            except RuntimeError:  # the loop closed meanwhile
                pass

    def _write_failed(self, exc: BaseException) -> None:
        self._on_loop(lambda: self.notify(f"Could not save progress: {exc}", severity="error", markup=False))

    def _written(self) -> None:
        self._on_loop(self._refresh_home)

    def _refresh_home(self) -> None:
        if self.is_running and isinstance(self.screen, HomeScreen) and self.data_ready:
            self.screen.refresh_counts()

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, lambda theme: self.change_settings(theme=theme.name))
        if self.data_ready:
            self._announce()

    def change_settings(self, **changes) -> None:
        """Apply and keep setting changes (theme, language, daily limits) in settings.json."""
        from quizapp.settings import save_settings

        new = self.settings.with_changes(**changes)
        if new == self.settings:
            return
        self.settings = new
        if self.settings_file is None:
            return
        try:
            save_settings(self.settings_file, new)
        except OSError as exc:
            self.notify(f"Could not save the settings: {exc}", severity="warning", markup=False)

    def _on_ready(self) -> None:
        """After the first frame: load content and store (a thread would slow that frame down)."""
        if not self.data_ready and self.loader is not None:
            store = self._early_counts()
            self.load_data(store)

    def _early_counts(self):
        """Open the store and read the question ids (~0.15 s, on this thread so the counts are
        on the next frame); the store goes on to the loader. None when that fails: the loader
        then opens the store itself and reports what is wrong."""
        if self.early is None:
            return None
        try:
            store, question_ids = self.early()
        except Exception:
            return None
        from quizapp.ui.widgets.counts_bar import home_counts

        try:
            self._show_preview(home_counts(store, question_ids, self.settings, self.now()))
        except Exception:
            pass  # the full load redraws the counts
        return store

    @work(thread=True, exit_on_error=False, group="load")
    def load_data(self, store=None) -> None:
        try:
            content, store = self.loader(store) if store is not None else self.loader()
        except Exception as exc:  # e.g. a progress database from a newer version
            self.call_from_thread(self._load_failed, f"{type(exc).__name__}: {exc}")
            return
        self.call_from_thread(self.data_loaded, content, store)

    def _show_preview(self, counts) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen) and not self.data_ready:
                screen.show_counts(counts)

    def data_loaded(self, content: ContentSet, store) -> None:
        self.content, self.store, self.data_ready = content, store, True
        self.flagged = store.flagged() & set(content.questions)
        self._start_writer()
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_counts()
                screen.refresh_bindings()
        self._announce()

    def _load_failed(self, message: str) -> None:
        self.exit(return_code=1, message=f"quizapp could not start: {message}")

    def _announce(self) -> None:
        message = getattr(self.store, "recovery_message", None)
        if message:
            self.notify(message, title="Progress database", severity="warning", timeout=15, markup=False)
        not_saved = getattr(self.store, "not_saved_message", None)
        if not_saved:
            self.notify(not_saved, title="Progress will not be saved", severity="error", timeout=30, markup=False)
        if self.content.problems:
            self.action_show_problems()
        if self.initial_exam is not None:
            self.start_exam(self.initial_exam)
        elif self.store.unfinished_exam() is not None:  # read before any write was queued
            self.notify("You have an unfinished exam — press e to resume it with the time that was left.",
                        title="Exam", timeout=10, markup=False)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in DATA_ACTIONS and not self.data_ready:
            return False
        return True

    # -- navigation actions (keys, the Home list and the command palette use them) -------
    def action_help(self) -> None:
        from quizapp.ui.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_show_problems(self) -> None:
        from quizapp.ui.problems_screen import ProblemsScreen

        self.push_screen(ProblemsScreen([str(p) for p in self.content.problems]))

    def action_go_home(self) -> None:
        while len(self.screen_stack) > 1:
            end_session = getattr(self.screen, "end_session", None)
            if end_session is not None:
                end_session()
            self.pop_screen()

    def action_practice(self) -> None:
        from quizapp.ui.picker_screen import PickerScreen

        def chosen(selection: tuple[str, list[str]] | None) -> None:
            if selection:
                self.start_practice(selection[1], title=selection[0])

        self.push_screen(PickerScreen(), chosen)

    def start_practice(self, question_ids: Iterable[str], title: str = "Practice", mode: str = "practice", views: dict | None = None) -> None:
        """Practise ``question_ids``; ``views`` (id -> (shown question, shown -> file letter)) keeps
        letters the learner already saw, e.g. an exam's order when retrying its missed questions."""
        from quizapp.ui.practice_screen import PracticeScreen

        ids = [q for q in question_ids if q in self.questions]
        self.push_screen(PracticeScreen(ids, mode=mode, set_title=title, views=views))

    def action_open_question(self, question_id: str) -> None:
        if question_id in self.questions:
            self.start_practice([question_id], title=self.questions[question_id].title)

    def action_review(self) -> None:
        self.settle_progress()
        done = self.store.studied_today(now=self.now())["reviews"]
        left = max(0, self.settings.reviews_per_day - done)  # the daily review limit
        queue = self.store.review_queue(self.question_ids, now=self.now(), limit=left)
        self.start_practice(queue, title="Review", mode="review")

    # -- exam mode ---------------------------------------------------------------------------
    def action_exam(self) -> None:
        """Resume an unfinished exam if there is one (after asking), else set up a new one."""
        from quizapp.ui.confirm_screen import ConfirmScreen

        self.settle_progress()
        saved = self.store.unfinished_exam()
        if saved is None:
            self._setup_exam()
            return
        exam_id, state = saved
        answered = len(state.get("answers", {}))
        left = max(0.0, float(state.get("time_limit", 0)) - float(state.get("elapsed", 0)))

        def decided(resume: bool | None) -> None:
            if resume:
                self._resume_exam(exam_id, state)
            elif resume is False:  # only an explicit Discard deletes the saved exam; Esc keeps it
                self.save_progress(lambda store: store.discard_exam(exam_id))
                self._setup_exam()

        text = (
            f"You have an unfinished exam: {answered} of {len(state.get('ids', []))} answered, "
            f"{int(left // 60)} min {int(left % 60)} s left. Resume it? "
            "(Discard deletes it and starts a new one; Esc keeps it for later.)"
        )
        self.push_screen(ConfirmScreen(text, yes="Resume", no="Discard"), decided)

    def _setup_exam(self) -> None:
        from quizapp.ui.exam_setup_screen import ExamSetupScreen

        def chosen(config) -> None:
            if config is not None:
                self.start_exam(config)

        self.push_screen(ExamSetupScreen(len(self.questions), self.content.domains(), self.content.tags()), chosen)

    def start_exam(self, config) -> None:
        from quizapp.exam import build_exam
        from quizapp.ui.exam_screen import ExamScreen

        try:
            attempt = build_exam(self.questions, config)
        except ValueError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.settle_progress()
        try:
            exam_id = self.store.start_exam(attempt.to_state(), now=self.now())
        except Exception as exc:  # a locked or full database: the exam still runs, unsaved
            self.notify(f"This exam cannot be saved ({exc}); it runs without resume.", severity="warning", markup=False)
            exam_id = None
        self.push_screen(ExamScreen(attempt, exam_id))

    def _resume_exam(self, exam_id: int, state: dict) -> None:
        from quizapp.exam import ExamAttempt
        from quizapp.ui.exam_screen import ExamScreen

        try:
            attempt = ExamAttempt.resume(self.questions, state)
        except (ValueError, KeyError, TypeError) as exc:
            self.notify(f"That exam cannot be resumed ({exc}); starting a new one.", severity="warning", markup=False)
            self.save_progress(lambda store: store.discard_exam(exam_id))
            self._setup_exam()
            return
        self.push_screen(ExamScreen(attempt, exam_id))

    def action_notes(self) -> None:
        from quizapp.ui.notes_screen import NotesScreen

        self.push_screen(NotesScreen())

    def action_lab(self, name: str = "") -> None:
        self.open_simulation(name or None)

    def open_simulation(self, name: str | None, question: Question | None = None, chosen: Iterable[str] = (),
                        letters: dict[str, str] | None = None) -> None:
        """``letters``: the learner's letter -> the question file's letter, when the options were shuffled."""
        from quizapp.ui.simulation_screen import SimulationScreen

        self.push_screen(SimulationScreen(name, question=question, chosen=frozenset(chosen), letters=letters))

    def action_statistics(self) -> None:
        from quizapp.ui.stats_screen import StatsScreen

        self.push_screen(StatsScreen())
