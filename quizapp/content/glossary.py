"""The Korean glossary (content/glossary.yaml) and the check that Korean text uses its terms.

The file maps an English term to the Korean term of the AWS Korean documentation, either as a
plain string or as ``{ko: 경보, avoid: [알람], note: ...}``. A variant from ``avoid`` found in a
question or note is a warning naming ``file:line`` and the term to use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quizapp.content.files import ContentFileError, read_text
from quizapp.content.markdown import key_lines, safe_load
from quizapp.content.model import Problem

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"`[^`\n]*`")


@dataclass(frozen=True)
class Term:
    english: str
    korean: str
    avoid: tuple[str, ...] = ()
    note: str = ""


@dataclass
class Glossary:
    terms: list[Term] = field(default_factory=list)

    def variants(self) -> list[tuple[str, Term]]:
        """(variant, term) pairs, longest variant first so the most specific one is named."""
        pairs = [(v, t) for t in self.terms for v in t.avoid]
        return sorted(pairs, key=lambda pair: -len(pair[0]))


def load_glossary(path: Path, shown: str | None = None) -> tuple[Glossary, list[Problem]]:
    """Read the glossary; every malformed entry is a ``path:line`` problem and is skipped."""
    shown = shown or str(path)
    try:
        text = read_text(path)
        data = safe_load(text)
    except ContentFileError as exc:
        return Glossary(), [Problem(shown, 1, f"glossary: {exc.message}")]
    except RecursionError:
        return Glossary(), [Problem(shown, 1, "bad YAML: nested too deeply")]
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        return Glossary(), [Problem(shown, line, f"bad YAML: {exc.problem}")]
    except yaml.YAMLError as exc:
        return Glossary(), [Problem(shown, 1, f"bad YAML: {exc}")]
    if data is None:
        return Glossary(), []
    if not isinstance(data, dict):
        return Glossary(), [Problem(shown, 1, "glossary must map English terms to Korean terms")]
    lines = key_lines(text)
    glossary, problems = Glossary(), []
    for english, value in data.items():
        line = lines.get(str(english), 1)
        term = _term(english, value)
        if term is None:
            problems.append(Problem(shown, line, f"glossary entry {str(english)[:40]!r} must be a Korean term or {{ko: ..., avoid: [...]}}"))
        else:
            glossary.terms.append(term)
    return glossary, problems


def _term(english, value) -> Term | None:
    if not isinstance(english, str) or not english.strip():
        return None
    if isinstance(value, str) and value.strip():
        return Term(english, value.strip())
    if not isinstance(value, dict) or not isinstance(value.get("ko"), str) or not value["ko"].strip():
        return None
    avoid = value.get("avoid") or []
    if isinstance(avoid, str):
        avoid = [avoid]
    if not isinstance(avoid, list) or not all(isinstance(v, str) and v.strip() for v in avoid):
        return None
    note = value.get("note") or ""
    return Term(english, value["ko"].strip(), tuple(v.strip() for v in avoid), str(note))


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of every line outside front matter and code; inline code is blanked."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
    fence = ""
    for number, line in enumerate(lines[start:], start=start + 1):
        m = _FENCE.match(line)
        if m and (not fence or m.group(1)[0] == fence[0]):
            fence = "" if fence else m.group(1)
            continue
        if not fence:
            out.append((number, _INLINE_CODE.sub(lambda c: " " * len(c.group()), line)))
    return out


def variant_warnings(text: str, shown: str, glossary: Glossary) -> list[Problem]:
    """A warning for each glossary variant in the prose of ``text``, one per line and variant."""
    variants = glossary.variants()
    if not variants:
        return []
    problems = []
    for number, line in prose_lines(text):
        taken: list[tuple[int, int]] = []  # spans already reported (a longer variant wins)
        for variant, term in variants:
            for m in re.finditer(re.escape(variant), line):
                if any(s <= m.start() < e for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                problems.append(
                    Problem(shown, number, f"'{variant}' is not the glossary term: use '{term.korean}' ({term.english})", "warning")
                )
                break
    return problems
