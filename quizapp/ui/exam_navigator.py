"""The exam navigator: a grid of every question marked answered / flagged / unanswered."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quizapp.exam import ExamAttempt

MARKS = {"answered": "●", "flagged": "⚑", "unanswered": "○"}


class ExamNavigator(ModalScreen[int | None]):
    DEFAULT_CSS = """
    ExamNavigator { align: center middle; }
    ExamNavigator #nav { width: 76; height: auto; max-height: 90%; border: thick $accent; background: $surface; padding: 1 2; }
    ExamNavigator #nav-grid { grid-size: 8; grid-gutter: 0 1; height: auto; }
    ExamNavigator Button { min-width: 8; width: 100%; }
    ExamNavigator Button.-answered { background: $success-darken-2; }
    ExamNavigator Button.-flagged { background: $warning-darken-2; }
    ExamNavigator #nav-legend { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,g", "close", "Close")]

    def __init__(self, attempt: ExamAttempt) -> None:
        super().__init__()
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical(id="nav"):
            yield Static("Jump to a question (tab/arrows, enter)")
            with Grid(id="nav-grid"):
                for i in range(len(self.attempt.items)):
                    status = self.attempt.status(i)
                    yield Button(f"{MARKS[status]} {i + 1}", id=f"nav-{i}", classes=f"-{status}", compact=True)
            yield Static("● answered   ⚑ flagged   ○ unanswered   escape: close", id="nav-legend")

    def on_mount(self) -> None:
        self.query_one(f"#nav-{self.attempt.current}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(int(event.button.id.removeprefix("nav-")))

    def action_close(self) -> None:
        self.dismiss(None)
