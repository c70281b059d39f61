"""Typed, validated simulation parameters.

A simulation declares its parameters as ``ParamSpec`` entries; ``validate_params`` fills
defaults, converts strings from the command line and rejects unknown or out-of-range values
with a message that names the parameter and its allowed range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class ParameterError(ValueError):
    """A parameter a user gave is unknown, of the wrong type or out of range."""


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: type  # int, float, bool or str
    default: Any
    help: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None

    def range_text(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.type is bool:
            return "true or false"
        if self.min is not None and self.max is not None:
            return f"{self.min}..{self.max}"
        if self.min is not None:
            return f">= {self.min}"
        if self.max is not None:
            return f"<= {self.max}"
        return "any " + self.type.__name__

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "type": self.type.__name__,
            "default": self.default,
            "help": self.help,
            "min": self.min,
            "max": self.max,
            "choices": list(self.choices) if self.choices else None,
        }

    def convert(self, value: Any) -> Any:
        """Convert ``value`` (possibly a string from the CLI or a form) and check its range."""
        given = value
        try:
            if self.type is bool:
                if isinstance(value, str):
                    low = value.strip().lower()
                    if low not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
                        raise ValueError
                    value = low in ("true", "1", "yes", "on")
                elif not isinstance(value, bool):
                    raise ValueError
            elif self.type is int:
                if isinstance(value, bool):
                    raise ValueError
                if isinstance(value, float) and not value.is_integer():
                    raise ValueError
                value = int(str(value).strip()) if isinstance(value, str) else int(value)
            elif self.type is float:
                if isinstance(value, bool):
                    raise ValueError
                value = float(value)
                if value != value or value in (float("inf"), float("-inf")):
                    raise ValueError
            else:
                value = str(value)
        except (TypeError, ValueError):
            raise ParameterError(f"parameter {self.name!r} must be {self.type.__name__} ({self.range_text()}), got {given!r}") from None
        if self.choices and value not in self.choices:
            raise ParameterError(f"parameter {self.name!r} must be {self.range_text()}, got {value!r}")
        if self.min is not None and value < self.min or self.max is not None and value > self.max:
            raise ParameterError(f"parameter {self.name!r} must be in {self.range_text()}, got {value!r}")
        return value


def validate_params(specs: tuple[ParamSpec, ...], given: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults overlaid with ``given``; raises ParameterError naming the bad parameter."""
    given = dict(given or {})
    by_name = {s.name: s for s in specs}
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        known = ", ".join(by_name) or "none"
        raise ParameterError(f"unknown parameter {unknown[0]!r}; this simulation takes: {known}")
    return {s.name: s.convert(given[s.name]) if s.name in given else s.default for s in specs}


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``["weeks=12", "noise=0.2"]`` -> dict; a malformed item raises ParameterError."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"expected NAME=VALUE, got {item!r}")
        out[key.strip()] = value.strip()
    return out
