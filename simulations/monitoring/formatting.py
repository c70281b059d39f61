"""How numbers appear in violation descriptions: short, and never two different numbers shown alike."""

from __future__ import annotations


def number(x: float, digits: int = 4) -> str:
    """``x`` rounded to ``digits`` decimals, without trailing zeros (``0.52``, ``0.2712``)."""
    return repr(round(float(x), digits))


def distinct_numbers(value: float, threshold: float) -> tuple[str, str]:
    """Format two numbers with 4 decimals, or more when 4 would make different numbers look equal."""
    for digits in (4, 6, 8, 12):
        shown, limit = number(value, digits), number(threshold, digits)
        if shown != limit:
            break
    return shown, limit


def percent(share: float) -> str:
    """A share as a percentage with one decimal; more decimals when just below 100 %."""
    text = f"{share * 100:.1f}%"
    if text == "100.0%" and share < 1:
        text = f"{share * 100:.4f}%"
    return text
