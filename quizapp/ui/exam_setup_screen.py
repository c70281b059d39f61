"""Set up a practice exam: how many questions, minutes, pass mark, seed, domain/tag filter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from quizapp.exam import ExamConfig
from quizapp.exam.attempt import DEFAULT_PASS_MARK, SECONDS_PER_QUESTION


class ExamSetupScreen(ModalScreen[ExamConfig | None]):
    DEFAULT_CSS = """
    ExamSetupScreen { align: center middle; }
    ExamSetupScreen #setup { width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    ExamSetupScreen #setup-grid { grid-size: 4; grid-columns: 12 1fr 9 1fr; grid-rows: 3; height: auto; }
    ExamSetupScreen Label { padding: 1 0 0 0; }
    ExamSetupScreen #setup-error { color: $error; height: auto; }
    ExamSetupScreen #start { width: 100%; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question_count: int, domains: list[str], tags: list[str]) -> None:
        super().__init__()
        self.question_count = question_count
        self.domains = domains
        self.tags = tags

    def compose(self) -> ComposeResult:
        with Vertical(id="setup"):
            yield Static(
                f"Practice exam — {self.question_count} questions available; the real exam allows about "
                f"{SECONDS_PER_QUESTION // 60} minutes per question. No feedback until you submit.",
                markup=False,
            )
            with Grid(id="setup-grid"):
                yield Label("Questions")
                yield Input(placeholder=f"all {self.question_count}", id="count", type="integer")
                yield Label("Minutes")
                yield Input(placeholder=f"{SECONDS_PER_QUESTION // 60}/question", id="minutes", type="number")
                yield Label("Pass mark %")
                yield Input(str(round(DEFAULT_PASS_MARK * 100)), id="pass", type="integer")
                yield Label("Seed")
                yield Input("", placeholder="random", id="seed", type="integer")
                yield Label("Domain")
                yield Select([(d, d) for d in self.domains], prompt="all domains", id="domain")
                yield Label("Tag")
                yield Select([(t, t) for t in self.tags], prompt="all tags", id="tag")
            yield Static("", id="setup-error", markup=False)
            yield Button("Start exam", id="start", variant="primary")

    def on_input_submitted(self) -> None:
        self._start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self._start()

    def _start(self) -> None:
        import random

        def value(widget_id: str):
            return self.query_one(f"#{widget_id}", Input).value.strip()

        try:
            count = int(value("count")) if value("count") else None
            minutes = float(value("minutes")) if value("minutes") else None
            pass_mark = int(value("pass") or round(DEFAULT_PASS_MARK * 100))
            seed = int(value("seed")) if value("seed") else random.randrange(1_000_000)
        except ValueError:
            self._error("Use whole numbers for questions, pass mark and seed, and a number for minutes.")
            return
        if count is not None and not 1 <= count <= self.question_count:
            self._error(f"Questions must be from 1 to {self.question_count}.")
            return
        if minutes is not None and not 1 <= minutes <= 600:
            self._error("Minutes must be from 1 to 600.")
            return
        if not 1 <= pass_mark <= 100:
            self._error("Pass mark must be from 1 to 100 (%).")
            return
        domain = self.query_one("#domain", Select).value
        tag = self.query_one("#tag", Select).value
        self.dismiss(
            ExamConfig(
                count=count,
                minutes=minutes,
                seed=seed,
                pass_mark=pass_mark / 100,
                domain=domain if isinstance(domain, str) else None,
                tag=tag if isinstance(tag, str) else None,
            )
        )

    def _error(self, text: str) -> None:
        self.query_one("#setup-error", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
