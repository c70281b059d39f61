"""What each answer option does in the simulation: one card per option with its verdict and every
criterion it was judged by (measured against threshold), the learner's choice and the key marked.

Cards are plain wrapped text, so nothing is cut at any width; content is never read as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from quizapp.ui.text import clean


class OutcomeCard(Static):
    """One option's outcome."""

    def __init__(self, outcome, chosen: bool, answer: bool, **kwargs) -> None:
        super().__init__(outcome_text(outcome, chosen, answer), **kwargs)
        self.outcome = outcome
        self.set_class(chosen, "-chosen")
        self.set_class(outcome.works, "-works")


class OutcomeTable(Vertical):
    """The outcome cards, in letter order."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.outcomes = []
        self.chosen: frozenset[str] = frozenset()
        self.answer: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        yield Vertical(id="outcome-cards")

    async def show(self, outcomes, chosen: frozenset[str], answer: frozenset[str]) -> None:
        self.outcomes, self.chosen = list(outcomes), chosen
        self.answer = answer or frozenset(o.letter for o in self.outcomes if o.works)
        host = self.query_one("#outcome-cards", Vertical)
        await host.remove_children()
        await host.mount_all(
            OutcomeCard(o, o.letter in chosen, o.letter in self.answer, id=f"outcome-{o.letter}", classes="outcome-card")
            for o in self.outcomes
        )


def outcome_text(outcome, chosen: bool, answer: bool) -> Text:
    """The card's text: marks, option, verdict, then one line per criterion."""
    text = Text()
    if chosen:
        text.append("▶ you  ", style="bold reverse")
    if answer:
        text.append("✔ answer  ", style="bold green")
    text.append(f"{outcome.letter}) {clean(outcome.action)}", style="bold")
    failed = [c for c in outcome.criteria if not c.passed]
    n = len(outcome.criteria)
    if outcome.works:
        text.append(f"\n✔ works", style="bold green")
        text.append(f" — {n} of {n} criteria passed" if n > 1 else " — the criterion passed")
    else:
        text.append("\n✘ fails", style="bold red")
        text.append(f" — {len(failed)} of {n} criteria failed" if n > 1 else " — the criterion failed")
    for c in outcome.criteria:
        text.append("\n  ✔ " if c.passed else "\n  ✘ ", style="green" if c.passed else "red")
        text.append(clean(c.says.removesuffix(" - passed").removesuffix(" - failed")))
    if outcome.finding:
        text.append("\n  Seen: ", style="bold")
        text.append(clean(outcome.finding))
    if outcome.evidence:
        text.append("\n  Numbers: ", style="dim bold")
        text.append(clean(evidence_line(outcome.evidence)), style="dim")
    return text


def evidence_line(evidence: dict) -> str:
    """``{"executions_after": 2}`` -> ``executions after 2``: plain labels, not snake_case keys."""
    parts = []
    for key, value in evidence.items():
        if isinstance(value, (dict, list)) and len(str(value)) > 80:
            continue  # long structures belong to the JSON and the tables, not a one-line summary
        parts.append(f"{str(key).replace('_', ' ')} {_number(value)}")
    return "; ".join(parts)


def _number(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if value is None:
        return "n/a"
    return str(value)
