"""Command-line output that is safe for a terminal: control characters are shown, never obeyed.

A question id, tag, file name or learner name can hold ``ESC]52`` (clipboard write), ``ESC]0``
(window title) or ``ESC[2J`` (clear screen). Every line the CLI prints that echoes content or
names goes through :func:`echo` (text) or :func:`echo_json` (JSON), which show such characters
as ``\\xNN`` escapes: C0 controls except newline and tab, DEL, the C1 range 0x80-0x9f, and the
bidi overrides as ``\\uNNNN``.

:func:`quiet_on_closed_pipe` runs a command so that ``quizapp ... | head`` ends quietly.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Callable, TextIO

_ESCAPES: dict[int, str] = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A)}
_ESCAPES.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})  # bidi overrides
_TEXT_TABLE = str.maketrans(_ESCAPES)
# Inside JSON the C0 controls are already escaped by json.dumps; the rest become \\u escapes,
# which keeps the document valid and decodes to the same string.
_JSON_TABLE = str.maketrans({c: f"\\u{c:04x}" for c in (*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))})

EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a command killed by a closed pipe


def visible(text: object) -> str:
    """``text`` with every terminal control character replaced by a visible escape (``\\x1b``)."""
    return str(text).translate(_TEXT_TABLE)


def echo(text: object = "", file: TextIO | None = None) -> None:
    """Print ``text`` with control characters made visible (to stdout, or ``file``)."""
    print(visible(text), file=file if file is not None else sys.stdout)


def echo_json(data: object, indent: int | None = 2) -> None:
    """Print ``data`` as JSON (UTF-8 kept readable) with no raw control character in the output."""
    print(json.dumps(data, ensure_ascii=False, indent=indent).translate(_JSON_TABLE))


def quiet_on_closed_pipe(command: Callable[[], int | None]) -> int:
    """Run ``command``; if stdout is a pipe its reader closed (``| head``), exit 141 without a traceback."""
    try:
        code = command()
        sys.stdout.flush()  # a late failure would otherwise surface at interpreter exit
        return code or 0
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush now goes nowhere
        return EXIT_CLOSED_PIPE
