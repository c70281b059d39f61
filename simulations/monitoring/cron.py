"""Schedule expressions: AWS six-field cron and ``NOW``, and the times they fire.

SageMaker monitoring schedules use ``cron(minutes hours day-of-month month day-of-week year)``
in UTC (hourly ``cron(0 * ? * * *)``, daily ``cron(0 H ? * * *)``, every X hours from H
``cron(0 H/X ? * * *)``) or ``NOW`` for a one-time run. This module parses the general AWS
subset: ``*``, ``?``, numbers, ranges ``a-b``, lists ``a,b``, steps ``/n``, month names
``JAN``-``DEC`` and weekday names ``SUN``-``SAT`` (1 = Sunday, as in AWS). ``L``, ``W`` and
``#`` are not modelled. Exactly one of day-of-month and day-of-week must be ``?``.

Steps do not wrap: ``17/12`` in the hours field means 17:00 only (17 + 12 is past 23), as in
standard cron. The SageMaker API page calls ``cron(0 17/12 ? * * *)`` "every 12 hours, starting
at 5pm UTC"; how the service reads it is unconfirmed. ``5/12`` gives 05:00 and 17:00 either way.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .utc import UTC, as_utc

NOW = "NOW"

_FIELDS = (  # name, lowest, highest, names
    ("minutes", 0, 59, ()),
    ("hours", 0, 23, ()),
    ("day-of-month", 1, 31, ()),
    ("month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    ("day-of-week", 1, 7, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
    ("year", 1970, 2199, ()),
)
_SHAPE = "cron(minutes hours day-of-month month day-of-week year), e.g. 'cron(0 * ? * * *)'"


class CronExpressionGenerator:
    """The SageMaker SDK's helper: the expressions Model Monitor schedules accept."""

    @staticmethod
    def hourly() -> str:
        return "cron(0 * ? * * *)"

    @staticmethod
    def daily(hour: int = 0) -> str:
        _check_int("hour", hour, 0, 23)
        return f"cron(0 {hour} ? * * *)"

    @staticmethod
    def daily_every_x_hours(hour_interval: int, starting_hour: int = 0) -> str:
        _check_int("hour_interval", hour_interval, 1, 24)
        _check_int("starting_hour", starting_hour, 0, 23)
        return f"cron(0 {starting_hour}/{hour_interval} ? * * *)"

    @staticmethod
    def now() -> str:
        return NOW


