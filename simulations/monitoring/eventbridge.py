"""EventBridge event patterns: which events does a rule match?

Follows the EventBridge user guide's content filtering. Every field named in the pattern must
match the event:

- a list of values matches when the event's value equals one of them; when the event's value is
  an array, when any element does;
- content filters inside the list: ``{"prefix": s}``, ``{"suffix": s}``, ``{"anything-but": v or [v, ...]}``,
  ``{"numeric": [op, n]}`` or ``[op, n, op, n]`` (ops ``<``, ``<=``, ``=``, ``>=``, ``>``) and
  ``{"exists": true/false}``; a field that is absent matches only ``{"exists": false}``;
- an object in the pattern matches the event's object field by field; when the event holds an
  array of objects, the pattern matches when one element matches it.

Values compare as JSON values: ``true`` is not ``1``. Anything else in a pattern is an error.
"""

from __future__ import annotations

import operator
from typing import Any

_MISSING = object()
_NUMERIC = {"<": operator.lt, "<=": operator.le, "=": operator.eq, ">=": operator.ge, ">": operator.gt}


class PatternError(ValueError):
    pass


def matches(pattern: dict, event: Any) -> bool:
    """Whether ``event`` (a dict, as EventBridge delivers it) matches ``pattern``."""
    if not isinstance(pattern, dict) or not pattern:
        raise PatternError(f"an event pattern is a non-empty JSON object, got {pattern!r}")
    for key, expected in pattern.items():
        value = event.get(key, _MISSING) if isinstance(event, dict) else _MISSING
        if isinstance(expected, dict):
            items = value if isinstance(value, list) else [value]
            if not any(isinstance(item, dict) and matches(expected, item) for item in items):
                return False
        elif isinstance(expected, list):
            if not _field_matches(key, expected, value):
                return False
        else:
            raise PatternError(f"pattern field {key!r} must be a list of values or an object, got {expected!r}")
    return True


def matching(pattern: dict, events: list[dict]) -> list[dict]:
    """The events ``pattern`` matches, in order."""
    return [event for event in events if matches(pattern, event)]


def _field_matches(key: str, conditions: list, value: Any) -> bool:
    if not conditions:
        raise PatternError(f"pattern field {key!r} has an empty list: it could never match")
    values = value if isinstance(value, list) else [value]
    for condition in conditions:
        if isinstance(condition, dict) and "exists" in condition:
            if bool(condition["exists"]) == (value is not _MISSING):
                return True
            continue
        if value is _MISSING:
            continue
        if any(_matches_one(key, condition, v) for v in values):
            return True
    return False


def _same(a: Any, b: Any) -> bool:
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _matches_one(key: str, condition: Any, value: Any) -> bool:
    if not isinstance(condition, dict):
        return _same(condition, value)
    if len(condition) != 1:
        raise PatternError(f"pattern field {key!r}: a content filter has exactly one key, got {sorted(condition)}")
    (kind, arg), = condition.items()
    if kind == "prefix":
        return isinstance(value, str) and value.startswith(arg)
    if kind == "suffix":
        return isinstance(value, str) and value.endswith(arg)
    if kind == "anything-but":
        banned = arg if isinstance(arg, list) else [arg]
        return not any(_same(b, value) for b in banned)
    if kind == "numeric":
        if not isinstance(arg, list) or len(arg) not in (2, 4) or any(op not in _NUMERIC for op in arg[::2]):
            raise PatternError(f"pattern field {key!r}: numeric takes [op, n] or [op, n, op, n], got {arg!r}")
        return _is_number(value) and all(_NUMERIC[op](value, n) for op, n in zip(arg[::2], arg[1::2]))
    raise PatternError(f"pattern field {key!r}: unknown content filter {kind!r}")
