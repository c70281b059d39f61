"""The answer options of one question, with selection marks before and verdict marks after grading."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quizapp.content import Question
from quizapp.ui.text import inline_text


class AnswerList(OptionList):
    """Enter submits; space or a click toggles the highlighted option (OptionSelected)."""

    BINDINGS = [
        Binding("enter", "submit", "Submit", show=False),
        Binding("space", "select", "Toggle", show=False),
    ]

    class Submitted(Message):
        """The learner pressed Enter on the list."""

    def action_submit(self) -> None:
        self.post_message(self.Submitted())

    def show(self, question: Question, selected: set[str], graded: frozenset[str] | None, language: str = "en") -> None:
        """Redraw the options in ``language``; ``graded`` is the chosen set once the question was answered."""
        highlighted = self.highlighted
        self.clear_options()
        options = question.options_in(language)
        self.add_options([Option(self._prompt(question, o.letter, o.text, selected, graded), id=o.letter) for o in options])
        if question.options:
            self.highlighted = min(highlighted or 0, len(question.options) - 1)

    @staticmethod
    def _prompt(question: Question, letter: str, text: str, selected: set[str], graded: frozenset[str] | None) -> Text:
        if graded is None:
            if question.is_multi:
                mark = "[x]" if letter in selected else "[ ]"
            else:
                mark = "(•)" if letter in selected else "( )"
            style = "bold" if letter in selected else ""
        elif letter in question.answer:
            mark, style = " ✔ ", "bold green"
        elif letter in graded:
            mark, style = " ✘ ", "bold red"
        else:
            mark, style = "   ", "dim"
        prompt = Text(f"{mark} ", style=style)
        prompt.append(f"{letter}) ", style="bold")
        prompt.append_text(inline_text(text, style=style))
        return prompt
