"""A small asyncio server for a classroom session (JSON lines over TCP, stdlib only).

The presenter drives it (start a question, reveal, finish); learners connect with the join
code, receive the current question and send one answer per question.

How a session is protected (numbers in :class:`ServerLimits` and ``throttle.ThrottleLimits``):

* a presenter action never waits on a learner: each learner has a bounded send queue drained
  by its own task; a learner whose queue fills up, or whose socket accepts nothing for
  ``send_timeout`` seconds, is dropped;
* wrong join codes are throttled per address and overall (``throttle.py`` computes the best
  rate an attacker reaches: weeks for the 6-digit space from one machine), right codes are not;
* a connection must join within ``join_timeout``, a joined learner that sends nothing (clients
  ping) for ``idle_timeout`` is closed, a line over ``max_line`` bytes ends the connection, one
  address may hold ``max_pending_per_address`` connections that have not joined yet, and the
  session state caps the number of learners;
* the welcome carries a secret rejoin token; a name can be taken back only with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Callable

from quizapp.session.protocol import ProtocolError, decode, encode
from quizapp.session.state import SessionError, SessionState, WrongCodeError
from quizapp.session.throttle import JoinThrottle, ThrottleLimits, address_key


def new_join_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


@dataclass(frozen=True)
class ServerLimits:
    join_timeout: float = 10.0  # seconds a new connection has to send its join line
    idle_timeout: float = 180.0  # a joined learner that sends nothing this long is closed (clients ping every 30 s)
    max_line: int = 4096  # bytes in one learner line (a join or an answer is far smaller)
    send_queue: int = 100  # messages waiting for one learner before it is dropped as fallen behind
    send_timeout: float = 10.0  # a learner whose socket takes nothing for this long is dropped
    max_pending_per_address: int = 64  # connections from one address that have not joined yet (a class behind NAT joins at once)
    max_pending: int = 512  # such connections from all addresses
    throttle: ThrottleLimits = field(default_factory=ThrottleLimits)


class _Learner:
    """One joined learner's outgoing side: a bounded queue written to the socket by its own task."""

    def __init__(self, writer: asyncio.StreamWriter, limits: ServerLimits):
        self.writer = writer
        self.limits = limits
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue(limits.send_queue)
        self.dropped = False
        self.task = asyncio.create_task(self._pump())

    def send(self, message: dict) -> None:
        """Queue ``message``; never waits. A learner whose queue is full is dropped."""
        if self.dropped:
            return
        try:
            self.queue.put_nowait(encode(message))
        except asyncio.QueueFull:
            self.drop()

    def close_after_flush(self) -> None:
        """Send what is queued, then close (``drop`` if the queue is full)."""
        try:
            self.queue.put_nowait(None)
        except asyncio.QueueFull:
            self.drop()

    def drop(self) -> None:
        """Close now, discarding whatever the learner has not read."""
        self.dropped = True
        self.writer.transport.abort()
        self.task.cancel()

    async def _pump(self) -> None:
        try:
            while (data := await self.queue.get()) is not None:
                self.writer.write(data)
                await asyncio.wait_for(self.writer.drain(), self.limits.send_timeout)
            self.writer.close()
        except (ConnectionError, RuntimeError, asyncio.TimeoutError):
            self.drop()


