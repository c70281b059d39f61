"""A small asyncio server for a classroom session (JSON lines over TCP, stdlib only).

The presenter drives it (start a question, reveal, finish); learners connect with the join
code, receive the current question and send one answer per question.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Callable

from quizapp.session.protocol import MAX_LINE, ProtocolError, decode, encode
from quizapp.session.state import SessionError, SessionState


def new_join_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


class SessionServer:
    def __init__(self, state: SessionState, host: str = "127.0.0.1", port: int = 0, on_change: Callable[[], None] | None = None):
        self.state = state
        self.host = host
        self.port = port
        self.on_change = on_change or (lambda: None)
        self._server: asyncio.base_events.Server | None = None
        self._writers: dict[str, asyncio.StreamWriter] = {}

    async def start(self) -> tuple[str, int]:
        self._server = await asyncio.start_server(self._handle, self.host, self.port, limit=MAX_LINE)
        self.host, self.port = self._server.sockets[0].getsockname()[:2]
        return self.host, self.port

    async def stop(self) -> None:
        for writer in list(self._writers.values()):
            writer.close()
        self._writers.clear()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    # --- presenter actions: change the state, then tell everyone -----------------------------
    async def start_question(self, index: int) -> None:
        self.state.start_question(index)
        await self._broadcast(lambda name: self._question_message())

    async def reveal(self) -> None:
        self.state.reveal()
        await self._broadcast(self._reveal_message)

    async def finish(self) -> None:
        self.state.finish()
        await self._broadcast(lambda name: {"type": "end", "leaderboard": self._leaderboard(), "you": self._score(name)})

    async def send_timer(self) -> None:
        await self._broadcast(lambda name: {"type": "timer", "remaining": round(self.state.remaining(), 1), "paused": self.state.paused})

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
            "leaderboard": self._leaderboard(),
        }

    async def _send(self, writer: asyncio.StreamWriter, message: dict) -> None:
        try:
            writer.write(encode(message))
            await writer.drain()
        except (ConnectionError, RuntimeError):
            pass

    async def _broadcast(self, make: Callable[[str], dict | None]) -> None:
        sends = []
        for name, writer in list(self._writers.items()):
            message = make(name)
            if message is not None:
                sends.append(self._send(writer, message))
        await asyncio.gather(*sends)

    # --- one learner connection -------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        name = None
        try:
            try:
                hello = decode(await asyncio.wait_for(reader.readline(), timeout=15))
                if hello.get("type") != "join":
                    raise ProtocolError("the first message must be a join")
                person = self.state.join(str(hello.get("name", "")), str(hello.get("code", "")))
            except (SessionError, ProtocolError, asyncio.TimeoutError, ValueError) as exc:
                reason = str(exc) or "join timed out"
                await self._send(writer, {"type": "error", "message": reason})
                return
            name = person.name
            self._writers[name] = writer
            await self._send(writer, {"type": "welcome", "name": name, "title": self.state.plan.title, "score": self._score(name)})
            if (question := self._question_message()) is not None:
                await self._send(writer, question)
            self.on_change()
            while line := await reader.readline():
                await self._on_message(name, writer, line)
        except (ConnectionError, ValueError, asyncio.IncompleteReadError):
            pass  # a broken or over-long line ends this connection only
        finally:
            if name is not None and self._writers.get(name) is writer:
                del self._writers[name]
                self.state.leave(name)
                self.on_change()
            writer.close()

    async def _on_message(self, name: str, writer: asyncio.StreamWriter, line: bytes) -> None:
        try:
            message = decode(line)
        except ProtocolError as exc:
            await self._send(writer, {"type": "error", "message": str(exc)})
            return
        ref = message.get("ref")
        if message["type"] != "answer":
            await self._send(writer, {"type": "error", "message": f"unknown message type {message['type']!r}", "ref": ref})
            return
        choice = message.get("choice")
        try:
            if not isinstance(choice, list):
                raise SessionError("'choice' must be a list of letters")
            self.state.answer(name, str(message.get("question_id", "")), choice)
        except SessionError as exc:
            await self._send(writer, {"type": "error", "message": str(exc), "ref": ref})
            return
        await self._send(writer, {"type": "ack", "question_id": message.get("question_id"), "ref": ref})
        self.on_change()
