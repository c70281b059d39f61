"""After an exam: score, pass/fail, breakdown by domain and tag, time per question, and a
review of every question with its explanation and option reasons; ``s`` runs the reviewed
question's simulation (under the exam's letters); "retry missed" practises the missed ones."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quizapp.exam import ExamAttempt, ExamResult
from quizapp.ui.text import clean, styled
from quizapp.ui.widgets.feedback_panel import FeedbackPanel


class ExamResultScreen(Screen):
    DEFAULT_CSS = """
    ExamResultScreen #result-head { height: auto; padding: 1 1 0 1; }
    ExamResultScreen #result-score { text-style: bold; }
    ExamResultScreen #result-score.-pass { color: $success; }
    ExamResultScreen #result-score.-fail { color: $error; }
    ExamResultScreen #result-tables { height: auto; max-height: 12; }
    ExamResultScreen #result-tables DataTable { width: 1fr; height: auto; max-height: 12; }
    ExamResultScreen #result-questions { height: 1fr; min-height: 6; }
    ExamResultScreen #review { height: 1fr; padding: 0 1; border-top: solid $accent; }
    """
    BINDINGS = [
        Binding("m", "retry_missed", "Retry missed"),
        Binding("s", "simulation", "Simulation"),
        Binding("k", "language", "한/EN"),
        Binding("escape", "home", "Home"),
    ]

    def __init__(self, attempt: ExamAttempt, result: ExamResult) -> None:
        super().__init__()
        self.attempt = attempt
        self.result = result
        self.reviewing: int | None = None  # index of the question shown in the review panel

    def compose(self) -> ComposeResult:
        yield Header()
        r = self.result
        with Vertical(id="result-head"):
            verdict = "PASS" if r.passed else "FAIL"
            yield Static(
                f"{verdict}: {r.score}/{r.total} ({r.percent:.0f}%), pass mark {r.pass_mark:.0%} · "
                f"time used {int(r.seconds_used // 60)}m{int(r.seconds_used % 60):02d}s",
                id="result-score",
                classes="-pass" if r.passed else "-fail",
                markup=False,
            )
        with Horizontal(id="result-tables"):
            yield DataTable(id="by-domain", cursor_type="none", zebra_stripes=True)
            yield DataTable(id="by-tag", cursor_type="none", zebra_stripes=True)
        yield DataTable(id="result-questions", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="review"):
            yield Static("Select a question above to review it.", id="review-title", markup=False)
            yield FeedbackPanel(id="feedback")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Exam result"
        for table_id, label, rows in (("#by-domain", "domain", self.result.by_domain), ("#by-tag", "tag", self.result.by_tag)):
            table = self.query_one(table_id, DataTable)
            table.add_columns(label, "right", "of", "%")
            for name, (right, total) in rows.items():
                table.add_row(styled(name), right, total, f"{100 * right / total:.0f}%")
        questions = self.query_one("#result-questions", DataTable)
        questions.add_columns("#", "", "question", "your answer", "answer", "time", "flag")
        for i, (item, row) in enumerate(zip(self.attempt.items, self.result.questions)):
            shown = self.attempt.answers.get(i, [])
            questions.add_row(
                i + 1,
                Text("✔", style="green") if row.correct else Text("✘", style="red"),
                styled(item.title),
                ", ".join(shown) or "—",
                ", ".join(sorted(item.answer)),
                f"{row.seconds:.0f}s",
                "⚑" if row.flagged else "",
                key=str(i),
            )
        questions.focus()
        self.query_one(FeedbackPanel).display = False

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "result-questions" or event.row_key.value is None:
            return
        i = int(event.row_key.value)
        self.reviewing = i
        item = self.attempt.items[i]
        chosen = frozenset(self.attempt.answers.get(i, []))
        panel = self.query_one(FeedbackPanel)
        self._show_review_title()
        panel.display = True
        panel.show(item, chosen, bool(chosen) and item.is_correct(chosen))

    def _show_review_title(self) -> None:
        """The reviewed question's title and stem, in the feedback panel's language."""
        i = self.reviewing
        if i is None:
            return
        item = self.attempt.items[i]
        stem = item.stem_in(self.query_one(FeedbackPanel).language)
        self.query_one("#review-title", Static).update(Text(f"{i + 1}. {clean(item.title)}\n\n{clean(stem)}"))

    def action_language(self) -> None:
        panel = self.query_one(FeedbackPanel)
        panel.language = "ko" if panel.language == "en" else "en"
        self._show_review_title()

    def action_simulation(self) -> None:
        """Run the reviewed question's simulation, lettered as the learner saw it in the exam."""
        i = self.reviewing
        if i is None:
            self.notify("Select a question first.", markup=False)
            return
        item = self.attempt.items[i]
        if not item.simulation:
            self.notify("This question has no simulation.", markup=False)
            return
        self.app.open_simulation(item.simulation, question=item, chosen=self.attempt.answers.get(i, []),
                                 letters=self.attempt.mappings[i])

    def action_retry_missed(self) -> None:
        missed = self.result.missed
        if not missed:
            self.notify("Nothing missed — well done.", markup=False)
            return
        # the letters the learner saw in the exam, not their practice order
        views = {item.id: (item, mapping) for item, mapping in zip(self.attempt.items, self.attempt.mappings)}
        self.app.pop_screen()
        self.app.start_practice(missed, title="Missed in the exam", views={qid: views[qid] for qid in missed if qid in views})

    def action_home(self) -> None:
        self.app.pop_screen()
