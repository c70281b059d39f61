"""How numbers appear in violation descriptions.

Real violation files print doubles in full (Java's ``Double.toString``: ``"Only 99.64592817400101%
of data is Integral"``), so shares, distances and thresholds are written with ``repr`` here too.
"""

from __future__ import annotations


def number(x: float, digits: int | None = None) -> str:
    """``x`` in full precision (``repr``); with ``digits``, rounded first (``0.2712``)."""
    return repr(float(x) if digits is None else round(float(x), digits))


def distinct_numbers(value: float, threshold: float) -> tuple[str, str]:
    """Format two numbers with 4 decimals, or more when 4 would make different numbers look equal."""
    for digits in (4, 6, 8, 12):
        shown, limit = number(value, digits), number(threshold, digits)
        if shown != limit:
            break
    return shown, limit


def percent(share: float) -> str:
    """A share as a percentage in full precision, as the service prints it (``100.0%``, ``99.64592817400101%``)."""
    return f"{float(share) * 100!r}%"