class SessionServer:
    def __init__(self, state: SessionState, host: str = "127.0.0.1", port: int = 0, on_change: Callable[[], None] | None = None,
                 limits: ServerLimits | None = None, clock: Callable[[], float] | None = None):
        self.state = state
        self.host = host
        self.port = port
        self.on_change = on_change or (lambda: None)
        self.limits = limits or ServerLimits()
        self.throttle = JoinThrottle(self.limits.throttle, clock or time.monotonic)
        self._server: asyncio.base_events.Server | None = None
        self._learners: dict[str, _Learner] = {}
        self._pending: dict[str, int] = {}  # address -> connections that have not joined yet
        self._waiting: set[asyncio.StreamWriter] = set()  # those connections, closed by stop()

    async def start(self) -> tuple[str, int]:
        self._server = await asyncio.start_server(self._handle, self.host, self.port, limit=self.limits.max_line)
        self.host, self.port = self._server.sockets[0].getsockname()[:2]
        return self.host, self.port

    async def stop(self, grace: float = 1.0) -> None:
        """Close every connection: learners get what is queued (the end message) for up to ``grace`` s."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._waiting):
            writer.transport.abort()
        learners = list(self._learners.values())
        self._learners.clear()
        for learner in learners:
            learner.close_after_flush()
        tasks = [learner.task for learner in learners if not learner.task.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
        for learner in learners:
            if not learner.task.done():
                learner.drop()
        if self._server is not None:
            await self._server.wait_closed()

    # --- presenter actions: change the state, then queue a message for everyone (never wait) ----
    async def start_question(self, index: int) -> None:
        self.state.start_question(index)
        self._broadcast(lambda name: self._question_message())

    async def reveal(self) -> None:
        self.state.reveal()
        self._broadcast(self._reveal_message)

    async def finish(self) -> None:
        self.state.finish()
        self._broadcast(lambda name: {"type": "end", "leaderboard": self._leaderboard(), "you": self._score(name)})

    async def send_timer(self) -> None:
        self._broadcast(lambda name: {"type": "timer", "remaining": round(self.state.remaining(), 1), "paused": self.state.paused})

    # --- messages ------------------------------------------------------------------------------
    def _question_message(self) -> dict | None:
        q = self.state.current
        if q is None or not self.state.started or q.id in self.state.revealed:
            return None
        return {
            "type": "question",
            "question_id": q.id,
            "index": self.state.index,
            "total": len(self.state.order),
            "title": q.title,
            "stem": q.stem,
            "options": [{"letter": o.letter, "text": o.text} for o in q.options],
            "choose": len(q.answer),
            "remaining": round(self.state.remaining(), 1),
        }

    def _score(self, name: str) -> int:
        person = self.state.participants.get(name)
        return person.score(self.state.questions, self.state.revealed) if person else 0

    def _leaderboard(self) -> list[list]:
        board = self.state.leaderboard()
        if self.state.plan.anonymous:
            return []
        return [[name, score] for name, score in board[:10]]

    def _reveal_message(self, name: str) -> dict:
        q = self.state.current
        chosen = self.state.participants[name].answers.get(q.id) if name in self.state.participants else None
        return {
            "type": "reveal",
            "question_id": q.id,
            "answer": sorted(q.answer),
            "your_choice": chosen,
            "correct": chosen is not None and q.is_correct(set(chosen)),
            "distribution": self.state.distribution(q.id),
            "score": self._score(name),
            "rank": self.state.rank(name),
            "learners": len(self.state.participants),
            "explanation": q.explanation.get("en") or q.explanation.get("ko") or "",
            "leaderboard": self._leaderboard(),
        }

    def _broadcast(self, make: Callable[[str], dict | None]) -> None:
        for name, learner in list(self._learners.items()):
            message = make(name)
            if message is not None:
                learner.send(message)

    @staticmethod
    def _refuse(writer: asyncio.StreamWriter, reason: str) -> None:
        """Tell a connection that is not (or no longer) a learner why, and close it without waiting."""
        with contextlib.suppress(ConnectionError, RuntimeError):
            writer.write(encode({"type": "error", "message": reason}))
        writer.close()

    # --- one learner connection -------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        address = address_key(str(peer[0])) if peer else "unknown"
        if self._pending.get(address, 0) >= self.limits.max_pending_per_address or sum(self._pending.values()) >= self.limits.max_pending:
            self._refuse(writer, "too many connections are waiting to join; try again in a moment")
            return
        self._pending[address] = self._pending.get(address, 0) + 1
        self._waiting.add(writer)
        try:
            hello = await self._read_join(reader, writer)
        finally:
            self._waiting.discard(writer)
            self._pending[address] -= 1
            if not self._pending[address]:
                del self._pending[address]
        if hello is None:
            return
        if (wait := self.throttle.wait(address)) > 0:
            self._refuse(writer, f"too many wrong join codes from your address; try again in {wait:.0f} s")
            return
        try:
            person = self.state.join(str(hello.get("name", "")), str(hello.get("code", "")), hello.get("token"))
        except WrongCodeError as exc:
            self.throttle.failed(address)
            self._refuse(writer, str(exc))
            return
        except SessionError as exc:
            self._refuse(writer, str(exc))
            return
        name = person.name
        learner = _Learner(writer, self.limits)
        self._learners[name] = learner
        learner.send({"type": "welcome", "name": name, "title": self.state.plan.title, "score": self._score(name), "token": person.token})
        if (question := self._question_message()) is not None:
            learner.send(question)
        self.on_change()
        try:
            while not learner.dropped:
                line = await asyncio.wait_for(reader.readline(), self.limits.idle_timeout)
                if not line:
                    break
                self._on_message(name, learner, line)
        except ValueError:  # a line over max_line
            learner.send({"type": "error", "message": f"line too long (more than {self.limits.max_line} bytes); closing"})
        except asyncio.TimeoutError:
            learner.send({"type": "error", "message": f"nothing received for {self.limits.idle_timeout:.0f} s; closing"})
        except (ConnectionError, asyncio.IncompleteReadError):
            learner.drop()
        finally:
            if self._learners.get(name) is learner:
                del self._learners[name]
                self.state.leave(name)
                self.on_change()
            if not learner.dropped:
                learner.close_after_flush()

    async def _read_join(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> dict | None:
        """The join message, or None after telling the connection why it is refused."""
        try:
            hello = decode(await asyncio.wait_for(reader.readline(), timeout=self.limits.join_timeout))
            if hello.get("type") != "join":
                raise ProtocolError("the first message must be a join")
            return hello
        except asyncio.TimeoutError:
            self._refuse(writer, "join timed out")
        except ProtocolError as exc:
            self._refuse(writer, str(exc))
        except ValueError:
            self._refuse(writer, f"line too long (more than {self.limits.max_line} bytes)")
        except (ConnectionError, asyncio.IncompleteReadError):
            writer.close()
        return None

    def _on_message(self, name: str, learner: _Learner, line: bytes) -> None:
        try:
            message = decode(line)
        except ProtocolError as exc:
            learner.send({"type": "error", "message": str(exc)})
            return
        ref = message.get("ref")
        if message["type"] == "ping":
            return
        if message["type"] != "answer":
            learner.send({"type": "error", "message": f"unknown message type {message['type']!r}", "ref": ref})
            return
        choice = message.get("choice")
        try:
            if not isinstance(choice, list):
                raise SessionError("'choice' must be a list of letters")
            self.state.answer(name, str(message.get("question_id", "")), choice)
        except SessionError as exc:
            learner.send({"type": "error", "message": str(exc), "ref": ref})
            return
        learner.send({"type": "ack", "question_id": message.get("question_id"), "ref": ref})
        self.on_change()
