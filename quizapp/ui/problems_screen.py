"""A dismissable panel listing the content problems found at start-up (``path:line: message``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from quizapp.ui.text import plain


class ProblemsScreen(ModalScreen[None]):
    CSS_PATH = "problems_screen.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("enter", "dismiss", "Close", show=False),
    ]

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="problems"):
            count = len(self.problems)
            yield Static(
                f"{count} problem{'s' if count != 1 else ''} in the content files. The valid questions are loaded.",
                id="problems-title",
                markup=False,
            )
            with VerticalScroll(id="problems-list"):
                for line in self.problems:
                    yield Static(plain(line), classes="problem")
            yield Static("escape / enter to close", id="problems-hint")

    def action_dismiss(self, result=None) -> None:
        self.dismiss(None)
