"""The learner's terminal in a classroom session: join, see the current question, answer.

A small App of its own (no content, no progress store): ``quizapp join HOST:PORT --code C --name N``.
The secret rejoin token from the welcome is kept in ``token_file``, so joining again after a
dropped connection takes the same name and score back.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from quizapp.session.client import SessionClient
from quizapp.session.state import SessionError
from quizapp.session.tokens import load_token, save_token, token_key
from quizapp.ui.text import clean, inline_text

LETTERS = "abcde"


class JoinApp(App[int]):
    TITLE = "Classroom session"
    CSS = """
    #status { height: auto; padding: 0 1; background: $primary-background; }
    #body { padding: 1 2; height: 1fr; }
    #feedback { height: auto; max-height: 50%; padding: 0 1; text-style: bold; border-top: solid $primary; }
    #feedback.-error { color: $error; }
    #feedback.-ok { color: $success; }
    """
    BINDINGS = [
        *(Binding(k, f"choose('{k.upper()}')", "Choose", show=i == 0) for i, k in enumerate(LETTERS)),
        Binding("enter", "send", "Send answer"),
        Binding("q,ctrl+q", "quit", "Leave"),
    ]

    def __init__(self, host: str, port: int, code: str, name: str, client: SessionClient | None = None,
                 token_file: Path | None = None) -> None:
        super().__init__()
        self.host, self.port, self.code, self.learner = host, port, code, name
        self.token_file = token_file
        self.client = client or SessionClient()
        self.question: dict | None = None
        self.selected: set[str] = set()
        self.sent = False
        self.join_failed = False
        self.deadline: float | None = None  # monotonic time the question's timer ends (ticks locally)
        self.paused_left: float | None = None
        self.timer_text = ""
        self.score = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Connecting to {self.host}:{self.port} ...", id="status", markup=False)
        with VerticalScroll(id="body"):
            yield Static("Waiting for the first question.", id="question", markup=False)
        yield Static("", id="feedback", markup=False)  # outside the scroll: always in sight, even at 80x24
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        try:
            key = token_key(self.host, self.port, self.code, self.learner)
            welcome = await self.client.connect(self.host, self.port, self.code, self.learner, token=load_token(self.token_file, key))
        except ConnectionRefusedError:
            self._status(f"Nobody is listening at {self.host}:{self.port} — is the presenter running "
                         "`quizapp session PLAN --host` with that address? Press q to leave.")
            self.join_failed = True
            return
        except (SessionError, OSError, TimeoutError) as exc:
            reason = str(exc) or exc.__class__.__name__
            self._status(f"Could not join: {reason}. Press q to leave.")
            self.join_failed = True
            return
        if welcome.get("token"):
            save_token(self.token_file, key, welcome["token"])
        self.sub_title = welcome.get("title", "")
        self.learner = welcome["name"]
        self.score = welcome.get("score", 0)
        self._status(f"Joined as {welcome['name']} · score {self.score}")
        self.run_worker(self._listen(), exclusive=True, name="listen")
        self.set_interval(1.0, self._tick)

    # -- the countdown ticks here, from the seconds left the server sends with each question/timer --
    def _set_timer(self, remaining: float, paused: bool) -> None:
        remaining = max(0.0, float(remaining or 0))
        self.deadline = None if paused else time.monotonic() + remaining
        self.paused_left = remaining if paused else None
        self._tick()

    def _stop_timer(self) -> None:
        self.deadline = self.paused_left = None
        self._tick()

    def seconds_left(self) -> float | None:
        if self.paused_left is not None:
            return self.paused_left
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())

    def _tick(self) -> None:
        left = self.seconds_left()
        if left is None:
            self.timer_text = ""
        elif self.paused_left is not None:
            self.timer_text = f"⏸ paused, {int(left)} s left"
        elif left > 0:
            self.timer_text = f"⏱ {int(left + 0.999)} s left"
        else:
            self.timer_text = "⏱ time is up"
        self._status(f"Joined as {self.learner} · score {self.score}" + (f" · {self.timer_text}" if self.timer_text else ""))

    async def on_unmount(self) -> None:
        await self.client.close()

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def _feedback(self, text: str | Text, kind: str = "") -> None:
        feedback = self.query_one("#feedback", Static)
        feedback.update(text)
        feedback.set_class(kind == "error", "-error")
        feedback.set_class(kind == "ok", "-ok")

    async def _listen(self) -> None:
        while True:
            message = await self.client.next_message()
            kind = message["type"]
            if kind == "question":
                self.question, self.selected, self.sent = message, set(), False
                self._show_question()
                letters = [o["letter"].lower() for o in message["options"]]
                span = f"{letters[0]}–{letters[-1]}" if letters else "a"
                self._feedback(f"Choose {message['choose']} ({span}), then enter.")
                self._set_timer(message.get("remaining", 0), False)
            elif kind == "timer":
                self._set_timer(message.get("remaining", 0), bool(message.get("paused")))
            elif kind == "reveal":
                self._show_reveal(message)
            elif kind == "end":
                self._stop_timer()
                board = "\n".join(f"{i}. {clean(n)} — {s}" for i, (n, s) in enumerate(message.get("leaderboard", []), start=1))
                self.query_one("#question", Static).update(f"The session has ended. Your score: {message.get('you', 0)}\n\n{board}")
                self._feedback("Press q to leave.")
            elif kind == "closed":
                self._status("The presenter closed the session. Press q to leave.")
                return

    def _show_reveal(self, message: dict) -> None:
        """Right or wrong, the explanation, the score and the rank."""
        self._stop_timer()
        self.score = message.get("score", 0)
        correct = bool(message.get("correct"))
        answer = ", ".join(message.get("answer", []))
        if correct:
            verdict = f"✔ Right — the answer is {answer}."
        elif message.get("your_choice"):
            verdict = f"✘ Not this time — you chose {', '.join(message['your_choice'])}, the answer is {answer}."
        else:
            verdict = f"✘ No answer sent — the answer is {answer}."
        rank = message.get("rank")
        standing = f"Your score: {self.score}" + (f" · rank {rank} of {message.get('learners', '?')}" if rank else "")
        text = Text(verdict + "\n", style="bold green" if correct else "bold red")
        text.append(standing + "\n", style="bold")
        explanation = message.get("explanation") or ""
        if explanation:
            text.append("\n")
            text.append_text(inline_text(explanation, style="not bold"))
        self._feedback(text, "ok" if correct else "error")
        self._tick()
        self.question = None

    def _show_question(self) -> None:
        q = self.question
        text = Text(f"Question {q['index'] + 1} of {q['total']}: {clean(q['title'])}\n\n", style="bold")
        text.append_text(inline_text(q["stem"]))
        text.append("\n\n")
        for option in q["options"]:
            letter = option["letter"]
            mark = "[x]" if letter in self.selected else "[ ]"
            text.append(f"{mark} {letter}) ", style="bold" if letter in self.selected else "")
            text.append_text(inline_text(option["text"]))
            text.append("\n")
        self.query_one("#question", Static).update(text)

    def action_choose(self, letter: str) -> None:
        q = self.question
        if q is None or self.sent or letter not in {o["letter"] for o in q["options"]}:
            return
        if q["choose"] > 1:
            self.selected ^= {letter}
        else:
            self.selected = {letter}
        self._show_question()

    async def action_send(self) -> None:
        q = self.question
        if q is None or self.sent:
            return
        if len(self.selected) != q["choose"]:
            self._feedback(f"Select {q['choose']} option(s) first.", "error")
            return
        try:
            await self.client.answer(q["question_id"], sorted(self.selected))
        except (SessionError, TimeoutError) as exc:
            self._feedback(f"Not accepted: {exc}", "error")
            return
        self.sent = True
        self._feedback(f"Answer {', '.join(sorted(self.selected))} sent — wait for the reveal.", "ok")
