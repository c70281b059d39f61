"""The wire format between presenter server and learner clients: one JSON object per line.

learner -> server: {"type": "join", "code", "name"}, {"type": "answer", "question_id", "choice": [..], "ref"}
server -> learner: {"type": "welcome" | "error" | "question" | "ack" | "reveal" | "timer" | "end", ...}
Replies to an answer carry the same "ref" so a client can match them.
"""

from __future__ import annotations

import json

MAX_LINE = 64 * 1024  # bytes; a longer line ends the connection


class ProtocolError(ValueError):
    pass


def encode(message: dict) -> bytes:
    return (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def decode(line: bytes) -> dict:
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"not a JSON line: {exc}") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("each message must be a JSON object with a 'type'")
    return message
