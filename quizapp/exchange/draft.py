"""A question on its way between formats: the parsed Question plus where it came from.

Also the small text helpers every format shares: titles and ids derived from a stem,
making ids unique, and checking that an id can be a file name.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

from quizapp.content.model import LETTERS, Problem, Question
from quizapp.content.question_parser import slugify

MAX_OPTIONS = len(LETTERS)  # the app letters options A..H
_TITLE_WORDS = 8
_TITLE_CHARS = 60
_ID_CHARS = 60
_SAFE_ID = re.compile(r"\w[\w.-]*")  # used with fullmatch: "$" would accept a trailing newline


@dataclass
class Draft:
    """One question read from an import file, before its id is final and it is written."""

    question: Question
    shown: str  # the source file as the user named it
    line: int  # where the question starts in that file
    id_given: bool = False  # the file named the id (front matter, GIFT metadata); else derived from the title
    plain_text: bool = False  # texts came from a plain-text format (GIFT, Aiken), not from Markdown

    @property
    def where(self) -> str:
        return f"{self.shown}:{self.line}"


@dataclass
class ParseResult:
    """What one import file gave: questions, problems, and how many questions failed."""

    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: int = 0

    def fail(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.failed += 1


def one_line(text: str) -> str:
    """Collapse line breaks (and the spaces around them) into single spaces."""
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def title_from_stem(stem: str) -> str:
    """A short title for a question that has none: the stem's first words."""
    words = one_line(stem).split()
    title = " ".join(words[:_TITLE_WORDS])
    if len(title) > _TITLE_CHARS:
        title = title[:_TITLE_CHARS].rsplit(" ", 1)[0] or title[:_TITLE_CHARS]
    if len(words) > _TITLE_WORDS or len(title) < len(" ".join(words)):
        title = title.rstrip(" ,.;:?!") + "…"
    return title or "Question"


def id_from_title(title: str) -> str:
    slug = slugify(title)
    if len(slug) > _ID_CHARS:
        cut = slug[:_ID_CHARS]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def unique_id(base: str, taken: Container[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken yet."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def id_problem(qid: str) -> str | None:
    """Why ``qid`` cannot name a file ``<id>.md`` (None when it can)."""
    if not _SAFE_ID.fullmatch(qid):
        return f"id {qid!r} cannot be used as a file name (use letters, digits, '-', '_' or '.')"
    return None
