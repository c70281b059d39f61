"""After grading: right/wrong, the correct answer, the explanation (English/Korean) and a reason per option."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from quizapp.content import Question
from quizapp.ui.text import inline_text, plain

LANGUAGES = {"en": "English", "ko": "한국어"}


class FeedbackPanel(Vertical):
    """Hidden until ``show``; ``language`` ("en"/"ko") switches the answer, explanation and reasons
    (each falls back to English, or to whatever language the file has, when missing)."""

    language = reactive("en")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.question: Question | None = None
        self.chosen: frozenset[str] = frozenset()
        self.correct = False

    def compose(self) -> ComposeResult:
        yield Static(id="verdict")
        yield Static(id="correct-answer")
        yield Static(id="explanation-title")
        yield Static(id="explanation")
        yield Static("Why each option", id="reasons-title")
        yield Static(id="reasons")
        yield Static(id="feedback-keys")

    def show(self, question: Question, chosen: frozenset[str], correct: bool) -> None:
        self.question, self.chosen, self.correct = question, chosen, correct
        self._fill()
        self.display = True

    def _fill(self) -> None:
        question, chosen, correct, language = self.question, self.chosen, self.correct, self.language
        verdict = self.query_one("#verdict", Static)
        verdict.update("✔ Correct" if correct else f"✘ Not quite — you chose {', '.join(sorted(chosen)) or 'nothing'}")
        verdict.set_class(correct, "-right")
        verdict.set_class(not correct, "-wrong")
        answer = Text("Correct answer: ", style="bold")
        texts = {o.letter: o.text for o in question.options_in(language)}
        for letter in sorted(question.answer):
            answer.append(f"\n  {letter}) ")
            answer.append_text(inline_text(texts.get(letter, "")))
        self.query_one("#correct-answer", Static).update(answer)
        reasons = Text()
        for option in question.options:
            letter = option.letter
            right = letter in question.answer
            mark, style = ("✔", "green") if right else ("✘", "red")
            reasons.append(f"{mark} {letter}) ", style=f"bold {style}")
            if letter in chosen:
                reasons.append("(your choice) ", style="italic")
            reasons.append_text(inline_text(question.reason_for(letter, language) or ("This is the correct option." if right else "No reason given for this option.")))
            reasons.append("\n")
        reasons.rstrip()
        self.query_one("#reasons", Static).update(reasons)
        self.query_one("#reasons-title", Static).update("보기별 해설" if language == "ko" else "Why each option")
        keys = "k  English/한국어"
        if question.simulation:
            keys += f"   s  run the simulation '{question.simulation}'"
        keys += "   n / →  next"
        self.query_one("#feedback-keys", Static).update(plain(keys))
        self._show_explanation()

    def hide(self) -> None:
        self.question = None
        self.display = False

    def watch_language(self) -> None:
        if self.question is not None and self.is_mounted:
            self._fill()

    def _show_explanation(self) -> None:
        if self.question is None or not self.is_mounted:
            return
        explanation = self.question.explanation
        text = explanation.get(self.language, "")
        title = f"Explanation ({LANGUAGES[self.language]}) — k switches language"
        if not text:
            other = "ko" if self.language == "en" else "en"
            text = explanation.get(other, "")
            if text:
                title = f"Explanation — no {LANGUAGES[self.language]} text, showing {LANGUAGES[other]} — k switches"
            else:
                text = "No explanation in this question file."
        self.query_one("#explanation-title", Static).update(plain(title))
        self.query_one("#explanation", Static).update(inline_text(text))
