"""The list of modes on Home; each entry names its key and runs an app action."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

MODES = (
    ("p", "Practice", "answer questions with instant feedback", "practice"),
    ("r", "Review", "questions due for review, then recent misses", "review"),
    ("e", "Exam", "a timed practice exam, scored at the end", "exam"),
    ("n", "Study notes", "read the notes behind the questions", "notes"),
    ("l", "Simulation lab", "run the monitoring simulations", "lab"),
    ("t", "Statistics", "accuracy, answers over time, weak spots", "statistics"),
)


class ModeList(OptionList):
    """Keyboard-navigable list of modes; Enter (or a click) runs the mode's action."""

    def __init__(self, **kwargs) -> None:
        options = []
        for key, name, help_text, action in MODES:
            prompt = Text.assemble((f" {key} ", "bold reverse"), "  ", (f"{name:<15}", "bold"), (help_text, "dim"))
            options.append(Option(prompt, id=action))
        super().__init__(*options, **kwargs)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.app.data_ready:
            self.app.run_action(event.option.id)
