"""Home: the counts, the modes with their keys and the last session's score.

When the progress store cannot write its folder, a banner on top says that nothing will be saved."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quizapp.ui.widgets.counts_bar import CountsBar, home_counts
from quizapp.ui.widgets.mode_list import ModeList


class HomeScreen(Screen):
    """The first screen."""

    BINDINGS = [
        # the mode list shows these keys; the footer keeps to the rest, so nothing is cut at 80 columns
        Binding("p", "app.practice", "Practice", show=False),
        Binding("r", "app.review", "Review", show=False),
        Binding("e", "app.exam", "Exam", show=False),
        Binding("n", "app.notes", "Notes", show=False),
        Binding("l", "app.lab", "Lab", show=False),
        Binding("t", "app.statistics", "Stats", show=False),
        Binding("comma", "settings", "Settings"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="not-saved", markup=False)
        with Vertical(id="home"):
            yield Static("Monitoring ML models in production — SageMaker Model Monitor, CloudWatch, SNS", id="home-intro")
            yield CountsBar(id="counts")
            yield ModeList(id="modes")
            yield Static("", id="last-session", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_counts()

    def on_screen_resume(self) -> None:
        self.refresh_counts()
        self.query_one(ModeList).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return self.app.data_ready

    def action_settings(self) -> None:
        from quizapp.ui.settings_screen import SettingsScreen

        self.app.push_screen(SettingsScreen(), lambda saved: saved and self.refresh_counts())

    def show_counts(self, counts) -> None:
        """Counts ready before the questions themselves (see QuizApp.preview_counts)."""
        self.query_one(CountsBar).counts = counts

    def refresh_counts(self) -> None:
        app = self.app
        if not app.data_ready:
            self.query_one("#last-session", Static).update("Loading questions and progress …")
            return
        app.settle_progress(0.2)
        banner = self.query_one("#not-saved", Static)
        message = getattr(app.store, "not_saved_message", None)
        banner.display = bool(message)
        banner.update(f"⚠ {message}" if message else "")
        self.query_one(CountsBar).counts = home_counts(app.store, app.question_ids, app.settings, app.now())
        last = app.store.last_session()
        text = "No session yet — press p to start practising."
        if last is not None:
            mode, correct, total = last
            share = f" ({correct / total:.0%})" if total else ""
            text = f"Last session: {mode}, {correct} of {total} right{share}"
        self.query_one("#last-session", Static).update(text)
