"""The learner's terminal in a classroom session: join, see the current question, answer.

A small App of its own (no content, no progress store): ``quizapp join HOST:PORT --code C --name N``.
The secret rejoin token from the welcome is kept in ``token_file``, so joining again after a
dropped connection takes the same name and score back.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from quizapp.session.client import SessionClient
from quizapp.session.state import SessionError
from quizapp.session.tokens import load_token, save_token, token_key
from quizapp.ui.text import clean

LETTERS = "abcde"


class JoinApp(App[int]):
    TITLE = "Classroom session"
    CSS = """
    #status { height: auto; padding: 0 1; background: $primary-background; }
    #body { padding: 1 2; }
    #feedback { margin-top: 1; text-style: bold; }
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

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Connecting to {self.host}:{self.port} ...", id="status", markup=False)
        with VerticalScroll(id="body"):
            yield Static("Waiting for the first question.", id="question", markup=False)
            yield Static("", id="feedback", markup=False)
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
        self._status(f"Joined as {welcome['name']} · score {welcome.get('score', 0)}")
        self.run_worker(self._listen(), exclusive=True, name="listen")

    async def on_unmount(self) -> None:
        await self.client.close()

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def _feedback(self, text: str, kind: str = "") -> None:
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
                self._feedback(f"Choose {message['choose']} (a–e), then enter.")
            elif kind == "timer":
                state = "paused" if message.get("paused") else f"{int(message.get('remaining', 0))} s left"
                self._status(f"Joined as {self.learner} · {state}")
            elif kind == "reveal":
                verdict = "✔ Right!" if message.get("correct") else f"✘ The answer was {', '.join(message['answer'])}"
                self._feedback(f"{verdict}   Your score: {message.get('score', 0)}", "ok" if message.get("correct") else "error")
                self.question = None
            elif kind == "end":
                board = "\n".join(f"{i}. {clean(n)} — {s}" for i, (n, s) in enumerate(message.get("leaderboard", []), start=1))
                self.query_one("#question", Static).update(f"The session has ended. Your score: {message.get('you', 0)}\n\n{board}")
                self._feedback("Press q to leave.")
            elif kind == "closed":
                self._status("The presenter closed the session. Press q to leave.")
                return

    def _show_question(self) -> None:
        q = self.question
        text = Text(f"Question {q['index'] + 1} of {q['total']}: {clean(q['title'])}\n\n", style="bold")
        text.append(clean(q["stem"]) + "\n\n")
        for option in q["options"]:
            letter = option["letter"]
            mark = "[x]" if letter in self.selected else "[ ]"
            text.append(f"{mark} {letter}) ", style="bold" if letter in self.selected else "")
            text.append(clean(option["text"]) + "\n")
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
