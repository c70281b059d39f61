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


@dataclass(frozen=True)
class Translation:
    """A question's learner-facing text in a second language, under the same option letters."""

    stem: str = ""
    options: dict[str, str] = field(default_factory=dict)  # option letter -> text
    reasons: dict[str, str] = field(default_factory=dict)  # option letter -> why (right or wrong)


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
    # Language code -> stem/options/reasons in that language ("ko"). The fields above hold the
    # primary text: English, or Korean in a file that has only Korean sections.
    translations: dict[str, Translation] = field(default_factory=dict)

    @property
    def letters(self) -> list[str]:
        return [o.letter for o in self.options]

    @property
    def is_multi(self) -> bool:
        return len(self.answer) > 1

    def option(self, letter: str) -> Option | None:
        return next((o for o in self.options if o.letter == letter), None)

    def stem_in(self, language: str) -> str:
        """The stem in ``language`` when the file has it, else the primary stem."""
        translation = self.translations.get(language)
        return translation.stem if translation and translation.stem else self.stem

    def options_in(self, language: str) -> list[Option]:
        """The options (same letters, same order) in ``language``, each falling back to the primary text."""
        translation = self.translations.get(language)
        if translation is None:
            return list(self.options)
        return [Option(o.letter, translation.options.get(o.letter) or o.text) for o in self.options]

    def explanation_in(self, language: str) -> str:
        """The explanation in ``language``, else in English, else in any language given."""
        return self.explanation.get(language) or self.explanation.get("en") or next(iter(self.explanation.values()), "")

    def reason_for(self, letter: str, language: str = "en") -> str:
        """Why ``letter`` is right or wrong, in ``language`` when given there, else in the primary text.

        With no reason written for the correct option, the explanation stands in for it."""
        translation = self.translations.get(language)
        if translation and translation.reasons.get(letter):
            return translation.reasons[letter]
        if letter in self.reasons:
            return self.reasons[letter]
        for other in self.translations.values():
            if other.reasons.get(letter):
                return other.reasons[letter]
        if letter in self.answer:
            return self.explanation_in(language)
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
