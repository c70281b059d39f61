"""Cells for CSV files that people open in a spreadsheet: no formula injection.

A learner name such as ``=HYPERLINK("http://x", "click")`` or ``=cmd|' /C calc'!A0`` would run
as a formula in Excel or LibreOffice. Following OWASP's CSV injection advice, a text cell that
starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe, which a
spreadsheet shows as text. Numbers (``-3``, ``1.5``) are written as they are.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """``value`` as a CSV cell that a spreadsheet will not evaluate."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: list[object]) -> list[object]:
    return [safe_cell(v) for v in values]
