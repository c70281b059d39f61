"""Schedule expressions: generator strings, fire times checked by hand, malformed input."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from simulations.monitoring.cron import CronExpressionGenerator, next_fire_times, parse_cron

UTC = timezone.utc


def t(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_generator_strings_match_the_sdk():
    assert CronExpressionGenerator.hourly() == "cron(0 * ? * * *)"
    assert CronExpressionGenerator.daily() == "cron(0 0 ? * * *)"
    assert CronExpressionGenerator.daily(hour=13) == "cron(0 13 ? * * *)"
    assert CronExpressionGenerator.daily_every_x_hours(6) == "cron(0 0/6 ? * * *)"
    assert CronExpressionGenerator.daily_every_x_hours(8, starting_hour=2) == "cron(0 2/8 ? * * *)"
    assert CronExpressionGenerator.now() == "NOW"


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: CronExpressionGenerator.daily(24), "hour must be a whole number from 0 to 23"),
        (lambda: CronExpressionGenerator.daily(1.5), "hour must be a whole number"),
        (lambda: CronExpressionGenerator.daily_every_x_hours(0), "hour_interval must be a whole number from 1 to 24"),
        (lambda: CronExpressionGenerator.daily_every_x_hours(6, starting_hour=-1), "starting_hour"),
    ],
)
def test_generator_rejects_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_hourly_fires_on_the_hour_strictly_after():
    assert next_fire_times("cron(0 * ? * * *)", t(2024, 1, 30, 22, 17), 3) == [
        t(2024, 1, 30, 23),
        t(2024, 1, 31, 0),
        t(2024, 1, 31, 1),
    ]
    assert next_fire_times("cron(0 * ? * * *)", t(2024, 1, 30, 22), 1) == [t(2024, 1, 30, 23)]


def test_daily_at_hour():
    assert next_fire_times(CronExpressionGenerator.daily(6), t(2024, 1, 30, 22, 17), 2) == [
        t(2024, 1, 31, 6),
        t(2024, 2, 1, 6),
    ]
    assert next_fire_times(CronExpressionGenerator.daily(6), t(2024, 1, 30, 5, 59), 1) == [t(2024, 1, 30, 6)]


def test_every_x_hours_from_a_start_hour():
    expression = CronExpressionGenerator.daily_every_x_hours(8, starting_hour=2)  # 02, 10, 18
    assert next_fire_times(expression, t(2024, 1, 30, 11), 3) == [
        t(2024, 1, 30, 18),
        t(2024, 1, 31, 2),
        t(2024, 1, 31, 10),
    ]


def test_steps_do_not_wrap_past_the_field_end():
    assert parse_cron("cron(0 17/12 ? * * *)").hours == (17,)
    assert parse_cron("cron(0 5/12 ? * * *)").hours == (5, 17)


def test_weekdays_one_is_sunday():
    # 2024-02-02 is a Friday; MON-FRI at 09:30 next fires on Monday 2024-02-05.
    assert next_fire_times("cron(30 9 ? * MON-FRI *)", t(2024, 2, 2, 10), 1) == [t(2024, 2, 5, 9, 30)]
    assert next_fire_times("cron(0 12 ? * 1 *)", t(2024, 1, 30), 1) == [t(2024, 2, 4, 12)]  # a Sunday
    assert parse_cron("cron(0 12 ? * SUN,SAT *)").days_of_week == {1, 7}


def test_lists_ranges_months_and_years():
    times = next_fire_times("cron(15,45 8-9 1 JAN,JUL ? 2024-2025)", t(2024, 1, 30), 6)
    assert times == [
        t(2024, 7, 1, 8, 15),
        t(2024, 7, 1, 8, 45),
        t(2024, 7, 1, 9, 15),
        t(2024, 7, 1, 9, 45),
        t(2025, 1, 1, 8, 15),
        t(2025, 1, 1, 8, 45),
    ]


def test_leap_day_and_short_months():
    assert next_fire_times("cron(0 12 29 2 ? *)", t(2024, 3, 1), 1) == [t(2028, 2, 29, 12)]
    assert next_fire_times("cron(0 0 31 * ? *)", t(2024, 1, 31, 1), 2) == [t(2024, 3, 31), t(2024, 5, 31)]


def test_expression_that_runs_out():
    assert next_fire_times("cron(0 0 1 1 ? 2024)", t(2024, 6, 1), 3) == []
    assert next_fire_times("cron(0 0 1 1 ? 2024-2025)", t(2024, 6, 1), 3) == [t(2025, 1, 1)]


def test_previous_fire_time():
    hourly = parse_cron("cron(0 * ? * * *)")
    assert hourly.previous_before(t(2024, 1, 30, 22)) == t(2024, 1, 30, 21)
    assert hourly.previous_before(t(2024, 1, 30, 22, 0, 1)) == t(2024, 1, 30, 22)
    assert parse_cron("cron(0 6 ? * * *)").previous_before(t(2024, 3, 1, 5)) == t(2024, 2, 29, 6)
    assert parse_cron("cron(0 12 29 2 ? *)").previous_before(t(2024, 2, 1)) == t(2020, 2, 29, 12)


def test_now_fires_once_at_creation():
    assert next_fire_times("NOW", t(2024, 1, 1, 9, 30), 5) == [t(2024, 1, 1, 9, 30)]
    with pytest.raises(ValueError, match="one-time"):
        parse_cron("NOW").next_after(t(2024, 1, 1))


@pytest.mark.parametrize(
    "expression, fragment",
    [
        ("cron(0 * * * * *)", "exactly one of day-of-month and day-of-week must be '?'"),
        ("cron(0 * ? * ? *)", "exactly one of day-of-month and day-of-week must be '?'"),
        ("cron(60 * ? * * *)", "field minutes '60': 60 is out of range 0-59"),
        ("cron(0 24 ? * * *)", "field hours '24': 24 is out of range 0-23"),
        ("cron(0 * 32 * ? *)", "field day-of-month '32'"),
        ("cron(0 * ? 13 * *)", "field month '13'"),
        ("cron(0 * ? * 8 *)", "field day-of-week '8'"),
        ("cron(0 * ? * * 1969)", "field year '1969'"),
        ("cron(0 * L * ? *)", "field day-of-month 'L': 'L', 'W' and '#' are not supported"),
        ("cron(0 * ? * 6#3 *)", "field day-of-week '6#3'"),
        ("cron(0 * 15W * ? *)", "field day-of-month '15W'"),
        ("cron(? * ? * * *)", "field minutes '?': '?' is only allowed"),
        ("cron(a * ? * * *)", "field minutes 'a': 'a' is not a number"),
        ("cron(0 * ? FOO * *)", "field month 'FOO': 'FOO' is not a number or one of JAN/"),
        ("cron(0 5-2 ? * * *)", "field hours '5-2': range '5-2' runs backwards"),
        ("cron(0 */0 ? * * *)", "field hours '*/0': step '0'"),
        ("cron(0 * ? * *)", "cron needs 6 fields, got 5"),
        ("0 * ? * * *", "expected 'NOW' or cron("),
        ("now", "expected 'NOW' or cron("),
        ("rate(1 hour)", "expected 'NOW' or cron("),
    ],
)
def test_malformed_expressions_name_the_field(expression, fragment):
    with pytest.raises(ValueError) as info:
        parse_cron(expression)
    assert fragment in str(info.value)
    assert repr(expression) in str(info.value)


def test_month_names_are_not_mistaken_for_unsupported_letters():
    assert parse_cron("cron(0 0 1 JUL ? *)").months == {7}
    assert parse_cron("cron(0 0 ? * WED *)").days_of_week == {4}
