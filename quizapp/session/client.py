"""The learner's side of a session connection (asyncio, JSON lines).

The welcome carries a secret ``token``; pass it to ``connect`` to take the same name back after
a disconnect. While connected the client pings every ``ping_every`` seconds so the server does
not close it as idle.
"""

from __future__ import annotations

import asyncio
import itertools

from quizapp.session.protocol import MAX_LINE, ProtocolError, decode, encode
from quizapp.session.state import SessionError


PING_EVERY = 30.0  # seconds; well under the server's idle timeout


class SessionClient:
    def __init__(self, ping_every: float = PING_EVERY) -> None:
        self.ping_every = ping_every
        self._pinger: asyncio.Task | None = None
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._inbox: asyncio.Queue[dict] = asyncio.Queue()
        self._pending: dict[int, asyncio.Future] = {}
        self._refs = itertools.count(1)
        self._task: asyncio.Task | None = None
        self.welcome: dict = {}

    async def connect(self, host: str, port: int, code: str, name: str, timeout: float = 10, token: str | None = None) -> dict:
        """Join; returns the welcome message (with the rejoin ``token``) or raises SessionError with the server's reason."""
        self._reader, self._writer = await asyncio.wait_for(asyncio.open_connection(host, port, limit=MAX_LINE), timeout)
        hello = {"type": "join", "code": code, "name": name}
        if token:
            hello["token"] = token
        self._writer.write(encode(hello))
        await self._writer.drain()
        line = await asyncio.wait_for(self._reader.readline(), timeout)
        if not line:
            raise SessionError("the server closed the connection")
        reply = decode(line)
        if reply["type"] == "error":
            await self.close()
            raise SessionError(reply.get("message", "refused"))
        self.welcome = reply
        self._task = asyncio.create_task(self._read_loop())
        self._pinger = asyncio.create_task(self._ping_loop())
        return reply

    @property
    def token(self) -> str | None:
        """The secret that lets this learner take their name back after a disconnect."""
        return self.welcome.get("token")

    async def _ping_loop(self) -> None:
        try:
            while True:
                await asyncio.sleep(self.ping_every)
                self._writer.write(encode({"type": "ping"}))
                await self._writer.drain()
        except (ConnectionError, RuntimeError):
            pass

    async def _read_loop(self) -> None:
        try:
            while line := await self._reader.readline():
                try:
                    message = decode(line)
                except ProtocolError:
                    continue
                ref = message.get("ref")
                if ref in self._pending:
                    self._pending.pop(ref).set_result(message)
                else:
                    await self._inbox.put(message)
        except (ConnectionError, ValueError):
            pass
        finally:
            await self._inbox.put({"type": "closed"})
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(SessionError("the connection was closed"))

    async def next_message(self, timeout: float | None = None) -> dict:
        """The next question/reveal/timer/end message (or {"type": "closed"})."""
        return await asyncio.wait_for(self._inbox.get(), timeout)

    async def answer(self, question_id: str, choice: list[str], timeout: float = 10) -> dict:
        """Send an answer; returns the ack or raises SessionError with the reason it was refused."""
        ref = next(self._refs)
        future = asyncio.get_running_loop().create_future()
        self._pending[ref] = future
        self._writer.write(encode({"type": "answer", "question_id": question_id, "choice": choice, "ref": ref}))
        await self._writer.drain()
        reply = await asyncio.wait_for(future, timeout)
        if reply["type"] == "error":
            raise SessionError(reply.get("message", "refused"))
        return reply

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            try:
                await self._writer.wait_closed()
            except (ConnectionError, OSError):
                pass
        for task in (self._task, self._pinger):
            if task is not None:
                task.cancel()
