"""The row of counts on Home: questions answered, new today, learning, due today, accuracy."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

BOXES = (
    ("answered", "Answered"),
    ("new", "New today"),
    ("learning", "Learning"),
    ("due", "Due today"),
    ("accuracy", "Accuracy"),
)


@dataclass(frozen=True)
class HomeCounts:
    """What Home shows; ``new`` and ``due`` are already cut to what today's limits leave."""

    questions: int
    answered: int
    accuracy: float | None
    new: int
    learning: int
    due: int


def home_counts(store, question_ids, settings, now) -> HomeCounts:
    """The counts from the store, with the daily limits in ``settings`` applied (Anki-style)."""
    summary = store.summary(question_ids, now=now)
    cards = store.card_counts(question_ids, now=now)
    today = store.studied_today(now=now)
    return HomeCounts(
        questions=summary.questions,
        answered=summary.answered,
        accuracy=summary.accuracy,
        new=min(cards["new"], max(0, settings.new_per_day - today["new"])),
        learning=cards["learning"],
        due=min(cards["due"], max(0, settings.reviews_per_day - today["reviews"])),
    )


class CountsBar(Horizontal):
    """Five boxed counts; set ``counts`` (a HomeCounts) to update them."""

    counts = reactive(None, always_update=True)

    def compose(self) -> ComposeResult:
        for key, label in BOXES:
            box = Static("–", id=f"count-{key}", classes="count", markup=False)
            box.border_title = label
            yield box

    def watch_counts(self, counts: HomeCounts | None) -> None:
        if counts is None:
            return
        values = {
            "answered": f"{counts.answered}/{counts.questions}",
            "new": str(counts.new),
            "learning": str(counts.learning),
            "due": str(counts.due),
            "accuracy": "–" if counts.accuracy is None else f"{counts.accuracy:.0%}",
        }
        for key, value in values.items():
            self.query_one(f"#count-{key}", Static).update(value)
