"""What each answer option does in the simulation: verdict, result and why; the learner's choice highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from quizapp.ui.text import clean, styled


class OutcomeTable(Vertical):
    """A row per option; the highlighted row's full result, reason and evidence are shown below it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.outcomes = []
        self.chosen: frozenset[str] = frozenset()
        self.answer: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        table = DataTable(id="outcome-rows", cursor_type="row", zebra_stripes=True)
        table.add_columns("", "Option", "Verdict", "Result", "Why")
        yield table
        yield Static("", id="outcome-detail")

    def show(self, outcomes, chosen: frozenset[str], answer: frozenset[str]) -> None:
        self.outcomes, self.chosen = list(outcomes), chosen
        self.answer = answer or frozenset(o.letter for o in self.outcomes if o.works)
        table = self.query_one(DataTable)
        table.clear()
        chosen_row = 0
        for index, outcome in enumerate(self.outcomes):
            mine = outcome.letter in chosen
            marks = []
            if mine:
                marks.append("▶ you")
                chosen_row = index
            if outcome.letter in self.answer:
                marks.append("✔ answer")
            row_style = "bold reverse" if mine else ""
            verdict_style = "green" if outcome.works else "red"
            table.add_row(
                styled(" ".join(marks), row_style),
                styled(_short(f"{outcome.letter}) {outcome.action}", 32), row_style),
                styled("✔ works" if outcome.works else "✘ fails", f"{verdict_style} {row_style}".strip()),
                styled(_short(outcome.result), row_style),
                styled(_short(outcome.why), row_style),
                key=outcome.letter,
            )
        if self.outcomes:
            table.move_cursor(row=chosen_row)
            self._detail(chosen_row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._detail(event.cursor_row)

    def _detail(self, row: int) -> None:
        if not 0 <= row < len(self.outcomes):
            return
        outcome = self.outcomes[row]
        text = Text()
        text.append(f"{outcome.letter}) {clean(outcome.action)}", style="bold")
        if outcome.letter in self.chosen:
            text.append("  — your choice", style="bold italic")
        if outcome.letter in self.answer:
            text.append("  — correct answer", style="bold green")
        text.append(f"\n{outcome.verdict}: ", style="bold green" if outcome.works else "bold red")
        text.append(clean(outcome.result))
        text.append("\nWhy: ", style="bold")
        text.append(clean(outcome.why))
        if outcome.evidence:
            text.append("\nEvidence: ", style="bold")
            text.append(clean(", ".join(f"{k}={_number(v)}" for k, v in outcome.evidence.items())))
        self.query_one("#outcome-detail", Static).update(text)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
