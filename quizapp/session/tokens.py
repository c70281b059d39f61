"""Rejoin tokens kept by a learner's terminal, so running ``quizapp join`` again takes the name back.

The server gives each learner a secret token in its welcome; without it nobody can take a name
whose owner disconnected. The file (``session-tokens.json`` in the data dir, mode 0600) maps
"host:port code name" to the token; it keeps the last 50 sessions.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

TOKENS_FILE = "session-tokens.json"
KEEP = 50


def token_key(host: str, port: int, code: str, name: str) -> str:
    return f"{host}:{port} {code} {name}"


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def load_token(path: Path | None, key: str) -> str | None:
    return _read(path).get(key) if path is not None else None


def save_token(path: Path | None, key: str, token: str) -> None:
    """Remember ``token`` (written to a temporary file, then renamed; failures are ignored)."""
    if path is None:
        return
    tokens = _read(path)
    tokens.pop(key, None)
    tokens[key] = token
    tokens = dict(list(tokens.items())[-KEEP:])
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tokens.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(tokens, fh)
        os.replace(tmp, path)