def _check_int(name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")


@dataclass(frozen=True)
class CronSchedule:
    """A parsed expression. ``None`` for a day field means ``?`` (no constraint from it)."""

    expression: str
    minutes: tuple[int, ...] = ()
    hours: tuple[int, ...] = ()
    days_of_month: frozenset[int] | None = None
    months: frozenset[int] = frozenset()
    days_of_week: frozenset[int] | None = None
    years: frozenset[int] = frozenset()

    @property
    def is_now(self) -> bool:
        return self.expression == NOW

    def _day_matches(self, day: date) -> bool:
        if day.year not in self.years or day.month not in self.months:
            return False
        if self.days_of_month is not None:
            return day.day in self.days_of_month
        aws_weekday = (day.weekday() + 1) % 7 + 1  # Monday=0 -> 2 ... Sunday=6 -> 1
        return aws_weekday in self.days_of_week

    def _minutes_of_day(self) -> list[int]:
        return [h * 60 + m for h in self.hours for m in self.minutes]  # both sorted -> sorted

    def next_after(self, after: datetime) -> datetime | None:
        """The first fire time strictly after ``after``; None if the expression never fires again."""
        return self._search(as_utc(after, name="after"), forward=True)

    def previous_before(self, before: datetime) -> datetime | None:
        """The last fire time strictly before ``before``; None if there is none."""
        return self._search(as_utc(before, name="before"), forward=False)

    def _search(self, moment: datetime, forward: bool) -> datetime | None:
        """Walk day by day (skipping months and years that cannot match) to the nearest fire time."""
        if self.is_now:
            raise ValueError("NOW is a one-time schedule and has no recurring fire times")
        slots = self._minutes_of_day()
        day = moment.date()
        into_day = (moment - datetime.combine(day, datetime.min.time(), UTC)).total_seconds() / 60
        index = bisect_right(slots, into_day) if forward else bisect_left(slots, into_day) - 1
        last, first = max(self.years), min(self.years)
        while (day.year <= last) if forward else (day.year >= first):
            if self._day_matches(day) and 0 <= index < len(slots):
                return datetime.combine(day, datetime.min.time(), UTC) + timedelta(minutes=slots[index])
            day = self._step_day(day, forward)
            index = 0 if forward else len(slots) - 1
        return None

    def _step_day(self, day: date, forward: bool) -> date:
        """The next (or previous) day that could match, skipping whole years and months that cannot."""
        if day.year not in self.years:
            years = [y for y in self.years if (y > day.year if forward else y < day.year)]
            if not years:
                return date(9999, 1, 1) if forward else date(1, 1, 1)
            return date(min(years), 1, 1) if forward else date(max(years), 12, 31)
        if day.month not in self.months:
            if not forward:
                return day.replace(day=1) - timedelta(days=1)
            return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
        return day + timedelta(days=1 if forward else -1)


def parse_cron(expression: str) -> CronSchedule:
    """Parse ``cron(...)`` or ``NOW``; ``ValueError`` names the bad field and shows the shape."""
    if not isinstance(expression, str):
        raise TypeError(f"a schedule expression must be a string, got {type(expression).__name__}")
    if expression == NOW:
        return CronSchedule(expression=NOW)
    match = re.fullmatch(r"cron\((.*)\)", expression.strip())
    if match is None:
        raise ValueError(f"invalid schedule expression {expression!r}: expected 'NOW' or {_SHAPE}")
    fields = match.group(1).split()
    if len(fields) != 6:
        raise ValueError(
            f"invalid schedule expression {expression!r}: cron needs 6 fields, got {len(fields)}; "
            f"expected {_SHAPE}"
        )
    values = [_parse_field(text, spec, expression) for text, spec in zip(fields, _FIELDS)]
    minutes, hours, dom, months, dow, years = values
    if (dom is None) == (dow is None):
        raise ValueError(
            f"invalid schedule expression {expression!r}: exactly one of day-of-month and day-of-week "
            f"must be '?' (e.g. 'cron(0 * ? * * *)')"
        )
    return CronSchedule(
        expression=expression,
        minutes=tuple(sorted(minutes)),
        hours=tuple(sorted(hours)),
        days_of_month=dom,
        months=months,
        days_of_week=dow,
        years=years,
    )


def _parse_field(text: str, spec: tuple, expression: str) -> frozenset[int] | None:
    name, low, high, names = spec

    def fail(reason: str) -> ValueError:
        return ValueError(f"invalid schedule expression {expression!r}: field {name} {text!r}: {reason}")

    if text == "?":
        if name not in ("day-of-month", "day-of-week"):
            raise fail("'?' is only allowed in day-of-month or day-of-week")
        return None
    tokens = re.split(r"[,/-]", text.upper())
    if "#" in text or any(re.fullmatch(r"\d*L|\d+W|LW", token) for token in tokens):
        raise fail("'L', 'W' and '#' are not supported by this simulator")

    def number(token: str) -> int:
        upper = token.upper()
        if upper in names:
            return low + names.index(upper)
        if not token.isdigit():
            raise fail(f"{token!r} is not a number" + (f" or one of {'/'.join(names)}" if names else ""))
        value = int(token)
        if not low <= value <= high:
            raise fail(f"{value} is out of range {low}-{high}")
        return value

    allowed: set[int] = set()
    for part in text.split(","):
        base, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) < 1:
                raise fail(f"step {step_text!r} must be a whole number of at least 1")
            step = int(step_text)
        if base == "*":
            first, last = low, high
        elif "-" in base:
            first_text, _, last_text = base.partition("-")
            first, last = number(first_text), number(last_text)
            if first > last:
                raise fail(f"range {base!r} runs backwards")
        else:
            first = number(base)
            last = high if slash else first
        allowed.update(range(first, last + 1, step))
    return frozenset(allowed)


def next_fire_times(expression: str, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` fire times strictly after ``after`` (fewer if the expression runs out).

    ``NOW`` fires exactly once, at ``after`` (the moment the schedule is created).
    """
    _check_int("count", count, 0, 1_000_000)
    schedule = parse_cron(expression)
    at = as_utc(after, name="after")
    if schedule.is_now:
        return [at][:count]
    times: list[datetime] = []
    while len(times) < count:
        following = schedule.next_after(at)
        if following is None:
            break
        times.append(following)
        at = following
    return times
