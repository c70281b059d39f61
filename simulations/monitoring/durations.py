"""ISO 8601 offsets (``-P3D``, ``-PT6H``) and the monitoring window they select.

Model Monitor's ``start_time_offset`` / ``end_time_offset`` are negative ISO 8601 durations
subtracted from the scheduled time of an execution. Run at 2020-01-09T13:00 with ``-P8D`` /
``-P1D``, a job analyses captured data from 2020-01-01T13:00 up to 2020-01-08T13:00, which
gives ground-truth labels time to arrive.

Grammar accepted here (a strict subset of ISO 8601, whole numbers only)::

    offset := "-" "P" [n "D"] ["T" [n "H"] [n "M"] [n "S"]]     at least one number

Years, months and weeks are refused: years and months have no fixed length, and AWS
documents offsets in days and hours.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from .utc import as_utc

_EXAMPLES = "e.g. '-P3D', '-PT6H' or '-P1DT12H'"

_OFFSET = re.compile(
    r"-P(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?"
)


def _explain(text: str) -> str:
    """Why ``text`` is not a valid offset, as specific as we can tell."""
    tidy = text.strip().upper()
    if tidy != text and tidy.startswith(("-P", "P")):
        return f"use upper-case designators and no spaces ({tidy!r})"
    if not text.startswith("-"):
        if text.startswith("P"):
            return "an offset must be negative (it is subtracted from the scheduled time); write '-" + text + "'"
        return "an offset starts with '-P'"
    body = text[1:]
    if not body.startswith("P"):
        return "an offset starts with '-P'"
    if re.search(r"\d+[.,]\d", body):
        return "fractional values are not supported; use a smaller unit (e.g. '-PT90M' for 1.5 hours)"
    date_part, _, time_part = body[1:].partition("T")
    if re.search(r"[YW]", date_part) or re.search(r"\d+M", date_part):
        return "years, months and weeks have no fixed length here; use days or hours"
    if body in ("P", "PT") or body.endswith("T"):
        return "no amount given"
    if text[-1].isdigit():
        return "a number needs its unit (D, H, M or S)"
    return "unexpected text"


def parse_offset(text: str) -> timedelta:
    """Parse a negative ISO 8601 duration such as ``-P3D`` into a (negative) ``timedelta``.

    Raises ``ValueError`` naming the bad text, the reason and a valid example.
    """
    if not isinstance(text, str):
        raise TypeError(f"an offset must be a string such as '-P3D', got {type(text).__name__}")
    match = _OFFSET.fullmatch(text)
    if match is None or not any(match.groupdict().values()):
        raise ValueError(f"invalid time offset {text!r}: {_explain(text)}; valid offsets look like {_EXAMPLES}")
    parts = {unit: int(value) for unit, value in match.groupdict().items() if value}
    return -timedelta(**parts)


def format_offset(offset: timedelta) -> str:
    """Format a zero or negative ``timedelta`` in the canonical form ``-P1DT12H`` (``-PT0H`` for zero)."""
    if offset > timedelta(0):
        raise ValueError(f"an offset must be zero or negative, got {offset}")
    if offset.microseconds or (-offset).microseconds:
        raise ValueError(f"an offset has whole-second precision, got {offset}")
    total = int(-offset.total_seconds())
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    time_part = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    if not days and not time_part:
        return "-PT0H"
    return "-P" + (f"{days}D" if days else "") + (f"T{time_part}" if time_part else "")


def _as_offset(value: str | timedelta, name: str) -> timedelta:
    if isinstance(value, timedelta):
        if value > timedelta(0):
            raise ValueError(f"{name} must be zero or negative, got {value}; {_EXAMPLES}")
        return value
    try:
        return parse_offset(value)
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None


def monitoring_window(
    scheduled_time: datetime | str, start_offset: str | timedelta, end_offset: str | timedelta
) -> tuple[datetime, datetime]:
    """The half-open window ``[start, end)`` an execution scheduled at ``scheduled_time`` analyses.

    Both offsets are added to (that is, subtracted from) the scheduled time. ``start`` must be
    strictly before ``end``.
    """
    at = as_utc(scheduled_time, name="scheduled_time")
    start = at + _as_offset(start_offset, "start_offset")
    end = at + _as_offset(end_offset, "end_offset")
    if start >= end:
        raise ValueError(
            f"the window start ({start_offset}) must be earlier than its end ({end_offset}): "
            f"the start offset has to reach further back, e.g. start_offset='-P3D', end_offset='-P1D'"
        )
    return start, end
