"""Which format an import file is in, from its extension and then its content."""

from __future__ import annotations

import re
from pathlib import Path

GIFT, AIKEN, MARKDOWN = "gift", "aiken", "markdown"
NAMES = {GIFT: "GIFT", AIKEN: "Aiken", MARKDOWN: "Markdown"}

_GIFT_TITLE = re.compile(r"^\s*::(?:[^:\\\n]|\\.|:(?!:))+::", re.MULTILINE)
_GIFT_ANSWERS = re.compile(r"(?<!\\)\{\s*(?:[=~]|%-?\d)")
_GIFT_CATEGORY = re.compile(r"^\s*\$CATEGORY:", re.MULTILINE)
_AIKEN_ANSWER = re.compile(r"^\s*ANSWER\s*:\s*[A-Z]\b", re.MULTILINE)


def detect_format(path: Path, text: str) -> str:
    """``.gift`` -> GIFT, ``.aiken`` -> Aiken, ``.md`` -> Markdown; otherwise (``.txt``...) sniff:
    front matter -> Markdown; ``::title::``, ``{=right ~wrong}`` or ``$CATEGORY:`` -> GIFT;
    ``ANSWER: X`` lines -> Aiken; anything else is read as Markdown (project or source-note style)."""
    suffix = path.suffix.lower()
    if suffix == ".gift":
        return GIFT
    if suffix == ".aiken":
        return AIKEN
    if suffix in (".md", ".markdown"):
        return MARKDOWN
    body = text.lstrip("\ufeff")
    if body.lstrip(" \t").startswith("---"):
        return MARKDOWN
    if _GIFT_TITLE.search(body) or _GIFT_ANSWERS.search(body) or _GIFT_CATEGORY.search(body):
        return GIFT
    if _AIKEN_ANSWER.search(body):
        return AIKEN
    return MARKDOWN
