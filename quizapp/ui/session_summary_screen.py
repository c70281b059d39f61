"""The end of a practice or review set: the score and where to go next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class SessionSummaryScreen(ModalScreen[bool]):
    """Dismisses True to leave the set (enter), False to stay and look back (escape)."""

    CSS_PATH = "session_summary_screen.tcss"
    BINDINGS = [
        Binding("enter", "dismiss(True)", "Back to Home"),
        Binding("escape", "dismiss(False)", "Stay"),
    ]

    def __init__(self, mode: str, right: int, answered: int, unanswered: int) -> None:
        super().__init__()
        self.mode, self.right, self.answered, self.unanswered = mode, right, answered, unanswered

    def compose(self) -> ComposeResult:
        share = f" ({self.right / self.answered:.0%})" if self.answered else ""
        lines = [f"{self.mode.capitalize()} set finished: {self.right} of {self.answered} right{share}."]
        if self.unanswered:
            lines.append(f"{self.unanswered} question{'s' if self.unanswered != 1 else ''} left unanswered.")
        lines.append("")
        lines.append("enter: back to Home · escape: stay on this set")
        with Vertical(id="summary"):
            yield Static("\n".join(lines), id="summary-text", markup=False)
