"""FSRS glue: the rating an answer earns, stable card ids, the scheduler and the clock helpers."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timezone

from fsrs import Card, Rating, Scheduler

SLOW_FACTOR = 1.5  # right but slower than this many times the expected time -> Hard
FAST_FACTOR = 0.5  # right and faster than this many times the expected time -> Easy


def rating_for(correct: bool, seconds: float, expected_seconds: float = 60.0) -> Rating:
    """The FSRS rating for one answer.

    Wrong -> Again. Right: slower than 1.5x ``expected_seconds`` -> Hard, faster than 0.5x -> Easy,
    otherwise Good (the boundaries themselves are Good). Without a usable time (expected time not a
    positive number, or ``seconds`` not a number) a right answer is Good.
    """
    if not correct:
        return Rating.Again
    try:
        seconds = float(seconds)
        expected = float(expected_seconds)
    except (TypeError, ValueError):
        return Rating.Good
    if not (math.isfinite(expected) and expected > 0) or math.isnan(seconds):
        return Rating.Good
    if seconds > SLOW_FACTOR * expected:
        return Rating.Hard
    if seconds < FAST_FACTOR * expected:
        return Rating.Easy
    return Rating.Good


def card_id_for(question_id: str) -> int:
    """A stable positive 63-bit card id from the question id (SHA-256; same in every process)."""
    digest = hashlib.sha256(question_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def new_scheduler() -> Scheduler:
    """The FSRS scheduler with default parameters and no fuzzing (so intervals are reproducible)."""
    return Scheduler(enable_fuzzing=False)


def new_card(question_id: str, now: datetime) -> Card:
    return Card(card_id=card_id_for(question_id), due=now)


def utc(now: datetime | None) -> datetime:
    """``now`` as an aware UTC datetime (the current time when None). Naive datetimes are refused."""
    if now is None:
        return datetime.now(timezone.utc)
    if not isinstance(now, datetime):
        raise TypeError(f"now must be a datetime, not {type(now).__name__}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware (UTC), e.g. datetime.now(timezone.utc)")
    return now.astimezone(timezone.utc)


def to_text(moment: datetime) -> str:
    """Fixed-width UTC ISO text, so timestamps sort and compare as strings in SQL."""
    return utc(moment).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:  # never written by this module, but be lenient with old rows
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def describe_interval(interval) -> str:
    """'10 minutes', '3 hours', '4 days' (a timedelta, rounded to the unit that reads best)."""
    seconds = max(0.0, interval.total_seconds())
    if seconds < 3600:
        value, unit = max(1, round(seconds / 60)), "minute"
    elif seconds < 86400:
        value, unit = round(seconds / 3600), "hour"
    else:
        value, unit = round(seconds / 86400), "day"
    return f"{value} {unit}{'s' if value != 1 else ''}"


def rating_reason(rating: int, correct: bool, seconds: float, chosen: bool, expected_seconds: float = 60.0) -> str:
    """Why this rating: 'Good: right in 35 s', 'Hard: right but slow (95 s, over 90 s)', 'Easy: your choice'."""
    name = RATING_NAMES[int(rating)]
    if chosen:
        return f"{name}: your choice"
    secs = round(seconds)
    if not correct:
        return f"{name}: wrong answer"
    if rating == 2:
        return f"{name}: right but slow ({secs} s, over {SLOW_FACTOR * expected_seconds:.0f} s)"
    if rating == 4:
        return f"{name}: right and fast ({secs} s, under {FAST_FACTOR * expected_seconds:.0f} s)"
    return f"{name}: right in {secs} s"
