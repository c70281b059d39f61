"""The wire format between presenter server and learner clients: one JSON object per line.

learner -> server: {"type": "join", "code", "name", "token"?}, {"type": "answer", "question_id", "choice": [..], "ref"},
                   {"type": "ping"} (keeps an idle connection open; no reply)
server -> learner: {"type": "welcome" (with the secret rejoin "token") | "error" | "question" | "ack" | "reveal" | "timer" | "end", ...}
Replies to an answer carry the same "ref" so a client can match them.
"""

from __future__ import annotations

import json

MAX_LINE = 4 * 1024 * 1024  # bytes a learner accepts in one server line (a long question); the server's own limit is ServerLimits.max_line


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
