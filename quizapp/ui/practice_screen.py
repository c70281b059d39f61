"""Practice (and review): one question at a time, graded with every option explained.

Options appear in the learner's own order (practice_order): letters on screen, in the feedback
and in the re-lettered explanations are the shown ones; the progress store records the file's
letters. ``k`` switches stem, options, explanation and reasons between English and Korean.
Each answer is recorded in the progress store with the seconds it took (by the app's writer
thread, so a locked database never freezes a key); a session is started with the first
answer and ended when the screen closes.
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, OptionList, ProgressBar, Static

from quizapp.content import Question
from quizapp.ui.practice_order import View, practice_view
from quizapp.ui.text import clean
from quizapp.ui.widgets.answer_list import AnswerList
from quizapp.ui.widgets.feedback_panel import FeedbackPanel
from quizapp.ui.widgets.question_view import QuestionView, letter_range

CHOOSE = Binding.Group("Choose")
RATE = Binding.Group("Rate")
RATED_MODES = ("practice", "review")  # answers that move the spaced-review schedule from this screen
OPTION_KEYS = "abcde"


class PracticeScreen(Screen):
    CSS_PATH = "practice_screen.tcss"
    BINDINGS = [
        *(Binding(key, f"choose('{key.upper()}')", "Choose", group=CHOOSE) for key in OPTION_KEYS),
        *(Binding(str(n), f"rate({n})", name, group=RATE) for n, name in ((1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy"))),
        Binding("enter", "submit", "Submit", show=False),
        Binding("n,right", "next", "Next"),
        Binding("P,left", "previous", "Prev", show=False),  # the hint names P/←
        Binding("f", "flag", "Flag"),
        Binding("k", "language", "한/EN"),
        Binding("s", "simulation", "Simulation"),
        Binding("escape", "back", "Back"),
    ]

    index = reactive(0, init=False)
    language = reactive("en", init=False)

    def __init__(self, question_ids: list[str], mode: str = "practice", set_title: str = "Practice", views: dict[str, View] | None = None) -> None:
        super().__init__()
        self.question_ids = list(question_ids)
        self.views: dict[str, View] = dict(views or {})  # question id -> as shown (filled on first show)
        self.mode = mode
        self.set_title = set_title
        self.selected: set[str] = set()
        self.answers: dict[str, tuple[frozenset[str], bool]] = {}
        self.reviews: dict[str, tuple] = {}  # question id -> (ReviewOutcome, seconds): the schedule line
        self._session: dict = {}  # {"started": True, "id": ...}; the id is set by the writer thread
        self.shown_at = time.monotonic()

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        if not self.question_ids:
            with Vertical(id="empty"):
                yield Static(self._empty_message(), id="empty-message", markup=False)
            yield Footer(compact=True)
            return
        with Horizontal(id="practice-top"):
            yield Static(id="position", markup=False)
            yield ProgressBar(total=len(self.question_ids), show_eta=False, show_percentage=False, id="set-progress")
            yield Static(id="score", markup=False)
        with VerticalScroll(id="practice-body"):
            yield QuestionView(id="question")
            yield AnswerList(id="options")
            yield Button("Submit (enter)", id="submit", variant="primary")
            yield Static(id="schedule", markup=False)
            yield FeedbackPanel(id="feedback")
        yield Footer(compact=True)

    def _empty_message(self) -> str:
        if self.mode == "review":
            return (
                "Nothing to review right now — no question is due and there are no recent misses.\n\n"
                "Practise a few questions (p on Home) and they will come back here when they are due.\n\n"
                "escape: back"
            )
        return "This set has no questions.\n\nescape: back"

    def on_mount(self) -> None:
        self.sub_title = clean(f"{self.mode.capitalize()} · {self.set_title}")
        self.set_reactive(PracticeScreen.language, self.app.settings.language)  # the learner's last choice
        if self.question_ids:
            self._show_question()

    def on_unmount(self) -> None:
        self.end_session()

    def end_session(self) -> None:
        """Store the session's score (queued after its answers; Home refreshes when it lands)."""
        session = self._session
        if session.get("started"):
            now = self.app.now()
            self._session = {}

            def end(store) -> None:
                if session.get("id") is not None:
                    store.end_session(session["id"], now=now)

            self.app.save_progress(end)

    # -- state -----------------------------------------------------------------------------
    @property
    def question(self) -> Question | None:
        """The current question as the learner sees it (shuffled letters)."""
        if not self.question_ids:
            return None
        qid = self.question_ids[self.index]
        if qid not in self.views:
            self.views[qid] = practice_view(self.app.questions[qid], self.app.practice_seed)
        return self.views[qid][0]

    def file_letters(self, question: Question, shown: frozenset[str]) -> list[str]:
        """The letters of the question file for letters ``shown`` on screen."""
        mapping = self.views[question.id][1]
        return sorted(mapping.get(letter, letter) for letter in shown)

    def watch_index(self) -> None:
        self.selected = set()
        self._show_question()

    def _show_question(self) -> None:
        question = self.question
        answered = self.answers.get(question.id)
        self.query_one(QuestionView).show(question, question.id in self.app.flagged, self.language)
        answer_list = self.query_one(AnswerList)
        answer_list.highlighted = 0
        answer_list.show(question, self.selected, answered[0] if answered else None, self.language)
        feedback = self.query_one(FeedbackPanel)
        feedback.language = self.language
        self._show_schedule(question)
        if answered:
            feedback.show(question, *answered)
            self.query_one(QuestionView).set_hint("Answered — n/→ next, P/← previous.")
        else:
            feedback.hide()
            self.shown_at = time.monotonic()
        self.query_one("#submit", Button).display = not answered
        self._show_progress()
        self.refresh_bindings()
        answer_list.focus()
        self.query_one("#practice-body", VerticalScroll).scroll_home(animate=False)

    def _show_progress(self) -> None:
        total = len(self.question_ids)
        self.query_one("#position", Static).update(f"Question {self.index + 1} of {total}")
        self.query_one("#set-progress", ProgressBar).update(progress=len(self.answers))
        right = sum(1 for _, correct in self.answers.values() if correct)
        self.query_one("#score", Static).update(f"{right}/{len(self.answers)} right")

    def _show_schedule(self, question: Question) -> None:
        """'Next review in 4 days · Good: right in 35 s' and the keys that change the rating."""
        from quizapp.progress.scheduling import describe_interval, rating_reason

        line = self.query_one("#schedule", Static)
        review = self.reviews.get(question.id)
        line.display = question.id in self.answers and self.mode in RATED_MODES
        if review is None:
            line.update("↻ Scheduling the next review …")
            return
        outcome, seconds = review
        correct = self.answers[question.id][1]
        reason = rating_reason(outcome.rating, correct, seconds, outcome.chosen)
        line.update(
            f"↻ Next review in {describe_interval(outcome.interval)} · {reason}\n"
            "  Change the rating: 1 Again · 2 Hard · 3 Good · 4 Easy"
        )

    def _scheduled(self, question_id: str, outcome, seconds: float) -> None:
        """From the writer thread (via the UI loop): the answer is stored and the card scheduled."""
        self.reviews[question_id] = (outcome, seconds)
        question = self.question
        if self.is_mounted and question is not None and question.id == question_id:
            self._show_schedule(question)
            self.refresh_bindings()

    # -- actions ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if not self.question_ids and action not in ("back",):
            return False
        if action == "rate":
            question = self.question
            return bool(question and question.id in self.reviews)
        if action == "simulation":  # always on, so `s` can say why nothing opens
            return self.question is not None
        if action in ("choose", "submit"):
            question = self.question
            if question is None or question.id in self.answers:
                return False
            return action == "submit" or question.option(parameters[0]) is not None
        return True

    def action_choose(self, letter: str) -> None:
        question = self.question
        if question.id in self.answers or question.option(letter) is None:
            return
        if question.is_multi:
            self.selected ^= {letter}
        else:
            self.selected = {letter}
        answer_list = self.query_one(AnswerList)
        answer_list.show(question, self.selected, None, self.language)
        answer_list.highlighted = question.letters.index(letter)
        if question.is_multi:
            self.query_one(QuestionView).set_hint(
                f"Selected {len(self.selected)} of {len(question.answer)}: {', '.join(sorted(self.selected)) or 'none'} — enter submits."
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(event.option.id)

    def on_answer_list_submitted(self, event: AnswerList.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            event.stop()
            self.action_submit()

    def action_submit(self) -> None:
        question = self.question
        if question is None:
            return
        if question.id in self.answers:
            self.action_next()
            return
        chosen = set(self.selected)
        if not question.is_multi and not chosen:
            highlighted = self.query_one(AnswerList).highlighted
            if highlighted is not None:
                chosen = {question.options[highlighted].letter}
        need = len(question.answer)
        if len(chosen) != need:
            self.query_one(QuestionView).set_hint(
                f"Select {need} options — {len(chosen)} selected. Toggle with {letter_range(question)} or space, then enter.", warning=True
            )
            self.app.bell()
            return
        self._grade(question, frozenset(chosen))

    def _grade(self, question: Question, chosen: frozenset[str]) -> None:
        correct = question.is_correct(chosen)
        seconds = max(0.0, time.monotonic() - self.shown_at)
        # the writer thread stores it (in order, after the session it belongs to): never wait here;
        # the store keeps the file's letters, whatever order the learner saw
        session, mode, now, letters = self._session, self.mode, self.app.now(), sorted(self.file_letters(question, chosen))
        session["started"] = True

        def record(store) -> None:
            if session.get("id") is None:
                session["id"] = store.start_session(mode, now=now)
            outcome = store.record_answer(question.id, letters, correct, seconds, mode=mode, now=now, session_id=session["id"])
            if mode in RATED_MODES:
                self.app._on_loop(self._scheduled, question.id, outcome, seconds)

        self.app.save_progress(record)
        self.answers[question.id] = (chosen, correct)
        self.selected = set()
        self._show_question()
        self.query_one("#schedule", Static).scroll_visible(animate=False, top=True)

    def action_rate(self, rating: int) -> None:
        """Keys 1-4: replace the automatic rating of this answer (the card is re-scheduled)."""
        question = self.question
        review = self.reviews.get(question.id) if question else None
        if review is None:
            return
        outcome, seconds = review
        qid = question.id

        def rerate(store) -> None:
            self.app._on_loop(self._scheduled, qid, store.override_rating(outcome.answer_id, rating), seconds)

        self.app.save_progress(rerate)

    def action_next(self) -> None:
        if not self.question_ids:
            return
        if self.index + 1 < len(self.question_ids):
            self.index += 1
        else:
            self._finish()

    def action_previous(self) -> None:
        if self.question_ids and self.index > 0:
            self.index -= 1

    def _finish(self) -> None:
        from quizapp.ui.session_summary_screen import SessionSummaryScreen

        right = sum(1 for _, correct in self.answers.values() if correct)
        unanswered = len(self.question_ids) - len(self.answers)

        def closed(leave: bool | None) -> None:
            if leave:
                self.action_back()

        self.app.push_screen(SessionSummaryScreen(self.mode, right, len(self.answers), unanswered), closed)

    def action_flag(self) -> None:
        question = self.question
        self.app.flagged ^= {question.id}
        flagged = question.id in self.app.flagged
        now = self.app.now()
        self.app.save_progress(lambda store: store.set_flag(question.id, flagged, now=now))
        self.query_one(QuestionView).show(question, flagged, self.language)
        if question.id in self.answers:
            self.query_one(QuestionView).set_hint("Answered — n/→ next, P/← previous.")
        self.notify("Flagged — find it under 'Flagged' in the practice picker." if flagged else "Flag removed.", markup=False)

    def action_language(self) -> None:
        self.language = "ko" if self.language == "en" else "en"
        self.app.change_settings(language=self.language)  # kept for the next question and the next run

    def watch_language(self) -> None:
        """Redraw stem, options and feedback in the new language, keeping selection and scroll."""
        question = self.question
        if question is None:
            return
        answered = self.answers.get(question.id)
        view = self.query_one(QuestionView)
        view.show(question, question.id in self.app.flagged, self.language)
        if answered:
            view.set_hint("Answered — n/→ next, P/← previous.")
        answer_list = self.query_one(AnswerList)
        highlighted = answer_list.highlighted
        answer_list.show(question, self.selected, answered[0] if answered else None, self.language)
        answer_list.highlighted = highlighted
        self.query_one(FeedbackPanel).language = self.language

    def action_simulation(self) -> None:
        question = self.question
        if question is None:
            return
        if not question.simulation:
            self.notify("This question has no simulation.", markup=False)
            return
        if question.id not in self.answers:  # the outcomes would give the answer away
            self.notify(f"Answer first — then s runs the simulation '{question.simulation}'.", markup=False)
            return
        if question and question.simulation and question.id in self.answers:
            self.app.open_simulation(question.simulation, question=question, chosen=self.answers[question.id][0],
                                     letters=self.views[question.id][1])

    def action_back(self) -> None:
        self.end_session()
        self.app.pop_screen()
