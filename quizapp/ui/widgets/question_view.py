"""One question's title, domain/tags line, stem and the "select N" hint. All content shown as text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from quizapp.content import Question
from quizapp.ui.text import inline_text, plain


def letter_range(question: Question) -> str:
    """'a–d' for four options, 'a–e' for five, 'a–b' for two."""
    letters = [option.letter.lower() for option in question.options]
    return f"{letters[0]}–{letters[-1]}" if letters else "a"


class QuestionView(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="q-title")
        yield Static(id="q-meta")
        yield Static(id="q-stem")
        yield Static(id="q-hint")

    def show(self, question: Question, flagged: bool, language: str = "en") -> None:
        """Show ``question`` with its stem in ``language`` (the primary stem when it has none)."""
        self.query_one("#q-title", Static).update(plain(question.title))
        meta = f"{question.domain} · {', '.join(question.tags) or 'no tags'}"
        if flagged:
            meta = "⚑ flagged · " + meta
        self.query_one("#q-meta", Static).update(plain(meta))
        self.query_one("#q-stem", Static).update(inline_text(question.stem_in(language)))
        self.set_hint(self.default_hint(question))

    @staticmethod
    def default_hint(question: Question) -> str:
        if question.is_multi:
            return f"Select {len(question.answer)} options ({letter_range(question)} or space to toggle), then enter."
        return f"Choose one option ({letter_range(question)} or ↑/↓), then enter."

    def set_hint(self, text: str, warning: bool = False) -> None:
        hint = self.query_one("#q-hint", Static)
        hint.update(plain(text))
        hint.set_class(warning, "-warning")
