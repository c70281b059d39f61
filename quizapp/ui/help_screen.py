"""Every key on every screen, generated from the screens' BINDINGS so it never goes stale."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

KEY_NAMES = {
    "question_mark": "?",
    "escape": "esc",
    "enter": "enter",
    "space": "space",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "plus": "+",
    "equals_sign": "=",
}


def key_label(keys: str) -> str:
    return " / ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def binding_rows(bindings) -> list[tuple[str, str]]:
    rows: dict[str, list[str]] = {}
    for binding in bindings:
        if isinstance(binding, tuple):
            binding = Binding(*binding)
        description = binding.description or (binding.group.description if binding.group else "") or binding.action
        rows.setdefault(description, []).append(key_label(binding.key))
    return [(" / ".join(keys), description) for description, keys in rows.items()]


def screen_classes() -> list[tuple[str, type]]:
    from quizapp.ui.exam_result_screen import ExamResultScreen
    from quizapp.ui.exam_screen import ExamScreen
    from quizapp.ui.home_screen import HomeScreen
    from quizapp.ui.notes_screen import NotesScreen
    from quizapp.ui.practice_screen import PracticeScreen
    from quizapp.ui.presenter_screen import PresenterScreen
    from quizapp.ui.simulation_screen import SimulationScreen
    from quizapp.ui.stats_screen import StatsScreen

    return [
        ("Home", HomeScreen),
        ("Practice and review", PracticeScreen),
        ("Exam", ExamScreen),
        ("Exam result", ExamResultScreen),
        ("Classroom presenter", PresenterScreen),
        ("Simulation lab", SimulationScreen),
        ("Study notes", NotesScreen),
        ("Statistics", StatsScreen),
    ]


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help_screen.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, current: Screen | None = None) -> None:
        super().__init__()
        self.current = type(current) if current is not None else None

    def compose(self) -> ComposeResult:
        text = Text()
        sections = screen_classes()
        sections.sort(key=lambda item: item[1] is not self.current)  # the screen you came from first
        sections.append(("Everywhere", type(self.app)))
        for title, cls in sections:
            text.append(f"{title}\n", style="bold underline")
            for keys, description in binding_rows(cls.BINDINGS):
                text.append(f"  {keys:<22}", style="bold")
                text.append(f"{description}\n")
            text.append("\n")
        text.append("Everywhere also: ctrl+p command palette (go to a screen, open a question, run a simulation)\n", style="dim")
        with Vertical(id="help"):
            yield Static("Keys", id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(text, id="help-text")
            yield Static("escape / ? to close", id="help-hint")

    def action_dismiss(self, result=None) -> None:
        self.dismiss(None)
