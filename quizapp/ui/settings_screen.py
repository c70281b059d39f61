"""Settings: the daily limits for new questions and reviews (kept in settings.json).

Theme is chosen with the command palette (ctrl+p, "theme") and the explanation language with k
in practice; both are kept too. Compact enough for 80x24."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class SettingsScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    SettingsScreen { align: center middle; }
    SettingsScreen #settings { width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; padding: 0 1; background: $surface; }
    SettingsScreen .setting { height: 3; }
    SettingsScreen .setting Label { width: 30; padding: 1 1 0 0; }
    SettingsScreen .setting Input { width: 12; }
    SettingsScreen #settings-error { color: $error; height: auto; }
    SettingsScreen #settings-buttons { height: 3; }
    SettingsScreen #settings-buttons Button { margin: 0 1 0 0; }
    """
    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel")]

    def compose(self) -> ComposeResult:
        settings = self.app.settings
        with Vertical(id="settings"):
            yield Static("Settings — daily limits (Anki-style)", markup=False)
            with Horizontal(classes="setting"):
                yield Label("New questions per day")
                yield Input(str(settings.new_per_day), id="new-per-day", type="integer")
            with Horizontal(classes="setting"):
                yield Label("Reviews per day")
                yield Input(str(settings.reviews_per_day), id="reviews-per-day", type="integer")
            yield Static("", id="settings-error", markup=False)
            yield Static("Theme: ctrl+p → theme · explanation language: k in practice", markup=False)
            with Horizontal(id="settings-buttons"):
                yield Button("Save", id="settings-save", variant="primary")
                yield Button("Cancel", id="settings-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "settings-cancel":
            self.dismiss(False)
            return
        self.save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def save(self) -> None:
        try:
            new = int(self.query_one("#new-per-day", Input).value)
            reviews = int(self.query_one("#reviews-per-day", Input).value)
            self.app.change_settings(new_per_day=new, reviews_per_day=reviews)
        except ValueError as exc:
            text = str(exc) if "must be" in str(exc) else "Enter whole numbers from 0 to 9999."
            self.query_one("#settings-error", Static).update(text)
            return
        self.dismiss(True)
