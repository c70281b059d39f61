"""Statistics: accuracy by domain and tag, answers per day (textual-plot), weakest facts, streak, due forecast."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quizapp.ui.text import styled


def _share(correct: int, attempts: int) -> str:
    return f"{correct / attempts:.0%}" if attempts else "–"


class StatsScreen(Screen):
    CSS_PATH = "stats_screen.tcss"
    BINDINGS = [
        Binding("ctrl+r", "reload", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    DAYS = 30

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static("", id="stats-summary", markup=False)
            with Horizontal(classes="stats-row"):
                yield DataTable(id="by-domain", classes="stats-table", cursor_type="row")
                yield DataTable(id="by-tag", classes="stats-table", cursor_type="row")
            yield Vertical(id="per-day-host")
            with Horizontal(classes="stats-row"):
                yield DataTable(id="weakest-facts", classes="stats-table", cursor_type="row")
                yield DataTable(id="forecast", classes="stats-table", cursor_type="row")
            yield DataTable(id="exams", classes="stats-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Statistics"
        titles = {
            "by-domain": "Accuracy by domain",
            "by-tag": "Accuracy by tag",
            "weakest-facts": "Weakest facts",
            "forecast": "Due in the next 7 days",
            "exams": "Practice exams",
        }
        for table_id, title in titles.items():
            self.query_one(f"#{table_id}").border_title = title
        self.query_one("#by-domain", DataTable).add_columns("Domain", "Attempts", "Correct", "Accuracy")
        self.query_one("#by-tag", DataTable).add_columns("Tag", "Attempts", "Correct", "Accuracy")
        self.query_one("#weakest-facts", DataTable).add_columns("Fact", "Attempts", "Accuracy", "Statement")
        self.query_one("#forecast", DataTable).add_columns("Date", "Due")
        self.query_one("#exams", DataTable).add_columns("Finished", "Score", "%", "Result", "Time used", "Weakest domain")
        self.action_reload()

    def action_reload(self) -> None:
        app = self.app
        app.settle_progress()
        store, questions, now = app.store, app.questions, app.now()
        summary = store.summary(list(questions), now=now)
        accuracy = "–" if summary.accuracy is None else f"{summary.accuracy:.0%}"
        self.query_one("#stats-summary", Static).update(
            f"Answered {summary.answered} of {summary.questions} questions · {summary.attempts} attempt{'' if summary.attempts == 1 else 's'}, "
            f"{summary.correct} correct ({accuracy}) · streak {summary.streak_days} day{'s' if summary.streak_days != 1 else ''}"
            f" · due now {summary.due}"
        )
        for table_id, key in (("by-domain", "domain"), ("by-tag", "tag")):
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear()
            for name, attempts, correct in store.accuracy_by(questions, key):
                table.add_row(styled(name), attempts, correct, _share(correct, attempts))
        facts = self.query_one("#weakest-facts", DataTable)
        facts.clear()
        for fact_id, attempts, share in store.weakest_facts(questions, limit=5):
            fact = app.content.facts.get(fact_id)
            statement = fact.statement if fact else ""
            facts.add_row(styled(fact_id), attempts, f"{share:.0%}", styled(statement[:60] + ("…" if len(statement) > 60 else "")))
        forecast = self.query_one("#forecast", DataTable)
        forecast.clear()
        for day, count in store.due_forecast(list(questions), days=7, now=now):
            forecast.add_row(day.isoformat(), count)
        exams = self.query_one("#exams", DataTable)
        exams.clear()
        for record in store.exam_history(limit=10):
            by_domain = record.result.get("by_domain", {})
            weakest = min(by_domain.items(), key=lambda kv: kv[1][0] / kv[1][1] if kv[1][1] else 1.0, default=None)
            used = float(record.result.get("seconds_used", 0))
            exams.add_row(
                record.finished_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                f"{record.score}/{record.total}",
                _share(record.score, record.total),
                "pass" if record.passed else "fail",
                f"{int(used // 60)}m{int(used % 60):02d}s",
                styled(f"{weakest[0]} ({weakest[1][0]}/{weakest[1][1]})") if weakest else "–",
            )
        if not exams.row_count:
            exams.add_row("no exam yet — press e on Home", "", "", "", "", "")
        self._load_chart(store.answers_per_day(days=self.DAYS, now=now))

    @work(thread=True, exclusive=True, group="stats-chart")
    def _load_chart(self, per_day) -> None:
        import textual_plot  # noqa: F401  (numpy: imported off the UI thread)

        self.app.call_from_thread(self._show_chart, per_day)

    async def _show_chart(self, per_day) -> None:
        from textual_plot import HiResMode, LegendLocation, PlotWidget

        host = self.query_one("#per-day-host", Vertical)
        await host.remove_children()
        title = Static(f"Answers per day, last {self.DAYS} days (0 = today)", classes="chart-title", markup=False)
        plot = PlotWidget(id="per-day", allow_pan_and_zoom=False)
        await host.mount_all([title, plot])
        days = [index - (len(per_day) - 1) for index in range(len(per_day))]
        attempts = [row[1] for row in per_day]
        heights = [count or float("nan") for count in attempts]  # no bar on days without answers
        plot.bar(days, heights, bar_style="dodger_blue1", label="answers")
        plot.plot(days, [row[2] for row in per_day], line_style="green", hires_mode=HiResMode.BRAILLE, label="correct")
        plot.set_ylimits(0, max(attempts + [1]) * 1.1)
        plot.set_xlabel("day")
        plot.show_legend(LegendLocation.TOPLEFT)

    def action_back(self) -> None:
        self.app.pop_screen()
