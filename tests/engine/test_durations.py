"""ISO 8601 offsets and the monitoring window (reference §5, FACTS F39)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulations.monitoring.durations import format_offset, monitoring_window, parse_offset

UTC = timezone.utc


@pytest.mark.parametrize(
    "text, expected",
    [
        ("-P3D", timedelta(days=-3)),
        ("-P1D", timedelta(days=-1)),
        ("-PT6H", timedelta(hours=-6)),
        ("-PT1H", timedelta(hours=-1)),
        ("-PT0H", timedelta(0)),
        ("-P1DT12H", timedelta(days=-1, hours=-12)),
        ("-PT30M", timedelta(minutes=-30)),
        ("-P8D", timedelta(days=-8)),
        ("-P1DT2H3M4S", -timedelta(days=1, hours=2, minutes=3, seconds=4)),
    ],
)
def test_valid_offsets(text, expected):
    assert parse_offset(text) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("P3D", "must be negative"),
        ("-P", "no amount given"),
        ("-PT", "no amount given"),
        ("-P1DT", "no amount given"),
        ("3 days", "starts with '-P'"),
        ("", "starts with '-P'"),
        ("-P1Y", "years, months and weeks"),
        ("-P2M", "years, months and weeks"),
        ("-P2W", "years, months and weeks"),
        ("-PT1.5H", "fractional values are not supported"),
        ("-p3d", "upper-case"),
        (" -P3D", "upper-case designators and no spaces"),
        ("-PT1H30", "needs its unit"),
        ("-P3X", "unexpected text"),
    ],
)
def test_malformed_offsets_name_the_text_and_show_an_example(text, reason):
    with pytest.raises(ValueError) as info:
        parse_offset(text)
    message = str(info.value)
    assert repr(text) in message
    assert reason in message
    assert "'-P3D'" in message  # a valid example


def test_offset_must_be_a_string():
    with pytest.raises(TypeError, match="must be a string"):
        parse_offset(3)


@given(days=st.integers(0, 400), hours=st.integers(0, 23))
def test_format_parse_round_trip_days_hours(days, hours):
    offset = -timedelta(days=days, hours=hours)
    text = format_offset(offset)
    assert parse_offset(text) == offset
    assert format_offset(parse_offset(text)) == text


@pytest.mark.parametrize(
    "offset, text",
    [
        (timedelta(0), "-PT0H"),
        (timedelta(days=-3), "-P3D"),
        (timedelta(hours=-6), "-PT6H"),
        (-timedelta(days=1, hours=12), "-P1DT12H"),
        (timedelta(minutes=-90), "-PT1H30M"),
    ],
)
def test_format_offset_canonical(offset, text):
    assert format_offset(offset) == text


def test_format_offset_rejects_positive():
    with pytest.raises(ValueError, match="zero or negative"):
        format_offset(timedelta(hours=1))


def test_reference_window_example():
    """Run at 2020-01-09T13:00 with -P8D/-P1D analyses 2020-01-01T13:00 -> 2020-01-08T13:00."""
    start, end = monitoring_window(datetime(2020, 1, 9, 13), "-P8D", "-P1D")
    assert start == datetime(2020, 1, 1, 13, tzinfo=UTC)
    assert end == datetime(2020, 1, 8, 13, tzinfo=UTC)


def test_window_hourly_six_hours_late():
    start, end = monitoring_window("2024-05-01T12:00:00Z", "-PT6H", "-PT1H")
    assert (start, end) == (datetime(2024, 5, 1, 6, tzinfo=UTC), datetime(2024, 5, 1, 11, tzinfo=UTC))


def test_window_accepts_timedeltas():
    start, end = monitoring_window(datetime(2024, 5, 1, tzinfo=UTC), timedelta(days=-3), timedelta(0))
    assert end - start == timedelta(days=3)


@pytest.mark.parametrize("start, end", [("-P1D", "-P3D"), ("-PT1H", "-PT1H")])
def test_window_start_must_precede_end(start, end):
    with pytest.raises(ValueError, match="must be earlier than its end"):
        monitoring_window(datetime(2024, 5, 1), start, end)


def test_window_names_the_bad_offset():
    with pytest.raises(ValueError, match=r"end_offset: invalid time offset 'P1D'"):
        monitoring_window(datetime(2024, 5, 1), "-P3D", "P1D")
    with pytest.raises(ValueError, match="start_offset must be zero or negative"):
        monitoring_window(datetime(2024, 5, 1), timedelta(days=1), "-P1D")
