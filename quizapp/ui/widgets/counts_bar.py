"""The row of counts on Home: questions, due for review, answered, accuracy."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static


class CountsBar(Horizontal):
    """Four boxed counts; set ``summary`` (the store's Summary) to update them."""

    summary = reactive(None, always_update=True)

    def compose(self) -> ComposeResult:
        for key, label in (("questions", "Questions"), ("due", "Due for review"), ("answered", "Answered"), ("accuracy", "Accuracy")):
            box = Static("–", id=f"count-{key}", classes="count", markup=False)
            box.border_title = label
            yield box

    def watch_summary(self, summary) -> None:
        if summary is None:
            return
        accuracy = "–" if summary.accuracy is None else f"{summary.accuracy:.0%}"
        values = {
            "questions": str(summary.questions),
            "due": str(summary.due),
            "answered": f"{summary.answered}/{summary.questions}",
            "accuracy": accuracy,
        }
        for key, value in values.items():
            self.query_one(f"#count-{key}", Static).update(value)
