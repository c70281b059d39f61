"""Plain dataclasses for what the content folder holds. Text is kept raw (never markup)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

LETTERS = "ABCDEFGH"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, reported as ``path:line: message``."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {tag}{self.message}"

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "message": self.message, "severity": self.severity}


@dataclass(frozen=True)
class Option:
    letter: str
    text: str


@dataclass
class Question:
    id: str
    title: str
    stem: str
    options: list[Option]
    answer: frozenset[str]
    domain: str = "monitoring"
    tags: list[str] = field(default_factory=list)
    explanation: dict[str, str] = field(default_factory=dict)  # language code -> text
    reasons: dict[str, str] = field(default_factory=dict)  # option letter -> why (right or wrong)
    simulation: str | None = None
    covers: list[str] = field(default_factory=list)
    difficulty: int = 2
    source: Path | None = None
    line: int = 1  # line of the question's start in the source file

    @property
    def letters(self) -> list[str]:
        return [o.letter for o in self.options]

    @property
    def is_multi(self) -> bool:
        return len(self.answer) > 1

    def option(self, letter: str) -> Option | None:
        return next((o for o in self.options if o.letter == letter), None)

    def reason_for(self, letter: str) -> str:
        """Why ``letter`` is right or wrong; the correct option falls back to the explanation."""
        if letter in self.reasons:
            return self.reasons[letter]
        if letter in self.answer:
            return self.explanation.get("en") or self.explanation.get("ko", "")
        return ""

    def is_correct(self, chosen: set[str] | frozenset[str]) -> bool:
        return frozenset(chosen) == self.answer


@dataclass
class Note:
    """A study note: title, its sections (heading -> raw Markdown) and the questions it relates to."""

    id: str
    title: str
    body: str
    sections: dict[str, str] = field(default_factory=dict)
    questions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    source: Path | None = None


@dataclass(frozen=True)
class Fact:
    id: str
    statement: str
    topic: str = ""
