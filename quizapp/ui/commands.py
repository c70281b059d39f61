"""Command palette entries: go to a screen, open a question, open a simulation."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from quizapp.ui.text import one_line

SCREENS = (
    ("Go to: Home", "The start screen with your counts", "go_home"),
    ("Go to: Practice", "Pick a domain, tag or all questions and practise", "practice"),
    ("Go to: Review", "Questions due for review, then recent misses", "review"),
    ("Go to: Exam", "A timed practice exam (resumes an unfinished one)", "exam"),
    ("Go to: Study notes", "Read the notes and open their questions", "notes"),
    ("Go to: Simulation lab", "Run the teaching simulations", "lab"),
    ("Go to: Statistics", "Accuracy, answers over time, weakest facts", "statistics"),
    ("Show: Keys", "Every key on every screen", "help"),
    ("Show: Content problems", "Problems found in the content files", "show_problems"),
)


class QuizCommands(Provider):
    """Screens, every question (by title or id) and every simulation."""

    def _entries(self) -> list[tuple[str, str, object]]:
        app = self.app
        entries = [(title, help_text, partial(app.run_action, action)) for title, help_text, action in SCREENS]
        for qid, question in app.content.questions.items():
            # the id is part of the searched text, so typing an id finds the question
            entries.append((f"Open question: {one_line(question.title, 60)} · {one_line(qid, 40)}", qid,
                            partial(app.action_open_question, qid)))
        from simulations.catalog import SIMULATION_NAMES  # names only, costs nothing

        for name in SIMULATION_NAMES:
            entries.append((f"Run simulation: {name}", "Open it in the simulation lab", partial(app.open_simulation, name)))
        return entries

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries()[: len(SCREENS)]:
            yield DiscoveryHit(Content(title), callback, help=help_text)

    async def search(self, query: str) -> Hits:
        fuzzy = self.matcher(query)
        for title, help_text, callback in self._entries():
            score, offsets = fuzzy.fuzzy_search.match(query, title)
            if score > 0:
                yield Hit(score, _highlight(title, offsets), callback, help=help_text)


def _highlight(title: str, offsets) -> Content:
    """Like Matcher.highlight but never parses ``title`` as markup (titles come from content files)."""
    content = Content(title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize("bold reverse", offset, offset + 1)
    return content
