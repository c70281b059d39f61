"""The project's own format: one ``<id>.md`` per question, written and read back to check.

:func:`render` writes front matter (id, domain, tags, answer, covers, simulation, difficulty)
and the sections Question, Options, Answer, Explanation, Why not the others, then the Korean
질문, 보기, 설명 and 보기별 해설 (each only when the question has that text).
:func:`read_back` parses the result with the project's loader, and :func:`differences` names
any field that would not survive, so an import never writes a file that reads differently
without saying so.

Texts from plain-text formats (GIFT, Aiken) go through :func:`protect` first: a line that
Markdown would read as a heading (``# x``, or a ``---``/``===`` line under text) would end
the section, so its marker is escaped with a backslash.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from quizapp.content.markdown import parse_document
from quizapp.content.model import Option, Problem, Question
from quizapp.content.question_parser import parse_question
from quizapp.exchange.draft import Draft, one_line

_BLOCKS = MarkdownIt("commonmark").disable(["inline", "text_join"], ignoreInvalid=True)
_DASHES = "-–—"
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _yaml(meta: dict) -> str:
    return yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=2**31 - 1).rstrip("\n")


def render(q: Question) -> str:
    """``q`` as a project-format Markdown file."""
    letters = [o.letter for o in q.options]
    answer = sorted(q.answer, key=letters.index)
    meta: dict = {
        "id": q.id,
        "domain": q.domain,
        "tags": list(q.tags),
        "answer": answer[0] if len(answer) == 1 else answer,
        "covers": list(q.covers),
    }
    if q.simulation:
        meta["simulation"] = q.simulation
    meta["difficulty"] = q.difficulty
    out = ["---", _yaml(meta), "---", f"# {q.title or q.id}", "", "## Question", "", q.stem, "", "## Options", ""]
    out += [f"- {o.letter}) {o.text}" for o in q.options]
    out += ["", "## Answer", ""]
    right = [o for o in q.options if o.letter in q.answer]
    if len(right) == 1:
        out.append(f"{right[0].letter}) {right[0].text}")
    else:
        out += [", ".join(answer), ""] + [f"- {o.letter}) {o.text}" for o in right]
    if q.explanation.get("en"):
        out += ["", "## Explanation", "", q.explanation["en"]]
    out += _reason_lines("## Why not the others", q.reasons, letters)
    korean = q.translations.get("ko")
    if korean and korean.stem:
        out += ["", "## 질문", "", korean.stem]
    if korean and korean.options:
        out += ["", "## 보기", ""] + [f"- {letter}) {korean.options[letter]}" for letter in letters if korean.options.get(letter)]
    if q.explanation.get("ko"):
        out += ["", "## 설명", "", q.explanation["ko"]]
    if korean:
        out += _reason_lines("## 보기별 해설", korean.reasons, letters)
    return "\n".join(out) + "\n"


def _reason_lines(heading: str, reasons: dict[str, str], letters: list[str]) -> list[str]:
    given = [(letter, reasons[letter]) for letter in letters if reasons.get(letter)]
    if not given:
        return []
    # the loader drops one leading dash after "A)", so a reason that starts with one gets a spare
    return ["", heading, ""] + [f"- {letter}) {'— ' if text[0] in _DASHES else ''}{text}" for letter, text in given]


def protect(text: str) -> tuple[str, bool]:
    """Escape the marker of every line Markdown would read as a heading; (text, changed)."""
    changed = False
    for _ in range(50):
        lines = text.split("\n")
        hits = []
        for tok in _BLOCKS.parse(text):
            if tok.type == "heading_open" and tok.map:
                start, end = tok.map
                if tok.markup.startswith("#"):
                    hits.append((start, "#"))
                else:  # setext: the underline is the heading's last line
                    hits.append((end - 1, tok.markup[0]))
        if not hits:
            break
        for index, marker in hits:
            line = lines[index]
            at = line.find(marker)
            lines[index] = line[:at] + "\\" + line[at:]
        text, changed = "\n".join(lines), True
    return text, changed


def tidy_blank_lines(text: str) -> str:
    """Collapse runs of blank lines into one, except inside fenced code (Markdown reads them alike)."""
    out: list[str] = []
    fence = ""
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if m and (not fence or (m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence))):
            fence = "" if fence else m.group(1)
        if not fence and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return "\n".join(out).strip()


def prepare(draft: Draft) -> tuple[Question, list[str]]:
    """The draft's question as the project format can hold it, and what had to change."""
    q = draft.question
    notes: list[str] = []
    stem = tidy_blank_lines(q.stem)
    explanation = {k: tidy_blank_lines(v) for k, v in q.explanation.items() if v and v.strip()}
    if draft.plain_text:
        stem, changed = protect(stem)
        if changed:
            notes.append("a stem line would read as a Markdown heading; its marker was escaped with '\\'")
        if "en" in explanation:
            explanation["en"], changed = protect(explanation["en"])
            if changed:
                notes.append("an explanation line would read as a Markdown heading; its marker was escaped with '\\'")
    options = [Option(o.letter, one_line(o.text)) for o in q.options]
    if any(o.text != p.text for o, p in zip(options, q.options)) and draft.plain_text:
        notes.append("line breaks inside options became spaces (options are one line)")
    reasons = {k: one_line(v) for k, v in q.reasons.items() if one_line(v)}
    title = one_line(q.title) or q.id
    return replace(q, title=title, stem=stem, options=options, explanation=explanation, reasons=reasons), notes


def read_back(text: str, path: Path, shown: str) -> tuple[Question | None, list[Problem]]:
    """Parse rendered text the way the content loader parses a question file."""
    outcome = parse_question(parse_document(text), path, shown)
    return outcome.question, outcome.problems


FIELDS = ("id", "title", "stem", "options", "answer", "domain", "tags", "explanation", "reasons", "simulation", "covers", "difficulty", "translations")


def differences(expected: Question, got: Question) -> list[str]:
    """Names of the fields in which ``got`` differs from ``expected``."""
    return [name for name in FIELDS if getattr(expected, name) != getattr(got, name)]
