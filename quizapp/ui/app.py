"""The Textual application: owns the content, the progress store and navigation between screens.

Screens other than Home are imported when first opened, so start-up only pays for Home.
Nothing here imports pandas, numpy, textual_plot or the simulations.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterable

from textual.app import App
from textual.binding import Binding

from quizapp.content import ContentSet, Question
from quizapp.ui.commands import QuizCommands
from quizapp.ui.home_screen import HomeScreen


class QuizApp(App[int]):
    """Study and quiz app for monitoring ML models in production."""

    TITLE = "Monitoring ML models — study & quiz"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {QuizCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Keys"),
    ]

    def __init__(self, content: ContentSet, store, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.content = content
        self.store = store
        self.clock = clock  # tests pass a fixed clock; None lets the store use the real time
        self.flagged: set[str] = set()

    # -- helpers shared by the screens -------------------------------------------------
    def now(self) -> datetime | None:
        return self.clock() if self.clock is not None else None

    @property
    def questions(self) -> dict[str, Question]:
        return self.content.questions

    @property
    def question_ids(self) -> list[str]:
        return list(self.content.questions)

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        message = getattr(self.store, "recovery_message", None)
        if message:
            self.notify(message, title="Progress database", severity="warning", timeout=15, markup=False)
        if self.content.problems:
            self.action_show_problems()

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

    def start_practice(self, question_ids: Iterable[str], title: str = "Practice", mode: str = "practice") -> None:
        from quizapp.ui.practice_screen import PracticeScreen

        self.push_screen(PracticeScreen([q for q in question_ids if q in self.questions], mode=mode, set_title=title))

    def action_open_question(self, question_id: str) -> None:
        if question_id in self.questions:
            self.start_practice([question_id], title=self.questions[question_id].title)

    def action_review(self) -> None:
        queue = self.store.review_queue(self.question_ids, now=self.now())
        self.start_practice(queue, title="Review", mode="review")

    def action_notes(self) -> None:
        from quizapp.ui.notes_screen import NotesScreen

        self.push_screen(NotesScreen())

    def action_lab(self, name: str = "") -> None:
        self.open_simulation(name or None)

    def open_simulation(self, name: str | None, question: Question | None = None, chosen: Iterable[str] = ()) -> None:
        from quizapp.ui.simulation_screen import SimulationScreen

        self.push_screen(SimulationScreen(name, question=question, chosen=frozenset(chosen)))

    def action_statistics(self) -> None:
        from quizapp.ui.stats_screen import StatsScreen

        self.push_screen(StatsScreen())
