"""Statistics: accuracy by domain and tag, answers per day (textual-plot), weakest facts, streak, due forecast."""

from __future__ import annotations

from datetime import datetime

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
    report: dict | None = None  # the figures on screen, once the worker has loaded them

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
        yield Footer(compact=True)

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
        self._load()

    @work(thread=True, exclusive=True, group="stats")
    def _load(self) -> None:
        """Queries and numpy off the UI thread; the tables fill when they are ready."""
        from quizapp.progress.report import stats_report
        import textual_plot  # noqa: F401  (numpy)

        app = self.app
        app.settle_progress()  # queued answers first (the writer thread)
        now = app.now()
        report = stats_report(app.store, app.content, now)
        per_day = app.store.answers_per_day(days=self.DAYS, now=now)
        self.app.call_from_thread(self._show, report, per_day)

    async def _show(self, r: dict, per_day) -> None:
        accuracy = "–" if r["accuracy"] is None else f"{r['accuracy']:.0%}"
        self.query_one("#stats-summary", Static).update(
            f"Answered {r['answered']} of {r['questions']} questions · {r['attempts']} attempt{'' if r['attempts'] == 1 else 's'}, "
            f"{r['correct']} correct ({accuracy}) · streak {r['streak_days']} day{'s' if r['streak_days'] != 1 else ''}"
            f" · new {r['new']} · learning {r['learning']} · review {r['review']} · due now {r['due']}\n"
            + "By mode: " + (" · ".join(f"{row['mode']} {row['correct']}/{row['attempts']} ({_share(row['correct'], row['attempts'])})"
                                        for row in r["by_mode"]) or "no answers yet")
            + ("  ·  select an exam below (enter) to review it question by question" if r["exams"] else "")
        )
        for table_id, key in (("by-domain", "by_domain"), ("by-tag", "by_tag")):
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear()
            for row in r[key]:
                table.add_row(styled(row["name"]), row["attempts"], row["correct"], _share(row["correct"], row["attempts"]))
        facts = self.query_one("#weakest-facts", DataTable)
        facts.clear()
        for row in r["weakest_facts"]:
            statement = row["statement"]
            facts.add_row(styled(row["fact"]), row["attempts"], f"{row['accuracy']:.0%}",
                          styled(statement[:60] + ("…" if len(statement) > 60 else "")))
        forecast = self.query_one("#forecast", DataTable)
        forecast.clear()
        for row in r["due_forecast"]:
            forecast.add_row(row["date"], row["due"])
        exams = self.query_one("#exams", DataTable)
        exams.clear()
        for e in r["exams"]:
            used = e["seconds_used"]
            weakest = e["weakest_domain"]
            exams.add_row(
                datetime.fromisoformat(e["finished_at"]).astimezone().strftime("%Y-%m-%d %H:%M"),
                f"{e['score']}/{e['total']}",
                _share(e["score"], e["total"]),
                "pass" if e["passed"] else "fail",
                f"{int(used // 60)}m{int(used % 60):02d}s",
                styled(f"{weakest['name']} ({weakest['correct']}/{weakest['total']})") if weakest else "–",
                key=str(e["id"]),
            )
        if not exams.row_count:
            exams.add_row("no exam yet — press e on Home", "", "", "", "", "")
        await self._show_chart(per_day)
        self.report = r

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
        # one day wide whatever the gaps between answered days (the default width follows the spacing)
        plot.bar(days, heights, width=0.8, bar_style="dodger_blue1", label="answers")
        answered_days = [(day, row[2]) for day, row in zip(days, per_day) if row[1]]
        if len(answered_days) > 1:  # a line needs two days with answers; never drawn across empty days from day -1
            plot.plot([d for d, _ in answered_days], [c for _, c in answered_days], line_style="green",
                      hires_mode=HiResMode.BRAILLE, label="correct")
        elif answered_days:
            plot.scatter([answered_days[0][0]], [answered_days[0][1]], marker="•", marker_style="green", label="correct")
        top = max(attempts + [1])
        plot.set_xlimits(days[0] - 0.5, days[-1] + 0.5)  # the whole period, not just the days with answers
        plot.set_ylimits(0, top * 1.1)
        step = max(1, -(-top // 5))  # whole-number ticks, none skipped
        plot.set_yticks(list(range(0, top + step, step)))
        plot.set_xlabel("day (0 = today)")
        plot.set_ylabel("answers")
        plot.show_legend(LegendLocation.TOPLEFT)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an exam row: its result screen, question by question (answer, key, explanation)."""
        if event.data_table.id != "exams" or event.row_key.value is None:
            return
        event.stop()
        self.open_exam(int(event.row_key.value))

    def open_exam(self, exam_id: int) -> None:
        from quizapp.exam import ExamAttempt
        from quizapp.exam.attempt import ExamResult
        from quizapp.ui.exam_result_screen import ExamResultScreen

        saved = self.app.store.finished_exam(exam_id)
        try:
            if saved is None:
                raise ValueError("it is not in the progress database any more")
            state, result = saved
            attempt = ExamAttempt.resume(self.app.questions, state)
            result = ExamResult.from_dict(result)
            if [q.id for q in attempt.items] != [row.question_id for row in result.questions]:
                raise ValueError("some of its questions were deleted since")
        except (ValueError, KeyError, TypeError) as exc:
            self.notify(f"That exam cannot be reopened: {exc}", severity="warning", markup=False)
            return
        self.app.push_screen(ExamResultScreen(attempt, result))

    def action_back(self) -> None:
        self.app.pop_screen()
