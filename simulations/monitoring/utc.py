"""UTC instants: the one time convention of the engine.

SageMaker, CloudWatch and SNS all work in UTC. Every engine function that takes a time
accepts a ``datetime`` (naive values are read as UTC), a ``pandas.Timestamp`` or an ISO 8601
string such as ``"2020-01-09T13:00:00Z"``, and hands back an aware ``datetime`` in UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone

UTC = timezone.utc


def as_utc(value: datetime | str, *, name: str = "time") -> datetime:
    """Return ``value`` as an aware ``datetime`` in UTC; ``name`` labels the error message."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"{name}: {value!r} is not an ISO 8601 time; use e.g. '2020-01-09T13:00:00Z'"
            ) from None
    if hasattr(value, "to_pydatetime"):  # pandas.Timestamp
        value = value.to_pydatetime()
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime or an ISO 8601 string, got {type(value).__name__}")
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso_z(value: datetime) -> str:
    """Format as AWS does in records and messages: ``2022-02-14T17:25:49Z`` (second precision)."""
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")
