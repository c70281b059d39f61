"""Exam mode: timed, no feedback until the end, flags, a navigator, auto-submit at zero.

The attempt is saved to the progress store after every answer or flag, so closing the app
mid-exam and reopening offers to resume it with the time that was left.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, ProgressBar, Static

from quizapp.exam import ExamAttempt
from quizapp.ui.confirm_screen import ConfirmScreen
from quizapp.ui.exam_navigator import ExamNavigator
from quizapp.ui.widgets.answer_list import AnswerList
from quizapp.ui.widgets.question_view import QuestionView

CHOOSE = Binding.Group("Choose")


def format_clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60:02d}:{seconds % 60:02d}"


class ExamScreen(Screen):
    CSS_PATH = "exam_screen.tcss"
    BINDINGS = [
        *(Binding(key, f"choose('{key.upper()}')", "Choose", group=CHOOSE) for key in "abcde"),
        Binding("n,right", "next", "Next"),
        Binding("P,left", "previous", "Prev", show=False),
        Binding("f", "flag", "Flag"),
        Binding("g", "navigator", "Navigator"),
        Binding("ctrl+s", "submit", "Submit"),
        Binding("escape", "leave", "Leave"),
    ]

    index = reactive(0, init=False)

    def __init__(self, attempt: ExamAttempt, exam_id: int | None = None) -> None:
        super().__init__()
        self.attempt = attempt
        self.exam_id = exam_id
        self.set_reactive(ExamScreen.index, attempt.current)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="exam-top"):
            yield Static(id="exam-position", markup=False)
            yield ProgressBar(total=len(self.attempt.items), show_eta=False, show_percentage=False, id="exam-progress")
            yield Static(id="exam-clock", markup=False)
        with VerticalScroll(id="exam-body"):
            yield QuestionView(id="question")
            yield AnswerList(id="options")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = f"Exam · {len(self.attempt.items)} questions · pass mark {self.attempt.config.pass_mark:.0%}"
        self._show()
        self.set_interval(1.0, self._tick)

    # -- display ------------------------------------------------------------------------------
    def watch_index(self, index: int) -> None:
        self.attempt.go(index)
        self._show()
        self._save()

    def _show(self) -> None:
        attempt = self.attempt
        question = attempt.items[self.index]
        view = self.query_one(QuestionView)
        view.show(question, self.index in attempt.flags)
        answers = self.query_one(AnswerList)
        answers.show(question, set(attempt.answers.get(self.index, [])), None)
        answers.focus()
        self.query_one("#exam-position", Static).update(f"Question {self.index + 1} of {len(attempt.items)}")
        self.query_one("#exam-progress", ProgressBar).update(progress=len(attempt.answers))
        self.query_one("#exam-body", VerticalScroll).scroll_home(animate=False)
        self._tick()

    def _tick(self) -> None:
        remaining = self.attempt.remaining()
        label = self.query_one("#exam-clock", Static)
        label.update(f"⏱ {format_clock(remaining)} left · {len(self.attempt.unanswered())} unanswered · {len(self.attempt.flags)} flagged")
        label.set_class(remaining < 60, "-low")
        if self.attempt.is_time_up() and not self.attempt.submitted:
            self.notify("Time is up — the exam was submitted.", markup=False)
            self._finish()

    def _save(self) -> None:
        """Queue a save of the exam as it is now (the writer thread writes it, in order)."""
        if self.exam_id is not None:
            exam_id, state = self.exam_id, self.attempt.to_state()
            self.app.save_progress(lambda store: store.save_exam(exam_id, state))

    # -- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "choose":
            return self.attempt.items[self.index].option(parameters[0]) is not None
        return True

    def action_choose(self, letter: str) -> None:
        question = self.attempt.items[self.index]
        chosen = set(self.attempt.answers.get(self.index, []))
        if question.is_multi:
            chosen ^= {letter}
        else:
            chosen = set() if chosen == {letter} else {letter}
        self.attempt.answer(chosen, self.index)
        self._show()
        self.query_one(AnswerList).highlighted = question.letters.index(letter)
        if question.is_multi:
            self.query_one(QuestionView).set_hint(f"Selected {len(chosen)} of {len(question.answer)}: {', '.join(sorted(chosen)) or 'none'}")
        self._save()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(event.option.id)

    def on_answer_list_submitted(self, event: AnswerList.Submitted) -> None:
        event.stop()
        self.action_next()

    def action_next(self) -> None:
        if self.index < len(self.attempt.items) - 1:
            self.index += 1
        else:
            self.notify("Last question — ctrl+s submits, g opens the navigator.", markup=False)

    def action_previous(self) -> None:
        if self.index > 0:
            self.index -= 1

    def action_flag(self) -> None:
        flagged = self.attempt.toggle_flag(self.index)
        self._show()
        self.notify("Flagged for review" if flagged else "Flag removed", timeout=2, markup=False)
        self._save()

    def action_navigator(self) -> None:
        def jump(index: int | None) -> None:
            if index is not None:
                self.index = index

        self.app.push_screen(ExamNavigator(self.attempt), jump)

    def action_submit(self) -> None:
        missing = len(self.attempt.unanswered())
        flagged = len(self.attempt.flags)
        if missing or flagged:
            text = f"{missing} question(s) unanswered and {flagged} flagged. Submit the exam anyway?"
            self.app.push_screen(ConfirmScreen(text, yes="Submit", no="Keep going"), lambda ok: ok and self._finish())
        else:
            self._finish()

    def action_leave(self) -> None:
        self._save()
        self.notify("Exam saved — resume it from Home (e) with the time that was left.", markup=False)
        self.app.pop_screen()

    def _feed_review(self, result) -> None:
        """Each answered exam question counts for spaced review and statistics, as mode "exam"."""
        now = self.app.now()
        rows = [row for row in result.questions if row.chosen]  # the file's letters

        def record(store) -> None:
            for row in rows:
                store.record_answer(row.question_id, row.chosen, row.correct, row.seconds, mode="exam", now=now)

        self.app.save_progress(record)

    def _finish(self) -> None:
        if self.attempt.submitted:
            return
        result = self.attempt.submit()
        if self.exam_id is not None:
            exam_id, state = self.exam_id, self.attempt.to_state()
            self.app.save_progress(lambda store: store.finish_exam(exam_id, state, result))
        self._feed_review(result)
        from quizapp.ui.exam_result_screen import ExamResultScreen

        self.app.switch_screen(ExamResultScreen(self.attempt, result))
