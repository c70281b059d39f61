"""The live state of a classroom session: current question, timer, participants, answers.

Pure logic with an injectable clock, so the presenter screen, the network server and the
tests share one set of rules: wrong codes, duplicate or look-alike names, joins past the
participant cap, answers after the timer or for another question are refused. Each learner gets
a secret rejoin token; a learner who reconnects with the same name *and* token keeps the score.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from quizapp.content.model import Question
from quizapp.session.names import MAX_NAME, name_problem, normalise_name, skeleton
from quizapp.session.plan import SessionPlan

MAX_PARTICIPANTS = 200  # default cap on learners in one session
__all__ = ["MAX_NAME", "MAX_PARTICIPANTS", "Participant", "SessionError", "SessionState", "WrongCodeError"]


class SessionError(Exception):
    """A request a learner made that the rules refuse; the message is shown to them."""


class WrongCodeError(SessionError):
    """The join code was wrong (the server throttles these)."""


@dataclass
class Participant:
    name: str
    token: str = field(default_factory=lambda: secrets.token_urlsafe(16), repr=False)  # secret; needed to rejoin
    connected: bool = True
    answers: dict[str, list[str]] = field(default_factory=dict)  # question id -> chosen letters
    answer_seconds: dict[str, float] = field(default_factory=dict)

    def score(self, questions: dict[str, Question], revealed: set[str]) -> int:
        return sum(1 for qid in revealed if qid in self.answers and questions[qid].is_correct(set(self.answers[qid])))


class SessionState:
    def __init__(self, plan: SessionPlan, questions: dict[str, Question], code: str, clock: Callable[[], float] = time.monotonic,
                 max_participants: int = MAX_PARTICIPANTS):
        self.plan = plan
        self.questions = {qid: questions[qid] for qid in plan.question_ids}
        self.order = list(plan.question_ids)
        self.code = code
        self.clock = clock
        self.max_participants = max_participants
        self.index = -1
        self.started = False  # has the current question been opened to learners
        self.participants: dict[str, Participant] = {}
        self.revealed: set[str] = set()
        self.asked: list[str] = []  # question ids opened to learners so far, in the order they were opened
        self._deadline: float | None = None  # clock time the timer ends, when running
        self._paused_left: float | None = None  # seconds left while paused
        self._opened_at: float = 0.0
        self.finished = False

    # --- presenter side --------------------------------------------------------------------
    @property
    def current(self) -> Question | None:
        return self.questions[self.order[self.index]] if 0 <= self.index < len(self.order) else None

    def show_question(self, index: int) -> Question:
        """Put a question on the presenter's screen without opening it: learners do not get it yet."""
        if not 0 <= index < len(self.order):
            raise IndexError(f"question index {index} is outside 0..{len(self.order) - 1}")
        self.index = index
        self.started = False
        self._deadline = None
        self._paused_left = None
        return self.current

    def start_question(self, index: int) -> Question:
        """Show the question and start its timer: learners receive it and may answer."""
        self.show_question(index)
        self.started = True
        if self.current.id not in self.asked:
            self.asked.append(self.current.id)
        self._deadline = self.clock() + self.plan.seconds_per_question
        self._opened_at = self.clock()
        return self.current

    def pause(self) -> None:
        if self._deadline is not None:
            self._paused_left = self.remaining()
            self._deadline = None

    def resume(self) -> None:
        if self._paused_left is not None:
            self._deadline = self.clock() + self._paused_left
            self._paused_left = None

    def extend(self, seconds: float) -> None:
        if self._deadline is not None:
            self._deadline += seconds
        elif self._paused_left is not None:
            self._paused_left += seconds
        elif self.current is not None and self.current.id not in self.revealed:
            self._deadline = self.clock() + seconds  # reopen a question whose time ran out

    @property
    def paused(self) -> bool:
        return self._paused_left is not None

    def remaining(self) -> float:
        if self._paused_left is not None:
            return self._paused_left
        if self._deadline is None:
            return 0.0
        return max(0.0, self._deadline - self.clock())

    def is_open(self) -> bool:
        q = self.current
        return q is not None and q.id not in self.revealed and not self.paused and self.remaining() > 0

    def reveal(self) -> Question:
        q = self.current
        if q is None:
            raise SessionError("no question is showing")
        self.revealed.add(q.id)
        self._deadline = None
        self._paused_left = None
        return q

    def finish(self) -> None:
        self.finished = True
        self._deadline = None

    # --- learner side ----------------------------------------------------------------------
    def join(self, name: str, code: str, token: str | None = None) -> Participant:
        """Admit a learner; ``token`` (from their first welcome) is needed to take a name back."""
        if not hmac.compare_digest(str(code).encode(), self.code.encode()):
            raise WrongCodeError("wrong join code")
        name = normalise_name(name)
        if problem := name_problem(name):
            raise SessionError(problem)
        known = self.participants.get(name)
        if known is not None:
            if known.connected:
                raise SessionError(f"the name {name!r} is already taken in this session")
            if not token or not hmac.compare_digest(str(token).encode(), known.token.encode()):
                raise SessionError(f"the name {name!r} belongs to a learner who left; only their device can take it back "
                                   "(quizapp join keeps the token) — choose another name")
            known.connected = True  # rejoin: same name, same score
            return known
        key = skeleton(name)
        for other in self.participants.values():
            if skeleton(other.name) == key:
                raise SessionError(f"the name {name!r} looks like {other.name!r}, already in this session; choose another name")
        if len(self.participants) >= self.max_participants:
            raise SessionError(f"the session is full ({self.max_participants} learners)")
        self.participants[name] = Participant(name)
        return self.participants[name]

    def leave(self, name: str) -> None:
        if name in self.participants:
            self.participants[name].connected = False

    def answer(self, name: str, question_id: str, choice: list[str]) -> None:
        person = self.participants.get(name)
        if person is None or not person.connected:
            raise SessionError("join the session before answering")
        q = self.current
        if q is None or question_id != q.id:
            raise SessionError("that is not the current question")
        if not self.started:
            raise SessionError("wait for the presenter to start this question")
        if not self.is_open():
            raise SessionError("time is up for this question" if not self.paused else "the timer is paused")
        letters = sorted({str(c).strip().upper() for c in choice})
        if not letters or any(letter not in q.letters for letter in letters):
            raise SessionError(f"choose from {', '.join(q.letters)}")
        if len(letters) != len(q.answer):
            raise SessionError(f"choose exactly {len(q.answer)} option{'s' if len(q.answer) > 1 else ''}")
        if question_id in person.answers:
            raise SessionError("you already answered this question")
        person.answers[question_id] = letters
        person.answer_seconds[question_id] = round(self.clock() - self._opened_at, 3)

    # --- results ---------------------------------------------------------------------------
    def distribution(self, question_id: str) -> dict[str, int]:
        counts = Counter(letter for p in self.participants.values() for letter in p.answers.get(question_id, []))
        return {letter: counts.get(letter, 0) for letter in self.questions[question_id].letters}

    def answered_count(self, question_id: str) -> int:
        return sum(1 for p in self.participants.values() if question_id in p.answers)

    def correct_names(self, question_id: str) -> list[str]:
        q = self.questions[question_id]
        return sorted(p.name for p in self.participants.values() if q.is_correct(set(p.answers.get(question_id, []))))

    def rank(self, name: str) -> int | None:
        """1-based place of ``name`` on the leaderboard (equal scores share a place)."""
        board = self.leaderboard()
        scores = dict(board)
        if name not in scores:
            return None
        return 1 + sum(1 for _, score in board if score > scores[name])

    def leaderboard(self) -> list[tuple[str, int]]:
        scores = [(p.name, p.score(self.questions, self.revealed)) for p in self.participants.values()]
        return sorted(scores, key=lambda item: (-item[1], item[0]))
