"""Choose what to practise: all questions, flagged ones, one domain or one tag."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizapp.ui.text import clean


def notes_order(content) -> list[str]:
    """Every question id in the order the study notes link them (notes as listed on the Notes
    screen), then the questions no note links, in bank order."""
    order = [qid for note in content.notes.values() for qid in note.questions if qid in content.questions]
    order.extend(content.questions)
    return list(dict.fromkeys(order))


class PickerScreen(ModalScreen[tuple[str, list[str]] | None]):
    """Dismisses with (set title, question ids), or None on escape."""

    CSS_PATH = "picker_screen.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Back")]

    def compose(self) -> ComposeResult:
        self._sets: list[tuple[str, list[str]]] = self._question_sets()
        options = [
            Option(Text.assemble((clean(title), "bold" if i == 0 else ""), (f"  {len(ids)}", "dim")), id=str(i))
            for i, (title, ids) in enumerate(self._sets)
        ]
        with Vertical(id="picker"):
            yield Static("What do you want to practise?", id="picker-title")
            yield OptionList(*options, id="picker-list")
            yield Static("↑/↓ move · enter start · escape back", id="picker-hint")

    def _question_sets(self) -> list[tuple[str, list[str]]]:
        questions = self.app.questions
        sets = [("All questions (study-notes order)", notes_order(self.app.content))]
        flagged = [q for q in questions if q in self.app.flagged]
        if flagged:
            sets.append(("Flagged", flagged))
        for domain in self.app.content.domains():
            sets.append((f"Domain: {domain}", [q.id for q in questions.values() if q.domain == domain]))
        for tag in self.app.content.tags():
            sets.append((f"Tag: {tag}", [q.id for q in questions.values() if tag in q.tags]))
        return sets

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._sets[int(event.option.id)])
